"""Share cards (og:image, 1200×630) and QR codes: planned purely, drawn deterministically, cached by
content, wired into the pages; the QR code of a page decodes to the page's canonical URL."""
from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image, ImageDraw, ImageFont

from htx.publish import qr

from htx.publish import share
from htx.publish.images import inspect_image
from tests.conftest import REPO

VIETNAMESE = ("aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ"
              "AÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬEÈÉẺẼẸÊỀẾỂỄỆIÌÍỈĨỊOÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢUÙÚỦŨỤƯỪỨỬỮỰYỲÝỶỸỴĐ★₫–—…·")


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTX_CACHE_DIR", str(tmp_path / "cache"))


def photo(tmp_path: Path, colour=(200, 40, 40), size=(1600, 1200), name="a.jpg"):
    path = tmp_path / name
    Image.new("RGB", size, colour).save(path, "JPEG", quality=95)
    info, error = inspect_image(path)
    assert info is not None, error
    return info


def card(**kw) -> share.SharePlan:
    values = dict(title="Mắm cá linh Châu Đốc", kicker="Sản phẩm · Mắm, nước mắm và gia vị",
                  lines=["Hợp tác xã Mắm Châu Đốc", "Phường Châu Đốc, An Giang"], price="120.000 ₫ / hũ 500 g",
                  stars=4, stars_note="4 sao", site="htx.angiang.example", illustration="mam")
    values.update(kw)
    return share.plan_share(**values)


# ---- the card --------------------------------------------------------------------------------------

def test_bundled_font_draws_every_vietnamese_letter() -> None:
    def glyph(font: ImageFont.FreeTypeFont, char: str) -> bytes:
        image = Image.new("L", (90, 90))
        ImageDraw.Draw(image).text((10, 10), char, font=font, fill=255)
        assert image.getbbox(), char
        return image.tobytes()

    for bold in (True, False):
        font = share._font(bold, 40)
        missing = glyph(font, "\U0001F600")   # not in the font: drawn as .notdef
        drawn = {char: glyph(font, char) for char in VIETNAMESE}
        assert [c for c, g in drawn.items() if g == missing] == []
        assert len(set(drawn.values())) == len(drawn)   # every letter its own glyph: no accent lost
    for path in (share.BOLD, share.REGULAR):
        assert path.stat().st_size < 120_000   # a subset, not the whole font
    assert (share.FONTS / "LICENSE-DejaVu.txt").is_file()
    assert ImageFont.truetype(str(share.BOLD), 10).getname()[0] == "HTX Sans"


def test_plan_is_pure_and_keyed_by_what_is_drawn(tmp_path: Path) -> None:
    info = photo(tmp_path)
    base = card(photo=info)
    assert base == card(photo=info)
    assert base.url == f"anh/{base.key[:20]}-chia-se.jpg"
    # The same text typed in decomposed form (macOS keyboards) is the same card.
    assert card(photo=info, title=unicodedata.normalize("NFD", "Mắm cá linh  Châu Đốc ")).key == base.key
    assert card(photo=info, title="Mắm cá sặc").key != base.key
    assert card(photo=info, stars=5).key != base.key
    assert card().key != base.key
    other = photo(tmp_path, (40, 40, 200), name="b.jpg")
    moved = share.SharePhoto("/elsewhere/a.jpg", info.sha, info.width, info.height)
    assert card(photo=other).key != base.key
    # Where the photo lies does not matter, only its content (two checkouts build the same site).
    assert share.plan_share(title="x", photo=info).key == share.plan_share(title="x", photo=type(info)(
        moved.path, info.sha, info.width, info.height, info.format, False, info.color)).key


def test_card_is_1200x630_deterministic_jpeg_without_metadata(tmp_path: Path) -> None:
    plan = card(photo=photo(tmp_path))
    first, second = share.render_card(plan), share.render_card(plan)
    assert first == second
    with Image.open(io.BytesIO(first)) as im:
        assert (im.format, im.size, im.mode) == ("JPEG", (1200, 630), "RGB")
        assert not im.info.get("exif") and not im.info.get("icc_profile")
        assert max(abs(a - b) for a, b in zip(im.getpixel((150, 300)), (200, 40, 40))) < 12   # the photo, left
        assert im.getpixel((900, 8))[1] > 100                                                  # green top band
        badge = im.getpixel((share.PANEL + share.PAD + 6, 630 - share.PAD - 46))
        assert max(abs(a - b) for a, b in zip(badge, share.OCOP_BG)) < 16                      # OCOP badge


