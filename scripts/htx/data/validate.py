"""Stage 2, validate: documents → typed cooperatives, and every problem as a located Vietnamese report."""
from __future__ import annotations

import bisect
import re
import typing
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticCustomError

from . import messages as M
from .communes import Commune, Communes, load_communes
from ..publish.images import ImageInfo, inspect_image
from .load import Document, Loc, clip
from .model import Cooperative, _national_digits, label_path, parse_bool, parse_date, path_loc, personal_values
from .placeholders import profile_placeholders
from .problems import Problem, escape, format_path
from . import richtext
from .text import suggest

MIN_PRODUCT_PHOTO_WIDTH = 600
MAX_SCHEMA_PROBLEMS = 100  # per file: past this a listing helps nobody (and 90,000 unknown keys took minutes)
MAX_MARKDOWN_PROBLEMS = 10  # fields listed per Markdown bound
# Every photo is decoded and encoded in several sizes: these bound the work one profile can ask for. A
# cooperative shows a few photos per product; 80 files of 5 Mpx (phone photos shrunk to 2,500 px) fit.
MAX_PHOTOS = 80             # distinct photo files per profile
MAX_PHOTO_MEGAPIXELS = 400  # their decoded pixels summed (one 12 Mpx phone photo is 12)

# Characters that make text display otherwise than it reads (bidi controls reorder it, zero-width ones hide
# in it, controls reach terminals and logs): refused in every value, key and comment.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_ZERO_WIDTH = "\u200b-\u200d\u2060\ufeff"
_ALWAYS = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI}{_ZERO_WIDTH}\U000e0000-\U000e007f\ud800-\udfff]")
# Also refused in names and short fields: other invisible format characters (Unicode Cf, Python's 14.0 list),
# blank letters that make an empty-looking name, line and tab breaks.
_FORMAT = ("\u00ad\u0600-\u0605\u06dd\u070f\u0890\u0891\u08e2\u180e\u2061-\u2064\u206a-\u206f\ufff9-\ufffb"
           "\U000110bd\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a")
_BLANK = "\u034f\u115f\u1160\u2800\u3164\uffa0"
_SHORT = re.compile(f"[\t\n\r\u2028\u2029{_FORMAT}{_BLANK}]")


@dataclass
class Entry:
    """A valid cooperative with what was resolved beside its model: commune units and photo files."""

    coop: Cooperative
    file: str
    folder: Path
    commune: Commune
    origins: dict[str, Commune] = field(default_factory=dict)      # product id → origin unit
    images: dict[str, ImageInfo] = field(default_factory=dict)      # path as written → checked file
    doc: Document | None = None                                     # for positions in later stages

    positions: dict[Loc, tuple[int, int]] = field(default_factory=dict)   # kept by slim()
    digest: str = ""     # the key of all its validation read (htx.data.profile_cache), set by htx.pipeline

    def position(self, loc: Loc) -> tuple[int, int]:
        """Return the line and column of a value of this profile."""
        if self.doc is not None:
            return self.doc.position(loc)
        return self.positions.get(loc, (1, 1))

    def slim(self) -> Entry:
        """Drop the document (source text and every position), keeping the positions the catalog's checks
        point at (the ids of the cooperative and its products): a national catalog's documents are ~1 GB."""
        if self.doc is not None:
            locs = [("ma",), *(("san_pham", i, "ma") for i in range(len(self.coop.products)))]
            self.positions = {loc: self.doc.position(loc) for loc in locs}
            self.doc = None
        return self


def validate_all(docs: list[Document], *, check_images: bool = True) -> tuple[list[Entry], list[Problem]]:
    """Return the valid entries of docs and every problem found in any of them."""
    entries: list[Entry] = []
    problems: list[Problem] = []
    for doc in docs:
        entry, found = validate_document(doc, check_images=check_images)
        problems += found
        if entry is not None:
            entries.append(entry)
    return entries, problems


