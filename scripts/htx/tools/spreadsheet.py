"""Staff's spreadsheets: `htx export`, the template (`htx mau-bang-tinh`) and `htx import`.

The columns are tabular.py's. Import turns each row into the YAML a profile would hold and runs it through
the same reader and validator as `htx validate`, so a cell gets the same message a profile line would; the
problem's path then names the column, and the row its cell (`Hợp tác xã!C14`). Nothing is written unless
every row of every sheet is valid.
"""
from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..data import messages as M
from ..site.catalog import Catalog
from ..data.communes import load_communes
from .issue_form import SCHEMA_COMMENT, Quoted, profile_yaml
from ..data.load import parse_text, read_profiles
from ..data.model import _DATE_ISO, _DATE_VN, Cooperative
from ..publish.tabular import COOP_COLUMNS, LIST_SEPARATOR, PRODUCT_COLUMNS, Column, coop_row, product_row
from ..data.text import fold, suggest
from ..data.validate import validate_all, validate_document
from ..data.vocab import CATEGORIES, KINDS, SECTORS

COOP_SHEET = "Hợp tác xã"
PRODUCT_SHEET = "Sản phẩm"
LIST_SHEET = "Danh sách"
FILES = {"coops": "hop-tac-xa", "products": "san-pham"}
XLSX_NAME = "hop-tac-xa-an-giang.xlsx"
# Keys written unquoted: controlled words, ids and numbers; everything else is free text, double-quoted.
_PLAIN = {"ma", "loai_hinh", "linh_vuc", "danh_muc", "so_thanh_vien", "gia", "ocop.sao", "ocop.nam", "mua_vu",
          "dia_chi.toa_do.vi_do", "dia_chi.toa_do.kinh_do", "ho_so_mau", "noi_bat"}
_PHONE_KEYS = {"lien_he.dien_thoai", "nguoi_dai_dien.dien_thoai", "lien_he.zalo", "nguoi_dai_dien.zalo"}
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
# Columns a sheet may lack: the English ones came with issue 22, after templates had been handed out. A sheet
# without them is read, and an update leaves the English the profiles already have as it is.
_OPTIONAL_PREFIX = "tieng_anh."
# Texts of several lines, kept as written (only the line breaks at their ends dropped).
_LONG_TEXT = ("gioi_thieu", "cau_chuyen", "mo_ta")


# ---- export ---------------------------------------------------------------------------------------


def load_tree(coops: Path, base: Path) -> tuple[list, list]:
    """Return the valid entries under coops (samples included) and the problems that stop an export."""
    docs, p1 = read_profiles(coops, base=base)
    entries, p2 = validate_all(docs, check_images=False)
    catalog, p3 = Catalog.from_entries(entries)
    errors = [p for p in p1 + p2 + p3 if p.severity == "error"]
    return [e for e in sorted(entries, key=lambda e: e.coop.slug) if e.coop.slug in catalog.entries], errors


def export_rows(entries: list, site_url: str, *, personal: bool = False) -> tuple[list[dict], list[dict]]:
    coops = [coop_row(e, site_url, personal=personal) for e in entries]
    products = [product_row(e, p, site_url) for e in entries for p in sorted(e.coop.products, key=lambda p: p.id)]
    return coops, products


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def csv_bytes(columns: tuple[Column, ...], rows: list[dict]) -> bytes:
    """Return a CSV in UTF-8 with BOM (Excel then reads Vietnamese right), CRLF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.header for c in columns])
    for row in rows:
        writer.writerow([_text(row[c.header]) for c in columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def json_bytes(rows: list[dict]) -> bytes:
    return (json.dumps(rows, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def stable_zip(data: bytes) -> bytes:
    """Return an XLSX (a zip) with every member's time fixed: openpyxl stamps the time of writing."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, _FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps `modified` with the time of saving
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + _stamp().encode(), data)
            dst.writestr(fixed, data)
    return out.getvalue()


def _stamp() -> str:
    """Return the build date (SOURCE_DATE_EPOCH if set) as the workbook's time: same input, same bytes."""
    from ..data.dates import build_date

    return build_date().isoformat() + "T00:00:00Z"


def _workbook_bytes(wb: Workbook) -> bytes:
    wb.properties.creator = "htx"
    wb.properties.created = wb.properties.modified = datetime.fromisoformat(_stamp()[:10])
    buf = io.BytesIO()
    wb.save(buf)
    return stable_zip(buf.getvalue())


