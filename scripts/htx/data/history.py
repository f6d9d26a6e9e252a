"""The history of the profiles, read from git (`git log` and `git cat-file` through subprocess): when each
cooperative's profile first appeared, when each product id first appeared in it, and how many were on the site at
the end of each month. A copy without git history (a downloaded zip, git missing) gives None: pages then say the
history is unavailable instead of guessing.

Dates are the commit dates (when a change reached the repository), in Vietnam time.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from .events import TZ
from .load import is_ignored_folder

_PRODUCT_ID = re.compile(r"^\s+-\s+ma:\s*['\"]?([a-z0-9]+(?:-[a-z0-9]+)*)['\"]?\s*(?:#.*)?$", re.MULTILINE)
_SAMPLE = re.compile(r"^ho_so_mau:\s*['\"]?(có|co|true|yes|đúng|dung)['\"]?\s*(?:#.*)?$", re.MULTILINE | re.IGNORECASE)
GIT_TIMEOUT = 120


@dataclass
class History:
    """What the git history says about the profiles under one folder."""

    coops_added: dict[str, date] = field(default_factory=dict)      # slug → first day its profile was there
    products_added: dict[str, date] = field(default_factory=dict)   # "slug/id" → first day the id was there
    coops_removed: dict[str, date] = field(default_factory=dict)    # slug → day its profile was removed (not back)
    timeline: list[tuple[date, int, int]] = field(default_factory=list)   # (day, profiles, products) after each change
    commits: int = 0

    def totals_at(self, day: date) -> tuple[int, int] | None:
        """Return (profiles, products) in the repository at the end of day, or None before the first profile."""
        known = [(p, n) for d, p, n in self.timeline if d <= day]
        return known[-1] if known else None


def _git(args: list[str], cwd: Path, stdin: bytes | None = None) -> bytes | None:
    git = shutil.which("git")
    if git is None:
        return None
    try:
        done = subprocess.run([git, *args], cwd=cwd, input=stdin, capture_output=True, timeout=GIT_TIMEOUT,
                              env={"GIT_CONFIG_NOSYSTEM": "1", "HOME": "/nonexistent", "LC_ALL": "C",
                                   "PATH": "/usr/bin:/bin", "GIT_TERMINAL_PROMPT": "0"})
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def read_history(coops_dir: Path, *, include_samples: bool = True) -> History | None:
    """Return the history of the profiles under coops_dir, or None when there is no git history to read.

    A profile marked `ho_so_mau: có` counts only when include_samples (as on the site itself).
    """
    if not coops_dir.is_dir():
        return None
    top = _git(["rev-parse", "--show-toplevel"], coops_dir)
    if top is None:
        return None
    root = Path(top.decode("utf-8", "replace").strip())
    try:
        prefix = coops_dir.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return None
    prefix = "" if prefix == "." else prefix + "/"
    log = _git(["log", "--reverse", "--format=%x1e%H%x1f%cI", "--raw", "--no-abbrev", "--no-renames", "-z",
                "--", prefix or "."], root)
    if log is None:
        return None
    changes: list[tuple[date, str, str]] = []     # (day, slug, blob sha or "" when removed)
    commits = 0
    for record in log.decode("utf-8", "replace").split("\x1e")[1:]:
        head, _, raw = record.partition("\n")
        _sha, _, when = head.partition("\x1f")
        commits += 1
        day = datetime.fromisoformat(when.strip("\x00\n ")).astimezone(TZ).date()
        fields = raw.strip("\n\x00").split("\x00")
        # -z raw output: ":mode mode old new status" then the path, each NUL-terminated.
        for i in range(0, len(fields) - 1, 2):
            meta, path = fields[i].strip(), fields[i + 1]
            if not meta.startswith(":") or not path.startswith(prefix):
                continue
            parts = path[len(prefix):].split("/")
            if len(parts) != 2 or parts[1] != "profile.yml" or is_ignored_folder(parts[0]):
                continue
            bits = meta.split()
            new, status = bits[3], bits[4]
            changes.append((day, parts[0], "" if status.startswith("D") else new))
    blobs = _read_blobs(sorted({b for _d, _s, b in changes if b}), root)
    if blobs is None:
        return None
    history = History(commits=commits)
    present: dict[str, set[str]] = {}
    for day, slug, blob in changes:
        text = blobs.get(blob, "") if blob else ""
        if blob and (include_samples or not _SAMPLE.search(text)):
            ids = set(_PRODUCT_ID.findall(text))
            history.coops_added.setdefault(slug, day)
            history.coops_removed.pop(slug, None)
            for pid in sorted(ids):
                history.products_added.setdefault(f"{slug}/{pid}", day)
            present[slug] = ids
        elif slug in present:
            del present[slug]
            history.coops_removed[slug] = day
        history.timeline.append((day, len(present), sum(map(len, present.values()))))
    return history


def _read_blobs(shas: list[str], root: Path) -> dict[str, str] | None:
    """Return the text of each blob (one `git cat-file --batch` for all)."""
    if not shas:
        return {}
    out = _git(["cat-file", "--batch"], root, stdin=("\n".join(shas) + "\n").encode("ascii"))
    if out is None:
        return None
    texts: dict[str, str] = {}
    pos = 0
    for sha in shas:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        if len(header) < 3:        # "<sha> missing": a shallow clone
            pos = end + 1
            continue
        size = int(header[2])
        texts[sha] = out[end + 1:end + 1 + size].decode("utf-8-sig", "replace")
        pos = end + 1 + size + 1
    return texts
