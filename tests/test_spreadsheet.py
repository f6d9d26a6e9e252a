"""Staff spreadsheets: `htx export`, the template, `htx import` (round trip, and each bad input refused by cell)."""
from __future__ import annotations

import hashlib
import io
import os
import shutil
import time
import tracemalloc
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from htx.tools.cli import cli
from htx.tools.spreadsheet import COOP_SHEET, LIST_SHEET, PRODUCT_SHEET, XLSX_NAME, plan_import, template_bytes
from htx.publish.tabular import COOP_COLUMNS, PRODUCT_COLUMNS
from tests.conftest import REPO

EPOCH = {"SOURCE_DATE_EPOCH": "1795651200"}  # 2026-11-26, the tests' build date


def htx(*args: str):
    return CliRunner().invoke(cli, list(args), env=EPOCH, catch_exceptions=False)


def tree_hash(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        h.update(str(p.relative_to(folder)).encode())
        if p.is_file():
            h.update(p.read_bytes())
    return h.hexdigest()


@pytest.fixture
def samples(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(REPO / "cooperatives", root / "cooperatives")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root


@pytest.fixture
def empty(tmp_path: Path) -> Path:
    root = tmp_path / "empty"
    (root / "cooperatives").mkdir(parents=True)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root


def export_all(root: Path, out: Path) -> None:
    for fmt in ("csv", "xlsx", "json"):
        result = htx("export", "--format", fmt, "--out", str(out), "--root", str(root))
        assert result.exit_code == 0, result.output


@pytest.mark.slow
@pytest.mark.parametrize("source", [XLSX_NAME, "hop-tac-xa.csv"])
def test_round_trip_export_import_export_is_byte_identical(samples: Path, empty: Path, tmp_path: Path, source: str) -> None:
    export_all(samples, tmp_path / "first")
    files = [source] if source.endswith(".xlsx") else [source, "san-pham.csv"]
    for name in files:
        result = htx("import", str(tmp_path / "first" / name), "--cap-nhat", "--root", str(empty))
        assert result.exit_code == 0, result.output
    assert len(list((empty / "cooperatives").glob("*/profile.yml"))) == 14
    result = htx("validate", "--no-images", "--root", str(empty))
    assert result.exit_code == 0, result.output
    export_all(empty, tmp_path / "second")
    for f in sorted((tmp_path / "first").iterdir()):
        assert f.read_bytes() == (tmp_path / "second" / f.name).read_bytes(), f.name


@pytest.mark.slow
def test_imported_profile_is_written_like_the_issue_form(samples: Path, empty: Path, tmp_path: Path) -> None:
    export_all(samples, tmp_path / "x")
    htx("import", str(tmp_path / "x" / XLSX_NAME), "--root", str(empty))
    text = (empty / "cooperatives" / "htx-mam-chau-doc" / "profile.yml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../profile.schema.json\nma: htx-mam-chau-doc\n")
    assert '\nten: "Hợp tác xã' in text and "\nloai_hinh: hop-tac-xa\n" in text and "\nso_thanh_vien: 18\n" in text


@pytest.mark.slow
def test_export_has_no_personal_data_without_consent_unless_asked(samples: Path, tmp_path: Path) -> None:
    export_all(samples, tmp_path / "pub")
    wb = openpyxl.load_workbook(tmp_path / "pub" / XLSX_NAME)
    ws = wb[COOP_SHEET]
    header = [c.value for c in ws[1]]
    consent = header.index("Ngày đồng ý")
    personal = [header.index(c.header) for c in COOP_COLUMNS if c.personal]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert any(r[consent] is None for r in rows)
    for r in rows:
        if r[consent] is None:
            assert all(r[i] is None for i in personal), r[0]
    # The second reader sees the same values.
    cal = CalamineWorkbook.from_path(str(tmp_path / "pub" / XLSX_NAME)).get_sheet_by_name(COOP_SHEET).to_python()
    assert [str(v) for v in cal[0]] == header and len(cal) == len(rows) + 1
    result = htx("export", "--format", "xlsx", "--ca-nhan", "--out", str(tmp_path / "staff"), "--root", str(samples))
    ws = openpyxl.load_workbook(tmp_path / "staff" / XLSX_NAME)[COOP_SHEET]
    staff_rows = list(ws.iter_rows(min_row=2, values_only=True))
    name = header.index("Họ tên người đại diện")
    assert sum(r[name] is not None for r in staff_rows) > sum(r[name] is not None for r in rows)


def test_template_has_hints_and_drop_downs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH["SOURCE_DATE_EPOCH"])
    out = tmp_path / "mau.xlsx"
    assert htx("mau-bang-tinh", str(out)).exit_code == 0
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [COOP_SHEET, PRODUCT_SHEET, LIST_SHEET] and wb[LIST_SHEET].sheet_state == "hidden"
    assert [c.value for c in wb[COOP_SHEET][1]] == [c.header for c in COOP_COLUMNS]
    assert [c.value for c in wb[PRODUCT_SHEET][1]] == [c.header for c in PRODUCT_COLUMNS]
    communes = [r[0] for r in wb[LIST_SHEET].iter_rows(min_row=2, values_only=True) if r[0]]
    assert len(communes) == 102 and "Xã Thoại Sơn" in communes
    dvs = {str(d.sqref).split(":")[0][:-1]: d for d in wb[COOP_SHEET].data_validations.dataValidation}
    assert all(d.prompt and d.showInputMessage for d in dvs.values())
    col = openpyxl.utils.get_column_letter([c.key for c in COOP_COLUMNS].index("dia_chi.xa_phuong") + 1)
    assert dvs[col].type == "list" and dvs[col].formula1.endswith("$2:$A$103")
    stars = [d for d in wb[PRODUCT_SHEET].data_validations.dataValidation if d.formula1 == '"3,4,5"']
    assert len(stars) == 1
    assert template_bytes() == out.read_bytes()  # same input, same bytes


# ---- a new user fills the template ------------------------------------------------------------

GOOD = {
    "Mã hợp tác xã": "htx-rau-sach-my-hoa", "Tên hợp tác xã": "Hợp tác xã Rau sạch Mỹ Hòa", "Loại hình": "hop-tac-xa",
    "Lĩnh vực": "trong-trot; thuong-mai", "Số thành viên": 12, "Ngày xác nhận": "12/5/2026",
    "Chức vụ người đại diện": "Giám đốc", "Địa chỉ chi tiết": "Ấp Mỹ Hòa", "Xã, phường": "Xã Thoại Sơn",
    "Điện thoại": "0912 345 678", "Giới thiệu": "Hợp tác xã trồng rau sạch theo hướng VietGAP cho chợ Long Xuyên.",
}
PRODUCT = {"Mã hợp tác xã": "htx-rau-sach-my-hoa", "Mã sản phẩm": "rau-muong-my-hoa", "Tên sản phẩm": "Rau muống Mỹ Hòa",
           "Danh mục": "gao-nong-san", "Giới thiệu": "Rau muống hái trong ngày.", "Giá": 15000, "Đơn vị tính": "bó 500 g",
           "Số sao OCOP": 3, "Năm công nhận OCOP": 2024}


def three(**over) -> list[dict]:
    rows = []
    for i, commune in enumerate(("Xã Thoại Sơn", "Phường Long Xuyên", "Đặc khu Phú Quốc")):
        row = dict(GOOD, **{"Mã hợp tác xã": f"htx-thu-{i}", "Tên hợp tác xã": f"Hợp tác xã Thử số {i}", "Xã, phường": commune,
                            "Điện thoại": f"0912 345 67{i}"})
        rows.append(row)
    rows[0].update(over)
    return rows


def workbook(path: Path, coops: list[dict | None], products: list[dict] = (), edit=None) -> Path:
    """Fill the template with rows (None: an empty row) and save it; edit(wb) changes it first."""
    tpl = path.parent / "tpl.xlsx"
    tpl.write_bytes(template_bytes())
    wb = openpyxl.load_workbook(tpl)
    for sheet, columns, rows in ((COOP_SHEET, COOP_COLUMNS, coops), (PRODUCT_SHEET, PRODUCT_COLUMNS, products)):
        ws = wb[sheet]
        for r, row in enumerate(rows, 2):
            for c, col in enumerate(columns, 1):
                if row and col.header in row:
                    ws.cell(r, c, row[col.header])
    if edit:
        edit(wb)
    wb.save(path)
    return path


def test_new_user_fills_three_cooperatives(empty: Path, tmp_path: Path) -> None:
    book = workbook(tmp_path / "ba.xlsx", three(), [PRODUCT | {"Mã hợp tác xã": "htx-thu-0"}])
    dry = htx("import", str(book), "--dry-run", "--root", str(empty))
    assert dry.exit_code == 0, dry.output
    assert "Sẽ tạo cooperatives/htx-thu-2/profile.yml" in dry.output and not list((empty / "cooperatives").iterdir())
    result = htx("import", str(book), "--root", str(empty))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (empty / "cooperatives").iterdir()) == ["htx-thu-0", "htx-thu-1", "htx-thu-2"]
    check = htx("validate", "--no-images", "--root", str(empty))
    assert check.exit_code == 0 and "3 hồ sơ, 1 sản phẩm" in check.output, check.output
    text = (empty / "cooperatives" / "htx-thu-0" / "profile.yml").read_text(encoding="utf-8")
    assert 'xac_nhan_ngay: "12/5/2026"' in text and "  - trong-trot\n  - thuong-mai\n" in text


