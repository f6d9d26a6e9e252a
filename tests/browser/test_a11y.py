"""Accessibility of every page type in a phone-sized Chromium: axe-core finds no serious or critical
WCAG 2.1 A/AA violation (before and after Material's script has loaded, with the search open, with
filters applied), and keyboard use works: skip link first, then the search; focus always visible.

axe-core is AXE_JS if set, else node_modules/axe-core/axe.min.js in the repository (`npm ci` with a
package.json pinning axe-core), else the global npm install (`npm i -g axe-core@4.14.1`). The axe tests are
skipped, saying so, when none is there.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")


def find_axe() -> Path | None:
    if os.environ.get("AXE_JS"):
        return Path(os.environ["AXE_JS"]) if Path(os.environ["AXE_JS"]).is_file() else None
    local = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
    if local.is_file():
        return local
    npm = shutil.which("npm")
    if npm:
        try:
            root = subprocess.run([npm, "root", "-g"], capture_output=True, text=True, timeout=60).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            root = ""
        if root and (Path(root) / "axe-core" / "axe.min.js").is_file():
            return Path(root) / "axe-core" / "axe.min.js"
    return None


AXE = find_axe()
needs_axe = pytest.mark.skipif(AXE is None, reason="axe-core not installed: run `npm ci` (package.json) or "
                               "`npm i -g axe-core@4.14.1`, or set AXE_JS to axe.min.js")


def page_types(site: Path) -> dict[str, str]:
    """{page type: path} of one page of each kind in the built site."""
    def first(pattern: str, must: str) -> str:
        for path in sorted(site.glob(pattern)):
            if re.search(must, path.read_text(encoding="utf-8")):
                return path.parent.relative_to(site).as_posix() + "/"
        raise AssertionError(f"no page {pattern} with {must}")

    return {
        "home": "",
        "catalog": "san-pham/",
        "category": first("san-pham/*/index.html", r'class="htx-cards"'),
        # With its contact buttons: a profile unconfirmed for 24 months has a notice instead ("expired").
        "product": first("san-pham/*/*/index.html", r'htx-gallery__main"[^>]*\.webp[\s\S]*class="htx-contact"'),
        "product-no-photo": first("san-pham/*/*/index.html", r"htx-noimg htx-noimg--main htx-gallery__main"),
        "cooperative": first("hop-tac-xa/*/index.html", r'htx-coop__top[\s\S]*class="htx-contact"'),
        "directory": "hop-tac-xa/",
        "communes": "xa-phuong/",
        "commune": first("xa-phuong/*/index.html", r"htx-coop-card"),
        "explainer": "hop-tac-xa-kieu-moi/",
        "news": "tin-tuc/",
        "news-post": first("tin-tuc/*/index.html", r"BlogPosting"),
        "guide": "tham-gia/",
        "builder": "tham-gia/tao-ho-so/",
        "statistics": "thong-ke/",
        "about": "ve-trang-nay/",
        "not-found": "404.html",
        "privacy": "quyen-rieng-tu/",
        "staff-status": "bien-tap/tinh-trang/",
        "stale": first("hop-tac-xa/*/index.html", r"htx-verified--stale"),
        "expired": first("hop-tac-xa/*/index.html", r"htx-notice--expired"),
    }


KINDS = ["home", "catalog", "category", "product", "product-no-photo", "cooperative", "directory", "communes", "commune",
         "explainer", "news", "news-post", "guide", "builder", "statistics", "about", "not-found", "privacy",
         "staff-status", "stale", "expired"]


@pytest.fixture(scope="session")
def types(built_site: Path) -> dict[str, str]:
    return page_types(built_site / "site")


def run_axe(page) -> list[dict]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated by the browser's debugging protocol: the site's Content-Security-Policy refuses the inline
        # <script> that add_script_tag would insert (tests/browser/test_csp.py).
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", TAGS)
    return result["violations"]


def assert_no_blocking(violations: list[dict], where: str) -> None:
    problems = []
    for v in violations:
        if v["impact"] not in BLOCKING:
            continue
        for node in v["nodes"]:
            target = " ".join(node["target"])
            problems.append(f"{v['impact']} {v['id']}: {target} — {node['failureSummary'].splitlines()[-1].strip()}")
    assert not problems, f"{where}:\n  " + "\n  ".join(problems)


def load_material(page) -> None:
    """Material's bundle loads on the first interaction (overrides/main.html): give it one, wait for it."""
    page.evaluate("window.dispatchEvent(new Event('scroll'))")
    page.wait_for_function("() => window.component$ !== undefined")
    page.wait_for_timeout(300)   # let its components mount and transitions end