def validate_document(doc: Document, *, check_images: bool = True) -> tuple[Entry | None, list[Problem]]:
    """Return the entry of one document, or None; problems cover the schema and the cross-checks."""
    v = Validator(doc)
    coop = v.check_model()
    commune = v.check_commune(("dia_chi", "xa_phuong"))
    origins = {}
    for i, product in enumerate(_list(doc.data.get("san_pham"))):
        if isinstance(product, dict) and isinstance(product.get("noi_san_xuat"), str):
            unit = v.check_commune(("san_pham", i, "noi_san_xuat"))
            if unit is not None and isinstance(product.get("ma"), str):
                origins[product["ma"]] = unit
    v.check_folder()
    v.check_placeholders()
    v.check_characters()
    v.check_markdown()
    images = v.check_photos(check_images)
    if coop is not None:
        v.check_personal(coop)
    if coop is None or commune is None or any(p.severity == "error" for p in v.problems):
        return None, v.problems
    return Entry(coop, doc.file, doc.folder, commune, origins, images, doc), v.problems


def _int_bounds(loc: Loc, root: type[BaseModel] = Cooperative) -> tuple[int, int, int] | None:
    """Return (least, greatest, example) of the integer field at loc, from the model's limits and examples."""
    model, alias = _field(loc, root)
    info = next((f for f in model.model_fields.values() if f.alias == alias), None) if model else None
    if info is None:
        return None
    metadata = list(info.metadata)
    if loc and isinstance(loc[-1], int):  # an item of a list of integers: its own limits
        item = typing.get_args(info.annotation)
        metadata = [m for arg in typing.get_args(item[0])[1:] if item for m in getattr(arg, "metadata", [arg])] if item else []
    ge = next((m.ge for m in metadata if hasattr(m, "ge")), None)
    le = next((m.le for m in metadata if hasattr(m, "le")), None)
    if ge is None or le is None:
        return None
    example = info.examples[0] if info.examples and not (loc and isinstance(loc[-1], int)) else ge
    return ge, le, example


def _int_hint(values: dict[str, Any], got: Any, ge: int, le: int, example: int) -> str:
    """Name the hint for an integer field by its own limits ("ghi 3, 4 hoặc 5"), with the number written first."""
    shown = (lambda n: f"{n:,}".replace(",", ".") if n > 9999 else str(n))  # years read 2018, counts 1.000.000
    values["ge_shown"], values["le_shown"], values["example"] = shown(ge), shown(le), example
    values["choices"] = ", ".join(map(str, range(ge, le))) + f" hoặc {le}"
    leading = re.match(r"^\s*(\d+)\s*[^\d\s.,]", got) if isinstance(got, str) else None
    if leading:
        values["number"] = leading.group(1)
        return "int_hint_number_choices" if le - ge <= 4 else "int_hint_number_range"
    return "int_hint_choices" if le - ge <= 4 else "int_hint_range"


def _is_sample(value: Any) -> bool:
    try:
        return parse_bool(value) is True
    except PydanticCustomError:
        return False


def _removable(loc: Loc) -> tuple[str, str]:
    """Return the hint for a placeholder at loc and what may be deleted instead: the line, an item, a group."""
    for depth in range(len(loc), 0, -1):
        part = loc[depth - 1]
        if isinstance(part, int):
            return ("placeholder_hint_product" if loc[:depth - 1] == ("san_pham",) else "placeholder_hint_item"), ""
        model, _ = _field(loc[:depth])
        info = next((f for f in model.model_fields.values() if f.alias == part), None) if model else None
        if info is not None and not info.is_required():
            return ("placeholder_hint" if depth == len(loc) else "placeholder_hint_group"), str(part)
    return "placeholder_hint_required", ""


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


