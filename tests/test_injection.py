"""Hostile text in every text field of a profile, built for real with `mkdocs build --strict`.

The list of fields is derived from the model (every field whose type is text), so a new field is
covered as soon as it exists. A payload either is refused by validation (links, phones, dates, codes,
communes, photo paths) or shows as plain visible text: never markup, script, a live link, an include
or a template expression, and never a `<!-- htx:… -->` block or an `htx:` link (those belong to
hand-written pages only).
"""
from __future__ import annotations

import copy
import html
import json
import re
import types
import typing
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from PIL import Image
from pydantic import BaseModel

from htx.data.load import parse_text
from htx.data.model import Cooperative
from htx.data.problems import format_path
from htx.data.validate import is_long_text, validate_document

try:
    from conftest import MKDOCS, REPO, copy_project, run
except ImportError:  # tests/ imported as a package
    from tests.conftest import MKDOCS, REPO, copy_project, run

pytestmark = pytest.mark.slow

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "javascript:alert(1)",
    "[x](javascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "{{ config }}",
    "{% include 'x' %}",
    '--8<-- "/etc/passwd"',
    '!!! note "x"',
    '{: onclick="alert(1)" }',
    "<!-- htx:figures -->",
    "](htx:x)",
]
# The same after a blank line: a blank line ends a raw HTML block in some Markdown parsers, which
# would hand the rest of the value to Markdown (links, attribute lists, admonitions, abbreviations).
BLOCK_BREAKERS = ["ok\n\n" + p for p in PAYLOADS if p != "](htx:x)"] + [
    "ok\n\n*[ok]: <script>alert(1)</script>\n",
    "ok\n---\nhide: []\ntitle: x\n---\n# x",
]
ALL = PAYLOADS + BLOCK_BREAKERS

# Fields rendered through the Markdown subset (richtext.render_markdown): links keep their text only.
MARKDOWN_FIELDS = {"cau_chuyen", "san_pham[0].mo_ta", "tieng_anh.cau_chuyen", "san_pham[0].tieng_anh.mo_ta"}
# Fields the site does not show (kept for the record, or shown only as a label chosen from a list).
NOT_SHOWN: set[str] = {
    "san_pham[0].chung_nhan[0].so",       # product certificates show as badges (name only)
    "san_pham[0].chung_nhan[0].noi_cap",
    "dong_y_cong_khai.nguoi_dong_y",      # the consent is a record for staff, not page content
    "dong_y_cong_khai.vai_tro",
    "dong_y_cong_khai.ghi_chu",
}


# -- the model's text fields ---------------------------------------------------------------------


