"""htx.publish.search: the search-only text Pagefind sees (đ folded to d), and a real Pagefind run on a tiny site."""
from __future__ import annotations

import copy
import time
import unicodedata
from pathlib import Path

import pytest

from htx.publish.search import (EXTRA_MARK, UNUSED_OUTPUT, Stager, body_region, body_start, d_words, drop_ignored,
                        extra_html, extra_text, fold_d, folded_title, index_site, kind_marker, parse_stats, stage,
                        staged_page, with_body)


def page(body: str, *, before: str = "", attrs: str = "data-pagefind-body") -> str:
    """A page shaped like Material's: header and nav outside the article, the indexed part inside."""
    return (f'<!doctype html><html lang="vi"><head><title>T</title></head><body>'
            f'<header><nav>Đầu trang Điều hướng</nav></header>{before}'
            f'<article class="md-content__inner md-typeset"><div {attrs}>{body}</div></article>'
            f'<footer>Đường dây nóng</footer></body></html>')


def test_fold_d_keeps_tones_and_other_letters() -> None:
    assert fold_d("Đường đi") == "Dường di"
    assert fold_d("Gạo ST25") == "Gạo ST25"


def test_d_words_lists_each_d_word_once_nfc_or_nfd() -> None:
    text = "Đường thốt nốt, đường cát; " + unicodedata.normalize("NFD", "đồng Đồng") + " gạo"
    assert d_words(text) == ["Dường", "dường", "dồng", "Dồng"]


def test_extra_text_weighs_words_by_where_they_stand() -> None:
    html = page("<h1>Đường thốt nốt Tri Tôn</h1><p>Nấu từ nước thốt nốt, đóng hũ. Đường ngon.</p>"
                "<h3 data-pagefind-weight=\"2\">Đặc sản</h3>")
    groups = extra_text(body_region(html))
    assert groups == {7.0: ["Dường"], 2.0: ["Dặc"], 1: ["dóng"]}   # "Đường" in the text is already in the title


def test_extra_text_reads_only_the_indexed_part() -> None:
    html = page("<p>Gạo</p><section data-pagefind-ignore><h3>Đậu phộng</h3><p>đồng</p></section><p>đẹp</p>",
                before="<aside>Địa chỉ</aside>")
    assert extra_text(body_region(html)) == {1: ["dẹp"]}   # not the nav, footer, aside before the body, nor the ignored section


def test_drop_ignored_handles_nested_elements() -> None:
    region = '<div>a<div data-pagefind-ignore="all">b<div>c</div>d</div>e</div>'
    assert drop_ignored(region).replace(" ", "") == "<div>ae</div>"


def test_body_region_starts_at_the_body_element() -> None:
    html = page("<h1>X</h1>", before='<p>data-pagefind-body in text</p><p title="a data-pagefind-body b">y</p>')
    assert body_region(html).startswith("<div data-pagefind-body><h1>X</h1></div>")
    assert body_start("<p>no body</p>") == -1 and body_region("<p>no body</p>") == ""


def test_folded_title_is_the_first_h1_when_it_has_d() -> None:
    assert folded_title(body_region(page("<h1>Đường &amp; mật</h1><h1>Khác</h1>"))) == "Dường & mật"
    assert folded_title(body_region(page("<h1>Gạo thơm</h1>"))) is None
    assert folded_title(body_region(page("<p>Đường</p>"))) is None


def test_extra_html_is_marked_and_escaped() -> None:
    html = extra_html({7.0: ["Dường"], 1: ["d<x>"]}, 'Dường "A"')
    assert html.startswith('<div data-pagefind-body data-pagefind-meta="title_d:Dường &quot;A&quot;">' + EXTRA_MARK)
    assert '<p data-pagefind-weight="7">Dường</p>' in html and "d&lt;x&gt;" in html
    assert extra_html({}) == ""


def test_with_body_marks_blog_posts_and_skips_listings() -> None:
    body = page("<h1>X</h1>")
    assert with_body(body) == body
    post = page("<h1>Tin</h1>", attrs='class="post"')
    marked = with_body(post)
    assert marked is not None and '<article class="md-content__inner md-typeset" data-pagefind-body>' in marked
    assert with_body(page("<h1>Danh mục</h1>", attrs='data-pagefind-ignore="all"')) is None
    assert with_body("<html><body><p>no article</p></body></html>") is None


def test_staged_page_keeps_what_pagefind_reads_and_adds_the_extra_text() -> None:
    staged, words = staged_page(page("<h1>Đường</h1><p>đi đâu</p>"))
    assert words == 3
    assert "<title>T</title>" in staged and '<html lang="vi">' in staged
    assert "<div data-pagefind-body><h1>Đường</h1><p>đi đâu</p></div>" in staged
    assert "Đầu trang" not in staged and "Đường dây nóng" not in staged       # header and footer left out
    assert staged.index(EXTRA_MARK) < staged.index("</body>")
    plain, none = staged_page(page("<h1>Gạo</h1>"))
    assert none == 0 and EXTRA_MARK not in plain
    assert staged_page(page("<h1>Danh mục</h1>", attrs='data-pagefind-ignore="all"')) is None


