#!/usr/bin/env python3
"""Check which paths a pull request touches, before anything of it is built.

Reads the changed paths (one a line, as `git diff --name-only --no-renames` prints them) on stdin and
the pull request's labels from $PR_LABELS (comma-separated, or a JSON list). Rules:

* a pull request changes at most one cooperative folder (`cooperatives/<ma>/`), unless staff put
  the label `nhieu-hop-tac-xa` on it;
* a pull request that changes a cooperative folder changes no code or site configuration
  (`scripts/`, `overrides/`, `.github/`, `mkdocs.yml`, `pyproject.toml`, the template `cooperatives/_mau/`
  and the generated schema): a profile never arrives together with what builds it.

Errors go to stdout as `::error::` workflow annotations, in Vietnamese; the exit status is 1 when
there is any. `--list-folders` prints the changed cooperative folders instead (one a line), for the
workflow to validate. Standard library only: this runs before the project is installed.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import PurePosixPath

MULTI_LABEL = "nhieu-hop-tac-xa"
COOPS = "cooperatives"
TEMPLATE = "_mau"
# Paths that build the site; never changed in the same pull request as a profile.
PROTECTED_DIRS = ("scripts/", "overrides/", ".github/", f"{COOPS}/{TEMPLATE}/")
PROTECTED_FILES = ("mkdocs.yml", "pyproject.toml", f"{COOPS}/profile.schema.json")


def parse_labels(text: str | None) -> set[str]:
    """Return the labels of $PR_LABELS: a JSON list, or names separated by commas or new lines."""
    text = (text or "").strip()
    if not text:
        return set()
    if text.startswith("["):
        try:
            return {str(x).strip() for x in json.loads(text) if str(x).strip()}
        except (ValueError, TypeError):
            pass
    return {part.strip() for part in text.replace("\n", ",").split(",") if part.strip()}


def read_paths(lines: list[str] | str) -> list[str]:
    """Return the non-empty paths of git's output, normalised to forward slashes without `./`."""
    if isinstance(lines, str):
        lines = lines.splitlines()
    out = []
    for line in lines:
        path = line.strip().strip('"').replace("\\", "/")
        while path.startswith("./"):
            path = path[2:]
        if path:
            out.append(path)
    return out


def cooperative_of(path: str) -> str | None:
    """Return the cooperative folder name a path is inside (None for anything else, the template included)."""
    parts = PurePosixPath(path).parts
    if len(parts) >= 3 and parts[0] == COOPS and parts[1] != TEMPLATE:
        return parts[1]
    return None


def is_protected(path: str) -> bool:
    return path in PROTECTED_FILES or any(path.startswith(d) for d in PROTECTED_DIRS)


def check(paths: list[str], labels: set[str]) -> list[str]:
    """Return the Vietnamese error messages for a pull request changing paths, with labels."""
    errors: list[str] = []
    folders = sorted({c for p in paths if (c := cooperative_of(p))})
    protected = sorted(p for p in paths if is_protected(p))
    if len(folders) > 1 and MULTI_LABEL not in labels:
        listed = ", ".join(f"{COOPS}/{f}/" for f in folders)
        errors.append(
            f"Pull request này sửa {len(folders)} thư mục hợp tác xã ({listed}). "
            f"Mỗi pull request chỉ nên sửa hồ sơ của một hợp tác xã: tách thành nhiều pull request, "
            f"hoặc nhờ biên tập viên gắn nhãn `{MULTI_LABEL}` nếu cần sửa nhiều hợp tác xã cùng lúc."
        )
    if folders and protected:
        shown = ", ".join(protected[:5]) + (f" và {len(protected) - 5} tệp khác" if len(protected) > 5 else "")
        errors.append(
            f"Pull request này sửa cả hồ sơ hợp tác xã và mã nguồn hoặc cấu hình của trang ({shown}). "
            "Hồ sơ và mã nguồn phải gửi trong hai pull request riêng."
        )
    return errors


def annotate(message: str) -> str:
    """Return message as a GitHub `::error::` workflow command (%, CR and LF escaped)."""
    body = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return f"::error title=Phạm vi pull request::{body}"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    paths = read_paths(sys.stdin.read())
    if "--list-folders" in argv:
        for folder in sorted({c for p in paths if (c := cooperative_of(p))}):
            print(f"{COOPS}/{folder}")
        return 0
    errors = check(paths, parse_labels(os.environ.get("PR_LABELS")))
    for error in errors:
        print(annotate(error))
    if errors:
        return 1
    folders = sorted({c for p in paths if (c := cooperative_of(p))})
    print(f"Phạm vi hợp lệ: {len(paths)} tệp thay đổi, {len(folders)} thư mục hợp tác xã.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