def _unwrap(annotation: Any) -> list[Any]:
    """Return the alternatives of an annotation with Optional/Union/Annotated removed."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [t for a in typing.get_args(annotation) for t in _unwrap(a)]
    return [annotation]


def _metadata(annotation: Any, own: list) -> list:
    """Return the constraints and validators of a text annotation (Annotated layers and the field's own)."""
    found, stack = list(own), [annotation]
    while stack:
        a = stack.pop()
        if typing.get_origin(a) is typing.Annotated:
            args = typing.get_args(a)
            stack.append(args[0])
            for m in args[1:]:
                found += [m, *(getattr(m, "metadata", None) or [])]
        elif typing.get_origin(a) in (typing.Union, types.UnionType):
            stack += typing.get_args(a)
    return found


def text_fields(model: type[BaseModel] = Cooperative, path: tuple = ()) -> list[tuple[tuple, int, int, bool]]:
    """Return (location, min length, max length, checked) of every text field, lists at index 0.

    `checked`: the model gives the text a meaning it validates (link, phone, date, code...).
    """
    out = []
    for info in model.model_fields.values():
        loc = path + (info.alias,)
        annotation, own = info.annotation, list(info.metadata)
        lists = [typing.get_args(k)[0] for k in _unwrap(annotation) if typing.get_origin(k) is list]
        if lists:
            loc, annotation, own = loc + (0,), lists[0], []  # the list's own limits count items
        kinds = _unwrap(annotation)
        for sub in (k for k in kinds if isinstance(k, type) and issubclass(k, BaseModel)):
            out += text_fields(sub, loc)
        if str in kinds:
            meta = _metadata(annotation, own)
            low = max([getattr(m, "min_length", None) or 0 for m in meta] + [0])
            high = min([getattr(m, "max_length", None) or 10**6 for m in meta] + [10**6])
            checked = any(type(m).__name__ == "AfterValidator" or getattr(m, "pattern", None) for m in meta)
            out.append((loc, low, high, checked))
    return out


# Text the model takes as is but the validator resolves: communes, and photo files on disk.
RESOLVED = {"xa_phuong", "noi_san_xuat", "tep"}


FIELDS = text_fields()


def test_every_text_field_is_found() -> None:
    names = {format_path(loc) for loc, *_ in FIELDS}
    assert len(FIELDS) >= 50
    assert {"ten", "gioi_thieu", "cau_chuyen", "san_pham[0].ten", "san_pham[0].mo_ta", "kieu_moi.dich_vu_thanh_vien[0]",
            "lien_he.website", "hinh_anh[0].mo_ta", "san_pham[0].ocop.so_quyet_dinh"} <= names
    assert NOT_SHOWN <= names and MARKDOWN_FIELDS <= names


# -- a profile that fills every optional part ----------------------------------------------------


def full_profile(slug: str, product: str) -> dict:
    """Return a valid profile (as written: all text) with every optional group present once."""
    return {
        "ma": slug, "ho_so_mau": "có", "ten": "Hợp tác xã Kiểm Thử An Toàn", "ten_viet_tat": "HTX Kiểm Thử",
        "loai_hinh": "hop-tac-xa", "linh_vuc": ["trong-trot"], "ngay_thanh_lap": "15/03/2012", "so_dang_ky": "1601234567",
        "so_thanh_vien": "12",
        "nguoi_dai_dien": {"ho_ten": "Trần Thị Bình", "chuc_vu": "Giám đốc"},
        "dong_y_cong_khai": {"nguoi_dong_y": "Trần Thị Bình", "vai_tro": "Giám đốc", "ngay": "12/05/2026"},
        "xac_nhan_ngay": "12/05/2026",
        "dia_chi": {"chi_tiet": "Ấp Hòa Bình", "xa_phuong": "Xã Thoại Sơn", "toa_do": {"vi_do": "10.3", "kinh_do": "105.3"}},
        "lien_he": {"dien_thoai": ["0912 000 123"], "zalo": "0912 000 123", "email": "htx@example.vn",
                    "website": "https://example.vn", "facebook": "https://facebook.com/htx",
                    "mang_xa_hoi": [{"loai": "youtube", "lien_ket": "https://youtube.com/@htx"}]},
        "kenh_ban_hang": [{"loai": "cua-hang", "lien_ket": "https://example.vn/shop", "ghi_chu": "Cửa hàng ở chợ xã"}],
        "gioi_thieu": "Hợp tác xã dùng trong kiểm thử an toàn nội dung.",
        "cau_chuyen": "Câu chuyện của hợp tác xã.",
        "tieng_anh": {"ten": "Test Cooperative", "gioi_thieu": "A cooperative that tests the English pages.",
                      "cau_chuyen": "Our story."},
        "kieu_moi": {"dich_vu_thanh_vien": ["Cung ứng giống"], "lien_ket": [{"doi_tac": "Công ty A", "noi_dung": "Bao tiêu lúa"}],
                     "dien_tich_ha": "120", "loi_ich_thanh_vien": "Thành viên được giá tốt."},
        "chung_nhan": [{"loai": "khac", "ten": "Chứng nhận X", "so": "CN-01", "noi_cap": "Sở Nông nghiệp",
                        "ngay_cap": "01/01/2024", "het_han": "01/01/2099", "lien_ket": "https://example.vn/cn"}],
        "logo": {"tep": "images/logo.jpg", "mo_ta": "Logo hợp tác xã"},
        "hinh_anh": [{"tep": "images/a.jpg", "mo_ta": "Ảnh hoạt động"}],
        "san_pham": [{
            "ma": product, "ten": "Gạo kiểm thử", "danh_muc": "gao-nong-san", "gioi_thieu": "Gạo thơm dùng để kiểm thử.",
            "mo_ta": "Mô tả sản phẩm.", "gia": "25.000", "don_vi": "kg",
            "ocop": {"sao": "4", "nam": "2024", "so_quyet_dinh": "1234/QĐ-UBND", "ngay_cong_nhan": "01/02/2024", "het_han": "01/02/2099"},
            "chung_nhan": [{"loai": "khac", "ten": "Chứng nhận Y", "so": "CN-02", "noi_cap": "Sở Y", "ngay_cap": "01/01/2024",
                            "het_han": "01/01/2099", "lien_ket": "https://example.vn/cn2"}],
            "mua_vu": ["1", "2"], "quy_cach": "Túi 5 kg", "han_su_dung": "12 tháng", "noi_san_xuat": "Xã Thoại Sơn",
            "hinh_anh": [{"tep": "images/sp.jpg", "mo_ta": "Túi gạo kiểm thử"}],
            "noi_ban": [{"loai": "khac", "lien_ket": "https://example.vn/sp", "ghi_chu": "Bán ở chợ"}],
            "tieng_anh": {"ten": "Test rice", "gioi_thieu": "Fragrant rice for tests.", "mo_ta": "A description.",
                          "don_vi": "5 kg bag"},
            "noi_bat": "có"}],
    }


def write_profile(root: Path, data: dict) -> Path:
    folder = root / "cooperatives" / data["ma"]
    (folder / "images").mkdir(parents=True, exist_ok=True)
    for name in ("logo.jpg", "a.jpg", "sp.jpg"):
        Image.new("RGB", (640, 480), (120, 160, 60)).save(folder / "images" / name, "JPEG")
    (folder / "profile.yml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


def put(data: dict, loc: tuple, value: str) -> None:
    node: Any = data
    for part in loc[:-1]:
        node = node[part]
    node[loc[-1]] = value


def value_for(payload: str, tag: str, low: int, high: int) -> str | None:
    """Return payload with a short tag (to tell fields apart), lengthened to the minimum; None if too long."""
    for value in (f"{payload} ~{tag}", payload):
        value = value + " ." * max(0, (low - len(value) + 1) // 2)
        if len(value) <= high:
            return value
    return None


# -- which payloads each field accepts -----------------------------------------------------------


class Plan:
    """For one payload: the value put in each field, and which fields validation refused."""

    def __init__(self, index: int, payload: str, folder: Path) -> None:
        self.index, self.payload = index, payload
        self.slug, self.product = f"htx-tan-cong-{index:02d}", f"sp-tan-cong-{index:02d}"
        self.values: dict[tuple, str] = {}
        self.checked = {loc for loc, _, _, checked in FIELDS if checked or loc[-1] in RESOLVED}
        if "\n" in payload:  # names and other one-line fields refuse line breaks (and so blank lines)
            self.checked |= {loc for loc, *_ in FIELDS if not is_long_text(loc)}
        for n, (loc, low, high, _) in enumerate(FIELDS):
            value = value_for(payload, f"{n:02d}", low, high)
            if value is not None:
                self.values[loc] = value
        data = self.profile(self.values)
        doc, problems = parse_text(yaml.safe_dump(data, allow_unicode=True), "p.yml", folder)
        assert doc is not None, problems
        _, problems = validate_document(doc, check_images=False)
        refused = {p.path for p in problems if p.severity == "error"}
        self.refused = {loc for loc in self.values if format_path(loc) in refused}
        self.accepted = {loc: v for loc, v in self.values.items() if loc not in self.refused}
        unexplained = refused - {format_path(loc) for loc in self.refused} - {"ma"}  # `ma` also names the folder
        assert not unexplained, (payload, unexplained, [p.format_text() for p in problems])

    def profile(self, values: dict[tuple, str]) -> dict:
        data = full_profile(self.slug, self.product)
        for loc, value in values.items():
            put(data, loc, value)
        return data


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory) -> list[Plan]:
    folder = write_profile(tmp_path_factory.mktemp("plan"), full_profile("htx-kiem-tra", "sp-kiem-tra"))
    return [Plan(i, p, folder) for i, p in enumerate(ALL)]


def test_underlined_headings_in_long_texts_become_h3() -> None:
    """Regression: `Tiêu đề` over `---` gave an h2 that the sanitizer stripped to bare text."""
    from htx.data.richtext import render_markdown

    html_out = str(render_markdown("Giới thiệu\n---\n\nMùa vụ\n===\n\nNội dung"))
    assert "<h3>Giới thiệu</h3>" in html_out and "<h3>Mùa vụ</h3>" in html_out and "<p>Nội dung</p>" in html_out
    assert "<h2>" not in str(render_markdown("<h2>x</h2>"))


def test_checked_fields_refuse_payloads_and_free_text_takes_them(plans: list[Plan]) -> None:
    """Links, phones, dates, codes, communes and photo paths refuse hostile text with a problem at the
    field; free text accepts it (its safety is escaping, tested on the built site below)."""
    for plan in plans:
        for loc in plan.values:
            name = format_path(loc)
            if loc in plan.checked:
                assert loc in plan.refused, f"{name} accepted {plan.payload!r}"
            else:
                assert loc not in plan.refused, f"{name} refused {plan.payload!r}"


# -- the built sites -----------------------------------------------------------------------------


def new_project(root: Path) -> Path:
    project = copy_project(root, coops=False)
    # Hand-written news links to the sample cooperatives (`htx:` links), which this project lacks.
    for page in (project / "content").rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        plain = re.sub(r"\[([^\]]*)\]\(htx:[^)]*\)", r"\1", text)
        if plain != text:
            page.write_text(plain, encoding="utf-8")
    return project


def build(project: Path) -> None:
    result = run(MKDOCS + ["build", "--strict"], project)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]


@pytest.fixture(scope="module")
def attacked_site(plans: list[Plan], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cooperative per payload, every field that accepts it holding it; built once."""
    project = new_project(tmp_path_factory.mktemp("injection") / "p")
    for plan in plans:
        write_profile(project, plan.profile(plan.accepted))
    build(project)
    return project / "site"


# The payloads most dangerous inside Markdown, shown in the data blocks of hand-written pages.
IN_MARKDOWN = ["[x](javascript:alert(1))", '{: onclick="alert(1)" }', "<img src=x onerror=alert(1)>", '!!! note "x"',
               "*[ok]: <script>alert(1)</script>", "<!-- htx:figures -->"]


@pytest.fixture(scope="module")
def fragment_site(plans: list[Plan], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Hand-written pages show 6–8 cooperatives in their data blocks (featured products, practice
    examples): a build with only the payloads most dangerous inside Markdown, so all of them show there.

    After a blank line (long texts of the practice examples) and on one line (product names on the home
    page's featured cards, chosen in the staff's noi-bat.yml: one-line fields refuse line breaks)."""
    chosen = [p for p in plans if p.payload.strip() in ["ok\n\n" + x for x in IN_MARKDOWN]]
    assert len(chosen) == 6
    folder = write_profile(tmp_path_factory.mktemp("plan1"), full_profile("htx-kiem-tra", "sp-kiem-tra"))
    one_line = [Plan(90 + i, payload, folder) for i, payload in enumerate(IN_MARKDOWN)]
    project = new_project(tmp_path_factory.mktemp("fragments") / "p")
    for plan in chosen + one_line:
        write_profile(project, plan.profile(plan.accepted))
    featured = {"noi_bat": [f"{p.slug}/{p.product}" for p in one_line]}
    (project / "cooperatives" / "noi-bat.yml").write_text(yaml.safe_dump(featured), encoding="utf-8")
    build(project)
    return project / "site"


URL_ATTRIBUTES = {"href", "src", "srcset", "action", "formaction", "xlink:href", "data", "poster", "background", "cite", "ping"}
BAD_SCHEME = re.compile(r"^(javascript|data|vbscript):", re.I)
# What differs between pages in the theme's inline scripts: the way back to the site root.
RELATIVE = re.compile(r'"[./]*"|(\.\./)+|(?<=")/(?=[a-z])')


def theme_scripts(site: Path) -> set[str]:
    """Return the inline scripts of the 404 page (theme and overrides only: no profile data is there)."""
    page = audit((site / "404.html").read_text(encoding="utf-8"))
    return {RELATIVE.sub("", body) for body in page.inline + page.data}
SCRIPT_SRC = re.compile(r"^(\.\./)*/?(assets|search)/[\w./-]+\.js$")


class Audit(HTMLParser):
    """Collect what must never be in a page, and the visible text (text nodes, alt, title)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.bad: list[str] = []
        self.text: list[str] = []
        self.title: list[str] = []
        self.ld: list[str] = []
        self.inline: list[str] = []  # bodies of other inline scripts, checked against the theme's
        self.data: list[str] = []    # JSON data blocks: the theme's, or JSON with no markup in it
        self._stack: list[tuple[str, dict]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = {k: v or "" for k, v in attrs}
        self.text.append(" ")  # <br>, <p>, <li>… separate words on screen
        for name, value in a.items():
            if name.startswith("on"):
                self.bad.append(f"<{tag} {name}=…>")
            if name in URL_ATTRIBUTES:
                candidates = [c.strip().split(" ")[0] for c in value.split(",")] if name == "srcset" else [value]
                for c in candidates:
                    if BAD_SCHEME.match(re.sub(r"[\x00-\x20]", "", html.unescape(c))):
                        self.bad.append(f"<{tag} {name}={value!r}>")
            if name in ("alt", "title", "aria-label") and value:
                self.text.append(" " + value + " ")
        if tag == "script" and a.get("src") and not SCRIPT_SRC.match(a["src"]):
            self.bad.append(f"<script src={a['src']!r}>")
        if tag in ("iframe", "object", "embed", "base", "frame"):
            self.bad.append(f"<{tag}>")
        if tag == "meta" and a.get("http-equiv", "").lower() == "refresh":
            self.bad.append("<meta http-equiv=refresh>")
        if tag in ("script", "style", "title"):
            self._stack.append((tag, a))

    def handle_endtag(self, tag: str) -> None:
        self.text.append(" ")
        if self._stack and self._stack[-1][0] == tag:
            self._stack.pop()

    def handle_data(self, data: str) -> None:
        if not self._stack:
            self.text.append(data)
            return
        tag, a = self._stack[-1]
        if tag == "title":
            self.title.append(data)
        elif tag == "script" and not a.get("src"):
            kind = a.get("type", "")
            if kind == "application/ld+json":
                self.ld.append(data)
            elif kind == "application/json":  # a data block (Material's config, the builder's data): never run
                self.data.append(data)
            else:
                self.inline.append(data)

    def visible(self) -> str:
        return " ".join("".join(self.text).split())


def audit(text: str) -> Audit:
    a = Audit()
    a.feed(text)
    a.close()
    return a


def norm(text: str) -> str:
    return " ".join(text.split())


def shown_as(loc: tuple, value: str) -> str:
    """Return the visible text a field's value becomes (Markdown: links keep their text, heading marks go)."""
    if format_path(loc) in MARKDOWN_FIELDS:
        value = re.sub(r"\[([^\]]*)\]\((?:[^()]|\([^()]*\))*\)", r"\1", value)
        value = re.sub(r"(?m)^(#+\s|[-=]+$)", " ", value)
    return norm(value)


def assert_site_is_clean(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert pages
    allowed = theme_scripts(site)
    assert allowed and not any("alert(" in body for body in allowed)
    for page in pages:
        text = page.read_text(encoding="utf-8")
        a = audit(text)
        assert not a.bad, (page.relative_to(site).as_posix(), a.bad)
        foreign = [body[:80] for body in a.inline if RELATIVE.sub("", body) not in allowed]
        assert not foreign, (page.relative_to(site).as_posix(), foreign)
        for block in a.ld + [b for b in a.data if RELATIVE.sub("", b) not in allowed]:
            assert "</" not in block and "<!--" not in block, page
            json.loads(block)
        assert "root:x:0:0" not in text
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".xml", ".json", ".txt", ".js"):
            assert "root:x:0:0" not in path.read_text(encoding="utf-8", errors="replace"), path
    # Material's own search (if enabled again) shows its index's titles and texts as HTML.
    index_file = site / "search" / "search_index.json"
    index = json.loads(index_file.read_text(encoding="utf-8")) if index_file.exists() else {"docs": []}
    for doc in index["docs"]:
        for key in ("title", "text"):
            a = audit(doc.get(key, ""))
            assert not a.bad, (doc["location"], key, a.bad)
            assert "<script" not in doc.get(key, "").lower(), (doc["location"], key)


HTML_SINKS = re.compile(r"\.innerHTML|\.outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function|"
                        r"createContextualFragment|DOMParser|srcdoc")


def test_site_scripts_never_parse_text_as_html() -> None:
    """The site's own scripts (search results, filters, builder) show index and profile text with
    textContent only: Pagefind's index holds profile text unescaped."""
    scripts = sorted((REPO / "overrides").rglob("*.js"))
    assert scripts
    for script in scripts:
        found = HTML_SINKS.findall(script.read_text(encoding="utf-8"))
        assert not found, (script.relative_to(REPO).as_posix(), found)


def test_attacked_site_has_no_markup_from_profiles(attacked_site: Path) -> None:
    assert_site_is_clean(attacked_site)


def test_fragment_pages_have_no_markup_from_profiles(fragment_site: Path) -> None:
    assert_site_is_clean(fragment_site)
    home = audit((fragment_site / "index.html").read_text(encoding="utf-8")).visible()
    practice = audit((fragment_site / "hop-tac-xa-kieu-moi" / "loi-ich" / "index.html").read_text(encoding="utf-8")).visible()
    for payload in ("[x](javascript:alert(1))", '{: onclick="alert(1)" }', "<img src=x onerror=alert(1)>", '!!! note "x"',
                    "*[ok]: <script>alert(1)</script>", "<!-- htx:figures -->"):
        assert payload in home, payload          # product names on the featured cards
        assert payload in practice, payload      # services, partners, benefits of the practice examples


def test_payloads_show_as_text_where_fields_are_shown(plans: list[Plan], attacked_site: Path) -> None:
    missing = []
    for plan in plans:
        corpus = ""
        titles = {}
        # The English pages show the `tieng_anh` fields (htx.site.i18n).
        for url in (f"hop-tac-xa/{plan.slug}", f"san-pham/{plan.slug}/{plan.product}",
                    f"en/cooperatives/{plan.slug}", f"en/products/{plan.slug}/{plan.product}"):
            a = audit((attacked_site / url / "index.html").read_text(encoding="utf-8"))
            corpus += " " + a.visible()
            titles[url] = norm("".join(a.title))
        for loc, value in plan.accepted.items():
            name = format_path(loc)
            if name in NOT_SHOWN:
                continue
            if shown_as(loc, value) not in corpus:
                missing.append((name, value))
        # Titles are escaped once (not shown as `&lt;…`) and start with the name as written.
        product_name = plan.accepted.get(("san_pham", 0, "ten"))
        if product_name:
            assert titles[f"san-pham/{plan.slug}/{plan.product}"].startswith(norm(product_name)), titles
        coop_name = plan.accepted.get(("ten",))
        if coop_name:
            assert titles[f"hop-tac-xa/{plan.slug}"].startswith(norm(coop_name)), titles
    assert not missing, missing


def test_markers_and_htx_links_in_profiles_are_not_expanded(plans: list[Plan], attacked_site: Path) -> None:
    for payload in ("<!-- htx:figures -->", "](htx:x)"):
        plan = next(p for p in plans if p.payload == payload)
        for url in (f"hop-tac-xa/{plan.slug}", f"san-pham/{plan.slug}/{plan.product}",
                    f"en/cooperatives/{plan.slug}", f"en/products/{plan.slug}/{plan.product}"):
            text = (attacked_site / url / "index.html").read_text(encoding="utf-8")
            assert 'class="htx-figures"' not in text
            assert payload in audit(text).visible()
            assert "htx:x" not in re.findall(r'href="([^"]*)"', text)


def test_htx_link_text_in_a_featured_product_name(tmp_path: Path) -> None:
    project = new_project(tmp_path / "p")
    data = full_profile("htx-lien-ket", "sp-lien-ket")
    data["san_pham"][0]["ten"] = "Gạo [ngon](htx:khong-co)"
    write_profile(project, data)
    (project / "cooperatives" / "noi-bat.yml").write_text("noi_bat:\n  - htx-lien-ket/sp-lien-ket\n", encoding="utf-8")
    build(project)
    home = audit((project / "site" / "index.html").read_text(encoding="utf-8")).visible()
    assert "Gạo [ngon](htx:khong-co)" in home
