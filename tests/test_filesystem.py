"""What a pull request can put in the file system: links, odd paths, odd names, missing or misnamed files.

Complements tests/unit/test_load.py and test_validate.py (profile linked to /etc/hostname, photo linked
to /etc/passwd, `..`, `/etc/passwd`, `C:/…`, `images\\a.jpg`, missing photo, wrong case, folder without
profile, non-UTF-8): here the links into another cooperative, Windows paths, Vietnamese names with
spaces (which must work), case clashes, misnamed profiles and names the file system itself refuses.
"""
from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

import pytest
from PIL import Image

from htx.data.load import read_profiles
from htx.pipeline import build, check
from htx.data.problems import Problem

try:
    from conftest import VALID, write_coop
except ImportError:  # tests/ imported as a package
    from tests.conftest import VALID, write_coop

OTHER = VALID.replace("htx-thu-nghiem", "htx-khac").replace("gao-thu-nghiem", "gao-khac")


def jpeg(path: Path, size: tuple[int, int] = (800, 600), color=(200, 150, 50)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, color).save(path, "JPEG")
    return path


def with_photos(*files: str) -> str:
    entries = "".join(f'      - tep: "{f}"\n        mo_ta: Ảnh túi gạo số {i}\n' for i, f in enumerate(files))
    return VALID + "    hinh_anh:\n" + entries


def problems_of(root: Path) -> list[Problem]:
    _, problems = check(root / "cooperatives", base=root)
    for p in problems:  # every problem is located and worded for people
        assert p.file.startswith("cooperatives/") and p.line >= 1 and p.col >= 1 and p.message
    return problems


def messages(problems: list[Problem]) -> str:
    return "\n".join(p.message + " " + p.hint for p in problems)


@pytest.fixture
def root(coop_root: Path) -> Path:
    """A project with a valid second cooperative whose photo a hostile profile may try to reach."""
    write_coop(coop_root, OTHER + '    hinh_anh:\n      - tep: images/a.jpg\n        mo_ta: Ảnh túi gạo khác\n', "htx-khac")
    jpeg(coop_root / "cooperatives" / "htx-khac" / "images" / "a.jpg")
    return coop_root


def folder(root: Path, slug: str = "htx-thu-nghiem") -> Path:
    path = root / "cooperatives" / slug
    path.mkdir(parents=True, exist_ok=True)
    return path


# -- links ----------------------------------------------------------------------------------------


def test_profile_linked_to_another_cooperatives_profile(root: Path) -> None:
    (folder(root) / "profile.yml").symlink_to(root / "cooperatives" / "htx-khac" / "profile.yml")
    problems = problems_of(root)
    assert [p.file for p in problems] == ["cooperatives/htx-thu-nghiem/profile.yml"]
    assert "symlink" in problems[0].message


def test_dangling_profile_link_is_reported_as_a_link(root: Path) -> None:
    (folder(root) / "profile.yml").symlink_to(root / "khong-co.yml")
    problems = problems_of(root)
    assert len(problems) == 1 and "symlink" in problems[0].message


def test_cooperative_folder_linked_to_another_cooperative(root: Path) -> None:
    (root / "cooperatives" / "htx-thu-nghiem").symlink_to(root / "cooperatives" / "htx-khac", target_is_directory=True)
    problems = problems_of(root)
    assert len(problems) == 1 and "Thư mục hợp tác xã là liên kết" in problems[0].message


def test_photo_linked_into_another_cooperative(root: Path) -> None:
    (folder(root) / "images").mkdir()
    (folder(root) / "images" / "a.jpg").symlink_to(root / "cooperatives" / "htx-khac" / "images" / "a.jpg")
    write_coop(root, with_photos("images/a.jpg"))
    problems = problems_of(root)
    assert [p.path for p in problems] == ["san_pham[0].hinh_anh[0].tep"]
    assert "symlink" in problems[0].message


def test_images_folder_linked_to_another_cooperative(root: Path) -> None:
    (folder(root) / "images").symlink_to(root / "cooperatives" / "htx-khac" / "images", target_is_directory=True)
    write_coop(root, with_photos("images/a.jpg"))
    problems = problems_of(root)
    assert [p.path for p in problems] == ["san_pham[0].hinh_anh[0].tep"] and "symlink" in problems[0].message


def test_images_folder_linked_to_etc(root: Path) -> None:
    (folder(root) / "images").symlink_to("/etc", target_is_directory=True)
    write_coop(root, with_photos("images/passwd"))
    problems = problems_of(root)
    assert len(problems) == 1 and "symlink" in problems[0].message


