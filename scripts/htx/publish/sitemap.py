"""Post-build: sitemap.xml, every page once, within the sitemap protocol's limit of 50,000 URLs per file.

A national catalog has more pages than that (34,000 cooperatives and 18,000 products alone), and search
engines ignore a sitemap over the limit. Past it, the URLs go into sitemap-1.xml, sitemap-2.xml … and
sitemap.xml becomes the sitemap index pointing at them, so robots.txt and anything else linking to
sitemap.xml keep working. Bytes are stable: same pages, same files.
"""
from __future__ import annotations

import gzip
import struct
import zlib
from html import escape
from itertools import chain
from pathlib import Path
from typing import Iterable

LIMIT = 50_000   # https://www.sitemaps.org/protocol.html#index
_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml"'


def write_sitemap(site_dir: Path, urls: list[str], lastmod: str, alternates: dict[str, dict[str, str]] | None = None,
                  *, site_url: str = "/", limit: int = LIMIT) -> int:
    """Write site_dir/sitemap.xml (and its .gz) listing urls, in the layout of MkDocs' own sitemap; past `limit`
    URLs, write them into sitemap-1.xml, sitemap-2.xml … and make sitemap.xml their index. Return the file count.

    Written by htx because most pages are generated outside MkDocs' page loop (htx.mkdocs.generated),
    which MkDocs' sitemap template cannot see; pages marked noindex are left out by the caller.
    alternates gives a page's versions by language (hreflang → URL, x-default included): listed under
    the page as xhtml:link, as search engines read translations from a sitemap. Written a URL at a time:
    14,000 pages with their alternates are 8 MB of text, which a build's peak memory need not hold.
    """
    alternates = alternates or {}

    def block(url: str) -> str:
        links = "".join(f'\n         <xhtml:link rel="alternate" hreflang="{lang}" href="{escape(href)}"/>'
                        for lang, href in alternates.get(url, {}).items())
        return f"<url>\n         <loc>{escape(url)}</loc>\n         <lastmod>{lastmod}</lastmod>{links}\n    </url>"

    if len(urls) <= limit:
        write(site_dir / "sitemap.xml", chain([f"{_HEAD}<urlset {_NS}>"], ("\n    " + block(u) for u in urls), ["\n</urlset>"]))
        return 1
    base = site_url.rstrip("/") + "/"
    index = [_HEAD, f"<sitemapindex {_NS}>\n"]
    for n, start in enumerate(range(0, len(urls), limit), 1):
        part = urls[start:start + limit]
        blocks = (("\n" if i else "") + block(u) for i, u in enumerate(part))
        write(site_dir / f"sitemap-{n}.xml", chain([f"{_HEAD}<urlset {_NS}>\n"], blocks, ["\n</urlset>\n"]))
        index.append(f"<sitemap><loc>{base}sitemap-{n}.xml</loc>{f'<lastmod>{lastmod}</lastmod>' if lastmod else ''}</sitemap>\n")
    index.append("</sitemapindex>\n")
    write(site_dir / "sitemap.xml", index)
    return n


def write(path: Path, chunks: Iterable[str]) -> None:
    """Write text, and beside it the .gz copy MkDocs also offers (mtime 0: the same bytes every build).

    Streamed: deflate gives the same bytes whether fed at once or in pieces, and the header is gzip.compress's
    own (its OS byte differs from GzipFile's), so the .gz is what gzip.compress(text, mtime=0) would make."""
    deflate = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    crc = size = 0
    with open(path, "wb") as raw, open(f"{path}.gz", "wb") as packed:
        packed.write(gzip.compress(b"", mtime=0)[:10])
        for chunk in chunks:
            data = chunk.encode("utf-8")
            raw.write(data)
            packed.write(deflate.compress(data))
            crc, size = zlib.crc32(data, crc), size + len(data)
        packed.write(deflate.flush() + struct.pack("<II", crc, size & 0xFFFFFFFF))