def test_card_without_photo_uses_the_category_colours_and_no_badge_without_stars() -> None:
    im = share.draw_share(card(stars=0, stars_note=""))
    assert im.getpixel((20, 20)) == share._rgb(share.ILLUSTRATION["mam"][0])
    assert im.getpixel((300, 130)) == share._rgb(share.ILLUSTRATION["mam"][1])   # the disc, above the shapes
    badge_zone = im.crop((share.PANEL + share.PAD, 630 - share.PAD - 72, 1100, 630 - share.PAD - 20))
    assert all(v > 200 for v in badge_zone.convert("L").getextrema())   # white: no badge


def test_logo_is_shown_whole(tmp_path: Path) -> None:
    path = tmp_path / "logo.png"
    Image.new("RGBA", (400, 400), (30, 120, 60, 255)).save(path)
    logo, _ = inspect_image(path)
    im = share.draw_share(share.plan_share(title="Hợp tác xã Đồng Xanh", logo=logo),
                          Image.new("RGB", (400, 400), (30, 120, 60)))
    assert im.getpixel((300, 315)) == (30, 120, 60)   # centre: the logo
    assert im.getpixel((300, 100)) == (255, 255, 255)  # white disc around it


def test_long_names_wrap_and_end_with_an_ellipsis() -> None:
    font = share._font(True, 54)
    lines, complete = share.wrap("Hợp tác xã Nông nghiệp Dịch vụ Thương mại Tổng hợp Đồng Xanh Thoại Sơn "
                                 "chuyên sản xuất gạo thơm hữu cơ đạt chuẩn xuất khẩu", font, 488, 3)
    assert not complete and len(lines) == 3 and lines[-1].endswith("…")
    assert all(font.getlength(line) <= 488 for line in lines)
    lines, complete = share.wrap("Bánh_pía_sầu_riêng_trứng_muối_Châu_Đốc_đặc_biệt_loại_một", font, 488, 4)
    assert all(font.getlength(line) <= 488 for line in lines) and len(lines) > 1
    im = share.draw_share(card(title="Gạo " * 80))   # never draws outside the card or over the badge
    assert im.size == (1200, 630)


def test_cards_cached_by_content_and_linked_into_the_site(tmp_path: Path) -> None:
    info = photo(tmp_path)
    plans = [card(photo=info), card(title="Khô cá lóc", photo=info), card(title="Khô cá lóc", photo=info)]
    first = share.write_share_images(plans, tmp_path / "site1", workers=2)
    assert first == {"drawn": 2, "published": 2, "cards": 2}
    again = share.write_share_images(plans, tmp_path / "site2", workers=1)
    assert again["drawn"] == 0 and again["published"] == 2
    for plan in plans:
        data = (tmp_path / "site2" / plan.url).read_bytes()
        assert data == (tmp_path / "site1" / plan.url).read_bytes() == share.render_card(plan)


def test_photo_changed_after_planning_is_refused(tmp_path: Path) -> None:
    info = photo(tmp_path)
    Image.new("RGB", (1600, 1200), (0, 0, 0)).save(info.path, "JPEG")
    with pytest.raises(RuntimeError, match="thay đổi"):
        share.render_card(card(photo=info))


# ---- QR codes ------------------------------------------------------------------------------------

def rasterize(svg: str, scale: int = 8) -> Image.Image:
    """Draw our QR SVG (a white square, one path of horizontal runs) with Pillow."""
    size = int(re.search(r'viewBox="0 0 (\d+) \1"', svg).group(1))
    image = Image.new("L", (size * scale, size * scale), 255)
    d = re.search(r' d="([^"]+)"', svg).group(1)
    x = y = 0.0
    for command, a, b, n in re.findall(r"([Mm])(-?[\d.]+) (-?[\d.]+)h(\d+)", d):
        x, y = (float(a), float(b)) if command == "M" else (x + float(a), y + float(b))
        top = int((y - 0.5) * scale)
        image.paste(0, (int(x * scale), top, int((x + int(n)) * scale), top + scale))
        x += int(n)
    return image


