"""Launch day on a phone (issue 18), in a real headless Chromium at 360 and 390 px: the statistics charts keep
their numbers on screen, "Mua ở đâu" links are as easy to tap as the buttons beside them, the catalog sorts by
price and says what "in season" means, and the pages of a site without sample profiles fit the screen and
lead cooperatives to the guide and the board's contacts.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import serve
from tests.conftest import MKDOCS, REPO, copy_project, run
from tests.test_launch import set_real_contacts

pytestmark = pytest.mark.browser
WIDTHS = (360, 390)


def phone(browser, width: int):
    return browser.new_context(viewport={"width": width, "height": 800}, is_mobile=True, has_touch=True, locale="vi-VN")


def overflow(page) -> list[str]:
    """Elements whose right edge passes the screen's (outside scroll wrappers and closed parts)."""
    return page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5 && e.getClientRects().length
                 && !e.closest('.md-typeset__scrollwrap, .md-sidebar, [hidden], .md-search'))
        .slice(0, 5).map(e => e.tagName + '.' + e.className)""")


@pytest.mark.parametrize("width", WIDTHS)
def test_statistics_charts_keep_their_numbers_on_a_phone(browser, site_url: str, width: int) -> None:
    context = phone(browser, width)
    try:
        page = context.new_page()
        page.goto(site_url + "thong-ke/")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert overflow(page) == []
        charts = page.locator(".htx-chart")
        assert charts.count() == 4
        for chart in charts.all():
            rows = chart.locator("tbody tr").all()
            assert rows
            for row in rows:
                value = row.locator(".htx-bar__value")
                box = value.bounding_box()
                assert box and box["width"] > 0 and box["x"] + box["width"] <= width, row.inner_text()
                assert re.fullmatch(r"\d[\d.]*", value.inner_text())
                assert row.locator(".htx-bar__fill").bounding_box()["x"] + 2 < box["x"]   # the bar, then its number
        communes = page.locator("#bd-xa-phuong").locator("xpath=..").locator(".htx-bar__value")
        assert communes.count() >= 10
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_where_to_buy_links_are_44px_targets(browser, site_url: str, built_site: Path, width: int) -> None:
    pages = sorted((built_site / "site" / "san-pham").glob("*/*/index.html"))
    path = next(p for p in pages if 'id="noi-ban"' in p.read_text(encoding="utf-8") and 'class="htx-channels"' in p.read_text(encoding="utf-8")
                and '<li><a href="http' in p.read_text(encoding="utf-8").split('id="noi-ban"')[1].split("</section>")[0])
    context = phone(browser, width)
    try:
        page = context.new_page()
        page.goto(site_url + path.parent.relative_to(built_site / "site").as_posix() + "/")
        links = page.locator("#noi-ban ~ .htx-channels a").all()
        assert links
        for link in links:
            assert link.bounding_box()["height"] >= 44, link.inner_text()
        assert page.locator(".htx-contact .htx-button").first.bounding_box()["height"] >= 44
    finally:
        context.close()


def prices(page) -> list[int | None]:
    texts = page.locator("#htx-filter .htx-filter__results .htx-price").all_inner_texts()
    found = [re.match(r"([\d.]+)\s*₫", t) for t in texts]   # "35.000 ₫ / hũ 100 g", or "Giá: liên hệ"
    return [int(m.group(1).replace(".", "")) if m else None for m in found]


def wait_filtered(page) -> str:
    page.wait_for_function("() => { const s = document.querySelector('#htx-filter .htx-filter__status');"
                           " return s && s.textContent && s.textContent !== 'Đang lọc…'; }")
    return page.locator("#htx-filter .htx-filter__status").inner_text()


def show_all(page, total: int) -> None:
    """Press "Xem thêm" until all `total` results are cards (Material's bundle, loaded on the first
    interaction, may run the filter once more: wait for the full list, not for one click)."""
    for _ in range(20):
        if page.locator("#htx-filter .htx-filter__results > li").count() >= total:
            break
        more = page.locator("#htx-filter .htx-filter__more")
        if more.is_visible() and more.is_enabled():
            more.click()
        page.wait_for_timeout(150)
    page.wait_for_function("(n) => document.querySelectorAll('#htx-filter .htx-filter__results > li').length === n", arg=total)


def test_catalog_sorts_by_price(page, site_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from htx.site.freshness import freshness
    from htx.pipeline import build
    from tests.conftest import BUILD_EPOCH

    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)   # the built site's "today"
    catalog = build(REPO / "cooperatives", base=REPO, with_images=False).catalog
    page.goto(site_url + "san-pham/?sap-xep=gia-thap")
    assert wait_filtered(page) == f"Tìm thấy {len(catalog.items)} sản phẩm."
    show_all(page, len(catalog.items))
    up = prices(page)
    priced = [p for p in up if p is not None]
    # Profiles confirmed 24+ months ago show no price (htx.site.freshness): they are listed among "Liên hệ".
    assert len(priced) == sum(1 for i in catalog.items.values()
                              if i.product.price is not None and freshness(i.coop, catalog.today) != "expired")
    assert up[:len(priced)] == sorted(priced)                     # cheapest first, "Liên hệ" last
    page.select_option("#loc-sap-xep", "gia-cao")
    page.wait_for_function("() => location.search.includes('sap-xep=gia-cao')")   # the choice lives in the URL
    page.goto(site_url + "san-pham/?sap-xep=gia-cao")
    wait_filtered(page)
    show_all(page, len(catalog.items))
    down = prices(page)
    assert [p for p in down if p is not None] == sorted(priced, reverse=True)
    assert page.js_errors == []


def test_in_season_and_year_round_are_separate_choices(page, site_url: str) -> None:
    from htx.pipeline import build

    catalog = build(REPO / "cooperatives", base=REPO, with_images=False).catalog
    page.goto(site_url + "san-pham/")
    month = page.evaluate("new Date().getMonth() + 1")
    seasonal = {i.url for i in catalog.items.values() if i.product.season and month in i.product.season}
    year_round = {i.url for i in catalog.items.values() if not i.product.season}
    assert year_round, "the samples hold year-round products"
    hint = page.locator("#loc-mua-giai-thich").text_content()   # under the choice, in the folded form
    assert "sản phẩm theo mùa có hàng trong tháng này" in hint
    for choice, expected in (("dang-mua", seasonal), ("quanh-nam", year_round)):
        page.goto(site_url + f"san-pham/?mua={choice}")
        status = wait_filtered(page)
        show_all(page, len(expected))
        found = {urlsplit(h).path.lstrip("/") for h in page.eval_on_selector_all("#htx-filter .htx-filter__results a", "els => els.map(e => e.href)")}
        assert found == expected, (choice, status)
    assert len(seasonal) < len(catalog.items) - len(year_round) + 1


# ---- a site without sample profiles ---------------------------------------------------------

@pytest.fixture(scope="module")
def launch_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    project = copy_project(tmp_path_factory.mktemp("launch-browser") / "p")
    set_real_contacts(project)
    result = run(MKDOCS + ["build", "--strict"], project, {"HTX_INCLUDE_SAMPLES": "false"})
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    with serve(project / "site") as url:
        yield url


LAUNCH_PAGES = ["", "san-pham/", "san-pham/ocop/", "hop-tac-xa/", "xa-phuong/", "thong-ke/", "ve-trang-nay/"]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", LAUNCH_PAGES)
def test_launch_pages_fit_the_phone_and_invite_cooperatives(browser, launch_url: str, path: str, width: int) -> None:
    context = phone(browser, width)
    try:
        page = context.new_page()
        page.goto(launch_url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, overflow(page)
        footer = page.locator(".md-copyright")
        assert "Ban biên tập" in footer.inner_text()
        assert footer.locator("a[href^='mailto:']").count() == 1
        if path == "ve-trang-nay/":
            assert page.locator(".htx-operator a[href^='tel:']").count() == 1
            return
        invite = page.locator(".htx-empty")
        assert invite.is_visible()
        for link in invite.locator("a").all():
            box = link.bounding_box()
            assert box["height"] >= 44 and box["x"] + box["width"] <= width
        invite.locator("a", has_text="Liên hệ ban biên tập").click()
        page.wait_for_url("**/ve-trang-nay/#lien-he")
        assert page.locator("#lien-he").is_visible()
    finally:
        context.close()
