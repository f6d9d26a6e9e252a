"""Site search and the catalog/directory filters, typed and clicked in a real headless Chromium (phone size).

The index is htx's own (htx.publish.search, read by assets/htx/search/engine.js), built after MkDocs. Queries must find the same products
whatever the visitor types: diacritics (NFC or NFD), none, upper case, d for đ, the start of a word.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from htx.publish.search import index_site

pytestmark = pytest.mark.browser

RESULT_LINKS = ".md-search-result__list a.md-search-result__link"
STATUS = "#htx-search-status"


@pytest.fixture(scope="module", autouse=True)
def search_index(built_site: Path) -> Path:
    """The sample site's search index (made here too if the build skipped it)."""
    site = built_site / "site"
    if not (site / "search" / "index.json").is_file():
        index_site(site)
    return site


def search(page, site_url: str, query: str, *, start: str = "hop-tac-xa-kieu-moi/") -> list[str]:
    """Open a page, open the search with the `/` key, type query key by key; return the result paths in order."""
    page.goto(site_url + start)
    page.keyboard.press("/")
    box = page.locator(".md-search__input")
    assert box.evaluate("el => el === document.activeElement"), "the / key should focus the search box"
    page.keyboard.type(query, delay=15)
    # The list says which query it shows (NFC, trimmed): wait for the last one typed.
    page.wait_for_function("(q) => document.querySelector('#htx-search-list').dataset.query === q",
                           arg=unicodedata.normalize("NFC", query).strip())
    return [urlsplit(href).path for href in page.eval_on_selector_all(RESULT_LINKS, "els => els.map(e => e.href)")]


NFD = lambda text: unicodedata.normalize("NFD", text)  # noqa: E731

QUERIES = [
    # (query as typed, a path the first results must contain, how many first results count)
    ("duong thot not", "/san-pham/htx-thot-not-tri-ton/duong-thot-not-hu-500g/", 1),
    ("Đường thốt nốt", "/san-pham/htx-thot-not-tri-ton/duong-thot-not-hu-500g/", 1),
    (NFD("Đường thốt nốt"), "/san-pham/htx-thot-not-tri-ton/duong-thot-not-hu-500g/", 1),
    ("ĐƯỜNG THỐT NỐT", "/san-pham/htx-thot-not-tri-ton/duong-thot-not-hu-500g/", 1),
    ("dường thốt nốt", "/san-pham/htx-thot-not-tri-ton/duong-thot-not-hu-500g/", 1),
    ("duong tho", "/san-pham/htx-thot-not-tri-ton/duong-thot-not-hu-500g/", 3),
    # A half-typed word: its longer words ("thốt") are looked up too.
    ("tho", "/san-pham/htx-thot-not-tri-ton/", 8),
    ("mam chau doc", "/san-pham/htx-mam-chau-doc/", 3),
    ("mắm châu đốc", "/san-pham/htx-mam-chau-doc/", 3),
    ("mam chau d", "/san-pham/htx-mam-chau-doc/", 3),
    ("gao st25", "/san-pham/htx-lua-tom-an-bien/gao-st25-lua-tom-5kg/", 1),
    ("GẠO ST25", "/san-pham/htx-lua-tom-an-bien/gao-st25-lua-tom-5kg/", 1),
    ("nuoc mam phu quoc", "/san-pham/htx-nuoc-mam-phu-quoc/nuoc-mam-nhi-gio-bien-43-do-dam/", 5),
    ("Nước mắm Phú Quốc", "/san-pham/htx-nuoc-mam-phu-quoc/nuoc-mam-nhi-gio-bien-43-do-dam/", 5),
    ("GẠO", "/san-pham/htx-lua-gao-thoai-son/", 3),
    (NFD("gạo"), "/san-pham/htx-lua-gao-thoai-son/", 3),
    ("gao", "/san-pham/htx-lua-gao-thoai-son/", 3),
    ("hop tac xa kieu moi", "/hop-tac-xa-kieu-moi/", 5),
    ("cach doc sao ocop", "/tin-tuc/", 5),
]


@pytest.mark.parametrize("query,expected,top", QUERIES, ids=[f"{q!a}" for q, _, _ in QUERIES])
def test_query_finds_expected_page(page, site_url: str, query: str, expected: str, top: int) -> None:
    paths = search(page, site_url, query)
    assert any(p.startswith(expected) for p in paths[:top]), f"{query!r}: {expected} not in first {top}: {paths[:8]}"
    assert page.js_errors == []


