"""What the build refuses or decides itself (issue 17): symbolic links anywhere it reads from, and featured
products chosen by staff in cooperatives/noi-bat.yml, never by a profile's own `noi_bat: có`. Real builds."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import MKDOCS, copy_project, run

pytestmark = pytest.mark.slow

MAM = "htx-mam-chau-doc/mam-ca-linh-ben-do-500g"       # `noi_bat: có` in its profile
MAT_ONG = "htx-mat-ong-u-minh-thuong/mat-ong-tram-u-minh-500ml"


def build(project: Path):
    return run(MKDOCS + ["build", "--strict"], project)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample project, built once (later tests check that a refused build keeps this site)."""
    project = copy_project(tmp_path_factory.mktemp("trust") / "p")
    result = build(project)
    assert result.returncode == 0, result.stderr[-3000:]
    (project / "site" / "marker.txt").write_text("previous build", encoding="utf-8")
    return project


@pytest.mark.parametrize("where, target", [
    ("content/hostname.md", "/etc/hostname"),
    ("content/git", "../.git"),
    ("cooperatives/htx-mam-chau-doc/images/passwd.jpg", "/etc/passwd"),
    ("overrides/partials/leak.html", "/etc/hostname"),
    ("overrides/assets/htx/dir", "/etc"),
])
def test_a_symlink_stops_the_build_and_keeps_the_previous_site(project: Path, where: str, target: str) -> None:
    link = project / where
    os.symlink(target, link)
    try:
        result = build(project)
    finally:
        link.unlink()
    assert result.returncode != 0
    assert f"`{where}` là liên kết tượng trưng (symlink)" in result.stderr, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert (project / "site" / "marker.txt").read_text(encoding="utf-8") == "previous build"
    published = [p for p in (project / "site").rglob("*") if p.name in ("hostname", "hostname.html", "passwd.jpg", "leak.html")]
    assert not published


def cards(html: str) -> list[str]:
    """Product URLs on the featured cards of a page."""
    import re
    section = re.search(r'aria-labelledby="(?:san-pham-)?noi-bat"[^>]*>.*?<ul class="htx-cards[^"]*">(.*?)</ul>', html, re.S)
    return re.findall(r'href="(?:\.\./)*san-pham/([^"]+)/"', section.group(1)) if section else []


def test_home_features_only_what_staff_chose(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    (project / "cooperatives" / "noi-bat.yml").write_text(
        f"# Ban biên tập\nnoi_bat:\n  - san_pham: {MAT_ONG}\n    ghi_chu: duyệt 01/12/2026\n", encoding="utf-8")
    assert "noi_bat: có" in (project / "cooperatives" / "htx-mam-chau-doc" / "profile.yml").read_text(encoding="utf-8")
    result = build(project)
    assert result.returncode == 0, result.stderr[-3000:]
    home = (project / "site" / "index.html").read_text(encoding="utf-8")
    catalog = (project / "site" / "san-pham" / "index.html").read_text(encoding="utf-8")
    assert cards(home) == [MAT_ONG], cards(home)
    assert cards(catalog) == [MAT_ONG], cards(catalog)
    assert MAM not in home


def test_no_staff_list_hides_the_featured_section(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    (project / "cooperatives" / "noi-bat.yml").unlink()
    result = build(project)
    assert result.returncode == 0, result.stderr[-3000:]
    for url in ("index.html", "san-pham/index.html"):
        html = (project / "site" / url).read_text(encoding="utf-8")
        assert "Sản phẩm nổi bật" not in html, url
        assert "htx-featured" not in html and not cards(html)
    # The catalog still leads to every product.
    assert 'href="../san-pham/gao-nong-san/"' in (project / "site" / "san-pham" / "index.html").read_text(encoding="utf-8")


def test_an_unknown_product_in_the_staff_list_stops_the_build(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    (project / "cooperatives" / "noi-bat.yml").write_text(
        "# Ban biên tập\nnoi_bat:\n  - htx-mam-chau-doc/mam-ca-linh-ben-do-500\n", encoding="utf-8")
    result = build(project)
    assert result.returncode != 0
    assert "cooperatives/noi-bat.yml:3:5" in result.stderr, result.stderr[-2000:]
    assert "không có sản phẩm mã `mam-ca-linh-ben-do-500`" in result.stderr
    assert f"Có phải ý bạn là `{MAM}`?" in result.stderr
    assert "Traceback" not in result.stderr


def test_sample_site_features_the_staff_list_in_its_order(built_site: Path) -> None:
    import yaml

    staff = yaml.safe_load((built_site / "cooperatives" / "noi-bat.yml").read_text(encoding="utf-8"))["noi_bat"]
    assert len(staff) == 8
    home = (built_site / "site" / "index.html").read_text(encoding="utf-8")
    assert cards(home) == staff
    assert home.count("Sản phẩm nổi bật") == 1