class Validator:
    """Checks one document against a model (a profile by default; events use it too, htx.data.events)."""

    def __init__(self, doc: Document, root: type[BaseModel] = Cooperative) -> None:
        self.doc = doc
        self.root = root
        self.problems: list[Problem] = []
        self.communes: Communes = load_communes()

    def add(self, loc: Loc, key: str, hint_key: str | None = None, *, at_key: bool = False,
            severity: str = "error", **values: Any) -> None:
        line, col = self.doc.position(loc, key=at_key)
        # A written value is repeated short and with its invisible characters shown (`\u202e`), never raw.
        values = {k: _shown(v) if k in _WRITTEN else v for k, v in values.items()}
        hint = M.text(hint_key, **values) if hint_key else ""
        self.problems.append(Problem(self.doc.file, line, col, format_path(loc), M.text(key, **values), hint, severity))

    # -- schema ---------------------------------------------------------------------------------

    def check_model(self) -> Any:
        try:
            return self.root.model_validate(self.doc.data)
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
            for error in errors[:MAX_SCHEMA_PROBLEMS]:
                self.add_pydantic(error)
            if len(errors) > MAX_SCHEMA_PROBLEMS:
                self.add((), "too_many_problems", "too_many_problems_hint", count=len(errors) - MAX_SCHEMA_PROBLEMS)
            return None

    def add_pydantic(self, error: dict) -> None:
        kind = error["type"]
        loc = self.clean_loc(error["loc"], kind)
        ctx = dict(error.get("ctx") or {})
        field_name = str(loc[-1]) if loc else ""
        got = error.get("input")
        values: dict[str, Any] = {"field": field_name, "got": got if isinstance(got, str) else ctx.get("got", got), **ctx}
        if kind == "missing":
            parent = loc[:-1]
            description = _description(parent, field_name, self.root)
            self.add(parent, "missing", "missing_hint", at_key=True, **values)
            if description:
                self.problems[-1] = _with_hint(self.problems[-1], f"{self.problems[-1].hint} ({description})")
            return
        if kind == "extra_forbidden":
            choices = _aliases(loc[:-1], self.root)
            guess = suggest(field_name, [c for c in choices if c not in _present(self.doc.data, loc[:-1])]) if choices else None
            if guess:
                self.add(loc, kind, "extra_forbidden_hint", at_key=True, suggestion=guess, **values)
            else:
                self.add(loc, kind, "extra_forbidden_hint_none", at_key=True, **values)
            return
        if kind == "literal_error":
            expected = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
            guess = suggest(str(got), expected) if isinstance(got, str) else None
            values["expected"] = ", ".join(expected)
            self.add(loc, kind, "literal_error_hint" if guess else "literal_error_hint_none", suggestion=guess, **values)
            return
        if kind == "coords_outside":
            hint = "coords_outside_hint_swapped" if ctx.get("swapped") else "coords_outside_hint"
            self.add(loc, kind, hint, **values)
            return
        if kind == "too_short" and isinstance(got, str):
            kind = "string_too_short"
        if kind == "string_too_long":
            values["length"] = len(got) if isinstance(got, str) else "?"
        if kind in ("int_parsing", "int_from_float"):
            kind = "int_text"
        if kind in ("dict_type", "model_type", "model_attributes_type"):
            kind = "dict_type"
        if not M.has(kind):
            values["type"] = kind
            kind = "unknown_error"
        hint = kind + "_hint" if M.has(kind + "_hint") else None
        if kind in ("int_text", "greater_than_equal", "less_than_equal") and (bounds := _int_bounds(loc, self.root)):
            hint = _int_hint(values, got, *bounds)
        self.add(loc, kind, hint, **values)

    def clean_loc(self, loc: tuple, kind: str) -> Loc:
        """Drop pydantic's union and validator tags from loc, keeping the path through the document."""
        out: list = []
        for i, part in enumerate(loc):
            candidate = tuple(out) + (part,)
            last = i == len(loc) - 1
            if isinstance(part, int) or candidate in self.doc.values or candidate in self.doc.keys or (last and kind == "missing"):
                out.append(part)
        return tuple(out)

    # -- cross-checks on the raw document (they run even when the schema fails) ----------------

    def add_at(self, index: int, loc: Loc, key: str, hint_key: str, **values: Any) -> None:
        """Add a problem at a character offset of the source (exact line and column)."""
        line, col = self.doc.line_col(index)
        self.problems.append(Problem(self.doc.file, line, col, format_path(loc), M.text(key, **values), M.text(hint_key, **values)))

    def check_characters(self) -> None:
        """Refuse control, bidi and invisible characters in every string of the file, once per value.

        Values are checked as read (so `"\\u202e"` escapes count), and pointed at where the character stands
        in the file when it is written there. Comments and keys are checked too: a reviewer reads them.
        """
        source, spans = self.doc.source, sorted(self.doc.spans, key=lambda s: s[0])
        starts = [s[0] for s in spans]
        for m in _ALWAYS.finditer(source):  # outside any scalar: comments, indentation, flow punctuation
            i = bisect.bisect_right(starts, m.start()) - 1
            if i < 0 or m.start() >= spans[i][1]:
                self.add_at(m.start(), (), "text_char_comment", "text_char_hint", **_describe(m.group()))
                break  # one is enough to say what to fix; a file full of them must not list thousands
        seen: set[tuple[Loc, bool]] = set()
        for start, end, loc, is_key in spans:
            if (loc, is_key) in seen:
                continue
            seen.add((loc, is_key))
            value = loc[-1] if is_key else _get(self.doc.data, loc)
            if not isinstance(value, str):
                continue
            long = not is_key and is_long_text(loc, self.root)
            bad = _ALWAYS.search(value) or (None if long else _SHORT.search(value.rstrip("\n")))
            if bad is None:
                continue
            char = bad.group()
            raw = source.find(char, _text_start(source, start, end), end)
            line_break = char in "\t\n\r\u2028\u2029"
            key = "text_char_key" if is_key else "text_break" if line_break else "text_char_long" if long else "text_char"
            hint = "text_break_hint" if line_break and not is_key else "text_char_hint"
            if raw >= 0:
                self.add_at(raw, loc, key, hint, **_describe(char))
            else:
                self.add(loc, key, hint, at_key=is_key, **_describe(char))

    def check_markdown(self) -> None:
        """Bound the Markdown syntax of long texts, per field and per profile (richtext's render cost)."""
        fields = [(loc, text, richtext.markdown_cost(text)) for loc in _markdown_locs(self.doc.data)
                  if isinstance(text := _get(self.doc.data, loc), str)]
        unlisted, first_unlisted = 0, ()
        for what, (field_limit, profile_limit, chars) in _MARKDOWN_LIMITS.items():
            total = sum(cost[what] for _, _, cost in fields)
            running = 0
            crossed = False
            listed = 0
            for loc, text, cost in fields:
                if cost[what] > field_limit:
                    listed += 1
                    if listed > MAX_MARKDOWN_PROBLEMS:  # 200 descriptions alike: a few say what to fix
                        unlisted += 1
                        first_unlisted = first_unlisted or loc
                    else:
                        self.add_markdown(loc, text, f"markdown_{what}", chars, field_limit, count=cost[what], limit=field_limit)
                elif total > profile_limit and not crossed and running + cost[what] > profile_limit:
                    crossed = True  # reported once, where the sum goes past the bound
                    self.add_markdown(loc, text, f"markdown_{what}_profile", chars, profile_limit - running,
                                      count=total, limit=profile_limit)
                running += cost[what]
        if unlisted:
            self.add(first_unlisted, "too_many_problems", "markdown_unlisted_hint", count=unlisted)

    def add_markdown(self, loc: Loc, text: str, key: str, chars: str, allowed: int, **values: Any) -> None:
        """Add a Markdown bound problem at the first character past what is allowed, where it can be found."""
        start, end = next(((s, e) for s, e, l, k in self.doc.spans if l == loc and not k), (0, 0))
        start = _text_start(self.doc.source, start, end)
        raw = _nth(self.doc.source[start:end], chars, allowed)
        if raw is not None:
            self.add_at(start + raw, loc, key, key + "_hint", **values)
        else:
            self.add(loc, key, key + "_hint", **values)

    def check_folder(self) -> None:
        slug = self.doc.data.get("ma")
        folder = self.doc.folder.name
        if isinstance(slug, str) and slug != folder and self.doc.folder != Path(".") and not self.doc.standalone:
            self.add(("ma",), "slug_folder", "slug_folder_hint", slug=slug, folder=folder)

    def check_placeholders(self) -> None:
        """Refuse the template's example values (`htx new`), one problem each; samples may keep them."""
        if not isinstance(self.doc.data, dict) or _is_sample(self.doc.data.get("ho_so_mau")):
            return
        for loc, value in profile_placeholders(self.doc.data):
            names = [part for part in loc if isinstance(part, str)]
            values: dict[str, Any] = {"got": value.strip().splitlines()[0] if value.strip() else value}
            if "ocop" in names:
                hint = "placeholder_hint_ocop"
            elif "chung_nhan" in names:
                hint = "placeholder_hint_cert"
            else:
                hint, values["group"] = _removable(loc)
            self.add(loc, "placeholder", hint, **values)

    def check_personal(self, coop: Cooperative, today: date | None = None) -> None:
        """Check the consent's and the last confirmation's dates, and say what personal data is held back."""
        from .dates import build_date

        today = today or build_date()
        shown = today.strftime("%d/%m/%Y")
        if parse_date(coop.verified) > today:
            self.add(("xac_nhan_ngay",), "verified_future", "verified_future_hint", got=coop.verified, today=shown)
        consent = coop.consent
        if consent is not None:
            day = parse_date(consent.date)
            if day > today:
                self.add(("dong_y_cong_khai", "ngay"), "consent_future", "consent_future_hint", got=consent.date, today=shown)
            if coop.founded and day < parse_date(coop.founded):
                self.add(("dong_y_cong_khai", "ngay"), "consent_before_founded", "consent_before_founded_hint",
                         got=consent.date, founded=coop.founded)
            return
        held = personal_values(coop)
        if held:
            fields = "; ".join(f"{label_path(path_loc(path))} (`{path}`)" for path in held)
            first = path_loc(next(iter(held)))
            self.add(first[:-1] if first[-1] == "co_nguoi" else first, "personal_held_back", "personal_held_back_hint",
                     severity="warning", fields=fields)
        rep = coop.representative
        personal = {d: alias for alias, value in (("dien_thoai", rep.phone), ("zalo", rep.zalo))
                    if value and (d := _national_digits(value))}
        office = [(("lien_he", "dien_thoai", i), phone) for i, phone in enumerate(coop.contact.phones)]
        office += [(("lien_he", "zalo"), coop.contact.zalo)] if coop.contact.zalo else []
        for loc, value in office:
            digits = _national_digits(value)
            if digits in personal:
                self.add(loc, "personal_phone_as_office", "personal_phone_as_office_hint", severity="warning",
                         got=value, where=personal[digits])

    def check_commune(self, loc: Loc) -> Commune | None:
        ref = _get(self.doc.data, loc)
        if not isinstance(ref, str):
            return None
        found = self.communes.lookup(ref)
        if found.commune:
            return found.commune
        if found.legacy:
            self.add(loc, "commune_legacy", "commune_legacy_hint", got=ref.strip(), current=found.current)
        elif found.districts:
            self.add(loc, "commune_district", "commune_district_hint", got=ref.strip(), current=found.current)
        elif found.ambiguous:
            self.add(loc, "commune_ambiguous", "commune_ambiguous_hint", got=ref, choices=", ".join(u.name for u in found.ambiguous))
        else:
            hint = "commune_unknown_hint" if found.suggestion else "commune_unknown_hint_none"
            self.add(loc, "commune_unknown", hint, got=ref, suggestion=found.suggestion)
        return None

    def check_photos(self, check_images: bool) -> dict[str, ImageInfo]:
        checked: dict[str, ImageInfo] = {}
        seen_lower: dict[str, str] = {}
        files: set[str] = set()
        megapixels = 0.0
        for loc, is_product in _photo_locs(self.doc.data):
            written = _get(self.doc.data, loc)
            if not isinstance(written, str) or not written:
                continue
            path = self.resolve_photo(loc, written)
            if path is None:
                continue
            lower = written.lower()
            if lower in seen_lower and seen_lower[lower] != written:
                self.add(loc, "photo_case_clash", "photo_case_clash_hint", got=written, other=seen_lower[lower])
                continue
            seen_lower[lower] = written
            if written not in files:
                files.add(written)
                if len(files) == MAX_PHOTOS + 1:  # once, at the first file past the bound
                    count = len({p for p in (_get(self.doc.data, l) for l, _ in _photo_locs(self.doc.data)) if isinstance(p, str)})
                    self.add(loc, "photo_too_many_files", "photo_too_many_files_hint", got=written, count=count, limit=MAX_PHOTOS)
                if len(files) > MAX_PHOTOS:
                    continue  # not decoded: the bound is there to spare that work
            if not check_images or written in checked or megapixels > MAX_PHOTO_MEGAPIXELS:
                continue
            info, error = inspect_image(path)
            if error is not None:
                key, values = error
                self.add(loc, key, key + "_hint" if M.has(key + "_hint") else None, got=written, **values)
                continue
            assert info is not None
            if info.format_mismatch:
                self.add(loc, "photo_ext_mismatch", "photo_ext_mismatch_hint", severity="warning", got=written,
                         format=info.format, ext=info.format.lower().replace("jpeg", "jpg"))
            if is_product and info.width < MIN_PRODUCT_PHOTO_WIDTH:
                self.add(loc, "photo_small", "photo_small_hint", severity="warning", got=written, width=info.width, min=MIN_PRODUCT_PHOTO_WIDTH)
            checked[written] = info
            before, megapixels = megapixels, megapixels + info.width * info.height / 1e6
            if before <= MAX_PHOTO_MEGAPIXELS < megapixels:
                self.add(loc, "photo_too_many_pixels_total", "photo_too_many_pixels_total_hint", got=written,
                         total=round(megapixels), limit=MAX_PHOTO_MEGAPIXELS)
        return checked

    def resolve_photo(self, loc: Loc, written: str) -> Path | None:
        """Return the file a photo path names inside the cooperative's folder, or None after a problem."""
        if "\\" in written:
            self.add(loc, "photo_backslash", "photo_backslash_hint", got=written)
            return None
        pure = PurePosixPath(written)
        if pure.is_absolute() or re.match(r"^[a-zA-Z]:", written):
            self.add(loc, "photo_absolute", "photo_absolute_hint", got=written)
            return None
        if ".." in pure.parts:
            self.add(loc, "photo_outside", "photo_outside_hint", got=written)
            return None
        path = self.doc.folder / pure
        try:
            return self._resolve_inside(loc, written, pure, path)
        except OSError:  # a name longer than the file system allows (255 bytes: 85 Vietnamese letters), no access…
            self.add(loc, "photo_missing", "photo_missing_hint", got=written)
            return None

    def _resolve_inside(self, loc: Loc, written: str, pure: PurePosixPath, path: Path) -> Path | None:
        # Any link on the way could lead out of the folder: refuse links, not just escaping ones. With no
        # link, no `..` and a relative path (checked above; the folder itself is no link, load.py), the file
        # is inside the folder.
        probe = self.doc.folder
        for part in pure.parts:
            probe = probe / part
            if probe.is_symlink():
                self.add(loc, "photo_symlink", "photo_symlink_hint", got=written)
                return None
        if not path.is_file():
            siblings = [p.name for p in path.parent.iterdir()] if path.parent.is_dir() else []
            same = next((s for s in siblings if s.lower() == path.name.lower()), None)
            if same:
                self.add(loc, "photo_missing", "photo_missing_hint_case", got=written, suggestion=str(PurePosixPath(written).parent / same))
            else:
                self.add(loc, "photo_missing", "photo_missing_hint", got=written)
            return None
        return path


