"""Share images: a 1200×630 Open Graph card per product and cooperative — the photo (or the category's
colours), the name with its Vietnamese diacritics, the cooperative, the price and the OCOP stars.

plan_share() is pure: it names a card by the hash of everything drawn on it (the text, the photo's content
hash, the drawing settings, the bundled fonts), so render.py puts the card's URL into og:image before any
pixel exists. write_share_images() (the plugin calls it in on_post_build) draws the missing cards into the
image cache in worker processes and links them into the site, like the photo variants: a card whose
inputs did not change is never drawn again, and the same inputs always give the same bytes. The cards of
one source photo are drawn together, from one decode and one crop of it: a photo reused by many products
is not decoded once per card.

Fonts: HTX Sans, a subset of DejaVu Sans (fonts/README.md), drawn with Pillow's basic layout engine (no
libraqm): Vietnamese is written with precomposed letters once the text is NFC-normalised.
"""
from __future__ import annotations

import hashlib
import io
import json
import math
import os
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

from PIL import Image, ImageDraw, ImageFont, ImageOps

from .images import URL_DIR, ImageInfo, cache_dir, load_upright, publish, run_jobs

WIDTH, HEIGHT = 1200, 630          # what Facebook, Zalo, X and LinkedIn show without cropping (1.91:1)
PANEL = 600                        # the picture fills the left half
PAD = 52
JPEG_QUALITY = 82
SETTINGS = f"og-{WIDTH}x{HEIGHT}-q{JPEG_QUALITY}-420-v1"
FONTS = Path(__file__).parent / "fonts"
BOLD = FONTS / "HTXSans-Bold.ttf"
REGULAR = FONTS / "HTXSans-Regular.ttf"

WHITE = (255, 255, 255)
GREEN = (46, 125, 50)              # the site's --htx-primary
DARK_GREEN = (27, 94, 32)
INK = (33, 33, 33)
MUTED = (79, 79, 79)
PRICE = (183, 28, 28)
OCOP_BG = (62, 39, 35)             # the site's OCOP badge: gold stars on dark brown
GOLD = (255, 213, 79)
# The category illustrations' own colours (overrides/assets/htx/categories/<icon>.svg: background,
# circle, ground): Pillow can't draw SVG, so a card without a photo repeats their shapes flat.
ILLUSTRATION: dict[str, tuple[str, str, str]] = {
    "gao": ("#fbf1d6", "#f5e2ad", "#e8cf8e"), "trai-cay": ("#fde9de", "#fbd3bf", "#f1b9a0"),
    "mam": ("#f4ebdd", "#eadbc2", "#d9c3a0"), "kho": ("#e3eff5", "#cde2ec", "#b3cfdc"),
    "thit": ("#fbe6e3", "#f6cdc7", "#eab0a8"), "banh": ("#f8eedb", "#f0dcb4", "#e0c48c"),
    "do-uong": ("#e6eefb", "#d2e0f6", "#b5c9ea"), "duoc-lieu": ("#e5f3e4", "#cfe8cd", "#afd6ab"),
    "thu-cong": ("#f3eaf6", "#e5d3ec", "#d0b6dc"), "sinh-vat-canh": ("#e6f2e8", "#cfe6d4", "#b1d3b8"),
    "du-lich": ("#dff1f7", "#ffd54f", "#4fa3c7"),
}
_BRAND_COLOURS = ("#edf6ed", "#c8e6c9", "#a5d6a7")   # cooperatives without any picture


@dataclass(frozen=True)
class SharePhoto:
    """The picture of a card: a checked source photo (cover: fills the panel) or a logo (contain)."""

    path: str
    sha: str
    width: int
    height: int
    fit: str = "cover"


@dataclass(frozen=True)
class SharePlan:
    """Everything drawn on one card, and its content-derived name."""

    key: str
    title: str
    kicker: str                   # the small line above the title
    lines: tuple[str, ...]        # under the title: cooperative, place
    price: str
    stars: int                    # OCOP stars to show, 0 for none
    stars_note: str               # beside the stars ("4 sao", "sản phẩm 4 sao")
    site: str                     # the site's host name, bottom right
    illustration: str             # category icon whose colours fill the panel when there is no picture
    photo: SharePhoto | None
    sample: bool = False          # a sample (fictional) profile: the card says "Hồ sơ mẫu", as its page does
    words: tuple[str, ...] = ()   # another language's brand line and sample label (English pages); () is Vietnamese

    @property
    def name(self) -> str:
        return f"{self.key[:20]}-chia-se.jpg"

    @property
    def url(self) -> str:
        return f"{URL_DIR}/{self.name}"


