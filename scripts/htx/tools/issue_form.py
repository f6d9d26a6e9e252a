"""Turn the body of a GitHub issue form (.github/ISSUE_TEMPLATE/ho-so-hop-tac-xa.yml) into a profile.yml.

GitHub writes an issue form's answers as Markdown: `### Label`, a blank line, then the answer;
`_No response_` for an empty answer; checkboxes as `- [X] option` / `- [ ] option`. The labels
below must match the form's labels (a test checks both ways).

Products come from one textarea, one product a line:

    Tên sản phẩm | danh mục | giá | đơn vị | giới thiệu

The English version (`tieng_anh:`, optional) comes from three questions: the cooperative's English name and
summary, and a textarea of products, one a line, each named by its Vietnamese name as written above:

    Tên sản phẩm | tên tiếng Anh | giới thiệu tiếng Anh

(the English unit is left out: the English page translates the usual units itself).

The result is YAML text: keys as in the model, every free text double-quoted, so that whatever a
cooperative typed (a leading zero, `:`, `#`, `có`) stays text.

The issue body is untrusted and the bot's answer is public, so: the body is capped in size; numbers are
range-checked on their digits before any conversion; the folder name comes from `slugify` and is checked
against the slug pattern and the output folder; other profiles are read through `htx.data.load.read_profiles`
(size and node limits); every echoed text is quoted with `fence()`, which no answer can close; and an
unexpected error becomes one Vietnamese sentence in the comment, its traceback only on stderr (the job log).
"""
from __future__ import annotations

import os
import re
import sys
import traceback
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import yaml

from ..site.catalog import RESERVED_COOP_SLUGS, RESERVED_PRODUCT_IDS, Catalog
from ..data.communes import load_communes
from ..data.load import read_profiles
from ..data.problems import Problem
from ..data.text import fold, slugify, suggest
from ..data.vocab import CATEGORIES, KINDS, SECTORS

SCHEMA_COMMENT = "# yaml-language-server: $schema=../profile.schema.json"
NO_RESPONSE = "_No response_"
PRODUCT_FORMAT = "Tên sản phẩm | danh mục | giá | đơn vị | giới thiệu"
ENGLISH_FORMAT = "Tên sản phẩm | tên tiếng Anh | giới thiệu tiếng Anh"
MAX_BODY_CHARS = 65_536      # GitHub's own limit for an issue body
MAX_MEMBER_DIGITS = 7        # the model allows 1–1,000,000 members
MAX_MEMBERS = 1_000_000
MAX_PRICE_DIGITS = 12        # a price in đồng; more is a typing mistake
MAX_COMMENT_CHARS = 60_000   # GitHub refuses comments over 65,536 characters
MAX_PROBLEMS_SHOWN = 30
SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
RETRY_HINT = "Sửa nội dung issue (nút … → Edit), rồi nhờ biên tập viên gắn lại nhãn `ho-so-moi`."


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
    FormField("ho_ten", "Họ tên người đại diện"),
    FormField("chuc_vu", "Chức vụ người đại diện", True),
    FormField("dai_dien_dien_thoai", "Số di động riêng của người đại diện"),
    FormField("dai_dien_zalo", "Zalo riêng của người đại diện"),
    FormField("dai_dien_email", "Thư điện tử riêng của người đại diện"),
    FormField("dien_thoai", "Số điện thoại", True),
    FormField("zalo", "Zalo"),
    FormField("email", "Thư điện tử"),
    FormField("website", "Trang web"),
    FormField("facebook", "Trang Facebook"),
    FormField("gioi_thieu", "Giới thiệu ngắn", True),
    FormField("dich_vu_thanh_vien", "Dịch vụ cho thành viên"),
    FormField("san_pham", "Sản phẩm"),
    FormField("ten_tieng_anh", "Tên tiếng Anh của hợp tác xã"),
    FormField("gioi_thieu_tieng_anh", "Giới thiệu bằng tiếng Anh"),
    FormField("san_pham_tieng_anh", "Sản phẩm bằng tiếng Anh"),
    FormField("xac_nhan_ngay", "Ngày xác nhận thông tin", True),
    FormField("dong_y", "Đồng ý công khai thông tin cá nhân"),
    FormField("nguoi_dong_y", "Người đồng ý"),
    FormField("vai_tro", "Vai trò của người đồng ý"),
    FormField("ngay_dong_y", "Ngày đồng ý"),
    FormField("xac_nhan", "Xác nhận"),
)
CONSENT_OPTION = "Người đại diện đồng ý công khai họ tên và các thông tin liên hệ riêng ghi ở trên."
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
    raise FormError(f"{what} “{_short(answer)}” không có trong danh sách. Chọn một trong: {choices}.")


