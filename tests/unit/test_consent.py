"""Personal data and consent, the last-confirmed date: each bad input a located Vietnamese problem."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from htx.site.freshness import freshness, lapses, months_since, status_rows
from htx.data.model import Cooperative, personal_paths, personal_values
from htx.pipeline import check
from tests.conftest import VALID, write_coop

CONSENT = """dong_y_cong_khai:
  nguoi_dong_y: Trần Thị Bình
  vai_tro: Giám đốc, người đại diện theo pháp luật
  ngay: 12/05/2026
"""
NO_CONSENT = VALID.replace(CONSENT, "")


def check_text(root: Path, text: str, epoch: str = "1795651200"):
    """Validate text as cooperatives/htx-thu-nghiem/profile.yml with "today" = 2026-11-26 (the tests' build date)."""
    write_coop(root, text)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", epoch)
        entries, problems = check(root / "cooperatives", base=root)
    return entries, problems


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_fixture_has_consent() -> None:
    assert CONSENT in VALID and "dong_y_cong_khai" not in NO_CONSENT


def test_personal_paths_lists_every_personal_field() -> None:
    assert personal_paths() == [
        "nguoi_dai_dien.ho_ten", "nguoi_dai_dien.dien_thoai", "nguoi_dai_dien.zalo", "nguoi_dai_dien.email",
        "logo.co_nguoi", "hinh_anh[].co_nguoi", "san_pham[].hinh_anh[].co_nguoi"]


def test_consent_publishes(coop_root: Path) -> None:
    entries, problems = check_text(coop_root, VALID)
    assert problems == [] and entries[0].coop.publishes_personal
    assert entries[0].coop.consent.who == "Trần Thị Bình"


def test_consent_without_date(coop_root: Path) -> None:
    text = VALID.replace("  ngay: 12/05/2026\n", "")
    entries, problems = check_text(coop_root, text)
    assert entries == []
    (p,) = problems
    assert p.path == "dong_y_cong_khai" and "Thiếu trường bắt buộc `ngay`" in p.message
    assert p.line == line_of(text, "dong_y_cong_khai:") and "Ngày đồng ý" in p.hint


def test_consent_in_the_future(coop_root: Path) -> None:
    text = VALID.replace("  ngay: 12/05/2026\n", "  ngay: 27/11/2026\n")
    entries, problems = check_text(coop_root, text)
    assert entries == []
    (p,) = problems
    assert (p.severity, p.path, p.line) == ("error", "dong_y_cong_khai.ngay", line_of(text, "ngay: 27/11/2026"))
    assert p.message == "Ngày đồng ý công khai `27/11/2026` ở sau hôm nay (26/11/2026)."
    assert "dong_y_cong_khai" in p.hint
    # The same day is accepted once it has come.
    assert check_text(coop_root, text, epoch="1795737600")[1] == []


def test_consent_before_founding(coop_root: Path) -> None:
    text = VALID.replace("so_thanh_vien: 12\n", "so_thanh_vien: 12\nngay_thanh_lap: 01/06/2026\n")
    entries, problems = check_text(coop_root, text)
    (p,) = problems
    assert (p.path, p.line) == ("dong_y_cong_khai.ngay", line_of(text, "  ngay: 12/05/2026"))
    assert "trước ngày thành lập hợp tác xã (01/06/2026)" in p.message and entries == []


@pytest.mark.parametrize("change, message", [
    (("xac_nhan_ngay: 12/05/2026\n", ""), "Thiếu trường bắt buộc `xac_nhan_ngay`"),
    (("xac_nhan_ngay: 12/05/2026", "xac_nhan_ngay: 01/01/2027"), "Ngày xác nhận `01/01/2027` ở sau hôm nay (26/11/2026)."),
    (("xac_nhan_ngay: 12/05/2026", "xac_nhan_ngay: hôm qua"), "hôm qua"),
])
def test_verified_date(coop_root: Path, change: tuple[str, str], message: str) -> None:
    text = VALID.replace(*change)
    entries, problems = check_text(coop_root, text)
    assert entries == [] and len(problems) == 1
    assert message in problems[0].message
    assert problems[0].path == ("" if "Thiếu" in message else "xac_nhan_ngay")
    assert problems[0].file.endswith("htx-thu-nghiem/profile.yml") and problems[0].line >= 1


def test_personal_fields_without_consent_warn_and_are_kept(coop_root: Path) -> None:
    text = NO_CONSENT.replace("  chuc_vu: Giám đốc\n", "  chuc_vu: Giám đốc\n  dien_thoai: 0987 654 321\n  email: binh@example.com\n")
    entries, problems = check_text(coop_root, text)
    (p,) = problems
    assert p.severity == "warning" and p.path == "nguoi_dai_dien.ho_ten" and p.line == line_of(text, "ho_ten:")
    for path in ("nguoi_dai_dien.ho_ten", "nguoi_dai_dien.dien_thoai", "nguoi_dai_dien.email"):
        assert f"`{path}`" in p.message
    assert "KHÔNG đăng" in p.message and "nguoi_dong_y" in p.hint and "hỏi người đại diện trước" in p.hint
    coop = entries[0].coop  # kept (a warning), just not published
    assert not coop.publishes_personal and coop.representative.phone == "0987 654 321"
    assert personal_values(coop) == {"nguoi_dai_dien.ho_ten": "Trần Thị Bình", "nguoi_dai_dien.dien_thoai": "0987 654 321",
                                     "nguoi_dai_dien.email": "binh@example.com"}


def test_photo_of_people_without_consent(coop_root: Path) -> None:
    text = NO_CONSENT.replace("  ho_ten: Trần Thị Bình\n", "").replace(
        "san_pham:\n", "hinh_anh:\n  - tep: images/a.jpg\n    mo_ta: Thành viên thu hoạch lúa\n    co_nguoi: có\nsan_pham:\n")
    write_coop(coop_root, text)
    from PIL import Image

    (coop_root / "cooperatives" / "htx-thu-nghiem" / "images").mkdir()
    Image.new("RGB", (800, 600), "green").save(coop_root / "cooperatives" / "htx-thu-nghiem" / "images" / "a.jpg")
    entries, problems = check_text(coop_root, text)
    (p,) = problems
    assert p.severity == "warning" and p.path == "hinh_anh[0]" and "`hinh_anh[0].co_nguoi`" in p.message
    assert "ảnh thứ 1 › ảnh có người" in p.message


def test_no_personal_field_no_warning(coop_root: Path) -> None:
    entries, problems = check_text(coop_root, NO_CONSENT.replace("  ho_ten: Trần Thị Bình\n", ""))
    assert problems == [] and entries[0].coop.representative.name is None


@pytest.mark.parametrize("office", ["  zalo: 0987.654.321\n", "    - +84 987 654 321\n"])
def test_personal_phone_as_office_phone(coop_root: Path, office: str) -> None:
    text = NO_CONSENT.replace("  chuc_vu: Giám đốc\n", "  chuc_vu: Giám đốc\n  dien_thoai: 0987 654 321\n")
    text = text.replace("    - 0912 000 123\n", "    - 0912 000 123\n" + office)
    _, problems = check_text(coop_root, text)
    warned = [p for p in problems if p.message.startswith("Số ")]
    (p,) = warned
    assert p.severity == "warning" and p.line == line_of(text, office.strip())
    assert "nguoi_dai_dien.dien_thoai" in p.message
    assert p.hint == "Số này là số cá nhân của người đại diện: nếu là số cơ quan thì giữ; nếu không, chuyển vào nguoi_dai_dien."
    # With consent the same numbers are the representative's choice: no warning.
    _, problems = check_text(coop_root, text.replace("dia_chi:\n", CONSENT + "dia_chi:\n"))
    assert problems == []


def data_of(text: str) -> dict:
    """Return a profile's data as htx reads it (every scalar as text, the model decides types)."""
    from htx.data.load import parse_text

    doc, problems = parse_text(text, "profile.yml")
    assert doc is not None and problems == []
    return doc.data


def coop_of(verified: str) -> Cooperative:
    return Cooperative.model_validate(data_of(VALID.replace("xac_nhan_ngay: 12/05/2026", f"xac_nhan_ngay: {verified}")))


@pytest.mark.parametrize("verified, state", [
    ("26/11/2026", "fresh"), ("27/11/2025", "fresh"), ("26/11/2025", "stale"), ("27/11/2024", "stale"),
    ("26/11/2024", "expired"), ("01/01/2020", "expired"),
])
def test_freshness(verified: str, state: str) -> None:
    assert freshness(coop_of(verified), date(2026, 11, 26)) == state


def test_months_since() -> None:
    assert months_since(date(2026, 1, 31), date(2026, 2, 27)) == 0
    assert months_since(date(2026, 1, 31), date(2026, 2, 28)) == 1  # the month's last day counts as the 31st
    assert months_since(date(2025, 11, 26), date(2026, 11, 25)) == 11
    assert months_since(date(2027, 1, 1), date(2026, 1, 1)) == 0


def test_lapses_and_status_rows() -> None:
    data = data_of(VALID)
    product = data["san_pham"][0]
    product["ocop"] = {"sao": "4", "nam": "2024", "ngay_cong_nhan": "26/01/2024"}          # lapses 26/01/2027
    product["chung_nhan"] = [{"loai": "vietgap", "het_han": "01/11/2026"}]                 # lapsed
    data["chung_nhan"] = [{"loai": "huu-co", "het_han": "01/06/2027"}]                     # far away: not listed
    coop = Cooperative.model_validate(data)
    found = lapses(coop, date(2026, 11, 26))
    assert [(l.what, l.product, l.until, l.expired) for l in found] == [
        ("VietGAP", "Gạo thử nghiệm", date(2026, 11, 1), True),
        ("OCOP 4 sao", "Gạo thử nghiệm", date(2027, 1, 26), False)]
    old = coop_of("01/02/2024")
    rows = status_rows([coop, old], date(2026, 11, 26))
    assert [r.verified for r in rows] == [date(2024, 2, 1), date(2026, 5, 12)]
    assert [r.freshness for r in rows] == ["expired", "fresh"]
    assert not rows[1].missing_consent
    unconsented = Cooperative.model_validate(data_of(NO_CONSENT))
    (row,) = status_rows([unconsented], date(2026, 11, 26))
    assert row.missing_consent and row.held_back == ["nguoi_dai_dien.ho_ten"]