def modules(image: Image.Image, scale: int = 8) -> list[list[bool]]:
    size = image.width // scale
    return [[image.getpixel((c * scale + scale // 2, r * scale + scale // 2)) < 128 for c in range(size)] for r in range(size)]


def decode(image: Image.Image) -> str:
    found = zxingcpp.read_barcodes(image)
    assert len(found) == 1, found
    return found[0].text


URL = "https://htx.angiang.example/san-pham/htx-lua-gao-thoai-son/gao-thom-huu-co-dong-xanh-5kg/"


def test_qr_svg_draws_the_matrix_with_a_quiet_zone() -> None:
    # Without a decoder: the drawing must be exactly the encoder's matrix, framed by 4 light modules.
    svg = qr.svg(URL)
    assert svg.startswith('<svg class="htx-qr"') and len(svg) < 4000
    drawn = modules(rasterize(svg))
    matrix = qr.matrix(URL)
    n = len(matrix)
    assert len(drawn) == n + 2 * qr.QUIET
    assert [row[qr.QUIET:qr.QUIET + n] for row in drawn[qr.QUIET:qr.QUIET + n]] == matrix
    assert not any(drawn[0]) and not any(row[0] for row in drawn) and not any(drawn[-1])


def test_qr_decodes_to_the_url() -> None:
    assert decode(rasterize(qr.svg(URL))) == URL
    tricky = "https://htx.angiang.example/hop-tac-xa/htx-det-lua-tan-chau/?a=1&b=\"x\""
    svg = qr.svg(tricky)
    assert "&amp;" in svg and '"x"' not in svg   # escaped in the label
    assert decode(rasterize(svg)) == tricky


def test_qr_cached_by_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert qr.cached_svg(URL, tmp_path) == qr.svg(URL)
    monkeypatch.setattr(qr, "svg", lambda url: pytest.fail("made again"))
    assert qr.cached_svg(URL, tmp_path).startswith("<svg")


def test_sample_card_says_ho_so_mau() -> None:
    """A shared sample profile must not pass for a real one: its card carries the badge its page carries."""
    plain, sample = share.draw_share(card()), share.draw_share(card(sample=True))
    corner = (960, 30, 1160, 80)                 # top right, beside "HỢP TÁC XÃ AN GIANG"
    assert set(plain.crop(corner).getdata()) == {share.WHITE}
    colours = set(sample.crop(corner).getdata())
    assert share.SAMPLE_BG in colours and len(colours) > 10   # the light amber box, with letters drawn on it
    assert card(sample=True).key != card().key


# ---- wired into the pages ------------------------------------------------------------------------

@pytest.mark.slow
def test_rendered_pages_use_cards_and_qr(tmp_path: Path) -> None:
    from htx.pipeline import build

    result = build(REPO / "cooperatives", base=REPO, site_url="https://htx.angiang.example")
    assert result.ok
    pages = {p.url: p for p in result.rendered.pages}
    catalog = result.catalog
    kinds = [(i.url, True, i) for i in catalog.items.values()] + [(f"hop-tac-xa/{e.coop.slug}/", False, e) for e in catalog.cooperatives]
    for url, is_product, obj in kinds:
        page = pages[url]
        image = page.image
        assert re.fullmatch(r"https://htx\.angiang\.example/anh/[0-9a-f]{20}-chia-se\.jpg", image["url"]), image
        assert (image["width"], image["height"]) == (1200, 630) and image["alt"]
        assert image["url"].split("example/")[1] in {p.url for p in result.rendered.shares.values()}
        svg = re.search(r'<div class="htx-flyer__qr">(<svg.*?</svg>)</div>', page.body).group(1)
        assert svg == qr.svg("https://htx.angiang.example/" + url)
        ld = next(b for b in page.ld if b["@type"] in ("Product", "Organization"))
        if "image" in ld:   # structured data keeps the photo itself, else the share card
            first = ld["image"][0] if is_product else ld["image"]
            assert first.endswith(".webp") or first == image["url"]
    # The samples' cards say "Hồ sơ mẫu", as their pages do.
    assert all(p.sample for p in result.rendered.shares.values()) and all(e.coop.sample for e in catalog.cooperatives)
    with_photo = next(i for i in catalog.items.values() if i.product.photos)
    plan = next(p for p in result.rendered.shares.values() if p.title == with_photo.product.name)
    assert plan.photo is not None and plan.photo.fit == "cover"
    assert plan.lines[0] == with_photo.coop.name
    # Pages built without photos (fast previews) have no card, and without site_url no QR code.
    preview = build(REPO / "cooperatives", base=REPO, with_images=False)
    assert not preview.rendered.shares and all(p.image is None for p in preview.rendered.pages)
    assert not any("<svg class=\"htx-qr\"" in p.body for p in preview.rendered.pages)


@pytest.mark.slow
def test_built_site_cards_exist_and_qr_is_the_canonical_url(built_site: Path) -> None:
    site = built_site / "site"
    checked = 0
    for html_file in sorted((site / "san-pham").glob("*/*/index.html"))[:6] + sorted((site / "hop-tac-xa").glob("*/index.html"))[:4]:
        html = html_file.read_text(encoding="utf-8")
        if 'class="htx-flyer' not in html:
            continue
        canonical = re.search(r'<link rel="canonical" href="([^"]+)"', html).group(1)
        og = re.search(r'<meta property="og:image" content="([^"]+)"', html).group(1)
        assert 'content="1200"' in html and 'content="630"' in html
        card_file = site / og.split("htx.angiang.example/")[1]
        with Image.open(card_file) as im:
            assert im.size == (1200, 630)
        svg = re.search(r'<div class="htx-flyer__qr">(<svg.*?</svg>)</div>', html, re.S).group(1)
        drawn = modules(rasterize(svg))
        assert [row[qr.QUIET:-qr.QUIET] for row in drawn[qr.QUIET:-qr.QUIET]] == qr.matrix(canonical)
        checked += 1
    assert checked >= 6
    assert 'href="../assets/htx/print.css"' in (site / "hop-tac-xa" / "index.html").read_text(encoding="utf-8")


_PRINT_SHOTS = """
import json, sys
from playwright.sync_api import sync_playwright
page_uri, out = sys.argv[1], sys.argv[2]
facts = {}
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
    for width in (703, 350):   # A4 and A6 content widths at 96 px per inch
        page = browser.new_page(viewport={"width": width, "height": 1000})
        page.goto(page_uri)
        screen = page.locator(".htx-flyer").is_visible()
        page.emulate_media(media="print")
        page.locator(".htx-flyer__qr svg").screenshot(path=f"{out}/qr-{width}.png")
        facts[width] = {"screen": screen, "qr": page.locator(".htx-flyer__qr svg").is_visible(),
                        "h1": page.locator(".htx-product__info h1").is_visible(),
                        "crumbs": page.locator(".htx-crumbs").is_visible()}
        page.close()
    browser.close()
print(json.dumps(facts))
"""


@pytest.mark.slow
@pytest.mark.browser
def test_printed_flyer_qr_scans_to_the_page(built_site: Path, tmp_path: Path) -> None:
    """Chromium prints a product page (print media, A4 and A6 widths); the QR in the picture scans."""
    import json
    import subprocess
    import sys

    pytest.importorskip("playwright.sync_api")
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("no /usr/bin/chromium")
    page_file = sorted((built_site / "site" / "san-pham").glob("*/*/index.html"))[0]
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', page_file.read_text(encoding="utf-8")).group(1)
    # Its own process: the browser tests' session keeps a Playwright event loop running in this one.
    done = subprocess.run([sys.executable, "-c", _PRINT_SHOTS, page_file.as_uri(), str(tmp_path)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    facts = json.loads(done.stdout.strip().splitlines()[-1])
    for width, seen in facts.items():
        assert seen == {"screen": False, "qr": True, "h1": True, "crumbs": False}, (width, seen)
        assert decode(Image.open(tmp_path / f"qr-{width}.png").convert("L")) == canonical