_MARKDOWN_LIMITS = {
    "links": (richtext.MAX_LINKS, richtext.MAX_LINKS_PROFILE, richtext.LINK_CHARS),
    "marks": (richtext.MAX_MARKS, richtext.MAX_MARKS_PROFILE, richtext.MARK_CHARS),
    "lines": (richtext.MAX_LINES, richtext.MAX_LINES_PROFILE, richtext.LINE_CHARS),
}


_WRITTEN = ("got", "field", "slug", "folder", "host")  # values a profile wrote, repeated in messages


def _shown(value: Any) -> Any:
    return escape(clip(value)) if isinstance(value, str) else value


def _text_start(source: str, start: int, end: int) -> int:
    """Return where a scalar's text begins in source: a block scalar's (`|`, `>`) on the line after its header."""
    if source[start:start + 1] in ("|", ">"):
        return source.find("\n", start, end) + 1 or end
    return start


def _nth(text: str, chars: str, n: int) -> int | None:
    """Return the offset of the character of chars after the first n in text, or None."""
    seen = 0
    for i, c in enumerate(text):
        if c in chars:
            if seen == n:
                return i
            seen += 1
    return None


def _describe(char: str) -> dict[str, str]:
    """Return the code point of an unwanted character and what kind it is, for a message."""
    code = ord(char)
    if re.match(f"[{_BIDI}]", char):
        kind = "text_kind_bidi"
    elif re.match(f"[{_ZERO_WIDTH}\U000e0000-\U000e007f]", char):
        kind = "text_kind_zero_width"
    elif char in "\t\n\r\u2028\u2029":
        kind = "text_kind_break"
    elif unicodedata.category(char) == "Cc":
        kind = "text_kind_control"
    elif unicodedata.category(char) == "Cs":
        kind = "text_kind_surrogate"
    else:
        kind = "text_kind_invisible"
    return {"code": f"U+{code:04X}", "kind": M.text(kind)}