def _short(text: str, limit: int = 80) -> str:
    """Return text on one line, cut to limit characters, for a message (answers are quoted, never in full).

    One line: a message is also printed to the job log, where a line starting with `::` is a command.
    """
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _members(answer: str) -> int:
    """Return the number of members of an answer such as `1.200`, its digits checked before conversion."""
    digits = re.sub(r"[\s.]", "", answer)
    if not re.fullmatch(r"[0-9]+", digits):
        raise FormError(f"“Số thành viên” phải là một số nguyên, không phải “{_short(answer)}”.")
    digits = digits.lstrip("0") or "0"
    # Checked on the digits: int() of thousands of digits is slow, and past 4,300 raises.
    if len(digits) > MAX_MEMBER_DIGITS or not 1 <= int(digits) <= MAX_MEMBERS:
        raise FormError(f"“Số thành viên” phải từ 1 đến {MAX_MEMBERS:,} (ghi số thành viên chính thức)."
                        .replace(",", "."))
    return int(digits)


def _phones(text: str) -> list[Quoted]:
    return [Quoted(p.strip()) for p in re.split(r"[,;/\n]+", text) if p.strip()]


def taken_product_ids(coops: Path, except_slug: str = "") -> set[str]:
    """Return the product ids other profiles under coops already use (product ids are unique site-wide).

    Profiles are read as `htx validate` reads them (size and node limits, `_`/`.` folders skipped);
    a broken profile is reported by `htx validate`, not here.
    """
    taken = set(RESERVED_PRODUCT_IDS)
    docs, _problems = read_profiles(coops)
    for doc in docs:
        if doc.folder.name == except_slug:
            continue
        data = doc.data
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
            raise FormError(f"Sản phẩm dòng {number} (“{_short(name)}”): thiếu phần giới thiệu ở cuối dòng. Ghi theo mẫu: {PRODUCT_FORMAT}.")
        if unit and not price:
            raise FormError(f"Sản phẩm dòng {number} (“{_short(name)}”): có đơn vị “{_short(unit)}” nhưng chưa có giá.")
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
        if sum(ch.isdigit() for ch in price) > MAX_PRICE_DIGITS:
            raise FormError(f"Sản phẩm dòng {number} (“{_short(name)}”): giá có quá {MAX_PRICE_DIGITS} chữ số. "
                            "Ghi giá bằng đồng, ví dụ 120.000, hoặc “liên hệ”.")
        if price:
            product["gia"] = Quoted(price)
        if unit:
            product["don_vi"] = Quoted(unit)
        products.append(product)
    return products


