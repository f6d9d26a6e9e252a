"""Scaffolds: a cooperative folder from the template, a news post with a Vietnamese-safe slug."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from .text import slugify

TEMPLATE_DIR = "_mau"
CATEGORIES = ("Chính sách", "Gương điển hình", "Xúc tiến thương mại", "Hướng dẫn")


def new_cooperative(coops: Path, name: str, slug: str | None = None) -> Path:
    """Create coops/<slug>/profile.yml from the template with the name and slug filled in; return its path."""
    slug = slug or slugify(name)
    if not slug.startswith(("htx-", "tht-", "lhhtx-", "to-hop-tac-", "lien-hiep-")):
        slug = slug.replace("hop-tac-xa-", "htx-", 1) if slug.startswith("hop-tac-xa-") else slug
    folder = coops / slug
    if folder.exists():
        raise FileExistsError(folder.name)
    template = (coops / TEMPLATE_DIR / "profile.yml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^ma: .*$", f"ma: {slug}", template, count=1)
    text = re.sub(r"(?m)^ten: .*$", "ten: " + _yaml_string(name), text, count=1)
    text = re.sub(r"(?m)^ho_so_mau: .*$", "ho_so_mau: không", text, count=1)
    (folder / "images").mkdir(parents=True)
    path = folder / "profile.yml"
    path.write_text(text, encoding="utf-8")
    return path


def new_post(posts: Path, title: str, day: date, category: str) -> Path:
    """Create a draft news post named by date and slug; return its path."""
    if category not in CATEGORIES:
        raise ValueError(f"Chuyên mục phải là một trong: {', '.join(CATEGORIES)}")
    slug = slugify(title)[:80].rstrip("-")
    path = posts / f"{day.isoformat()}-{slug}.md"
    if path.exists():
        raise FileExistsError(path.name)
    posts.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "---\n"
        f"title: {_yaml_string(title)}\n"
        "description: \"Tóm tắt một câu (dưới 160 ký tự).\"\n"
        f"date: {day.isoformat()}\n"
        "authors: [bientap]\n"
        f"categories: [{category}]\n"
        f"slug: {slug}\n"
        "draft: true\n"
        "---\n\n"
        f"# {title}\n\n"
        "Đoạn mở đầu (hiện trong danh sách tin).\n\n"
        "<!-- more -->\n\n"
        "Nội dung bài viết.\n",
        encoding="utf-8",
    )
    return path


def _yaml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