@pytest.mark.slow
def test_existing_profile_diff_and_update_only_with_flag(samples: Path, tmp_path: Path) -> None:
    export_all(samples, tmp_path / "x")
    wb = openpyxl.load_workbook(tmp_path / "x" / XLSX_NAME)
    ws = wb[COOP_SHEET]
    members = [c.value for c in ws[1]].index("Số thành viên") + 1
    ws.cell(2, members, 999)
    slug = ws.cell(2, 1).value
    wb.save(tmp_path / "changed.xlsx")
    target = samples / "cooperatives" / slug / "profile.yml"
    before = target.read_bytes()
    result = htx("import", str(tmp_path / "changed.xlsx"), "--root", str(samples))
    assert result.exit_code == 0 and f"so_thanh_vien: " in result.output and "→ 999" in result.output, result.output
    assert "giữ nguyên" in result.output and target.read_bytes() == before
    # A profile with the cooperative's own comments is never rewritten, even with --cap-nhat.
    target.write_bytes(before + "# Số thành viên tính đến cuối năm\n".encode())
    commented = target.read_bytes()
    result = htx("import", str(tmp_path / "changed.xlsx"), "--cap-nhat", "--root", str(samples))
    assert result.exit_code == 1 and "ghi chú" in result.output and target.read_bytes() == commented, result.output
    target.write_bytes(before)
    result = htx("import", str(tmp_path / "changed.xlsx"), "--cap-nhat", "--root", str(samples))
    assert result.exit_code == 0, result.output
    assert "so_thanh_vien: 999" in target.read_text(encoding="utf-8")
    assert htx("validate", "--no-images", "--root", str(samples)).exit_code == 0


