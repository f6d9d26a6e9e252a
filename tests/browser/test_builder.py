"""The profile builder page (/tham-gia/tao-ho-so/) in a phone-sized Chromium: what it writes validates, its
commune answers are the CLI's, its GitHub link goes to the repository of the settings."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from mkdocs.config import load_config

from htx.tools.issue_form import coop_slug
from htx.pipeline import check
from tests.conftest import HTX, VALID, run, write_coop

pytestmark = pytest.mark.browser

BUILDER = "tham-gia/tao-ho-so/"
# Free text with everything YAML cares about: quotes, backslash, colon, hash, leading dash, tab.
NAME = 'Hợp tác xã Nông nghiệp "Đồng Tâm" #1: Lúa\\Gạo'
VERIFIED = "20/11/2026"  # before any day these tests run (the model refuses a date after today)
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
    page.fill("#htx-b-xac_nhan_ngay", VERIFIED)
    page.fill("#htx-b-gioi_thieu", SUMMARY)
    page.fill("#htx-b-ho_ten", "Nguyễn Văn “Tư”")
    page.fill("#htx-b-chuc_vu", "Giám đốc")
    page.fill("#htx-b-dd_dien_thoai", "0987 654 321")
    page.fill("#htx-b-dd_email", "tu.nguyen@gmail.com")
    page.check("#htx-b-dong_y")
    page.fill("#htx-b-nguoi_dong_y", "Nguyễn Văn “Tư”")
    page.fill("#htx-b-vai_tro", "Giám đốc, người đại diện theo pháp luật")
    page.fill("#htx-b-ngay_dong_y", VERIFIED)
    page.fill("#htx-b-xa_phuong", "thoai son")  # no diacritics, no type: the builder writes the official name
    page.fill("#htx-b-chi_tiet", "Ấp Tây Bình: số 12")
    page.fill("#htx-b-dien_thoai", "+84 913 246 801")
    page.fill("#htx-b-dien_thoai_2", "0296 3841 234")
    page.fill("#htx-b-zalo", "https://zalo.me/0913246801")
    page.fill("#htx-b-email", "htx.dongtam@gmail.com")
    page.fill("#htx-b-website", "https://dongtam.vn/?a=1&b=2")
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


def check_written(tmp_path: Path, slug: str, text: str):
    """Write text as cooperatives/<slug>/profile.yml under tmp_path; return what `htx validate` finds (entries, problems)."""
    path = tmp_path / "cooperatives" / slug / "profile.yml"
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    return check(tmp_path / "cooperatives", base=tmp_path)


def test_builder_writes_a_profile_that_validates(site_url: str, page, tmp_path: Path) -> None:
    open_builder(page, site_url)
    fill_valid(page)
    slug = page.input_value("#htx-b-ma")
    assert slug == coop_slug(NAME) == "htx-nong-nghiep-dong-tam-1-lua-gao"
    text = generate(page)
    assert text.startswith("# yaml-language-server: $schema=../profile.schema.json\n")

    entries, problems = check_written(tmp_path, slug, text)
    assert [p.format_text() for p in problems] == [], text
    coop = entries[0].coop
    assert coop.name == NAME                       # quoting and escaping survive the round trip
    assert coop.summary == SUMMARY.replace("\t", " ")
    assert coop.representative.name == "Nguyễn Văn “Tư”"
    assert (coop.representative.phone, coop.representative.email) == ("0987 654 321", "tu.nguyen@gmail.com")
    assert coop.publishes_personal and coop.consent.who == "Nguyễn Văn “Tư”" and coop.consent.date == VERIFIED
    assert coop.verified == VERIFIED
    assert coop.address.commune == "Xã Thoại Sơn"
    assert coop.members == 1200
    assert coop.sectors == ["trong-trot", "dich-vu"]
    assert coop.contact.phones == ["+84 913 246 801", "0296 3841 234"]
    assert coop.practice is not None and coop.practice.services == ["Cung ứng giống lúa xác nhận", "Bao tiêu lúa: theo hợp đồng"]
    assert [(p.id, p.name, p.price) for p in coop.products] == [("gao-thom-st25", 'Gạo thơm "ST25"', 120000),
                                                                ("mam-ca-linh", "Mắm cá linh", None)]

    # The GitHub link creates cooperatives/<slug>/profile.yml in the repository of extra.repository, with this text.
    href = page.get_attribute("#htx-b-github", "href")
    parts = urlsplit(href)
    assert (parts.scheme, parts.netloc) == ("https", "github.com")
    repository = load_config(str(Path(__file__).parents[2] / "mkdocs.yml")).extra["repository"]
    assert unquote(parts.path) == urlsplit(repository).path + f"/new/main/cooperatives/{slug}"
    query = parse_qs(parts.query)
    assert query["filename"] == ["profile.yml"]
    assert query["value"] == [text]
    assert page.js_errors == []


# English answers (issue 22), with Vietnamese proper names and what YAML cares about.
EN_NAME = 'Đồng Tâm "Rice" Cooperative: No. 1'
EN_SUMMARY = "A cooperative of 25 households in Thoại Sơn: seed, inputs and a fair price # for members' rice."


def test_builder_writes_the_english_fields(site_url: str, page, tmp_path: Path) -> None:
    """The "Bản tiếng Anh" parts, closed at first, write `tieng_anh:` for the cooperative and each product that has
    English; a product without English gets no group; the profile validates and holds them."""
    open_builder(page, site_url)
    fill_valid(page)
    parts = page.locator("details.htx-builder__english")
    assert parts.count() == 3 and not any(parts.nth(i).evaluate("d => d.open") for i in range(3))
    assert parts.first.locator("summary").inner_text() == "Bản tiếng Anh (không bắt buộc)"
    assert page.get_attribute("#htx-b-en_ten", "lang") == "en"
    parts.first.locator("summary").click()
    page.fill("#htx-b-en_ten", EN_NAME)
    page.fill("#htx-b-en_gioi_thieu", EN_SUMMARY)
    page.locator("[data-product]").first.locator("summary").click()
    page.fill("#htx-b-sp0-en_ten", "Thoại Sơn fragrant rice")
    page.fill("#htx-b-sp0-en_don_vi", "5 kg bag")
    page.fill("#htx-b-sp0-en_gioi_thieu", "Soft, fragrant rice: grown to VietGAP standards.")
    text = generate(page)
    assert '\ntieng_anh:\n  ten: "Đồng Tâm \\"Rice\\" Cooperative: No. 1"\n' in text
    assert text.count("tieng_anh:") == 2   # the second product has no English: no empty group

    entries, problems = check_written(tmp_path, page.input_value("#htx-b-ma"), text)
    assert [p.format_text() for p in problems] == [], text
    coop = entries[0].coop
    assert (coop.english.name, coop.english.summary) == (EN_NAME, EN_SUMMARY)
    first, second = coop.products
    assert (first.english.name, first.english.unit, first.english.summary) == (
        "Thoại Sơn fragrant rice", "5 kg bag", "Soft, fragrant rice: grown to VietGAP standards.")
    assert second.english is None
    assert page.js_errors == []


def test_english_fields_are_checked_and_their_errors_shown(site_url: str, page) -> None:
    """Lengths as the model's; an error inside a closed English part opens it; a product added later has its own
    English fields, empty; a product with only English is still asked for its Vietnamese name."""
    open_builder(page, site_url)
    fill_valid(page)
    page.evaluate("document.querySelectorAll('details.htx-builder__english').forEach(d => d.open = true)")
    page.fill("#htx-b-en_ten", "Coop")              # 4 characters, the model wants 5–150
    page.fill("#htx-b-sp0-en_gioi_thieu", "Rice.")  # 5 characters, the model wants 10–300
    page.click("#htx-b-add-product")
    third = page.locator("[data-product]").nth(2)
    assert third.locator("[data-key=en_ten]").input_value() == ""
    assert third.locator("[data-key=en_ten]").get_attribute("id") != "htx-b-sp0-en_ten"
    third.locator("[data-key=en_ten]").fill("Floating-season fish sauce")
    page.evaluate("document.querySelectorAll('details.htx-builder__english').forEach(d => d.open = false)")
    page.click("button[type=submit]")
    text = page.locator("#htx-b-errors").inner_text()
    assert "cần sửa 5 mục" in text, text
    assert "“Tên tiếng Anh” cần từ 5 đến 150 ký tự (hiện có 4)." in text
    assert "“Sản phẩm 1: Giới thiệu bằng tiếng Anh” cần từ 10 đến 300 ký tự (hiện có 5)." in text
    assert "Chưa điền “Sản phẩm 3: Tên sản phẩm”." in text and "Chưa chọn “Sản phẩm 3: Danh mục”." in text
    assert page.locator("#htx-b-en_ten").is_visible() and page.locator("#htx-b-sp0-en_gioi_thieu").is_visible()
    page.locator("#htx-b-errors a", has_text="Tên tiếng Anh").click()
    assert page.evaluate("document.activeElement.id") == "htx-b-en_ten"
    assert page.locator("#htx-b-result").is_hidden()
    assert page.js_errors == []


def test_confirmation_date_is_today_and_consent_is_checked(site_url: str, page, tmp_path: Path) -> None:
    from datetime import date

    open_builder(page, site_url)
    assert page.input_value("#htx-b-xac_nhan_ngay") == date.today().strftime("%d/%m/%Y")  # filled in for the reader
    fill_valid(page)
    page.fill("#htx-b-nguoi_dong_y", "")
    page.fill("#htx-b-ngay_dong_y", "01/01/2099")
    page.fill("#htx-b-xac_nhan_ngay", "01/01/2099")
    page.click("button[type=submit]")
    text = page.locator("#htx-b-errors").inner_text()
    assert "cần sửa 3 mục" in text and "Chưa điền “Người đồng ý”." in text
    assert "“Ngày đồng ý” không được sau hôm nay" in text and "“Ngày xác nhận thông tin” không được sau hôm nay" in text
    page.fill("#htx-b-nguoi_dong_y", "Nguyễn Văn Tư")
    page.fill("#htx-b-xac_nhan_ngay", VERIFIED)
    page.fill("#htx-b-ngay_dong_y", "01/01/2010")  # before the founding date (15/03/2012)
    page.click("button[type=submit]")
    assert "“Ngày đồng ý” không được trước ngày thành lập (15/03/2012)" in page.locator("#htx-b-errors").inner_text()

    # Without consent: the personal fields are written all the same, the page says they will not be shown,
    # and `htx validate` holds them back (a warning).
    page.uncheck("#htx-b-dong_y")
    text = generate(page)
    assert "dong_y_cong_khai" not in text and '  dien_thoai: "0987 654 321"\n' in text
    status = page.locator("#htx-b-status").inner_text()
    assert "chưa đánh dấu “Đồng ý công khai”, nên họ tên, số di động riêng, thư riêng của người đại diện" in status
    entries, problems = check_written(tmp_path, page.input_value("#htx-b-ma"), text)
    assert [(p.severity, p.path) for p in problems] == [("warning", "nguoi_dai_dien.ho_ten")]
    assert not entries[0].coop.publishes_personal
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
    assert "“Huyện Thoại Sơn” là tên huyện, thị xã hoặc thành phố trước 01/7/2025" in text
    assert "“Ngày thành lập” phải là một ngày có thật" in text
    assert "“Sản phẩm 1: Giá (đồng)” ghi số đồng" in text
    assert "“Mã hợp tác xã (tên thư mục)” chỉ gồm chữ thường không dấu" in text
    assert page.locator("#htx-b-result").is_hidden()


# Answers the model refuses (issues 17 and 18): the builder must refuse them too, not write a profile that fails.
@pytest.mark.parametrize("field,answer", [
    ("#htx-b-dien_thoai", "0296.3855.12"),                      # a landline one digit short
    ("#htx-b-zalo", "https://evil.example/zalo.me/0913246801"),  # "zalo.me/" in the path, not the host
    ("#htx-b-zalo", "https://zalo.me@evil.example/0913246801"),  # user-info
    ("#htx-b-website", "https://dongtam.vn@evil.example/"),
    ("#htx-b-website", "https://dongtam.vn:8443/"),
    ("#htx-b-website", "https://hợptácxã.vn/"),                 # IDN host
    ("#htx-b-email", "a@b.vn?bcc=c@d.vn"),
])
def test_builder_refuses_what_the_model_refuses(site_url: str, page, tmp_path: Path, field: str, answer: str) -> None:
    from htx.data.model import Contact
    from pydantic import ValidationError

    key = {"#htx-b-dien_thoai": "dien_thoai", "#htx-b-zalo": "zalo", "#htx-b-website": "website", "#htx-b-email": "email"}[field]
    with pytest.raises(ValidationError):
        Contact.model_validate({"dien_thoai": [answer] if key == "dien_thoai" else ["0913 246 801"],
                                **({} if key == "dien_thoai" else {key: answer})})
    open_builder(page, site_url)
    fill_valid(page)
    page.fill(field, answer)
    page.click("button[type=submit]")
    page.locator(field + "-error").wait_for()
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


# The same texts in the builder and in `htx validate`: an old commune-level name, an old district (two of the
# same name, and one with its abbreviation), a lookalike of a current name, a unit code, and an unknown place.
COMMUNE_INPUTS = ["Thị trấn Núi Sập", "Huyện Thoại Sơn", "Huyện Châu Thành", "H. Thoại Sơn", "Xã Thoai Sơm",
                  "Phường Bình Đứk", "Xã Hạnh Phúc Xa Xôi", "Thành phố Ba Vì"]


def cli_answers(tmp_path: Path, inputs: list[str]) -> dict[str, str]:
    """Return what `htx validate` says about each commune text: its message and hint, backticks as quotes."""
    answers = {}
    for n, commune in enumerate(inputs):
        slug = f"htx-thu-nghiem-{n}"
        text = VALID.replace("ma: htx-thu-nghiem", f"ma: {slug}").replace("xa_phuong: Xã Thoại Sơn", f"xa_phuong: {commune}")
        write_coop(tmp_path, text, slug)
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    result = run(HTX + ["validate", "--no-images"], tmp_path)
    assert result.returncode == 1
    _, problems = check(tmp_path / "cooperatives", base=tmp_path, check_images=False)
    for problem in problems:
        assert problem.message in result.stdout + result.stderr and problem.hint in result.stdout + result.stderr
        n = int(re.search(r"htx-thu-nghiem-(\d+)/", problem.file).group(1))
        answers[inputs[n]] = re.sub(r"`([^`]*)`", r"“\1”", f"{problem.message} {problem.hint}")
    return answers


def test_commune_answers_are_the_clis(site_url: str, page, tmp_path: Path) -> None:
    expected = cli_answers(tmp_path, COMMUNE_INPUTS)
    assert sorted(expected) == sorted(COMMUNE_INPUTS)
    assert "Nay thuộc: Xã Thoại Sơn." in expected["Thị trấn Núi Sập"]
    assert "Phường Thới Sơn" not in expected["Huyện Thoại Sơn"] and "Xã Óc Eo" in expected["Huyện Thoại Sơn"]
    open_builder(page, site_url)
    fill_valid(page)
    for commune in COMMUNE_INPUTS:
        page.fill("#htx-b-xa_phuong", commune)
        page.click("button[type=submit]")
        page.locator("#htx-b-xa_phuong-error").wait_for()
        assert page.locator("#htx-b-xa_phuong-error").inner_text() == expected[commune], commune
    # A code and a current name without diacritics are accepted, written as the official name.
    for commune in ("30682", "xa thoai son", "thoại sơn"):
        page.fill("#htx-b-xa_phuong", commune)
        assert "xa_phuong: \"Xã Thoại Sơn\"" in generate(page)
    assert page.js_errors == []


def test_back_to_top_never_covers_the_error_list(browser, site_url: str) -> None:
    """At 360 px, after a failed submit and a scroll up (when Material shows "Lên đầu trang"), every error link
    on screen below the header is what a tap there reaches."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, locale="vi-VN")
    try:
        page = context.new_page()
        open_builder(page, site_url)
        page.fill("#htx-b-ten", "Hợp tác xã Bình Minh")
        page.click("button[type=submit]")
        page.locator("#htx-b-errors").wait_for()
        page.mouse.move(180, 400)
        for step in (120, 120, 120, -60, -60, -60):   # down, then up: Material shows the button on the way up
            page.mouse.wheel(0, step)
            page.wait_for_timeout(150)
        page.wait_for_timeout(400)
        hits = page.evaluate("""() => {
            const header = document.querySelector('.md-header').getBoundingClientRect().bottom;
            return [...document.querySelectorAll('#htx-b-errors a')].map(a => {
                const box = a.getClientRects()[0];
                const y = (box.top + box.bottom) / 2;
                if (y < header || y > innerHeight) return 'off screen';
                const hit = document.elementFromPoint((box.left + box.right) / 2, y);
                return a.contains(hit) ? 'ok' : (hit.className || hit.tagName);
            }); }""")
        assert hits.count("ok") >= 5 and set(hits) <= {"ok", "off screen"}, hits
        top = page.locator(".md-top")
        if top.count() and top.is_visible():
            button, errors = top.bounding_box(), page.locator("#htx-b-errors").bounding_box()
            assert button["y"] + button["height"] <= errors["y"] or button["y"] >= errors["y"] + errors["height"]
    finally:
        context.close()