@needs_axe
@pytest.mark.parametrize("kind", KINDS)
def test_page_type_has_no_serious_violations(page, site_url: str, types: dict[str, str], kind: str) -> None:
    page.goto(site_url + types[kind], wait_until="load")
    assert_no_blocking(run_axe(page), f"{kind} ({types[kind]}), as loaded")
    load_material(page)
    assert_no_blocking(run_axe(page), f"{kind} ({types[kind]}), with Material's script")
    assert page.js_errors == []


def search_for(page, url: str, query: str) -> None:
    """Open the header search on url, type query as a visitor does and wait for results."""
    page.goto(url)
    page.locator(".md-header label[for=__search]").first.click()
    page.wait_for_function("() => document.activeElement && document.activeElement.classList.contains('md-search__input')")
    page.keyboard.type(query, delay=20)
    page.wait_for_function("() => document.querySelectorAll('.md-search-result__list a').length > 0")


@needs_axe
def test_open_search_with_results(page, site_url: str) -> None:
    search_for(page, site_url + "hop-tac-xa-kieu-moi/", "mắm")
    page.wait_for_timeout(400)
    assert_no_blocking(run_axe(page), "search open with results")
    page.fill(".md-search__input", "qqxxzz")
    page.wait_for_function("() => document.getElementById('htx-search-status').textContent.includes('Không tìm thấy')")
    assert_no_blocking(run_axe(page), "search open without results")


@needs_axe
@pytest.mark.parametrize("path, field", [("san-pham/", "#loc-danh-muc"), ("hop-tac-xa/", "#loc-linh-vuc")])
def test_filters_by_keyboard(page, site_url: str, path: str, field: str) -> None:
    """The filter folds under its summary on a phone: open it, choose a value and see results, keys only."""
    page.goto(site_url + path)
    page.wait_for_selector("#htx-filter:not([hidden])")
    summary = page.locator("#htx-filter summary")
    summary.focus()
    if not page.evaluate("document.querySelector('#htx-filter details').open"):
        page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == field.lstrip("#")
    page.keyboard.press("ArrowDown")   # the first choice after "all"
    page.wait_for_selector(".htx-filter__results:not([hidden]) > li")
    assert re.search(r"[?&][a-z-]+=", page.url), "the filter is kept in the address"
    status = page.locator(".htx-filter__status").text_content()
    assert status.startswith("Tìm thấy"), status
    assert_no_blocking(run_axe(page), f"{path} filtered")


def outline(page, selector: str = ":focus") -> tuple[float, str]:
    """Width and style of the focus outline of the focused element (or of its ::after, used by cards)."""
    return tuple(page.evaluate("""() => {
        const e = document.activeElement;
        for (const pseudo of [null, '::after']) {
            const s = getComputedStyle(e, pseudo);
            if (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) return [parseFloat(s.outlineWidth), s.outlineStyle];
        }
        return [0, 'none'];
    }"""))


