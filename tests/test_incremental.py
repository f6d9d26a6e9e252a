"""Render only what changed: generated pages are kept by what they show (htx.mkdocs.generated).

Real builds of the sample site in a temporary project: a rebuild with nothing changed renders no generated
page and does not make the search index again; editing one profile renders that cooperative's pages and the listings it
shows on; a theme change renders everything again; the output is the same bytes as a build from nothing.
Links from hand-written pages to generated pages are checked (`htx:` links and their anchors).
"""
from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

try:
    from conftest import MKDOCS, copy_project, run
except ImportError:  # tests/ imported as a package
    from tests.conftest import MKDOCS, copy_project, run

pytestmark = pytest.mark.slow
COUNTS = re.compile(r"htx: trang tạo từ hồ sơ: (\d+) dựng mới, (\d+) dùng lại")
KEPT = "htx: chỉ mục tìm kiếm không đổi"


def build(project: Path, *args: str):
    result = run(MKDOCS + ["build", "--strict", *args], project)
    return result, result.stdout + result.stderr


def counts(log: str) -> tuple[int, int]:
    found = COUNTS.search(log)
    assert found, log[-3000:]
    return int(found.group(1)), int(found.group(2))


def snapshot(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("incremental") / "p")
    result, log = build(root)
    assert result.returncode == 0, log[-4000:]
    rendered, reused = counts(log)
    assert rendered > 80 and reused == 0
    return root


def test_nothing_changed_renders_nothing_and_keeps_the_search_index(project: Path) -> None:
    before = snapshot(project / "site")
    index = sorted(p.relative_to(project / "site").as_posix() for p in (project / "site" / "search").rglob("*"))
    result, log = build(project)
    assert result.returncode == 0, log[-4000:]
    rendered, reused = counts(log)
    assert rendered == 0 and reused > 80
    # Not even their bodies are rendered, but the plan's figures' (it reads the git history and the news).
    assert int(re.search(r"dùng lại \((\d+) không cần dựng cả nội dung\)", log).group(1)) == reused - 1
    assert KEPT in log and "chỉ mục tìm kiếm 1" not in log
    assert snapshot(project / "site") == before
    assert sorted(p.relative_to(project / "site").as_posix() for p in (project / "site" / "search").rglob("*")) == index


def test_editing_one_profile_renders_its_pages_and_listings_only(project: Path, tmp_path: Path) -> None:
    other = tmp_path / "edited"
    shutil.copytree(project, other, ignore=shutil.ignore_patterns(".site.*"))   # an old site being deleted
    profile = other / "cooperatives" / "htx-co-bang-giang-thanh" / "profile.yml"
    text = profile.read_text(encoding="utf-8")
    new = re.sub(r"^so_thanh_vien: (\d+)", lambda m: f"so_thanh_vien: {int(m.group(1)) + 7}", text, count=1, flags=re.M)
    assert new != text
    profile.write_text(new, encoding="utf-8")
    result, log = build(other)
    assert result.returncode == 0, log[-4000:]
    rendered, reused = counts(log)
    # Its page and its products' (their card names it), and where its member count shows: the directory, its
    # commune's page and the statistics' total; in both languages.
    assert 1 <= rendered <= 14 and reused > 160, (rendered, reused)
    assert KEPT not in log                                   # a page changed: the index was made again
    page = (other / "site" / "hop-tac-xa" / "htx-co-bang-giang-thanh" / "index.html").read_text(encoding="utf-8")
    members = int(re.search(r"^so_thanh_vien: (\d+)", new, re.M).group(1))
    assert str(members) in page
    # The same bytes as building the edited project from nothing.
    fresh = tmp_path / "fresh"
    shutil.copytree(other, fresh, ignore=shutil.ignore_patterns("site", ".cache", ".site.*"))
    result, log = build(fresh)
    assert result.returncode == 0 and counts(log)[1] == 0
    assert snapshot(fresh / "site") == snapshot(other / "site")


# Files listings read besides the profiles (Renderer.listings_key): the staff's featured picks and an event.
HIDDEN_INPUTS = [
    ("cooperatives/noi-bat.yml", "  - htx-lua-gao-thoai-son/gao-thom-huu-co-dong-xanh-5kg\n", "",
     ["san-pham/index.html", "en/products/index.html"]),
    ("content/su-kien/2027/hoi-cho-san-pham-hop-tac-xa-rach-gia.yml", "ten: Hội chợ sản phẩm hợp tác xã đón Tết\n",
     "ten: Hội chợ sản phẩm hợp tác xã đón Tết Đinh Mùi\n", ["su-kien/index.html"]),
]


