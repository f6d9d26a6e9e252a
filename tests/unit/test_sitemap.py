"""htx.publish.sitemap: past the protocol's limit, sitemap.xml becomes an index of parts that hold every URL once."""
from __future__ import annotations

import gzip
import xml.etree.ElementTree as ET
from pathlib import Path

from htx.publish.sitemap import split_sitemap

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
SITE = "https://htx.angiang.example/"


def mkdocs_sitemap(n: int) -> str:
    """A sitemap as MkDocs' template writes it (indentation included)."""
    rows = "".join(f"    <url>\n         <loc>{SITE}p/{i}/</loc>\n         <lastmod>2026-11-{10 + i % 15:02d}</lastmod>\n    </url>\n"
                   for i in range(n))
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{rows}</urlset>'


def test_small_sitemap_is_left_alone(tmp_path: Path) -> None:
    (tmp_path / "sitemap.xml").write_text(mkdocs_sitemap(10), encoding="utf-8")
    before = (tmp_path / "sitemap.xml").read_bytes()
    assert split_sitemap(tmp_path, SITE, limit=10) == 1
    assert (tmp_path / "sitemap.xml").read_bytes() == before and not (tmp_path / "sitemap-1.xml").exists()


def test_big_sitemap_becomes_an_index_of_parts(tmp_path: Path) -> None:
    (tmp_path / "sitemap.xml").write_text(mkdocs_sitemap(25), encoding="utf-8")
    assert split_sitemap(tmp_path, SITE, limit=10) == 3
    index = ET.parse(tmp_path / "sitemap.xml").getroot()
    assert index.tag == "{%s}sitemapindex" % NS["s"]
    locs = [e.text for e in index.findall("s:sitemap/s:loc", NS)]
    assert locs == [f"{SITE}sitemap-{n}.xml" for n in (1, 2, 3)]
    assert index.find("s:sitemap/s:lastmod", NS).text == "2026-11-19"   # the newest page of part 1 (pages 0–9)
    seen = []
    for n in (1, 2, 3):
        part = ET.parse(tmp_path / f"sitemap-{n}.xml").getroot()
        seen += [e.text for e in part.findall("s:url/s:loc", NS)]
        assert len(part.findall("s:url", NS)) <= 10
        assert gzip.decompress((tmp_path / f"sitemap-{n}.xml.gz").read_bytes()) == (tmp_path / f"sitemap-{n}.xml").read_bytes()
    assert seen == [f"{SITE}p/{i}/" for i in range(25)]
    assert gzip.decompress((tmp_path / "sitemap.xml.gz").read_bytes()) == (tmp_path / "sitemap.xml").read_bytes()
