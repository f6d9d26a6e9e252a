"""Work for the second core: a forked copy of this process runs one function while this one goes on;
and deleting a big folder without waiting for it.

A fork sees everything as it is at that moment (the catalog, the theme, MkDocs' pages) without pickling
any of it; only the function's result travels back. Used for the product pages while the other pages
render (render.py) and for a share of MkDocs' page writing (plugin.py). The forked copy ends with
os._exit: no atexit handler, no plugin shutdown runs twice.
"""
from __future__ import annotations

import multiprocessing
import os
import shutil
import subprocess
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Callable, Generic, TypeVar

T = TypeVar("T")

_TASK: Callable[[], object] | None = None   # what the next forked worker runs (read after the fork)


def fork_available() -> bool:
    """Two cores or more and fork: a build in a fresh process here would fork."""
    return (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods()


def can_fork() -> bool:
    """fork_available(), and no other thread in this process (mkdocs serve has some: no fork then)."""
    return fork_available() and threading.active_count() == 1


def _run() -> object:
    assert _TASK is not None
    return _TASK()


class Forked(Generic[T]):
    """task() running in a forked copy of this process; result() waits for it and returns what it returned
    (or raises what it raised)."""

    def __init__(self, task: Callable[[], T]) -> None:
        global _TASK
        _TASK = task
        try:
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
            self._future = self._pool.submit(_run)   # forks here, before the pool starts its thread
        finally:
            _TASK = None

    def result(self) -> T:
        try:
            return self._future.result()   # type: ignore[return-value]
        finally:
            self._pool.shutdown()

    def cancel(self) -> None:
        """Stop waiting: end the worker (a failed build does not need its pages)."""
        for process in list(getattr(self._pool, "_processes", {}).values()):
            process.terminate()
        self._pool.shutdown(wait=True, cancel_futures=True)


def remove_in_background(folder: Path) -> None:
    """Delete folder in a detached process: the previous site of a province holds ~50,000 files (pages,
    photo links, search fragments), ~10 s to unlink, which the new site need not wait for."""
    code = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"
    try:
        subprocess.Popen([sys.executable, "-c", code, str(folder)], start_new_session=True,
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
