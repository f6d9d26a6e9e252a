"""The English edition: which page has an English twin at which address, and the words English pages use.

The site is Vietnamese first. English pages live under `en/`, with English paths for the generated trees
(`san-pham/…` → `en/products/…`); hand-written pages pair with their Vietnamese page by front matter
(`vietnamese: hop-tac-xa-kieu-moi/index.md`, read by the plugin). Templates and Python keep their Vietnamese
text as the message id: `_("Sản phẩm")` is the text itself in Vietnamese and its entry in locale/en/*.yml in
English, so a Vietnamese page cannot change by adding a translation. Profile text is never machine-translated:
an English page shows a cooperative's own English fields (`tieng_anh:`) or its Vietnamese text marked lang="vi".
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from importlib.resources import files
from typing import Any, Iterable

import yaml

LANGS = ("vi", "en")
EN = "en/"   # where English pages live

# The generated trees and their English names; deeper segments keep their slugs (cooperatives' and products'
# ids, category keys, commune slugs), except the pager's "trang" and a cooperative's product listing.
_TREES = {"san-pham/": "products/", "hop-tac-xa/": "cooperatives/", "xa-phuong/": "communes/", "thong-ke/": "statistics/"}
_PAGER = re.compile(r"(^|/)trang/(\d+)/$")
_EN_PAGER = re.compile(r"(^|/)page/(\d+)/$")


def english_url(url: str, pairs: dict[str, str] | None = None) -> str | None:
    """Return the English twin of a Vietnamese page URL ("san-pham/gao/" → "en/products/gao/"), or None.

    Generated trees map by rule; any other page only through `pairs` (hand-written pages, from front matter),
    the home page always ("" → "en/")."""
    if pairs and url in pairs:
        return pairs[url]
    if url == "":
        return EN
    for vi, en in _TREES.items():
        if url.startswith(vi):
            rest = url[len(vi):]
            if vi == "hop-tac-xa/" and re.fullmatch(r"[^/]+/san-pham/(trang/\d+/)?", rest):
                rest = rest.replace("/san-pham/", "/products/", 1)
            if vi == "thong-ke/" and rest:
                return None
            return EN + en + _PAGER.sub(r"\1page/\2/", rest)
    return None


def vietnamese_url(url: str, pairs: dict[str, str] | None = None) -> str | None:
    """Return the Vietnamese twin of an English page URL (the inverse of english_url), or None."""
    if pairs:
        for vi, en in pairs.items():
            if en == url:
                return vi
    if url == EN:
        return ""
    for vi, en in _TREES.items():
        if url.startswith(EN + en):
            rest = url[len(EN + en):]
            if vi == "hop-tac-xa/" and re.fullmatch(r"[^/]+/products/(page/\d+/)?", rest):
                rest = rest.replace("/products/", "/san-pham/", 1)
            return vi + _EN_PAGER.sub(r"\1trang/\2/", rest)
    return None


def language_of(url: str) -> str:
    """Return the language of a page by its URL: "en" under en/, else "vi"."""
    return "en" if url == EN or url.startswith(EN) else "vi"


def english_src(src_uri: str) -> str:
    """Return the source path of a generated page's English twin ("san-pham/index.md" → "en/products/index.md")."""
    stem, name = (src_uri.rsplit("/", 1) + [""])[:2] if "/" in src_uri else ("", src_uri)
    if name == "index.md":
        return (english_url(stem + "/" if stem else "") or "") + "index.md"
    url = english_url((stem + "/" if stem else "") + name[: -len(".md")] + "/")
    assert url is not None, src_uri
    return url[:-1] + ".md"


# -- messages --------------------------------------------------------------------------------------------

