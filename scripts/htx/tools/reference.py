"""The reference of every profile field, generated from the model so that it can never drift.

`field_reference_markdown()` walks `htx.data.model.Cooperative` and every model nested in it (directly,
optionally or in lists) and returns, per model, a heading and a collapsible list with one item per field
(a list, not a table: a 5-column table needs sideways scrolling on a 360 px phone). The site page fills its
`<!-- htx:field-reference -->` marker with it; CONTRIBUTING.md keeps a copy between
`<!-- field-reference:start -->` and `<!-- field-reference:end -->` that `htx reference` rewrites
and `htx reference --check` verifies.
"""
from __future__ import annotations

import re
import sys
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import annotated_types as at
import click
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from ..data import model as M
from ..data.vocab import CATEGORIES, CERTIFICATIONS, CHANNELS, KINDS, SECTORS, SOCIAL

START = "<!-- field-reference:start -->"
END = "<!-- field-reference:end -->"
CONTRIBUTING = "CONTRIBUTING.md"

# Section titles (headings of the groups); a model missing here falls back to its docstring.
TITLES: dict[type[BaseModel], str] = {
    M.Cooperative: "Hồ sơ hợp tác xã",
    M.Representative: "Người đại diện",
    M.Consent: "Đồng ý công khai dữ liệu cá nhân",
    M.Address: "Địa chỉ",
    M.Coordinates: "Tọa độ",
    M.Contact: "Liên hệ",
    M.Social: "Mạng xã hội",
    M.Channel: "Kênh bán hàng",
    M.Practice: "Hợp tác xã kiểu mới",
    M.Linkage: "Liên kết với đối tác",
    M.Certification: "Chứng nhận",
    M.Photo: "Ảnh",
    M.Product: "Sản phẩm",
    M.Ocop: "OCOP",
    M.CooperativeEnglish: "Bản tiếng Anh của hồ sơ",
    M.ProductEnglish: "Bản tiếng Anh của sản phẩm",
}

# Rules a model checks across its fields (model validators), which no single field shows.
MODEL_RULES: dict[type[BaseModel], str] = {
    M.Coordinates: f"Tọa độ phải nằm trong tỉnh An Giang: vĩ độ từ {M.LAT_RANGE[0]} đến {M.LAT_RANGE[1]}, "
                   f"kinh độ từ {M.LON_RANGE[0]} đến {M.LON_RANGE[1]} (đừng ghi đảo vĩ độ và kinh độ).",
    M.Channel: "Mỗi kênh cần ít nhất `lien_ket` hoặc `ghi_chu`.",
    M.Certification: "Nếu ghi cả hai ngày thì `het_han` phải sau `ngay_cap`.",
    M.Product: "Ghi `don_vi` thì phải ghi `gia`.",
    M.Cooperative: "Mã `ma` phải trùng tên thư mục `cooperatives/<ma>/`. Không được thêm khóa nào ngoài các khóa dưới đây "
                   "(khóa viết sai sẽ bị báo lỗi kèm gợi ý).",
}

# Labels of the controlled vocabularies, found by their keys.
_VOCABS: list[dict[str, str]] = [
    KINDS, SECTORS, CHANNELS, CERTIFICATIONS, SOCIAL, {k: c.label for k, c in CATEGORIES.items()},
]

# What the validators of model.py accept, in words (keyed by the validator function).
_CHECKS: dict[Any, tuple[str, str]] = {
    M.check_phone: ("số điện thoại", "10 chữ số (di động) hoặc 11 chữ số (máy bàn, bắt đầu bằng 02); có thể viết +84 thay cho số 0 đầu; được dùng dấu cách, dấu chấm, dấu gạch"),
    M.check_url: ("liên kết", "bắt đầu bằng `https://` (hoặc `http://`)"),
    M.check_email: ("thư điện tử", "dạng `ten@ten-mien.vn`"),
    M.check_slug: ("mã", "chỉ chữ thường không dấu a–z, chữ số và dấu `-` ở giữa"),
    M.check_date: ("ngày", "`dd/mm/yyyy` (ví dụ `15/03/2012`) hoặc `yyyy-mm-dd`; năm từ 1945 đến 2100"),
    M.check_zalo: ("Zalo", "số điện thoại (như trên) hoặc liên kết `https://zalo.me/…`"),
    M.parse_int: ("số nguyên", "viết liền, không có số 0 ở đầu"),
    M.parse_bool: ("có/không", "`có` hoặc `không`"),
    M.parse_money: ("số tiền (đồng)", "`120000` hoặc `120.000`, hoặc ghi `liên hệ`"),
}

_BASIC: dict[Any, str] = {str: "văn bản", int: "số nguyên", float: "số thập phân", bool: "có/không"}


@dataclass
class TypeInfo:
    """What an annotation means for someone writing a profile."""

    label: str = "văn bản"
    rules: list[str] = field(default_factory=list)       # what a validator accepts, in words
    limits: list[str] = field(default_factory=list)      # lengths and ranges
    choices: list[str] = field(default_factory=list)     # allowed values of a Literal
    examples: list[Any] = field(default_factory=list)
    model: type[BaseModel] | None = None
    item: "TypeInfo | None" = None                       # for lists


