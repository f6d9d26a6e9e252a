"""Vietnamese alphabetical order and the one display form of phone numbers (contracts the site relies on)."""
from __future__ import annotations

import unicodedata

import pytest

from htx.data.model import format_phone
from htx.data.text import sort_key


def test_d_stroke_sorts_after_d_not_after_z() -> None:
    names = ["Xã U Minh Thượng", "Xã Đông Thái", "Xã Dương Tơ", "Xã Vĩnh Điều", "Xã Đông Hòa"]
    assert sorted(names, key=sort_key) == ["Xã Dương Tơ", "Xã Đông Hòa", "Xã Đông Thái", "Xã U Minh Thượng", "Xã Vĩnh Điều"]


def test_letters_with_marks_are_letters_of_their_own() -> None:
    words = ["ư", "u", "ơ", "ô", "o", "ê", "e", "â", "ă", "a", "y", "x", "b"]
    assert sorted(words, key=sort_key) == ["a", "ă", "â", "b", "e", "ê", "o", "ô", "ơ", "u", "ư", "x", "y"]


def test_tones_break_ties_within_a_syllable_in_dictionary_order() -> None:
    words = ["mác", "mạ", "má", "mã", "mả", "mà", "ma ba", "ma"]
    assert sorted(words, key=sort_key) == ["ma", "ma ba", "mà", "mả", "mã", "má", "mạ", "mác"]


def test_case_and_normalisation_do_not_change_the_order() -> None:
    nfd = unicodedata.normalize("NFD", "Xã Ô Lâm")
    names = ["xã óc eo", nfd, "Xã Ba Chúc", "XÃ ĐỊNH MỸ"]
    assert sorted(names, key=sort_key) == ["Xã Ba Chúc", "XÃ ĐỊNH MỸ", "xã óc eo", nfd]  # o before ô
    assert sort_key(nfd)[0] == sort_key("Xã Ô Lâm")[0]


def test_the_102_units_sort_deterministically() -> None:
    from htx.data.communes import load_communes

    names = [u.name for u in load_communes()]
    ordered = sorted(names, key=sort_key)
    assert ordered == sorted(reversed(names), key=sort_key)
    assert ordered.index("Xã Đông Thái") < ordered.index("Xã U Minh Thượng")
    assert ordered.index("Xã Định Mỹ") > ordered.index("Xã Cô Tô")


@pytest.mark.parametrize("written,shown", [
    ("0912.345.678", "0912 345 678"),
    ("0912345678", "0912 345 678"),
    ("+84 912 345 678", "0912 345 678"),
    ("+84-296-3855-123", "0296 3855 123"),
    ("0296 3 855 123", "0296 3855 123"),
    ("(0296) 3841234", "0296 3841 234"),
    ("1800 1234", "1800 1234"),
    ("1900.123.456", "1900 123 456"),
    ("0296.3855.12", "0296.3855.12"),   # not a number: shown as written (validation refuses it)
    (" gọi anh Tư ", "gọi anh Tư"),
])
def test_format_phone(written: str, shown: str) -> None:
    assert format_phone(written) == shown
