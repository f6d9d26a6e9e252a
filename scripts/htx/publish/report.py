"""A report staff can hand in (`htx report`): the plan's indicators for a period as XLSX, CSV and a printable A4
HTML page, each stating the period, the day it was made and the data source. Bytes only; the CLI writes them."""
from __future__ import annotations

import csv
import io
from datetime import datetime

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from ..data.text import format_date, format_number
from ..site.indicators import NO_HISTORY, SOURCE, Report
from .opendata import fixed_zip

TITLE = "Báo cáo số liệu trang thông tin hợp tác xã An Giang theo Kế hoạch số 1206/QĐ-UBND"
HEADER = ["Nhiệm vụ", "Chỉ số", "Giá trị", "Cách tính"]


def _heading(report: Report) -> list[list[str]]:
    lines = [[TITLE], [f"Kỳ báo cáo: {report.period_text}"], [f"Ngày lập: {format_date(report.made)}"],
             [f"Nguồn số liệu: {SOURCE}"]]
    if not report.history:
        lines.append([NO_HISTORY])
    return lines


def _month_rows(report: Report) -> list[list[object]]:
    return [[r["label"], "" if r["new_coops"] is None else r["new_coops"],
             "" if r["new_products"] is None else r["new_products"], r["events"], r["posts"]] for r in report.months]


MONTH_HEADER = ["Tháng", "Hợp tác xã mới", "Sản phẩm mới", "Sự kiện đã diễn ra", "Bài tin tức"]
COMMUNE_HEADER = ["Xã, phường, đặc khu", "Hợp tác xã mới", "Sản phẩm mới"]


def report_csv(report: Report) -> bytes:
    """Return the indicators, then the months and communes, as CSV (UTF-8 with BOM, so Excel reads Vietnamese)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows(_heading(report))
    writer.writerow([])
    writer.writerow(HEADER)
    writer.writerows(report.rows())
    writer.writerow([])
    writer.writerow(MONTH_HEADER)
    writer.writerows(_month_rows(report))
    if report.communes:
        writer.writerow([])
        writer.writerow(COMMUNE_HEADER)
        writer.writerows([list(r) for r in report.communes])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def report_xlsx(report: Report) -> bytes:
    """Return a workbook: "Chỉ số" (heading, then the indicators), "Theo tháng", "Theo xã, phường"."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Chỉ số"
    bold = Font(bold=True)
    for line in _heading(report):
        ws.append(line)
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([])
    ws.append(HEADER)
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = bold
    for row in report.rows():
        ws.append(row)
        for cell in ws[ws.max_row]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCD", (34, 46, 10, 70)):
        ws.column_dimensions[letter].width = width
    for title, header, rows in (("Theo tháng", MONTH_HEADER, _month_rows(report)),
                                ("Theo xã, phường", COMMUNE_HEADER, [list(r) for r in report.communes])):
        sheet = wb.create_sheet(title)
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = bold
        sheet.freeze_panes = "A2"
        for row in rows:
            sheet.append(row)
        for i in range(len(header)):
            sheet.column_dimensions[sheet.cell(1, i + 1).column_letter].width = 22
    stamp = datetime(report.made.year, report.made.month, report.made.day)
    wb.properties.creator = "htx"
    wb.properties.title = TITLE
    wb.properties.created = stamp
    buffer = io.BytesIO()
    wb.save(buffer)
    return fixed_zip(buffer.getvalue(), stamp)


def report_html(report: Report) -> bytes:
    """Return a standalone page to print on A4 (print CSS inside; no script, nothing loaded from elsewhere)."""
    env = Environment(loader=PackageLoader("htx.site", "templates"), autoescape=select_autoescape(default=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["number"] = format_number
    html = env.get_template("report.html.j2").render(
        report=report, title=TITLE, source=SOURCE, no_history=NO_HISTORY, made=format_date(report.made),
        months=_month_rows(report), month_header=MONTH_HEADER)
    return html.encode("utf-8")
