"""The htx command as a contributor and a workflow use it."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from htx.tools.cli import cli
from tests.conftest import VALID, write_coop


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_validate_ok_and_errors(coop_root: Path) -> None:
    write_coop(coop_root, VALID)
    ok = invoke("validate", "--root", str(coop_root))
    assert ok.exit_code == 0
    write_coop(coop_root, VALID.replace("loai_hinh: hop-tac-xa", "loai_hinh: hoptacxa"))
    bad = invoke("validate", "--root", str(coop_root))
    assert bad.exit_code == 1
    assert "cooperatives/htx-thu-nghiem/profile.yml:4:12" in bad.output
    assert "Có phải ý bạn là `hop-tac-xa`?" in bad.output


def test_validate_github_annotations(coop_root: Path) -> None:
    write_coop(coop_root, VALID.replace("so_thanh_vien: 12", "so_thanh_vien: -3"))
    result = invoke("validate", "--root", str(coop_root), "--format", "github")
    assert result.exit_code == 1
    line = next(l for l in result.output.splitlines() if l.startswith("::error"))
    assert line.startswith("::error file=cooperatives/htx-thu-nghiem/profile.yml,line=6,col=16,")
    assert "so_thanh_vien" in line


def test_validate_one_path_reports_only_it(coop_root: Path) -> None:
    write_coop(coop_root, VALID)
    write_coop(coop_root, "ma: [\n", "htx-hong")
    result = invoke("validate", "--root", str(coop_root), str(coop_root / "cooperatives" / "htx-thu-nghiem"))
    assert result.exit_code == 0, result.output


PLACEHOLDERS = ["HTX Ví Dụ", "1600123456", "10.2986", "105.2603", "0912 345 678", "htx.vidu@gmail.com",
                "https://vidu.example.vn", "https://facebook.com/htxvidu", "https://youtube.com/@htxvidu",
                "https://shopee.vn/htxvidu", "Cửa hàng tại trụ sở", "Hợp tác xã của 25 hộ", "Hợp tác xã ra đời",
                "Công ty ví dụ", "VG-01-2024", "Tổ chức chứng nhận ví dụ", "gao-vi-du-5kg", "Gạo thơm Ví Dụ túi 5 kg",
                "Gạo thơm dẻo", "Gạo được xay xát", "1234/QĐ-UBND"]


def test_new_profile_left_unedited_fails_naming_each_placeholder(coop_root: Path) -> None:
    import shutil

    from tests.conftest import REPO

    shutil.copytree(REPO / "cooperatives" / "_mau", coop_root / "cooperatives" / "_mau")
    result = invoke("new", "Hợp tác xã Đồng Tâm Chợ Mới", "--root", str(coop_root))
    assert result.exit_code == 0, result.output
    profile = coop_root / "cooperatives" / "htx-dong-tam-cho-moi" / "profile.yml"
    text = profile.read_text()
    assert "ma: htx-dong-tam-cho-moi" in text
    # The person making the profile confirms it today (the template's date would be a false claim);
    # no consent is written for them: the template keeps it commented out until asked for.
    from htx.data.dates import build_date

    assert f"\nxac_nhan_ngay: {build_date().strftime('%d/%m/%Y')}\n" in text
    assert "\ndong_y_cong_khai:" not in text and "\n# dong_y_cong_khai:" in text
    checked = invoke("validate", "--no-images", "--root", str(coop_root))
    assert checked.exit_code == 1
    lines = [l for l in checked.output.splitlines() if ": lỗi: " in l]
    assert all("giá trị mẫu" in l for l in lines), lines
    for value in PLACEHOLDERS:  # each one, once, at its own line
        hits = [l for l in lines if value in l]
        assert len(hits) == (2 if value == "0912 345 678" else 1), (value, hits)  # phone and Zalo
        line_no = int(hits[0].split(":")[1])
        assert value.split()[0] in "".join(text.splitlines()[line_no - 1:line_no + 1])  # block scalars: next line
    ocop = next(l for l in checked.output.split("\n" + "cooperatives/") if "1234/QĐ-UBND" in l)
    assert "xóa cả nhóm `ocop:`" in ocop
    assert "Thay bằng thông tin thật hoặc xóa dòng này." in checked.output
    assert f"{len(lines)} lỗi" in checked.output
    assert invoke("new", "Hợp tác xã Đồng Tâm Chợ Mới", "--root", str(coop_root)).exit_code == 1


def uncomment_english(text: str) -> str:
    """Return the template with its commented-out `tieng_anh:` groups uncommented (as the comment above them says)."""
    lines, out, block = text.splitlines(), [], None
    for line in lines:
        indent = line[: len(line) - len(line.lstrip())]
        if line.strip() == "# tieng_anh:":
            block = indent
        elif block is None or not line.startswith(block + "#   "):
            block = None
        out.append(line.replace("# ", "", 1) if block is not None else line)
    return "\n".join(out) + "\n"


def test_template_offers_the_english_groups(coop_root: Path) -> None:
    """The template's `tieng_anh:` groups (cooperative and product), once uncommented, validate as a sample and hold
    every English field; each key has its Vietnamese comment; in a real profile their example texts are refused."""
    import shutil

    from htx.data import model as M
    from htx.pipeline import check
    from tests.conftest import REPO

    template = (REPO / "cooperatives" / "_mau" / "profile.yml").read_text(encoding="utf-8")
    assert template.count("# tieng_anh:") == 2 and "\ntieng_anh:" not in template
    text = uncomment_english(template)
    # Every key of the groups comes after its own Vietnamese comment: what it is, optional, what shows when empty.
    lines = template.splitlines()
    starts = [i for i, line in enumerate(lines) if line.strip() == "# tieng_anh:"]
    keys = [i for i, line in enumerate(lines) if re.match(r"^ *#   [a-z_]+:", line) and any(
        s < i and all(re.match(r"^ *#   ", lines[k]) for k in range(s + 1, i)) for s in starts)]
    assert len(keys) == 7
    for i in keys:
        j = i
        while re.match(r"^ *#   # ", lines[j - 1]):
            j -= 1
        comment = " ".join(line.split("# ", 2)[2] for line in lines[j:i])
        assert "không bắt buộc" in comment and "để trống thì trang" in comment, lines[i]
    write_coop(coop_root, text, "htx-ten-cua-ban")
    entries, problems = check(coop_root / "cooperatives", base=coop_root, check_images=False)
    assert [p.format_text() for p in problems if p.severity == "error"] == []  # (the template's consent warning)
    coop = entries[0].coop
    assert set(coop.english.model_fields_set) == {"name", "summary", "story"}
    assert set(coop.products[0].english.model_fields_set) == set(M.ProductEnglish.model_fields)
    assert coop.products[0].english.unit == "5 kg bag"

    # `htx new` (a real profile) with the groups uncommented but not rewritten: each example text is named.
    shutil.copytree(REPO / "cooperatives" / "_mau", coop_root / "cooperatives" / "_mau")
    assert invoke("new", "Hợp tác xã Đồng Tâm", "--root", str(coop_root)).exit_code == 0
    profile = coop_root / "cooperatives" / "htx-dong-tam" / "profile.yml"
    profile.write_text(uncomment_english(profile.read_text(encoding="utf-8")), encoding="utf-8")
    _, problems = check(coop_root / "cooperatives", base=coop_root, check_images=False)
    flagged = {p.path: p.message for p in problems if "giá trị mẫu" in p.message}
    for path in ("tieng_anh.ten", "tieng_anh.gioi_thieu", "tieng_anh.cau_chuyen", "san_pham[0].tieng_anh.ten",
                 "san_pham[0].tieng_anh.gioi_thieu", "san_pham[0].tieng_anh.mo_ta"):
        assert path in flagged, (path, sorted(flagged))
    assert "san_pham[0].tieng_anh.don_vi" not in flagged  # "5 kg bag": a unit a real product may well have
    output = invoke("validate", "--no-images", "--root", str(coop_root), str(profile.parent)).output
    assert "tiếng Anh › tên: `Ví Dụ Agricultural Cooperative` là giá trị mẫu" in output, output


def test_a_sample_profile_may_keep_example_values(coop_root: Path) -> None:
    write_coop(coop_root, VALID.replace("so_thanh_vien: 12", "so_thanh_vien: 12\nso_dang_ky: \"1600123456\""))
    assert invoke("validate", "--no-images", "--root", str(coop_root)).exit_code == 0
    write_coop(coop_root, VALID.replace("ho_so_mau: có", "ho_so_mau: không")
               .replace("so_thanh_vien: 12", "so_thanh_vien: 12\nso_dang_ky: \"1600123456\""))
    result = invoke("validate", "--no-images", "--root", str(coop_root))
    assert result.exit_code == 1 and "`1600123456` là giá trị mẫu" in result.output


def test_post_scaffold(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    result = invoke("post", "Hội chợ OCOP Đồng bằng 2026", "--date", "2026-11-20", "--category", "xuc tien thuong mai",
                    "--root", str(tmp_path))
    assert result.exit_code == 0, result.output
    path = tmp_path / "content" / "tin-tuc" / "posts" / "2026-11-20-hoi-cho-ocop-dong-bang-2026.md"
    text = path.read_text()
    assert "slug: hoi-cho-ocop-dong-bang-2026" in text and "draft: true" in text
    assert "categories: [Xúc tiến thương mại]" in text
    wrong = invoke("post", "X", "--category", "Sai", "--root", str(tmp_path))
    assert wrong.exit_code == 2 and "Không có chuyên mục “Sai”" in wrong.output and "“Hướng dẫn”" in wrong.output


def test_post_has_no_default_category(tmp_path: Path) -> None:
    """A post filed under "Hướng dẫn" by default was a policy news item in the wrong place."""
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    result = invoke("post", "Tin mới", "--root", str(tmp_path))
    assert result.exit_code == 2
    assert "Chọn chuyên mục bằng --category" in result.output and "“Chính sách”" in result.output
    assert not (tmp_path / "content").exists()


def test_post_placeholders_are_found_in_a_new_post(tmp_path: Path) -> None:
    import yaml

    from htx.tools.scaffold import post_body_placeholders, post_placeholders

    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    invoke("post", "Tin mới", "--category", "Chính sách", "--date", "2026-11-20", "--root", str(tmp_path))
    text = next((tmp_path / "content" / "tin-tuc" / "posts").glob("*.md")).read_text()
    meta = yaml.safe_load(text.split("---")[1])
    assert post_placeholders(meta) == ["Tóm tắt một câu (dưới 160 ký tự)."]
    assert len(post_body_placeholders(text)) == 2


# -- click's own words in Vietnamese ---------------------------------------------------------------

ENGLISH = ("Usage:", "Options:", "Commands:", "Show this message", "Error:", "Missing argument", "No such option",
           "Try '", "for help", "[default:", "does not exist", "is not a valid", "Got unexpected")


def _no_english(text: str) -> None:
    for words in ENGLISH:
        assert words not in text, (words, text)


def test_help_pages_are_vietnamese() -> None:
    main = invoke("--help")
    assert main.exit_code == 0
    assert main.output.startswith("Cách dùng: htx [TÙY CHỌN] LỆNH [THAM SỐ]...")
    assert "Tùy chọn:" in main.output and "Lệnh:" in main.output and "Hiện hướng dẫn này rồi thoát." in main.output
    _no_english(main.output)
    for name in ("validate", "new", "post", "preview", "render", "images", "schema", "from-issue", "nhan-ho-so",
                 "status", "go-ca-nhan"):
        page = invoke(name, "--help")
        assert page.exit_code == 0, name
        assert page.output.startswith(f"Cách dùng: htx {name} [TÙY CHỌN]"), page.output
        _no_english(page.output)
    assert "[mặc định: 8000]" in invoke("preview", "--help").output


@pytest.mark.parametrize("args,words", [
    (["validate", "--bogus"], "Lỗi: Không có tùy chọn `--bogus`."),
    (["validate", "/khong/co/thu-muc"], "không có tệp hay thư mục '/khong/co/thu-muc'"),
    (["validate", "--format", "xml"], "chọn một trong: text, github"),
    (["new"], "Lỗi: Thiếu tham số TÊN."),
    (["nope"], "Lỗi: Không có lệnh `nope`."),
    (["preview", "x", "--port", "abc"], "'abc' không phải một số nguyên"),
    (["new", "a", "b"], "Lỗi: Thừa tham số: b."),
])
def test_usage_errors_are_vietnamese(args: list[str], words: str) -> None:
    result = CliRunner().invoke(cli, args, prog_name="htx")
    assert result.exit_code == 2
    assert words in result.output, result.output
    assert "Xem hướng dẫn: htx" in result.output
    _no_english(result.output)


@pytest.mark.slow
def test_console_script_speaks_vietnamese() -> None:
    """The installed `htx` itself (not only click's test runner): usage error on stderr, exit 2."""
    import subprocess
    import sys

    htx = Path(sys.executable).with_name("htx")
    result = subprocess.run([str(htx), "validate", "--khong-co"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "Cách dùng: htx validate [TÙY CHỌN] [ĐƯỜNG_DẪN]..." in result.stderr
    assert "Lỗi: Không có tùy chọn `--khong-co`." in result.stderr
    _no_english(result.stderr + result.stdout)


def test_every_command_has_help() -> None:
    for name, command in cli.commands.items():
        assert command.help and command.help.strip(), name
        assert invoke(name, "--help").exit_code == 0


# -- what `htx validate` accepts as a path ---------------------------------------------------------


@pytest.mark.parametrize("name", ["_nhap", ".an"])
def test_validate_refuses_a_folder_that_is_never_published(coop_root: Path, name: str) -> None:
    write_coop(coop_root, VALID)
    path = write_coop(coop_root, VALID.replace("htx-thu-nghiem", "htx-nhap"), name)
    for target in (path.parent, path):
        result = invoke("validate", "--root", str(coop_root), str(target))
        assert result.exit_code == 1, result.output
        assert f"Thư mục `{name}` bắt đầu bằng `_` hoặc `.`" in result.output
        assert "Đổi tên thư mục" in result.output and "Hợp lệ" not in result.output
    assert invoke("validate", "--root", str(coop_root)).exit_code == 0  # and the whole check skips it


def test_validate_refuses_a_folder_outside_the_cooperatives(coop_root: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    write_coop(coop_root, VALID)
    elsewhere = tmp_path_factory.mktemp("ngoai")
    write_coop(elsewhere, VALID)
    for target in (elsewhere, elsewhere / "cooperatives", elsewhere / "cooperatives" / "htx-thu-nghiem", coop_root):
        result = invoke("validate", "--root", str(coop_root), str(target))
        assert result.exit_code == 1, (target, result.output)
        assert "nằm ngoài thư mục cooperatives/" in result.output and "Hợp lệ" not in result.output


def test_validate_checks_a_downloaded_file_anywhere(coop_root: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """The builder page's output is one file, saved wherever the browser puts it: it is checked alone."""
    downloads = tmp_path_factory.mktemp("Downloads")
    good = downloads / "profile.yml"  # in a folder that is not named after the cooperative
    good.write_text(VALID, encoding="utf-8")
    result = invoke("validate", "--root", str(coop_root), str(good))
    assert result.exit_code == 0, result.output
    bad = downloads / "ho-so (1).yml"
    bad.write_text(VALID.replace("so_thanh_vien: 12", "so_thanh_vien: mười"), encoding="utf-8")
    result = invoke("validate", "--root", str(coop_root), str(bad))
    assert result.exit_code == 1 and "số thành viên: `mười`" in result.output
    help_text = invoke("validate", "--help").output
    assert "cooperatives/" in help_text and "tệp hồ sơ lẻ" in help_text and "_" in help_text


def test_validate_never_echoes_control_characters(coop_root: Path) -> None:
    """A value with ESC or a bidi override is repeated in messages as `\\x1b`, `\\u202e`, never raw."""
    text = VALID.replace("so_thanh_vien: 12", 'so_thanh_vien: "1\\e[2J\\e]0;pwned\\a\\u202e2"')
    write_coop(coop_root, text)
    for fmt in ("text", "github"):
        result = invoke("validate", "--root", str(coop_root), "--format", fmt)
        assert result.exit_code == 1
        assert "\x1b" not in result.output and "\u202e" not in result.output and "\x07" not in result.output
        assert "1\\x1b[2J\\x1b]0;pwned\\x07\\u202e2" in result.output, result.output
    path = write_coop(coop_root, VALID)
    (path.parent / "images").mkdir()
    (path.parent / "images" / "a\x1b[31m.jpg").write_bytes(b"x")
    write_coop(coop_root, VALID + '    hinh_anh:\n      - tep: "images/a\\e[31m.jpg"\n        mo_ta: Ảnh túi gạo\n')
    result = invoke("validate", "--root", str(coop_root))
    assert result.exit_code == 1 and "\x1b" not in result.output and "a\\x1b[31m.jpg" in result.output


def test_problem_text_escapes_every_unsafe_character() -> None:
    from htx.data.problems import Problem, escape

    assert escape("a\x00b\x1bc\x9bd\u202ee\u2066f\u200bg\ufeffh\U000e0041i\ud800j\tk\nl") == (
        "a\\x00b\\x1bc\\x9bd\\u202ee\\u2066f\\u200bg\\ufeffh\\U000e0041i\\ud800j\\tk\\nl")
    assert escape("Hợp tác xã “Đồng Tâm” 🌾\u00a0★") == "Hợp tác xã “Đồng Tâm” 🌾\u00a0★"
    problem = Problem("cooperatives/x\x1b/profile.yml", 3, 6, "ten\u202e", "Sai `\x1b`\n  ví dụ", "Sửa \u200b")
    for out in (problem.format_text(), problem.format_github()):
        assert all(c.isprintable() or c == "\n" for c in out), out
        assert "\\x1b" in out and "\\u202e" in out and "\\u200b" in out
    assert "\n  ví dụ" in problem.format_text()  # the message's own line breaks stay


def test_preview_refuses_a_folder_that_is_never_published(coop_root: Path) -> None:
    write_coop(coop_root, VALID, "_mau")
    result = invoke("preview", "_mau", "--build-only", "--root", str(coop_root))
    assert result.exit_code == 1 and "bắt đầu bằng `_` hoặc `.`" in result.output


@pytest.mark.slow
def test_preview_says_where_to_look_and_how_to_stop(tmp_path: Path) -> None:
    """`htx preview` printed nothing: the URL of the cooperative's page and the Ctrl+C hint come first."""
    import os
    import socket
    import subprocess
    import sys

    from tests.conftest import copy_project

    project = copy_project(tmp_path / "p", coops=True)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    htx = Path(sys.executable).with_name("htx")
    env = dict(os.environ, HTX_CACHE_DIR=str(tmp_path / "cache"))
    proc = subprocess.Popen([str(htx), "preview", "htx-mam-chau-doc", "--port", str(port), "--root", str(project)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    try:
        lines = [proc.stdout.readline() for _ in range(2)]
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    assert lines[1].strip() == (f"Mở http://127.0.0.1:{port}/hop-tac-xa/htx-mam-chau-doc/ trong trình duyệt "
                                "(trang tự tải lại khi bạn lưu hồ sơ). Nhấn Ctrl+C để dừng.")
