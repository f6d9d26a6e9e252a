"""Where the project is: the folder holding mkdocs.yml (shared by the commands and the benchmarks)."""
from __future__ import annotations

from pathlib import Path

import click


def find_root(start: Path | None = None) -> Path:
    """Return the project folder: the nearest parent holding mkdocs.yml (else the working directory)."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "mkdocs.yml").is_file():
            return folder
    return Path.cwd()


root_option = click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=None,
                           help="Thư mục dự án (mặc định: thư mục gần nhất có mkdocs.yml).")
