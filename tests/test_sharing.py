"""Sharing and crawling of the built sample site: Open Graph and Twitter tags on every page type, canonical
URLs, the default share image, sitemap.xml, robots.txt and the Vietnamese 404 page."""
from __future__ import annotations

import html as htmllib
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml
from PIL import Image

from tests.conftest import REPO
from tests.test_structured_data import SITE_URL, pages, site_file

pytestmark = pytest.mark.slow

SITE_NAME = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)["site_name"]
SITE_NAME_EN = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)["extra"]["english"]["site_name"]
DEFAULT_IMAGE = SITE_URL + "assets/htx/share-default.png"


def meta(html: str) -> dict[str, str]:
    """{property or name: content} of the page's <meta> tags (the first of each), unescaped."""
    head = html.split("</head>", 1)[0]
    out: dict[str, str] = {}
    for tag in re.findall(r"<meta\s[^>]*>", head):
        key = re.search(r'(?:property|name)="([^"]+)"', tag)
        content = re.search(r'content="([^"]*)"', tag)
        if key and content:
            out.setdefault(key.group(1), htmllib.unescape(content.group(1)))
    return out


def canonical(html: str) -> str | None:
    found = re.search(r'<link rel="canonical" href="([^"]+)"', html)
    return found.group(1) if found else None


@pytest.fixture(scope="module")
def site_pages(built_site: Path) -> dict[str, str]:
    return dict(pages(built_site / "site"))


def test_share_tags_on_every_page(site_pages: dict[str, str], built_site: Path) -> None:
    site = built_site / "site"
    for url, html in site_pages.items():
        if url == "404.html":
            continue
        m = meta(html)
        assert canonical(html) == SITE_URL + quote(url), url
        assert m["og:url"] == canonical(html), url
        english = url.startswith("en/")
        assert m["og:locale"] == ("en_GB" if english else "vi_VN") and m["og:site_name"] == (SITE_NAME_EN if english else SITE_NAME)
        assert m["og:type"] in ("website", "article"), url
        for key in ("og:title", "og:description", "twitter:title", "twitter:description", "description", "og:image:alt"):
            assert m.get(key, "").strip(), f"{url}: {key} missing"
            assert "<" not in m[key] and "&lt;" not in m[key], f"{url}: {key} double-escaped or raw HTML"
        assert m["twitter:title"] == m["og:title"] and m["twitter:description"] == m["og:description"]
        assert m["twitter:card"] == "summary_large_image"
        assert m["og:image"] == m["twitter:image"], url
        assert m["og:image"].startswith(SITE_URL), f"{url}: og:image must be absolute under site_url"
        assert site_file(site, m["og:image"]).is_file(), f"{url}: {m['og:image']} not in the site"
        assert int(m["og:image:width"]) >= 600 and int(m["og:image:height"]) >= 315, url


def test_titles_name_the_page_once(site_pages: dict[str, str]) -> None:
    for url, html in site_pages.items():
        title = htmllib.unescape(re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip())
        assert title.count(SITE_NAME_EN if url.startswith("en/") else SITE_NAME) == 1, f"{url}: {title!r}"
    home = meta(site_pages[""])
    assert home["og:title"] == SITE_NAME, "the home page shares the site's name, not 'Trang chủ'"


def test_pages_without_a_photo_share_the_default_image(site_pages: dict[str, str], built_site: Path) -> None:
    assert meta(site_pages[""])["og:image"] == DEFAULT_IMAGE
    for url in ("san-pham/", "hop-tac-xa/", "hop-tac-xa-kieu-moi/", "tin-tuc/", "tham-gia/tao-ho-so/"):
        m = meta(site_pages[url])
        assert m["og:image"] == DEFAULT_IMAGE, url
        assert (m["og:image:width"], m["og:image:height"], m["og:image:type"]) == ("1200", "630", "image/png")
    with Image.open(REPO / "overrides" / "assets" / "htx" / "share-default.png") as image:
        assert image.format == "PNG" and image.size == (1200, 630)
    with Image.open(REPO / "overrides" / "assets" / "htx" / "logo-512.png") as image:
        assert image.format == "PNG" and image.size == (512, 512)


