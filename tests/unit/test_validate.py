"""Each class of bad input gives a located Vietnamese problem; valid input gives a typed cooperative."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from htx.load import read_profiles
from htx.pipeline import check
from tests.conftest import VALID, write_coop


def problems_for(root: Path, text: str, slug: str = "htx-thu-nghiem"):
    write_coop(root, text, slug)
    _, problems = check(root / "cooperatives", base=root)
    return problems


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_valid_profile(coop_root: Path) -> None:
    write_coop(coop_root, VALID)
    entries, problems = check(coop_root / "cooperatives", base=coop_root)
    assert problems == []
    coop = entries[0].coop
    assert coop.products[0].price == 25000
    assert coop.contact.phones == ["0912 000 123"]
    assert entries[0].commune.code == "30682"


@pytest.mark.parametrize("old,new,needle,words", [
    ("so_thanh_vien: 12", "so_thanh_vien: 0", "so_thanh_vien", "lớn hơn hoặc bằng 1"),
    ("so_thanh_vien: 12", "so_thanh_vien: mười hai", "so_thanh_vien", "không phải số nguyên"),
    ("so_thanh_vien: 12", "so_thanh_vien: 012", "so_thanh_vien", "không phải số nguyên"),
    ("gia: 25.000", "gia: -5000", "gia:", "không được âm"),
    ("gia: 25.000", "gia: 25 nghìn", "gia:", "không phải số tiền"),
    ("loai_hinh: hop-tac-xa", "loai_hinh: hop tac xa", "loai_hinh", "hop-tac-xa"),
    ("danh_muc: gao-nong-san", "danh_muc: gao", "danh_muc", "không hợp lệ"),
    ("xa_phuong: Xã Thoại Sơn", "xa_phuong: Xã Thoai Sonn", "xa_phuong", "Có phải ý bạn là `Xã Thoại Sơn`"),
    ("xa_phuong: Xã Thoại Sơn", "xa_phuong: Thị trấn Núi Sập", "xa_phuong", "Xã Thoại Sơn"),
    ("xa_phuong: Xã Thoại Sơn", "xa_phuong: Hà Nội", "xa_phuong", "Không tìm thấy"),
    ("    - 0912 000 123", "    - 091 200", "091 200", "độ dài"),
    ("ten: Hợp tác xã Thử Nghiệm", "tenn: Hợp tác xã Thử Nghiệm", "tenn", "Có phải ý bạn là `ten`"),
    ("ma: htx-thu-nghiem", "ma: htx-khac", "ma: htx-khac", "khác tên thư mục"),
    ("ngay", "ngay", "", ""),
])
def test_bad_values_point_at_their_line(coop_root: Path, old: str, new: str, needle: str, words: str) -> None:
    if not needle:
        return
    text = VALID.replace(old, new)
    assert text != VALID
    problems = [p for p in problems_for(coop_root, text) if p.severity == "error"]
    assert problems, text
    expected_line = line_of(text, needle)
    match = [p for p in problems if p.line == expected_line]
    assert match, [p.format_text() for p in problems]
    assert any(words in p.message + p.hint for p in match), [p.format_text() for p in match]
    assert all(p.file == "cooperatives/htx-thu-nghiem/profile.yml" for p in problems)


def test_wrong_types_and_missing_fields(coop_root: Path) -> None:
    text = VALID.replace("linh_vuc: [trong-trot]", "linh_vuc: trong-trot").replace("  chuc_vu: Giám đốc\n", "")
    problems = problems_for(coop_root, text)
    messages = {p.path: p for p in problems}
    assert "danh sách" in messages["linh_vuc"].message
    assert "chuc_vu" in messages["nguoi_dai_dien"].message
    assert messages["nguoi_dai_dien"].line == line_of(text, "nguoi_dai_dien")


def test_coordinates_outside_province_and_swapped(coop_root: Path) -> None:
    text = VALID.replace("  xa_phuong: Xã Thoại Sơn\n", "  xa_phuong: Xã Thoại Sơn\n  toa_do:\n    vi_do: 105.2\n    kinh_do: 10.3\n")
    problems = problems_for(coop_root, text)
    assert any("ngoài tỉnh" in p.message and "đảo" in p.hint for p in problems)
    text = VALID.replace("  xa_phuong: Xã Thoại Sơn\n", "  xa_phuong: Xã Thoại Sơn\n  toa_do:\n    vi_do: 21.02\n    kinh_do: 105.8\n")
    assert any("ngoài tỉnh" in p.message for p in problems_for(coop_root, text))


@pytest.mark.parametrize("link", ["javascript:alert(1)", "data:text/html,x", "file:///etc/passwd", "ftp://x.vn"])
def test_link_schemes(coop_root: Path, link: str) -> None:
    text = VALID.replace("    - 0912 000 123\n", f"    - 0912 000 123\n  website: \"{link}\"\n")
    problems = problems_for(coop_root, text)
    assert any(p.path == "lien_he.website" and "liên kết" in p.message for p in problems)


def _photo_profile(path: str, alt: str = "Ảnh túi gạo") -> str:
    return VALID + f"    hinh_anh:\n      - tep: {path}\n        mo_ta: {alt}\n"


def _jpeg(path: Path, size=(800, 600)) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, (200, 150, 50)).save(path, "JPEG")


@pytest.mark.parametrize("written,words", [
    ("../htx-khac/images/a.jpg", "ngoài thư mục"),
    ("/etc/passwd", "tuyệt đối"),
    ("C:/anh/a.jpg", "tuyệt đối"),
    ('"images\\\\a.jpg"', "dấu `\\`"),
    ("images/khong-co.jpg", "Không tìm thấy"),
])
def test_photo_paths(coop_root: Path, written: str, words: str) -> None:
    _jpeg(coop_root / "cooperatives" / "htx-khac" / "images" / "a.jpg")
    problems = problems_for(coop_root, _photo_profile(written))
    assert any(words in p.message for p in problems), [p.format_text() for p in problems]


def test_photo_symlink_and_missing_alt(coop_root: Path) -> None:
    folder = coop_root / "cooperatives" / "htx-thu-nghiem" / "images"
    folder.mkdir(parents=True)
    (folder / "link.jpg").symlink_to("/etc/passwd")
    problems = problems_for(coop_root, _photo_profile("images/link.jpg"))
    assert any("symlink" in p.message for p in problems)
    _jpeg(folder / "a.jpg")
    problems = problems_for(coop_root, VALID + "    hinh_anh:\n      - tep: images/a.jpg\n")
    assert any(p.path == "san_pham[0].hinh_anh[0]" and "mo_ta" in p.message for p in problems)


def test_photo_case_mismatch_hint(coop_root: Path) -> None:
    _jpeg(coop_root / "cooperatives" / "htx-thu-nghiem" / "images" / "Anh.jpg")
    problems = problems_for(coop_root, _photo_profile("images/anh.jpg"))
    assert any("images/Anh.jpg" in p.hint for p in problems)


@pytest.mark.parametrize("content,words", [
    (b"", "0 byte"),
    (b"day la van ban, khong phai anh", "không nhận ra"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "SVG"),
    (b"GIF89a" + b"\x00" * 20, "GIF"),
])
def test_photo_content_refused(coop_root: Path, content: bytes, words: str) -> None:
    path = coop_root / "cooperatives" / "htx-thu-nghiem" / "images" / "a.jpg"
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    problems = problems_for(coop_root, _photo_profile("images/a.jpg"))
    assert any(words in p.message for p in problems), [p.format_text() for p in problems]


def test_truncated_jpeg_refused(coop_root: Path) -> None:
    buffer = io.BytesIO()
    Image.effect_noise((800, 600), 60).convert("RGB").save(buffer, "JPEG")
    path = coop_root / "cooperatives" / "htx-thu-nghiem" / "images" / "a.jpg"
    path.parent.mkdir(parents=True)
    path.write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])
    problems = problems_for(coop_root, _photo_profile("images/a.jpg"))
    assert any("hỏng" in p.message for p in problems), [p.format_text() for p in problems]


def test_duplicate_slug_and_product_id(coop_root: Path) -> None:
    write_coop(coop_root, VALID)
    other = VALID.replace("ma: htx-thu-nghiem", "ma: htx-thu-nghiem-2")
    problems = problems_for(coop_root, other, "htx-thu-nghiem-2")
    dup = [p for p in problems if "đã được dùng" in p.message]
    assert dup and dup[0].path == "san_pham[0].ma" and dup[0].line == line_of(other, "- ma: gao")


def test_all_errors_of_a_file_at_once(coop_root: Path) -> None:
    text = VALID.replace("so_thanh_vien: 12", "so_thanh_vien: 0").replace("danh_muc: gao-nong-san", "danh_muc: gao").replace("xa_phuong: Xã Thoại Sơn", "xa_phuong: Sao Hỏa")
    problems = problems_for(coop_root, text)
    assert {p.path for p in problems} >= {"so_thanh_vien", "san_pham[0].danh_muc", "dia_chi.xa_phuong"}


def test_template_profile_is_valid() -> None:
    from tests.conftest import REPO

    docs, problems = read_profiles(REPO / "cooperatives", only={"_mau"})
    assert problems == []
