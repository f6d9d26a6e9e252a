"""Publish stage: the catalog as open data under /du-lieu/ (CSV, JSON, XLSX, GeoJSON, a Frictionless Data
Package and the profile's JSON Schema), and the page block that lists the files and the data dictionary.

Made from the same validated catalog as the pages, row by row through htx.publish.tabular (which reads public_coop:
no personal value without consent). The bytes depend on the catalog and its build date only, so two builds
of the same input publish the same files.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Sequence

from markupsafe import Markup, escape

from ..site.catalog import Catalog, public_coop
from ..data.model import profile_json_schema
from ..data.text import format_date

FOLDER = "du-lieu"
LICENSE = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
           "title": "Creative Commons Ghi công 4.0 Quốc tế (CC BY 4.0)"}
COOP_KEY, PRODUCT_KEY = "Mã hợp tác xã", "Mã sản phẩm"
# What each file is, in the order the page lists them: name → (format, media type, Vietnamese description).
FILES: dict[str, tuple[str, str, str]] = {
    "hop-tac-xa.csv": ("csv", "text/csv", "Danh sách hợp tác xã, mỗi dòng một hợp tác xã"),
    "san-pham.csv": ("csv", "text/csv", "Danh sách sản phẩm, mỗi dòng một sản phẩm"),
    "du-lieu.xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     "Bảng tính hai trang: Hợp tác xã và Sản phẩm"),
    "hop-tac-xa.json": ("json", "application/json", "Hợp tác xã dạng JSON (mảng các đối tượng)"),
    "san-pham.json": ("json", "application/json", "Sản phẩm dạng JSON (mảng các đối tượng)"),
    "hop-tac-xa.geojson": ("geojson", "application/geo+json", "Vị trí các hợp tác xã có tọa độ (GeoJSON)"),
    "datapackage.json": ("json", "application/json", "Mô tả gói dữ liệu (Frictionless Data Package)"),
    "profile.schema.json": ("json", "application/schema+json", "Lược đồ JSON của hồ sơ hợp tác xã"),
}
SHEETS = ("Hợp tác xã", "Sản phẩm")
# Fixed dates inside the XLSX: the zip entries' time (DOS epoch) and the document properties (the build date).
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass
class OpenData:
    """The files of /du-lieu/ as bytes, with what the page says about them."""

    today: date
    site_url: str
    counts: dict[str, int]                      # "cooperatives", "products", "located"
    files: dict[str, bytes] = field(default_factory=dict)
    coop_columns: Sequence[Any] = ()
    product_columns: Sequence[Any] = ()

    def url(self, name: str = "") -> str:
        return f"{self.site_url.rstrip('/')}/{FOLDER}/{name}" if self.site_url else f"/{FOLDER}/{name}"

    def write(self, site_dir: Path) -> None:
        folder = site_dir / FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in self.files.items():
            (folder / name).write_bytes(data)


def cell_text(value: object) -> str:
    """Return a cell as CSV text: empty for None, ISO dates, `true`/`false` (Frictionless' defaults)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def json_value(value: object) -> object:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def csv_bytes(columns: Sequence[Any], rows: list[dict[str, object]]) -> bytes:
    """Return rows as CSV: UTF-8 with a BOM (Excel reads Vietnamese right), CRLF line ends (RFC 4180)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    headers = [c.header for c in columns]
    writer.writerow(headers)
    for row in rows:
        writer.writerow([cell_text(row.get(h)) for h in headers])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def json_bytes(data: object) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n").encode("utf-8")


def rows_json(columns: Sequence[Any], rows: list[dict[str, object]]) -> bytes:
    headers = [c.header for c in columns]
    return json_bytes([{h: json_value(row.get(h)) for h in headers} for row in rows])


JSON_TYPES = {"integer": "integer", "number": "number", "boolean": "boolean"}


def json_schema(columns: Sequence[Any], title: str) -> dict[str, object]:
    """Return the JSON Schema of a JSON download (an array of objects, one property per column)."""
    props: dict[str, object] = {}
    for c in columns:
        prop: dict[str, object] = {"type": [JSON_TYPES.get(c.type, "string"), "null"], "description": c.description}
        if c.type == "date":
            prop["format"] = "date"
        props[c.header] = prop
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": title, "type": "array",
            "items": {"type": "object", "properties": props, "required": [c.header for c in columns],
                      "additionalProperties": False}}


def xlsx_bytes(sheets: list[tuple[str, Sequence[Any], list[dict[str, object]]]], day: date) -> bytes:
    """Return a workbook with one sheet per (title, columns, rows): bold header, frozen top row, fixed dates."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter
    from openpyxl.styles import Font

    # Write-only mode streams rows (a national catalog: ~3× faster than building every cell object first).
    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, columns, rows in sheets:
        ws = wb.create_sheet(title)
        ws.freeze_panes = "A2"
        for i, c in enumerate(columns, start=1):
            ws.column_dimensions[get_column_letter(i)].width = max(12, min(40, len(c.header) + 4))
        header = []
        for c in columns:
            cell = WriteOnlyCell(ws, value=c.header)
            cell.font = bold
            header.append(cell)
        ws.append(header)
        for row in rows:
            ws.append([json_value(row.get(c.header)) if row.get(c.header) is not None else None for c in columns])
    stamp = datetime(day.year, day.month, day.day)
    wb.properties.creator = "htx"
    wb.properties.created = stamp
    buffer = io.BytesIO()
    wb.save(buffer)
    return fixed_zip(buffer.getvalue(), stamp)


def fixed_zip(data: bytes, stamp: datetime) -> bytes:
    """Return the zip with every entry dated ZIP_TIME, in name order, and the core properties' dates set to
    stamp: openpyxl writes the time of saving in both (save_workbook sets `modified` to now)."""
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():   # [Content_Types].xml first, as Excel expects: keep openpyxl's order
            body = src.read(name)
            if name == "docProps/core.xml":
                text = body.decode("utf-8")
                text = re.sub(r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)", rf"\g<1>{iso}\g<3>", text)
                body = text.encode("utf-8")
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, body)
    return out.getvalue()


