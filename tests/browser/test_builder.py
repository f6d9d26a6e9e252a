"""The profile builder page (/tham-gia/tao-ho-so/) in a phone-sized Chromium: what it writes validates."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from htx.issue_form import coop_slug
from htx.pipeline import check

pytestmark = pytest.mark.browser

BUILDER = "tham-gia/tao-ho-so/"
# Free text with everything YAML cares about: quotes, backslash, colon, hash, leading dash, tab.
NAME = 'Hợp tác xã Nông nghiệp "Đồng Tâm" #1: Lúa\\Gạo'
SUMMARY = "- Hợp tác xã của 25 hộ: trồng lúa, # cung ứng giống\tvà bao tiêu. Giá: 100% “công bằng”."


def open_builder(page, site_url: str) -> None:
    page.goto(site_url + BUILDER)
    page.wait_for_selector("#htx-builder")
    page.wait_for_load_state("load")


def fill_valid(page) -> None:
    """Fill every field the builder has with valid, awkward answers (two products)."""
    page.fill("#htx-b-ten", NAME)
    page.select_option("#htx-b-loai_hinh", "hop-tac-xa")
    page.check("input[name=linh_vuc][value=trong-trot]")
    page.check("input[name=linh_vuc][value=dich-vu]")
    page.fill("#htx-b-so_thanh_vien", "1.200")
    page.fill("#htx-b-ngay_thanh_lap", "15/03/2012")
    page.fill("#htx-b-so_dang_ky", "0160123456")
    page.fill("#htx-b-gioi_thieu", SUMMARY)
    page.fill("#htx-b-ho_ten", "Nguyễn Văn “Tư”")
    page.fill("#htx-b-chuc_vu", "Giám đốc")
    page.fill("#htx-b-xa_phuong", "thoai son")  # no diacritics, no type: the builder writes the official name
    page.fill("#htx-b-chi_tiet", "Ấp Tây Bình: số 12")
    page.fill("#htx-b-dien_thoai", "+84 912 345 678")
    page.fill("#htx-b-dien_thoai_2", "0296 3841 234")
    page.fill("#htx-b-zalo", "https://zalo.me/0912345678")
    page.fill("#htx-b-email", "htx.dongtam@gmail.com")
    page.fill("#htx-b-website", "https://dongtam.example.vn/?a=1&b=2")
    page.fill("#htx-b-dich_vu", "Cung ứng giống lúa xác nhận\n\n- Bao tiêu lúa: theo hợp đồng\n")
    page.fill("#htx-b-sp0-ten", 'Gạo thơm "ST25"')
    page.select_option("#htx-b-sp0-danh_muc", "gao-nong-san")
    page.fill("#htx-b-sp0-gia", "120.000")
    page.fill("#htx-b-sp0-don_vi", "túi 5 kg")
    page.fill("#htx-b-sp0-gioi_thieu", "Gạo thơm dẻo: trồng theo VietGAP.")
    page.click("#htx-b-add-product")
    second = page.locator("[data-product]").nth(1)
    second.locator("[data-key=ten]").fill("Mắm cá linh")
    second.locator("[data-key=danh_muc]").select_option("mam-nuoc-mam")
    second.locator("[data-key=gia]").fill("liên hệ")
    second.locator("[data-key=gioi_thieu]").fill("Mắm cá linh mùa nước nổi, làm theo cách truyền thống.")


def generate(page) -> str:
    page.click("button[type=submit]")
    page.wait_for_selector("#htx-b-result", state="visible")
    return page.input_value("#htx-b-yaml")


def test_builder_writes_a_profile_that_validates(site_url: str, page, tmp_path: Path) -> None:
    open_builder(page, site_url)
    fill_valid(page)
    slug = page.input_value("#htx-b-ma")
    assert slug == coop_slug(NAME) == "htx-nong-nghiep-dong-tam-1-lua-gao"
    text = generate(page)
    assert text.startswith("# yaml-language-server: $schema=../profile.schema.json\n")

    path = tmp_path / "cooperatives" / slug / "profile.yml"
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    entries, problems = check(tmp_path / "cooperatives", base=tmp_path)
    assert [p.format_text() for p in problems] == [], text
    coop = entries[0].coop
    assert coop.name == NAME                       # quoting and escaping survive the round trip
    assert coop.summary == SUMMARY.replace("\t", " ")
    assert coop.representative.name == "Nguyễn Văn “Tư”"
    assert coop.address.commune == "Xã Thoại Sơn"
    assert coop.members == 1200
    assert coop.sectors == ["trong-trot", "dich-vu"]
    assert coop.contact.phones == ["+84 912 345 678", "0296 3841 234"]
    assert coop.practice is not None and coop.practice.services == ["Cung ứng giống lúa xác nhận", "Bao tiêu lúa: theo hợp đồng"]
    assert [(p.id, p.name, p.price) for p in coop.products] == [("gao-thom-st25", 'Gạo thơm "ST25"', 120000),
                                                                ("mam-ca-linh", "Mắm cá linh", None)]

    # The GitHub link creates cooperatives/<slug>/profile.yml in the repository of data-repo, with this text.
    href = page.get_attribute("#htx-b-github", "href")
    parts = urlsplit(href)
    assert (parts.scheme, parts.netloc) == ("https", "github.com")
    assert unquote(parts.path) == f"/angiang-htx/hop-tac-xa/new/main/cooperatives/{slug}"
    query = parse_qs(parts.query)
    assert query["filename"] == ["profile.yml"]
    assert query["value"] == [text]
    assert page.js_errors == []


def test_missing_required_field_blocks_generation(site_url: str, page) -> None:
    open_builder(page, site_url)
    fill_valid(page)
    page.fill("#htx-b-ten", "")
    page.fill("#htx-b-ma", "")
    page.click("button[type=submit]")
    summary = page.locator("#htx-b-errors")
    summary.wait_for(state="visible")
    assert "Chưa tạo được hồ sơ" in summary.inner_text()
    assert "Chưa điền “Tên hợp tác xã”." in summary.inner_text()
    assert page.get_attribute("#htx-b-ten", "aria-invalid") == "true"
    assert page.locator("#htx-b-ten-error").inner_text() == "Chưa điền “Tên hợp tác xã”."
    assert "htx-b-ten-error" in page.get_attribute("#htx-b-ten", "aria-describedby")
    assert page.locator("#htx-b-result").is_hidden()
    assert page.input_value("#htx-b-yaml") == ""
    # The summary's link takes the keyboard to the field.
    summary.locator("a").first.click()
    assert page.evaluate("document.activeElement.id") == "htx-b-ten"

    # Once filled in, the error goes and the profile is written.
    page.fill("#htx-b-ten", "Hợp tác xã Bình Minh")
    assert "ma: htx-binh-minh\n" in generate(page)
    assert page.locator("#htx-b-errors").is_hidden()
    assert page.get_attribute("#htx-b-ten", "aria-invalid") is None
    assert page.js_errors == []


def test_formats_are_checked_in_vietnamese(site_url: str, page) -> None:
    open_builder(page, site_url)
    fill_valid(page)
    page.fill("#htx-b-dien_thoai", "0912 345")
    page.fill("#htx-b-email", "htx.dongtam@")
    page.fill("#htx-b-website", "http://dongtam.example.vn")
    page.fill("#htx-b-xa_phuong", "Huyện Thoại Sơn")
    page.fill("#htx-b-ngay_thanh_lap", "31/02/2012")
    page.fill("#htx-b-sp0-gia", "120k")
    page.fill("#htx-b-ma", "HTX Đồng Tâm")
    page.click("button[type=submit]")
    text = page.locator("#htx-b-errors").inner_text()
    assert "cần sửa 7 mục" in text
    assert "“Số điện thoại” không đúng" in text
    assert "“Thư điện tử” không đúng dạng" in text
    assert "“Trang web” phải là một liên kết bắt đầu bằng https://" in text
    assert "không phải tên một trong 102 xã, phường, đặc khu" in text
    assert "“Ngày thành lập” phải là một ngày có thật" in text
    assert "“Sản phẩm 1: Giá (đồng)” ghi số đồng" in text
    assert "“Mã hợp tác xã (tên thư mục)” chỉ gồm chữ thường không dấu" in text
    assert page.locator("#htx-b-result").is_hidden()


@pytest.mark.parametrize("name", [
    "Hợp tác xã Đặc sản Đồng Tháp Mười",
    "HTX Dịch vụ Nông nghiệp Vĩnh Hòa Hưng",
    "Tổ hợp tác Mắm Châu Đốc (Bà Năm)",
    "Liên hiệp Hợp tác xã Thương mại Tỉnh An Giang và các Xã Phường Đặc khu Phú Quốc Thổ Châu",
])
def test_slug_rule_is_the_python_one(site_url: str, page, name: str) -> None:
    open_builder(page, site_url)
    page.fill("#htx-b-ten", name)
    assert page.input_value("#htx-b-ma") == coop_slug(name)


def test_download_and_copy(site_url: str, page) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    open_builder(page, site_url)
    fill_valid(page)
    text = generate(page)
    with page.expect_download() as info:
        page.click("#htx-b-download")
    download = info.value
    assert download.suggested_filename == "profile.yml"
    assert Path(download.path()).read_text(encoding="utf-8") == text
    page.click("#htx-b-copy")
    page.wait_for_function("() => document.getElementById('htx-b-status').textContent.includes('Đã sao chép')")
    assert page.evaluate("navigator.clipboard.readText()") == text


def test_builder_fits_a_phone(site_url: str, page) -> None:
    """Nothing sticks out sideways at 412 px, and every control has a visible label."""
    open_builder(page, site_url)
    assert page.evaluate("document.documentElement.scrollWidth") <= 412
    unlabelled = page.evaluate("""() => [...document.querySelectorAll('#htx-builder :is(input, select, textarea)')]
        .filter(el => !(el.labels && el.labels.length) && !el.closest('label')).map(el => el.id || el.name)""")
    assert unlabelled == []
    assert page.evaluate("[...document.querySelectorAll('#htx-builder input:not([type=checkbox])')].every(el => el.autocomplete)")
