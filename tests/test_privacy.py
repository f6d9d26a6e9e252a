"""Issue 20: nothing personal is published without a recorded consent, in ANY output file.

A profile without `dong_y_cong_khai` carries distinctive personal values (the representative's name, own
phone, Zalo and e-mail; a cooperative photo and a product photo marked `co_nguoi: có`). The sample site is
built with it, and every file under site/ is read (gzip-compressed ones, the search index, result fields and
filters among them, decompressed: the test proves it read them by finding the profile's public values
there), as are the share cards' plans (what is drawn on og:images): no personal value anywhere. The same
profile with consent shows them on its page. Also: the privacy page, the staff page, stale and expired states.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest
from PIL import Image

from conftest import MKDOCS, copy_project, run

pytestmark = pytest.mark.slow

SLUG = "htx-banh-phong-rieng-tu"
NAME = "Quách Ngạn Vỹ"
PHONE, ZALO, EMAIL = "0903 417 286", "0903 417 299", "quach.ngan.vy@gmail.com"
OFFICE = "0296 3811 777"                        # organisational: published
PUBLIC_WORD = "Bánh phồng Riêng Tư Thử Nghiệm"  # a product name: must be in the search index
PROFILE = f"""\
ma: {SLUG}
ho_so_mau: có
ten: Hợp tác xã Bánh Phồng Riêng Tư
loai_hinh: hop-tac-xa
linh_vuc: [che-bien]
so_thanh_vien: 21
ngay_thanh_lap: 01/03/2015
xac_nhan_ngay: 02/11/2026
nguoi_dai_dien:
  ho_ten: {NAME}
  chuc_vu: Giám đốc
  dien_thoai: {PHONE}
  zalo: {ZALO}
  email: {EMAIL}
dia_chi:
  chi_tiet: Ấp Hòa Bình
  xa_phuong: Xã Thoại Sơn
lien_he:
  dien_thoai:
    - {OFFICE}
gioi_thieu: Hợp tác xã làm bánh phồng nếp, dùng để kiểm tra rằng dữ liệu cá nhân không bị đăng khi chưa có đồng ý.
hinh_anh:
  - tep: images/xuong-banh.jpg
    mo_ta: Xưởng làm bánh của hợp tác xã
  - tep: images/nguoi-lam-banh.jpg
    mo_ta: Thành viên đang cán bánh phồng
    co_nguoi: có
san_pham:
  - ma: banh-phong-rieng-tu
    ten: {PUBLIC_WORD}
    danh_muc: banh-keo-duong
    gioi_thieu: Bánh phồng nếp nướng than, dùng trong kiểm thử.
    gia: 45.000
    don_vi: kg
    hinh_anh:
      - tep: images/nguoi-ban-banh.jpg
        mo_ta: Người bán bánh ở chợ nổi
        co_nguoi: có
"""
CONSENT = """\
dong_y_cong_khai:
  nguoi_dong_y: {name}
  vai_tro: Giám đốc, người đại diện theo pháp luật
  ngay: 10/11/2026
