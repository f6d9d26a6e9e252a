"""The loader keeps every value as written, with its position, and refuses what a profile must not hold."""
from __future__ import annotations

from pathlib import Path

import pytest

from htx.data.load import parse_text, read_profiles


def parse(text: str):
    return parse_text(text, "p.yml", Path("."))


@pytest.mark.parametrize("written", ["0712345670", "+84912345678", "no", "on", "12:30", "1e3", "2024-01-05", "0x1F", "~x"])
def test_scalars_stay_as_written(written: str) -> None:
    doc, problems = parse(f"a: {written}\n")
    assert problems == []
    assert doc.data == {"a": written}


def test_positions_are_one_based_for_values_and_keys() -> None:
    doc, _ = parse("ten: A\nsan_pham:\n  - ma: x\n    ten: Y\n")
    assert doc.values[("san_pham", 0, "ten")] == (4, 10)
    assert doc.keys[("san_pham", 0, "ten")] == (4, 5)
    assert doc.position(("san_pham", 0, "missing")) == (3, 5)


def test_null_and_quoted() -> None:
    doc, _ = parse('a:\nb: ~\nc: ""\nd: "null"\n')
    assert doc.data == {"a": None, "b": None, "c": "", "d": "null"}
    assert ("d",) in doc.quoted


def test_syntax_error_has_line_and_vietnamese_message() -> None:
    doc, problems = parse("ten: A\ngioi_thieu: giờ mở cửa: 7:30\n")
    assert doc is None
    assert problems[0].line == 2
    assert "hai chấm" in problems[0].message


def test_tab_indentation() -> None:
    _, problems = parse("dia_chi:\n\tchi_tiet: x\n")
    assert problems[0].line == 2 and "Tab" in problems[0].message


def test_duplicate_key_is_reported_not_overwritten() -> None:
    doc, problems = parse("ten: A\nten: B\n")
    assert [p.line for p in problems] == [2]
    assert doc.data["ten"] == "A"
    assert "lặp lại" in problems[0].message


@pytest.mark.parametrize("text,word", [("", "trống"), ("# chỉ có ghi chú\n", "trống"), ("- a\n- b\n", "danh sách"), ("chữ\n", "giá trị đơn")])
def test_empty_list_or_scalar_file(text: str, word: str) -> None:
    doc, problems = parse(text)
    assert doc is None and word in problems[0].message and problems[0].line == 1


def test_alias_bomb_is_refused_fast() -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 12):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]")
    _, problems = parse("\n".join(lines) + "\n")
    assert problems and all("neo" in p.message for p in problems)  # anchors and aliases alike


def test_deep_nesting_is_refused() -> None:
    doc, problems = parse("a: " + "[" * 200 + "]" * 200 + "\n")
    assert doc is None and "sâu" in problems[0].message


def test_custom_tag_is_refused() -> None:
    _, problems = parse("a: !!python/object/apply:os.system ['echo hi']\n")
    assert problems and "thẻ YAML" in problems[0].message


def test_huge_file_refused_before_parsing(tmp_path: Path) -> None:
    folder = tmp_path / "cooperatives" / "htx-lon"
    folder.mkdir(parents=True)
    (folder / "profile.yml").write_bytes(b"a: " + b"x" * 2_000_000 + b"\n")
    docs, problems = read_profiles(tmp_path / "cooperatives")
    assert docs == [] and "quá lớn" in problems[0].message


def test_folder_without_profile_and_non_utf8(tmp_path: Path) -> None:
    coops = tmp_path / "cooperatives"
    (coops / "htx-trong").mkdir(parents=True)
    (coops / "htx-cu").mkdir()
    (coops / "htx-cu" / "profile.yml").write_bytes("ten: Hợp tác xã\n".encode("cp1258", errors="replace") + b"\xff\xfe\n")
    docs, problems = read_profiles(coops)
    messages = " ".join(p.message for p in problems)
    assert "không có tệp profile.yml" in messages and "UTF-8" in messages


def test_symlinked_profile_refused(tmp_path: Path) -> None:
    coops = tmp_path / "cooperatives"
    (coops / "htx-link").mkdir(parents=True)
    (coops / "htx-link" / "profile.yml").symlink_to("/etc/hostname")
    docs, problems = read_profiles(coops)
    assert docs == [] and "symlink" in problems[0].message


@pytest.mark.parametrize("text,line,col", [
    ("ten: &an:chor value\n", 1, 6),            # PyYAML would read ":chor value"
    ("ten: &Rau sạch\n", 1, 6),                 # … and "sạch"
    ("a:\n  b: &x [1, 2]\n", 2, 6),
    ("a: &x foo\nb: *x\n", 1, 4),
])
def test_anchors_are_refused_rather_than_losing_text(text: str, line: int, col: int) -> None:
    _, problems = parse(text)
    assert problems and "neo" in problems[0].message and "nháy kép" in problems[0].hint
    assert (problems[0].line, problems[0].col) == (line, col)
    doc, problems = parse('ten: "&Rau sạch"\nb: "*x"\n')
    assert problems == [] and doc.data == {"ten": "&Rau sạch", "b": "*x"}


@pytest.mark.parametrize("text,key,line", [
    ("? ten\n: Hợp tác xã\n", "ten", 1),          # read as `ten` by PyYAML: refused, not guessed
    ("a:\n  ? b\n  : 1\n", "b", 2),
    ("{? ten: x}\n", "ten", 1),
    ("- ? a\n  : 1\n", "a", 1),
])
def test_explicit_keys_are_refused(text: str, key: str, line: int) -> None:
    _, problems = parse(text)
    found = [p for p in problems if "`?`" in p.message]
    assert found and f"`{key}`" in found[0].message and found[0].line == line and found[0].hint


@pytest.mark.parametrize("text", ["ten?: 1\n", "ten: ?x\n", "ten: 'a ? b'\n", "ten: a ? b\n", "'?x': 1\n"])
def test_question_marks_in_text_are_not_explicit_keys(text: str) -> None:
    _, problems = parse(text)
    assert problems == []


def test_ignored_folders_are_never_read(tmp_path: Path) -> None:
    from htx.data.load import is_ignored_folder

    for name in ("_mau", "_nhap", ".git", ".an"):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "profile.yml").write_text("x: [\n", encoding="utf-8")
        assert is_ignored_folder(name)
    assert not is_ignored_folder("htx-a")
    # Not even when asked for by name (a preview or a build of one cooperative).
    assert read_profiles(tmp_path, only={"_mau", ".git"}) == ([], [])
    assert read_profiles(tmp_path) == ([], [])
