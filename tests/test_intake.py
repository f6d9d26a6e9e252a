"""`htx nhan-ho-so`: a profile received by e-mail or Zalo, as a YAML file or a zip, into its folder (hostile zips too)."""
from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from htx.tools.cli import cli
from tests.conftest import VALID

PHOTO_PROFILE = VALID.replace("ho_so_mau: có", "ho_so_mau: không").replace(
    "    don_vi: kg\n",
    "    don_vi: kg\n    hinh_anh:\n      - tep: images/gao.jpg\n        mo_ta: Túi gạo trên bàn gỗ\n")
assert "images/gao.jpg" in PHOTO_PROFILE


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def jpeg(width: int = 800, height: int = 600) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (180, 150, 90)).save(out, "JPEG", quality=80)
    return out.getvalue()


def make_zip(path: Path, entries: dict[str, bytes], links: dict[str, str] | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
        for name, target in (links or {}).items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, target)
    return path


def intake(root: Path, package: Path, *extra: str):
    return invoke("nhan-ho-so", str(package), "--root", str(root), *extra)


def nothing_placed(root: Path) -> bool:
    return [p.name for p in (root / "cooperatives").iterdir()] == []


def test_yaml_file_goes_to_the_folder_of_its_code_and_is_validated(coop_root: Path, tmp_path_factory) -> None:
    received = tmp_path_factory.mktemp("mail") / "profile (1).yml"
    received.write_text(VALID, encoding="utf-8")
    result = intake(coop_root, received)
    assert result.exit_code == 0, result.output
    assert (coop_root / "cooperatives" / "htx-thu-nghiem" / "profile.yml").read_text(encoding="utf-8") == VALID
    assert "Đã nhận hồ sơ vào cooperatives/htx-thu-nghiem/ (profile.yml và 0 ảnh)." in result.output
    assert "Hợp lệ: 1 hồ sơ, 1 sản phẩm." in result.output


def test_zip_with_photos_and_a_zipped_folder(coop_root: Path, tmp_path_factory) -> None:
    mail = tmp_path_factory.mktemp("mail")
    package = make_zip(mail / "ho-so.zip", {"htx-gui-len/profile.yml": PHOTO_PROFILE.encode(),
                                            "htx-gui-len/images/gao.jpg": jpeg(), "__MACOSX/._profile.yml": b"x"})
    result = intake(coop_root, package)
    assert result.exit_code == 0, result.output
    folder = coop_root / "cooperatives" / "htx-thu-nghiem"
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) == ["images/gao.jpg", "profile.yml"]
    assert "(profile.yml và 1 ảnh)" in result.output
    assert not list((coop_root / "cooperatives").glob(".nhan-*"))  # staging removed


def test_existing_profile_needs_overwrite_and_keeps_other_photos(coop_root: Path, tmp_path_factory) -> None:
    mail = tmp_path_factory.mktemp("mail")
    folder = coop_root / "cooperatives" / "htx-thu-nghiem"
    (folder / "images").mkdir(parents=True)
    (folder / "profile.yml").write_text("ma: htx-thu-nghiem\n", encoding="utf-8")
    (folder / "images" / "cu.jpg").write_bytes(jpeg())
    package = make_zip(mail / "cap-nhat.zip", {"profile.yml": PHOTO_PROFILE.encode(), "images/gao.jpg": jpeg()})
    refused = intake(coop_root, package)
    assert refused.exit_code == 1
    assert "Đã có hồ sơ cooperatives/htx-thu-nghiem/profile.yml." in refused.output and "--ghi-de" in refused.output
    assert (folder / "profile.yml").read_text(encoding="utf-8") == "ma: htx-thu-nghiem\n"
    replaced = intake(coop_root, package, "--ghi-de")
    assert replaced.exit_code == 0, replaced.output
    assert "thay hồ sơ cũ" in replaced.output
    assert (folder / "profile.yml").read_text(encoding="utf-8") == PHOTO_PROFILE
    assert (folder / "images" / "cu.jpg").exists() and (folder / "images" / "gao.jpg").exists()


def test_invalid_profile_is_placed_and_its_errors_shown(coop_root: Path, tmp_path_factory) -> None:
    received = tmp_path_factory.mktemp("mail") / "profile.yml"
    received.write_text(VALID.replace("so_thanh_vien: 12", "so_thanh_vien: mười"), encoding="utf-8")
    result = intake(coop_root, received)
    assert result.exit_code == 1
    assert "cooperatives/htx-thu-nghiem/profile.yml:6:16" in result.output
    assert "còn lỗi" in result.output


@pytest.mark.parametrize("text,words", [
    ("ma: [\n", "Không đọc được tệp hồ sơ"),
    ("ten: Hợp tác xã Không Mã\n", "không có dòng `ma:`"),
    ("ma: ../../etc\n", "không dùng làm tên thư mục"),
    ("ma: _mau\n", "không dùng làm tên thư mục"),
    ("ma: htx-ten-cua-ban\n", "là mã mẫu"),
])
def test_profile_without_a_usable_code_is_refused(coop_root: Path, tmp_path_factory, text: str, words: str) -> None:
    received = tmp_path_factory.mktemp("mail") / "profile.yml"
    received.write_text(text, encoding="utf-8")
    result = intake(coop_root, received)
    assert result.exit_code == 1
    assert words in result.output
    assert nothing_placed(coop_root)


