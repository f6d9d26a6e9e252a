"""`htx status` (the staff's freshness list) and `htx go-ca-nhan` (withdraw a person's data), on real files."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import HTX, REPO, VALID, run, write_coop

# Every test runs the `htx` command in a fresh interpreter (~0.5 s to import the package each time).
pytestmark = pytest.mark.slow

TODAY = "26/11/2026"  # conftest.run's SOURCE_DATE_EPOCH


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("samples")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "cooperatives", root / "cooperatives")
    return root


def test_status_lists_oldest_first_with_every_case(samples: Path) -> None:
    result = run(HTX + ["status"], samples)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith(f"Tình trạng hồ sơ ngày {TODAY}")
    lines = [line for line in out.splitlines() if re.match(r"\d\d/\d\d/\d{4}  ", line)]
    days = [line.split()[0] for line in lines]
    assert len(lines) == 14 and days == sorted(days, key=lambda d: d.split("/")[::-1])
    assert lines[0].startswith("20/08/2024  27 tháng  htx-co-bang-giang-thanh (mẫu)  [QUÁ HẠN XÁC NHẬN]")
    assert lines[1].startswith("10/10/2025  13 tháng  htx-khom-chau-thanh (mẫu)  [CẦN CẬP NHẬT]")
    assert "chưa có đồng ý công khai, đang giữ lại: người đại diện › họ tên; người đại diện › điện thoại" in out
    assert "OCOP 4 sao — Lãnh Mỹ A nhuộm mặc nưa (bán theo mét): hết hạn 26/01/2027 (còn 61 ngày)" in out
    assert "1 cần cập nhật (quá 12 tháng), 1 quá hạn xác nhận" in out and "2 có dữ liệu cá nhân chưa có đồng ý" in out


def test_status_markdown_for_ci(samples: Path) -> None:
    result = run(HTX + ["status", "--format", "github"], samples)
    assert result.returncode == 0
    out = result.stdout
    assert out.startswith(f"## Tình trạng hồ sơ ngày {TODAY}")
    rows = [line for line in out.splitlines() if line.startswith("| ") and "/20" in line]
    assert len(rows) == 14 and all(row.count(" | ") == 4 for row in rows)
    assert "**quá hạn xác nhận**" in rows[0] and "`htx-co-bang-giang-thanh`" in rows[0]
    assert any("**thiếu**" in row and "htx-mat-ong-u-minh-thuong" in row for row in rows)


def test_status_escapes_profile_text_in_markdown(coop_root: Path) -> None:
    write_coop(coop_root, VALID.replace("ten: Hợp tác xã Thử Nghiệm", 'ten: "HTX <img src=x> | [bấm](https://a.vn) *"'))
    result = run(HTX + ["status", "--format", "markdown"], coop_root)
    (row,) = [line for line in result.stdout.splitlines() if "htx-thu-nghiem" in line]
    assert "<img" not in row and "&lt;img src=x&gt; \\| \\[bấm\\](https\\://a.vn) \\*" in row
    assert row.count(" | ") == 4


def test_status_counts_invalid_profiles_and_exits_0(coop_root: Path) -> None:
    write_coop(coop_root, VALID.replace("xac_nhan_ngay: 12/05/2026", "xac_nhan_ngay: 12/05/2027"))
    result = run(HTX + ["status"], coop_root)
    assert result.returncode == 0
    assert "1 hồ sơ có lỗi nên không có trong danh sách: chạy htx validate để xem." in result.stdout


def copy_sample(tmp_path: Path, slug: str) -> Path:
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(REPO / "cooperatives" / slug, tmp_path / "cooperatives" / slug)
    return tmp_path / "cooperatives" / slug / "profile.yml"


def test_withdraw_removes_only_personal_lines(tmp_path: Path) -> None:
    path = copy_sample(tmp_path, "htx-lua-gao-thoai-son")
    before = path.read_text(encoding="utf-8")
    result = run(HTX + ["go-ca-nhan", "htx-lua-gao-thoai-son"], tmp_path)
    assert result.returncode == 0, result.stderr
    after = path.read_text(encoding="utf-8")
    removed = ["  ho_ten: Trần Văn Lực\n", "  dien_thoai: 0912 000 101\n", "  zalo: 0912 000 101\n",
               "dong_y_cong_khai:\n  nguoi_dong_y: Trần Văn Lực\n"
               "  vai_tro: Chủ tịch Hội đồng quản trị kiêm Giám đốc, người đại diện theo pháp luật\n  ngay: 12/11/2026\n"]
    expected = before
    for text in removed:
        assert expected.count(text) == 1
        expected = expected.replace(text, "")
    assert after == expected  # everything else byte for byte: comments, order, other fields
    assert "  chuc_vu: Chủ tịch Hội đồng quản trị kiêm Giám đốc\n" in after
    out = result.stdout
    assert "Đã gỡ khỏi cooperatives/htx-lua-gao-thoai-son/profile.yml:" in out
    assert "người đại diện › họ tên (dòng 16)" in out and "đồng ý công khai (dòng 20–23)" in out
    assert run(HTX + ["validate"], tmp_path).returncode == 0
    again = run(HTX + ["go-ca-nhan", "htx-lua-gao-thoai-son"], tmp_path)
    assert again.returncode == 0 and "không có dữ liệu cá nhân nào để gỡ" in again.stdout


def test_withdraw_dry_run_writes_nothing(tmp_path: Path) -> None:
    path = copy_sample(tmp_path, "htx-mat-ong-u-minh-thuong")
    before = path.read_bytes()
    result = run(HTX + ["go-du-lieu-ca-nhan", "htx-mat-ong-u-minh-thuong", "--thu"], tmp_path)
    assert result.returncode == 0 and "Sẽ gỡ khỏi" in result.stdout and "người đại diện › email" in result.stdout
    assert path.read_bytes() == before


def test_withdraw_photo_of_people_and_crlf(coop_root: Path) -> None:
    from PIL import Image

    text = VALID.replace("san_pham:\n", "hinh_anh:\n  - tep: images/a.jpg\n    mo_ta: Thành viên thu hoạch lúa\n"
                         "    co_nguoi: có\n  - tep: images/b.jpg\n    mo_ta: Cánh đồng lúa chín\nsan_pham:\n")
    path = write_coop(coop_root, "\ufeff" + ("# ghi chú\n" + text).replace("\n", "\r\n"))
    (path.parent / "images").mkdir()
    for name in ("a.jpg", "b.jpg"):
        Image.new("RGB", (800, 600), "green").save(path.parent / "images" / name)
    result = run(HTX + ["go-ca-nhan", "htx-thu-nghiem"], coop_root)
    assert result.returncode == 0, result.stderr
    after = path.read_bytes().decode("utf-8")
    assert after.startswith("\ufeff# ghi chú\r\n") and "\n" not in after.replace("\r\n", "")
    assert "images/a.jpg" not in after and "  - tep: images/b.jpg\r\n    mo_ta: Cánh đồng lúa chín\r\n" in after
    assert not (path.parent / "images" / "a.jpg").exists() and (path.parent / "images" / "b.jpg").exists()
    assert "tệp ảnh images/a.jpg (đã xóa, không còn dùng)" in result.stdout


def test_withdraw_unknown_slug(coop_root: Path) -> None:
    write_coop(coop_root, VALID)
    result = run(HTX + ["go-ca-nhan", "htx-thu-nghiem-x"], coop_root)
    assert result.returncode == 1
    assert "Lỗi: Không có hợp tác xã mã `htx-thu-nghiem-x` trong cooperatives/. Có phải ý bạn là `htx-thu-nghiem`?" in result.stderr
    assert "Traceback" not in result.stderr
    result = run(HTX + ["go-ca-nhan", "_mau"], coop_root)
    assert result.returncode == 1 and "Không có hợp tác xã mã `_mau`" in result.stderr


def test_withdraw_refuses_flow_style(coop_root: Path) -> None:
    text = VALID.replace("nguoi_dai_dien:\n  ho_ten: Trần Thị Bình\n  chuc_vu: Giám đốc\n",
                         "nguoi_dai_dien: {ho_ten: Trần Thị Bình, chuc_vu: Giám đốc}\n")
    path = write_coop(coop_root, text)
    result = run(HTX + ["go-ca-nhan", "htx-thu-nghiem"], coop_root)
    assert result.returncode == 1 and "sửa tay" in result.stderr and path.read_text(encoding="utf-8") == text
