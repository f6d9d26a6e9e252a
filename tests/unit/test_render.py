"""Rendering: untrusted text is escaped, money and dates in Vietnamese, contact links correct."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from htx.site.catalog import Catalog
from htx.data.load import parse_text
from htx.site.render import Renderer, bar_chart, contact_links, mailto_href, render_pages, url_of
from htx.data.richtext import render_markdown
from htx.data.text import fold, format_vnd, slugify
from htx.data.validate import validate_document
from tests.conftest import VALID


def catalog_of(text: str) -> Catalog:
    doc, problems = parse_text(text, "cooperatives/htx-thu-nghiem/profile.yml", Path("htx-thu-nghiem"))
    entry, problems = validate_document(doc, check_images=False)
    assert entry is not None, problems
    catalog, _ = Catalog.from_entries([entry])
    return catalog


def test_text_helpers() -> None:
    assert fold("Đường THỐT NỐT") == "duong thot not"
    assert slugify("Hợp tác xã Đồng Tâm") == "hop-tac-xa-dong-tam"
    assert format_vnd(120000) == "120.000\u00a0₫"


def test_urls() -> None:
    assert url_of("san-pham/a/b.md") == "san-pham/a/b/"
    assert url_of("san-pham/index.md") == "san-pham/"
    renderer = Renderer(catalog_of(VALID), with_images=False)
    assert renderer.context("san-pham/a/b/")["rel"]("hop-tac-xa/x/") == "../../../hop-tac-xa/x/"
    assert renderer.context("")["rel"]("") == "./"


def test_html_in_profile_is_shown_as_text() -> None:
    text = VALID.replace("ten: Hợp tác xã Thử Nghiệm", 'ten: "Hợp tác xã <script>alert(1)</script>"').replace(
        "gioi_thieu: Gạo thơm dùng để kiểm thử.", 'gioi_thieu: "<img src=x onerror=alert(1)> gạo ngon"')
    pages = render_pages(catalog_of(text), with_images=False).pages
    for page in pages:
        assert "<script>" not in page.body and "<img src=x" not in page.body
    product = next(p for p in pages if p.src_uri.startswith("san-pham/htx-thu-nghiem/"))
    assert "&lt;img src=x onerror=alert(1)&gt; gạo ngon" in product.body
    coop = next(p for p in pages if p.src_uri == "hop-tac-xa/htx-thu-nghiem.md")
    assert coop.meta["title"] == "Hợp tác xã &lt;script&gt;alert(1)&lt;/script&gt;"


def test_markdown_subset_is_sanitized() -> None:
    html = render_markdown("# Lớn\n\n**đậm** [a](javascript:alert(1)) [b](https://ok.vn) <b>x</b>\n\n- một")
    assert "<h3>Lớn</h3>" in html and "<strong>đậm</strong>" in html
    assert "javascript:" not in html and 'href="https://ok.vn"' in html
    assert "&lt;b&gt;x" in html and "<li>một</li>" in html


def test_contact_links_and_price() -> None:
    text = VALID.replace("    - 0912 000 123\n", "    - 0912 000 123\n  zalo: 0912.000.124\n  email: a@example.com\n")
    pages = render_pages(catalog_of(text), with_images=False).pages
    product = next(p for p in pages if p.src_uri.startswith("san-pham/htx-thu-nghiem/"))
    assert 'href="tel:+84912000123"' in product.body
    assert 'href="https://zalo.me/0912000124"' in product.body
    assert 'href="mailto:a@example.com"' in product.body
    assert "25.000\u00a0₫" in product.body and "/ kg" in product.body


@pytest.mark.parametrize("zalo, href", [
    ("0912.000.124", "https://zalo.me/0912000124"),
    ("+84 912 000 124", "https://zalo.me/0912000124"),
    ("https://zalo.me/0912000124", "https://zalo.me/0912000124"),
    ("https://chat.zalo.me/?g=abc", "https://chat.zalo.me/?g=abc"),
    ("https://evil.example/zalo.me/x", None),          # a substring is not a host
    ("https://zalo.me.evil.example/", None),
    ("https://example.com@zalo.me/", None),            # user-info misleads
    ("https://zalo.me@evil.example/", None),
    ("http://zalo.me/0912000124", None),
    ("https://zalo.me:8443/x", None),
    ("https://zalo.me\\@evil.example/", None),
    ("javascript:alert(1)//zalo.me", None),
    ("12", None),
])
def test_zalo_button_only_for_zalo(zalo: str, href: str | None) -> None:
    """The render side holds on its own, even for values validation would refuse (built here without it)."""
    import dataclasses

    entry = next(iter(catalog_of(VALID).entries.values()))
    contact = entry.coop.contact.model_copy(update={"zalo": zalo, "email": "a@example.com?bcc=b@evil.example"})
    entry = dataclasses.replace(entry, coop=entry.coop.model_copy(update={"contact": contact}))
    links = {link["kind"]: link["href"] for link in contact_links(entry)}
    assert links.get("zalo") == href
    assert "email" not in links                        # a mailto with headers is no button at all


def test_mailto_is_a_plain_address() -> None:
    assert mailto_href(" htx.a+b@example.com ") == "mailto:htx.a+b@example.com"
    for bad in ("a@b.vn?bcc=c@d.vn", "a@b.vn&cc=c@d.vn", "a@b.vn,c@d.vn", "a b@c.vn", "<a@b.vn>", "a@b.vn\nBcc: c@d.vn"):
        assert mailto_href(bad) is None, bad


def test_price_on_request_and_expired_ocop() -> None:
    text = VALID.replace("    gia: 25.000\n    don_vi: kg\n", "    gia: liên hệ\n    ocop:\n      sao: 4\n      nam: 2020\n      ngay_cong_nhan: 01/02/2020\n")
    assert text != VALID
    catalog = catalog_of(text)
    pages = render_pages(catalog, with_images=False).pages
    product = next(p for p in pages if p.src_uri.startswith("san-pham/htx-thu-nghiem/"))
    assert "Giá: liên hệ" in product.body
    assert "đã hết hạn" in product.body and "01/02/2023" in product.body
    assert catalog.figures()["ocop"] == 0


def test_htx_links_resolve_to_sources_and_report_missing() -> None:
    from htx.site.handwritten import resolve_links

    catalog = catalog_of(VALID)
    text, missing = resolve_links("[a](htx:htx-thu-nghiem) [b](htx:htx-thu-nghiem/gao-thu-nghiem#mo-ta) [c](htx:khong-co)", catalog, "tin-tuc/posts/x.md")
    assert "](../../hop-tac-xa/htx-thu-nghiem.md)" in text
    assert "](../../san-pham/htx-thu-nghiem/gao-thu-nghiem.md#mo-ta)" in text
    assert missing == ["htx:khong-co"]


def test_bar_chart_keeps_the_biggest_rows_and_says_how_many_there_were() -> None:
    counts = {f"Xã {i:03d}": i % 7 + 1 for i in range(102)}
    chart = bar_chart(counts, limit=20)
    assert chart["total"] == 102 and len(chart["rows"]) == 20
    values = [r["value"] for r in chart["rows"]]
    assert values == sorted(values, reverse=True) and values[-1] >= max(counts.values()) - 1
    assert chart["height"] == 20 * 30            # the drawing shrinks with the rows
    assert bar_chart(counts)["total"] == len(bar_chart(counts)["rows"]) == 102


def test_a_card_rendered_once_is_the_card_of_every_depth(tmp_path: Path) -> None:
    """Cards are rendered once with a placeholder for the way up to the site root (Renderer.card): for
    pages at every depth the result equals rendering the macro for that page, photos and links included;
    a product name that spells the placeholder stays text."""
    from htx.pipeline import check
    from htx.bench.synthetic import make_catalog

    make_catalog(tmp_path, 3, 8, photos=4)
    profile = sorted((tmp_path / "cooperatives").glob("*/profile.yml"))[0]
    text = profile.read_text(encoding="utf-8")
    name = re.search(r"^  ten: (.+)$", text, re.M).group(1)
    profile.write_text(text.replace(f"  ten: {name}", "  ten: '<htx:up> Gạo'", 1), encoding="utf-8")
    entries, problems = check(tmp_path / "cooperatives", base=tmp_path)
    assert not [p for p in problems if p.severity == "error"], problems
    catalog, _ = Catalog.from_entries(entries)
    renderer = Renderer(catalog)
    macros = renderer.env.get_template("_macros.j2")
    items = list(catalog.items.values())
    assert any(i.product.photos and i.product.photos[0].file in i.entry.images for i in items)
    for page_url in ("", "san-pham/", "san-pham/gao/", "san-pham/a/b/", "san-pham/gao/trang/2/"):
        direct = macros.make_module(renderer.context(page_url))
        for item in items:
            for heading in ("h2", "h3"):
                assert renderer.card(item, page_url, heading) == direct.product_card(item, heading=heading)
    odd = next(i for i in items if i.product.name == "<htx:up> Gạo")
    assert "&lt;htx:up&gt; Gạo" in renderer.card(odd, "san-pham/a/b/")


# ---- issue 20: personal data only with consent; "last verified", stale and expired ----------------

# VALID records a consent; these add the representative's own contacts, with it and without it.
_OWN = "  chuc_vu: Giám đốc\n  dien_thoai: 0903 111 222\n  zalo: 0903 111 333\n  email: rieng.tu@gmail.com\n"
CONSENTED = VALID.replace("  chuc_vu: Giám đốc\n", _OWN)
PERSONAL = re.sub(r"dong_y_cong_khai:\n(  .*\n)+", "", CONSENTED)


def _catalog_on(text: str, today: str) -> Catalog:
    from datetime import date

    doc, _ = parse_text(text, "cooperatives/htx-thu-nghiem/profile.yml", Path("htx-thu-nghiem"))
    entry, problems = validate_document(doc, check_images=False)
    assert entry is not None, problems
    d, m, y = map(int, today.split("/"))
    catalog, _ = Catalog.from_entries([entry], today=date(y, m, d))
    return catalog


def _pages(catalog: Catalog) -> dict[str, object]:
    return {p.src_uri: p for p in render_pages(catalog, with_images=False).pages}


def test_without_consent_the_published_copy_holds_no_personal_field() -> None:
    catalog = _catalog_on(PERSONAL, "01/06/2026")
    rep = catalog.entries["htx-thu-nghiem"].coop.representative
    assert (rep.name, rep.phone, rep.zalo, rep.email, rep.title) == (None, None, None, None, "Giám đốc")
    assert catalog.status[0].held_back                 # the staff page still knows what was held back
    pages = _pages(catalog)
    everything = repr([(p.meta, p.body) for p in pages.values()])
    for value in ("Trần Thị Bình", "0903 111 222", "903111222", "903111333", "rieng.tu"):
        assert value not in everything, value
    assert "<dt>Người đại diện</dt><dd>Giám đốc</dd>" in pages["hop-tac-xa/htx-thu-nghiem.md"].body


def test_with_consent_the_representative_and_own_buttons_are_shown() -> None:
    assert "dong_y_cong_khai" in CONSENTED and "dong_y_cong_khai" not in PERSONAL
    catalog = _catalog_on(CONSENTED, "01/06/2026")
    entry = catalog.entries["htx-thu-nghiem"]
    labels = [(link["kind"], link["href"], link["label"]) for link in contact_links(entry)]
    assert ("phone", "tel:+84903111222", "Gọi Trần Thị Bình: 0903 111 222") in labels
    assert ("zalo", "https://zalo.me/0903111333", "Nhắn Zalo Trần Thị Bình") in labels
    assert ("email", "mailto:rieng.tu@gmail.com", "Gửi thư Trần Thị Bình") in labels
    page = _pages(catalog)["hop-tac-xa/htx-thu-nghiem.md"]
    assert "Trần Thị Bình, Giám đốc" in page.body
    org = next(b for b in page.ld if b["@type"] == "Organization")
    assert org["employee"] == {"@type": "Person", "name": "Trần Thị Bình", "jobTitle": "Giám đốc"}


def test_photos_of_people_are_left_out_without_consent() -> None:
    from htx.site.catalog import public_coop
    from htx.data.model import Photo

    coop = catalog_of(VALID).entries["htx-thu-nghiem"].coop
    people = Photo.model_validate({"tep": "images/nguoi.jpg", "mo_ta": "Thành viên cán bánh", "co_nguoi": "có"})
    plain = Photo.model_validate({"tep": "images/xuong.jpg", "mo_ta": "Xưởng làm bánh"})
    product = coop.products[0].model_copy(update={"photos": [people, plain]})
    coop = coop.model_copy(update={"photos": [plain, people], "logo": people, "products": [product], "consent": None})
    shown = public_coop(coop)
    assert shown.photos == [plain] and shown.logo is None and shown.products[0].photos == [plain]
    assert coop.photos == [plain, people]                # the profile itself is unchanged
    consented = coop.model_copy(update={"consent": catalog_of(VALID).entries["htx-thu-nghiem"].coop.consent})
    assert public_coop(consented) is consented


@pytest.mark.parametrize("today, kind", [("11/05/2027", "fresh"), ("12/05/2027", "stale"), ("12/05/2028", "expired")])
def test_verified_line_stale_badge_and_expired_notice(today: str, kind: str) -> None:
    pages = _pages(_catalog_on(VALID, today))           # VALID was confirmed on 12/05/2026
    coop, product = pages["hop-tac-xa/htx-thu-nghiem.md"], pages["san-pham/htx-thu-nghiem/gao-thu-nghiem.md"]
    for page in (coop, product):
        assert "Thông tin được xác nhận ngày 12/05/2026." in page.body
        assert ("Cần cập nhật" in page.body) == (kind != "fresh")
        assert ("Thông tin đã quá 24 tháng chưa được xác nhận" in page.body) == (kind == "expired")
        assert ('class="htx-contact"' in page.body) == (kind != "expired")
    assert ("25.000" in product.body) == (kind != "expired")           # the price is held back, not deleted
    ld = next(b for b in product.ld if b["@type"] == "Product")
    assert ("offers" in ld) == (kind != "expired")
    listing = pages["san-pham/gao-nong-san/index.md"].body
    assert ("25.000" in listing) == (kind != "expired") and ("Cần cập nhật" in listing) == (kind != "fresh")


def test_staff_page_rows_oldest_first() -> None:
    from htx.site.render import STATUS_URL

    page = _pages(_catalog_on(PERSONAL, "01/06/2027"))[STATUS_URL + "index.md"]
    assert page.noindex is True and "data-search-ignore" in page.body
    assert "12/05/2026 (12 tháng)" in page.body and "Cần cập nhật" in page.body
    assert "người đại diện › họ tên" in page.body and "Trần Thị Bình" not in page.body