def test_parse_stats_reads_pagefind_output() -> None:
    output = "Total: \n  Indexed 1 language\n  Indexed 12 pages\n  Indexed 340 words\n  Indexed 1 filter\n  Indexed 0 sorts\n"
    assert parse_stats(output) == {"pages": 12, "words": 340, "filters": 1, "sorts": 0}


def write(site: Path, rel: str, html: str) -> None:
    path = site / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")


def test_index_site_runs_pagefind(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write(site, "san-pham/a/duong/index.html",
          page('<h1>Đường thốt nốt</h1><p>Ngọt thanh.</p>', attrs='data-pagefind-body data-pagefind-filter="loai:san-pham"'))
    write(site, "tin-tuc/bai/index.html", page("<h1>Tin đồng ruộng</h1><p>Mùa nước nổi.</p>", attrs='class="post"'))
    write(site, "san-pham/index.html", page("<h1>Danh mục</h1>", attrs='data-pagefind-ignore="all"'))
    write(site, "index.html", page("<h1>Trang chủ</h1>"))
    write(site, "pagefind/old.txt", "left from an earlier build")
    stats = index_site(site)
    out = site / "pagefind"
    assert (out / "pagefind.js").is_file() and (out / "pagefind-entry.json").is_file()
    assert not (out / "old.txt").exists()
    assert not any((out / name).exists() for name in UNUSED_OUTPUT)
    assert stats["pages"] == 2 and stats["staged"] == 2           # the product and the post; not listings, not home
    assert stats["filters"] == 1 and stats["pages_with_extra"] == 2
    assert stats["words"] > 0 and stats["files"] == len([p for p in out.rglob("*") if p.is_file()])
    assert stats["bytes"] == sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    assert "data-pagefind-body" not in (site / "tin-tuc/bai/index.html").read_text()   # published pages untouched
    assert EXTRA_MARK not in (site / "san-pham/a/duong/index.html").read_text()


def test_index_site_reports_pagefind_failure(tmp_path: Path) -> None:
    from htx.publish.search import SearchIndexError

    fake = tmp_path / "pagefind"
    fake.write_text("#!/bin/sh\necho broken >&2\nexit 3\n")
    fake.chmod(0o755)
    write(tmp_path / "site", "a/index.html", page("<h1>A</h1>"))
    with pytest.raises(SearchIndexError, match="mã 3"):
        index_site(tmp_path / "site", binary=fake)


def test_index_site_without_pages_writes_nothing(tmp_path: Path) -> None:
    write(tmp_path / "site", "san-pham/index.html", page("<h1>Danh mục</h1>", attrs='data-pagefind-ignore="all"'))
    assert index_site(tmp_path / "site")["pages"] == 0
    assert not (tmp_path / "site" / "pagefind").exists()


def test_index_site_can_be_switched_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "site", "a/index.html", page("<h1>A</h1>"))
    monkeypatch.setenv("HTX_SEARCH", "0")
    assert index_site(tmp_path / "site")["skipped"] == 1
    assert not (tmp_path / "site" / "pagefind").exists()


def test_pages_of_a_kind_carry_its_marker_word() -> None:
    assert kind_marker("san-pham") == "htxloaisanpham"
    staged, words = staged_page(page("<h1>Gạo</h1>", attrs='data-pagefind-body data-kind="san-pham"'))
    assert words == 0 and '<p data-pagefind-weight="0.1">htxloaisanpham</p>' in staged
    other, _ = staged_page(page('<h1>Gạo</h1><p data-kind="x">a</p>'))     # only on the body element
    assert "htxloai" not in other


@pytest.mark.parametrize("split", [0, 2, 4])
def test_stager_writes_what_stage_writes(tmp_path: Path, split: int) -> None:
    """The plugin stages pages in a worker as MkDocs writes them, and a forked page writer stages its share
    in place (`inline`); together they equal staging from disk."""
    pages = {
        "san-pham/a/duong/index.html": page("<h1>Đường thốt nốt</h1><p>Đặc sản Tri Tôn</p>"),
        "hop-tac-xa/a/index.html": page("<h1>HTX Đồng Tâm</h1>", attrs='data-pagefind-body data-kind="hop-tac-xa"'),
        "san-pham/index.html": page("<h1>Danh mục</h1>", attrs='data-pagefind-ignore="all"'),
        "404.html": page("<h1>Không tìm thấy</h1>"),
    }
    site = tmp_path / "site"
    for rel, html in pages.items():
        write(site, rel, html)
    expected = stage(site, tmp_path / "from-disk")
    stager = Stager()
    writer = copy.copy(stager)      # what a forked writer holds: the same folder
    writer.inline()
    try:
        for i, (rel, html) in enumerate(pages.items()):
            (stager if i < split else writer).add(rel, html)
        stager.done.extend(writer.done)
        counts = stager.finish()
        assert counts == expected and counts["pages"] == 2
        staged = sorted(p.relative_to(stager.dir).as_posix() for p in stager.dir.rglob("*.html"))
        assert staged == ["hop-tac-xa/a/index.html", "san-pham/a/duong/index.html"]
        for rel in staged:
            assert (stager.dir / rel).read_bytes() == (tmp_path / "from-disk" / rel).read_bytes()
    finally:
        stager.cleanup()
    for _ in range(100):             # removed by a detached process
        if not stager.dir.exists():
            break
        time.sleep(0.1)
    assert not stager.dir.exists()
