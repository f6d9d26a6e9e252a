"""Hand-written pages: fill `<!-- htx:NAME -->` markers with blocks built from the data, and resolve
`[text](htx:coop)` / `[text](htx:coop/product)` links so that a wrong slug fails the build.
"""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable

import yaml

from .catalog import Catalog, coop_url, product_url
from .render import Rendered
from .text import format_date

MARKER = re.compile(r"<!--\s*htx:([a-z-]+)\s*-->")
LINK = re.compile(r"\]\(htx:([a-z0-9-]+)(?:/([a-z0-9-]+))?(#[^)\s]*)?\)")
DATA_BLOCKS = ("figures", "featured", "practice-examples", "latest-news")
Block = Callable[[str], str]  # page URL → Markdown/HTML to put where the marker stands


@dataclass(frozen=True)
class Post:
    title: str
    day: date
    url: str

    @property
    def date(self) -> str:
        return format_date(self.day)


def read_posts(folder: Path, today: date) -> list[Post]:
    """Return published news posts, newest first (drafts and future-dated posts left out)."""
    posts = []
    for path in sorted(folder.glob("**/*.md")):
        text = path.read_text(encoding="utf-8")
        if not text.startswith("---"):
            continue
        meta = yaml.safe_load(text.split("---", 2)[1]) or {}
        day = meta.get("date")
        day = day.get("created") if isinstance(day, dict) else day
        if meta.get("draft") or not isinstance(day, date) or day > today:
            continue
        slug = meta.get("slug") or path.stem
        posts.append(Post(str(meta.get("title", slug)), day if not hasattr(day, "date") else day, f"tin-tuc/{slug}/"))
    return sorted(posts, key=lambda p: (p.day, p.title), reverse=True)


def data_blocks(rendered: Rendered, posts: list[Post]) -> dict[str, Block]:
    """Return the blocks built from the cooperatives' data, by marker name."""
    def block(name: str) -> Block:
        extra = {"posts": posts[:5]} if name == "latest-news" else {}
        return lambda page_url: rendered.fragment(name, page_url, **extra)

    return {name: block(name) for name in DATA_BLOCKS}


def expand_markers(markdown: str, blocks: dict[str, Block], page_url: str) -> tuple[str, list[str]]:
    """Return markdown with every known marker replaced by its block, and the unknown marker names."""
    unknown: list[str] = []

    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name not in blocks:
            unknown.append(name)
            return match.group(0)
        return "\n" + blocks[name](page_url) + "\n"

    return MARKER.sub(replace, markdown), unknown


def resolve_links(markdown: str, catalog: Catalog, page_src: str) -> tuple[str, list[str]]:
    """Return markdown with `htx:` links made relative links to the pages' sources, and the missing targets.

    Links point at source files (`../hop-tac-xa/x.md`) so MkDocs checks and rewrites them as for any page,
    wherever the blog plugin puts the post.
    """
    missing: list[str] = []

    def replace(match: re.Match) -> str:
        coop, product, anchor = match.group(1), match.group(2), match.group(3) or ""
        if product:
            ok = f"{coop}/{product}" in catalog.items
            target = product_url(coop, product)
        else:
            ok = coop in catalog.entries
            target = coop_url(coop)
        if not ok:
            missing.append(f"htx:{coop}" + (f"/{product}" if product else ""))
            return match.group(0)
        source = target[:-1] + ".md"
        return f"]({posixpath.relpath(source, posixpath.dirname(page_src) or '.')}{anchor})"

    return LINK.sub(replace, markdown), missing
