"""The Content-Security-Policy holds (issue 17, deliverable 8): every page type of the built sample site, with
Material's bundle loaded, the search, the filters and the builder used, records no `securitypolicyviolation`
event and no CSP error in the console, in a real headless Chromium."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.test_builder import fill_valid, generate, open_builder
from tests.browser.test_search import search, wait_filtered

pytestmark = pytest.mark.browser

POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; "
          "img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'none'; frame-src 'none'; "
          "object-src 'none'; base-uri 'self'; form-action 'self'")

# Registered before any script of the page runs; the list survives until the next navigation.
LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sourceFile || "") + ":" + e.lineNumber);
});
"""

PAGES = {
    "home": "",
    "catalog": "san-pham/",
    "category": "san-pham/gao-nong-san/",
    "product": "san-pham/htx-mam-chau-doc/mam-ca-linh-ben-do-500g/",
    "cooperative": "hop-tac-xa/htx-mam-chau-doc/",
    "directory": "hop-tac-xa/",
    "commune": "xa-phuong/phuong-chau-doc/",
    "communes": "xa-phuong/",
    "ocop": "san-pham/ocop/",
    "statistics": "thong-ke/",
    "explainer": "hop-tac-xa-kieu-moi/",
    "plan": "ke-hoach/",
    "news": "tin-tuc/",
    "news post": "tin-tuc/an-giang-moi-102-xa-phuong/",
    "news archive": "tin-tuc/luu-tru/2026/11/",
    "news category": "tin-tuc/chuyen-muc/chinh-sach/",
    "contributor guide": "tham-gia/",
    "builder": "tham-gia/tao-ho-so/",
    "404": "404.html",
    "privacy": "quyen-rieng-tu/",
    "staff status": "bien-tap/tinh-trang/",
    "expired cooperative": "hop-tac-xa/htx-co-bang-giang-thanh/",
}


@pytest.fixture
def guarded(page):
    """The phone-sized page, listening for CSP violations (events, and Chromium's console errors)."""
    page.context.add_init_script(LISTEN)
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    page.csp_console = console
    return page


def violations(page) -> list[str]:
    return page.evaluate("window.__csp || []") + page.csp_console


def load_material(page) -> None:
    """Interact as a visitor does: Material's bundle is fetched on the first interaction (assets/htx/site.js)."""
    page.mouse.move(10, 300)
    page.wait_for_function("() => typeof window.document$ !== 'undefined'")
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("name", PAGES)
def test_page_has_the_policy_and_no_violation(guarded, site_url: str, name: str) -> None:
    page = guarded
    page.goto(site_url + PAGES[name])
    assert page.get_attribute('meta[http-equiv="Content-Security-Policy"]', "content") == POLICY
    assert page.get_attribute('meta[name="referrer"]', "content") == "strict-origin-when-cross-origin"
    # The policy stands before any script: the first <script> of the page comes after it.
    first = page.evaluate("""() => { const all = [...document.querySelectorAll('meta[http-equiv], script')];
                                   return all[0].tagName + ' ' + (all[1] && all[1].tagName); }""")
    assert first.startswith("META")
    load_material(page)
    assert page.locator("html.js").count() == 1          # our early script ran (no-js → js)
    assert violations(page) == [], violations(page)
    assert page.js_errors == []


def test_no_inline_script_in_any_page(built_site: Path) -> None:
    import re

    for path in (built_site / "site").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text):
            assert "src=" in tag or 'type="application/ld+json"' in tag or 'type="application/json"' in tag, (path, tag)
        assert not re.search(r"\son[a-z]+=", re.sub(r"<script\b.*?</script>", "", text, flags=re.S)), path
        assert "<style" not in text, path


def test_search_without_diacritics_runs_under_the_policy(guarded, site_url: str) -> None:
    paths = search(guarded, site_url, "nuoc mam")
    assert paths and any("nuoc-mam" in p or "mam" in p for p in paths[:5]), paths
    assert violations(guarded) == [], violations(guarded)
    assert guarded.js_errors == []


def test_catalog_filters_run_under_the_policy(guarded, site_url: str) -> None:
    page = guarded
    page.goto(site_url + "san-pham/?danh-muc=mam-nuoc-mam&ocop=3")
    assert wait_filtered(page).startswith("Tìm thấy")
    load_material(page)
    page.goto(site_url + "hop-tac-xa/?linh-vuc=che-bien")
    wait_filtered(page)
    assert violations(page) == [], violations(page)
    assert page.js_errors == []


def test_builder_fills_and_downloads_under_the_policy(guarded, site_url: str) -> None:
    page = guarded
    open_builder(page, site_url)
    fill_valid(page)
    text = generate(page)
    with page.expect_download() as info:
        page.click("#htx-b-download")
    assert Path(info.value.path()).read_text(encoding="utf-8") == text
    assert violations(page) == [], violations(page)
    assert page.js_errors == []


def test_404_search_hands_words_to_the_header_search(guarded, site_url: str) -> None:
    page = guarded
    page.goto(site_url + "404.html")
    page.fill("#htx-404-q", "nuoc mam")
    page.click(".htx-404__search button[type=submit]")
    page.wait_for_function("() => document.querySelector('#htx-search-list').dataset.query === 'nuoc mam'")
    assert page.locator("#htx-search-list a").count() > 0
    assert violations(page) == [], violations(page)
