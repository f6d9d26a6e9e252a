"""Real `mkdocs build` runs: the sample site, refusal of invalid data, short nav, reproducible bytes."""
from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from tests.conftest import HTX, MKDOCS, REPO, VALID, copy_project, run, write_coop
from tests.test_launch import set_real_contacts

pytestmark = pytest.mark.slow


def read(project: Path, url: str) -> str:
    return (project / "site" / url / "index.html").read_text(encoding="utf-8")


def sample_slugs() -> list[str]:
    return sorted(p.parent.name for p in (REPO / "cooperatives").glob("*/profile.yml") if not p.parent.name.startswith("_"))


def test_sample_site_has_every_page_kind(built_site: Path) -> None:
    from htx.pipeline import build

    result = build(REPO / "cooperatives", base=REPO, with_images=False)
    assert result.ok
    assert len(result.catalog.entries) >= 12 and len(result.catalog.items) >= 40
    for page in result.rendered.pages:
        assert (built_site / "site" / page.url / "index.html").is_file(), page.url
    for url in ("", "san-pham", "hop-tac-xa", "xa-phuong", "san-pham/ocop", "thong-ke", "hop-tac-xa-kieu-moi", "ke-hoach", "tin-tuc", "tham-gia"):
        assert (built_site / "site" / url / "index.html").is_file(), url


def test_product_page_content(built_site: Path) -> None:
    from htx.pipeline import build
    from htx.data.text import format_vnd

    result = build(REPO / "cooperatives", base=REPO, with_images=False)
    item = next(i for i in result.catalog.items.values() if i.product.price is not None and i.product.ocop)
    html = read(built_site, item.url)
    assert f"<h1>{item.product.name}</h1>" in html.replace("&amp;", "&")
    assert format_vnd(item.product.price) in html
    assert "Hồ sơ mẫu" in html
    assert 'href="tel:+84' in html
    assert "zalo.me/0" in html or not item.coop.contact.zalo
    assert "OCOP" in html
    assert f'href="../../../hop-tac-xa/{item.coop.slug}/"' in html
    # Breadcrumbs back to the listings, as links and as structured data.
    assert 'href="../../../san-pham/"' in html
    blocks = [json.loads(b) for b in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)]
    kinds = {b["@type"] for b in blocks}
    assert {"Product", "BreadcrumbList"} <= kinds
    product = next(b for b in blocks if b["@type"] == "Product")
    assert product["offers"]["priceCurrency"] == "VND" and product["offers"]["price"] == str(item.product.price)


def test_products_without_photo_show_their_name_not_a_drawing(built_site: Path) -> None:
    from htx.pipeline import build

    result = build(REPO / "cooperatives", base=REPO, with_images=False)
    item = next(i for i in result.catalog.items.values() if not i.product.photos)
    html = read(built_site, item.url)
    assert "htx-photo--fallback" not in html and "assets/htx/categories/" not in html
    assert '<div class="htx-noimg htx-noimg--main htx-gallery__main" role="img" aria-label="Chưa có ảnh sản phẩm">' in html


def test_photos_are_webp_variants_with_dimensions(built_site: Path) -> None:
    html_files = list((built_site / "site" / "san-pham").glob("*/*/index.html"))
    imgs = [m for f in html_files for m in re.findall(r'<img class="htx-photo[^"]*" src="([^"]+\.webp)" srcset="([^"]+)" sizes="[^"]+" width="(\d+)" height="(\d+)" alt="([^"]+)"', f.read_text())]
    assert imgs, "no product photo rendered"
    for src, srcset, width, height, alt in imgs:
        assert alt.strip()
        for candidate in srcset.split(", "):
            url, w = candidate.rsplit(" ", 1)
            assert w.endswith("w")
    published = list((built_site / "site" / "anh").glob("*.webp"))
    assert published
    from PIL import Image

    for path in published[:10]:
        with Image.open(path) as im:
            assert im.format == "WEBP"
            assert not im.info.get("exif") and not im.info.get("icc_profile")


def test_generated_pages_stay_out_of_the_nav(built_site: Path) -> None:
    # The plan page links to no cooperative, so any cooperative link in it would come from the nav.
    html = read(built_site, "ke-hoach")
    assert 'href="../san-pham/"' in html  # the short nav is there
    for slug in sample_slugs():
        assert f"hop-tac-xa/{slug}/" not in html
    sizes = [p.stat().st_size for p in (built_site / "site" / "san-pham").glob("*/*/index.html")]
    assert max(sizes) < 60_000