# ---- the English columns (issue 22) ----------------------------------------------------------------

ENGLISH = {"Tên tiếng Anh": "Mỹ Hòa Clean Vegetable Cooperative",
           "Giới thiệu tiếng Anh": "Twelve households in Mỹ Hòa growing vegetables to VietGAP standards for Long Xuyên market.",
           "Câu chuyện tiếng Anh": "We started in 2015 with one greenhouse.\n\n- Now: **12** households."}
PRODUCT_ENGLISH = {"Tên tiếng Anh": "Mỹ Hòa water spinach", "Giới thiệu tiếng Anh": "Water spinach picked on the day.",
                   "Mô tả tiếng Anh": "Picked at dawn, tied in bunches.\nKeep cool.", "Đơn vị tính tiếng Anh": "500 g bunch"}


def _letter(columns, header: str, nth: int = 0) -> str:
    return openpyxl.utils.get_column_letter([i for i, c in enumerate(columns, 1) if c.header == header][nth])


def test_template_lists_the_english_columns() -> None:
    wb = openpyxl.load_workbook(io.BytesIO(template_bytes()))
    for sheet, columns, headers in ((COOP_SHEET, COOP_COLUMNS, ["Tên tiếng Anh", "Giới thiệu tiếng Anh", "Câu chuyện tiếng Anh"]),
                                    (PRODUCT_SHEET, PRODUCT_COLUMNS, ["Tên tiếng Anh", "Giới thiệu tiếng Anh", "Mô tả tiếng Anh",
                                                                      "Đơn vị tính tiếng Anh"])):
        assert [c.header for c in columns if c.key.startswith("tieng_anh.")] == headers
        prompts = {str(d.sqref).split(":")[0][:-1]: d.prompt for d in wb[sheet].data_validations.dataValidation}
        for header in headers:
            prompt = prompts[_letter(columns, header)]
            assert "bằng tiếng Anh" in prompt and "Không bắt buộc" in prompt, (header, prompt)
            assert prompt.count("Thoại Sơn") <= 1 and len(prompt) <= 255, prompt   # the example once, nothing cut
        assert "để trống thì trang tiếng Anh hiện chữ tiếng Việt" in prompts[_letter(columns, "Tên tiếng Anh")]
    unit = {str(d.sqref).split(":")[0][:-1]: d.prompt for d in wb[PRODUCT_SHEET].data_validations.dataValidation}[
        _letter(PRODUCT_COLUMNS, "Đơn vị tính tiếng Anh")]
    assert "tự dịch" in unit and "hiện chữ tiếng Việt" not in unit


