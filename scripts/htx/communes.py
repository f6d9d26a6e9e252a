"""The 102 commune-level units of An Giang since 01/7/2025, and lookups by name, code or old name."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

from .text import fold, slugify

_TYPE_PREFIXES = ("xa ", "phuong ", "dac khu ", "thi tran ")


@dataclass(frozen=True)
class Commune:
    code: str
    name: str         # "Xã Thoại Sơn"
    type: str         # xã / phường / đặc khu
    merged_from: tuple[str, ...]

    @property
    def slug(self) -> str:
        """Return the URL slug of the commune's listing page ("xa-thoai-son")."""
        return slugify(self.name)

    @property
    def short_name(self) -> str:
        """Return the name without its type ("Thoại Sơn")."""
        return self.name.split(" ", 2)[-1] if self.type == "đặc khu" else self.name.split(" ", 1)[1]


@dataclass(frozen=True)
class Lookup:
    """The answer to a commune reference: the unit, or why there is none."""

    commune: Commune | None = None
    legacy: tuple[Commune, ...] = ()     # the old name's current units
    ambiguous: tuple[Commune, ...] = ()
    suggestion: str | None = None


def _bare(folded: str) -> str:
    for prefix in _TYPE_PREFIXES:
        if folded.startswith(prefix):
            return folded[len(prefix):]
    return folded


class Communes:
    """Index of the units by code, by folded full name and by folded bare name."""

    def __init__(self, units: list[Commune]) -> None:
        self.units = units
        self.by_code = {u.code: u for u in units}
        self.by_full = {fold(u.name): u for u in units}
        self.by_bare: dict[str, list[Commune]] = {}
        for u in units:
            self.by_bare.setdefault(_bare(fold(u.name)), []).append(u)
        self.legacy_full: dict[str, list[Commune]] = {}
        self.legacy_bare: dict[str, list[Commune]] = {}
        for u in units:
            for old in u.merged_from:
                self.legacy_full.setdefault(fold(old), []).append(u)
                self.legacy_bare.setdefault(_bare(fold(old)), []).append(u)

    def lookup(self, ref: str) -> Lookup:
        """Return the unit a profile's reference (name with or without type, any diacritics, or code) names."""
        text = ref.strip()
        if text.isdigit():
            unit = self.by_code.get(text.zfill(5))
            return Lookup(commune=unit) if unit else Lookup(suggestion=None)
        folded = " ".join(fold(text).replace("tt.", "thi tran ").replace("x.", "xa ").replace("p.", "phuong ").split())
        if folded in self.by_full:
            return Lookup(commune=self.by_full[folded])
        bare = _bare(folded)
        has_type = bare != folded
        matches = self.by_bare.get(bare, [])
        if len(matches) == 1 and (not has_type or folded.startswith(fold(matches[0].type))):
            return Lookup(commune=matches[0])
        if len(matches) > 1:
            return Lookup(ambiguous=tuple(matches))
        old = self.legacy_full.get(folded) or (self.legacy_bare.get(bare) if not has_type else None)
        if old:
            unique = tuple(dict.fromkeys(old))
            return Lookup(legacy=unique)
        names = [u.name for u in self.units]
        from .text import suggest

        return Lookup(suggestion=suggest(text, names) or suggest(text, [u.short_name for u in self.units]))

    def __iter__(self):
        return iter(self.units)


@cache
def load_communes() -> Communes:
    """Return the packaged list of the 102 units (data: an-giang-units-2025.tsv)."""
    with resources.files("htx").joinpath("data/communes.tsv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    units = [
        Commune(r["code"], r["name"], r["type"], tuple(s.strip() for s in r["merged_from (pre-2025 units)"].split(";") if s.strip()))
        for r in rows
    ]
    return Communes(units)
