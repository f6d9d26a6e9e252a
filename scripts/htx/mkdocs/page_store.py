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


def link(source: str, target: str) -> None:
    """Put source's bytes at target: a hard link where the file system allows one, else a copy.

    The link is tried first, its folder made only when missing: a rebuild links 14,000 pages and 20,000 search
    files, most into folders that exist, and a mkdir per file was half of that time."""
    try:
        _link(source, target)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        _link(source, target)


def _link(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except FileExistsError:
        os.unlink(target)
        os.link(source, target)
    except FileNotFoundError:
        raise
    except OSError:            # another file system, or links not allowed
        shutil.copyfile(source, target)


def link_tree(source: Path, target: Path) -> None:
    """Link every file under source to the same place under target (the search index, kept and reused)."""
    for root, dirs, files in os.walk(source):
        dirs.sort()
        folder = os.path.join(target, os.path.relpath(root, source))
        os.makedirs(folder, exist_ok=True)
        for name in sorted(files):
            link(os.path.join(root, name), os.path.join(folder, name))


class PageStore:
    """Files by key under folder/ab/<key><suffix>; `prune` drops the keys a build did not use."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.root = os.fspath(folder)

    # Paths as text: a rebuild asks for 30,000 of them, and pathlib's objects cost more than the stat() itself.
    def path(self, key: str, suffix: str = ".html") -> str:
        return f"{self.root}/{key[:2]}/{key}{suffix}"

    def find(self, key: str, suffix: str = ".html") -> str | None:
        path = self.path(key, suffix)
        return path if os.path.isfile(path) else None

    def put(self, key: str, data: bytes, suffix: str = ".html") -> str:
        path = self.path(key, suffix)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        partial = f"{path}.{os.getpid()}.tmp"
        with open(partial, "wb") as out:
            out.write(data)
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