def geojson_bytes(catalog: Catalog, site_url: str) -> tuple[bytes, int]:
    """Return the cooperatives with coordinates as a FeatureCollection (Point [lon, lat]), and their number."""
    base = site_url.rstrip("/") + "/" if site_url else "/"
    features = []
    for entry in sorted(catalog.entries.values(), key=lambda e: e.coop.slug):
        coop = public_coop(entry.coop)
        where = coop.address.coordinates
        if where is None:
            continue
        features.append({"type": "Feature", "id": coop.slug,
                         "geometry": {"type": "Point", "coordinates": [where.lon, where.lat]},
                         "properties": {COOP_KEY: coop.slug, "Tên": coop.name, "Mã xã, phường": entry.commune.code,
                                        "Xã, phường": entry.commune.name,
                                        "Địa chỉ trang": f"{base}hop-tac-xa/{coop.slug}/"}})
    return json_bytes({"type": "FeatureCollection", "features": features}), len(features)


def fields(columns: Sequence[Any]) -> list[dict[str, object]]:
    out = []
    for c in columns:
        f: dict[str, object] = {"name": c.header, "type": c.type, "description": c.description}
        if c.type == "date":
            f["format"] = "default"
        out.append(f)
    return out


def datapackage(data: OpenData, operator: str) -> dict[str, object]:
    """Return the Frictionless Data Package descriptor of the files (datapackage.json)."""
    coop_schema = {"fields": fields(data.coop_columns), "primaryKey": [COOP_KEY]}
    product_schema = {"fields": fields(data.product_columns), "primaryKey": [COOP_KEY, PRODUCT_KEY],
                      "foreignKeys": [{"fields": [COOP_KEY], "reference": {"resource": "hop-tac-xa", "fields": [COOP_KEY]}}]}

    def resource(name: str, file: str, **extra: object) -> dict[str, object]:
        fmt, media, title = FILES[file]
        res: dict[str, object] = {"name": name, "path": file, "title": title, "format": fmt, "mediatype": media,
                                  "encoding": "utf-8", "bytes": len(data.files[file])}
        res.update(extra)
        return {k: v for k, v in res.items() if v is not None}

    return {
        "name": "hop-tac-xa-an-giang",
        "title": "Hợp tác xã và sản phẩm tỉnh An Giang",
        "description": "Danh sách hợp tác xã, tổ hợp tác và sản phẩm đăng trên trang, tạo tự động từ hồ sơ mỗi lần "
                       "trang được cập nhật. Không có thông tin cá nhân khi người đó chưa đồng ý công khai.",
        "homepage": data.url(),
        "licenses": [LICENSE],
        "contributors": [{"title": operator, "role": "publisher"}] if operator else [],
        "created": f"{data.today.isoformat()}T00:00:00Z",
        "resources": [
            resource("hop-tac-xa", "hop-tac-xa.csv", encoding="utf-8-sig", type="table", scheme="file",
                     dialect={"csv": {"delimiter": ",", "lineTerminator": "\r\n"}}, schema=coop_schema),
            resource("san-pham", "san-pham.csv", encoding="utf-8-sig", type="table", scheme="file",
                     dialect={"csv": {"delimiter": ",", "lineTerminator": "\r\n"}}, schema=product_schema),
            resource("hop-tac-xa-json", "hop-tac-xa.json", type="file", scheme="file"),
            resource("san-pham-json", "san-pham.json", type="file", scheme="file"),
            resource("du-lieu-xlsx", "du-lieu.xlsx", type="file", scheme="file", encoding=None),
            resource("hop-tac-xa-geojson", "hop-tac-xa.geojson", type="file", scheme="file"),
            resource("profile-schema", "profile.schema.json", type="file", scheme="file"),
        ],
    }


