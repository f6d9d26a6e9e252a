"""Vietnamese text helpers: folding diacritics for matching, slugs, money and dates."""
from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from datetime import date

_NON_SLUG = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Return text lower-cased without tone marks or diacritics, with đ as d ("Đường" → "duong")."""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return stripped.replace("đ", "d").replace("Đ", "D").lower()


def slugify(text: str) -> str:
    """Return an ASCII slug for a Vietnamese text ("Hợp tác xã Đồng Tâm" → "hop-tac-xa-dong-tam")."""
    return _NON_SLUG.sub("-", fold(text)).strip("-")


def suggest(word: str, choices: list[str] | tuple[str, ...] | set[str]) -> str | None:
    """Return the choice closest to word, compared without diacritics, or None."""
    folded = {fold(c): c for c in choices}
    match = difflib.get_close_matches(fold(word), list(folded), n=1, cutoff=0.6)
    return folded[match[0]] if match else None


def format_vnd(amount: int) -> str:
    """Return an amount as Vietnamese money, "120.000 ₫" (no-break space before ₫)."""
    return f"{amount:,}".replace(",", ".") + "\u00a0₫"


def format_date(value: date) -> str:
    """Return a date as dd/mm/yyyy, the Vietnamese convention."""
    return value.strftime("%d/%m/%Y")


def format_number(value: float | int) -> str:
    """Return a number with Vietnamese separators (1.234,5)."""
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    whole, frac = f"{value:,.2f}".rstrip("0").split(".")
    return whole.replace(",", ".") + "," + frac


# Vietnamese alphabetical order (Bộ Giáo dục's 29-letter alphabet: a ă â b c d đ e ê g h i k l m n o ô ơ p q
# r s t u ư v x y); f j w z, absent from it, sit where the Latin alphabet puts them. Letters are compared
# first, syllable by syllable, and tones only break ties within a syllable, in dictionary order
# (Từ điển tiếng Việt, Hoàng Phê): ngang, huyền, hỏi, ngã, sắc, nặng.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER = {ch: i for i, ch in enumerate(_ALPHABET)}
# Combining marks that make a different letter (ă â ê ô ơ ư) versus those that only carry the tone.
_SHAPED = {("a", "\u0306"): "ă", ("a", "\u0302"): "â", ("e", "\u0302"): "ê", ("o", "\u0302"): "ô",
           ("o", "\u031b"): "ơ", ("u", "\u031b"): "ư"}
_TONE = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_DIGIT_BASE = -20  # digits before letters, in numeric order of their characters


@functools.lru_cache(maxsize=65_536)   # syllables repeat: a national catalog sorts 34,000 names several times
def _syllable_key(word: str) -> tuple[tuple[int, ...], int]:
    letters: list[int] = []
    tone = 0
    for ch in unicodedata.normalize("NFD", word.lower()):
        if ch in _TONE:
            tone = _TONE[ch]
        elif unicodedata.category(ch) == "Mn":
            if letters:
                base = _ALPHABET[letters[-1]] if letters[-1] >= 0 else ""
                shaped = _SHAPED.get((base, ch))
                if shaped:
                    letters[-1] = _LETTER[shaped]
        elif ch in _LETTER:
            letters.append(_LETTER[ch])
        elif ch.isdigit():
            letters.append(_DIGIT_BASE + int(ch) if ch.isascii() else _DIGIT_BASE + unicodedata.digit(ch, 0))
        elif ch.isalnum():
            letters.append(100 + ord(ch))  # other scripts after z, by code point
        # punctuation is ignored, as dictionaries do
    return tuple(letters), tone


@functools.lru_cache(maxsize=131_072)
def sort_key(text: str) -> tuple:
    """Return a key that sorts Vietnamese text in dictionary order, case- and NFC/NFD-insensitive.

    "Xã Đông Thái" sorts before "Xã U Minh Thượng" (đ follows d, not z); "ma" < "mà" < "mả" < "mã" < "má"
    < "mạ" < "mác". Equal keys fall back to the NFC text, so the order is total and stable between runs.
    """
    nfc = unicodedata.normalize("NFC", text)
    words = tuple(_syllable_key(w) for w in re.split(r"[\s\-–—/]+", nfc) if w)
    words = tuple(w for w in words if w[0])
    return words, nfc
