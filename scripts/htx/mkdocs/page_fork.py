"""Build glue: a forked copy of MkDocs writes a share of the generated pages while MkDocs writes the rest.

MkDocs renders pages one after another, ~3 ms each through Material's templates: 20 s of a province
build on one core while the other idles. When on_env runs, every page's content, the navigation and the
theme are final, so a fork taken there can run MkDocs' own per-page step (context, on_page_context,
template, on_post_page, write) for its share of the pages. This process gives those pages an empty
template, which MkDocs skips without writing, and hides the "Page skipped" line it logs for them.

The fork's warnings and errors are logged again here (so that `--strict` counts them), and the pages it
staged for Pagefind are handed to this process's Stager. Output is the same bytes either way (tested).
"""
from __future__ import annotations

import logging
import re
import time
from typing import TYPE_CHECKING, Sequence

from jinja2 import ChoiceLoader, DictLoader
from mkdocs.commands.build import _build_page   # MkDocs' per-page step, the same the build loop calls

from .workers import Forked

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

    from ..publish.search import Stager

log = logging.getLogger("mkdocs.plugins.htx")

SHARE = 0.4            # of the generated pages, for the fork, which also stages its own pages for search
ELSEWHERE = "htx-written-elsewhere.html"
_SKIPPED = re.compile(r"^Page skipped: '(.*)'\. Generated empty output\.$")


def pick(pages: Sequence[Page], share: float = SHARE) -> list[Page]:
    """Return about share of pages, spread evenly (each kind of page is split alike)."""
    return [page for i, page in enumerate(pages) if int((i + 1) * share) > int(i * share)]


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


class _QuietSkips(logging.Filter):
    def __init__(self, src_uris: set[str]) -> None:
        super().__init__()
        self.src_uris = src_uris

    def filter(self, record: logging.LogRecord) -> bool:
        skipped = _SKIPPED.match(record.getMessage())
        return not (skipped and skipped.group(1) in self.src_uris)


def _write(pages: list[Page], config: MkDocsConfig, doc_files: Sequence[File], nav: Navigation,
           env: Environment, stager: Stager | None) -> tuple[list[int], list[tuple[str, int, str]], str | None, float]:
    """In the fork: build pages; return what was staged for search, the warnings, the error if any, and
    the seconds it took."""
    started = time.perf_counter()
    collected = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.handlers = [collected]       # the parent prints them, once
    if stager is not None:
        stager.inline()
    try:
        for page in pages:
            _build_page(page, config, doc_files, nav, env)
    except Exception as exc:            # reported by the parent, with MkDocs' "Error building page" line
        return [], collected.records, f"{type(exc).__name__}: {exc}", time.perf_counter() - started
    return (stager.done if stager is not None else []), collected.records, None, time.perf_counter() - started


class PageFork:
    """The generated pages a forked MkDocs writes; `finish()` waits for it (on_post_build)."""

    def __init__(self, pages: list[Page], *, config: MkDocsConfig, doc_files: Sequence[File], nav: Navigation,
                 env: Environment, stager: Stager | None) -> None:
        self.pages = pages
        self.stager = stager
        self.worker = Forked(lambda: _write(pages, config, doc_files, nav, env, stager))
        # From here on, this process only: those pages render empty, which MkDocs does not write.
        env.loader = ChoiceLoader([DictLoader({ELSEWHERE: ""}), env.loader])   # type: ignore[list-item]
        for page in pages:
            page.meta["template"] = ELSEWHERE
        self.quiet = _QuietSkips({page.file.src_uri for page in pages})
        logging.getLogger("mkdocs.commands.build").addFilter(self.quiet)

    def finish(self) -> str | None:
        """Wait for the fork; log its warnings here; return its error, if any."""
        waited = time.perf_counter()
        try:
            staged, records, error, seconds = self.worker.result()
        finally:
            logging.getLogger("mkdocs.commands.build").removeFilter(self.quiet)
        log.debug("htx: the fork wrote %d pages in %.1f s; waited for it %.1f s", len(self.pages), seconds,
                  time.perf_counter() - waited)
        for name, level, message in records:
            logging.getLogger(name).log(level, message)
        if self.stager is not None:
            self.stager.done.extend(staged)
        return error

    def cancel(self) -> None:
        logging.getLogger("mkdocs.commands.build").removeFilter(self.quiet)
        self.worker.cancel()