""".format(name=NAME)
PEOPLE_PHOTOS = ("nguoi-lam-banh.jpg", "nguoi-ban-banh.jpg")


def _photo(path: Path, seed: int) -> None:
    # Distinct pixels per file: photos are named by content, so each has its own variant names.
    img = Image.new("RGB", (800, 600), (40 + seed * 50, 120, 200 - seed * 40))
    for x in range(0, 800, 16):
        img.putpixel((x, seed * 7 % 600), (seed * 30 % 255, 10, 10))
    img.save(path, "JPEG", quality=85)


def _project(root: Path, consent: bool) -> Path:
    project = copy_project(root)
    folder = project / "cooperatives" / SLUG
    (folder / "images").mkdir(parents=True)
    text = PROFILE.replace("xac_nhan_ngay:", CONSENT + "xac_nhan_ngay:") if consent else PROFILE
    (folder / "profile.yml").write_text(text, encoding="utf-8")
    for seed, name in enumerate(("xuong-banh.jpg", *PEOPLE_PHOTOS)):
        _photo(folder / "images" / name, seed)
    return project


def _build(project: Path) -> Path:
    result = run(MKDOCS + ["build", "--strict"], project)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return project / "site"


def _people_keys(project: Path) -> list[str]:
    """The names the site gives the photos of people (variants and cards are named by the source's hash)."""
    folder = project / "cooperatives" / SLUG / "images"
    return [hashlib.sha256((folder / name).read_bytes()).hexdigest()[:20] for name in PEOPLE_PHOTOS]


def read_all(site: Path) -> dict[str, str]:
    """Every file of the site as text, gzip files (.gz copies) decompressed."""
    out = {}
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        out[path.relative_to(site).as_posix()] = data.decode("utf-8", "replace") + "\n" + path.name
    return out


def needles(project: Path) -> list[str]:
    digits = [re.sub(r"\D", "", v)[1:] for v in (PHONE, ZALO)]     # 903417286: in 0903…, +84903…, zalo.me/0903…
    return [NAME, *NAME.split()[:2], "quach", PHONE, ZALO, *digits, EMAIL, EMAIL.split("@")[0], *_people_keys(project)]


def _folded(text: str) -> str:
    return text.casefold()


@pytest.fixture(scope="module")
def private_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = _project(tmp_path_factory.mktemp("rieng-tu"), consent=False)
    _build(project)
    return project


@pytest.fixture(scope="module")
def consented_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = _project(tmp_path_factory.mktemp("dong-y"), consent=True)
    _build(project)
    return project


def test_no_personal_value_in_any_output_file_without_consent(private_site: Path) -> None:
    files = read_all(private_site / "site")
    index = {k: v for k, v in files.items() if k.startswith("search/")}
    # Proof that the search index was read as text: the product's name (public) is in its result fields.
    assert any(PUBLIC_WORD in text for k, text in index.items() if "/d/" in k), sorted(index)[:5]
    page = files[f"hop-tac-xa/{SLUG}/index.html"]
    assert "0296 3811 777" in page and "tel:+842963811777" in page     # the office's number is published
    assert "Giám đốc" in page
    found = [(name, needle) for name, text in files.items() for needle in needles(private_site)
             if _folded(needle) in _folded(text)]
    assert found == []


def test_share_card_plans_hold_no_personal_value(private_site: Path) -> None:
    from htx.pipeline import build

    result = build(private_site / "cooperatives", base=private_site, site_url="https://htx.angiang.example/")
    assert result.ok
    pages = result.rendered.pages             # pages render on demand; each registers its share card
    plans = [plan for plan in result.rendered.shares.values() if SLUG in repr(plan) or "Riêng Tư" in repr(plan)]
    assert len(plans) == 4                        # the cooperative's card and the product's, in both languages
    keys = _people_keys(private_site)
    for plan in plans:
        text = _folded(repr(plan))
        assert not [n for n in needles(private_site) if _folded(n) in text], plan
        assert plan.photo is None or plan.photo.sha[:20] not in keys
    # The pages and their metadata as rendered (before MkDocs), too.
    rendered = json.dumps([(p.meta, p.ld, p.image, p.body) for p in pages], ensure_ascii=False, default=str)
    assert not [n for n in needles(private_site) if _folded(n) in _folded(rendered)]


def test_with_consent_the_personal_values_are_published(consented_site: Path) -> None:
    files = read_all(consented_site / "site")
    page = files[f"hop-tac-xa/{SLUG}/index.html"]
    assert f"{NAME}, Giám đốc" in page
    assert "tel:+84903417286" in page and f"Gọi {NAME}: {PHONE}" in page
    assert "https://zalo.me/0903417299" in page and "mailto:quach.ngan.vy@gmail.com" in page
    assert '"@type": "Person"' in page and NAME in page
    keys = _people_keys(consented_site)
    assert all(any(key in name for name in files) for key in keys)   # both photos of people are published


def test_staff_page_lists_missing_consent_and_is_hidden(private_site: Path) -> None:
    site = private_site / "site"
    page = (site / "bien-tap" / "tinh-trang" / "index.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex">' in page
    assert "bien-tap" not in (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "data-search-body" not in page
    row = re.search(r"<tr><td><a [^>]*>Hợp tác xã Bánh Phồng Riêng Tư</a>.*?</tr>", page)
    assert row, "the profile is listed"
    assert "Chưa có" in row.group(0) and "người đại diện › họ tên" in row.group(0) and "ảnh có người" in row.group(0)
    assert NAME not in page and PHONE not in page          # which fields, never their values
    # Profiles by last-confirmed date, oldest first.
    dates = [tuple(reversed(d.split("/"))) for d in re.findall(r"<td>(\d\d/\d\d/\d{4}) \(", page)]
    assert dates and dates == sorted(dates)
    # Not in the navigation, not in the search index: no page links to it, the search index never saw it.
    files = read_all(site)
    assert not [n for n, t in files.items() if "tinh-trang" in t and n != "bien-tap/tinh-trang/index.html"
                and not n.startswith("bien-tap/")]


def test_stale_and_expired_profiles_on_their_pages(private_site: Path) -> None:
    site = private_site / "site"
    stale = (site / "hop-tac-xa" / "htx-khom-chau-thanh" / "index.html").read_text(encoding="utf-8")
    assert "Thông tin được xác nhận ngày 10/10/2025" in stale and "Cần cập nhật" in stale
    assert 'class="htx-contact"' in stale                  # still reachable: only marked
    expired = (site / "hop-tac-xa" / "htx-co-bang-giang-thanh" / "index.html").read_text(encoding="utf-8")
    assert "Thông tin đã quá 24 tháng chưa được xác nhận" in expired
    assert 'class="htx-contact"' not in expired and "tel:" not in expired.split('class="md-footer')[0]
    products = sorted((site / "san-pham" / "htx-co-bang-giang-thanh").glob("*/index.html"))
    assert products
    for path in products:
        html = path.read_text(encoding="utf-8")
        assert "Thông tin đã quá 24 tháng" in html and "htx-price--big" not in html
        assert '"offers"' not in html and " đ<" not in html.split('class="md-footer')[0]
    fresh = (site / "hop-tac-xa" / SLUG / "index.html").read_text(encoding="utf-8")
    assert "Thông tin được xác nhận ngày 02/11/2026." in fresh and "Cần cập nhật" not in fresh


def test_privacy_page_linked_from_footer_and_about(private_site: Path) -> None:
    site = private_site / "site"
    privacy = (site / "quyen-rieng-tu" / "index.html").read_text(encoding="utf-8")
    assert "91/2025/QH15" in privacy and "356/2025/NĐ-CP" in privacy
    assert "yeu-cau-sua-go-thong-tin.yml" in privacy
    assert "mailto:bbt@htx.angiang.example" in privacy            # the controller defaults to the operator
    for page in ("index.html", "ve-trang-nay/index.html", f"hop-tac-xa/{SLUG}/index.html"):
        assert 'quyen-rieng-tu/"' in (site / page).read_text(encoding="utf-8"), page


def test_privacy_controller_setting(tmp_path: Path) -> None:
    from htx.site.operator import read_controller, read_operator

    extra = {"operator": {"name": "Ban biên tập", "email": "bbt@htx.vn"}}
    operator, _ = read_operator(extra)
    controller, problems = read_controller(extra, operator)
    assert (controller.name, controller.email, controller.is_operator, problems) == ("Ban biên tập", "bbt@htx.vn", True, [])
    extra["privacy"] = {"controller": {"name": "Liên minh Hợp tác xã", "email": "dulieu@lmhtx.vn"}}
    controller, problems = read_controller(extra, operator)
    assert (controller.name, controller.href, controller.is_operator) == ("Liên minh Hợp tác xã", "mailto:dulieu@lmhtx.vn", False)
    extra["privacy"] = {"controller": {"email": "khong phai thu"}}
    controller, problems = read_controller(extra, operator)
    assert controller.email == "" and problems and "extra.privacy.controller.email" in problems[0]