def test_a_listing_kept_by_its_key_changes_with_what_it_reads(project: Path, tmp_path: Path) -> None:
    """Listings are kept without rendering when nothing they read changed: editing a file they read besides the
    profiles renders them again, with the same bytes as a build from nothing."""
    other = tmp_path / "edited"
    shutil.copytree(project, other, ignore=shutil.ignore_patterns(".site.*"))
    result, log = build(other)    # profiles are keyed by their folder's place: a copy renders its pages' bodies once
    assert result.returncode == 0, log[-4000:]
    for path, old, new, pages in HIDDEN_INPUTS:
        before = {page: (other / "site" / page).read_bytes() for page in pages}
        text = (other / path).read_text(encoding="utf-8")
        assert old in text
        (other / path).write_text(text.replace(old, new, 1), encoding="utf-8")
        result, log = build(other)
        assert result.returncode == 0, log[-4000:]
        assert counts(log)[0] >= 1, path
        assert [page for page in pages if (other / "site" / page).read_bytes() == before[page]] == [], path
    fresh = tmp_path / "fresh"
    shutil.copytree(other, fresh, ignore=shutil.ignore_patterns("site", ".cache", ".site.*"))
    result, log = build(fresh)
    assert result.returncode == 0 and counts(log)[1] == 0
    assert snapshot(fresh / "site") == snapshot(other / "site")


def test_a_theme_change_renders_every_page_again(project: Path, tmp_path: Path) -> None:
    other = tmp_path / "theme"
    shutil.copytree(project, other, ignore=shutil.ignore_patterns(".site.*"))   # an old site being deleted
    main = other / "overrides" / "main.html"
    main.write_text(main.read_text(encoding="utf-8").replace("{% block content %}", "{% block content %}<!-- v2 -->", 1),
                    encoding="utf-8")
    result, log = build(other)
    assert result.returncode == 0, log[-4000:]
    rendered, reused = counts(log)
    assert reused == 0 and rendered > 80
    assert "<!-- v2 -->" in (other / "site" / "san-pham" / "ocop" / "index.html").read_text(encoding="utf-8")


def test_every_generated_page_is_in_the_sitemap(project: Path) -> None:
    site = project / "site"
    listed = set(re.findall(r"<loc>https://htx\.angiang\.example/([^<]*)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8")))
    pages = {p.relative_to(site).parent.as_posix() + "/" for p in site.rglob("index.html") if "search" not in p.parts}
    pages = {"" if p == "./" else p for p in pages}
    noindex = {p for p in pages if 'name="robots" content="noindex"' in (site / p / "index.html").read_text(encoding="utf-8")}
    assert noindex == {"bien-tap/tinh-trang/"}
    assert listed == pages - noindex
    assert {"san-pham/ocop/", "hop-tac-xa/htx-co-bang-giang-thanh/", "xa-phuong/"} <= listed


LINKS = """---
title: Liên kết
---

# Liên kết

[Hợp tác xã](htx:htx-co-bang-giang-thanh#san-pham) và [OCOP](../san-pham/ocop/index.md).
"""


def test_links_to_generated_pages_are_made_urls_and_checked(project: Path, tmp_path: Path) -> None:
    other = tmp_path / "links"
    shutil.copytree(project, other, ignore=shutil.ignore_patterns(".site.*"))   # an old site being deleted
    page = other / "content" / "tham-gia" / "lien-ket.md"     # tham-gia/*.md: pages outside the navigation
    page.write_text(LINKS, encoding="utf-8")
    result, log = build(other)
    assert result.returncode == 0, log[-4000:]
    html = (other / "site" / "tham-gia" / "lien-ket" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../hop-tac-xa/htx-co-bang-giang-thanh/#san-pham"' in html
    assert 'href="../../san-pham/ocop/"' in html
    # An anchor the page does not have fails a strict build, in Vietnamese, and the previous site stays.
    before = snapshot(other / "site")
    page.write_text(LINKS.replace("#san-pham", "#khong-co"), encoding="utf-8")
    result, log = build(other)
    assert result.returncode != 0
    assert "trỏ tới mục `khong-co` không có trên trang đó" in log and "Traceback" not in log
    assert snapshot(other / "site") == before
    # So does a link to a cooperative the catalog lacks.
    page.write_text(LINKS.replace("htx:htx-co-bang-giang-thanh", "htx:htx-khong-co"), encoding="utf-8")
    result, log = build(other)
    assert result.returncode != 0 and "htx:htx-khong-co" in log and "Traceback" not in log


def test_directory_urls_off_is_refused(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nuse_directory_urls: false\n", encoding="utf-8")
    result, log = build(project)
    assert result.returncode != 0
    assert "use_directory_urls: false" in log and "Traceback" not in log
    assert not (project / "site").exists()


def test_every_file_that_shapes_a_page_is_in_the_fingerprint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The English words (locale/*.yml) and the unit lists (*.tsv) are read at build time: changing one must
    render the pages again, as a code or template change does (a stored English page would otherwise stay)."""
    from types import SimpleNamespace

    from mkdocs.config import load_config

    from htx.mkdocs import generated

    package = tmp_path / "htx"
    shutil.copytree(generated._PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(generated, "_PACKAGE", package)
    config = load_config(str(Path(__file__).parents[1] / "mkdocs.yml"))
    nav = SimpleNamespace(items=[])
    before = generated.fingerprint(config, nav, search=True)
    assert generated.fingerprint(config, nav, search=True) == before
    read_at_build = [p for p in package.rglob("*") if p.is_file() and p.parent.name != "fonts"]
    assert {p.suffix for p in read_at_build} <= generated.KEYED_SUFFIXES
    for path in [package / "site" / "locale" / "en" / "templates.yml", next(package.rglob("*.tsv"))]:
        path.write_bytes(path.read_bytes() + b"\n# changed\n")
        after = generated.fingerprint(config, nav, search=True)
        assert after != before, path
        before = after
