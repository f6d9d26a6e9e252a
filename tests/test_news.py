"""News: feeds that a reader accepts, drafts never published, a scaffolded post builds, the announcement bar."""
from __future__ import annotations

import json
from pathlib import Path

import feedparser
import pytest

from tests.conftest import HTX, MKDOCS, copy_project, run

pytestmark = pytest.mark.slow


def test_rss_and_json_feed_of_the_sample_site(built_site: Path) -> None:
    rss = (built_site / "site" / "tin-tuc" / "feed.xml").read_text(encoding="utf-8")
    parsed = feedparser.parse(rss)
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.version == "rss20"
    posts = sorted((built_site / "content" / "tin-tuc" / "posts").glob("*.md"))
    assert len(parsed.entries) == len(posts)
    titles = [e.title for e in parsed.entries]
    assert "Cách đọc số sao OCOP trên sản phẩm" in titles
    for entry in parsed.entries:
        assert entry.link.startswith("https://htx.angiang.example/tin-tuc/")
        assert (built_site / "site" / entry.link.removeprefix("https://htx.angiang.example/") / "index.html").is_file()
        assert entry.published_parsed
    # Newest first.
    dates = [e.published_parsed for e in parsed.entries]
    assert dates == sorted(dates, reverse=True)
    feed = json.loads((built_site / "site" / "tin-tuc" / "feed.json").read_text(encoding="utf-8"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert [i["title"] for i in feed["items"]] == titles
    home = (built_site / "site" / "index.html").read_text(encoding="utf-8")
    assert 'type="application/rss+xml"' in home


def test_scaffolded_post_builds_and_drafts_stay_unpublished(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    result = run(HTX + ["post", "Hội chợ OCOP Đồng Tháp Mười", "--date", "2026-11-25", "--category", "Xúc tiến thương mại"], project)
    assert result.returncode == 0, result.stderr
    post = project / "content" / "tin-tuc" / "posts" / "2026-11-25-hoi-cho-ocop-dong-thap-muoi.md"
    assert run(MKDOCS + ["build", "--strict"], project).returncode == 0
    assert not (project / "site" / "tin-tuc" / "hoi-cho-ocop-dong-thap-muoi").exists()
    assert "Hội chợ OCOP" not in (project / "site" / "tin-tuc" / "feed.xml").read_text(encoding="utf-8")
    # Published, with its placeholders written over (an unedited one is refused: tests/test_contributor_pages.py).
    text = post.read_text(encoding="utf-8").replace("draft: true\n", "")
    text = text.replace("Tóm tắt một câu (dưới 160 ký tự).", "Hội chợ OCOP tháng 11 ở Đồng Tháp Mười.")
    text = text.replace("Đoạn mở đầu (hiện trong danh sách tin).", "Mười hợp tác xã mang sản phẩm tới hội chợ.")
    post.write_text(text.replace("Nội dung bài viết.", "Hội chợ mở cửa từ 8 giờ đến 17 giờ."), encoding="utf-8")
    assert run(MKDOCS + ["build", "--strict"], project).returncode == 0
    page = project / "site" / "tin-tuc" / "hoi-cho-ocop-dong-thap-muoi" / "index.html"
    assert page.is_file()
    assert "25/11/2026" in page.read_text(encoding="utf-8")
    assert "Hội chợ OCOP Đồng Tháp Mười" in (project / "site" / "tin-tuc" / "feed.xml").read_text(encoding="utf-8")
    assert "Hội chợ OCOP Đồng Tháp Mười" in (project / "site" / "index.html").read_text(encoding="utf-8")


def test_announcement_bar_from_one_setting(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    assert run(MKDOCS + ["build", "--strict"], project).returncode == 0
    assert "htx-announce" not in (project / "site" / "index.html").read_text(encoding="utf-8")
    assert run(MKDOCS + ["build", "--strict"], project, {"HTX_ANNOUNCEMENT": "Hội chợ <OCOP> 2026"}).returncode == 0
    assert '<p class="htx-announce">Hội chợ &lt;OCOP&gt; 2026' in (project / "site" / "index.html").read_text(encoding="utf-8")