def share_plan(data: dict) -> SharePlan:
    """A plan from its fields (dataclasses.asdict), as htx.mkdocs.generated keeps it between builds."""
    photo = SharePhoto(**data["photo"]) if data.get("photo") else None
    return SharePlan(**{**data, "lines": tuple(data["lines"]), "photo": photo, "words": tuple(data.get("words", ()))})


@lru_cache(maxsize=1)
def font_hash() -> str:
    """Return a hash of the bundled fonts (part of every card's key: a new font redraws every card)."""
    digest = hashlib.sha256()
    for path in (BOLD, REGULAR):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _clean(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def plan_share(*, title: str, kicker: str = "", lines: Iterable[str] = (), price: str = "", stars: int = 0,
               stars_note: str = "", site: str = "", illustration: str = "", photo: ImageInfo | None = None,
               logo: ImageInfo | None = None, sample: bool = False, words: tuple[str, ...] = ()) -> SharePlan:
    """Return the card of a page (pure: nothing is read or drawn). photo wins over logo, logo over colours."""
    picture = None
    if photo is not None:
        picture = SharePhoto(photo.path, photo.sha, photo.width, photo.height, "cover")
    elif logo is not None:
        picture = SharePhoto(logo.path, logo.sha, logo.width, logo.height, "contain")
    fields = [SETTINGS, font_hash(), _clean(title), _clean(kicker), [_clean(x) for x in lines if x], _clean(price),
              int(stars), _clean(stars_note), site, illustration,
              None if picture is None else [picture.sha, picture.fit, picture.width, picture.height]]
    if sample:   # only then: the keys (file names) of every other card stay what they were
        fields.append("sample")
    if words:    # likewise: Vietnamese cards keep their keys
        fields.append(list(words))
    key = hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode("utf-8")).hexdigest()
    return SharePlan(key, fields[2], fields[3], tuple(fields[4]), fields[5], fields[6], fields[7], site,
                     illustration, picture, bool(sample), tuple(words))


# ---- drawing --------------------------------------------------------------------------------------

