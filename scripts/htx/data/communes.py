"""The 102 commune-level units of An Giang since 01/7/2025, and lookups by name, code, old name or old district.

One index answers both the CLI (`Communes.lookup`) and the profile builder page, which receives the same
index as JSON (`builder_data`) and follows the steps documented there, so both give the same answer.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from . import messages as M
from .text import fold, slugify, sort_key, suggest

# Unit types a reference may start with (folded), longest first so "thi tran" is not read as "thi xa".
UNIT_PREFIXES = ("dac khu ", "thi tran ", "phuong ", "xa ")
# Pre-2025 district types (cấp huyện), abolished on 01/7/2025.
DISTRICT_PREFIXES = ("thanh pho ", "thi xa ", "huyen ")
# Abbreviations written before a name, as a first word (folded; with or without the dot for two letters).
ABBREVIATIONS = {"tt": "thi tran", "tx": "thi xa", "tp": "thanh pho", "dk": "dac khu", "h.": "huyen",
                 "x.": "xa", "p.": "phuong", "tt.": "thi tran", "tx.": "thi xa", "tp.": "thanh pho", "dk.": "dac khu"}
_ABBREVIATION = re.compile(r"^(tt\.?|tx\.?|tp\.?|dk\.?|h\.|x\.|p\.)\s*")


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
class District:
    """A pre-2025 district (huyện, thị xã, thành phố) and the current units that took over its area."""

    code: str
    name: str             # "Huyện Thoại Sơn"
    old_province: str     # "Tỉnh An Giang" or "Tỉnh Kiên Giang"
    units: tuple[Commune, ...]

    @property
    def label(self) -> str:
        """Return the name with its old province ("Huyện Châu Thành (tỉnh Kiên Giang cũ)")."""
        return f"{self.name} ({self.old_province[0].lower()}{self.old_province[1:]} cũ)"


@dataclass(frozen=True)
class Lookup:
    """The answer to a commune reference: the unit, or why there is none."""

    commune: Commune | None = None
    legacy: tuple[Commune, ...] = ()     # the old commune-level name's current units
    districts: tuple[District, ...] = ()  # the old district(s) of that name (two "Huyện Châu Thành")
    ambiguous: tuple[Commune, ...] = ()
    suggestion: str | None = None

    @property
    def current(self) -> str:
        """Return the current units of a legacy or district answer, as the messages show them."""
        if self.legacy:
            return " hoặc ".join(u.name for u in self.legacy)
        return district_current(self.districts)


def district_current(districts: tuple[District, ...]) -> str:
    """Return "Xã A, Xã B" for one old district, each labelled by its old province when there are several."""
    if len(districts) == 1:
        return ", ".join(u.name for u in districts[0].units)
    return "; ".join(f"{d.label}: " + ", ".join(u.name for u in d.units) for d in districts)


def normalise(text: str) -> str:
    """Return a reference folded for lookup: no diacritics, lower case, single spaces, abbreviations spelt out."""
    folded = " ".join(fold(text).split())
    folded = _ABBREVIATION.sub(lambda m: ABBREVIATIONS[m.group(1)] + " ", folded, count=1)
    return " ".join(folded.split())


def _strip(folded: str, prefixes: tuple[str, ...]) -> str:
    for prefix in prefixes:
        if folded.startswith(prefix):
            return folded[len(prefix):]
    return folded


def _bare(folded: str) -> str:
    return _strip(folded, UNIT_PREFIXES)


class Communes:
    """Index of the units by code, by folded full name and by folded bare name; old names; old districts."""

    def __init__(self, units: list[Commune], districts: list[District] = ()) -> None:
        self.units = units
        self.districts = list(districts)
        self.by_code = {u.code: u for u in units}
        self.by_full = {fold(u.name): u for u in units}
        self.by_bare: dict[str, list[Commune]] = {}
        for u in units:
            self.by_bare.setdefault(_bare(fold(u.name)), []).append(u)
        self.legacy_full: dict[str, list[Commune]] = {}
        self.legacy_bare: dict[str, list[Commune]] = {}
        for u in units:
            for old in u.merged_from:
                self.legacy_full.setdefault(normalise(old), []).append(u)
                self.legacy_bare.setdefault(_bare(normalise(old)), []).append(u)
        self.district_full: dict[str, list[District]] = {}
        self.district_bare: dict[str, list[District]] = {}
        for d in self.districts:
            self.district_full.setdefault(normalise(d.name), []).append(d)
            self.district_bare.setdefault(_strip(normalise(d.name), DISTRICT_PREFIXES), []).append(d)

    def lookup(self, ref: str) -> Lookup:
        """Return the unit a profile's reference (name with or without type, any diacritics, or code) names.

        The steps, in order (builder_data documents them for the builder page):
        1. digits only: the unit of that 5-digit code (zero-padded), else unknown without suggestion;
        2. the full name of a current unit ("xa thoai son");
        3. the bare name ("thoai son") or a name with its right type: that unit if one, ambiguous if several;
        4. the name of a pre-2025 commune-level unit (with type, or bare when written without one);
        5. the name of a pre-2025 district, with its type ("huyen thoai son") or bare when written without a
           unit type: the current units of its area, never a lookalike;
        6. otherwise unknown, with the closest current name as a suggestion, except when the text starts with
           a district type (a lookalike of "Huyện Thoại Sơn" is a different place, "Phường Thới Sơn").
        """
        text = ref.strip()
        if text.isdigit():
            unit = self.by_code.get(text.zfill(5))
            return Lookup(commune=unit) if unit else Lookup(suggestion=None)
        folded = normalise(text)
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
            return Lookup(legacy=tuple(dict.fromkeys(old)))
        districts = self.district_full.get(folded) or (self.district_bare.get(folded) if not has_type else None)
        if districts:
            return Lookup(districts=tuple(districts))
        if folded.startswith(DISTRICT_PREFIXES):
            return Lookup(suggestion=None)
        names = [u.name for u in self.units]
        return Lookup(suggestion=suggest(text, names) or suggest(text, [u.short_name for u in self.units]))

    def __iter__(self):
        return iter(self.units)


def _rows(name: str) -> list[dict[str, str]]:
    with resources.files("htx.data").joinpath(f"units/{name}").open(encoding="utf-8") as fh:
        return list(csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t"))


@cache
def load_communes() -> Communes:
    """Return the packaged list of the 102 units (data/communes.tsv) and the old districts (data/districts.tsv)."""
    units = [
        Commune(r["code"], r["name"], r["type"], tuple(s.strip() for s in r["merged_from (pre-2025 units)"].split(";") if s.strip()))
        for r in _rows("communes.tsv")
    ]
    by_code = {u.code: u for u in units}
    districts = [
        District(r["district_code"], r["district"], r["old_province"],
                 tuple(sorted((by_code[c.strip()] for c in r["unit_codes"].split(";")), key=lambda u: sort_key(u.name))))
        for r in _rows("districts.tsv")
    ]
    return Communes(units, districts)


def builder_data() -> dict:
    """Return what the profile builder page needs to answer a commune text exactly as `htx validate` does.

    Shape (all keys folded by `normalise`; codes are the 5-digit unit codes):

        {
          "units":        [{"code": "30682", "name": "Xã Thoại Sơn", "type": "xã"}, …]   # 102, Vietnamese order
          "by_full":      {"xa thoai son": "30682", …}
          "by_bare":      {"thoai son": ["30682"], "binh duc": [...], …}
          "legacy_full":  {"thi tran nui sap": ["30682"], …}        # pre-2025 commune-level names
          "legacy_bare":  {"nui sap": ["30682"], …}
          "district_full": {"huyen thoai son": ["894"], …}          # pre-2025 district names
          "district_bare": {"thoai son": ["894"], "chau thanh": ["892", "905"], …}
          "districts":    {"894": {"name": "Huyện Thoại Sơn", "old_province": "Tỉnh An Giang",
                                   "units": ["30682", …]}, …}
          "current":      {"legacy": {"thi tran nui sap": "Xã Thoại Sơn", …},        # the {current} text
                           "district": {"huyen thoai son": "Xã Định Mỹ, Xã Óc Eo, …", …}}
          "unit_prefixes": ["dac khu ", "thi tran ", "phuong ", "xa "],
          "district_prefixes": ["thanh pho ", "thi xa ", "huyen "],
          "abbreviations": {"tp.": "thanh pho", "tp": "thanh pho", "h.": "huyen", …},
          "messages":     {"commune_legacy": "`{got}` là tên …", "commune_legacy_hint": "Nay thuộc: {current}. …",
                           "commune_district": …, "commune_district_hint": …, "commune_ambiguous": …, …}
        }

    Folding (`normalise`): Unicode NFD, drop every combining mark (category Mn), đ/Đ → d, lower case, runs of
    white space → one space, trim; then one abbreviation at the very start (`tt`, `tx`, `tp`, `dk` with or
    without a dot, `h.`, `x.`, `p.` with the dot) is spelt out and followed by one space.

    Steps (the first that answers wins), with `f` the folded text, `b` f without a unit prefix, `typed` = b ≠ f:
    1. text of digits only → unit whose code is the text left-padded with zeros to 5, else unknown;
    2. `by_full[f]` → that unit;
    3. `by_bare[b]` with one code, and (not typed or f starts with the fold of the unit's type) → that unit;
       with several codes → ambiguous (message `commune_ambiguous`, {choices} = names joined by ", ");
    4. `legacy_full[f]`, or `legacy_bare[b]` when not typed → old name (`commune_legacy`,
       {current} = `current.legacy[f or b]`);
    5. `district_full[f]`, or `district_bare[f]` when not typed → old district (`commune_district`,
       {current} = `current.district[f]` — the key it was found under);
    6. otherwise unknown (`commune_unknown`); when f starts with a district prefix no suggestion is given.
    Messages fill `{got}` with the text as written (trimmed).
    """
    communes = load_communes()
    ordered = sorted(communes.units, key=lambda u: sort_key(u.name))
    legacy_current = {key: Lookup(legacy=tuple(dict.fromkeys(units))).current
                      for index in (communes.legacy_full, communes.legacy_bare) for key, units in index.items()}
    district_current_text = {key: district_current(tuple(ds))
                             for index in (communes.district_full, communes.district_bare) for key, ds in index.items()}
    keys = ("commune_unknown", "commune_unknown_hint", "commune_unknown_hint_none", "commune_legacy",
            "commune_legacy_hint", "commune_district", "commune_district_hint", "commune_ambiguous",
            "commune_ambiguous_hint")
    return {
        "units": [{"code": u.code, "name": u.name, "type": u.type} for u in ordered],
        "by_full": {k: u.code for k, u in sorted(communes.by_full.items())},
        "by_bare": {k: [u.code for u in us] for k, us in sorted(communes.by_bare.items())},
        "legacy_full": {k: list(dict.fromkeys(u.code for u in us)) for k, us in sorted(communes.legacy_full.items())},
        "legacy_bare": {k: list(dict.fromkeys(u.code for u in us)) for k, us in sorted(communes.legacy_bare.items())},
        "district_full": {k: [d.code for d in ds] for k, ds in sorted(communes.district_full.items())},
        "district_bare": {k: [d.code for d in ds] for k, ds in sorted(communes.district_bare.items())},
        "districts": {d.code: {"name": d.name, "old_province": d.old_province, "units": [u.code for u in d.units]}
                      for d in communes.districts},
        "current": {"legacy": dict(sorted(legacy_current.items())), "district": dict(sorted(district_current_text.items()))},
        "unit_prefixes": list(UNIT_PREFIXES),
        "district_prefixes": list(DISTRICT_PREFIXES),
        "abbreviations": dict(sorted(ABBREVIATIONS.items())),
        "messages": {k: M.MESSAGES[k] for k in keys},
    }