def test_vietnamese_ui_and_anchors(built_site: Path) -> None:
    html = read(built_site, "")
    assert '<html lang="vi"' in html
    assert "fonts.googleapis.com" not in html and "fonts.gstatic.com" not in html
    assert "Initializing search" not in html
    # Headings with Đ keep their letter in the anchor.
    page = read(built_site, "hop-tac-xa-kieu-moi/thuat-ngu")
    assert "id=\"ac-" not in page


def test_home_and_statistics_figures_follow_the_data(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", coops=False)
    write_coop(project, VALID)
    assert run(MKDOCS + ["build", "--strict"], project).returncode == 0
    home = read(project, "")
    assert re.search(r'htx-figure__value">1<', home)
    stats = read(project, "thong-ke")
    assert '<table class="htx-table htx-bars">' in stats and 'htx-bar__value">1<' in stats
    write_coop(project, VALID.replace("htx-thu-nghiem", "htx-thu-nghiem-hai").replace("gao-thu-nghiem", "gao-hai"), "htx-thu-nghiem-hai")
    assert run(MKDOCS + ["build", "--strict"], project).returncode == 0
    assert re.search(r'htx-figure__value">2<', read(project, ""))


def test_invalid_profile_stops_the_build_with_vietnamese_errors(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", coops=False)
    write_coop(project, VALID.replace("so_thanh_vien: 12", "so_thanh_vien: 0"))
    result = run(MKDOCS + ["build", "--strict"], project)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "cooperatives/htx-thu-nghiem/profile.yml:6:16" in output
    assert "Phải lớn hơn hoặc bằng 1" in output
    assert "Traceback" not in output


def test_production_build_excludes_samples(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", coops=False)
    write_coop(project, VALID)
    write_coop(project, VALID.replace("htx-thu-nghiem", "htx-that").replace("ho_so_mau: có", "ho_so_mau: không").replace("gao-thu-nghiem", "gao-that"), "htx-that")
    set_real_contacts(project)   # a build without samples refuses the sample site's .example contacts
    result = run(MKDOCS + ["build", "--strict"], project, {"HTX_INCLUDE_SAMPLES": "false"})
    assert result.returncode == 0, result.stderr
    assert (project / "site" / "hop-tac-xa" / "htx-that" / "index.html").exists()
    assert not (project / "site" / "hop-tac-xa" / "htx-thu-nghiem").exists()
    assert "Hồ sơ mẫu" not in read(project, "hop-tac-xa")


def test_post_link_to_unknown_cooperative_fails(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    post = project / "content" / "tin-tuc" / "posts" / "sai.md"
    post.write_text("---\ntitle: Sai\ndate: 2026-11-01\nauthors: [bientap]\ncategories: [Hướng dẫn]\n---\n\n# Sai\n\n[x](htx:khong-ton-tai)\n", encoding="utf-8")
    result = run(MKDOCS + ["build", "--strict"], project)
    assert result.returncode != 0
    assert "htx:khong-ton-tai" in result.stdout + result.stderr


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    outputs = []
    for name in ("a", "b"):
        assert run(MKDOCS + ["build", "--strict", "--site-dir", name], project).returncode == 0
        # Every page, image, asset and search index file must be identical.
        files = [p for p in (project / name).rglob("*") if p.is_file()]
        outputs.append({p.relative_to(project / name).as_posix(): p.read_bytes() for p in files})
        assert (project / name / "search" / "index.json").is_file()
    assert outputs[0].keys() == outputs[1].keys()
    differing = [k for k in outputs[0] if outputs[0][k] != outputs[1][k]]
    assert differing == []


def test_schema_file_is_current() -> None:
    result = run(HTX + ["schema", "--check"], REPO)
    assert result.returncode == 0, result.stderr


def test_failed_build_keeps_the_previous_site(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", coops=False)
    write_coop(project, VALID)
    assert run(MKDOCS + ["build", "--strict"], project).returncode == 0
    before = read(project, "hop-tac-xa/htx-thu-nghiem")
    write_coop(project, VALID.replace("loai_hinh: hop-tac-xa", "loai_hinh: sai"))
    assert run(MKDOCS + ["build", "--strict"], project).returncode != 0
    assert read(project, "hop-tac-xa/htx-thu-nghiem") == before


def test_rebuild_replaces_the_site_and_removes_the_old_one(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", coops=False)
    write_coop(project, VALID)
    assert run(MKDOCS + ["build", "--strict"], project).returncode == 0
    write_coop(project, VALID.replace("Gạo thử nghiệm", "Gạo thử nghiệm mới"))
    assert run(MKDOCS + ["build", "--strict"], project).returncode == 0
    assert "Gạo thử nghiệm mới" in read(project, "san-pham/htx-thu-nghiem/gao-thu-nghiem")
    deadline = time.monotonic() + 60          # the previous site is deleted in the background
    while list(project.glob(".site.*")) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not list(project.glob(".site.*"))