HOSTILE = {
    "zip-slip": ({"profile.yml": VALID.encode(), "../../evil.txt": b"x"}, None, "trỏ ra ngoài thư mục"),
    "absolute": ({"profile.yml": VALID.encode(), "/tmp/evil.jpg": jpeg()}, None, "trỏ ra ngoài thư mục"),
    "backslash": ({"profile.yml": VALID.encode(), "images\\..\\..\\evil.jpg": jpeg()}, None, "trỏ ra ngoài thư mục"),
    "dot-dot-inside": ({"profile.yml": VALID.encode(), "images/../../x.jpg": jpeg()}, None, "trỏ ra ngoài thư mục"),
    "symlink": ({"profile.yml": VALID.encode()}, {"images/gao.jpg": "/etc/passwd"}, "liên kết tượng trưng"),
    "nested-zip": ({"profile.yml": VALID.encode(), "images/them.zip": b"PK\x03\x04"}, None, "tệp nén nằm trong tệp nén"),
    "script": ({"profile.yml": VALID.encode(), "images/run.sh": b"#!/bin/sh\n"}, None, "không phải ảnh"),
    "fake-photo": ({"profile.yml": VALID.encode(), "images/gao.jpg": b"<?php echo 1; ?>"}, None, "nội dung không phải ảnh"),
    "photo-outside-images": ({"profile.yml": VALID.encode(), "gao.jpg": jpeg()}, None, "không nằm trong thư mục images/"),
    "two-profiles": ({"profile.yml": VALID.encode(), "khac.yml": VALID.encode()}, None, "nhiều tệp hồ sơ"),
    "no-profile": ({"images/gao.jpg": jpeg()}, None, "không có tệp hồ sơ"),
    "hidden": ({"profile.yml": VALID.encode(), "images/.an.jpg": jpeg()}, None, "không phải ảnh"),
    "case-clash": ({"profile.yml": VALID.encode(), "images/A.jpg": jpeg(), "images/a.JPG": jpeg()}, None, "cùng tên"),
    "bidi-name": ({"profile.yml": VALID.encode(), "images/gpj.\u202eexe.jpg": jpeg()}, None, "ký tự không hợp lệ"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_zip_is_refused_and_nothing_is_written(coop_root: Path, tmp_path_factory, case: str) -> None:
    entries, links, words = HOSTILE[case]
    mail = tmp_path_factory.mktemp("mail")
    package = make_zip(mail / "goi.zip", entries, links)
    result = intake(coop_root, package)
    assert result.exit_code == 1, result.output
    assert words in result.output, result.output
    assert nothing_placed(coop_root)
    assert not (mail.parent / "evil.txt").exists() and not Path("/tmp/evil.jpg").exists()


def test_too_many_entries(coop_root: Path, tmp_path_factory) -> None:
    entries = {"profile.yml": VALID.encode(), **{f"images/{i}.jpg": jpeg(8, 8) for i in range(120)}}
    result = intake(coop_root, make_zip(tmp_path_factory.mktemp("mail") / "nhieu.zip", entries))
    assert result.exit_code == 1 and "Tệp nén có 121 mục, tối đa 100." in result.output
    assert nothing_placed(coop_root)


def test_zip_bomb_is_stopped_on_the_bytes_read(coop_root: Path, tmp_path_factory, monkeypatch) -> None:
    """A small zip that unpacks to a lot: counted while reading, whatever the directory claims."""
    import htx.tools.intake

    monkeypatch.setattr(htx.tools.intake, "MAX_UNPACKED_BYTES", 5_000_000)
    bomb = b"\xff\xd8\xff" + bytes(4_000_000)  # compresses ~1000:1
    entries = {"profile.yml": VALID.encode(), "images/a.jpg": bomb, "images/b.jpg": bomb}
    package = make_zip(tmp_path_factory.mktemp("mail") / "bom.zip", entries)
    assert package.stat().st_size < 100_000
    result = intake(coop_root, package)
    assert result.exit_code == 1 and "giải nén ra quá 5 MB" in result.output
    assert nothing_placed(coop_root)


def test_one_file_over_the_photo_limit(coop_root: Path, tmp_path_factory, monkeypatch) -> None:
    import htx.tools.intake

    monkeypatch.setattr(htx.tools.intake, "MAX_FILE_BYTES", 1_000_000)
    entries = {"profile.yml": VALID.encode(), "images/to.jpg": b"\xff\xd8\xff" + bytes(2_000_000)}
    result = intake(coop_root, make_zip(tmp_path_factory.mktemp("mail") / "to.zip", entries))
    assert result.exit_code == 1 and "`images/to.jpg` quá lớn" in result.output
    assert nothing_placed(coop_root)


def test_a_corrupt_zip_and_a_word_document_are_refused(coop_root: Path, tmp_path_factory) -> None:
    mail = tmp_path_factory.mktemp("mail")
    corrupt = mail / "hong.zip"
    corrupt.write_bytes(b"PK\x03\x04" + bytes(100))
    assert "Không mở được tệp nén" in intake(coop_root, corrupt).output
    doc = mail / "ho-so.docx"
    doc.write_bytes(b"\xd0\xcf\x11\xe0")
    result = intake(coop_root, doc)
    assert result.exit_code == 1 and "không phải tệp hồ sơ (.yml) hay tệp nén .zip" in result.output
    assert nothing_placed(coop_root)


def test_a_link_in_place_of_the_folder_is_not_followed(coop_root: Path, tmp_path_factory) -> None:
    outside = tmp_path_factory.mktemp("outside")
    (coop_root / "cooperatives" / "htx-thu-nghiem").symlink_to(outside, target_is_directory=True)
    received = tmp_path_factory.mktemp("mail") / "profile.yml"
    received.write_text(VALID, encoding="utf-8")
    result = intake(coop_root, received, "--ghi-de")
    assert result.exit_code == 1 and "liên kết tượng trưng" in result.output
    assert list(outside.iterdir()) == []