def _products_english(text: str | None, products: list[dict[str, Any]]) -> None:
    """Add `tieng_anh` to the products the lines of the English products answer name (by their Vietnamese name).

    Products of the same name (two sizes of one rice) share their English line.
    """
    named: dict[str, list[dict[str, Any]]] = {}
    for product in products:
        named.setdefault(fold(_one_line(product["ten"])), []).append(product)
    seen: dict[str, int] = {}
    for number, line in enumerate(_lines(text), start=1):
        cells = [_one_line(c) for c in line.split("|")]
        if len(cells) > 3:
            raise FormError(f"Sản phẩm bằng tiếng Anh dòng {number}: có quá 3 phần ngăn bởi “|”. Ghi theo mẫu: {ENGLISH_FORMAT}.")
        name, english_name, english_summary = cells + [""] * (3 - len(cells))
        if not name or not (english_name or english_summary):
            raise FormError(f"Sản phẩm bằng tiếng Anh dòng {number}: cần tên sản phẩm (như ở mục “Sản phẩm”) và tên hoặc "
                            f"giới thiệu tiếng Anh. Ghi theo mẫu: {ENGLISH_FORMAT}.")
        key = fold(name)
        if key not in named:
            guess = suggest(name, [str(p["ten"]) for p in products])
            raise FormError(f"Sản phẩm bằng tiếng Anh dòng {number}: mục “Sản phẩm” không có sản phẩm nào tên “{_short(name)}”. "
                            + (f"Có phải “{_short(guess)}”?" if guess else "Ghi tên sản phẩm đúng như ở mục “Sản phẩm”."))
        if key in seen:
            raise FormError(f"Sản phẩm bằng tiếng Anh dòng {number}: sản phẩm “{_short(name)}” đã có ở dòng {seen[key]}.")
        seen[key] = number
        english = {"ten": Quoted(english_name)} if english_name else {}
        if english_summary:
            english["gioi_thieu"] = Quoted(english_summary)
        for product in named[key]:
            product["tieng_anh"] = dict(english)


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
    if len(slug) < 2 or not SLUG_PATTERN.fullmatch(slug):
        raise FormError(f"Không tạo được mã thư mục từ tên “{_short(name)}”: tên cần có chữ cái hoặc chữ số.")
    if slug in RESERVED_COOP_SLUGS:
        raise FormError(f"Mã “{slug}” tạo từ tên “{_short(name)}” trùng với một trang có sẵn của trang web: ghi tên đầy đủ của hợp tác xã.")
    sectors = [_choose(option, SECTORS, "Lĩnh vực") for option in checked(a["linh_vuc"])]
    if not sectors:
        raise FormError("Chọn ít nhất một ô trong “Lĩnh vực hoạt động”.")
    members = _members(a["so_thanh_vien"])
    commune_text = _one_line(a["xa_phuong"])
    found = load_communes().lookup(commune_text).commune
    phones = _phones(a["dien_thoai"])

    profile: dict[str, Any] = {"ma": slug, "ten": Quoted(name), "loai_hinh": _choose(a["loai_hinh"], KINDS, "Loại hình"), "linh_vuc": sectors}
    if "ngay_thanh_lap" in a:
        profile["ngay_thanh_lap"] = Quoted(_one_line(a["ngay_thanh_lap"]))
    if "so_dang_ky" in a:
        profile["so_dang_ky"] = Quoted(_one_line(a["so_dang_ky"]))
    profile["so_thanh_vien"] = members
    profile["xac_nhan_ngay"] = Quoted(_one_line(a["xac_nhan_ngay"]))
    representative: dict[str, Any] = {}
    if "ho_ten" in a:
        representative["ho_ten"] = Quoted(_one_line(a["ho_ten"]))
    representative["chuc_vu"] = Quoted(_one_line(a["chuc_vu"]))
    # Personal fields are written whether or not consent is ticked: without it `htx validate` says they are
    # held back, and nothing of them is published.
    for key, alias in (("dai_dien_dien_thoai", "dien_thoai"), ("dai_dien_zalo", "zalo"), ("dai_dien_email", "email")):
        if key in a:
            representative[alias] = Quoted(_one_line(a[key]))
    profile["nguoi_dai_dien"] = representative
    if CONSENT_OPTION in checked(a.get("dong_y")):
        missing = [f"“{f.label}”" for f in FIELDS if f.id in ("nguoi_dong_y", "vai_tro", "ngay_dong_y") and f.id not in a]
        if missing:
            raise FormError("Đã đánh dấu “Đồng ý công khai thông tin cá nhân” nhưng thiếu " + ", ".join(missing)
                            + ": ghi ai đồng ý, vai trò của họ và ngày đồng ý (dd/mm/yyyy).")
        profile["dong_y_cong_khai"] = {"nguoi_dong_y": Quoted(_one_line(a["nguoi_dong_y"])),
                                       "vai_tro": Quoted(_one_line(a["vai_tro"])),
                                       "ngay": Quoted(_one_line(a["ngay_dong_y"]))}
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
    english = {key: Quoted(_one_line(a[answer])) for key, answer in (("ten", "ten_tieng_anh"), ("gioi_thieu", "gioi_thieu_tieng_anh"))
               if answer in a}
    if english:
        profile["tieng_anh"] = english
    products = _products(a.get("san_pham"), {k: c.label for k, c in CATEGORIES.items()}, slug, set(taken))
    _products_english(a.get("san_pham_tieng_anh"), products)
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
    if len(body) > MAX_BODY_CHARS:
        raise FormError(f"Nội dung issue dài hơn giới hạn {MAX_BODY_CHARS:,} ký tự.".replace(",", ".")
                        + " Rút gọn phần giới thiệu và danh sách sản phẩm.")
    answers = parse_body(body)
    taken = taken_product_ids(coops, coop_slug(answers.get("ten") or "")) if coops is not None else set()
    profile = answers_to_profile(answers, taken)
    return profile["ma"], profile_yaml(profile)