def test_every_way_of_typing_finds_the_same_first_results(page, site_url: str) -> None:
    forms = ["đường thốt nốt", NFD("đường thốt nốt"), "ĐƯỜNG THỐT NỐT", "duong thot not", "Duong Thot Not"]
    firsts = [search(page, site_url, q)[:3] for q in forms]
    assert all(f[0] == firsts[0][0] for f in firsts), firsts
    counts = []
    for query in ("gạo", NFD("gạo"), "GẠO", "gao"):     # the same pages match; exact diacritics only rank higher
        first = search(page, site_url, query)[0]
        assert first.startswith("/san-pham/htx-lua-gao-thoai-son/gao-"), (query, first)
        counts.append(page.locator(STATUS).inner_text())
    assert len(set(counts)) == 1 and counts[0].endswith("kết quả"), counts


def test_product_result_shows_cooperative_commune_and_thumbnail(page, site_url: str) -> None:
    search(page, site_url, "duong thot not")
    first = page.locator(".htx-result").first
    assert "htx-result--san-pham" in first.get_attribute("class")
    assert first.locator(".htx-result__title").inner_text().startswith("Đường thốt nốt")
    by = first.locator(".htx-result__by").inner_text()
    assert "HTX Thốt Nốt Xanh" in by and "Xã Tri Tôn" in by
    thumb = first.locator("img.htx-result__thumb")
    assert thumb.count() == 1
    thumb.evaluate("img => img.decode()")  # the thumbnail URL resolves to an image
    assert thumb.evaluate("img => img.naturalWidth") > 0


def test_empty_result_says_so_and_suggests_the_catalog(page, site_url: str) -> None:
    assert search(page, site_url, "qqxyzw") == []
    status = page.locator(STATUS)
    assert "Không tìm thấy kết quả nào cho “qqxyzw”" in status.inner_text()
    link = status.locator("a")
    assert urlsplit(link.get_attribute("href")).path.endswith("/san-pham/")
    assert link.inner_text() == "Xem danh mục sản phẩm"


def test_search_downloads_nothing_until_used(page, site_url: str) -> None:
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(site_url + "ke-hoach/")
    page.wait_for_load_state("networkidle")
    assert not [u for u in requests if u.startswith(site_url + "search/") or u.endswith("/engine.js")]
    page.locator(".md-header label[for=__search]").first.click()   # the magnifier in the header (phone)
    page.wait_for_function("() => document.activeElement === document.querySelector('.md-search__input')")
    page.wait_for_load_state("networkidle")
    assert [u for u in requests if u.endswith("/search/index.json")]


def test_keyboard_moves_through_results_and_escape_closes(page, site_url: str) -> None:
    paths = search(page, site_url, "gao")
    assert paths
    page.keyboard.press("ArrowDown")
    focused = page.evaluate("document.activeElement.href")
    assert urlsplit(focused).path == paths[0]
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
    page.keyboard.press("Escape")
    assert page.evaluate("document.getElementById('__search').checked") is False
    page.keyboard.press("s")   # Material's other shortcuts open it again
    assert page.evaluate("document.activeElement.classList.contains('md-search__input')")


# ---- catalog and directory filters ------------------------------------------------------------

FILTER_STATUS = "#htx-filter .htx-filter__status"


def wait_filtered(page) -> str:
    page.wait_for_function(
        """() => { const s = document.querySelector('#htx-filter .htx-filter__status').textContent;
                   return /^(Tìm thấy|Không có)/.test(s) && !document.querySelector('#htx-filter[aria-busy]'); }""")
    return page.locator(FILTER_STATUS).inner_text()


def option_count(page, select: str, value: str) -> int:
    label = page.eval_on_selector(f"{select} option[value='{value}']", "o => o.textContent")
    return int(re.search(r"\((\d+)\)$", label).group(1))


def card_paths(page, selector: str = "#htx-filter .htx-filter__results a") -> list[str]:
    return [urlsplit(h).path for h in page.eval_on_selector_all(selector, "els => els.map(e => e.href)")]


