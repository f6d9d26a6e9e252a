"""The spreadsheet/CSV columns (htx.publish.tabular): generated from the model, personal data only with consent."""
from __future__ import annotations

from pathlib import Path

import pytest

from htx.site.catalog import Catalog
from htx.data.model import Cooperative, Product, personal_paths
from htx.pipeline import check
from htx.publish.tabular import COOP_COLUMNS, PRODUCT_COLUMNS, coop_rows, product_rows
from tests.conftest import VALID, write_coop
from tests.unit.test_consent import CONSENT, NO_CONSENT

ROOT = Path(__file__).resolve().parents[2]
SITE = "https://htx.angiang.example/"


def catalog_of(root: Path, text: str) -> Catalog:
    write_coop(root, text)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1795651200")
        entries, problems = check(root / "cooperatives", base=root)
        assert not [p for p in problems if p.severity != "warning"], problems
        return Catalog.from_entries(entries)[0]


def test_headers_unique_and_described_by_the_model() -> None:
    for cols in (COOP_COLUMNS, PRODUCT_COLUMNS):
        headers = [c.header for c in cols]
        assert len(headers) == len(set(headers))
        assert all(c.description for c in cols)
    by_key = {c.key: c for c in COOP_COLUMNS}
    assert by_key["ten"].description == Cooperative.model_fields["name"].description
    assert by_key["so_thanh_vien"].type == "integer" and by_key["xac_nhan_ngay"].type == "date"
    assert by_key["dia_chi.toa_do.vi_do"].type == "number" and by_key["ho_so_mau"].type == "boolean"
    assert by_key["linh_vuc"].is_list and by_key["lien_he.dien_thoai"].is_list
    assert by_key["ma"].example == "htx-lua-gao-thoai-son"
    prod = {c.key: c for c in PRODUCT_COLUMNS}
    assert prod["gia"].type == "integer" and prod["gia"].unit == "đồng"
    assert prod["ocop.sao"].description == Product.model_fields["ocop"].annotation.__args__[0].model_fields["stars"].description
    assert [c.header for c in PRODUCT_COLUMNS][:2] == ["Mã hợp tác xã", "Mã sản phẩm"]


def test_every_personal_field_of_the_model_is_a_personal_column() -> None:
    personal_keys = {c.key for c in COOP_COLUMNS if c.personal}
    columns = {c.key for c in COOP_COLUMNS}
    for path in personal_paths():
        if path in columns:
            assert path in personal_keys
    assert {"nguoi_dai_dien.ho_ten", "nguoi_dai_dien.dien_thoai", "nguoi_dai_dien.zalo", "nguoi_dai_dien.email"} <= personal_keys
    assert "nguoi_dai_dien.chuc_vu" not in personal_keys


def test_rows_without_consent_hold_no_personal_value(tmp_path: Path) -> None:
    catalog = catalog_of(tmp_path, NO_CONSENT)
    [row] = coop_rows(catalog, SITE)
    for col in COOP_COLUMNS:
        if col.personal:
            assert row[col.header] is None, col.header
    assert row["Mã hợp tác xã"] == "htx-thu-nghiem"
    assert row["Địa chỉ trang"] == "https://htx.angiang.example/hop-tac-xa/htx-thu-nghiem/"
    assert row["Mã xã, phường"].isdigit() and len(row["Mã xã, phường"]) == 5


def test_rows_with_consent_hold_the_representative(tmp_path: Path) -> None:
    catalog = catalog_of(tmp_path, VALID)
    [row] = coop_rows(catalog, SITE)
    assert row["Ngày đồng ý"] == "2026-05-12"
    assert row["Họ tên người đại diện"]


def test_product_rows_sorted_with_stable_ids(tmp_path: Path) -> None:
    catalog = catalog_of(tmp_path, VALID)
    rows = product_rows(catalog, SITE)
    assert rows and [r["Mã sản phẩm"] for r in rows] == sorted(r["Mã sản phẩm"] for r in rows)
    for r in rows:
        assert r["Mã hợp tác xã"] == "htx-thu-nghiem"
        assert r["Địa chỉ trang sản phẩm"].endswith(f"/san-pham/htx-thu-nghiem/{r['Mã sản phẩm']}/")