def profile_path(out_dir: Path, slug: str) -> Path:
    """Return out_dir/<slug>/profile.yml, refusing any slug that could name another place."""
    folder = out_dir / slug
    # slugify only ever gives [a-z0-9-]; this keeps it so if that ever changes (no `..`, `/`, `_`, `.`).
    if not SLUG_PATTERN.fullmatch(slug) or folder.resolve().parent != out_dir.resolve():
        raise FormError(f"Không tạo được mã thư mục hợp lệ (“{_short(slug)}”) từ tên hợp tác xã.")
    return folder / "profile.yml"


# ---- the public comment ---------------------------------------------------------------------------


_VISIBLE_CONTROLS = {"\n", "\t"}


def _inert(text: str) -> str:
    """Return text with control, bidi and invisible characters shown as `\\uXXXX` (a comment shows them as they are)."""
    out = []
    for ch in text.replace("\r\n", "\n").replace("\r", "\n"):
        if ch not in _VISIBLE_CONTROLS and unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            out.append(f"\\u{ord(ch):04x}" if ord(ch) < 0x10000 else f"\\U{ord(ch):08x}")
        else:
            out.append(ch)
    return "".join(out)


def fence(text: str, info: str = "text") -> str:
    """Return text as a fenced code block that nothing inside it can close.

    The fence is one backtick longer than the longest run of backticks in text (CommonMark closes a
    backtick fence only with at least as many backticks; a `~~~` line never closes it), so mentions,
    callouts, HTML and links inside stay inert text. Control and bidi characters are shown escaped.
    """
    body = _inert(text).rstrip("\n")
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{info}\n{body}\n{ticks}"


def comment_created(path: str, text: str) -> str:
    """Return the comment for a profile created and valid: its path and its text, quoted."""
    head = f"Đã tạo hồ sơ `{path}` từ issue này; hồ sơ hợp lệ. Nội dung hồ sơ:"
    comment = f"{head}\n\n{fence(text, 'yaml')}\n"
    if len(comment) > MAX_COMMENT_CHARS:
        comment = f"Đã tạo hồ sơ `{path}` từ issue này; hồ sơ hợp lệ. Hồ sơ quá dài để hiện ở đây: xem trong pull request.\n"
    return comment


def comment_refused(message: str, lead: str = "Chưa tạo được hồ sơ từ issue này:") -> str:
    """Return the comment for answers that cannot become a valid profile: the message quoted, then what to do."""
    quoted = fence(message[:MAX_COMMENT_CHARS - 1000])
    return f"{lead}\n\n{quoted}\n\n{RETRY_HINT}\n"


COMMENT_UNEXPECTED = ("Chưa tạo được hồ sơ vì chương trình gặp một lỗi bất ngờ, không phải do nội dung bạn điền. "
                      "Biên tập viên xem chi tiết trong nhật ký chạy của GitHub Actions và sẽ báo lại; "
                      "bạn không cần gửi lại issue.\n")


