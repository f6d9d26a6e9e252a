"""Weight budget of every product page of the built sample site, counted the way a phone loads it from a host
that gzips text: the HTML, its stylesheets and scripts (Material's bundle included, which the first touch
loads), and the images loaded at once (not lazy), each image at its largest candidate (a 3× screen).
Budget: 250 KB. No file may come from another host."""
from __future__ import annotations

import gzip
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

pytestmark = pytest.mark.slow

BUDGET = 250 * 1024
TEXT = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt")


def transfer(path: Path) -> int:
    data = path.read_bytes()
    return len(gzip.compress(data, 6)) if path.suffix in TEXT else len(data)


def resources(html: str, page_url: str) -> set[str]:
    """Site-relative paths of what the page loads at once."""
    found: set[str] = set()
    for tag in re.findall(r"<(?:link|script|img)\s[^>]*>", html):
        if tag.startswith("<link") and ('rel="stylesheet"' not in tag or 'media="print"' in tag):
            continue
        if tag.startswith("<img") and 'loading="lazy"' in tag:
            continue
        urls = re.findall(r'\s(?:href|src|data-src)="([^"]+)"', tag)
        srcset = re.search(r'\ssrcset="([^"]+)"', tag)
        if srcset:
            candidates = [c.strip().rsplit(" ", 1) for c in srcset.group(1).split(",")]
            urls = [max(candidates, key=lambda c: int(c[1].rstrip("w")))[0]]
        for url in urls:
            if url.startswith("data:"):
                continue
            absolute = urljoin("http://site/" + page_url, url)
            assert urlsplit(absolute).netloc == "site", f"{page_url}: {url} comes from another host"
            found.add(unquote(urlsplit(absolute).path.lstrip("/")))
    return found


def test_every_product_page_within_250_kb(built_site: Path) -> None:
    site = built_site / "site"
    pages = sorted(site.glob("san-pham/*/*/index.html"))
    assert len(pages) >= 40
    heaviest = (0, "")
    for page in pages:
        url = page.parent.relative_to(site).as_posix() + "/"
        html = page.read_text(encoding="utf-8")
        files = resources(html, url)
        # A photo, or (no photo) the name tile: never a drawing standing in for the product.
        assert any(f.startswith("anh/") for f in files) or "htx-noimg--main" in html, f"{url}: no first image"
        total = transfer(page) + sum(transfer(site / f) for f in files)
        heaviest = max(heaviest, (total, url))
        assert total <= BUDGET, f"{url}: {total / 1024:.0f} KB > {BUDGET // 1024} KB ({sorted(files)})"
    print(f"heaviest product page: {heaviest[1]} {heaviest[0] / 1024:.0f} KB")
