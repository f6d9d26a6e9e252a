"""Open data (/du-lieu/): the downloads of the sample site pass the quality gates of issue 21.

Frictionless validates the package, JSON its schema, GeoJSON its spec; the counts match the catalog and the
pages; the XLSX reads the same with two readers; no personal value without consent; the same bytes twice.
"""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from conftest import BUILD_EPOCH, MKDOCS, VALID, copy_project, run, write_coop
from htx.publish import opendata
from htx.publish import tabular
from htx.data.model import personal_values
from htx.data.load import read_profiles
from htx.pipeline import build
from htx.data.validate import validate_all

FILES = ["hop-tac-xa.csv", "san-pham.csv", "du-lieu.xlsx", "hop-tac-xa.json", "san-pham.json",
         "hop-tac-xa.geojson", "datapackage.json", "profile.schema.json"]
UNCONSENTED = "htx-mat-ong-u-minh-thuong"
PERSONAL = ["Võ Văn Tràm", "0912 000 116", "vo.van.tram@example.com"]


def catalog_of(project: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
    result = build(project / "cooperatives", base=project, with_images=False, site_url="https://htx.angiang.example/")
    assert result.ok
    return result.catalog


def read_csv(path: Path) -> list[dict[str, str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "CSV without the UTF-8 BOM: Excel would garble Vietnamese"
    text = data[3:].decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    # Records end with CRLF (RFC 4180); a line break a cooperative wrote inside a text stays as written (LF).
    assert text.endswith("\r\n") and text.count("\r\n") == len(rows) + 1, "records must end with CRLF"
    return rows


def figures(html: str) -> list[int]:
    return [int(v.replace(".", "")) for v in re.findall(r'htx-figure__value">([\d.]+)<', html)]


@pytest.mark.slow
def test_every_file_is_published_and_listed(built_site: Path) -> None:
    folder = built_site / "site" / "du-lieu"
    page = (folder / "index.html").read_text(encoding="utf-8")
    for name in FILES:
        assert (folder / name).is_file(), name
        assert f'href="{name}"' in page, f"/du-lieu/ does not offer {name}"
    assert "creativecommons.org/licenses/by/4.0/" in page and "26/11/2026" in page
    # Every column of the dictionary, with its description.
    for column in (*tabular.COOP_COLUMNS, *tabular.PRODUCT_COLUMNS):
        assert f"<dt><code>{column.header}</code></dt>" in page, column.header
    # Linked from the footer (every page) and from the statistics page's text.
    assert 'href="du-lieu/"' in (built_site / "site" / "index.html").read_text(encoding="utf-8")
    stats = (built_site / "site" / "thong-ke" / "index.html").read_text(encoding="utf-8")
    assert stats.count('href="../du-lieu/"') >= 2


@pytest.mark.slow
def test_dataset_json_ld(built_site: Path) -> None:
    page = (built_site / "site" / "du-lieu" / "index.html").read_text(encoding="utf-8")
    blocks = [json.loads(b) for b in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)]
    datasets = [b for b in blocks if b.get("@type") == "Dataset"]
    assert len(datasets) == 1
    ds = datasets[0]
    assert ds["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert ds["dateModified"] == "2026-11-26" and ds["creator"]["name"]
    urls = {d["contentUrl"]: d["encodingFormat"] for d in ds["distribution"]}
    assert set(urls) == {f"https://htx.angiang.example/du-lieu/{n}" for n in FILES}
    assert urls["https://htx.angiang.example/du-lieu/hop-tac-xa.csv"] == "text/csv"


@pytest.mark.slow
def test_frictionless_validates_the_package(built_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import frictionless

    monkeypatch.chdir(built_site / "site" / "du-lieu")
    report = frictionless.validate("datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    catalog = catalog_of(built_site, monkeypatch)
    rows = {task.name: task.stats["rows"] for task in report.tasks if task.type == "table"}
    assert rows == {"hop-tac-xa": len(catalog.entries), "san-pham": len(catalog.items)}
    package = json.loads(Path("datapackage.json").read_text(encoding="utf-8"))
    assert package["licenses"][0]["name"] == "CC-BY-4.0" and package["licenses"][0]["path"]
    assert {r["path"] for r in package["resources"]} == set(FILES) - {"datapackage.json"}
    products = next(r for r in package["resources"] if r["name"] == "san-pham")["schema"]
    assert products["foreignKeys"][0]["reference"]["resource"] == "hop-tac-xa"
    assert all(f["description"] for f in products["fields"])


@pytest.mark.slow
def test_json_and_geojson_validate(built_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import geojson
    import jsonschema

    folder = built_site / "site" / "du-lieu"
    for name, columns in (("hop-tac-xa.json", tabular.COOP_COLUMNS), ("san-pham.json", tabular.PRODUCT_COLUMNS)):
        data = json.loads((folder / name).read_text(encoding="utf-8"))
        jsonschema.validate(data, opendata.json_schema(columns, name), format_checker=jsonschema.FormatChecker())
        assert data and [r["Mã hợp tác xã"] for r in data] == sorted(r["Mã hợp tác xã"] for r in data)
    collection = geojson.loads((folder / "hop-tac-xa.geojson").read_text(encoding="utf-8"))
    assert collection.is_valid, collection.errors()
    catalog = catalog_of(built_site, monkeypatch)
    located = [e for e in catalog.entries.values() if e.coop.address.coordinates is not None]
    assert len(collection["features"]) == len(located) > 0
    honey = next(f for f in collection["features"] if f["id"] == UNCONSENTED)
    assert honey["geometry"]["coordinates"] == [105.0711, 9.6352]   # [lon, lat], as GeoJSON orders them
    assert honey["properties"]["Địa chỉ trang"] == f"https://htx.angiang.example/hop-tac-xa/{UNCONSENTED}/"


@pytest.mark.slow
def test_counts_match_the_catalog_and_the_pages(built_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = built_site / "site" / "du-lieu"
    coops, products = read_csv(folder / "hop-tac-xa.csv"), read_csv(folder / "san-pham.csv")
    catalog = catalog_of(built_site, monkeypatch)
    assert len(coops) == len(catalog.entries) and len(products) == len(catalog.items)
    for page in ("index.html", "thong-ke/index.html"):
        shown = figures((built_site / "site" / page).read_text(encoding="utf-8"))
        assert shown[0] == len(coops) and shown[2] == len(products), page
    # Stable ids and canonical URLs in every row; every product's cooperative is in the cooperatives' file.
    ids = {r["Mã hợp tác xã"] for r in coops}
    assert all(r["Địa chỉ trang"] == f"https://htx.angiang.example/hop-tac-xa/{r['Mã hợp tác xã']}/" for r in coops)
    assert all(re.fullmatch(r"\d{5}", r["Mã xã, phường"]) for r in coops)
    assert all(r["Mã hợp tác xã"] in ids and r["Mã sản phẩm"] and r["Địa chỉ trang sản phẩm"].startswith("https://")
               for r in products)


@pytest.mark.slow
def test_xlsx_reads_the_same_with_two_readers(built_site: Path) -> None:
    import openpyxl
    from python_calamine import CalamineWorkbook

    path = built_site / "site" / "du-lieu" / "du-lieu.xlsx"
    book = openpyxl.load_workbook(path)
    calamine = CalamineWorkbook.from_path(str(path))
    assert book.sheetnames == calamine.sheet_names == list(opendata.SHEETS)
    for title, csv_name in zip(opendata.SHEETS, ("hop-tac-xa.csv", "san-pham.csv")):
        sheet = book[title]
        assert sheet.freeze_panes == "A2" and all(c.font.b for c in sheet[1])
        a = [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]
        b = calamine.get_sheet_by_name(title).to_python()
        # calamine reads every number as float; the values must still be equal.
        assert len(a) == len(b) and all(x == y for ra, rb in zip(a, b) for x, y in zip(ra, rb)), title
        rows = read_csv(built_site / "site" / "du-lieu" / csv_name)
        assert len(a) - 1 == len(rows) and list(a[0]) == list(rows[0])


@pytest.mark.slow
def test_no_personal_value_without_consent(built_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = built_site / "site" / "du-lieu"
    catalog = catalog_of(built_site, monkeypatch)
    docs, _ = read_profiles(built_site / "cooperatives", base=built_site, only={UNCONSENTED})
    entries, _ = validate_all(docs, check_images=False)
    raw = entries[0].coop      # the profile as written (the catalog holds the published copy)
    assert raw.slug == UNCONSENTED and not raw.publishes_personal
    values = set(PERSONAL) | set(personal_values(raw).values())
    assert set(PERSONAL) <= set(personal_values(raw).values())
    texts = {name: (folder / name).read_text(encoding="utf-8-sig") for name in FILES if name != "du-lieu.xlsx"}
    import openpyxl
    book = openpyxl.load_workbook(folder / "du-lieu.xlsx")
    texts["du-lieu.xlsx"] = "\n".join(str(v) for ws in book for row in ws.iter_rows(values_only=True) for v in row if v)
    for name, text in texts.items():
        for value in values:
            assert value not in text, f"{name} publishes {value!r} without consent"
    # A consenting profile's representative is published, in the CSV, JSON and XLSX alike.
    consenting = [e.coop for e in catalog.entries.values() if e.coop.publishes_personal and e.coop.representative.name]
    assert consenting
    for name in ("hop-tac-xa.csv", "hop-tac-xa.json", "du-lieu.xlsx"):
        assert consenting[0].representative.name in texts[name], name


@pytest.mark.slow
def test_same_bytes_on_two_builds(built_site: Path, tmp_path: Path) -> None:
    project = copy_project(tmp_path / "again")
    result = run(MKDOCS + ["build", "--strict"], project)
    assert result.returncode == 0, result.stdout + result.stderr
    for name in FILES:
        assert (project / "site" / "du-lieu" / name).read_bytes() == (built_site / "site" / "du-lieu" / name).read_bytes(), name


def test_consent_decides_per_profile(coop_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a build: the consenting profile's representative is in the files, the other's is not."""
    write_coop(coop_root, VALID)
    other = (VALID.replace("htx-thu-nghiem", "htx-khong-dong-y").replace("Trần Thị Bình", "Lê Văn Riêng")
             .replace("0912 000 123", "0912 000 124").replace("gao-thu-nghiem", "gao-rieng"))
    other = re.sub(r"dong_y_cong_khai:\n(  .*\n)+", "", other)
    assert "dong_y_cong_khai" not in other
    other = other.replace("  chuc_vu: Giám đốc\n", "  chuc_vu: Giám đốc\n  email: le.van.rieng@example.com\n")
    write_coop(coop_root, other, "htx-khong-dong-y")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
    result = build(coop_root / "cooperatives", base=coop_root, with_images=False)
    assert result.ok, [p.format_text() for p in result.problems]
    data = opendata.build_open_data(result.catalog, "https://example.org/")
    blob = b"".join(data.files.values()).decode("utf-8", "replace")
    assert "Trần Thị Bình" in data.files["hop-tac-xa.csv"].decode("utf-8-sig")
    assert "Lê Văn Riêng" not in blob and "le.van.rieng@example.com" not in blob
    assert [r["Mã hợp tác xã"] for r in json.loads(data.files["hop-tac-xa.json"])] == ["htx-khong-dong-y", "htx-thu-nghiem"]


def test_json_ld_cannot_close_its_element() -> None:
    text = opendata.ld_script({"name": "</script><script>alert(1)</script>"})
    assert text.count("</script>") == 1 and "\\u003c/script" in text