@cache
def catalog(lang: str) -> dict[str, Any]:
    """Return a language's messages: Vietnamese text → English text, or [singular, plural] for counts."""
    if lang == "vi":
        return {}
    out: dict[str, Any] = {}
    for path in sorted(files("htx.site").joinpath("locale", lang).iterdir(), key=lambda p: p.name):
        if path.name.endswith(".yml"):
            out.update(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
    return out


class Messages:
    """gettext and ngettext for one language, as Jinja's i18n extension calls them (newstyle: `%(name)s`)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.table = catalog(lang)
        self.missing: set[str] = set()   # ids asked for without an entry (tests list them)

    def lookup(self, message: str) -> Any:
        if self.lang == "vi":
            return message
        found = self.table.get(message)
        if found is None:
            self.missing.add(message)
            return message
        return found

    def gettext(self, message: str) -> str:
        """The message in this language; `%(name)s` placeholders are filled by the caller (Jinja's newstyle
        gettext does it, so a literal percent sign is written `%%`)."""
        found = self.lookup(message)
        return found[0] if isinstance(found, list) else found

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """The message for a count n (`%(num)d`): Vietnamese has one form, English two ([singular, plural])."""
        found = self.lookup(singular)
        return (found[0] if n == 1 else found[1]) if isinstance(found, list) else found

    def pgettext(self, context: str, message: str) -> str:
        """A message whose English depends on where it stands: looked up as "context|message" ("crumb|Hợp tác xã"
        is "Cooperatives", the kind label "Hợp tác xã" is "Cooperative"); Vietnamese is the message itself."""
        if self.lang == "vi":
            return message
        found = self.lookup(f"{context}|{message}")
        return message if found == f"{context}|{message}" else found

    def __call__(self, message: str, **values: Any) -> str:
        """Python's use: the message with its placeholders filled (`_("Trang %(n)s", n=2)`)."""
        return self.gettext(message) % values

    def labels(self, vocabulary: dict[str, str]) -> dict[str, str]:
        """A vocabulary with its labels in this language (CATEGORIES' are Category objects: see categories())."""
        return {key: self.gettext(label) for key, label in vocabulary.items()}

    def categories(self, categories: dict[str, Any]) -> dict[str, Any]:
        return {key: replace(cat, label=self.gettext(cat.label)) for key, cat in categories.items()}


# -- numbers, money, dates ---------------------------------------------------------------------------------

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def format_vnd_en(amount: int) -> str:
    """120000 → "120,000 VND": English digit grouping, the currency by its code (no rate that goes stale)."""
    return f"{amount:,}\u00a0VND"


def format_number_en(value: float | int) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def format_date_en(value: date) -> str:
    """A date as English readers of any country read it: "15 March 2027" (never 03/15 or 15/03)."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


# -- units and packaging ----------------------------------------------------------------------------------

# What a price is per, and packaging words: a closed glossary. A unit with any word outside it is shown as the
# cooperative wrote it, in Vietnamese (lang="vi"), rather than half translated.
UNIT_WORDS = {
    "hũ": "jar", "lọ": "jar", "keo": "jar", "bình": "jar", "túi": "bag", "bịch": "bag", "bao": "sack",
    "chai": "bottle", "can": "can", "lon": "can", "hộp": "box", "thùng": "carton", "gói": "pack", "vỉ": "pack",
    "khay": "tray", "cái": "piece", "chiếc": "piece", "bộ": "set", "đôi": "pair", "tấm": "sheet", "cuộn": "roll",
    "bó": "bunch", "chậu": "pot", "cây": "plant", "con": "each", "trái": "fruit", "quả": "fruit", "xâu": "string",
    "phần": "portion", "suất": "portion", "ly": "cup", "cốc": "cup", "người": "person", "khách": "guest",
    "lượt": "visit", "vé": "ticket", "tour": "tour", "đêm": "night", "ngày": "day", "giờ": "hour", "buổi": "session",
    "kg": "kg", "ký": "kg", "kí": "kg", "g": "g", "gam": "g", "gram": "g", "gr": "g", "lít": "litre", "lit": "litre",
    "l": "litre", "ml": "ml", "m": "m", "mét": "m", "m2": "m²", "m²": "m²", "tấn": "tonne", "tạ": "quintal (100 kg)",
    "yến": "10 kg", "tháng": "month", "năm": "year", "tuần": "week",
}
_QUANTITY = re.compile(r"^\d+(?:[.,]\d+)?$")
_MEASURES = {"kg", "g", "litre", "ml", "m", "m²", "tonne"}
_PLURALS = {"jar": "jars", "bag": "bags", "sack": "sacks", "bottle": "bottles", "can": "cans", "box": "boxes",
            "carton": "cartons", "pack": "packs", "tray": "trays", "piece": "pieces", "set": "sets", "pair": "pairs",
            "sheet": "sheets", "roll": "rolls", "bunch": "bunches", "pot": "pots", "plant": "plants", "fruit": "fruits",
            "string": "strings", "portion": "portions", "cup": "cups", "person": "people", "guest": "guests",
            "visit": "visits", "ticket": "tickets", "tour": "tours", "night": "nights", "day": "days", "hour": "hours",
            "session": "sessions", "month": "months", "year": "years", "week": "weeks"}


def translate_unit(text: str) -> str | None:
    """Return a unit or packaging in English from the glossary, or None when a word is not in it.

    "túi 5 kg" → "5 kg bag", "chai 500 ml" → "500 ml bottle", "kg" → "kg", "hộp 10 gói" → "box of 10 packs",
    "người/đêm" → "person/night". Numbers keep their digits (a decimal comma becomes a point).
    """
    words = re.findall(r"[^\s/]+|/", text.strip().lower())
    if not words:
        return None
    out: list[str] = []
    for word in words:
        if word == "/":
            out.append("/")
        elif _QUANTITY.match(word):
            out.append(word.replace(",", "."))
        elif word in UNIT_WORDS:
            out.append(UNIT_WORDS[word])
        else:
            return None
    # noun, number, measure ("bag 5 kg") reads "5 kg bag"; noun, number, noun ("box 10 pack") "box of 10 packs".
    if len(out) == 3 and _QUANTITY.match(out[1]) and out[0] not in _MEASURES:
        if out[2] in _MEASURES:
            return f"{out[1]} {out[2]} {out[0]}"
        return f"{out[0]} of {out[1]} {_PLURALS.get(out[2], out[2]) if out[1] != '1' else out[2]}"
    return " ".join(out).replace(" / ", "/")


@dataclass(frozen=True)
class Localized:
    """A profile value as an English page shows it: the text, and its language ("vi" when no English was given)."""

    text: str
    lang: str


def english_field(obj: Any, name: str) -> str | None:
    """Return a profile's English value of a field (`tieng_anh: {ten, gioi_thieu, …}`), or None."""
    english = getattr(obj, "english", None)
    value = getattr(english, name, None) if english is not None else None
    return value or None


def localize(obj: Any, name: str, lang: str) -> Localized:
    """Return a field in lang: its English value on English pages when given, else the Vietnamese one marked "vi"."""
    if lang == "en":
        english = english_field(obj, name)
        if english:
            return Localized(english, "en")
    return Localized(getattr(obj, name) or "", "vi")


def missing_messages(texts: Iterable[str], lang: str = "en") -> list[str]:
    """The message ids among texts that lang has no entry for (tests: every template string is translated)."""
    table = catalog(lang)
    return sorted({t for t in texts if t not in table})


# -- a page's twin in the other language -------------------------------------------------------------------

# The English edition's menu (tabs and drawer): Vietnamese URLs, each shown when its English twin exists.
ENGLISH_NAV = (("Home", ""), ("Products", "san-pham/"), ("Cooperatives", "hop-tac-xa/"),
               ("Communes", "xa-phuong/"), ("New-model cooperatives", "hop-tac-xa-kieu-moi/"),
               ("How to buy", "en/how-to-buy/"), ("The plan", "ke-hoach/"))


@dataclass
class Twins:
    """Which pages of a build have a twin in the other language: every page URL, and the hand-written pairs."""

    urls: set[str]
    pairs: dict[str, str]      # Vietnamese URL → English URL, from English pages' `vietnamese:` front matter
    names: dict[str, tuple[str, str]] = field(default_factory=dict)   # lang → the site's (name, description)

    def twin(self, url: str) -> str | None:
        """The URL of the page's twin in the other language, or None when there is none."""
        if language_of(url) == "en":
            other = vietnamese_url(url, self.pairs)
        else:
            other = english_url(url, self.pairs)
        return other if other is not None and other in self.urls else None

    def switch(self, url: str) -> tuple[str, str]:
        """Where the language switch of a page leads, and that page's language: its twin, else the other home."""
        lang = language_of(url)
        target = self.twin(url)
        if target is None:
            target = "" if lang == "en" else EN
        return target, "vi" if lang == "en" else "en"

    def menu(self) -> list[tuple[str, str]]:
        """The English menu: (title, English URL) of the entries whose page exists."""
        out = []
        for title, url in ENGLISH_NAV:
            target = url if url.startswith(EN) else english_url(url, self.pairs)
            if target is not None and target in self.urls:
                out.append((title, target))
        return out

    def active(self, url: str) -> str | None:
        """The English menu entry a page belongs under: the longest URL prefix (the home only for itself)."""
        found = [u for _t, u in self.menu() if url == u or (u != EN and url.startswith(u))]
        return max(found, key=len) if found else None


def language_context(twins: Twins, url: str) -> dict[str, Any]:
    """What the theme's templates get to show a page in its language (overrides/partials/language.html,
    header.html, htx-meta.html): `htx_lang`, and `htx_i18n` with the twin (hreflang) and the switch's target."""
    lang = language_of(url)
    target, other = twins.switch(url)
    name, description = twins.names.get(lang) or twins.names.get("vi") or ("", "")
    return {"htx_lang": lang, "htx_i18n": {
        "lang": lang, "twin": twins.twin(url), "switch": target, "switch_lang": other,
        "switch_label": "English" if other == "en" else "Tiếng Việt", "site_name": name, "site_description": description,
        "active": twins.active(url) if lang == "en" else None, "locale": "en_GB" if lang == "en" else "vi_VN",
        "other_locale": "vi_VN" if lang == "en" else "en_GB"}}


# -- search words for English pages -------------------------------------------------------------------------

# What a product is, in the words a buyer from abroad types, found in its Vietnamese name: indexed with its English
# page (never shown) so that "pepper" finds "Tiêu đen Phú Quốc". Phrases with their diacritics (tiêu, not tiểu),
# the longest first; a cooperative's own English name (tieng_anh.ten) is what ranks first.
PRODUCT_WORDS = {
    "nước mắm": "fish sauce", "mắm": "fermented fish paste", "gạo": "rice", "lúa": "rice", "nếp": "sticky rice",
    "mật ong": "honey", "tiêu": "pepper", "khô": "dried", "cá khô": "dried fish", "tôm khô": "dried shrimp",
    "đường thốt nốt": "palm sugar", "thốt nốt": "palm sugar", "trà": "tea", "chè": "tea", "cà phê": "coffee",
    "lụa": "silk", "tơ tằm": "silk", "thổ cẩm": "brocade textile", "ngọc trai": "pearl", "rượu": "wine liquor",
    "xoài": "mango", "khóm": "pineapple", "dứa": "pineapple", "thơm": "fragrant", "chuối": "banana", "dừa": "coconut",
    "bưởi": "pomelo", "sầu riêng": "durian", "mít": "jackfruit", "sim": "rose myrtle", "lạp xưởng": "sausage",
    "nem": "fermented pork roll", "bánh": "cake", "kẹo": "candy", "mứt": "candied fruit jam", "tinh dầu": "essential oil",
    "tràm": "cajeput melaleuca", "cỏ bàng": "sedge grass weaving", "lục bình": "water hyacinth weaving",
    "giỏ": "basket", "túi xách": "handbag", "khăn": "scarf", "nấm": "mushroom", "rau": "vegetables", "cá": "fish",
    "tôm": "shrimp", "cua": "crab", "ốc": "snail", "mực": "squid", "hữu cơ": "organic", "sấy": "dried",
    "du lịch": "tour tourism", "homestay": "homestay", "bột": "flour powder", "dầu": "oil", "muối": "salt",
    # words that hold a glossary word but mean something else: consumed, no English word
    "tiêu chuẩn": "", "tiêu dùng": "", "tiêu thụ": "", "thơm ngon": "",
}
_PRODUCT_WORDS = sorted(PRODUCT_WORDS, key=len, reverse=True)


def search_keywords(name: str) -> str:
    """English search words for a product's English page: the glossary's words for what its Vietnamese name says
    (whole words, as written with their marks)."""
    text = " " + " ".join(re.findall(r"\w+", name.lower())) + " "
    found: list[str] = []
    for phrase in _PRODUCT_WORDS:
        if f" {phrase} " in text:
            text = text.replace(f" {phrase} ", " | ")
            if PRODUCT_WORDS[phrase] and PRODUCT_WORDS[phrase] not in found:
                found.append(PRODUCT_WORDS[phrase])
    return " ".join(found)