def test_skip_link_first_then_search(page, site_url: str, types: dict[str, str]) -> None:
    for kind in ("home", "catalog", "product", "builder"):
        page.goto(site_url + types[kind])
        page.keyboard.press("Tab")
        skip = page.evaluate("[document.activeElement.className, document.activeElement.textContent.trim(), document.activeElement.getAttribute('href')]")
        assert skip[:2] == ["md-skip", "Chuyển đến nội dung chính"], (kind, skip)
        page.wait_for_timeout(400)   # Material fades the link in
        assert page.locator(".md-skip").evaluate("e => getComputedStyle(e).opacity") == "1"
        assert outline(page)[0] > 0, f"{kind}: the skip link shows no focus"
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.classList.contains('md-search__input')"), kind
        assert outline(page)[0] > 0, f"{kind}: the search box shows no focus"
        # Through the skip link: the next stop is in the page's content.
        page.goto(site_url + types[kind])
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == skip[2] or page.evaluate("decodeURIComponent(location.hash)") == skip[2]
        page.keyboard.press("Tab")
        assert page.evaluate("!!document.activeElement.closest('.md-content')"), \
            f"{kind}: after the skip link, Tab went to {page.evaluate('document.activeElement.outerHTML.slice(0, 120)')}"


def test_focus_visible_on_every_stop(page, site_url: str, types: dict[str, str]) -> None:
    for kind in ("product", "cooperative", "catalog", "not-found"):
        page.goto(site_url + types[kind])
        seen = 0
        for _ in range(60):
            page.keyboard.press("Tab")
            tag = page.evaluate("document.activeElement.tagName")
            if tag == "BODY":
                break
            width, style = outline(page)
            assert width > 0 and style != "none", \
                f"{kind}: no visible focus on {page.evaluate('document.activeElement.outerHTML.slice(0, 160)')}"
            seen += 1
        assert seen >= 10, kind


def test_desktop_skip_link_then_header(browser, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    try:
        page.goto(site_url + "san-pham/")
        stops = []
        for _ in range(3):
            page.keyboard.press("Tab")
            stops.append(page.evaluate("document.activeElement.className"))
            assert outline(page)[0] > 0, stops[-1]
        assert stops[0] == "md-skip"
        assert any("md-search__input" in s for s in stops[1:]), stops
    finally:
        context.close()


def test_material_script_waits_for_the_first_interaction(page, site_url: str, types: dict[str, str]) -> None:
    """Phones show the page without running Material's bundle; the first key or touch brings it, and it works."""
    requested: list[str] = []
    failed: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.on("response", lambda r: r.status >= 400 and failed.append(r.url))
    page.goto(site_url + types["product"], wait_until="load")
    page.wait_for_timeout(500)
    assert not [u for u in requested if "/assets/javascripts/bundle." in u], "Material's bundle loaded before any interaction"
    assert page.evaluate("document.documentElement.classList.contains('js')"), "the search needs the js class at once"
    page.keyboard.press("Tab")
    page.wait_for_function("() => window.component$ !== undefined")
    assert [u for u in requested if "/assets/javascripts/bundle." in u]
    page.wait_for_timeout(500)
    assert failed == [], f"requests failed: {failed}"   # e.g. sitemap.xml beside the news feeds
    assert page.js_errors == []


def test_contact_buttons_are_big_enough_to_tap(page, site_url: str, types: dict[str, str]) -> None:
    for kind in ("product", "cooperative"):
        page.goto(site_url + types[kind])
        boxes = page.locator(".htx-contact a").evaluate_all("els => els.map(e => e.getBoundingClientRect().height)")
        assert boxes and min(boxes) >= 44, (kind, boxes)


def test_home_search_field_opens_the_search_by_keyboard(page, site_url: str) -> None:
    page.goto(site_url)
    page.locator(".htx-hero__search").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement && document.activeElement.classList.contains('md-search__input')")
    assert page.evaluate("document.getElementById('__search').checked")
    assert page.url == site_url, "with JavaScript the field opens the search instead of the catalog"


def test_not_found_page_searches_the_site(page, site_url: str) -> None:
    page.goto(site_url + "404.html")
    page.fill("#htx-404-q", "mắm cá linh")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelectorAll('.md-search-result__list a').length > 0")
    assert page.locator(".md-search__input").input_value() == "mắm cá linh"
    assert page.url.endswith("404.html"), "the words go to the header search, not to another page"
