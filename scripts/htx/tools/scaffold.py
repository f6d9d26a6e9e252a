"""Scaffolds: a cooperative folder from the template, a news post with a Vietnamese-safe slug."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from ..data.text import slugify

TEMPLATE_DIR = "_mau"
CATEGORIES = ("Chính sách", "Gương điển hình", "Xúc tiến thương mại", "Hướng dẫn")
# Front-matter values `htx post` writes for the author to replace; a post still holding one is not ready.
POST_PLACEHOLDERS = {"description": "Tóm tắt một câu (dưới 160 ký tự)."}
POST_BODY_PLACEHOLDERS = ("Đoạn mở đầu (hiện trong danh sách tin).", "Nội dung bài viết.")


def _today() -> date:
    from ..data.dates import build_date  # the site's "today" (SOURCE_DATE_EPOCH when set)

    return build_date()


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
    # Whoever makes the profile confirms its information today; the template's date would be a false claim.
    text = re.sub(r"(?m)^xac_nhan_ngay: .*$", "xac_nhan_ngay: " + _today().strftime("%d/%m/%Y"), text, count=1)
    (folder / "images").mkdir(parents=True)
    path = folder / "profile.yml"
    path.write_text(text, encoding="utf-8")
    return path


def new_event(content: Path, name: str, day: date, slug: str | None = None) -> Path:
    """Create content/su-kien/<year>/<slug>.yml from the events' template, name and start day filled in."""
    from ..data.events import EVENTS_DIR, TEMPLATE_NAME

    folder = content / EVENTS_DIR
    slug = slug or slugify(name)[:80].rstrip("-")
    path = folder / str(day.year) / f"{slug}.yml"
    if path.exists() or any(folder.glob(f"*/{slug}.yml")):
        raise FileExistsError(f"{slug}.yml")
    text = (folder / TEMPLATE_NAME).read_text(encoding="utf-8")
    text = re.sub(r"(?m)^ten: .*$", "ten: " + _yaml_string(name), text, count=1)
    text = re.sub(r"(?m)^su_kien_mau: .*$", "su_kien_mau: không", text, count=1)
    shown = day.strftime("%d/%m/%Y")
    text = re.sub(r"(?m)^bat_dau: .*$", f"bat_dau: {shown} 08:00", text, count=1)
    text = re.sub(r"(?m)^ket_thuc: .*$", f"ket_thuc: {shown} 17:00", text, count=1)
    path.parent.mkdir(parents=True, exist_ok=True)
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
        f"description: {_yaml_string(POST_PLACEHOLDERS['description'])}\n"
        f"date: {day.isoformat()}\n"
        "authors: [bientap]\n"
        f"categories: [{category}]\n"
        f"slug: {slug}\n"
        "draft: true\n"
        "---\n\n"
        f"# {title}\n\n"
        f"{POST_BODY_PLACEHOLDERS[0]}\n\n"
        "<!-- more -->\n\n"
        f"{POST_BODY_PLACEHOLDERS[1]}\n",
        encoding="utf-8",
    )
    return path


def post_placeholders(meta: dict) -> list[str]:
    """Return the placeholder values `htx post` wrote that are still in a post's front matter, by key order."""
    found = []
    for key, placeholder in POST_PLACEHOLDERS.items():
        value = meta.get(key)
        if isinstance(value, str) and " ".join(value.split()) == placeholder:
            found.append(placeholder)
    return found


def post_body_placeholders(markdown: str) -> list[str]:
    """Return the placeholder paragraphs `htx post` wrote that are still, alone on their line, in a post's body."""
    lines = {line.strip() for line in markdown.splitlines()}
    return [p for p in POST_BODY_PLACEHOLDERS if p in lines]


def _yaml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