def describe(annotation: Any, metadata: list[Any] | None = None) -> TypeInfo:
    """Return the TypeInfo of an annotation plus field-level metadata (constraints, validators)."""
    metadata = list(metadata or [])
    annotation, inner_meta, examples = _unwrap(annotation)
    metadata = inner_meta + metadata
    info = TypeInfo(examples=examples)
    origin = typing.get_origin(annotation)
    if origin is list:
        (arg,) = typing.get_args(annotation) or (str,)
        info.item = describe(arg)
        info.model = info.item.model
        info.label = "danh sách " + ("nhóm" if info.model else info.item.label)
        info.choices = info.item.choices
    elif origin is Literal:
        info.choices = [str(v) for v in typing.get_args(annotation)]
        info.label = "giá trị chọn sẵn"
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        info.model = annotation
        info.label = "nhóm"
    else:
        info.label = _BASIC.get(annotation, "văn bản")
        if annotation is float:
            info.rules.append("dùng dấu chấm thập phân, ví dụ `10.5`")
    for meta in metadata:
        func = getattr(meta, "func", None)
        if func in _CHECKS:
            info.label, rule = _CHECKS[func]
            info.rules.append(rule)
    info.limits += _limits(metadata, counted="mục" if origin is list else ("ký tự" if annotation is str else None))
    return info


def _unwrap(annotation: Any) -> tuple[Any, list[Any], list[Any]]:
    """Strip Optional and Annotated; return the bare type, its metadata and its examples."""
    metadata: list[Any] = []
    examples: list[Any] = []
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            args = typing.get_args(annotation)
            annotation = args[0]
            for meta in args[1:]:
                if isinstance(meta, FieldInfo):
                    metadata += meta.metadata
                    examples += meta.examples or []
                else:
                    metadata.append(meta)
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation, metadata, examples
            annotation = args[0]
        else:
            return annotation, metadata, examples


def _limits(metadata: list[Any], counted: str | None) -> list[str]:
    low = high = None
    out: list[str] = []
    bottom = top = None
    for meta in metadata:
        if isinstance(meta, at.MinLen):
            low = meta.min_length
        elif isinstance(meta, at.MaxLen):
            high = meta.max_length
        elif isinstance(meta, at.Ge):
            bottom = f"từ {_num(meta.ge)}"
        elif isinstance(meta, at.Gt):
            bottom = f"lớn hơn {_num(meta.gt)}"
        elif isinstance(meta, at.Le):
            top = f"đến {_num(meta.le)}"
        elif isinstance(meta, at.Lt):
            top = f"nhỏ hơn {_num(meta.lt)}"
    if bottom and top:
        out.append(f"{bottom} {top}" if bottom.startswith("từ") else f"{bottom}, tối đa {top.removeprefix('đến ')}")
    elif bottom:
        out.append(bottom.replace("từ", "ít nhất", 1))
    elif top:
        out.append(top.replace("đến", "tối đa", 1))
    unit = counted or "ký tự"
    if low is not None and high is not None:
        out.insert(0, f"{low}–{_num(high)} {unit}")
    elif high is not None:
        out.insert(0, f"tối đa {_num(high)} {unit}")
    elif low is not None:
        out.insert(0, f"ít nhất {low} {unit}")
    return out