def test_product_and_cooperative_pages_share_their_own_image(site_pages: dict[str, str]) -> None:
    from htx.pipeline import build

    result = build(REPO / "cooperatives", base=REPO, with_images=False)
    for item in result.catalog.items.values():
        m = meta(site_pages[item.url])
        assert m["og:title"] == item.product.name
        assert m["og:image"] != DEFAULT_IMAGE, f"{item.url} falls back to the default image"
    posts = [url for url, html in site_pages.items() if meta(html).get("og:type") == "article"]
    assert posts and all(url.startswith("tin-tuc/") for url in posts)
    for url in posts:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT.*", meta(site_pages[url])["article:published_time"])


def test_sitemap_lists_every_page_under_site_url(site_pages: dict[str, str], built_site: Path) -> None:
    site = built_site / "site"
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [e.text for e in ET.parse(site / "sitemap.xml").getroot().findall("s:url/s:loc", ns)]
    assert locs and len(locs) == len(set(locs))
    for loc in locs:
        assert loc.startswith(SITE_URL) and site_file(site, loc).is_file(), loc
    paths = {loc.removeprefix(SITE_URL) for loc in locs}
    # Every page but the 404 and the staff's page (noindex, render.STATUS_URL).
    assert {quote(url) for url in site_pages if url not in ("404.html", "bien-tap/tinh-trang/")} == paths
    assert "noindex" in site_pages["bien-tap/tinh-trang/"]
    assert not any("404" in p for p in paths)


def test_robots_txt_points_at_the_sitemap(built_site: Path) -> None:
    robots = (built_site / "site" / "robots.txt").read_text(encoding="utf-8")
    lines = [line.strip() for line in robots.splitlines() if line.strip() and not line.startswith("#")]
    assert f"Sitemap: {SITE_URL}sitemap.xml" in lines, "robots.txt must name the sitemap by its absolute URL"
    assert "User-agent: *" in lines
    assert "Disallow: /" not in lines, "robots.txt must not shut crawlers out"


def test_404_page_in_vietnamese_with_search_and_ways_on(site_pages: dict[str, str]) -> None:
    page = site_pages["404.html"]
    assert '<html lang="vi"' in page
    assert "<title>Không tìm thấy trang - " in page and "<h1>Không tìm thấy trang</h1>" in page
    assert '<meta name="robots" content="noindex">' in page
    assert canonical(page) is None and "og:url" not in meta(page)
    # Hosts serve this page at any missing address: links and assets are absolute paths.
    for attr in re.findall(r'(?:href|src|action)="([^"]*)"', page):
        assert attr.startswith(("/", "#", "https://", "http://", "data:", "mailto:", "tel:")), attr
    form = re.search(r'<form class="htx-404__search" action="([^"]+)" method="get" role="search"[^>]*>(.*?)</form>', page, re.S)
    assert form and form.group(1) == "/san-pham/"
    assert re.search(r'<input id="htx-404-q" type="search" name="q"', form.group(2))
    assert '<label for="htx-404-q">' in form.group(2)
    for href in ("/san-pham/", "/hop-tac-xa/", "/"):
        assert f'<a href="{href}">' in page, href
    assert 'class="md-skip"' in page and 'id="noi-dung"' in page


def test_every_page_has_a_skip_link_to_existing_content(site_pages: dict[str, str]) -> None:
    for url, html in site_pages.items():
        skip = re.search(r'<a href="#([^"]+)" class="md-skip">\s*(Chuyển đến nội dung chính|Skip to content)\s*</a>', html)
        assert skip, f"{url}: no skip link"
        assert f'id="{skip.group(1)}"' in html, f"{url}: the skip link's target is missing"
