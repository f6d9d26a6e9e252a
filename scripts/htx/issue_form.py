"""Turn the body of a GitHub issue form (.github/ISSUE_TEMPLATE/ho-so-hop-tac-xa.yml) into a profile.yml.

GitHub writes an issue form's answers as Markdown: `### Label`, a blank line, then the answer;
`_No response_` for an empty answer; checkboxes as `- [X] option` / `- [ ] option`. The labels
below must match the form's labels (a test checks both ways).

Products come from one textarea, one product a line:

    Tên sản phẩm | danh mục | giá | đơn vị | giới thiệu

The result is YAML text: keys as in the model, every free text double-quoted, so that whatever a
cooperative typed (a leading zero, `:`, `#`, `có`) stays text.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import yaml

from .catalog import RESERVED_COOP_SLUGS, RESERVED_PRODUCT_IDS
from .communes import load_communes
from .text import fold, slugify
from .vocab import CATEGORIES, KINDS, SECTORS

SCHEMA_COMMENT = "# yaml-language-server: $schema=../profile.schema.json"
NO_RESPONSE = "_No response_"
PRODUCT_FORMAT = "Tên sản phẩm | danh mục | giá | đơn vị | giới thiệu"


@dataclass(frozen=True)
class FormField:
    id: str        # the issue form's id
    label: str     # the heading GitHub writes in the body
    required: bool = False


# The questions of the issue form, in order. Keep in step with .github/ISSUE_TEMPLATE/ho-so-hop-tac-xa.yml.
FIELDS: tuple[FormField, ...] = (
    FormField("ten", "Tên hợp tác xã", True),
    FormField("loai_hinh", "Loại hình", True),
    FormField("linh_vuc", "Lĩnh vực hoạt động", True),
    FormField("xa_phuong", "Xã, phường, đặc khu", True),
    FormField("chi_tiet", "Địa chỉ trụ sở", True),
    FormField("so_thanh_vien", "Số thành viên", True),
    FormField("ngay_thanh_lap", "Ngày thành lập"),
    FormField("so_dang_ky", "Mã số đăng ký hợp tác xã"),
    FormField("ho_ten", "Họ tên người đại diện", True),
    FormField("chuc_vu", "Chức vụ người đại diện", True),
    FormField("dien_thoai", "Số điện thoại", True),
    FormField("zalo", "Zalo"),
    FormField("email", "Thư điện tử"),
    FormField("website", "Trang web"),
    FormField("facebook", "Trang Facebook"),
    FormField("gioi_thieu", "Giới thiệu ngắn", True),
    FormField("dich_vu_thanh_vien", "Dịch vụ cho thành viên"),
    FormField("san_pham", "Sản phẩm"),
    FormField("xac_nhan", "Xác nhận"),
)
BY_LABEL = {f.label: f for f in FIELDS}


class FormError(ValueError):
    """An answer that cannot become a profile; the message is Vietnamese, for the person who wrote it."""


class FormFailure(click.ClickException):
    """A ClickException shown as `Lỗi: …` (the person reading it reads Vietnamese)."""

    def show(self, file: Any = None) -> None:
        click.echo(f"Lỗi: {self.format_message()}", err=True, file=file)


class Quoted(str):
    """Free text: always written double-quoted."""


class _Dumper(yaml.SafeDumper):
    """SafeDumper that double-quotes Quoted strings (and only them) and indents lists as the template does."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)


_Dumper.add_representer(Quoted, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style='"'))


# ---- body → answers -----------------------------------------------------------------------------


def parse_body(body: str) -> dict[str, str | None]:
    """Return the answers of an issue-form body by field id (None for an unanswered question).

    Only `### ` headings that are one of the form's labels start a new answer, so a `###` typed
    inside an answer stays part of it.
    """
    answers: dict[str, list[str]] = {}
    current: str | None = None
    for line in body.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        heading = line[4:].strip() if line.startswith("### ") else None
        if heading in BY_LABEL:
            current = BY_LABEL[heading].id
            answers[current] = []
        elif current is not None:
            answers[current].append(line)
    out: dict[str, str | None] = {f.id: None for f in FIELDS}
    for key, lines in answers.items():
        text = "\n".join(lines).strip()
        out[key] = None if text in ("", NO_RESPONSE) else text
    return out


def checked(answer: str | None) -> list[str]:
    """Return the options ticked in a checkboxes answer (`- [x] option`)."""
    if not answer:
        return []
    return [m.group(1).strip() for m in re.finditer(r"(?m)^\s*[-*]\s*\[[xX]\]\s*(.+?)\s*$", answer)]


# ---- answers → profile --------------------------------------------------------------------------


def coop_slug(name: str) -> str:
    """Return the folder name of a cooperative: its name slugified, `hop-tac-xa-` shortened to `htx-`."""
    slug = slugify(name)
    if slug.startswith("hop-tac-xa-"):
        slug = "htx-" + slug[len("hop-tac-xa-"):]
    return _cut(slug, 60)


