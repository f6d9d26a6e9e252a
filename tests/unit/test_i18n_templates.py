"""The English edition's templates: every message has its English, English pages read in English (profile text
that has no English shown in Vietnamese, marked lang="vi", with a note), Vietnamese pages as they were."""
from __future__ import annotations

import re
from datetime import date
from importlib.resources import files
from pathlib import Path

import pytest
import yaml
from jinja2 import Environment

from htx.data.load import parse_text
from htx.data.validate import validate_document
from htx.data.vocab import CATEGORIES, CERTIFICATIONS, CHANNELS, KINDS, MONTHS, OCOP_GROUPS, SECTORS, SOCIAL
from htx.site.catalog import Catalog
from htx.site.i18n import catalog as messages, missing_messages
from htx.site.operator import read_operator
from htx.site.render import render_pages
from tests.conftest import VALID

TEMPLATES = files("htx.site").joinpath("templates")
# Templates of pages (or blocks of hand-written pages) that have an English version; the others (the staff's
# page, events, the plan, the report, the news and events blocks) are only ever rendered in Vietnamese.
ENGLISH = ["_macros.j2", "_picture.html.j2", "product.md.j2", "cooperative.md.j2", "listing.md.j2", "catalog.md.j2",
           "directory.md.j2", "communes.md.j2", "commune.md.j2", "statistics.md.j2", "fragment_featured.html.j2",
           "fragment_figures.html.j2", "fragment_operator.html.j2", "fragment_privacy_controller.html.j2"]
TODAY = date(2026, 11, 26)


def message_ids(name: str) -> list[str]:
    """The message ids a template uses (`_()`, `ngettext`: its singular); dynamic ones (`_(c.label)`) are left out."""
    env = Environment(extensions=["jinja2.ext.i18n"])
    found = []
    for _line, _function, message in env.extract_translations(env.parse(TEMPLATES.joinpath(name).read_text(encoding="utf-8"))):
        first = message if isinstance(message, str) else next(iter(message or ()), None)
        if isinstance(first, str):
            found.append(first)
    return found


@pytest.mark.parametrize("name", ENGLISH)
def test_every_message_of_the_templates_has_its_english(name: str) -> None:
    assert missing_messages(message_ids(name)) == []


def test_every_template_is_listed_or_vietnamese_only() -> None:
    vietnamese_only = {"status.md.j2", "events.md.j2", "event.md.j2", "plan.md.j2", "report.html.j2",
                       "fragment_latest_news.html.j2", "fragment_upcoming_events.html.j2",
                       "fragment_practice_examples.html.j2"}
    names = {p.name for p in TEMPLATES.iterdir() if p.name.endswith(".j2")}
    assert names == set(ENGLISH) | vietnamese_only


def test_every_vocabulary_label_has_its_english() -> None:
    labels = [c.label for c in CATEGORIES.values()]
    for vocabulary in (KINDS, SECTORS, CHANNELS, CERTIFICATIONS, OCOP_GROUPS, SOCIAL, MONTHS):
        labels += vocabulary.values()
    assert missing_messages(labels) == []


def test_the_operators_contact_labels_have_their_english() -> None:
    """fragment_operator shows `_(c.label)`: labels fixed in htx.site.operator, not found by extraction."""
    operator, problems = read_operator({"operator": {"name": "Ban biên tập", "email": "bbt@angiang.gov.vn",
                                                     "phone": "0296 3812 345", "zalo": "0912 000 124"}})
    assert not problems and len(operator.contacts) == 3
    assert missing_messages([c.label for c in operator.contacts]) == []


def test_the_catalog_file_is_well_formed() -> None:
    """Quoted strings; counts as [singular, plural]; no placeholder the Vietnamese does not fill."""
    table = yaml.safe_load(files("htx.site").joinpath("locale", "en", "templates.yml").read_text(encoding="utf-8"))
    assert len(table) > 150
    for vi, en in table.items():
        forms = en if isinstance(en, list) else [en]
        assert isinstance(vi, str) and all(isinstance(f, str) and f for f in forms), vi
        assert not isinstance(en, list) or len(en) == 2, vi
        for form in forms:
            assert set(re.findall(r"%\((\w+)\)", form)) <= set(re.findall(r"%\((\w+)\)", vi)), vi
            assert "%" not in re.sub(r"%\(\w+\)[sd]|%%", "", form), vi


