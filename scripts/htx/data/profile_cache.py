"""Validated profiles kept between builds: a rebuild reads and checks again only the profiles that changed.

Reading a profile (YAML with every position) and checking it costs ~2 ms; a national catalog has 34,000.
The result of `validate_document` (the model, the resolved communes and photos, the positions the catalog
needs, and the problems found) is stored as JSON under a key of everything validation reads: the profile's
bytes, its name and folder, the size and modification time of every other file in its folder (photos), the
build's "today", whether photos are checked, and htx's own code. A stored result is turned back into an
Entry by the model itself (`Cooperative.model_validate`), so a cached profile is the same value as a fresh one.
JSON, not pickle: a cache folder must never be a way to run code.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from .communes import load_communes
from .model import Cooperative
from .problems import Problem
from .validate import Entry

VERSION = "1"
_PACKAGE = Path(__file__).resolve().parents[1]


@cache
def code_key() -> str:
    """A hash of htx's Python code and its lists of units: any change validates every profile again."""
    digest = hashlib.sha256(VERSION.encode())
    for path in sorted(p for p in _PACKAGE.rglob("*") if p.suffix in (".py", ".tsv")):   # code and unit lists
        digest.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def profile_key(path: Path, display: str, *, with_images: bool, today: date, data: bytes) -> str:
    """The key of one profile's validation: what it reads (data: the profile's bytes, htx.data.load.file_bytes),
    and the code that reads it."""
    # The folder's absolute path: an entry names its folder and photos by it (a copied project validates anew).
    digest = hashlib.sha256(f"{code_key()}\0{display}\0{path.parent.resolve()}\0{with_images}\0{today}\0".encode())
    digest.update(data)
    stack = [("", str(path.parent))]
    while stack:   # every other file under the folder, by name, with its size and modification time
        prefix, folder = stack.pop()
        with os.scandir(folder) as found:
            items = sorted(found, key=lambda e: e.name)
        for item in items:
            if item.is_dir(follow_symlinks=False):
                stack.append((f"{prefix}{item.name}/", item.path))
            elif not (prefix == "" and item.name == path.name):
                stat = item.stat(follow_symlinks=False)
                digest.update(f"\0{prefix}{item.name}\0{stat.st_size}\0{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def _entry_data(entry: Entry) -> dict[str, Any]:
    return {"coop": entry.coop.model_dump(mode="json", by_alias=True), "file": entry.file, "folder": str(entry.folder),
            "commune": entry.commune.code, "origins": {k: v.code for k, v in entry.origins.items()},
            "images": {k: asdict(v) for k, v in entry.images.items()},
            "positions": [[list(loc), list(at)] for loc, at in entry.positions.items()]}


def _entry(data: dict[str, Any]) -> Entry:
    from ..publish.images import ImageInfo

    units = load_communes().by_code
    return Entry(Cooperative.model_validate(data["coop"]), data["file"], Path(data["folder"]), units[data["commune"]],
                 {k: units[v] for k, v in data["origins"].items()},
                 {k: ImageInfo(**v) for k, v in data["images"].items()},
                 positions={tuple(loc): tuple(at) for loc, at in data["positions"]})


class ProfileCache:
    """Validation results by profile key under folder (none kept when folder is None)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.hits = 0

    def path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> tuple[Entry | None, list[Problem]] | None:
        if self.folder is None:
            return None
        try:
            data = json.loads(self.path(key).read_text(encoding="utf-8"))
            found = (_entry(data["entry"]) if data["entry"] is not None else None,
                     [Problem(**p) for p in data["problems"]])
        except (OSError, ValueError, KeyError, TypeError):   # none stored, or from another version: validate
            return None
        self.hits += 1
        return found

    def put(self, key: str, entry: Entry | None, problems: list[Problem]) -> None:
        if self.folder is None:
            return
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        partial.write_text(json.dumps({"entry": _entry_data(entry) if entry is not None else None,
                                       "problems": [asdict(p) for p in problems]}, ensure_ascii=False), encoding="utf-8")
        os.replace(partial, path)