def test_photo_reaching_another_cooperative_by_dot_dot(root: Path) -> None:
    write_coop(root, with_photos("../htx-khac/images/a.jpg", "images/../../htx-khac/images/a.jpg"))
    problems = problems_of(root)
    assert len(problems) == 2 and all("ngoài thư mục" in p.message for p in problems)


def test_photo_hard_linked_to_etc_passwd_is_not_an_image(root: Path) -> None:
    """Git cannot store hard links, but a local checkout can have one: its content is still checked."""
    (folder(root) / "images").mkdir()
    try:
        os.link("/etc/passwd", folder(root) / "images" / "a.jpg")
    except OSError:
        pytest.skip("no hard link across file systems")
    write_coop(root, with_photos("images/a.jpg"))
    problems = problems_of(root)
    assert len(problems) == 1 and "không phải ảnh" in problems[0].message
    assert "root:" not in messages(problems)


# -- odd paths ------------------------------------------------------------------------------------


@pytest.mark.parametrize("written,words", [
    ("C:\\\\anh\\\\a.jpg", "dấu `\\`"),
    ("images\\\\a.jpg", "dấu `\\`"),
    ("\\\\\\\\may-chu\\\\anh\\\\a.jpg", "dấu `\\`"),
    ("C:/anh/a.jpg", "tuyệt đối"),
    ("c:a.jpg", "tuyệt đối"),
    ("/home/htx/a.jpg", "tuyệt đối"),
    ("file:///etc/passwd", "Không tìm thấy"),
    ("https://example.vn/a.jpg", "Không tìm thấy"),
    (".", "Không tìm thấy"),
    ("images/", "Không tìm thấy"),
    ("images/a\\0.jpg", "U+0000"),  # NUL: refused as a control character (and not found)
    ("images/" + "ả" * 100 + ".jpg", "Không tìm thấy"),  # 300 bytes: longer than a file name may be
    ("images/a.jpg/b.jpg", "Không tìm thấy"),
])
def test_odd_photo_paths(root: Path, written: str, words: str) -> None:
    jpeg(folder(root) / "images" / "a.jpg")
    write_coop(root, with_photos(written))
    problems = problems_of(root)
    assert {p.path for p in problems} == {"san_pham[0].hinh_anh[0].tep"}, [p.format_text() for p in problems]
    assert words in problems[0].message, problems[0].format_text()


def test_name_longer_than_the_file_system_allows_in_an_existing_folder(root: Path) -> None:
    """Regression: a 255-byte-plus name (85 Vietnamese letters) made the check crash with OSError."""
    (folder(root) / "images").mkdir()
    write_coop(root, with_photos("images/" + "ả" * 100 + ".jpg", "ả" * 200))
    problems = problems_of(root)
    assert len(problems) == 2 and all("Không tìm thấy" in p.message for p in problems)


def test_dot_slash_and_double_slash_paths_work(root: Path) -> None:
    jpeg(folder(root) / "images" / "a.jpg")
    write_coop(root, with_photos("./images/a.jpg", "images//a.jpg"))
    assert problems_of(root) == []


# -- names ----------------------------------------------------------------------------------------


def test_vietnamese_name_with_spaces_works_end_to_end(root: Path, tmp_path: Path) -> None:
    jpeg(folder(root) / "images" / "ảnh sản phẩm.jpg")
    write_coop(root, with_photos("images/ảnh sản phẩm.jpg"))
    assert problems_of(root) == []
    result = build(root / "cooperatives", base=root, with_images=True)
    assert result.ok, [p.format_text() for p in result.problems]
    page = next(p for p in result.rendered.pages if p.src_uri == "san-pham/htx-thu-nghiem/gao-thu-nghiem.md")
    assert 'alt="Ảnh túi gạo số 0"' in page.body and ".webp" in page.body
    # Published under a content hash: the written name never reaches a URL.
    sources = re.findall(r'<img[^>]* src="([^"]+)" srcset="([^"]+)"', page.body)
    assert sources and all("ảnh" not in src + srcset and "%" not in src + srcset for src, srcset in sources)
    from htx.publish.images import write_variants

    counts = write_variants(result.rendered.images, tmp_path / "site", workers=1)
    assert counts["published"] >= 1 and list((tmp_path / "site" / "anh").glob("*.webp"))


def test_decomposed_accents_in_a_file_name_are_reported(root: Path) -> None:
    """A name saved with decomposed accents (NFD, as some Mac tools do) differs from the NFC text of
    the profile: the check must say the file is missing, not crash or pick another file."""
    jpeg(folder(root) / "images" / unicodedata.normalize("NFD", "ảnh.jpg"))
    write_coop(root, with_photos(unicodedata.normalize("NFC", "images/ảnh.jpg")))
    problems = problems_of(root)
    assert len(problems) == 1 and "Không tìm thấy" in problems[0].message