def test_catalog_filters_narrow_the_list_and_live_in_the_url(page, site_url: str) -> None:
    page.goto(site_url + "san-pham/")
    page.wait_for_selector("#htx-filter:not([hidden])")
    page.click("#htx-filter summary")
    page.select_option("#loc-danh-muc", "mam-nuoc-mam")
    status = wait_filtered(page)
    expected = option_count(page, "#loc-danh-muc", "mam-nuoc-mam")   # counted by the generator
    assert status == f"Tìm thấy {expected} sản phẩm."
    assert parse_qs(urlsplit(page.url).query) == {"danh-muc": ["mam-nuoc-mam"]}
    assert len(card_paths(page)) == expected
    assert page.locator(".htx-categories").is_hidden()           # the unfiltered listing makes way

    page.select_option("#loc-ocop", "4")
    status = wait_filtered(page)
    narrowed = card_paths(page)
    assert 0 < len(narrowed) < expected
    for path in narrowed:                                       # every card is a 4–5 star product
        product = page.context.new_page()
        product.goto(site_url + path.lstrip("/"))
        assert int(product.eval_on_selector(".htx-product", "el => el.dataset.ocop")) >= 4
        assert product.eval_on_selector(".htx-product", "el => el.dataset.category") == "mam-nuoc-mam"
        product.close()
    assert parse_qs(urlsplit(page.url).query) == {"danh-muc": ["mam-nuoc-mam"], "ocop": ["4"]}

    page.reload()                                               # a shared link restores the view
    restored = wait_filtered(page)
    assert restored == status
    assert page.eval_on_selector("#loc-danh-muc", "s => s.value") == "mam-nuoc-mam"
    assert page.eval_on_selector("#loc-ocop", "s => s.value") == "4"
    assert card_paths(page) == narrowed

    page.click("#htx-filter button[type=reset]")
    page.wait_for_function("() => location.search === ''")
    assert page.locator(".htx-categories").is_visible()
    assert page.js_errors == []


def test_catalog_commune_and_certification_filters(page, site_url: str) -> None:
    page.goto(site_url + "san-pham/?xa=30682")                  # Xã Thoại Sơn, from a shared link
    status = wait_filtered(page)
    assert status == f"Tìm thấy {option_count(page, '#loc-xa', '30682')} sản phẩm."
    assert page.locator("#htx-filter details").evaluate("d => d.open")   # a set filter shows its form
    assert all(p.startswith("/san-pham/") for p in card_paths(page))
    commune = page.locator("#htx-filter .htx-card__coop").all_inner_texts()
    assert commune and all(t.endswith("Xã Thoại Sơn") for t in commune)
    page.check("input[name=chung-nhan][value=huu-co]")
    wait_filtered(page)
    assert "chung-nhan=huu-co" in page.url
    assert len(card_paths(page)) <= option_count(page, "#loc-xa", "30682")
    page.goto(site_url + "san-pham/?danh-muc=du-lich&ocop=5&xa=30682&chung-nhan=globalgap")
    assert wait_filtered(page).startswith("Không có sản phẩm nào khớp với bộ lọc")


def test_catalog_filter_is_usable_by_keyboard_and_labelled(page, site_url: str) -> None:
    page.goto(site_url + "san-pham/")
    page.wait_for_selector("#htx-filter:not([hidden])")
    for control in page.locator("#htx-filter select, #htx-filter input").all():
        name = control.evaluate("el => el.labels.length ? el.labels[0].textContent.trim() : ''")
        assert name, control.evaluate("el => el.outerHTML")
    assert page.locator(FILTER_STATUS).get_attribute("role") == "status"
    page.focus("#htx-filter summary")
    page.keyboard.press("Enter")                                 # opens the form
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "loc-danh-muc"
    page.keyboard.press("ArrowDown")                            # a closed select changes value on arrow keys
    wait_filtered(page)
    assert "danh-muc=" in page.url


def test_directory_filter_by_sector(page, site_url: str) -> None:
    page.goto(site_url + "hop-tac-xa/?linh-vuc=thuy-san")
    status = wait_filtered(page)
    assert status.startswith("Tìm thấy") and status.endswith("hợp tác xã.")
    cards = page.locator("#htx-filter .htx-coop-card")
    assert cards.count() >= 1
    for card in cards.all():
        assert "Thủy sản" in card.locator(".htx-coop-card__sectors").inner_text()
    assert page.locator(".htx-listing > .htx-coop-cards[data-htx-static]").is_hidden()