# -- pages ----------------------------------------------------------------------------------------------

PROFILE = VALID.replace("""    gia: 25.000
    don_vi: kg
""", """    gia: 25.000
    don_vi: túi 5 kg
    mo_ta: Gạo được **sấy** ngay trong ngày.
    mua_vu: [3, 4]
  - ma: gao-tieng-anh
    ten: Gạo thơm Thoại Sơn
    danh_muc: gao-nong-san
    gioi_thieu: Gạo thơm của hợp tác xã, có bản tiếng Anh.
    tieng_anh:
      ten: Thoại Sơn fragrant rice
      gioi_thieu: Fragrant rice grown by members of the cooperative.
""").replace("gioi_thieu: Hợp tác xã thử nghiệm dùng trong kiểm thử tự động.",
             "gioi_thieu: Hợp tác xã thử nghiệm dùng trong kiểm thử tự động.\ncau_chuyen: Hợp tác xã ra đời **năm 2009**.")
assert PROFILE != VALID

UI_WORDS = ["Giá", "Mô tả sản phẩm", "Liên hệ", "Sản phẩm của", "Thông tin được xác nhận", "Mùa vụ", "Quanh năm",
            "Quét mã QR", "Hồ sơ mẫu", "Nơi sản xuất", "Hợp tác xã sản xuất", "tỉnh An Giang", "Tháng", "thành viên"]


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    doc, problems = parse_text(PROFILE, "cooperatives/htx-thu-nghiem/profile.yml", Path("htx-thu-nghiem"))
    entry, problems = validate_document(doc, check_images=False)
    assert entry is not None, problems
    catalog, _ = Catalog.from_entries([entry], today=TODAY)
    return {p.src_uri: str(p.body) for p in render_pages(catalog, with_images=False, site_url="https://htx.example/").pages}


def interface(html: str) -> str:
    """A page's own text: without the breadcrumb (its labels are the pages' titles) and without what is marked
    Vietnamese (profile text as the cooperative wrote it)."""
    html = re.sub(r'<nav class="htx-crumbs".*?</nav>', "", html, flags=re.S)
    for tag in ("span", "div", "p", "h1"):
        html = re.sub(rf'<{tag}[^>]* lang="vi"[^>]*>.*?</{tag}>', "", html, flags=re.S)
    return html


def test_an_english_product_page_reads_in_english(pages: dict[str, str]) -> None:
    page = pages["en/products/htx-thu-nghiem/gao-thu-nghiem.md"]
    shown = interface(page)
    assert [w for w in UI_WORDS if w in shown] == []
    assert "25,000\u00a0VND" in page and '<span class="htx-price__unit">/ 5 kg bag</span>' in page
    assert 'data-price="25,000\u00a0VND / 5 kg bag"' in page
    assert "Product description" in page and "Season</dt><dd>March, April" in page
    assert "From <a" in page and "Information confirmed on 12 May 2026." in page
    assert "Scan the QR code" in page and "https://htx.example/en/products/htx-thu-nghiem/gao-thu-nghiem/" in page
    # No English in the profile: the Vietnamese, marked, under a note (summary and description).
    assert '<h1 lang="vi">Gạo thử nghiệm</h1>' in page
    note = "Not yet available in English; shown in Vietnamese as the cooperative wrote it."
    assert page.count(note) == 2
    assert '<p class="htx-product__summary" lang="vi">Gạo thơm dùng để kiểm thử.</p>' in page
    assert '<div lang="vi">\n<p>Gạo được <strong>sấy</strong> ngay trong ngày.</p>\n</div>' in page
    assert '<span lang="vi">Hợp tác xã Thử Nghiệm</span>' in page
    # The other product's card, with its English name.
    assert "Thoại Sơn fragrant rice" in page