def _cut(slug: str, limit: int) -> str:
    if len(slug) <= limit:
        return slug
    return slug[:limit].rsplit("-", 1)[0] if "-" in slug[:limit] else slug[:limit]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _lines(text: str | None) -> list[str]:
    if not text:
        return []
    return [ln.strip().lstrip("-*•").strip() for ln in text.split("\n") if ln.strip().lstrip("-*•").strip()]


def _choose(answer: str, vocab: dict[str, str], what: str) -> str:
    """Return the key of a vocabulary answered by its label or its key (diacritics and case ignored)."""
    folded = fold(answer).strip()
    for key, label in vocab.items():
        if folded in (fold(key), fold(label)):
            return key
    choices = ", ".join(f"{label} ({key})" for key, label in vocab.items())
    raise FormError(f"{what} “{answer}” không có trong danh sách. Chọn một trong: {choices}.")


def _phones(text: str) -> list[Quoted]:
    return [Quoted(p.strip()) for p in re.split(r"[,;/\n]+", text) if p.strip()]


def taken_product_ids(coops: Path, except_slug: str = "") -> set[str]:
    """Return the product ids other profiles under coops already use (product ids are unique site-wide)."""
    taken = set(RESERVED_PRODUCT_IDS)
    for path in sorted(coops.glob("*/profile.yml")):
        if path.parent.name == except_slug:
            continue
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue  # a broken profile is reported by `htx validate`, not here
        products = data.get("san_pham") if isinstance(data, dict) else None
        for product in products if isinstance(products, list) else []:
            if isinstance(product, dict) and isinstance(product.get("ma"), str):
                taken.add(product["ma"])
    return taken


def _products(text: str | None, category_vocab: dict[str, str], slug: str, taken: set[str]) -> list[dict[str, Any]]:
    products: list[dict[str, Any]] = []
    ids: set[str] = set(taken)
    for number, line in enumerate(_lines(text), start=1):
        cells = [c.strip() for c in line.split("|")]
        cells += [""] * (5 - len(cells))
        if len(cells) > 5:
            raise FormError(f"Sản phẩm dòng {number}: có quá 5 phần ngăn bởi “|”. Ghi theo mẫu: {PRODUCT_FORMAT}.")
        name, category, price, unit, summary = cells[:5]
        if not name or not category:
            raise FormError(f"Sản phẩm dòng {number}: thiếu tên hoặc danh mục. Ghi theo mẫu: {PRODUCT_FORMAT}.")
        if not summary:
            raise FormError(f"Sản phẩm dòng {number} (“{name}”): thiếu phần giới thiệu ở cuối dòng. Ghi theo mẫu: {PRODUCT_FORMAT}.")
        if unit and not price:
            raise FormError(f"Sản phẩm dòng {number} (“{name}”): có đơn vị “{unit}” nhưng chưa có giá.")
        base = _cut(slugify(name), 60) or f"san-pham-{number}"
        if base in taken:  # used by another cooperative: add ours, as the validator's hint suggests
            base = _cut(f"{base}-{slug}", 60)
        pid, n = base, 2
        while pid in ids:
            pid, n = f"{_cut(base, 57)}-{n}", n + 1
        ids.add(pid)
        product: dict[str, Any] = {
            "ma": pid,
            "ten": Quoted(name),
            "danh_muc": _choose(category, category_vocab, f"Danh mục của sản phẩm dòng {number}"),
            "gioi_thieu": Quoted(summary),
        }
        price = re.sub(r"\s*(₫|đồng|vnđ|vnd|đ)\s*$", "", price, flags=re.IGNORECASE)
        if price:
            product["gia"] = Quoted(price)
        if unit:
            product["don_vi"] = Quoted(unit)
        products.append(product)
    return products