def test_import_writes_the_english_columns_into_tieng_anh(empty: Path, tmp_path: Path) -> None:
    rows = three()
    rows[0].update(ENGLISH)
    product = PRODUCT | {"Mã hợp tác xã": "htx-thu-0"} | PRODUCT_ENGLISH
    plain = PRODUCT | {"Mã hợp tác xã": "htx-thu-1", "Mã sản phẩm": "rau-den-my-hoa", "Tên sản phẩm": "Rau dền Mỹ Hòa"}
    result = htx("import", str(workbook(tmp_path / "en.xlsx", rows, [product, plain])), "--root", str(empty))
    assert result.exit_code == 0, result.output
    text = (empty / "cooperatives" / "htx-thu-0" / "profile.yml").read_text(encoding="utf-8")
    assert '\ntieng_anh:\n  ten: "Mỹ Hòa Clean Vegetable Cooperative"\n' in text
    assert "\n    tieng_anh:\n      ten: \"Mỹ Hòa water spinach\"\n" in text
    assert "tieng_anh" not in (empty / "cooperatives" / "htx-thu-1" / "profile.yml").read_text(encoding="utf-8")
    from htx.pipeline import check

    entries, problems = check(empty / "cooperatives", base=empty, check_images=False)
    assert [p.format_text() for p in problems if p.severity == "error"] == []
    coop = next(e.coop for e in entries if e.coop.slug == "htx-thu-0")
    assert (coop.english.name, coop.english.summary, coop.english.story) == tuple(ENGLISH.values())
    english = coop.products[0].english
    assert (english.name, english.summary, english.description, english.unit) == tuple(PRODUCT_ENGLISH.values())
    assert next(e.coop for e in entries if e.coop.slug == "htx-thu-1").products[0].english is None


def test_english_errors_are_reported_by_cell(empty: Path, tmp_path: Path) -> None:
    rows = three(**{"Tên tiếng Anh": "Coop"})
    product = PRODUCT | {"Mã hợp tác xã": "htx-thu-0", "Giới thiệu tiếng Anh": "Greens."}
    result = htx("import", str(workbook(tmp_path / "b.xlsx", rows, [product])), "--root", str(empty))
    assert result.exit_code == 1 and not list((empty / "cooperatives").iterdir())
    assert (f"Hợp tác xã!{_letter(COOP_COLUMNS, 'Tên tiếng Anh')}2: Lỗi: [Tên tiếng Anh] Quá ngắn: cần ít nhất 5 ký tự."
            in result.output), result.output
    assert f"Sản phẩm!{_letter(PRODUCT_COLUMNS, 'Giới thiệu tiếng Anh')}2: Lỗi: [Giới thiệu tiếng Anh] Quá ngắn" in result.output