def _field(loc: Loc, root: type[BaseModel] = Cooperative) -> tuple[type[BaseModel] | None, str]:
    """Return the model and alias of the field a value belongs to (list items belong to their list)."""
    parts = list(loc)
    while parts and isinstance(parts[-1], int):
        parts.pop()
    if not parts:
        return None, ""
    return _model_at(tuple(parts[:-1]), root), str(parts[-1])


def is_long_text(loc: Loc, root: type[BaseModel] = Cooperative) -> bool:
    """Tell whether the value at loc belongs to a field of several lines (model `long_text`)."""
    model, alias = _field(loc, root)
    return model is not None and alias in model.long_text


def _markdown_locs(data: Any, loc: Loc = ()) -> list[Loc]:
    """Return the locations of every Markdown text in data, in document order (fields marked in model.py)."""
    out: list[Loc] = []
    if isinstance(data, list):
        for i, item in enumerate(data):
            out += _markdown_locs(item, loc + (i,))
    elif isinstance(data, dict):
        model = _model_at(tuple(p for p in loc if not isinstance(p, int))) if loc else Cooperative
        if model is None:
            return out
        for key, value in data.items():
            if isinstance(value, str) and key in model.markdown_text:
                out.append(loc + (key,))
            elif isinstance(value, (dict, list)):
                out += _markdown_locs(value, loc + (key,))
    return out