def problems_of_new_profile(out_dir: Path, path: Path) -> tuple[list[str], list[Problem]]:
    """Return the lines `htx validate` prints for the profile at path (photos not decoded), and its errors.

    Every profile under out_dir is read, so that duplicates with other cooperatives count; duplicates
    are reported on the new file.
    """
    from ..data.validate import validate_all  # the validator pulls in pydantic; only needed here

    base = out_dir.parent
    display = Path(os.path.relpath(path.absolute(), base.absolute())).as_posix()
    docs, problems = read_profiles(out_dir, base=base)
    entries, found = validate_all(docs, check_images=False)
    problems += found
    _, found = Catalog.from_entries(entries, prefer={display})
    problems += found
    return [p.format_text() for p in sorted(problems) if p.file == display], [
        p for p in problems if p.file == display and p.severity == "error"]


# ---- command ------------------------------------------------------------------------------------


def _write_comment(target: Path | None, text: str) -> None:
    if target is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def _create(body: str, out_dir: Path, overwrite: bool) -> tuple[Path, str, list[str], bool]:
    """Write the profile of body; return its path, text, the validator's lines and whether it has errors."""
    if not body.strip():
        raise FormError("Nội dung issue trống.")
    slug, text = body_to_profile(body, out_dir)
    path = profile_path(out_dir, slug)
    if path.exists() and not overwrite:
        raise FormError(f"Đã có hồ sơ {path.as_posix()}. Hồ sơ đã có cần được biên tập viên cập nhật trực tiếp "
                        "(hoặc chạy lại với --overwrite nếu chắc chắn muốn thay toàn bộ).")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    lines, errors = problems_of_new_profile(out_dir, path)
    return path, text, lines, bool(errors)


@click.command("from-issue")
@click.argument("body_file", type=click.File("r", encoding="utf-8", errors="replace"), default="-", required=False)
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("cooperatives"), show_default=True,
              help="Thư mục chứa hồ sơ các hợp tác xã.")
@click.option("--overwrite", is_flag=True, help="Ghi đè profile.yml đã có (chỉ ban biên tập: mất những mục biểu mẫu không có).")
@click.option("--comment", "comment", type=click.Path(dir_okay=False, path_type=Path),
              help="Ghi thêm câu trả lời công khai cho issue (Markdown, tiếng Việt) vào tệp này.")
def from_issue(body_file, out_dir: Path, overwrite: bool, comment: Path | None) -> None:
    """Tạo hồ sơ từ nội dung một issue “Đăng ký / cập nhật hồ sơ hợp tác xã”.

    Đọc nội dung issue từ tệp BODY_FILE (hoặc từ đầu vào chuẩn), ghi <out-dir>/<ma>/profile.yml,
    kiểm tra hồ sơ như `htx validate` và in đường dẫn tệp khi hồ sơ hợp lệ. --comment ghi thêm
    câu trả lời cho issue (lời nhắn lỗi hoặc nội dung hồ sơ, luôn trong khối trích dẫn).

    \b
    Ví dụ:
      htx from-issue issue.md
      htx from-issue issue.md --comment tra-loi.md
      gh issue view 12 --json body -q .body | htx from-issue
    """
    try:
        body = body_file.read(MAX_BODY_CHARS + 1)
        path, text, lines, invalid = _create(body, out_dir, overwrite)
    except FormError as exc:
        _write_comment(comment, comment_refused(str(exc)))
        raise FormFailure(str(exc)) from None
    except Exception:  # noqa: BLE001 — whatever it is, the public answer must not be a traceback
        traceback.print_exc(file=sys.stderr)
        _write_comment(comment, COMMENT_UNEXPECTED)
        raise FormFailure("lỗi bất ngờ khi tạo hồ sơ (chi tiết ở trên).") from None
    shown = lines[:MAX_PROBLEMS_SHOWN] + ([f"… và {len(lines) - MAX_PROBLEMS_SHOWN} lỗi khác."] if len(lines) > MAX_PROBLEMS_SHOWN else [])
    for line in shown:
        click.echo(line, err=True)
    if invalid:
        _write_comment(comment, comment_refused("\n".join(shown), "Hồ sơ tạo từ issue này chưa hợp lệ:"))
        raise FormFailure(f"hồ sơ {path.as_posix()} đã được ghi nhưng chưa hợp lệ (xem các lỗi ở trên).")
    _write_comment(comment, comment_created(path.as_posix(), text))
    click.echo(path.as_posix())


if __name__ == "__main__":  # pragma: no cover
    from_issue(sys.argv[1:])
