"""Commune references: current units, old commune-level names, old districts (never a lookalike), builder data."""
from __future__ import annotations

import json

import pytest

from htx.data.communes import builder_data, load_communes, normalise
from htx.tools.scaffold import POST_PLACEHOLDERS, post_body_placeholders, post_placeholders

THOAI_SON_DISTRICT = {"Xã Thoại Sơn", "Xã Phú Hòa", "Xã Óc Eo", "Xã Tây Phú", "Xã Vĩnh Trạch", "Xã Định Mỹ"}


@pytest.mark.parametrize("text", ["Huyện Thoại Sơn", "huyen thoai son", "H. Thoại Sơn", "  HUYỆN  THOẠI SƠN "])
def test_old_district_names_the_units_that_took_over_its_area(text: str) -> None:
    found = load_communes().lookup(text)
    assert found.commune is None and found.suggestion is None
    assert [d.name for d in found.districts] == ["Huyện Thoại Sơn"]
    assert {u.name for u in found.districts[0].units} == THOAI_SON_DISTRICT
    assert "Thới Sơn" not in found.current


@pytest.mark.parametrize("text,units", [
    ("TP. Long Xuyên", {"Phường Long Xuyên", "Phường Bình Đức", "Phường Mỹ Thới", "Xã Mỹ Hòa Hưng"}),
    ("Thành phố Phú Quốc", {"Đặc khu Phú Quốc", "Đặc khu Thổ Châu"}),
    ("Thị xã Tân Châu", {"Phường Tân Châu", "Phường Long Phú", "Xã Vĩnh Xương", "Xã Tân An", "Xã Châu Phong"}),
    ("tx tinh bien", {"Phường Thới Sơn", "Phường Chi Lăng", "Phường Tịnh Biên", "Xã An Cư", "Xã Núi Cấm"}),
])
def test_district_types_and_abbreviations(text: str, units: set[str]) -> None:
    found = load_communes().lookup(text)
    assert {u.name for d in found.districts for u in d.units} == units


def test_two_old_districts_of_one_name_are_both_named_with_their_province() -> None:
    found = load_communes().lookup("Huyện Châu Thành")
    assert len(found.districts) == 2
    assert "tỉnh An Giang cũ" in found.current and "tỉnh Kiên Giang cũ" in found.current


def test_a_current_name_wins_over_the_district_of_the_same_name() -> None:
    assert load_communes().lookup("Thoại Sơn").commune.name == "Xã Thoại Sơn"
    assert load_communes().lookup("Tri Tôn").commune.name == "Xã Tri Tôn"


def test_old_town_is_an_old_name_not_a_lookalike() -> None:
    found = load_communes().lookup("Thị trấn Núi Sập")
    assert [u.name for u in found.legacy] == ["Xã Thoại Sơn"]


def test_a_misspelt_district_gets_no_lookalike() -> None:
    found = load_communes().lookup("Huyện Thoại Sơnn")
    assert found.commune is None and not found.districts and found.suggestion is None


def test_every_old_district_of_both_provinces_is_known() -> None:
    districts = load_communes().districts
    assert len(districts) == 26  # 11 of An Giang, 15 of Kiên Giang before 01/7/2025
    covered = {u.code for d in districts for u in d.units}
    assert covered == {u.code for u in load_communes()}


def test_builder_data_gives_the_cli_answer() -> None:
    """Follow the documented steps on the JSON only and compare with the CLI for a spread of texts."""
    data = json.loads(json.dumps(builder_data(), ensure_ascii=False))
    names = {u["code"]: u["name"] for u in data["units"]}
    types = {u["code"]: u["type"] for u in data["units"]}

    def answer(text: str):
        f = normalise(text)
        b = next((f[len(p):] for p in data["unit_prefixes"] if f.startswith(p)), f)
        typed = b != f
        if f in data["by_full"]:
            return ("unit", names[data["by_full"][f]])
        hits = data["by_bare"].get(b, [])
        if len(hits) == 1 and (not typed or f.startswith(normalise(types[hits[0]]))):
            return ("unit", names[hits[0]])
        if len(hits) > 1:
            return ("ambiguous", None)
        if f in data["legacy_full"]:
            return ("legacy", data["current"]["legacy"][f])
        if not typed and b in data["legacy_bare"]:
            return ("legacy", data["current"]["legacy"][b])
        if f in data["district_full"] or (not typed and f in data["district_bare"]):
            return ("district", data["current"]["district"][f])
        return ("unknown", None)

    communes = load_communes()
    texts = ["Huyện Thoại Sơn", "Thị trấn Núi Sập", "Núi Sập", "Xã Thoại Sơn", "thoai son", "TP. Hà Tiên",
             "Huyện Châu Thành", "Phường Mỹ Bình", "Long Xuyên", "Thành phố Long Xuyên", "Xã Đông Thái", "Nowhere"]
    texts += [u.name for u in communes] + [old for u in communes for old in u.merged_from]
    for text in texts:
        cli = communes.lookup(text)
        kind = ("unit" if cli.commune else "legacy" if cli.legacy else "district" if cli.districts
                else "ambiguous" if cli.ambiguous else "unknown")
        expected = (kind, cli.commune.name if cli.commune else cli.current if kind in ("legacy", "district") else None)
        assert answer(text) == expected, text
    assert "{got}" in data["messages"]["commune_district"] and "{current}" in data["messages"]["commune_district_hint"]


def test_post_placeholders() -> None:
    meta = {"title": "Hội chợ", "description": "  Tóm tắt một câu (dưới 160 ký tự). "}
    assert post_placeholders(meta) == [POST_PLACEHOLDERS["description"]]
    assert post_placeholders({"description": "Hội chợ OCOP mở cửa ngày 5/12."}) == []
    assert post_body_placeholders("# T\n\nNội dung bài viết.\n") == ["Nội dung bài viết."]
    assert post_body_placeholders("# T\n\nNội dung bài viết. Hôm nay…\n") == []