def test_an_english_name_and_summary_are_shown_with_the_vietnamese_name_under_it(pages: dict[str, str]) -> None:
    page = pages["en/products/htx-thu-nghiem/gao-tieng-anh.md"]
    assert '<h1>Thoại Sơn fragrant rice</h1><p lang="vi">Gạo thơm Thoại Sơn</p>' in page
    assert '<p class="htx-product__summary">Fragrant rice grown by members of the cooperative.</p>' in page
    assert "Not yet available in English" not in page       # no Vietnamese long text on it
    assert 'data-price="Price on request"' in page and ">Price on request</p>" in page
    assert [w for w in UI_WORDS if w in interface(page)] == []


def test_an_english_cooperative_page(pages: dict[str, str]) -> None:
    page = pages["en/cooperatives/htx-thu-nghiem.md"]
    assert '<h1 lang="vi">Hợp tác xã Thử Nghiệm</h1>' in page
    assert 'data-kind-label="Cooperative"' in page and "Official members</dt><dd>12</dd>" in page
    assert "Our story" in page and '<div lang="vi">\n<p>Hợp tác xã ra đời <strong>năm 2009</strong>.</p>\n</div>' in page
    assert '<span lang="vi">Ấp Hòa Bình</span>, Xã Thoại Sơn, An Giang province' in page
    assert "Products (2)" in page and "Representative</dt>" in page
    assert [w for w in ["Địa chỉ", "Lĩnh vực", "Thành viên chính thức", "Câu chuyện", "Sản phẩm ("] if w in interface(page)] == []


def test_the_vietnamese_pages_are_unchanged_by_the_english(pages: dict[str, str]) -> None:
    page = pages["san-pham/htx-thu-nghiem/gao-thu-nghiem.md"]
    assert "25.000\u00a0₫" in page and '<span class="htx-price__unit">/ túi 5 kg</span>' in page
    assert 'data-price="25.000\u00a0₫ / túi 5 kg"' in page
    assert "<h1>Gạo thử nghiệm</h1>" in page and "Mô tả sản phẩm" in page and "Sản phẩm của <a" in page
    assert "Tháng 3, 4" in page and "Thông tin được xác nhận ngày 12/05/2026." in page
    assert ' lang="' not in page and "hreflang" not in page and "Not yet available" not in page
    assert "Thoại Sơn fragrant rice" not in page           # the English name only on English pages
    other = pages["san-pham/htx-thu-nghiem/gao-tieng-anh.md"]
    assert "<h1>Gạo thơm Thoại Sơn</h1>" in other and "Giá: liên hệ" in other and "Fragrant rice" not in other


def test_english_listings_and_blocks_link_vietnamese_only_pages_with_hreflang(pages: dict[str, str]) -> None:
    catalog, _ = Catalog.from_entries([], today=TODAY)
    rendered = render_pages(catalog, with_images=False)
    empty = {p.src_uri: str(p.body) for p in rendered.pages}
    listing = empty["en/products/index.md"]
    assert '<a class="htx-button htx-button--primary" href="../../tham-gia/" hreflang="vi">List your cooperative (in Vietnamese)</a>' in listing
    assert 'href="../../ve-trang-nay/#lien-he" hreflang="vi">Contact the editorial team (in Vietnamese)</a>' in listing
    assert '<a class="htx-button htx-button--primary" href="../tham-gia/">Đưa hợp tác xã lên trang</a>' in empty["san-pham/index.md"]
    figures = rendered.fragment("figures", "en/")
    assert "The site is welcoming its first cooperatives" in figures and "Trang" not in figures
    stats = pages["en/statistics/index.md"]
    assert 'href="../../du-lieu/" hreflang="vi">Open data</a>' in stats and "official members" in stats
    assert "Since 1 July 2025" in pages["en/communes/index.md"] and "1 cooperative · 2 products" in pages["en/communes/index.md"]
    assert "1 cooperative or cooperative group." in pages["en/cooperatives/index.md"]