def test_a_sheet_from_an_older_template_has_no_english_columns(empty: Path, tmp_path: Path) -> None:
    """Sheets handed out before issue 22 lack the English columns: they import, and `--cap-nhat` keeps the English
    a profile has (a missing column is not an empty one)."""
    rows = three()
    rows[0].update(ENGLISH)
    product = PRODUCT | {"Mã hợp tác xã": "htx-thu-0"} | PRODUCT_ENGLISH
    assert htx("import", str(workbook(tmp_path / "en.xlsx", rows, [product])), "--root", str(empty)).exit_code == 0
    target = empty / "cooperatives" / "htx-thu-0" / "profile.yml"
    before = target.read_text(encoding="utf-8")

    def old_layout(wb):
        for sheet, columns in ((COOP_SHEET, COOP_COLUMNS), (PRODUCT_SHEET, PRODUCT_COLUMNS)):
            for i in sorted((i for i, c in enumerate(columns, 1) if c.key.startswith("tieng_anh.")), reverse=True):
                wb[sheet].delete_cols(i)

    rows = three(**{"Số thành viên": 15})
    book = workbook(tmp_path / "cu.xlsx", rows, [PRODUCT | {"Mã hợp tác xã": "htx-thu-0", "Giá": 16000}], edit=old_layout)
    assert "Tên tiếng Anh" not in [c.value for c in openpyxl.load_workbook(book)[COOP_SHEET][1]]
    result = htx("import", str(book), "--cap-nhat", "--root", str(empty))
    assert result.exit_code == 0, result.output
    assert "tieng_anh" not in result.output   # the diff: members and price only
    after = target.read_text(encoding="utf-8")
    assert after != before and "so_thanh_vien: 15\n" in after and "gia: 16000\n" in after
    assert '  ten: "Mỹ Hòa Clean Vegetable Cooperative"\n' in after and '      don_vi: "500 g bunch"\n' in after
    # Into an empty tree, the old layout makes profiles without English.
    fresh = tmp_path / "fresh"
    (fresh / "cooperatives").mkdir(parents=True)
    shutil.copy(REPO / "mkdocs.yml", fresh / "mkdocs.yml")
    assert htx("import", str(book), "--root", str(fresh)).exit_code == 0
    assert "tieng_anh" not in (fresh / "cooperatives" / "htx-thu-0" / "profile.yml").read_text(encoding="utf-8")


# ---- bad input: a Vietnamese message with sheet, cell and hint, exit 1, nothing written ------------

def refused(root: Path, book: Path, *needles: str) -> str:
    before = tree_hash(root / "cooperatives")
    result = htx("import", str(book), "--root", str(root))
    assert result.exit_code == 1, result.output
    for needle in needles:
        assert needle in result.output, result.output
    assert "Gợi ý:" in result.output and "Traceback" not in result.output
    assert tree_hash(root / "cooperatives") == before
    return result.output


def _set(sheet: str, ref: str, value) -> object:
    def edit(wb):
        wb[sheet][ref] = value
    return edit


def test_wrong_header(empty: Path, tmp_path: Path) -> None:
    out = refused(empty, workbook(tmp_path / "b.xlsx", three(), edit=_set(COOP_SHEET, "B1", "Tên hop tac xa")),
                  "Hợp tác xã!B1", "“Tên hop tac xa”", "Có phải là “Tên hợp tác xã”?")


def test_extra_and_missing_column(empty: Path, tmp_path: Path) -> None:
    extra = len(COOP_COLUMNS) + 1
    letter = openpyxl.utils.get_column_letter(extra)
    refused(empty, workbook(tmp_path / "b.xlsx", three(), edit=_set(COOP_SHEET, f"{letter}1", "Ghi chú riêng")),
            f"Hợp tác xã!{letter}1", "Ghi chú riêng")

    def drop(wb):
        wb[COOP_SHEET].delete_cols(3)
    refused(empty, workbook(tmp_path / "c.xlsx", three(), edit=drop), "Thiếu cột “Tên viết tắt”")


