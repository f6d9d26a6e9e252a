"""Build glue: rendered pages kept between builds, by a key of everything they show.

A generated page's key (htx.mkdocs.generated) hashes its body, title, structured data and the theme's
fingerprint; the page as written (and its search record) is stored under that key. A rebuild
links the stored file into the new site instead of rendering the theme again, so an unchanged page costs
one hard link. Files are written to a temporary name and renamed: forked writers may store the same key.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path


def link(source: Path, target: Path) -> None:
    """Put source's bytes at target: a hard link where the file system allows one, else a copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except FileExistsError:
        target.unlink()
        os.link(source, target)
    except OSError:            # another file system, or links not allowed
        shutil.copyfile(source, target)


def link_tree(source: Path, target: Path) -> None:
    """Link every file under source to the same place under target (the search index, kept and reused)."""
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        link(path, target / path.relative_to(source))


class PageStore:
    """Files by key under folder/ab/<key><suffix>; `prune` drops the keys a build did not use."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, key: str, suffix: str = ".html") -> Path:
        return self.folder / key[:2] / f"{key}{suffix}"

    def find(self, key: str, suffix: str = ".html") -> Path | None:
        path = self.path(key, suffix)
        return path if path.is_file() else None

    def put(self, key: str, data: bytes, suffix: str = ".html") -> Path:
        path = self.path(key, suffix)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        partial.write_bytes(data)
        os.replace(partial, path)
        return path

    def prune(self, keep: set[str]) -> int:
        """Delete every stored file whose key is not in keep; return how many were deleted."""
        if not self.folder.is_dir():
            return 0
        removed = 0
        for sub in os.scandir(self.folder):
            if not sub.is_dir():
                continue
            for entry in os.scandir(sub.path):
                if entry.name.split(".", 1)[0] not in keep:
                    os.unlink(entry.path)
                    removed += 1
        return removed