def _num(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        # Thousands separators only where they help: 1.000.000, but the year 2018 as is.
        return f"{value:,}".replace(",", ".") if abs(value) >= 10_000 else str(value)
    return str(value)


def _labels(values: list[str]) -> dict[str, str]:
    """Return the labels of a vocabulary whose keys are exactly values (else none)."""
    for vocab in _VOCABS:
        if list(vocab) == list(values):
            return dict(vocab)
    return {}


def _one_line(text: str) -> str:
    """Return text on one line (a list item's paragraph)."""
    return re.sub(r"\s*\n\s*", " ", text).strip()


def _code(value: Any) -> str:
    text = str(value)
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def anchor(title: str) -> str:
    """Return the heading id MkDocs (pymdownx slugify, lower case) and GitHub both give a title."""
    return re.sub(r"[^\w\- ]", "", title.strip().lower()).replace(" ", "-")


def title_of(model: type[BaseModel]) -> str:
    return TITLES.get(model) or (model.__doc__ or model.__name__).strip().splitlines()[0].rstrip(".")


def walk_models(root: type[BaseModel] = M.Cooperative) -> list[tuple[type[BaseModel], list[str]]]:
    """Return every model reachable from root (depth first, in field order) with the paths it is used at."""
    paths: dict[type[BaseModel], list[str]] = {root: []}

    def visit(model: type[BaseModel], path: str, seen: tuple) -> None:
        for info in model.model_fields.values():
            described = describe(info.annotation, info.metadata)
            if described.model is None or described.model in seen:
                continue
            sub = (f"{path}.{info.alias}" if path else str(info.alias)) + ("[]" if described.item else "")
            paths.setdefault(described.model, []).append(sub)
            visit(described.model, sub, seen + (described.model,))

    visit(root, "", (root,))
    return list(paths.items())


def _item(info: FieldInfo) -> str:
    """Return one field as a list item: key, required or not, kind and limits, description and examples."""
    t = describe(info.annotation, info.metadata)
    kind = t.label
    if t.model is not None:
        kind += f", xem [{title_of(t.model)}](#{anchor(title_of(t.model))})"
    limits = list(t.limits)
    if t.item is not None:
        item_rules = t.item.limits + t.item.rules
        if item_rules:
            limits.append("mỗi mục: " + ", ".join(item_rules))
    limits += t.rules
    if t.choices:
        labels = _labels(t.choices)
        shown = [_code(c) + (f" ({labels[c]})" if c in labels else "") for c in t.choices]
        limits.append(("một hoặc nhiều trong: " if t.item is not None else "một trong: ") + ", ".join(shown))
    examples = list(info.examples or []) or t.examples or (t.item.examples if t.item else [])
    description = (info.description or "").strip()
    examples = [e for e in examples if str(e) not in description]
    if description and not description.endswith((".", "…", "?", "!")):
        description += "."
    if examples:
        description += (" " if description else "") + "Ví dụ: " + ", ".join(_code(e) for e in examples) + "."
    required = "**bắt buộc**" if info.is_required() else "không bắt buộc"
    what = kind[:1].upper() + kind[1:] + ("; " + "; ".join(limits) if limits else "") + "."
    return _one_line(f"- {_code(info.alias)} — {required}. {what} {description}")


def field_reference_markdown(root: type[BaseModel] = M.Cooperative, level: int = 3) -> str:
    """Return the Markdown reference of every field of root and the models in it.

    Per model: a heading (the target of the links between groups), what the group is and where it is used,
    then its fields in a `<details>` list, closed so that the page stays short on a phone. `markdown` on the
    element lets md_in_html read the list inside; GitHub renders it as it is.
    """
    hashes = "#" * level
    parts: list[str] = []
    for model, paths in walk_models(root):
        parts.append(f"{hashes} {title_of(model)}")
        parts.append("")
        doc = (model.__doc__ or "").strip()
        where = ", ".join(_code(p) for p in paths)
        intro = doc + (f" Dùng ở: {where}." if where else "")
        parts.append(_one_line(intro))
        if model in MODEL_RULES:
            parts.append("")
            parts.append(MODEL_RULES[model])
        fields = list(model.model_fields.values())
        parts.append("")
        parts.append('<details class="htx-fields" markdown="1">')
        parts.append(f"<summary>Xem {len(fields)} mục của nhóm “{title_of(model)}”</summary>")
        parts.append("")
        for info in fields:
            parts.append(_item(info))
        parts.append("")
        parts.append("</details>")
        parts.append("")
    return "\n".join(parts).rstrip() + "\n"


def replace_block(text: str, block: str) -> str:
    """Return text with what stands between the START and END markers replaced by block."""
    start, end = text.find(START), text.find(END)
    if start < 0 or end < start:
        raise ValueError(f"thiếu cặp dấu {START} … {END}")
    return text[: start + len(START)] + "\n\n" + block.strip() + "\n\n" + text[end:]


def _root(root: Path | None) -> Path:
    if root is not None:
        return root
    from .root import find_root

    return find_root()


@click.command("reference")
@click.option("--check", is_flag=True, help="Thoát với mã 1 nếu phần tra cứu trong CONTRIBUTING.md khác mô hình dữ liệu.")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Thư mục dự án (mặc định: thư mục gần nhất có mkdocs.yml).")
def reference(check: bool, root: Path | None) -> None:
    """Ghi phần tra cứu các mục của hồ sơ (sinh từ mô hình dữ liệu) vào CONTRIBUTING.md.

    \b
    Ví dụ:
      htx reference           # cập nhật phần tra cứu trong CONTRIBUTING.md
      htx reference --check   # báo lỗi nếu phần tra cứu đã cũ (dùng trong kiểm thử)
    """
    path = _root(root) / CONTRIBUTING
    if not path.is_file():
        raise click.ClickException(f"Không có tệp {path}.")
    text = path.read_text(encoding="utf-8")
    try:
        fresh = replace_block(text, field_reference_markdown())
    except ValueError as exc:
        raise click.ClickException(f"{path}: {exc}.") from None
    if check:
        if fresh != text:
            click.echo(f"Phần tra cứu trong {path} đã cũ: chạy `htx reference` để cập nhật.", err=True)
            sys.exit(1)
        click.echo("Phần tra cứu khớp mô hình.")
        return
    if fresh != text:
        path.write_text(fresh, encoding="utf-8")
        click.echo(f"Đã cập nhật {path}.")
    else:
        click.echo("Phần tra cứu đã khớp mô hình; không có gì thay đổi.")