def answers_to_profile(answers: dict[str, str | None], taken: set[str] = frozenset()) -> dict[str, Any]:
    """Return the profile (a dict with the model's Vietnamese keys) of a form's answers.

    taken: product ids other cooperatives use already; the new products get other ids.
    """
    missing = [f.label for f in FIELDS if f.required and not answers.get(f.id)]
    if missing:
        raise FormError("Thiếu câu trả lời bắt buộc: " + ", ".join(f"“{m}”" for m in missing) + ".")
    a = {k: v for k, v in answers.items() if v}
    name = _one_line(a["ten"])
    slug = coop_slug(name)
    if len(slug) < 2:
        raise FormError(f"Không tạo được mã thư mục từ tên “{name}”.")
    if slug in RESERVED_COOP_SLUGS:
        raise FormError(f"Mã “{slug}” tạo từ tên “{name}” trùng với một trang có sẵn của trang web: ghi tên đầy đủ của hợp tác xã.")
    sectors = [_choose(option, SECTORS, "Lĩnh vực") for option in checked(a["linh_vuc"])]
    if not sectors:
        raise FormError("Chọn ít nhất một ô trong “Lĩnh vực hoạt động”.")
    members = a["so_thanh_vien"].strip().replace(".", "").replace(" ", "")
    if not re.fullmatch(r"[0-9]+", members):
        raise FormError(f"“Số thành viên” phải là một số nguyên, không phải “{a['so_thanh_vien']}”.")
    commune_text = _one_line(a["xa_phuong"])
    found = load_communes().lookup(commune_text).commune
    phones = _phones(a["dien_thoai"])

    profile: dict[str, Any] = {"ma": slug, "ten": Quoted(name), "loai_hinh": _choose(a["loai_hinh"], KINDS, "Loại hình"), "linh_vuc": sectors}
    if "ngay_thanh_lap" in a:
        profile["ngay_thanh_lap"] = Quoted(_one_line(a["ngay_thanh_lap"]))
    if "so_dang_ky" in a:
        profile["so_dang_ky"] = Quoted(_one_line(a["so_dang_ky"]))
    profile["so_thanh_vien"] = int(members)
    profile["nguoi_dai_dien"] = {"ho_ten": Quoted(_one_line(a["ho_ten"])), "chuc_vu": Quoted(_one_line(a["chuc_vu"]))}
    profile["dia_chi"] = {"chi_tiet": Quoted(_one_line(a["chi_tiet"])), "xa_phuong": Quoted(found.name if found else commune_text)}
    contact: dict[str, Any] = {"dien_thoai": phones}
    if "zalo" in a:
        zalo = _one_line(a["zalo"])
        # "có" (yes) means: the first phone number is on Zalo.
        contact["zalo"] = phones[0] if fold(zalo) in ("co", "x", "nhu tren", "so tren") and phones else Quoted(zalo)
    for key in ("email", "website", "facebook"):
        if key in a:
            contact[key] = Quoted(_one_line(a[key]))
    profile["lien_he"] = contact
    profile["gioi_thieu"] = Quoted(_one_line(a["gioi_thieu"]))
    services = _lines(a.get("dich_vu_thanh_vien"))
    if services:
        profile["kieu_moi"] = {"dich_vu_thanh_vien": [Quoted(s) for s in services]}
    products = _products(a.get("san_pham"), {k: c.label for k, c in CATEGORIES.items()}, slug, set(taken))
    if products:
        profile["san_pham"] = products
    return profile


def profile_yaml(profile: dict[str, Any]) -> str:
    """Return profile as the text of a profile.yml (schema comment first, free text double-quoted)."""
    body = yaml.dump(profile, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1_000_000, default_flow_style=False)
    return SCHEMA_COMMENT + "\n" + body


def body_to_profile(body: str, coops: Path | None = None) -> tuple[str, str]:
    """Return the slug and the profile.yml text of an issue-form body; raise FormError on bad answers.

    coops: the folder of the other cooperatives, whose product ids the new products must not reuse.
    """
    answers = parse_body(body)
    taken = taken_product_ids(coops, coop_slug(answers.get("ten") or "")) if coops is not None else set()
    profile = answers_to_profile(answers, taken)
    return profile["ma"], profile_yaml(profile)


# ---- command ------------------------------------------------------------------------------------


@click.command("from-issue")
@click.argument("body_file", type=click.File("r", encoding="utf-8"), default="-", required=False)
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("cooperatives"), show_default=True,
              help="Folder of the cooperatives.")
@click.option("--overwrite", is_flag=True, help="Replace an existing profile.yml (staff only: it drops what the form has no field for).")
def from_issue(body_file, out_dir: Path, overwrite: bool) -> None:
    """Tạo hồ sơ từ nội dung một issue “Đăng ký / cập nhật hồ sơ hợp tác xã”.

    Đọc nội dung issue từ tệp BODY_FILE (hoặc từ đầu vào chuẩn), ghi <out-dir>/<ma>/profile.yml
    và in đường dẫn tệp.

    \b
    Ví dụ:
      htx from-issue issue.md
      gh issue view 12 --json body -q .body | htx from-issue
    """
    body = body_file.read()
    if not body.strip():
        raise FormFailure("Nội dung issue trống.")
    try:
        slug, text = body_to_profile(body, out_dir)
    except FormError as exc:
        raise FormFailure(str(exc)) from None
    folder = out_dir / slug
    path = folder / "profile.yml"
    if path.exists() and not overwrite:
        raise FormFailure(f"Đã có hồ sơ {path}. Hồ sơ đã có cần được biên tập viên cập nhật trực tiếp "
                                   "(hoặc chạy lại với --overwrite nếu chắc chắn muốn thay toàn bộ).")
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    click.echo(path.as_posix())


if __name__ == "__main__":  # pragma: no cover
    from_issue(sys.argv[1:])