def test_merged_cells(empty: Path, tmp_path: Path) -> None:
    refused(empty, workbook(tmp_path / "b.xlsx", three(), edit=lambda wb: wb[COOP_SHEET].merge_cells("D2:D4")),
            "Hợp tác xã!D2:D4", "Ô gộp")


def test_formula(empty: Path, tmp_path: Path) -> None:
    refused(empty, workbook(tmp_path / "b.xlsx", three(), edit=_set(COOP_SHEET, "H3", "=10+2")), "Hợp tác xã!H3", "=10+2")


@pytest.mark.parametrize("typed, ok", [("12/5/2026", True), ("2026-05-12", True), ("12-05-2026", False), ("5/31/2026", False)])
def test_date_typed_as_text(empty: Path, tmp_path: Path, typed: str, ok: bool) -> None:
    book = workbook(tmp_path / "b.xlsx", three(**{"Ngày xác nhận": typed}))
    col = openpyxl.utils.get_column_letter([c.header for c in COOP_COLUMNS].index("Ngày xác nhận") + 1)
    if ok:
        result = htx("import", str(book), "--root", str(empty))
        assert result.exit_code == 0, result.output
        text = (empty / "cooperatives" / "htx-thu-0" / "profile.yml").read_text(encoding="utf-8")
        assert 'xac_nhan_ngay: "12/5/2026"' in text or 'xac_nhan_ngay: "12/05/2026"' in text
    else:
        refused(empty, book, f"Hợp tác xã!{col}2")


def test_phone_stored_as_number(empty: Path, tmp_path: Path) -> None:
    col = openpyxl.utils.get_column_letter([c.header for c in COOP_COLUMNS].index("Điện thoại") + 1)
    result = htx("import", str(workbook(tmp_path / "a.xlsx", three(**{"Điện thoại": 987123456}))), "--root", str(empty))
    assert result.exit_code == 0 and f"Hợp tác xã!{col}2: Cảnh báo:" in result.output and "0987123456" in result.output
    assert "\"0987123456\"" in (empty / "cooperatives" / "htx-thu-0" / "profile.yml").read_text(encoding="utf-8")
    shutil.rmtree(empty / "cooperatives")
    (empty / "cooperatives").mkdir()
    refused(empty, workbook(tmp_path / "b.xlsx", three(**{"Điện thoại": 2963841234})), f"Hợp tác xã!{col}2", "dạng số")


@pytest.mark.parametrize("commune, needle", [("Huyện Thoại Sơn", "cấp huyện đã bỏ"), ("Xã Thoại Sơm", "Xã Thoại Sơn"),
                                             ("Thị trấn Núi Sập", "trước khi sắp xếp")])
def test_unknown_or_old_commune(empty: Path, tmp_path: Path, commune: str, needle: str) -> None:
    col = openpyxl.utils.get_column_letter([c.header for c in COOP_COLUMNS].index("Xã, phường") + 1)
    refused(empty, workbook(tmp_path / "b.xlsx", three(**{"Xã, phường": commune})), f"Hợp tác xã!{col}2", needle)


def test_duplicate_names_slugs_and_product_ids(empty: Path, tmp_path: Path) -> None:
    rows = three()
    rows[2]["Tên hợp tác xã"] = rows[0]["Tên hợp tác xã"].upper()
    rows[1]["Mã hợp tác xã"] = rows[0]["Mã hợp tác xã"]
    output = refused(empty, workbook(tmp_path / "b.xlsx", rows), "Hợp tác xã!A3", "trùng với dòng Hợp tác xã!A2", "Hợp tác xã!B4")
    assert "Hợp tác xã!B4: Cảnh báo: Tên này trùng" in output   # one name, two slugs: two places may share a name
    rows = three()
    rows[2]["Tên hợp tác xã"] = rows[0]["Tên hợp tác xã"]
    result = htx("import", str(workbook(tmp_path / "d.xlsx", rows)), "--root", str(empty))
    assert result.exit_code == 0 and "Cảnh báo: Tên này trùng" in result.output, result.output
    p = PRODUCT | {"Mã hợp tác xã": "htx-thu-0"}
    refused(empty, workbook(tmp_path / "c.xlsx", three(), [p, p | {"Mã hợp tác xã": "htx-thu-1"}]), "Sản phẩm!B3", "rau-muong-my-hoa")


