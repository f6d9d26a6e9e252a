"""The staff's featured products (cooperatives/noi-bat.yml): read, checked with file:line and hints, and the
only source of what the home page features; a profile's own `noi_bat: có` features nothing."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from htx.site.catalog import Catalog
from htx.data.load import read_profiles
from htx.data.validate import validate_all
from tests.conftest import VALID, write_coop

FEATURED = VALID.replace("    don_vi: kg\n", "    don_vi: kg\n    noi_bat: có\n")
OTHER = VALID.replace("ma: htx-thu-nghiem", "ma: htx-ban-be").replace("gao-thu-nghiem", "gao-ban-be").replace(
    "ho_so_mau: có\n", "")


def catalog(root: Path, staff: str | None, *, include_samples: bool = True, today: date | None = None):
    write_coop(root, FEATURED)
    write_coop(root, OTHER, slug="htx-ban-be")
    if staff is not None:
        (root / "cooperatives" / "noi-bat.yml").write_text(staff, encoding="utf-8")
    docs, problems = read_profiles(root / "cooperatives", base=root)
    entries, more = validate_all(docs, check_images=False)
    assert not problems + more
    return Catalog.from_entries(entries, include_samples=include_samples, today=today or date(2026, 11, 26))


def test_a_profile_marking_itself_is_not_featured(tmp_path: Path) -> None:
    found, problems = catalog(tmp_path, None)
    assert found.items["htx-thu-nghiem/gao-thu-nghiem"].product.featured
    assert found.featured == [] and problems == []


def test_staff_order_is_kept(tmp_path: Path) -> None:
    found, problems = catalog(tmp_path, "# Ban biên tập\nnoi_bat:\n  - htx-ban-be/gao-ban-be\n"
                                        "  - san_pham: htx-thu-nghiem/gao-thu-nghiem\n    ghi_chu: duyệt\n")
    assert problems == []
    assert [i.key for i in found.featured] == ["htx-ban-be/gao-ban-be", "htx-thu-nghiem/gao-thu-nghiem"]


def test_comments_only_or_empty_list_features_nothing(tmp_path: Path) -> None:
    for staff in ("# chưa chọn\n", "noi_bat: []\n", "noi_bat:\n"):
        found, problems = catalog(tmp_path, staff)
        assert found.featured == [] and problems == [], staff


def test_unknown_ids_are_errors_with_line_and_hint(tmp_path: Path) -> None:
    _, problems = catalog(tmp_path, "noi_bat:\n  - htx-ban-be/gao-ban\n  - htx-ban/gao-ban-be\n  - khong-co-gi/sp\n")
    assert [(p.file, p.line, p.col, p.path) for p in problems] == [
        ("cooperatives/noi-bat.yml", 2, 5, "noi_bat[0]"), ("cooperatives/noi-bat.yml", 3, 5, "noi_bat[1]"),
        ("cooperatives/noi-bat.yml", 4, 5, "noi_bat[2]")]
    assert problems[0].message == "Hợp tác xã `htx-ban-be` không có sản phẩm mã `gao-ban`."
    assert problems[0].hint == "Có phải ý bạn là `htx-ban-be/gao-ban-be`?"
    assert problems[1].message == "Không có hợp tác xã mã `htx-ban`."
    assert problems[1].hint == "Có phải ý bạn là `htx-ban-be/gao-ban-be`?"
    assert "Xem mã" in problems[2].hint
    assert all(p.severity == "error" for p in problems)


def test_shape_problems(tmp_path: Path) -> None:
    _, problems = catalog(tmp_path, "noi_bat:\n  - gao\n  - san_pham: htx-ban-be/gao-ban-be\n    uu_tien: 1\n"
                                    "  - htx-ban-be/gao-ban-be\n  - san_pham: htx-ban-be/gao-ban-be\n    den_ngay: 31/02/2026\n"
                                    "them: 1\n")
    messages = {(p.line, p.message) for p in problems}
    assert (2, "Mục `gao` không có dạng `ma-hop-tac-xa/ma-san-pham`.") in messages
    assert (4, "Khóa `uu_tien` không dùng trong tệp sản phẩm nổi bật.") in messages
    assert (5, "Sản phẩm `htx-ban-be/gao-ban-be` đã có trong danh sách (dòng 3).") in messages
    assert (7, "Ngày `31/02/2026` ở `den_ngay` không hợp lệ.") in messages
    assert (8, "Khóa `them` không dùng trong tệp sản phẩm nổi bật.") in messages
    _, problems = catalog(tmp_path, "noi_bat: htx-ban-be/gao-ban-be\n")
    assert [p.message for p in problems] == ["`noi_bat:` phải là một danh sách (mỗi dòng bắt đầu bằng `- `)."]


def test_samples_left_out_and_expired_picks_are_skipped(tmp_path: Path) -> None:
    staff = ("noi_bat:\n  - htx-thu-nghiem/gao-thu-nghiem\n"
             "  - san_pham: htx-ban-be/gao-ban-be\n    den_ngay: 25/11/2026\n")
    found, problems = catalog(tmp_path, staff, include_samples=False)   # htx-thu-nghiem is a sample
    assert problems == [] and found.featured == []                       # and the other pick has ended
    found, problems = catalog(tmp_path, staff, today=date(2026, 11, 25))
    assert problems == [] and [i.key for i in found.featured] == ["htx-thu-nghiem/gao-thu-nghiem", "htx-ban-be/gao-ban-be"]


def test_a_linked_staff_file_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.yml"
    outside.write_text("noi_bat:\n  - htx-ban-be/gao-ban-be\n", encoding="utf-8")
    (tmp_path / "cooperatives").mkdir()
    (tmp_path / "cooperatives" / "noi-bat.yml").symlink_to(outside)
    found, problems = catalog(tmp_path, None)
    assert found.featured == [] and len(problems) == 1 and "liên kết tượng trưng" in problems[0].message
