"""News posts' front matter (`content/tin-tuc/posts/*.md`), read as MkDocs reads it: YAML that does not parse
counts as none. The plugin's "latest news" blocks (htx.site.handwritten.read_posts) and the plan's indicators
(htx.site.indicators) use the same reading."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import yaml

POSTS_DIR = "tin-tuc/posts"   # under docs_dir (content/)


@dataclass(frozen=True)
class PostMeta:
    path: Path
    title: str
    slug: str
    day: date
    categories: tuple[str, ...]


def read_post_meta(folder: Path) -> list[PostMeta]:
    """Return the dated posts under folder that are not drafts, in path order."""
    out = []
    for path in sorted(folder.glob("**/*.md")) if folder.is_dir() else []:
        text = path.read_text(encoding="utf-8")
        if not text.startswith("---"):
            continue
        try:
            meta = yaml.safe_load(text.split("---", 2)[1])
        except yaml.YAMLError:
            continue
        if not isinstance(meta, dict):
            continue
        day = meta.get("date")
        day = day.get("created") if isinstance(day, dict) else day
        if isinstance(day, datetime):   # `date: 2026-11-25 08:00:00`: the day is what a reader sees
            day = day.date()
        if meta.get("draft") or not isinstance(day, date):
            continue
        slug = str(meta.get("slug") or path.stem)
        cats = meta.get("categories") or []
        out.append(PostMeta(path, str(meta.get("title", slug)), slug, day,
                            tuple(str(c) for c in cats) if isinstance(cats, list) else (str(cats),)))
    return out
