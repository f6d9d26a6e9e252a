"""Hand-written titles are text everywhere (issue 17, deliverable 3): a real `mkdocs build` of the sample site
plus a news post and a page whose titles hold markup, then every HTML page, the feeds and the meta tags read
back with a real HTML parser."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import MKDOCS, copy_project, run

pytestmark = pytest.mark.slow

TITLE = "Giá lúa <img src=x onerror=alert(1)> & gạo"
DESCRIPTION = 'Mô tả "<script>alert(2)</script>" & <b>đậm</b>'
ESCAPED = "Giá lúa &lt;img src=x onerror=alert(1)&gt; &amp; gạo"
FILE_TITLE = "x<img src=x onerror=alert(3)>"


class Elements(HTMLParser):
    """Every start tag with its attributes, the text of <title>, and each meta tag's content."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.title = ""
        self.meta: dict[str, str] = {}
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        self._in_title = tag == "title"
        if tag == "meta":
            name = attributes.get("property") or attributes.get("name")
            if name:
                self.meta[name] = attributes.get("content") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def parse(text: str) -> Elements:
    parser = Elements()
    parser.feed(text)
    return parser


@pytest.fixture(scope="module")
def titled_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("titles") / "p")
    post = project / "content" / "tin-tuc" / "posts" / "gia-lua.md"
    post.write_text(
        "---\n"
        f"title: {json.dumps(TITLE, ensure_ascii=False)}\n"
        f"description: {json.dumps(DESCRIPTION, ensure_ascii=False)}\n"
        "date: 2026-11-20\nauthors: [bientap]\ncategories: [Chính sách]\nslug: gia-lua\n"
        "---\n\nGiá lúa tuần này.\n\n<!-- more -->\n\nChi tiết.\n",
        encoding="utf-8")
    page = project / "content" / "hop-tac-xa-kieu-moi" / "gia-lua.md"
    page.write_text(f"---\ntitle: {json.dumps(TITLE, ensure_ascii=False)}\ndescription: {json.dumps(DESCRIPTION, ensure_ascii=False)}\n---\n\n"
                    "Trang có tiêu đề lạ, không có tiêu đề cấp 1 trong nội dung.\n", encoding="utf-8")
    # No title in front matter, no heading: MkDocs names the page after its file, which can hold markup too.
    (project / "content" / "hop-tac-xa-kieu-moi" / f"{FILE_TITLE}.md").write_text("Trang không có tiêu đề.\n", encoding="utf-8")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("      - hop-tac-xa-kieu-moi/thuat-ngu.md\n",
                                   "      - hop-tac-xa-kieu-moi/thuat-ngu.md\n      - hop-tac-xa-kieu-moi/gia-lua.md\n"
                                   f"      - 'hop-tac-xa-kieu-moi/{FILE_TITLE}.md'\n"),
                      encoding="utf-8")
    result = run(MKDOCS + ["build", "--strict"], project)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
    return project / "site"


def test_no_element_from_a_title_anywhere(titled_site: Path) -> None:
    pages = sorted(titled_site.rglob("*.html"))
    assert len(pages) > 50
    showing = []
    for path in pages:
        text = path.read_text(encoding="utf-8")
        parsed = parse(text)
        injected = [(tag, a) for tag, a in parsed.tags if "onerror" in a or (tag == "img" and a.get("src") == "x")
                    or tag == "b" and "đậm" in text]
        assert not injected, (path.relative_to(titled_site).as_posix(), injected)
        assert "<script>alert(2)" not in text, path
        if ESCAPED in text:
            showing.append(path.relative_to(titled_site).as_posix())
    # The title shows, as text, on its own pages, the blog's listings, and its neighbours' navigation.
    for expected in ("tin-tuc/gia-lua/index.html", "tin-tuc/index.html", "hop-tac-xa-kieu-moi/gia-lua/index.html",
                     "hop-tac-xa-kieu-moi/thuat-ngu/index.html"):
        assert expected in showing, showing
    assert any(p.startswith("tin-tuc/luu-tru/") for p in showing), showing
    assert any(p.startswith("tin-tuc/chuyen-muc/") for p in showing), showing
    named = (titled_site / "hop-tac-xa-kieu-moi" / FILE_TITLE / "index.html").read_text(encoding="utf-8")
    assert "X&lt;img src=x onerror=alert(3)&gt;" in named         # MkDocs capitalises a file name's title


@pytest.mark.parametrize("url", ["tin-tuc/gia-lua/index.html", "hop-tac-xa-kieu-moi/gia-lua/index.html"])
def test_title_is_text_in_head_header_and_h1(titled_site: Path, url: str) -> None:
    text = (titled_site / url).read_text(encoding="utf-8")
    parsed = parse(text)
    assert parsed.title.strip() == f"{TITLE} - Hợp tác xã An Giang"
    assert parsed.meta["og:title"] == TITLE and parsed.meta["twitter:title"] == TITLE
    assert parsed.meta["description"] == DESCRIPTION and parsed.meta["og:description"] == DESCRIPTION
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", text, re.S)
    assert h1 and h1.group(1).strip() == ESCAPED, h1 and h1.group(1)
    topic = re.search(r'data-md-component="header-topic">\s*<span class="md-ellipsis">(.*?)</span>', text, re.S)
    assert topic and topic.group(1).strip() == ESCAPED


def test_neighbour_footer_and_nav_show_the_title_as_text(titled_site: Path) -> None:
    text = (titled_site / "hop-tac-xa-kieu-moi" / "thuat-ngu" / "index.html").read_text(encoding="utf-8")
    footer = text[text.index('<footer'):]
    assert ESCAPED in footer and "<img src=x" not in footer
    assert f'aria-label="Tiếp theo: {ESCAPED}"' in footer or ESCAPED in footer
    nav = text[text.index('md-nav--primary'):text.index('<footer')]
    assert ESCAPED in nav


def test_blogposting_structured_data_carries_the_title_as_text(titled_site: Path) -> None:
    text = (titled_site / "tin-tuc" / "gia-lua" / "index.html").read_text(encoding="utf-8")
    blocks = [json.loads(b) for b in re.findall(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)]
    post = next(b for b in blocks if b["@type"] == "BlogPosting")
    assert post["headline"] == TITLE and post["description"] == DESCRIPTION


def test_feeds_carry_the_title_as_text(titled_site: Path) -> None:
    rss = ET.parse(titled_site / "tin-tuc" / "feed.xml").getroot()
    titles = [i.findtext("title") for i in rss.iter("item")]
    assert TITLE in titles, titles
    item = next(i for i in rss.iter("item") if i.findtext("title") == TITLE)
    assert item.findtext("description") == DESCRIPTION
    feed = json.loads((titled_site / "tin-tuc" / "feed.json").read_text(encoding="utf-8"))
    entry = next(i for i in feed["items"] if i["url"].endswith("/tin-tuc/gia-lua/"))
    assert entry["title"] == TITLE and entry["summary"] == DESCRIPTION
