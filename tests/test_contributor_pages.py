"""Hand-written pages and posts in real `mkdocs build --strict` runs (issue 18): a wrong `htx:` link names its
file, line and the link meant; GitHub links come from `extra.repository`; an unedited `htx post` draft cannot be
published; posts dated with a time or without `slug:` build and are linked where MkDocs puts them.
"""
from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest

from htx.data.communes import builder_data
from tests.conftest import HTX, MKDOCS, copy_project, run

pytestmark = pytest.mark.slow

REPOSITORY = "repository: https://github.com/angiang-htx/hop-tac-xa"


def post(project: Path, name: str, front: str, body: str) -> Path:
    path = project / "content" / "tin-tuc" / "posts" / name
    path.write_text("---\n" + textwrap.dedent(front).strip() + "\n---\n\n" + textwrap.dedent(body).lstrip(), encoding="utf-8")
    return path


def build(project: Path) -> tuple[int, str]:
    result = run(MKDOCS + ["build", "--strict"], project)
    return result.returncode, result.stdout + result.stderr


@pytest.mark.parametrize("where", ["post", "page"])
def test_wrong_htx_link_names_file_line_and_the_link_meant(tmp_path: Path, where: str) -> None:
    project = copy_project(tmp_path / "p")
    body = """\
        # Hội chợ

        Gặp [mắm Châu Đốc](htx:htx-mam-chau-dok) và [mắm cá linh](htx:htx-mam-chau-doc/mam-ca-linh-ben-do-500gr).

        Đúng: [mắm cá sặc](htx:htx-mam-chau-doc/mam-ca-sac-ben-do-500g).
        Không giống gì: [x](htx:zzzz-qqqq).
        """
    if where == "post":
        path = post(project, "hoi-cho.md", """\
            title: Hội chợ
            description: Hội chợ sản phẩm hợp tác xã.
            date: 2026-11-21
            authors: [bientap]
            categories: [Xúc tiến thương mại]
            slug: hoi-cho""", body)
        first = 12
    else:
        path = project / "content" / "tham-gia" / "index.md"
        text = path.read_text(encoding="utf-8")
        path.write_text(text + "\n" + textwrap.dedent(body), encoding="utf-8")
        first = text.count("\n") + 4
    shown = path.relative_to(project).as_posix()
    code, output = build(project)
    assert code != 0
    assert (f"{shown}:{first}: Liên kết `htx:htx-mam-chau-dok` trỏ tới hợp tác xã hoặc sản phẩm không tồn tại. "
            "Có phải ý bạn là `htx:htx-mam-chau-doc`?") in output
    assert (f"{shown}:{first}: Liên kết `htx:htx-mam-chau-doc/mam-ca-linh-ben-do-500gr` trỏ tới hợp tác xã hoặc sản phẩm "
            "không tồn tại. Có phải ý bạn là `htx:htx-mam-chau-doc/mam-ca-linh-ben-do-500g`?") in output
    assert f"{shown}:{first + 3}: Liên kết `htx:zzzz-qqqq`" in output and "Kiểm tra mã (`htx:ma-hop-tac-xa`" in output
    assert "mam-ca-sac-ben-do-500g`" not in output   # the right link is no problem
    assert "Traceback" not in output
    assert not (project / "site").exists()