def _photo_locs(data: dict) -> list[tuple[Loc, bool]]:
    locs: list[tuple[Loc, bool]] = []
    if isinstance(data.get("logo"), dict):
        locs.append((("logo", "tep"), False))
    for i, _ in enumerate(_list(data.get("hinh_anh"))):
        locs.append((("hinh_anh", i, "tep"), False))
    for p, product in enumerate(_list(data.get("san_pham"))):
        if isinstance(product, dict):
            for i, _ in enumerate(_list(product.get("hinh_anh"))):
                locs.append((("san_pham", p, "hinh_anh", i, "tep"), True))
    return locs


def _get(data: Any, loc: Loc) -> Any:
    for part in loc:
        if isinstance(part, int):
            if not isinstance(data, list) or part >= len(data):
                return None
        elif not isinstance(data, dict):
            return None
        data = data[part] if isinstance(part, int) else data.get(part)
    return data


def _present(data: Any, loc: Loc) -> set[str]:
    node = _get(data, loc)
    return set(node) if isinstance(node, dict) else set()


def _model_at(loc: Loc, root: type[BaseModel] = Cooperative) -> type[BaseModel] | None:
    """Return the model class that describes the mapping at loc (following aliases) in a document of root."""
    model: type[BaseModel] = root
    for part in loc:
        if isinstance(part, int):
            continue
        field_info = next((f for f in model.model_fields.values() if f.alias == part), None)
        if field_info is None:
            return None
        inner = _find_model(field_info.annotation)
        if inner is None:
            return None
        model = inner
    return model


def _find_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _find_model(arg)
        if found is not None:
            return found
    return None


def _aliases(loc: Loc, root: type[BaseModel] = Cooperative) -> list[str]:
    model = _model_at(loc, root)
    return [f.alias for f in model.model_fields.values() if f.alias] if model else []


def _description(loc: Loc, alias: str, root: type[BaseModel] = Cooperative) -> str:
    model = _model_at(loc, root)
    if model is None:
        return ""
    info = next((f for f in model.model_fields.values() if f.alias == alias), None)
    return (info.description or "") if info else ""


def _with_hint(problem: Problem, hint: str) -> Problem:
    from dataclasses import replace

    return replace(problem, hint=hint)