def test_empty_row_in_the_middle(empty: Path, tmp_path: Path) -> None:
    rows = three()
    refused(empty, workbook(tmp_path / "b.xlsx", [rows[0], None, rows[1], rows[2]]), "Hợp tác xã!3", "Dòng 3 trống")


def test_model_errors_reported_by_cell(empty: Path, tmp_path: Path) -> None:
    col = openpyxl.utils.get_column_letter([c.header for c in COOP_COLUMNS].index("Loại hình") + 1)
    out = refused(empty, workbook(tmp_path / "b.xlsx", three(**{"Loại hình": "cong-ty"})), f"Hợp tác xã!{col}2", "[Loại hình]")
    pcol = openpyxl.utils.get_column_letter([c.header for c in PRODUCT_COLUMNS].index("Số sao OCOP") + 1)
    refused(empty, workbook(tmp_path / "c.xlsx", three(), [PRODUCT | {"Mã hợp tác xã": "htx-thu-0", "Số sao OCOP": 6}]), f"Sản phẩm!{pcol}2")


@pytest.mark.parametrize("name, data", [("anh.xlsx", b"\x89PNG\r\n\x1a\n" + b"0" * 100), ("ghi-chu.xlsx", "chỉ là chữ".encode()),
                                        ("hong.xlsx", b"PK\x03\x04 not really a zip"), ("tai-lieu.pdf", b"%PDF-1.4\n"),
                                        ("cu.csv", "Mã hợp tác xã,Tên\nhtx,Hợp tác xã".encode("cp1258", errors="replace") + b"\xff")])
def test_not_a_spreadsheet(empty: Path, tmp_path: Path, name: str, data: bytes) -> None:
    (tmp_path / name).write_bytes(data)
    refused(empty, tmp_path / name, name)


# ---- scale ------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_ten_thousand_rows_time_and_memory(empty: Path, tmp_path: Path) -> None:
    """Prints the figures (not asserted): 10,000 cooperatives in one sheet, dry run."""
    rows = [dict(GOOD, **{"Mã hợp tác xã": f"htx-so-{i:05d}", "Tên hợp tác xã": f"Hợp tác xã Thử số {i:05d}",
                          "Điện thoại": f"0912 {i:03d} {i % 1000:03d}"[:12]}) for i in range(10_000)]
    book = workbook(tmp_path / "lon.xlsx", rows)
    tracemalloc.start()
    start = time.perf_counter()
    plan = plan_import(book, empty / "cooperatives")
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"\n10000 rows: {seconds:.1f} s, peak {peak / 1e6:.0f} MB (traced), file {book.stat().st_size / 1e6:.1f} MB,"
          f" {len(plan.created)} profiles planned, {len(plan.errors)} errors")
    assert len(plan.created) == 10_000 and not plan.errors


@pytest.mark.slow
def test_imported_cooperatives_appear_on_the_built_site(tmp_path: Path) -> None:
    """The issue's "done when": the template filled with 3 cooperatives, imported, and the site shows them."""
    from tests.conftest import MKDOCS, copy_project, run

    project = copy_project(tmp_path / "p", coops=False)
    book = workbook(tmp_path / "ba.xlsx", three(), [PRODUCT | {"Mã hợp tác xã": "htx-thu-0"}])
    result = htx("import", str(book), "--root", str(project))
    assert result.exit_code == 0, result.output
    built = run(MKDOCS + ["build", "--strict"], project)
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-3000:]
    site = project / "site"
    directory = (site / "hop-tac-xa" / "index.html").read_text(encoding="utf-8")
    for slug in ("htx-thu-0", "htx-thu-1", "htx-thu-2"):
        assert (site / "hop-tac-xa" / slug / "index.html").is_file(), slug
        assert f"{slug}/" in directory, slug
    products = list((site / "san-pham" / "htx-thu-0").glob("*/index.html"))
    assert len(products) == 1
    rows = (site / "du-lieu" / "hop-tac-xa.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(rows) == 1 + 3   # the open-data download lists them too