def _sheet(wb: Workbook, title: str, columns: tuple[Column, ...], rows: list[dict], index: int | None = None):
    ws = wb.create_sheet(title, index)
    ws.append([c.header for c in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    for i, col in enumerate(columns, 1):
        ws.column_dimensions[get_column_letter(i)].width = max(12, min(40, len(col.header) + 4))
    for row in rows:
        # Everything but numbers goes in as text: a date stays `2026-05-12`, a phone keeps its leading zero.
        ws.append([row[c.header] if isinstance(row[c.header], (int, float)) and not isinstance(row[c.header], bool)
                   else (_text(row[c.header]) or None) for c in columns])
    return ws


def xlsx_bytes(coops: list[dict], products: list[dict]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    _sheet(wb, COOP_SHEET, COOP_COLUMNS, coops)
    _sheet(wb, PRODUCT_SHEET, PRODUCT_COLUMNS, products)
    return _workbook_bytes(wb)


def export(entries: list, out: Path, fmt: str, site_url: str, *, personal: bool = False) -> list[Path]:
    """Write the export files of entries in out; return their paths."""
    coops, products = export_rows(entries, site_url, personal=personal)
    out.mkdir(parents=True, exist_ok=True)
    if fmt == "xlsx":
        files = {out / XLSX_NAME: xlsx_bytes(coops, products)}
    elif fmt == "json":
        files = {out / f"{FILES['coops']}.json": json_bytes(coops), out / f"{FILES['products']}.json": json_bytes(products)}
    else:
        files = {out / f"{FILES['coops']}.csv": csv_bytes(COOP_COLUMNS, coops),
                 out / f"{FILES['products']}.csv": csv_bytes(PRODUCT_COLUMNS, products)}
    for path, data in files.items():
        path.write_bytes(data)
    return list(files)


# ---- the template ---------------------------------------------------------------------------------


def template_bytes() -> bytes:
    """Return the template workbook: the two sheets with hints on every column, drop-down lists from a
    hidden sheet (communes, kinds, categories, sectors), OCOP stars 3/4/5 and yes/no."""
    wb = Workbook()
    wb.remove(wb.active)
    lists = {
        "communes": [u.name for u in load_communes()],
        "kinds": list(KINDS), "categories": list(CATEGORIES), "sectors": list(SECTORS),
    }
    hidden = wb.create_sheet(LIST_SHEET)
    refs = {}
    for i, (name, values) in enumerate(lists.items(), 1):
        letter = get_column_letter(i)
        hidden.cell(1, i, name)
        for r, value in enumerate(values, 2):
            hidden.cell(r, i, value)
        refs[name] = f"'{LIST_SHEET}'!${letter}$2:${letter}${len(values) + 1}"
    hidden.sheet_state = "hidden"
    choices = {"loai_hinh": refs["kinds"], "danh_muc": refs["categories"], "dia_chi.xa_phuong": refs["communes"],
               "noi_san_xuat": refs["communes"], "ocop.sao": '"3,4,5"', "ho_so_mau": '"có,không"', "noi_bat": '"có,không"'}
    for title, columns in ((COOP_SHEET, COOP_COLUMNS), (PRODUCT_SHEET, PRODUCT_COLUMNS)):
        ws = _sheet(wb, title, columns, [], index=len(wb.sheetnames) - 1)
        for i, col in enumerate(columns, 1):
            letter = get_column_letter(i)
            prompt = M.text("sheet_derived_prompt") if col.derived and col.key != "~hop_tac_xa" else col.description
            if col.example and col.example not in prompt:   # the English fields' descriptions quote theirs
                prompt += " " + M.text("sheet_example", example=col.example)
            if col.is_list:
                prompt += " " + M.text("sheet_list_prompt")
            if col.key.startswith(_OPTIONAL_PREFIX):
                # An empty English unit is translated by the page (its description says so), not shown in Vietnamese.
                prompt += " " + M.text("sheet_optional_prompt" if col.key == "tieng_anh.don_vi" else "sheet_english_prompt")
            formula = choices.get(col.key)
            dv = DataValidation(type="list" if formula else None, formula1=formula, allow_blank=True,
                                showInputMessage=True, showErrorMessage=bool(formula),
                                promptTitle=col.header[:32], prompt=prompt[:255])
            dv.add(f"{letter}2:{letter}10001")
            ws.add_data_validation(dv)
            ws.cell(1, i).alignment = Alignment(wrap_text=True)
    wb.move_sheet(LIST_SHEET, offset=len(wb.sheetnames) - 1 - wb.sheetnames.index(LIST_SHEET))
    wb.active = 0
    return _workbook_bytes(wb)


# ---- import: reading ------------------------------------------------------------------------------


@dataclass
class Issue:
    where: str       # "Hợp tác xã!C14", or the file
    message: str
    hint: str = ""
    severity: str = "error"

    def show(self) -> str:
        head = "Cảnh báo" if self.severity == "warning" else "Lỗi"
        return f"{self.where}: {head}: {self.message}" + (f"\n  Gợi ý: {self.hint}" if self.hint else "")


@dataclass
class Sheet:
    name: str
    header: list[str]
    rows: list[tuple[int, list[Any]]]    # (1-based row number, values)


@dataclass
class Plan:
    created: dict[str, str] = field(default_factory=dict)       # slug → profile text
    changed: dict[str, str] = field(default_factory=dict)       # slug → new profile text
    diffs: dict[str, list[str]] = field(default_factory=dict)   # slug → lines "field: old → new"
    issues: list[Issue] = field(default_factory=list)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]


def _ref(sheet: str, col: int, row: int) -> str:
    return f"{sheet}!{get_column_letter(col)}{row}"


def read_file(path: Path) -> tuple[list[Sheet], list[Issue]]:
    """Return the sheets of an XLSX or CSV file, or the issues that stop reading it."""
    name = path.name
    suffix = path.suffix.lower()
    try:
        data = path.read_bytes()
    except OSError:
        return [], [Issue(name, M.text("sheet_unreadable"), M.text("sheet_not_spreadsheet_hint"))]
    if suffix == ".csv":
        return _read_csv(data, name)
    if suffix != ".xlsx" or not data.startswith(b"PK"):
        return [], [Issue(name, M.text("sheet_not_spreadsheet"), M.text("sheet_not_spreadsheet_hint"))]
    try:
        wb = load_workbook(io.BytesIO(data), data_only=False)
    except Exception:  # a broken zip or not an Office file: openpyxl raises many kinds
        return [], [Issue(name, M.text("sheet_not_spreadsheet"), M.text("sheet_not_spreadsheet_hint"))]
    sheets, issues = [], []
    for ws in wb.worksheets:
        if ws.title == LIST_SHEET:
            continue
        for merged in ws.merged_cells.ranges:
            issues.append(Issue(f"{ws.title}!{merged.coord}", M.text("sheet_merged", range=merged.coord), M.text("sheet_merged_hint")))
        rows = []
        header: list[str] = []
        for r, cells in enumerate(ws.iter_rows(), 1):
            values = []
            for c, cell in enumerate(cells, 1):
                if cell.data_type == "f":
                    issues.append(Issue(_ref(ws.title, c, r), M.text("sheet_formula", formula=str(cell.value)[:60]), M.text("sheet_formula_hint")))
                    values.append(None)
                else:
                    values.append(cell.value)
            if r == 1:
                header = ["" if v is None else str(v).strip() for v in values]
            else:
                rows.append((r, values))
        sheets.append(Sheet(ws.title, header, rows))
    return sheets, issues


def _read_csv(data: bytes, name: str) -> tuple[list[Sheet], list[Issue]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [Issue(name, M.text("sheet_csv_not_utf8"), M.text("sheet_csv_not_utf8_hint"))]
    if "\x00" in text:
        return [], [Issue(name, M.text("sheet_not_spreadsheet"), M.text("sheet_not_spreadsheet_hint"))]
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return [], [Issue(name, M.text("sheet_empty"), M.text("sheet_not_spreadsheet_hint"))]
    header = [h.strip() for h in rows[0]]
    # A CSV holds one sheet: the products' if its second column is the product id.
    title = PRODUCT_SHEET if len(header) > 1 and header[1] == PRODUCT_COLUMNS[1].header else COOP_SHEET
    return [Sheet(title, header, [(r, [v if v != "" else None for v in row]) for r, row in enumerate(rows[1:], 2)])], []


def check_header(sheet: Sheet, columns: tuple[Column, ...]) -> tuple[dict[str, int], list[Issue]]:
    """Return header → column index (1-based) and the issues of a wrong, extra or missing column."""
    expected = [c.header for c in columns]
    issues, index = [], {}
    for i, text in enumerate(sheet.header, 1):
        if not text:
            # An empty header with values under it is an extra column; an empty trailing one is nothing.
            if any(i <= len(v) and v[i - 1] not in (None, "") for _, v in sheet.rows):
                issues.append(Issue(_ref(sheet.name, i, 1), M.text("sheet_header_empty"), M.text("sheet_header_extra_hint")))
            continue
        if text in index:
            issues.append(Issue(_ref(sheet.name, i, 1), M.text("sheet_header_twice", header=text), M.text("sheet_header_extra_hint")))
        elif text in expected:
            index[text] = i
        else:
            guess = suggest(text, [h for h in expected if h not in sheet.header])
            hint = M.text("sheet_header_wrong_hint", suggestion=guess) if guess else M.text("sheet_header_extra_hint")
            issues.append(Issue(_ref(sheet.name, i, 1), M.text("sheet_header_unknown", header=text), hint))
    for h in expected:
        if h not in index and not any(c.header == h and c.key.startswith(_OPTIONAL_PREFIX) for c in columns):
            issues.append(Issue(f"{sheet.name}!1", M.text("sheet_header_missing", header=h), M.text("sheet_header_missing_hint")))
    return index, issues


# ---- import: cells → profile ----------------------------------------------------------------------


def _fmt_date(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def cell_text(col: Column, value: Any, where: str, issues: list[Issue]) -> Any:
    """Return what a profile would hold for a cell (text, or a list of texts), or None for an empty cell.

    Repairs only what is unambiguous, each with a warning: a phone that lost its leading zero to a number
    cell, an Excel date. Text left as written goes to the model, which gives the usual message.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if col.key in _PHONE_KEYS and isinstance(value, (int, float)) and not isinstance(value, bool):
        digits = str(int(value)) if float(value).is_integer() else ""
        if len(digits) == 9 and digits[0] in "35789":
            fixed = "0" + digits
            issues.append(Issue(where, M.text("sheet_phone_repaired", got=digits, fixed=fixed), M.text("sheet_phone_hint"), "warning"))
            return [Quoted(fixed)] if col.is_list else Quoted(fixed)
        issues.append(Issue(where, M.text("sheet_phone_number", got=digits or value), M.text("sheet_phone_hint")))
        return None
    if col.type == "date":
        if isinstance(value, datetime):
            return Quoted(_fmt_date(value.date()))
        if isinstance(value, date):
            return Quoted(_fmt_date(value))
        text = str(value).strip()
        if m := _DATE_ISO.match(text):
            try:
                return Quoted(_fmt_date(date(int(m[1]), int(m[2]), int(m[3]))))
            except ValueError:
                pass
        elif _DATE_VN.match(text):
            return Quoted(text)  # dd/mm/yyyy is the profiles' own form: the model checks it
        issues.append(Issue(where, M.text("sheet_date_text", got=text), M.text("sheet_date_hint")))
        return None
    if col.type == "boolean":
        # Written as the profiles write it; text the model does not know is left for its message.
        folded = fold(str(value).strip())
        return "có" if value is True or folded in ("true", "co", "yes", "x") else "không" if value is False or folded in ("false", "khong", "no") else Quoted(str(value))
    if isinstance(value, float) and value.is_integer() and col.type != "number":
        value = int(value)
    if isinstance(value, (int, float)) and col.type in ("integer", "number"):
        return value  # written plain (18, 10.7058); the profile reader takes numbers as text anyway
    if isinstance(value, (int, float)):
        return str(value) if col.key in _PLAIN else Quoted(str(value))
    text = str(value).strip()
    if col.is_list:
        parts = [p.strip() for p in re.split(r"[;\n]+", text) if p.strip()]
        return [p if col.key in _PLAIN else Quoted(p) for p in parts]
    if col.key in _PLAIN:
        return text
    return Quoted(str(value).strip("\n") if col.key.rsplit(".", 1)[-1] in _LONG_TEXT else text)


def _put(target: dict, key: str, value: Any) -> None:
    *parents, last = key.split(".")
    for part in parents:
        target = target.setdefault(part, {})
    target[last] = value


def _is_empty(values: list[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


@dataclass
class Record:
    sheet: str
    row: int
    data: dict
    cells: dict[str, str]       # column key → "Sheet!C14"
    first: str


def sheet_records(sheet: Sheet, columns: tuple[Column, ...], index: dict[str, int], issues: list[Issue]) -> list[Record]:
    """Return one record per non-empty row; an empty row between filled ones is an error (a row deleted by
    mistake, or a list cut in two), trailing empty rows are nothing."""
    last = max((r for r, v in sheet.rows if not _is_empty(v)), default=0)
    records = []
    for r, values in sheet.rows:
        if _is_empty(values):
            if r < last:
                issues.append(Issue(f"{sheet.name}!{r}", M.text("sheet_empty_row", row=r), M.text("sheet_empty_row_hint")))
            continue
        data: dict = {}
        cells = {}
        for col in columns:
            i = index.get(col.header)
            if i is None:
                continue
            where = _ref(sheet.name, i, r)
            cells[col.key] = where
            if col.derived and col.key != "~hop_tac_xa":
                continue
            value = cell_text(col, values[i - 1] if i <= len(values) else None, where, issues)
            if value is None or (col.type == "boolean" and value == "không" and col.key in ("ho_so_mau", "noi_bat")):
                continue
            if col.key == "~hop_tac_xa":
                data["~hop_tac_xa"] = str(value)
            else:
                _put(data, col.key, value)
        records.append(Record(sheet.name, r, data, cells, _ref(sheet.name, 1, r)))
    return records


def _cell_of(path: str, coop: Record, products: dict[int, Record | None]) -> tuple[str, str]:
    """Return the cell and the column header a problem's path names ("san_pham[1].gia" → Sản phẩm!G5);
    a problem in a part of a profile the sheet does not hold is shown at the row's first cell."""
    m = re.match(r"san_pham\[(\d+)\]\.?(.*)", path)
    record, columns, rest = (coop, COOP_COLUMNS, path)
    if m:
        record, columns, rest = products.get(int(m[1])) or coop, PRODUCT_COLUMNS, m[2]
    key = re.sub(r"\[\d+\]", "", rest)
    for col in columns:
        if col.key == key or (key and col.key.startswith(key + ".")):
            return record.cells.get(col.key, record.first), col.header
    return record.first, ""


def _profile_of(coop: Record, products: list[Record]) -> dict:
    """Return the profile of a row in the template's key order, its products after it."""
    order = [f.alias for f in Cooperative.model_fields.values()]
    data = {k: coop.data[k] for k in sorted(coop.data, key=lambda k: order.index(k) if k in order else len(order))}
    if products:
        data["san_pham"] = [{k: v for k, v in p.data.items() if k != "~hop_tac_xa"} for p in products]
    return data


def _scalars(data: Any, prefix: str = "") -> dict[str, str]:
    """Return the leaves of a profile (column fields only) as path → text, for a per-field diff."""
    out: dict[str, str] = {}
    if isinstance(data, dict):
        for k, v in data.items():
            out.update(_scalars(v, f"{prefix}{k}."))
    elif isinstance(data, list) and all(not isinstance(v, (dict, list)) for v in data):
        out[prefix[:-1]] = LIST_SEPARATOR.join(str(v) for v in data)
    elif isinstance(data, list):
        for i, v in enumerate(data):
            key = v.get("ma", i) if isinstance(v, dict) else i
            out.update(_scalars(v, f"{prefix[:-1]}[{key}]."))
    else:
        out[prefix[:-1]] = str(data)
    return out


def _column_paths() -> set[str]:
    return {c.key for c in COOP_COLUMNS if not c.derived}


def plan_import(path: Path, coops_dir: Path, *, update: bool = False) -> Plan:
    """Return what importing path into coops_dir would create and change, and every issue found."""
    plan = Plan()
    sheets, issues = read_file(path)
    plan.issues += issues
    if not sheets:
        return plan
    by_name = {s.name: s for s in sheets}
    if COOP_SHEET not in by_name and PRODUCT_SHEET not in by_name:
        plan.issues.append(Issue(path.name, M.text("sheet_missing", names=", ".join(by_name) or "—"), M.text("sheet_missing_hint")))
        return plan
    coop_records: list[Record] = []
    product_records: list[Record] = []
    absent: dict[str, set[str]] = {COOP_SHEET: set(), PRODUCT_SHEET: set()}   # keys of the optional columns left out
    for name, columns, bucket in ((COOP_SHEET, COOP_COLUMNS, coop_records), (PRODUCT_SHEET, PRODUCT_COLUMNS, product_records)):
        if name not in by_name:
            continue
        index, found = check_header(by_name[name], columns)
        absent[name] = {c.key for c in columns if c.header not in index}
        plan.issues += found
        if not found:
            bucket += sheet_records(by_name[name], columns, index, plan.issues)
    if plan.errors:
        return plan
    _check_duplicates(coop_records, product_records, coops_dir, plan)
    products_of: dict[str, list[Record]] = {}
    slugs = {str(r.data.get("ma", "")) for r in coop_records}
    for p in product_records:
        owner = p.data.get("~hop_tac_xa", "")
        if owner not in slugs:
            existing = _existing(coops_dir, owner)
            if existing is None:
                plan.issues.append(Issue(p.cells.get("~hop_tac_xa", p.first), M.text("sheet_product_owner", slug=owner or "—"), M.text("sheet_product_owner_hint")))
                continue
            # Products of a cooperative already on the site: its profile as written stands for its row.
            slugs.add(owner)
            coop_records.append(Record(p.sheet, p.row, {k: v for k, v in existing.items() if k != "san_pham"}, {}, p.first))
        products_of.setdefault(owner, []).append(p)
    for rec in coop_records:
        slug = str(rec.data.get("ma", ""))
        products = products_of.get(slug, [])
        profile = _profile_of(rec, products)
        folder = coops_dir / slug if re.fullmatch(r"[a-z0-9-]+", slug) else coops_dir / "_"
        target = folder / "profile.yml"
        old_text = target.read_text(encoding="utf-8") if target.is_file() else None
        # What is checked is what would be written: for a profile on the site, the profile with the row merged in.
        merged = _merge(_existing(coops_dir, slug) or {}, profile, absent) if old_text is not None else profile
        text = profile_yaml(_quoted(merged) if old_text is not None else profile)
        doc, problems = parse_text(text, f"{rec.sheet}!{rec.row}", folder)
        if doc is not None:
            _, more = validate_document(doc, check_images=False)
            problems += more
        by_index = {i: next((r for r in products if r.data.get("ma") == p.get("ma")), None)
                    for i, p in enumerate(merged.get("san_pham") or []) if isinstance(p, dict)}
        for p in problems:
            where, header = _cell_of(p.path, rec, by_index)
            label = f"[{header}] " if header else ""
            plan.issues.append(Issue(where, label + p.message, p.hint, p.severity))
        if old_text is not None:
            _plan_update(slug, old_text, merged, text, rec, plan, update)
        else:
            plan.created[slug] = text
    return plan


def _existing(coops_dir: Path, slug: str) -> dict | None:
    """Return the data of the profile of slug on the site (values as text), or None."""
    target = coops_dir / slug / "profile.yml"
    if not re.fullmatch(r"[a-z0-9-]+", slug or "") or not target.is_file():
        return None
    doc, _ = parse_text(target.read_text(encoding="utf-8"), str(target), target.parent)
    return doc.data if doc is not None and isinstance(doc.data, dict) else None


def _check_duplicates(coops: list[Record], products: list[Record], coops_dir: Path, plan: Plan) -> None:
    seen_slug: dict[str, str] = {}
    seen_name: dict[str, str] = {}
    for r in coops:
        slug, name = str(r.data.get("ma", "")), fold(str(r.data.get("ten", ""))).strip()
        if slug and slug in seen_slug:
            plan.issues.append(Issue(r.cells.get("ma", r.first), M.text("sheet_duplicate_slug", slug=slug, other=seen_slug[slug]), M.text("sheet_duplicate_hint")))
        if name and name in seen_name:
            # Two cooperatives of one name in two communes are real (their slugs differ): a warning to look,
            # not a refusal. The same cooperative twice shares its slug, refused above.
            plan.issues.append(Issue(r.cells.get("ten", r.first), M.text("sheet_duplicate_name", other=seen_name[name]),
                                     M.text("sheet_duplicate_name_hint"), severity="warning"))
        seen_slug.setdefault(slug, r.cells.get("ma", r.first))
        seen_name.setdefault(name, r.cells.get("ten", r.first))
    # Product ids are unique across the whole site: within the sheet, and against other cooperatives' profiles.
    owners: dict[str, str] = {}
    if coops_dir.is_dir():
        docs, _ = read_profiles(coops_dir)
        for doc in docs:
            for p in doc.data.get("san_pham") or [] if isinstance(doc.data, dict) else []:
                if isinstance(p, dict) and isinstance(p.get("ma"), str):
                    owners.setdefault(p["ma"], str(doc.data.get("ma")))
    seen_id: dict[str, str] = {}
    for r in products:
        pid, owner = str(r.data.get("ma", "")), r.data.get("~hop_tac_xa", "")
        where = r.cells.get("ma", r.first)
        if pid in seen_id:
            plan.issues.append(Issue(where, M.text("sheet_duplicate_product", id=pid, other=seen_id[pid]), M.text("sheet_duplicate_hint")))
        elif pid in owners and owners[pid] != owner:
            plan.issues.append(Issue(where, M.text("sheet_product_taken", id=pid, slug=owners[pid]), M.text("sheet_duplicate_hint")))
        seen_id.setdefault(pid, where)


def _plan_update(slug: str, old_text: str, merged: dict, text: str, rec: Record, plan: Plan, update: bool) -> None:
    """Diff an existing profile with its row; with `update`, plan the rewrite of a profile without comments.

    Only the fields the sheet has columns for are compared and changed; the rest of the profile (photos,
    channels, certifications…) is kept, and products not in the sheet too. A hand-written profile with
    comments is never rewritten: a rewrite would lose them, so staff edit that one by hand.
    """
    doc, _ = parse_text(old_text, slug, None)
    old = doc.data if doc is not None else {}
    before, after = _scalars(old), _scalars(merged)
    lines = [f"{k}: {before.get(k, '—')} → {after.get(k, '—')}" for k in sorted(set(before) | set(after)) if before.get(k) != after.get(k)]
    if not lines:
        return
    plan.diffs[slug] = lines
    if not update:
        return
    comments = [line for line in old_text.splitlines() if line.lstrip().startswith("#") and line.strip() != SCHEMA_COMMENT]
    if comments:
        plan.issues.append(Issue(rec.first, M.text("sheet_update_comments", slug=slug), M.text("sheet_update_comments_hint", file=f"{slug}/profile.yml")))
        return
    plan.changed[slug] = text


def _merge(old: dict, new: dict, absent: dict[str, set[str]] | None = None) -> dict:
    """Return old with the sheet's fields set from new; products matched by id, others kept.

    absent: per sheet, the keys of the optional columns the sheet does not have; those fields are kept.
    """
    absent = absent or {}
    out = dict(old)
    for col in COOP_COLUMNS:
        if col.derived or col.key in absent.get(COOP_SHEET, ()):
            continue
        _set_path(out, col.key, _get_path(new, col.key))
    if "san_pham" in new or "san_pham" in old:
        products = [dict(p) for p in old.get("san_pham") or [] if isinstance(p, dict)]
        by_id = {p.get("ma"): p for p in products}
        for p in new.get("san_pham", []):
            if p["ma"] in by_id:
                target = by_id[p["ma"]]
                for col in PRODUCT_COLUMNS:
                    if not col.derived and col.key not in absent.get(PRODUCT_SHEET, ()):
                        _set_path(target, col.key, _get_path(p, col.key))
            else:
                products.append(p)
        out["san_pham"] = products
    return out


def _get_path(data: dict, key: str) -> Any:
    for part in key.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def _set_path(data: dict, key: str, value: Any) -> None:
    *parents, last = key.split(".")
    for part in parents:
        if value is None and not isinstance(data.get(part), dict):
            return
        data = data.setdefault(part, {}) if isinstance(data.get(part), dict) or part not in data else data[part]
    if value is None:
        data.pop(last, None)
    else:
        data[last] = value


def _quoted(data: Any, key: str = "") -> Any:
    """Return profile data read back as text, free text double-quoted again for the rewrite."""
    if isinstance(data, dict):
        return {k: _quoted(v, k) for k, v in data.items()}
    if isinstance(data, list):
        return [_quoted(v, key) for v in data]
    if isinstance(data, str) and not isinstance(data, Quoted) and key not in {"ma", "loai_hinh", "linh_vuc", "danh_muc", "loai", "sao", "nam", "mua_vu", "so_thanh_vien"}:
        return Quoted(data)
    return data


def apply(plan: Plan, coops_dir: Path) -> list[Path]:
    written = []
    for slug, text in {**plan.created, **plan.changed}.items():
        target = coops_dir / slug / "profile.yml"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written
