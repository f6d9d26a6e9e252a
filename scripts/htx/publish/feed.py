"""News feeds: RSS 2.0 and JSON Feed 1.1 of the published posts, as strings (no I/O)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from email.utils import format_datetime
from xml.sax.saxutils import escape

VN = timezone(timedelta(hours=7), "ICT")
RSS_PATH = "tin-tuc/feed.xml"
JSON_PATH = "tin-tuc/feed.json"
MAX_ITEMS = 30


@dataclass(frozen=True)
class FeedItem:
    title: str
    url: str            # absolute
    published: datetime
    summary: str = ""
    categories: tuple[str, ...] = field(default_factory=tuple)


def as_datetime(value: date | datetime) -> datetime:
    """Return a timezone-aware datetime (dates become midnight, Vietnam time)."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=VN)
    return datetime.combine(value, time(0, 0), tzinfo=VN)




def _sorted(items: list[FeedItem]) -> list[FeedItem]:
    return sorted(items, key=lambda i: (i.published, i.url), reverse=True)[:MAX_ITEMS]


def render_rss(items: list[FeedItem], *, title: str, site_url: str, description: str) -> str:
    """Return an RSS 2.0 document; lastBuildDate is the newest post's date, so output is reproducible."""
    items = _sorted(items)
    feed_url = site_url + RSS_PATH
    newest = format_datetime(items[0].published) if items else ""
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
        "<channel>",
        f"<title>{escape(title)}</title>",
        f"<link>{escape(site_url + 'tin-tuc/')}</link>",
        f"<description>{escape(description)}</description>",
        "<language>vi</language>",
        f'<atom:link href="{escape(feed_url)}" rel="self" type="application/rss+xml"/>',
    ]
    if newest:
        out.append(f"<lastBuildDate>{newest}</lastBuildDate>")
    for item in items:
        out += [
            "<item>",
            f"<title>{escape(item.title)}</title>",
            f"<link>{escape(item.url)}</link>",
            f'<guid isPermaLink="true">{escape(item.url)}</guid>',
            f"<pubDate>{format_datetime(item.published)}</pubDate>",
        ]
        if item.summary:
            out.append(f"<description>{escape(item.summary)}</description>")
        out += [f"<category>{escape(c)}</category>" for c in item.categories]
        out.append("</item>")
    out += ["</channel>", "</rss>", ""]
    return "\n".join(out)


def render_json_feed(items: list[FeedItem], *, title: str, site_url: str, description: str) -> str:
    """Return a JSON Feed 1.1 document."""
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "home_page_url": site_url + "tin-tuc/",
        "feed_url": site_url + JSON_PATH,
        "description": description,
        "language": "vi",
        "items": [
            {"id": i.url, "url": i.url, "title": i.title, "summary": i.summary, "content_text": i.summary or i.title,
             "date_published": i.published.isoformat(), "tags": list(i.categories)}
            for i in _sorted(items)
        ],
    }
    return json.dumps(feed, ensure_ascii=False, indent=1) + "\n"
