"""Vietnamese text helpers: folding diacritics for matching, slugs, money and dates."""
from __future__ import annotations

import difflib
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