def test_unedited_post_is_refused_once_published(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    result = run(HTX + ["post", "Hội chợ OCOP Đồng Tháp Mười", "--date", "2026-11-25", "--category", "Xúc tiến thương mại"], project)
    assert result.returncode == 0, result.stdout + result.stderr
    path = project / "content" / "tin-tuc" / "posts" / "2026-11-25-hoi-cho-ocop-dong-thap-muoi.md"
    assert build(project)[0] == 0          # a draft: not published, not checked
    path.write_text(path.read_text(encoding="utf-8").replace("draft: true\n", ""), encoding="utf-8")
    code, output = build(project)
    assert code != 0 and "Traceback" not in output
    shown = path.relative_to(project).as_posix()
    lines = path.read_text(encoding="utf-8").splitlines()
    for placeholder in ("Tóm tắt một câu (dưới 160 ký tự).", "Đoạn mở đầu (hiện trong danh sách tin).", "Nội dung bài viết."):
        line = next(i for i, text in enumerate(lines, 1) if placeholder in text)
        assert f"{shown}:{line}: Bài đã đăng (không có `draft: true`) vẫn còn chữ mẫu của `htx post`: “{placeholder}”." in output
    # Written for real, it builds.
    text = path.read_text(encoding="utf-8").replace("Tóm tắt một câu (dưới 160 ký tự).", "Hội chợ OCOP tháng 11 ở Đồng Tháp Mười.")
    text = text.replace("Đoạn mở đầu (hiện trong danh sách tin).", "Mười hợp tác xã mang sản phẩm OCOP tới hội chợ.")
    path.write_text(text.replace("Nội dung bài viết.", "Hội chợ mở cửa từ 8 giờ đến 17 giờ."), encoding="utf-8")
    code, output = build(project)
    assert code == 0, output
    assert (project / "site" / "tin-tuc" / "hoi-cho-ocop-dong-thap-muoi" / "index.html").is_file()


def latest_news_links(site: Path) -> list[str]:
    home = (site / "index.html").read_text(encoding="utf-8")
    block = re.search(r'<ul class="htx-news">(.*?)</ul>', home, re.S).group(1)
    return re.findall(r'<a href="([^"]+)">', block)


def test_posts_with_a_time_or_without_slug_are_linked_where_mkdocs_puts_them(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    post(project, "a.md", """\
        title: "Tin có giờ đăng"
        description: Bài đăng kèm giờ.
        date: 2026-11-25 08:30:00
        authors: [bientap]
        categories: [Hướng dẫn]
        slug: tin-co-gio-dang""", "# Tin có giờ đăng\n\nNội dung thật của bài.\n")
    post(project, "b.md", """\
        title: "Tin không có mã: Hội chợ Óc Eo"
        description: Bài không ghi slug.
        date: 2026-11-26
        authors: [bientap]
        categories: [Hướng dẫn]""", "# Tin không có mã\n\nNội dung thật của bài.\n")
    code, output = build(project)
    assert code == 0, output
    site = project / "site"
    links = [unquote(link) for link in latest_news_links(site)]
    assert links[1] == "tin-tuc/tin-co-gio-dang/", links
    # Material names the post without `slug:` from its title: the link is the page it wrote, not `tin-tuc/b/`.
    assert links[0] != "tin-tuc/b/" and "Tin không có mã: Hội chợ Óc Eo" in (site / links[0] / "index.html").read_text(encoding="utf-8")
    assert links[0] == "tin-tuc/tin-khong-co-ma-hoi-cho-oc-eo/", links   # ASCII (mkdocs.yml: post_slugify)
    for link in links:   # every link of the block leads to a built page
        assert (site / urljoin("/", link).lstrip("/") / "index.html").is_file(), link
    assert "25/11/2026" in (site / "tin-tuc" / "tin-co-gio-dang" / "index.html").read_text(encoding="utf-8")


def test_github_links_come_from_the_settings(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert text.count(REPOSITORY) == 1
    config.write_text(text.replace(REPOSITORY, "repository: https://github.com/so-nn-an-giang/ho-so-htx"), encoding="utf-8")
    code, output = build(project)
    assert code == 0, output
    guide = (project / "site" / "tham-gia" / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="(https://github\.com/[^"]*)"', guide)
    assert "https://github.com/so-nn-an-giang/ho-so-htx/issues/new?template=ho-so-hop-tac-xa.yml" in links
    assert "https://github.com/so-nn-an-giang/ho-so-htx/blob/main/cooperatives/_mau/profile.yml" in links
    assert all(link.startswith("https://github.com/so-nn-an-giang/ho-so-htx") or link == "https://github.com/signup"
               for link in links), links
    assert "angiang-htx" not in guide
    builder = (project / "site" / "tham-gia" / "tao-ho-so" / "index.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script type="application/json" id="htx-b-data">(.*?)</script>', builder, re.S).group(1))
    assert data["repository"] == "so-nn-an-giang/ho-so-htx" and data["units"] == builder_data()["units"]
    assert "angiang-htx" not in builder
    # The route without GitHub: the board's contacts from extra.operator, on the guide and in the builder's result.
    for page in (guide, builder):
        assert '<a href="mailto:bbt@htx.angiang.example">bbt@htx.angiang.example</a>' in page

    # Without a repository, a page linking into it cannot build, and says why and where.
    config.write_text(text.replace(REPOSITORY, 'repository: ""'), encoding="utf-8")
    code, output = build(project)
    assert code != 0 and "Traceback" not in output
    # The first page MkDocs reads that links into the repository stops the build: named with its line.
    found = re.search(r"(content/\S+\.md):(\d+): Liên kết `(kho:[^`]+)` cần địa chỉ kho mã nguồn, "
                      r"nhưng `extra.repository` trong mkdocs.yml chưa đặt", output)
    assert found, output
    lines = (project / found[1]).read_text(encoding="utf-8").splitlines()
    assert found[3] in lines[int(found[2]) - 1]


def test_read_posts_takes_dates_with_a_time(tmp_path: Path) -> None:
    from datetime import date

    from htx.site.handwritten import read_posts

    folder = tmp_path / "tin-tuc" / "posts"
    folder.mkdir(parents=True)
    for name, when, extra in (("a", "2026-11-25 08:30:00", ""), ("b", "\n  created: 2026-11-24 17:00:00", ""),
                              ("c", "2026-11-23", "draft: true\n"), ("d", "2026-12-30 08:00:00", ""), ("e", "'hôm qua'", ""),
                              ("f", "2026-11-20", "tags: [a\n")):   # front matter that does not parse: none, as in MkDocs
        (folder / f"{name}.md").write_text(f"---\ntitle: Bài {name}\ndate: {when}\n{extra}---\n\n# Bài\n", encoding="utf-8")
    (folder / "g.md").write_text("---\n- a list, not a mapping\n---\n\n# Bài\n", encoding="utf-8")
    posts = read_posts(folder, date(2026, 11, 26))
    assert [(p.title, p.day, p.url, p.src_uri) for p in posts] == [
        ("Bài a", date(2026, 11, 25), "tin-tuc/a/", "tin-tuc/posts/a.md"),
        ("Bài b", date(2026, 11, 24), "tin-tuc/b/", "tin-tuc/posts/b.md"),
    ]
