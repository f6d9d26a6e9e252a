"""The one definition of the spreadsheet and CSV columns (downloads, `htx export`, `htx import`, the template).

Which fields become columns is the short list below; each column's type, description and example come from
the model (model.py), so the data dictionary cannot drift from what `htx validate` checks. Columns whose key
starts with `~` are derived (page URL, commune code, the product's cooperative): written on export, not read
back as profile fields on import.

Cell values: text as the model holds it, int/float for numbers, bool for yes/no, dates as ISO `yyyy-mm-dd`
(the profile's `dd/mm/yyyy` is ambiguous to other software), lists joined with "; ", None when empty.
"""
from __future__ import annotations

import typing
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from ..site.catalog import coop_url, product_url, public_coop
from ..data.model import Cooperative, Product, parse_date, personal_paths

LIST_SEPARATOR = "; "


@dataclass(frozen=True)
class Column:
    header: str        # Vietnamese column header, unique in its sheet
    key: str           # profile alias path ("dia_chi.xa_phuong"), or "~name" for a derived column
    type: str          # Frictionless type: string, integer, number, date, boolean
    description: str   # Vietnamese, from the model's field description
    unit: str = ""
    example: str = ""
    personal: bool = False
    is_list: bool = False

    @property
    def derived(self) -> bool:
        return self.key.startswith("~")


# Derived columns: (header, key, type, description, example).
_DERIVED = {
    "~trang": ("Địa chỉ trang", "string", "Địa chỉ trang của hợp tác xã trên trang web (định danh ổn định).",
               "https://htx.angiang.example/hop-tac-xa/htx-lua-gao-thoai-son/"),
    "~ma_xa_phuong": ("Mã xã, phường", "string", "Mã đơn vị hành chính cấp xã (5 chữ số) của trụ sở, theo danh mục từ 01/7/2025.", "30682"),
    "~trang_san_pham": ("Địa chỉ trang sản phẩm", "string", "Địa chỉ trang của sản phẩm trên trang web (định danh ổn định).",
                        "https://htx.angiang.example/san-pham/htx-lua-gao-thoai-son/gao-thom-5kg/"),
    "~hop_tac_xa": ("Mã hợp tác xã", "string", "Mã của hợp tác xã làm ra sản phẩm (cột đầu của trang Hợp tác xã).",
                    "htx-lua-gao-thoai-son"),
}

# (header, key, unit) in sheet order; a "~" key is derived.
_COOP_SPEC = [
    ("Mã hợp tác xã", "ma", ""),
    ("Tên hợp tác xã", "ten", ""),
    ("Tên viết tắt", "ten_viet_tat", ""),
    ("Loại hình", "loai_hinh", ""),
    ("Lĩnh vực", "linh_vuc", ""),
    ("Ngày thành lập", "ngay_thanh_lap", ""),
    ("Số đăng ký", "so_dang_ky", ""),
    ("Số thành viên", "so_thanh_vien", "người"),
    ("Ngày xác nhận", "xac_nhan_ngay", ""),
    ("Chức vụ người đại diện", "nguoi_dai_dien.chuc_vu", ""),
    ("Họ tên người đại diện", "nguoi_dai_dien.ho_ten", ""),
    ("Điện thoại người đại diện", "nguoi_dai_dien.dien_thoai", ""),
    ("Zalo người đại diện", "nguoi_dai_dien.zalo", ""),
    ("Email người đại diện", "nguoi_dai_dien.email", ""),
    ("Người đồng ý công khai", "dong_y_cong_khai.nguoi_dong_y", ""),
    ("Vai trò người đồng ý", "dong_y_cong_khai.vai_tro", ""),
    ("Ngày đồng ý", "dong_y_cong_khai.ngay", ""),
    ("Địa chỉ chi tiết", "dia_chi.chi_tiet", ""),
    ("Xã, phường", "dia_chi.xa_phuong", ""),
    ("Mã xã, phường", "~ma_xa_phuong", ""),
    ("Vĩ độ", "dia_chi.toa_do.vi_do", "độ"),
    ("Kinh độ", "dia_chi.toa_do.kinh_do", "độ"),
    ("Điện thoại", "lien_he.dien_thoai", ""),
    ("Zalo", "lien_he.zalo", ""),
    ("Email", "lien_he.email", ""),
    ("Website", "lien_he.website", ""),
    ("Facebook", "lien_he.facebook", ""),
    ("Giới thiệu", "gioi_thieu", ""),
    ("Câu chuyện", "cau_chuyen", ""),
    ("Tên tiếng Anh", "tieng_anh.ten", ""),
    ("Giới thiệu tiếng Anh", "tieng_anh.gioi_thieu", ""),
    ("Câu chuyện tiếng Anh", "tieng_anh.cau_chuyen", ""),
    ("Hồ sơ mẫu", "ho_so_mau", ""),
    ("Địa chỉ trang", "~trang", ""),
]

