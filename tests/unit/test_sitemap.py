"""htx.publish.sitemap: past the protocol's limit, sitemap.xml becomes an index of parts that hold every URL once;
the .gz copies are the bytes gzip makes of each file."""
from __future__ import annotations

import gzip
import xml.etree.ElementTree as ET
from pathlib import Path

from htx.publish.sitemap import write_sitemap

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
SITE = "https://htx.angiang.example/"
URLS = [f"{SITE}p/{i}/" for i in range(25)]
ALTERNATES = {f"{SITE}p/3/": {"vi": f"{SITE}p/3/", "en": f"{SITE}en/p/3/", "x-default": f"{SITE}p/3/"}}


def test_small_sitemap_is_one_file_with_alternates(tmp_path: Path) -> None:
    assert write_sitemap(tmp_path, URLS, "2026-11-19", ALTERNATES, site_url=SITE, limit=25) == 1
    root = ET.parse(tmp_path / "sitemap.xml").getroot()
    assert [e.text for e in root.findall("s:url/s:loc", NS)] == URLS
    assert {e.text for e in root.findall("s:url/s:lastmod", NS)} == {"2026-11-19"}
    links = root.findall("s:url/x:link", NS)
    assert [(e.get("hreflang"), e.get("href")) for e in links] == list(ALTERNATES[f"{SITE}p/3/"].items())
    assert not (tmp_path / "sitemap-1.xml").exists()
    raw = (tmp_path / "sitemap.xml").read_bytes()
    assert (tmp_path / "sitemap.xml.gz").read_bytes() == gzip.compress(raw, mtime=0)


def test_big_sitemap_becomes_an_index_of_parts(tmp_path: Path) -> None:
    assert write_sitemap(tmp_path, URLS, "2026-11-19", ALTERNATES, site_url=SITE, limit=10) == 3
    index = ET.parse(tmp_path / "sitemap.xml").getroot()
    assert index.tag == "{%s}sitemapindex" % NS["s"]
    locs = [e.text for e in index.findall("s:sitemap/s:loc", NS)]
    assert locs == [f"{SITE}sitemap-{n}.xml" for n in (1, 2, 3)]
    assert index.find("s:sitemap/s:lastmod", NS).text == "2026-11-19"
    seen = []
    for n in (1, 2, 3):
        part = ET.parse(tmp_path / f"sitemap-{n}.xml").getroot()
        seen += [e.text for e in part.findall("s:url/s:loc", NS)]
        assert len(part.findall("s:url", NS)) <= 10
        raw = (tmp_path / f"sitemap-{n}.xml").read_bytes()
        assert (tmp_path / f"sitemap-{n}.xml.gz").read_bytes() == gzip.compress(raw, mtime=0)
    assert seen == URLS
    assert len(ET.parse(tmp_path / "sitemap-1.xml").getroot().findall("s:url/x:link", NS)) == 3
    raw = (tmp_path / "sitemap.xml").read_bytes()
    assert (tmp_path / "sitemap.xml.gz").read_bytes() == gzip.compress(raw, mtime=0)