@lru_cache(maxsize=32)
def _font(bold: bool, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(BOLD if bold else REGULAR), size, layout_engine=ImageFont.Layout.BASIC)


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int, max_lines: int) -> tuple[list[str], bool]:
    """Break text into at most max_lines lines no wider than width; return them and whether all fitted.

    Words are kept whole unless one alone is too wide; text that does not fit ends with "…".
    """
    words = text.split()
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if font.getlength(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word
        while font.getlength(current) > width:   # a single word wider than the line: cut it
            cut = len(current) - 1
            while cut > 1 and font.getlength(current[:cut]) > width:
                cut -= 1
            lines.append(current[:cut])
            current = current[cut:]
    if current:
        lines.append(current)
    if len(lines) <= max_lines:
        return lines, True
    kept = lines[:max_lines]
    last = kept[-1]
    while last and font.getlength(last + "…") > width:
        last = last[:-1].rstrip()
    kept[-1] = last + "…"
    return kept, False


def _fit(plan: SharePlan) -> str:
    return plan.photo.fit if plan.photo is not None else "contain"


def crop(picture: Image.Image, fit: str) -> Image.Image:
    """Return what a card shows of its picture: a photo cropped to fill the panel, or a logo within 300 px."""
    if fit == "cover":
        return ImageOps.fit(picture, (PANEL, HEIGHT), Image.Resampling.LANCZOS, centering=(0.5, 0.45))
    return ImageOps.contain(picture, (300, 300), Image.Resampling.LANCZOS)


def _picture_panel(canvas: Image.Image, plan: SharePlan, shown: Image.Image | None) -> None:
    """Fill the left half: shown is crop() of the card's picture, or None for the category's colours."""
    draw = ImageDraw.Draw(canvas)
    if shown is not None and _fit(plan) == "cover":
        canvas.paste(shown, (0, 0))
        return
    background, circle, ground = (_rgb(c) for c in ILLUSTRATION.get(plan.illustration, _BRAND_COLOURS))
    draw.rectangle((0, 0, PANEL - 1, HEIGHT - 1), fill=background)
    if shown is not None:   # a logo: on a white disc, whole
        draw.ellipse((PANEL // 2 - 230, HEIGHT // 2 - 230, PANEL // 2 + 230, HEIGHT // 2 + 230), fill=WHITE)
        canvas.paste(shown, (PANEL // 2 - shown.width // 2, HEIGHT // 2 - shown.height // 2))
        return
    # The illustrations' composition: a sun-like disc over a ground shadow, and a few grains or leaves.
    cx, cy, r = PANEL // 2, HEIGHT // 2 - 20, 205
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=circle)
    draw.ellipse((cx - 220, HEIGHT - 120, cx + 220, HEIGHT - 76), fill=ground)
    for dx, dy, w, h in ((-70, 40, 70, 150), (0, 10, 80, 190), (75, 45, 70, 145)):
        draw.ellipse((cx + dx - w // 2, cy + dy - h // 2, cx + dx + w // 2, cy + dy + h // 2), fill=ground)


def _stars_badge(draw: ImageDraw.ImageDraw, x: int, y: int, stars: int, note: str) -> None:
    label, mark = _font(True, 26), _font(True, 30)
    text_w = label.getlength("OCOP")
    stars_text = "★" * stars
    stars_w = mark.getlength(stars_text)
    height = 52
    split = x + 18 + text_w + 14
    right = split + 14 + stars_w + 18
    draw.rounded_rectangle((x, y, right, y + height), radius=10, fill=OCOP_BG)
    draw.text((x + 18, y + height // 2), "OCOP", font=label, fill=WHITE, anchor="lm")
    draw.line((split, y + 10, split, y + height - 10), fill=(120, 95, 90), width=2)
    draw.text((split + 14, y + height // 2 + 1), stars_text, font=mark, fill=GOLD, anchor="lm")
    room = WIDTH - PAD - (right + 16)
    for size in (26, 23, 20):   # the note beside the badge, smaller when long; left out when it can't fit
        if note and _font(False, size).getlength(note) <= room:
            draw.text((right + 16, y + height // 2), note, font=_font(False, size), fill=INK, anchor="lm")
            break


SAMPLE_TEXT = "HỒ SƠ MẪU"
SAMPLE_BG = (255, 248, 225)        # the site's sample badge (.htx-badge--sample): brown on light amber
SAMPLE_INK = (122, 69, 0)
SAMPLE_LINE = (199, 120, 0)


def _sample_badge(draw: ImageDraw.ImageDraw, right: int, y: int, text: str = SAMPLE_TEXT) -> None:
    """Draw the "HỒ SƠ MẪU" label, right-aligned at `right`: a shared sample card must not pass for a real one."""
    font = _font(True, 22)
    width = font.getlength(text)
    draw.rounded_rectangle((right - width - 28, y, right, y + 38), radius=8, fill=SAMPLE_BG, outline=SAMPLE_LINE, width=2)
    draw.text((right - 14, y + 19), text, font=font, fill=SAMPLE_INK, anchor="rm")


def draw_share(plan: SharePlan, picture: Image.Image | None = None) -> Image.Image:
    """Return the card as an RGB image (picture: the photo or logo, upright sRGB, or None)."""
    return _draw_cropped(plan, None if picture is None else crop(picture, _fit(plan)))


def _draw_cropped(plan: SharePlan, shown: Image.Image | None) -> Image.Image:
    canvas = Image.new("RGB", (WIDTH, HEIGHT), WHITE)
    _picture_panel(canvas, plan, shown)
    draw = ImageDraw.Draw(canvas)
    x, width = PANEL + PAD, WIDTH - PANEL - 2 * PAD
    draw.rectangle((PANEL, 0, WIDTH, 12), fill=GREEN)
    brand, sample_text = plan.words[:2] if len(plan.words) >= 2 else ("HỢP TÁC XÃ AN GIANG", SAMPLE_TEXT)
    draw.text((x, 44), brand, font=_font(True, 22), fill=DARK_GREEN, anchor="la")
    if plan.sample:
        _sample_badge(draw, WIDTH - PAD, 36, sample_text)
    bottom = HEIGHT - PAD - (52 + 24 if plan.stars else 0)   # room kept for the OCOP badge
    # Largest title size whose lines, and what follows, fit above the badge.
    for size, max_lines in ((62, 2), (54, 3), (46, 3), (40, 4)):
        title_font = _font(True, size)
        title, complete = wrap(plan.title, title_font, width, max_lines)
        step = round(size * 1.2)
        extra = [(wrap(line, _font(False, 28), width, 2)[0]) for line in plan.lines]
        height = (40 if plan.kicker else 0) + len(title) * step + 16 + sum(len(e) * 38 for e in extra) \
            + (62 if plan.price else 0)
        if complete and 92 + height <= bottom:
            break
    y = 92
    if plan.kicker:
        kicker = wrap(plan.kicker, _font(False, 24), width, 1)[0][0]
        draw.text((x, y), kicker, font=_font(False, 24), fill=MUTED, anchor="la")
        y += 40
    for line in title:
        draw.text((x, y), line, font=title_font, fill=INK, anchor="la")
        y += step
    y += 16
    for block in extra:
        for line in block:
            draw.text((x, y), line, font=_font(False, 28), fill=MUTED, anchor="la")
            y += 38
    if plan.price:
        draw.text((x, y + 10), plan.price, font=_font(True, 38), fill=PRICE, anchor="la")
    if plan.stars:
        _stars_badge(draw, x, HEIGHT - PAD - 52 - 20, plan.stars, plan.stars_note)
    if plan.site:
        site_font = _font(False, 20)
        draw.text((WIDTH - PAD + 20, HEIGHT - 22), plan.site, font=site_font, fill=MUTED, anchor="rs")
    return canvas


def _need(photo: SharePhoto) -> tuple[int, int]:
    """The smallest upright size to decode a picture at for its panel (cover: fill it; contain: 300 px)."""
    scale = max(PANEL / photo.width, HEIGHT / photo.height) if photo.fit == "cover" else min(300 / photo.width, 300 / photo.height)
    scale = min(1.0, scale)
    return math.ceil(photo.width * scale), math.ceil(photo.height * scale)


def _source(photo: SharePhoto) -> bytes:
    data = Path(photo.path).read_bytes()
    if hashlib.sha256(data).hexdigest() != photo.sha:
        raise RuntimeError(f"{photo.path}: ảnh đã thay đổi trong lúc dựng trang; dựng lại trang")
    return data


def _crops(plans: list[SharePlan]) -> dict[str, Image.Image]:
    """Return the crop of each fit the plans (all of one source photo) need, decoding the source once.

    Only a JPEG decodes differently for another size wanted (DCT scaling, see load_upright): it alone may
    be decoded a second time, at a reduced scale. One full-size picture at most is held at a time.
    """
    photos = {_fit(plan): plan.photo for plan in plans if plan.photo is not None}
    if not photos:
        return {}
    data = _source(next(iter(photos.values())))
    scaled = data.startswith(b"\xff\xd8\xff")
    crops: dict[str, Image.Image] = {}
    decoded, picture = None, None
    for fit in sorted(photos):
        need = _need(photos[fit])
        if picture is None or (scaled and need != decoded):
            picture = None   # let the previous decode go before the next one
            picture, decoded = load_upright(data, need), need
        crops[fit] = crop(picture, fit)
    return crops


def _encode(card: Image.Image) -> bytes:
    buffer = io.BytesIO()
    card.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, subsampling=2)
    return buffer.getvalue()


def render_card(plan: SharePlan) -> bytes:
    """Return the JPEG bytes of a card (reads its picture, if any)."""
    return _encode(_draw_cropped(plan, _crops([plan]).get(_fit(plan))))


def _draw_group(job: tuple[list[SharePlan], str]) -> int:
    """Draw the missing cards of one source photo (or one card without a photo); return how many."""
    plans, out_dir = job
    missing = [plan for plan in plans if not (Path(out_dir) / plan.name).exists()]
    crops = _crops(missing)
    for plan in missing:
        target = Path(out_dir) / plan.name
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(_encode(_draw_cropped(plan, crops.get(_fit(plan)))))
        tmp.replace(target)
    return len(missing)


def write_share_images(plans: Iterable[SharePlan], site_dir: Path, *, workers: int | None = None,
                       progress: Callable[[int, int], None] | None = None) -> dict[str, int]:
    """Draw the missing cards into the cache (in parallel), then link every card into site_dir/anh/.

    Returns counts: `drawn` (cards drawn this run) and `published` (files added to the site).
    """
    store = cache_dir() / "share"
    store.mkdir(parents=True, exist_ok=True)
    unique = {plan.key: plan for plan in plans}
    groups: dict[str, list[SharePlan]] = {}
    for plan in unique.values():
        if not (store / plan.name).exists():
            groups.setdefault(plan.photo.sha if plan.photo else plan.key, []).append(plan)
    # Biggest sources and groups first: the pool's last jobs are then short, and both cores finish together.
    jobs = sorted(((group, str(store)) for group in groups.values()),
                  key=lambda job: (-(job[0][0].photo.width * job[0][0].photo.height if job[0][0].photo else 0), -len(job[0])))
    drawn = run_jobs(_draw_group, jobs, workers, progress)
    published = sum(publish(store / plan.name, site_dir / plan.url) for plan in unique.values())
    return {"drawn": drawn, "published": published, "cards": len(unique)}