def test_case_clash_between_two_existing_photos(root: Path) -> None:
    jpeg(folder(root) / "images" / "Anh.jpg", color=(10, 20, 30))
    jpeg(folder(root) / "images" / "anh.jpg", color=(200, 100, 0))
    write_coop(root, with_photos("images/Anh.jpg", "images/anh.jpg"))
    problems = problems_of(root)
    assert [p.path for p in problems] == ["san_pham[0].hinh_anh[1].tep"]
    assert "chữ hoa/thường" in problems[0].message and "images/Anh.jpg" in problems[0].message


def test_same_photo_twice_is_fine(root: Path) -> None:
    jpeg(folder(root) / "images" / "a.jpg")
    write_coop(root, with_photos("images/a.jpg", "images/a.jpg"))
    assert problems_of(root) == []


# -- missing or misnamed profiles ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["profile.yaml", "Profile.yml", "PROFILE.YML", "profile.yml.txt"])
def test_misnamed_profile_gets_a_rename_hint(root: Path, name: str) -> None:
    (folder(root) / name).write_text(VALID, encoding="utf-8")
    problems = problems_of(root)
    assert len(problems) == 1 and problems[0].file == "cooperatives/htx-thu-nghiem"
    assert "không có tệp profile.yml" in problems[0].message
    assert f"Đổi tên tệp {name} thành profile.yml" in problems[0].hint


def test_folder_with_only_photos(root: Path) -> None:
    jpeg(folder(root) / "images" / "a.jpg")
    problems = problems_of(root)
    assert len(problems) == 1 and "không có tệp profile.yml" in problems[0].message
    assert "cooperatives/_mau/profile.yml" in problems[0].hint


def test_folder_named_profile_yml(root: Path) -> None:
    """Regression: a folder named profile.yml crashed the loader (IsADirectoryError)."""
    (folder(root) / "profile.yml").mkdir()
    problems = problems_of(root)
    assert len(problems) == 1 and "không phải một tệp" in problems[0].message


def test_template_and_hidden_folders_are_skipped(root: Path) -> None:
    for name in ("_nhap", ".git"):
        (root / "cooperatives" / name).mkdir()
        (root / "cooperatives" / name / "profile.yml").write_text("khong: hop le\n", encoding="utf-8")
    assert problems_of(root) == []


def test_stray_file_beside_the_cooperative_folders_is_ignored(root: Path) -> None:
    (root / "cooperatives" / "ghi-chu.txt").write_text("x", encoding="utf-8")
    (root / "cooperatives" / "profile.yml").write_text("x: 1\n", encoding="utf-8")
    assert problems_of(root) == []


@pytest.mark.parametrize("encoding,words", [("utf-16", "UTF-8"), ("utf-32", "UTF-8"), ("cp1258", "UTF-8")])
def test_profile_saved_in_another_encoding(root: Path, encoding: str, words: str) -> None:
    (folder(root) / "profile.yml").write_bytes(VALID.encode(encoding, errors="replace"))
    problems = problems_of(root)
    assert len(problems) == 1 and words in problems[0].message


def test_profile_with_byte_order_mark_and_windows_line_ends(root: Path) -> None:
    (folder(root) / "profile.yml").write_bytes(b"\xef\xbb\xbf" + VALID.replace("\n", "\r\n").encode("utf-8"))
    assert problems_of(root) == []
    text = "\ufeff" + VALID.replace("so_thanh_vien: 12", "so_thanh_vien: 0").replace("\n", "\r\n")
    (folder(root) / "profile.yml").write_bytes(text.encode("utf-8"))
    problems = problems_of(root)
    assert [(p.line, p.col) for p in problems] == [(6, 16)]


def test_folder_name_and_slug_differ_only_in_case(root: Path) -> None:
    write_coop(root, VALID, "HTX-Thu-Nghiem")
    problems = problems_of(root)
    assert any("khác tên thư mục" in p.message for p in problems)


def test_reading_never_follows_links_outside(root: Path) -> None:
    """None of the above reads a file outside cooperatives/: the loader's documents come from inside."""
    (folder(root, "htx-a") / "profile.yml").symlink_to("/etc/passwd")
    docs, problems = read_profiles(root / "cooperatives", base=root)
    assert all(Path(d.folder).resolve().is_relative_to((root / "cooperatives").resolve()) for d in docs)
    assert "root:" not in messages(problems)
