"""Post-build: keep sitemap.xml within the sitemap protocol's limit of 50,000 URLs per file.

MkDocs writes one sitemap.xml. A national catalog has more pages than that (34,000 cooperatives and
18,000 products alone), and search engines ignore a sitemap over the limit. Past it, the URLs go into
sitemap-1.xml, sitemap-2.xml … and sitemap.xml becomes the sitemap index pointing at them, so robots.txt
and anything else linking to sitemap.xml keep working. Bytes are stable: same pages, same files.
"""
from __future__ import annotations

import gzip
import re
from html import escape
from pathlib import Path

LIMIT = 50_000   # https://www.sitemaps.org/protocol.html#index
_URL = re.compile(r"<url>.*?</url>", re.S)
_LASTMOD = re.compile(r"<lastmod>([^<]+)</lastmod>")
_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml"'


def write_sitemap(site_dir: Path, urls: list[str], lastmod: str,
                  alternates: dict[str, dict[str, str]] | None = None) -> None:
    """Write site_dir/sitemap.xml (and its .gz) listing urls, in the layout of MkDocs' own sitemap.

    Written by htx because most pages are generated outside MkDocs' page loop (htx.mkdocs.generated),
    which MkDocs' sitemap template cannot see; pages marked noindex are left out by the caller.
    alternates gives a page's versions by language (hreflang → URL, x-default included): listed under
    the page as xhtml:link, as search engines read translations from a sitemap.
    """
    alternates = alternates or {}

    def links(url: str) -> str:
        return "".join(f'\n         <xhtml:link rel="alternate" hreflang="{lang}" href="{escape(href)}"/>'
                       for lang, href in alternates.get(url, {}).items())

    rows = "".join(f"\n    <url>\n         <loc>{escape(url)}</loc>\n         <lastmod>{lastmod}</lastmod>{links(url)}\n    </url>"
                   for url in urls)
    write(site_dir / "sitemap.xml", f'{_HEAD}<urlset {_NS}>{rows}\n</urlset>')


def split_sitemap(site_dir: Path, site_url: str, *, limit: int = LIMIT) -> int:
    """Split site_dir/sitemap.xml into parts of at most `limit` URLs when it has more; return the part count."""
    path = site_dir / "sitemap.xml"
    if not path.is_file():
        return 0
    text = path.read_text(encoding="utf-8")
    urls = _URL.findall(text)
    if len(urls) <= limit:
        return 1
    base = site_url.rstrip("/") + "/"
    index = [_HEAD, f"<sitemapindex {_NS}>\n"]
    for n, start in enumerate(range(0, len(urls), limit), 1):
        part = urls[start:start + limit]
        name = f"sitemap-{n}.xml"
        write(site_dir / name, _HEAD + f"<urlset {_NS}>\n" + "\n".join(part) + "\n</urlset>\n")
        dates = [m.group(1) for u in part for m in [_LASTMOD.search(u)] if m]
        lastmod = f"<lastmod>{max(dates)}</lastmod>" if dates else ""
        index.append(f"<sitemap><loc>{base}{name}</loc>{lastmod}</sitemap>\n")
    index.append("</sitemapindex>\n")
    write(path, "".join(index))
    return n


def write(path: Path, text: str) -> None:
    """Write text, and beside it the .gz copy MkDocs also offers (mtime 0: the same bytes every build)."""
    data = text.encode("utf-8")
    path.write_bytes(data)
    path.with_name(path.name + ".gz").write_bytes(gzip.compress(data, mtime=0))