def build_open_data(catalog: Catalog, site_url: str, *, operator: str = "") -> OpenData:
    """Return the open-data files of a validated catalog (htx.publish.tabular's columns and rows)."""
    from . import tabular

    coops = tabular.coop_rows(catalog, site_url)
    products = tabular.product_rows(catalog, site_url)
    data = OpenData(catalog.today, site_url, {"cooperatives": len(coops), "products": len(products)},
                    coop_columns=tabular.COOP_COLUMNS, product_columns=tabular.PRODUCT_COLUMNS)
    files = data.files
    files["hop-tac-xa.csv"] = csv_bytes(tabular.COOP_COLUMNS, coops)
    files["san-pham.csv"] = csv_bytes(tabular.PRODUCT_COLUMNS, products)
    files["du-lieu.xlsx"] = xlsx_bytes([(SHEETS[0], tabular.COOP_COLUMNS, coops),
                                        (SHEETS[1], tabular.PRODUCT_COLUMNS, products)], catalog.today)
    files["hop-tac-xa.json"] = rows_json(tabular.COOP_COLUMNS, coops)
    files["san-pham.json"] = rows_json(tabular.PRODUCT_COLUMNS, products)
    files["hop-tac-xa.geojson"], data.counts["located"] = geojson_bytes(catalog, site_url)
    # The schema the build validated against, as `htx schema` writes cooperatives/profile.schema.json.
    files["profile.schema.json"] = (json.dumps(profile_json_schema(), ensure_ascii=False, indent=2, sort_keys=True)
                                    + "\n").encode("utf-8")
    files["datapackage.json"] = b""   # its own size is not in it; placed here to keep the listing's order
    files["datapackage.json"] = json_bytes(datapackage(data, operator))
    data.files = {name: files[name] for name in FILES}
    return data


def cached_open_data(catalog: Catalog, site_url: str, *, operator: str = "", folder: Path | None = None) -> OpenData:
    """build_open_data, kept in folder under a key of its inputs: every published profile's key (its bytes,
    photos, today, htx's code: htx.data.profile_cache), the site's address and the operator. A national
    catalog's spreadsheet alone takes seconds to write; an unchanged catalog reuses the files."""
    digests = [entry.digest for entry in catalog.cooperatives]
    if folder is None or not all(digests):
        return build_open_data(catalog, site_url, operator=operator)
    key = hashlib.sha256("\0".join([site_url, operator, str(catalog.today), *digests]).encode()).hexdigest()
    kept = folder / key
    try:
        meta = json.loads((kept / "counts.json").read_text(encoding="utf-8"))
        files = {name: (kept / name).read_bytes() for name in FILES}
    except (OSError, ValueError):
        data = build_open_data(catalog, site_url, operator=operator)
        shutil.rmtree(folder, ignore_errors=True)   # one catalog kept: the last one
        kept.mkdir(parents=True, exist_ok=True)
        for name, content in data.files.items():
            (kept / name).write_bytes(content)
        (kept / "counts.json").write_text(json.dumps(data.counts), encoding="utf-8")
        return data
    from . import tabular

    return OpenData(catalog.today, site_url, meta, files, coop_columns=tabular.COOP_COLUMNS,
                    product_columns=tabular.PRODUCT_COLUMNS)


def size_text(n: int) -> str:
    if n < 1024:
        return f"{n} byte"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB".replace(".", ",")
    return f"{n / 1024 / 1024:.1f} MB".replace(".", ",")


def dataset_ld(data: OpenData, operator: str, description: str) -> dict[str, object]:
    """Return the schema.org Dataset of /du-lieu/ with one DataDownload per file."""
    return {
        "@context": "https://schema.org", "@type": "Dataset",
        "name": "Hợp tác xã và sản phẩm tỉnh An Giang", "description": description,
        "url": data.url(), "license": LICENSE["path"], "isAccessibleForFree": True,
        "inLanguage": "vi", "dateModified": data.today.isoformat(),
        "creator": {"@type": "Organization", "name": operator} if operator else None,
        "distribution": [{"@type": "DataDownload", "name": name, "encodingFormat": media,
                          "contentUrl": data.url(name), "contentSize": f"{len(body)} B"}
                         for name, body in data.files.items() for media in [FILES[name][1]]],
    }


