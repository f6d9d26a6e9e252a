"""No data lost or altered between what a cooperative wrote and the typed model.

load → model → model_dump(by_alias=True, exclude_unset=True) is compared with the loaded text: every
key kept, every text identical (phones, dates, codes, registration and decision numbers), every number
equal in meaning under the documented reading (`120.000` → 120000, `có` → True).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from htx.data.load import parse_text
from htx.data.model import Cooperative, parse_bool
from htx.data.validate import validate_document

try:
    from conftest import REPO, VALID
except ImportError:  # tests/ imported as a package
    from tests.conftest import REPO, VALID

PROFILES = sorted((REPO / "cooperatives").glob("*/profile.yml"))
MONEY_KEYS = {"gia"}
PRICE_ON_REQUEST = {"liên hệ", "lien he", "Liên hệ", "LIÊN HỆ", "liên-hệ"}


def compare(raw: Any, dumped: Any, where: str, differences: list[str]) -> None:
    """Record where dumped is not raw: text must be identical, numbers and yes/no equal in meaning."""
    key = where.rsplit(".", 1)[-1].split("[")[0]
    if isinstance(raw, dict):
        if not isinstance(dumped, dict):
            differences.append(f"{where}: group became {dumped!r}")
            return
        if set(raw) != set(dumped):
            differences.append(f"{where}: keys {sorted(set(raw) ^ set(dumped))} lost or added")
        for k in raw:
            if k in dumped:
                compare(raw[k], dumped[k], f"{where}.{k}" if where else k, differences)
        return
    if isinstance(raw, list):
        if not isinstance(dumped, list) or len(raw) != len(dumped):
            differences.append(f"{where}: list {raw!r} became {dumped!r}")
            return
        for i, (r, d) in enumerate(zip(raw, dumped)):
            compare(r, d, f"{where}[{i}]", differences)
        return
    if raw is None:
        if dumped is not None:
            differences.append(f"{where}: empty became {dumped!r}")
        return
    assert isinstance(raw, str), (where, raw)
    if isinstance(dumped, bool):
        ok = dumped is parse_bool(raw)
    elif isinstance(dumped, int):
        if key in MONEY_KEYS:
            ok = dumped == int(raw.strip().replace(".", ""))
        else:
            ok = dumped == int(raw.strip())
    elif isinstance(dumped, float):
        ok = dumped == float(raw)
    elif dumped is None:
        ok = key in MONEY_KEYS and raw.strip().lower().replace("-", " ") in {p.lower().replace("-", " ") for p in PRICE_ON_REQUEST}
    else:
        ok = dumped == raw  # text: byte for byte, spaces included
    if not ok:
        differences.append(f"{where}: {raw!r} became {dumped!r}")


def roundtrip(text: str, folder: Path) -> tuple[Any, Any]:
    """Return the loaded data and the dump of the model built from it (the schema alone decides)."""
    doc, problems = parse_text(text, "p.yml", folder)
    assert doc is not None, problems
    coop = Cooperative.model_validate(doc.data)
    return doc.data, coop.model_dump(by_alias=True, exclude_unset=True)


@pytest.mark.skipif(not PROFILES, reason="no sample profiles")
@pytest.mark.parametrize("path", PROFILES, ids=[p.parent.name for p in PROFILES])
def test_sample_profile_survives_the_model(path: Path) -> None:
    raw, dumped = roundtrip(path.read_text(encoding="utf-8"), path.parent)
    differences: list[str] = []
    compare(raw, dumped, "", differences)
    assert differences == []


def test_the_comparison_catches_changes() -> None:
    differences: list[str] = []
    compare({"a": "0912 000 123", "gia": "120.000", "b": "x"}, {"a": "+84912000123", "gia": 120, "c": "x"}, "", differences)
    assert len(differences) == 3


TRICKY = {
    # key path in VALID → written text that YAML 1.1 or a careless model would change
    "so_dang_ky": ['"0712345670"', "0712345670", "1601-234-567", '"  16 01 234 567  "'],
    "ten_viet_tat": ["no", "on", "yes", "~x", "'null'", "12:30", "1e3", "0x1F", "2024-01-05", '"HTX  Hai  Dấu cách"'],
    "ngay_thanh_lap": ["05/01/2012", "5/1/2012", "2012-01-05"],
}


@pytest.mark.parametrize("field,written", [(f, w) for f, ws in TRICKY.items() for w in ws])
def test_tricky_text_is_kept_as_written(field: str, written: str) -> None:
    text = VALID.replace("loai_hinh: hop-tac-xa\n", f"loai_hinh: hop-tac-xa\n{field}: {written}\n")
    raw, dumped = roundtrip(text, Path("."))
    expected = written[1:-1] if written[:1] in "\"'" and written[-1:] == written[:1] else written
    assert raw[field] == expected and dumped[field] == expected


@pytest.mark.parametrize("written,meaning", [
    ("120000", 120000), ("120.000", 120000), ("1.250.000", 1250000), ("0", 0), ('"25.000"', 25000),
    ("liên hệ", None), ("Liên hệ", None), ("liên-hệ", None),
])
def test_prices_mean_what_was_written(written: str, meaning: int | None) -> None:
    text = VALID.replace("gia: 25.000", f"gia: {written}")
    if meaning is None:
        text = text.replace("    don_vi: kg\n", "")
    raw, dumped = roundtrip(text, Path("."))
    assert dumped["san_pham"][0]["gia"] == meaning


@pytest.mark.parametrize("written", ["120.00", "1,000", "120.000 đ", "120k", "1.2.3", "12.0000", "-5.000", "1_000", "0120"])
def test_ambiguous_prices_are_refused_not_guessed(written: str) -> None:
    """`120.00` could be 120 or 12000: refuse rather than pick one."""
    text = VALID.replace("gia: 25.000", f"gia: {written}")
    doc, _ = parse_text(text, "p.yml")
    entry, problems = validate_document(doc, check_images=False)
    if written == "0120":  # a leading zero is a plain amount: 120
        assert entry is not None and entry.coop.products[0].price == 120
        return
    assert entry is None and any(p.path == "san_pham[0].gia" for p in problems), written


@pytest.mark.parametrize("written,meaning", [("012", None), ("12", 12), ('"12"', 12), ("1_000", None), ("12.0", None), ("1e3", None)])
def test_integers_are_never_reinterpreted(written: str, meaning: int | None) -> None:
    text = VALID.replace("so_thanh_vien: 12", f"so_thanh_vien: {written}")
    doc, _ = parse_text(text, "p.yml")
    entry, problems = validate_document(doc, check_images=False)
    if meaning is None:
        assert entry is None and any(p.path == "so_thanh_vien" for p in problems)
    else:
        assert entry is not None and entry.coop.members == meaning


@pytest.mark.parametrize("written", ["10.3759", "10.37590", "10.3759000001"])
def test_coordinates_keep_their_value(written: str) -> None:
    text = VALID.replace("  xa_phuong: Xã Thoại Sơn\n", f"  xa_phuong: Xã Thoại Sơn\n  toa_do:\n    vi_do: {written}\n    kinh_do: 105.1\n")
    raw, dumped = roundtrip(text, Path("."))
    assert dumped["dia_chi"]["toa_do"]["vi_do"] == float(written)


def test_multiline_text_keeps_its_lines() -> None:
    story = "cau_chuyen: |\n  Dòng một.\n\n  Dòng hai  có hai dấu cách.\n    thụt vào.\n"
    raw, dumped = roundtrip(VALID + story, Path("."))
    assert dumped["cau_chuyen"] == raw["cau_chuyen"] == "Dòng một.\n\nDòng hai  có hai dấu cách.\n  thụt vào.\n"


def test_model_has_no_silent_coercion_config() -> None:
    config = Cooperative.model_config
    assert config.get("str_strip_whitespace") is False and config.get("extra") == "forbid"
    assert not config.get("str_to_lower") and not config.get("str_to_upper")
    assert re.search(r"coerce", str(config)) is None


@pytest.mark.parametrize("written,meaning", [("1500", 1500.0), ("1.5", 1.5), ("12.25", 12.25), ("0.125", 0.125), ("1.500", None),
                                             ("12.000", None), ("1.250.000", None)])
def test_area_with_a_thousands_dot_is_refused(written: str, meaning: float | None) -> None:
    """Regression: `dien_tich_ha: 1.500` silently became 1.5 ha although the same profile writes prices as
    `120.000` (= 120000). A dot before exactly three digits is ambiguous there: refuse, never guess."""
    doc, _ = parse_text(VALID + f"kieu_moi:\n  dien_tich_ha: {written}\n", "p.yml")
    entry, problems = validate_document(doc, check_images=False)
    if meaning is None:
        assert entry is None
        assert [p.path for p in problems] == ["kieu_moi.dien_tich_ha"] and "không rõ nghĩa" in problems[0].message
        assert "1500" in problems[0].hint
    else:
        assert entry is not None and entry.coop.practice.area_ha == meaning
