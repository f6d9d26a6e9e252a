"""Scaffolds: a cooperative folder from the template, a news post with a Vietnamese-safe slug."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from urllib.parse import urlsplit

from ..data.text import fold, slugify

TEMPLATE_DIR = "_mau"
CATEGORIES = ("Chính sách", "Gương điển hình", "Xúc tiến thương mại", "Hướng dẫn")
# Front-matter values `htx post` writes for the author to replace; a post still holding one is not ready.
POST_PLACEHOLDERS = {"description": "Tóm tắt một câu (dưới 160 ký tự)."}
POST_BODY_PLACEHOLDERS = ("Đoạn mở đầu (hiện trong danh sách tin).", "Nội dung bài viết.")


# Example values of cooperatives/_mau/profile.yml that are not facts of any cooperative: a profile still
# holding one fails validation (each is named), so a profile made by `htx new` cannot go live unedited.
# Generic values a real profile may share (a commune, "Giám đốc", a category, numbers) are not listed.
PROFILE_PLACEHOLDERS = (
    "htx-ten-cua-ban",
    "Hợp tác xã Nông nghiệp Ví Dụ",
    "HTX Ví Dụ",
    "1600123456",
    "htx.vidu@gmail.com",
    "Cửa hàng tại trụ sở, mở cửa 7 giờ – 17 giờ",
    "Hợp tác xã của 25 hộ trồng lúa, cung ứng giống, vật tư và bao tiêu lúa cho thành viên.",
    "Hợp tác xã ra đời từ một tổ hợp tác của bà con trong ấp.\n\n- Năm đầu: 10 thành viên.\n- Nay: 25 thành viên.\n",
    "Công ty ví dụ",
    "VG-01-2024",
    "Tổ chức chứng nhận ví dụ",
    "gao-vi-du-5kg",
    "Gạo thơm Ví Dụ túi 5 kg",
    "Gạo thơm dẻo, trồng theo quy trình VietGAP.",
    "Gạo được xay xát trong ngày, đóng túi hút chân không.\n",
    "1234/QĐ-UBND",
    "10.2986",
    "105.2603",
)
# The template's phone number, compared by its digits wherever a phone or Zalo number is written.
PHONE_PLACEHOLDER = "0912345678"
_PHONE_KEYS = ("dien_thoai", "zalo")
_PLACEHOLDER_KEYS = {" ".join(fold(v).split()) for v in PROFILE_PLACEHOLDERS}


def _today() -> date:
    from ..site.catalog import build_date  # the site's "today" (SOURCE_DATE_EPOCH when set)

    return build_date()


def _is_placeholder_link(text: str) -> bool:
    """Tell a template link: a host under `example` (vidu.example.vn) or a `htxvidu` account."""
    try:
        parts = urlsplit(text.strip())
    except ValueError:
        return False
    host = (parts.hostname or "").lower()
    return parts.scheme.lower() in ("http", "https") and (
        "example" in host.split(".") or host.startswith("vidu.") or "htxvidu" in fold(parts.path))


def profile_placeholders(data: object, loc: tuple = ()) -> list[tuple[tuple, str]]:
    """Return (location, value) of every template example value still in a profile's data, in file order."""
    found: list[tuple[tuple, str]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            found += profile_placeholders(value, loc + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += profile_placeholders(value, loc + (i,))
    elif isinstance(data, str):
        phone_field = any(k in _PHONE_KEYS for k in loc if isinstance(k, str))
        if (" ".join(fold(data).split()) in _PLACEHOLDER_KEYS or _is_placeholder_link(data)
                or phone_field and "".join(ch for ch in data if ch.isdigit()).removeprefix("84") in
                (PHONE_PLACEHOLDER, PHONE_PLACEHOLDER[1:])):
            found.append((loc, data))
    return found


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