_PRODUCT_SPEC = [
    ("Mã hợp tác xã", "~hop_tac_xa", ""),
    ("Mã sản phẩm", "ma", ""),
    ("Tên sản phẩm", "ten", ""),
    ("Danh mục", "danh_muc", ""),
    ("Giới thiệu", "gioi_thieu", ""),
    ("Mô tả", "mo_ta", ""),
    ("Giá", "gia", "đồng"),
    ("Đơn vị tính", "don_vi", ""),
    ("Số sao OCOP", "ocop.sao", "sao"),
    ("Năm công nhận OCOP", "ocop.nam", ""),
    ("Số quyết định OCOP", "ocop.so_quyet_dinh", ""),
    ("Ngày công nhận OCOP", "ocop.ngay_cong_nhan", ""),
    ("Ngày hết hạn OCOP", "ocop.het_han", ""),
    ("Mùa vụ (tháng)", "mua_vu", "tháng"),
    ("Quy cách", "quy_cach", ""),
    ("Hạn sử dụng", "han_su_dung", ""),
    ("Nơi sản xuất", "noi_san_xuat", ""),
    ("Nổi bật", "noi_bat", ""),
    ("Tên tiếng Anh", "tieng_anh.ten", ""),
    ("Giới thiệu tiếng Anh", "tieng_anh.gioi_thieu", ""),
    ("Mô tả tiếng Anh", "tieng_anh.mo_ta", ""),
    ("Đơn vị tính tiếng Anh", "tieng_anh.don_vi", ""),
    ("Địa chỉ trang sản phẩm", "~trang_san_pham", ""),
]

# The consent record names a natural person and is only needed by staff: kept with the personal columns.
_ALSO_PERSONAL = {"dong_y_cong_khai.nguoi_dong_y", "dong_y_cong_khai.vai_tro", "dong_y_cong_khai.ngay"}


def field_info(model: type[BaseModel], path: str):
    """Return the FieldInfo of an alias path ("dia_chi.toa_do.vi_do") in model."""
    from ..data.model import _inner_model

    info = None
    for part in path.split("."):
        by_alias = {f.alias: f for f in model.model_fields.values()}
        info = by_alias[part]
        inner, _ = _inner_model(info.annotation)
        model = inner if inner is not None else model
    return info


def _type_of(info) -> tuple[str, bool]:
    """Return the Frictionless type of a field and whether it is a list (joined with "; " in a cell)."""
    text = repr(info.annotation) + repr(info.metadata)
    is_list = typing.get_origin(info.annotation) is list
    if "check_date" in text:
        kind = "date"
    elif "parse_bool" in text:
        kind = "boolean"
    elif "parse_int" in text or "parse_money" in text:
        kind = "integer"
    elif "float" in text:
        kind = "number"
    else:
        kind = "string"
    return ("string" if is_list else kind), is_list


def _columns(model: type[BaseModel], spec: list[tuple[str, str, str]]) -> tuple[Column, ...]:
    personal = set(personal_paths())
    out = []
    for header, key, unit in spec:
        if key.startswith("~"):
            _, kind, description, example = _DERIVED[key]
            out.append(Column(header, key, kind, description, unit, example))
            continue
        info = field_info(model, key)
        kind, is_list = _type_of(info)
        example = info.examples[0] if info.examples else ""
        path = key if model is Cooperative else f"san_pham[].{key}"
        out.append(Column(header, key, kind, (info.description or "").strip(), unit, str(example),
                          path in personal or key in _ALSO_PERSONAL, is_list))
    return tuple(out)


COOP_COLUMNS: tuple[Column, ...] = _columns(Cooperative, _COOP_SPEC)
PRODUCT_COLUMNS: tuple[Column, ...] = _columns(Product, _PRODUCT_SPEC)


def _get(obj: Any, key: str) -> Any:
    for part in key.split("."):
        if obj is None:
            return None
        info = {f.alias: name for name, f in type(obj).model_fields.items()}[part]
        obj = getattr(obj, info)
    return obj


def cell(column: Column, value: Any) -> Any:
    """Return a model value as a cell: ISO dates, lists joined, None for empty."""
    if value is None or value == [] or value == "":
        return None
    if column.is_list:
        return LIST_SEPARATOR.join(str(v) for v in value)
    if column.type == "date":
        return parse_date(value).isoformat()
    if isinstance(value, str):
        return value.rstrip("\n")  # a YAML block scalar's final line break is not part of the text
    return value


def coop_row(entry, site_url: str, *, personal: bool = False) -> dict[str, object]:
    """Return the row of one entry; personal columns only from a consenting profile, or when `personal`
    (staff's own export, `htx export --ca-nhan`)."""
    coop = entry.coop if personal else public_coop(entry.coop)
    derived = {"~trang": site_url.rstrip("/") + "/" + coop_url(coop.slug), "~ma_xa_phuong": entry.commune.code}
    row: dict[str, object] = {}
    for col in COOP_COLUMNS:
        if col.derived:
            row[col.header] = derived[col.key]
        elif col.key == "dia_chi.xa_phuong":
            row[col.header] = entry.commune.name  # the unit as resolved, whatever way the profile named it
        elif col.personal and not (personal or coop.publishes_personal):
            row[col.header] = None
        else:
            row[col.header] = cell(col, _get(coop, col.key))
    return row


def product_row(entry, product: Product, site_url: str) -> dict[str, object]:
    derived = {"~hop_tac_xa": entry.coop.slug,
               "~trang_san_pham": site_url.rstrip("/") + "/" + product_url(entry.coop.slug, product.id)}
    return {col.header: derived[col.key] if col.derived else cell(col, _get(product, col.key))
            for col in PRODUCT_COLUMNS}


def coop_rows(catalog, site_url: str) -> list[dict[str, object]]:
    """Return one row per cooperative of the catalog, as published (public_coop), sorted by slug."""
    return [coop_row(catalog.entries[slug], site_url) for slug in sorted(catalog.entries)]


def product_rows(catalog, site_url: str) -> list[dict[str, object]]:
    """Return one row per product of the catalog, sorted by cooperative slug then product id."""
    rows = []
    for key in sorted(catalog.items):
        item = catalog.items[key]
        rows.append(product_row(item.entry, item.product, site_url))
    return rows
