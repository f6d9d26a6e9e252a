"""The English edition on the built sample site (issue 22): every page kind has its English twin, each pair
of twins names the other (hreflang, both ways, with x-default) in the page and in the sitemap, English pages
say so (lang, og:locale, inLanguage), and they are searched in their own index."""
from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from htx.site.i18n import english_url

pytestmark = pytest.mark.slow

# One page of every kind, and its English twin.
KINDS = {
    "": "en/",
    "hop-tac-xa-kieu-moi/": "en/new-model-cooperative/",
    "ke-hoach/": "en/plan/",
    "quyen-rieng-tu/": "en/privacy/",
    "san-pham/": "en/products/",
    "san-pham/ocop/": "en/products/ocop/",
    "san-pham/gao-nong-san/": "en/products/gao-nong-san/",
    "hop-tac-xa/": "en/cooperatives/",
    "xa-phuong/": "en/communes/",
    "thong-ke/": "en/statistics/",
}


class Head(HTMLParser):
    """The parts of a page this test reads: <html lang>, hreflang links, og:locale, canonical, JSON-LD."""

    def __init__(self) -> None:
        super().__init__()
        self.lang = ""
        self.alternates: dict[str, str] = {}
        self.meta: dict[str, list[str]] = {}
        self.canonical = ""
        self.ld: list[str] = []
        self._in_ld = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang", "")
        elif tag == "link" and a.get("rel") == "alternate" and a.get("hreflang"):
            self.alternates[a["hreflang"]] = a["href"]
        elif tag == "link" and a.get("rel") == "canonical":
            self.canonical = a["href"]
        elif tag == "meta" and a.get("property"):
            self.meta.setdefault(a["property"], []).append(a.get("content", ""))
        elif tag == "script" and a.get("type") == "application/ld+json":
            self._in_ld = True

    def handle_data(self, data: str) -> None:
        if self._in_ld:
            self.ld.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_ld = False


def read(site: Path, url: str) -> Head:
    head = Head()
    head.feed((site / url / "index.html").read_text(encoding="utf-8"))
    return head


@pytest.fixture(scope="module")
def site(built_site: Path) -> Path:
    return built_site / "site"


def test_every_page_kind_has_its_english_twin(site: Path) -> None:
    product = next(p.parent.relative_to(site).as_posix() + "/" for p in sorted((site / "san-pham").glob("*/*/index.html"))
                   if p.parent.parent.name not in ("trang",) and (site / "hop-tac-xa" / p.parent.parent.name).is_dir())
    coop = next(p.parent.relative_to(site).as_posix() + "/" for p in sorted((site / "hop-tac-xa").glob("*/index.html"))
                if p.parent.name != "trang")
    commune = next(p.parent.relative_to(site).as_posix() + "/" for p in sorted((site / "xa-phuong").glob("*/index.html")))
    pairs = dict(KINDS, **{u: english_url(u) for u in (product, coop, commune)})
    for vi, en in pairs.items():
        assert en is not None and (site / en / "index.html").is_file(), (vi, en)
        page = read(site, en)
        assert page.lang == "en", en
        assert page.meta["og:locale"] == ["en_GB"] and page.meta["og:locale:alternate"] == ["vi_VN"], en
        assert read(site, vi).lang == "vi", vi


def test_hreflang_pairs_point_back_on_every_page(site: Path) -> None:
    root = "https://htx.angiang.example/"
    checked = 0
    for path in sorted(site.rglob("index.html")):
        url = path.parent.relative_to(site).as_posix() + "/"
        url = "" if url == "./" else url
        if url.startswith(("search/", "assets/")):
            continue
        page = read(site, url)
        if not page.alternates:
            continue
        own = "en" if url.startswith("en/") else "vi"
        other = "vi" if own == "en" else "en"
        assert set(page.alternates) == {"vi", "en", "x-default"}, url
        assert page.alternates[own] == page.canonical == root + url, url
        assert page.alternates["x-default"] == page.alternates["vi"], url
        twin = page.alternates[other].removeprefix(root)
        back = read(site, twin)
        assert back.alternates.get(own) == root + url, (url, twin)
        assert back.alternates.get(other) == root + twin
        checked += 1
    assert checked > 150     # every page kind of the sample site, in both languages


