"""The English edition in Chromium (issue 22): the language switch leads from every page type to its English
twin and back, English pages have no serious or critical axe violation, and the header search on an English
page searches the English pages."""
from __future__ import annotations

from pathlib import Path

import pytest

from htx.site.i18n import english_url

from .test_a11y import assert_no_blocking, load_material, needs_axe, page_types, run_axe, search_for

# The page types that have an English twin (tests/browser/test_a11y.py finds one page of each).
TWINNED = ["home", "catalog", "category", "product", "product-no-photo", "cooperative", "directory", "communes",
           "commune", "explainer", "statistics", "privacy", "stale", "expired"]
PAIRS = {"hop-tac-xa-kieu-moi/": "en/new-model-cooperative/", "quyen-rieng-tu/": "en/privacy/", "ke-hoach/": "en/plan/"}


@pytest.fixture(scope="module")
def twins(built_site: Path) -> dict[str, tuple[str, str]]:
    """{page type: (Vietnamese path, English path)}."""
    found = {kind: url for kind, url in page_types(built_site / "site").items() if kind in TWINNED}
    found.update(plan="ke-hoach/", ocop="san-pham/ocop/")
    return {kind: (url, PAIRS.get(url) or english_url(url) or "") for kind, url in found.items()}


@pytest.mark.parametrize("kind", [*TWINNED, "plan", "ocop"])
def test_switch_leads_to_the_twin_and_back(page, site_url: str, twins: dict[str, tuple[str, str]], kind: str) -> None:
    vi, en = twins[kind]
    assert en, kind
    page.goto(site_url + vi)
    assert page.evaluate("document.documentElement.lang") == "vi"
    switch = page.locator("a.htx-lang")
    assert switch.inner_text().strip() == "English"
    switch.click()
    page.wait_for_load_state("load")
    assert page.url == site_url + en, kind
    assert page.evaluate("document.documentElement.lang") == "en"
    back = page.locator("a.htx-lang")
    assert back.inner_text().strip() == "Tiếng Việt" and back.get_attribute("lang") == "vi"
    back.click()
    page.wait_for_load_state("load")
    assert page.url == site_url + vi, kind
    assert page.js_errors == []


def test_pages_only_in_vietnamese_switch_to_the_english_home(page, site_url: str) -> None:
    page.goto(site_url + "tin-tuc/")
    page.locator("a.htx-lang").click()
    page.wait_for_load_state("load")
    assert page.url == site_url + "en/"
    assert page.locator("h1").first.inner_text().strip() != ""


@needs_axe
@pytest.mark.parametrize("kind", [*TWINNED, "plan", "ocop", "how-to-buy"])
def test_english_page_has_no_serious_violations(page, site_url: str, twins: dict[str, tuple[str, str]], kind: str) -> None:
    url = "en/how-to-buy/" if kind == "how-to-buy" else twins[kind][1]
    page.goto(site_url + url, wait_until="load")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert_no_blocking(run_axe(page), f"English {kind} ({url}), as loaded")
    load_material(page)
    assert_no_blocking(run_axe(page), f"English {kind} ({url}), with Material's script")
    assert page.js_errors == []


def test_header_search_on_english_pages_finds_english_pages(page, site_url: str) -> None:
    search_for(page, site_url + "en/products/", "rice")
    links = page.eval_on_selector_all(".md-search-result__list a", "els => els.map(a => a.getAttribute('href'))")
    assert links and all("/en/" in href for href in links), links
    page.fill(".md-search__input", "qqxxzz")
    page.wait_for_function("() => document.getElementById('htx-search-status').textContent.includes('No results')")
    assert page.js_errors == []


def test_material_fetches_no_sitemap_for_the_language_versions(page, site_url: str) -> None:
    """Material's bundle fetches sitemap.xml beside every <link rel="alternate"> it finds (2 MB at national scale);
    site.js takes the hreflang links out of the page before the bundle loads."""
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    for url in ("san-pham/", "en/products/"):
        page.goto(site_url + url, wait_until="load")
        assert page.locator('link[rel="alternate"][hreflang]').count() == 3   # as served, for search engines
        load_material(page)
        assert page.locator('link[rel="alternate"][hreflang]').count() == 0
    page.wait_for_timeout(500)
    assert not [u for u in asked if "sitemap" in u], asked