def ld_script(data: object) -> str:
    """Return JSON-LD as a data block (the CSP allows it: not executable); `<` escaped so text cannot close it."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/ld+json">{text}</script>'


TYPE_NAMES = {"string": "văn bản", "integer": "số nguyên", "number": "số", "date": "ngày", "boolean": "đúng/sai"}


def dictionary_list(caption: str, columns: Sequence[Any], anchor: str) -> str:
    """Return one column a line: its header, its meaning, then type, unit and example (a list, not a table:
    five columns of prose do not fit a phone)."""
    items = []
    for c in columns:
        facts = [Markup("kiểu: {} (<code>{}</code>)").format(TYPE_NAMES.get(c.type, c.type), c.type)]
        if c.unit:
            facts.append(Markup("đơn vị: {}").format(c.unit))
        if c.example:
            facts.append(Markup("ví dụ: <code>{}</code>").format(c.example))
        # The model's descriptions mark names as `code` (Markdown, as the field reference shows them).
        meaning = Markup(re.sub(r"`([^`<>]+)`", r"<code>\1</code>", str(escape(c.description))))
        items.append(str(Markup("<dt><code>{}</code></dt><dd>{}<br><small>{}</small></dd>\n").format(
            c.header, meaning, Markup(" · ").join(facts))))
    return f'<h3 id="{anchor}">{escape(caption)}</h3>\n<dl class="htx-dictionary">\n' + "".join(items) + "</dl>"


def page_block(data: OpenData, operator: str) -> str:
    """Return the HTML of the `<!-- htx:open-data -->` block: figures, the files, the data dictionary, JSON-LD."""
    counts = data.counts
    rows_of = {"hop-tac-xa.csv": counts["cooperatives"], "san-pham.csv": counts["products"],
               "hop-tac-xa.json": counts["cooperatives"], "san-pham.json": counts["products"],
               "hop-tac-xa.geojson": counts["located"]}
    items = []
    for name, body in data.files.items():
        facts = [FILES[name][0].upper()]
        if name in rows_of:
            facts.append(f"{rows_of[name]} dòng")
        elif name == "du-lieu.xlsx":
            facts.append(f"{counts['cooperatives']} + {counts['products']} dòng")
        facts.append(size_text(len(body)))
        items.append(str(Markup('<li><a href="{}" download>{}</a><br><small><code>{}</code> · {}</small></li>\n')
                         .format(name, FILES[name][2], name, " · ".join(facts))))
    summary = (f"Cập nhật ngày <strong>{escape(format_date(data.today))}</strong>: "
               f"<strong>{counts['cooperatives']}</strong> hợp tác xã, <strong>{counts['products']}</strong> sản phẩm, "
               f"<strong>{counts['located']}</strong> hợp tác xã có tọa độ.")
    description = (f"Danh sách {counts['cooperatives']} hợp tác xã và {counts['products']} sản phẩm trên trang, "
                   "dạng CSV, JSON, XLSX và GeoJSON, theo giấy phép CC BY 4.0.")
    return ('<div class="htx-open-data">\n'
            f"<p>{summary}</p>\n"
            '<ul class="htx-downloads">\n' + "".join(items) + "</ul>\n"
            f'<p>Giấy phép: <a href="{LICENSE["path"]}" rel="license">{escape(LICENSE["title"])}</a>.</p>\n'
            '<h2 id="tu-dien-du-lieu">Từ điển dữ liệu</h2>\n'
            "<p>Mỗi cột của tệp CSV, JSON và bảng tính, với ý nghĩa, kiểu dữ liệu, đơn vị và ví dụ. Các ô có nhiều "
            "giá trị (số điện thoại, lĩnh vực, tháng) được ngăn cách bằng dấu chấm phẩy và dấu cách (<code>; </code>); "
            "ngày viết theo dạng năm-tháng-ngày (<code>2026-11-26</code>); ô trống là không có thông tin.</p>\n"
            + dictionary_list("Hợp tác xã (hop-tac-xa.csv, trang “Hợp tác xã”)", data.coop_columns, "cot-hop-tac-xa") + "\n"
            + dictionary_list("Sản phẩm (san-pham.csv, trang “Sản phẩm”)", data.product_columns, "cot-san-pham") + "\n"
            + ld_script({k: v for k, v in dataset_ld(data, operator, description).items() if v is not None}) + "\n"
            "</div>")