def test_pages_only_in_one_language_have_no_hreflang_but_a_switch(site: Path) -> None:
    for url, home in (("tin-tuc/", "../en/"), ("su-kien/", "../en/"), ("en/how-to-buy/", "../..")):
        page = read(site, url)
        assert page.alternates == {}, url
        html = (site / url / "index.html").read_text(encoding="utf-8")
        switch = re.search(r'<a class="md-header__button htx-lang" href="([^"]+)" hreflang="(\w+)"', html)
        assert switch is not None and switch.group(1) == home, url


def test_structured_data_says_the_language(site: Path) -> None:
    for url, lang in (("en/products/", "en"), ("san-pham/", "vi"), ("en/new-model-cooperative/", "en")):
        blocks = [json.loads(text) for text in read(site, url).ld]
        pages = [b for b in blocks if b.get("@type") == "WebPage"]
        assert pages and pages[0]["inLanguage"] == lang, url


def test_sitemap_lists_both_languages_with_alternates(site: Path) -> None:
    text = (site / "sitemap.xml").read_text(encoding="utf-8")
    rows = re.findall(r"<url>(.*?)</url>", text, re.S)
    by_loc = {re.search(r"<loc>([^<]+)</loc>", r).group(1): dict(re.findall(r'hreflang="([^"]+)" href="([^"]+)"', r)) for r in rows}
    root = "https://htx.angiang.example/"
    assert by_loc[root + "en/products/"] == {"vi": root + "san-pham/", "en": root + "en/products/", "x-default": root + "san-pham/"}
    for loc, links in by_loc.items():
        for href in links.values():
            assert href in by_loc, (loc, href)              # every alternate is itself listed
            assert by_loc[href] == links, (loc, href)       # with the same set: reciprocal


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js runs engine.js")
def test_english_pages_have_their_own_index(site: Path) -> None:
    from tests.unit.test_search import run_engine

    english = json.loads((site / "search" / "en" / "index.json").read_text(encoding="utf-8"))
    vietnamese = json.loads((site / "search" / "index.json").read_text(encoding="utf-8"))
    assert english["pages"] > 40 and vietnamese["pages"] > 40
    vi_results, = run_engine(site, [["search", "gao"]])
    en_results, = run_engine(site, [["search", "rice"]], index="search/en/")
    assert vi_results and not any(u.startswith("en/") for u in vi_results)
    assert en_results and all(u.startswith("en/") for u in en_results)


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js runs engine.js")
@pytest.mark.parametrize(("query", "first"), [
    ("fish sauce", "nuoc-mam-nhi"), ("rice", "gao-"), ("honey", "mat-ong"), ("pepper", "tieu-den"),
    ("dried fish", "kho-ca"), ("palm sugar", "duong-thot-not"), ("silk", "lua"),
])
def test_english_words_find_the_products(site: Path, query: str, first: str) -> None:
    """Sample products have Vietnamese names: their English pages carry the glossary's words for them."""
    from tests.unit.test_search import run_engine

    results, = run_engine(site, [["search", query]], index="search/en/")
    assert results and results[0].startswith("en/products/") and first in results[0], (query, results[:3])


def test_english_pages_share_english_cards(site: Path) -> None:
    """A product's English page shares its own card (English words on it: htx.publish.share `words`)."""
    product = "san-pham/htx-lua-gao-thoai-son/gao-thom-huu-co-dong-xanh-5kg/"
    vi, en = read(site, product), read(site, english_url(product) or "")
    assert vi.meta["og:image"] != en.meta["og:image"]
    for page in (vi, en):
        path = site / page.meta["og:image"][0].removeprefix("https://htx.angiang.example/")
        assert path.is_file() and path.stat().st_size > 10_000
    assert en.meta["og:image:alt"] == ["Đồng Xanh organic fragrant rice, 5 kg bag — Đồng Xanh Thoại Sơn Agricultural Cooperative"]
