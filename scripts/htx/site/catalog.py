"""Stage 3, catalog: everything that needs all cooperatives at once: unique slugs and ids, URLs,
and the indexes the listing pages are built from (by category, commune, certification, OCOP).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from pathlib import Path

from ..data import messages as M
from ..data.dates import build_date, cert_expired, ocop_expiry
from ..data.communes import Commune
from ..data.load import parse_text
from ..data.model import Cooperative, Product, parse_date
from ..data.problems import Problem, format_path
from ..data.text import sort_key, suggest
from ..data.validate import Entry
from ..data.vocab import CATEGORIES

# Page names that already live where cooperative or product pages go.
RESERVED_COOP_SLUGS = set(CATEGORIES) | {"ocop", "trang", "index", "tim-kiem", "assets", "anh", "xa-phuong"}
RESERVED_PRODUCT_IDS = {"index"}
# The staff's choice of products for the home page, beside the profiles (cooperatives/noi-bat.yml). A profile's
# own `noi_bat: có` is only a proposal: promotion is decided by staff, in a file profile pull requests cannot touch.
FEATURED_FILE = "noi-bat.yml"
FEATURED_KEYS = ("san_pham", "ghi_chu", "den_ngay")
MAX_FEATURED_BYTES = 100_000


@dataclass
class Item:
    """A product in the catalog, with its cooperative and resolved places."""

    entry: Entry
    product: Product
    origin: Commune

    @property
    def coop(self) -> Cooperative:
        return self.entry.coop

    @cached_property
    def key(self) -> str:
        return f"{self.coop.slug}/{self.product.id}"

    @cached_property
    def url(self) -> str:
        return product_url(self.coop.slug, self.product.id)


def coop_url(slug: str) -> str:
    return f"hop-tac-xa/{slug}/"


def product_url(coop: str, product: str) -> str:
    return f"san-pham/{coop}/{product}/"


def category_url(key: str) -> str:
    return f"san-pham/{key}/"


def commune_url(commune: Commune) -> str:
    return f"xa-phuong/{commune.slug}/"


def public_coop(coop: Cooperative) -> Cooperative:
    """Return the cooperative as it may be published: without a recorded consent (`dong_y_cong_khai`), no
    personal field: the representative keeps the title only, and photos showing people (`co_nguoi`) are left
    out everywhere (a file declared so once is left out wherever it is used).

    Every output (pages, cards, share cards, JSON-LD, search, flyers) is made from this copy, so none of them
    can show what it does not hold; the profile itself is not changed.
    """
    if coop.publishes_personal:
        return coop
    people = {p.file for p in (coop.logo, *coop.photos, *(x for pr in coop.products for x in pr.photos)) if p and p.people}

    def keep(photos: list) -> list:
        return [p for p in photos if p.file not in people]

    rep = coop.representative.model_copy(update={"name": None, "phone": None, "zalo": None, "email": None})
    products = [p.model_copy(update={"photos": keep(p.photos)}) if any(x.file in people for x in p.photos) else p
                for p in coop.products]
    return coop.model_copy(update={"representative": rep, "photos": keep(coop.photos), "products": products,
                                   "logo": None if coop.logo and coop.logo.file in people else coop.logo})


def public_entry(entry: Entry) -> Entry:
    """Return the entry with its cooperative as published (public_coop), the same entry when nothing changes."""
    coop = public_coop(entry.coop)
    return entry if coop is entry.coop else replace(entry, coop=coop)


@dataclass
class Catalog:
    """All valid cooperatives and products, looked up by slug, with the indexes listings need."""

    entries: dict[str, Entry] = field(default_factory=dict)
    items: dict[str, Item] = field(default_factory=dict)      # "coop/product" → item
    today: date = field(default_factory=build_date)
    picks: list[str] = field(default_factory=list)             # featured "coop/product" keys, staff's order
    # The staff page's rows (freshness.status_rows), made from the profiles as written: the entries above are
    # the published ones, without personal data where there is no consent, so they cannot tell what was held back.
    status: list = field(default_factory=list)

    @classmethod
    def from_entries(cls, entries: list[Entry], *, include_samples: bool = True, today: date | None = None,
                     prefer: set[str] = frozenset(), featured_file: Path | None = None) -> tuple["Catalog", list[Problem]]:
        """Return the catalog of entries and the cross-file problems (duplicate slugs and ids, reserved names,
        unknown products in the staff's featured list).

        A duplicate is reported on the later file; files in `prefer` come last so that their duplicates
        are reported on them (a pull request's own files). The featured list is `featured_file`, else
        noi-bat.yml in the folder that holds the cooperatives' folders.
        """
        catalog = cls(today=today or build_date())
        problems: list[Problem] = []
        product_owner: dict[str, str] = {}
        shown: list[Entry] = []
        for entry in sorted(entries, key=lambda e: (e.file in prefer, e.coop.slug)):
            if entry.coop.sample and not include_samples:
                continue
            shown.append(entry)
            entry = public_entry(entry)
            coop = entry.coop
            line, col = entry.position(("ma",))
            if coop.slug in catalog.entries:
                other = catalog.entries[coop.slug].file
                problems.append(Problem(entry.file, line, col, "ma", M.text("slug_duplicate", slug=coop.slug, other=other), M.text("slug_duplicate_hint")))
                continue
            if coop.slug in RESERVED_COOP_SLUGS:
                problems.append(Problem(entry.file, line, col, "ma", M.text("slug_reserved", slug=coop.slug), M.text("slug_reserved_hint", slug=coop.slug)))
                continue
            catalog.entries[coop.slug] = entry
            for i, product in enumerate(coop.products):
                where = f"san_pham[{i}].ma"
                pline, pcol = entry.position(("san_pham", i, "ma"))
                if product.id in RESERVED_PRODUCT_IDS:
                    problems.append(Problem(entry.file, pline, pcol, where, M.text("product_reserved", id=product.id), M.text("product_reserved_hint")))
                    continue
                if product.id in product_owner:
                    problems.append(Problem(entry.file, pline, pcol, where, M.text("product_duplicate", id=product.id, other=product_owner[product.id]),
                                            M.text("product_duplicate_hint", id=product.id, slug=coop.slug)))
                    continue
                product_owner[product.id] = entry.file
                item = Item(entry, product, entry.origins.get(product.id, entry.commune))
                catalog.items[item.key] = item
        from .freshness import status_rows   # freshness imports this module

        catalog.status = status_rows([e for e in shown if e.coop.slug in catalog.entries], catalog.today)
        if featured_file is None and entries:
            featured_file = entries[0].folder.parent / FEATURED_FILE
        if featured_file is not None:
            shown = Path(entries[0].file).parent.parent.joinpath(FEATURED_FILE).as_posix() if entries else str(featured_file)
            problems += catalog.read_featured(featured_file, shown)
        return catalog, problems

    def read_featured(self, path: Path, shown: str) -> list[Problem]:
        """Fill `picks` from the staff's featured file; return its problems (no file: nothing featured).

        Entries are `coop/product` or mappings {san_pham, ghi_chu, den_ngay}. An entry whose cooperative has a
        folder beside the file but is not in this catalog (a sample left out, a preview of one cooperative,
        a profile with errors of its own) is skipped quietly; one naming nothing that exists is an error.
        """
        self.picks = []
        if not path.exists() and not path.is_symlink():
            return []
        if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_FEATURED_BYTES:
            return [Problem(shown, 1, 1, "", M.text("featured_not_file", limit=MAX_FEATURED_BYTES // 1000), "")]
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            return [Problem(shown, 1, 1, "", M.text("file_not_utf8"), M.text("file_not_utf8_hint"))]
        if not text.strip() or all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()):
            return []   # only comments: the staff have chosen nothing yet
        doc, problems = parse_text(text, shown, path.parent)
        if doc is None:
            return problems
        data = doc.data

        def problem(loc: tuple, message: str, hint: str = "") -> None:
            line, col = doc.position(loc)
            problems.append(Problem(shown, line, col, format_path(loc), message, hint))

        for key in data:
            if key != "noi_bat":
                problem((key,), M.text("featured_unknown_key", key=key), M.text("featured_shape_hint"))
        entries = data.get("noi_bat")
        if entries is None:
            return problems
        if not isinstance(entries, list):
            problem(("noi_bat",), M.text("featured_not_list"), M.text("featured_shape_hint"))
            return problems
        folders = {p.name for p in path.parent.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))}
        seen: dict[str, int] = {}
        for i, entry in enumerate(entries):
            loc: tuple = ("noi_bat", i)
            until = None
            if isinstance(entry, dict):
                for key in entry:
                    if key not in FEATURED_KEYS:
                        problem((*loc, key), M.text("featured_unknown_key", key=key), M.text("featured_entry_keys"))
                if isinstance(entry.get("den_ngay"), str):
                    try:
                        until = parse_date(entry["den_ngay"])
                    except ValueError:
                        problem((*loc, "den_ngay"), M.text("featured_bad_date", got=entry["den_ngay"]), M.text("featured_bad_date_hint"))
                        continue
                elif entry.get("den_ngay") is not None:
                    problem((*loc, "den_ngay"), M.text("featured_bad_date", got=""), M.text("featured_bad_date_hint"))
                    continue
                loc, entry = (*loc, "san_pham"), entry.get("san_pham")
            if not isinstance(entry, str) or entry.count("/") != 1:
                problem(loc, M.text("featured_bad_entry", got=entry if isinstance(entry, str) else ""), M.text("featured_shape_hint"))
                continue
            key = entry.strip()
            slug, product = key.split("/")
            line = doc.position(loc)[0]
            if key in seen:
                problem(loc, M.text("featured_duplicate", got=key, line=seen[key]), M.text("featured_duplicate_hint"))
                continue
            seen[key] = line
            if key in self.items:
                if until is None or until >= self.today:
                    self.picks.append(key)
            elif slug in self.entries:
                ids = [i.product.id for i in self.products_of(slug)]
                near = suggest(product, ids)
                problem(loc, M.text("featured_unknown_product", slug=slug, id=product),
                        M.text("featured_suggest", suggestion=f"{slug}/{near}") if near else M.text("featured_unknown_hint"))
            elif slug not in folders:
                near = suggest(slug, folders)
                problem(loc, M.text("featured_unknown_coop", slug=slug),
                        M.text("featured_suggest", suggestion=f"{near}/{product}") if near else M.text("featured_unknown_hint"))
        return problems

    # -- lookups --------------------------------------------------------------------------------

    @property
    def cooperatives(self) -> list[Entry]:
        return list(self.entries.values())

    def products_of(self, slug: str) -> list[Item]:
        """Return a cooperative's products in profile order."""
        return self.by_cooperative.get(slug, [])

    @cached_property
    def by_cooperative(self) -> dict[str, list[Item]]:
        # One pass instead of a scan per page: product pages ask for their siblings 5,000 times at scale.
        index: dict[str, list[Item]] = {}
        for item in self.items.values():
            index.setdefault(item.coop.slug, []).append(item)
        return index

    def ocop_active(self, item: Item) -> bool:
        """Return whether a product's OCOP rating is in force today: THE definition every count and list uses."""
        return item.product.ocop is not None and ocop_expiry(item.product.ocop) >= self.today

    # -- indexes (one pass each; dicts keep the sorted insertion order) --------------------------

    @cached_property
    def by_category(self) -> dict[str, list[Item]]:
        index: dict[str, list[Item]] = {key: [] for key in CATEGORIES}
        for item in self.sorted_items:
            index[item.product.category].append(item)
        return index

    @cached_property
    def sorted_items(self) -> list[Item]:
        # Active OCOP stars first, then name: what a buyer scanning a list wants to see first.
        def rank(item: Item) -> tuple:
            stars = item.product.ocop.stars if self.ocop_active(item) else 0  # type: ignore[union-attr]
            return (-stars, sort_key(item.product.name), item.key)

        return sorted(self.items.values(), key=rank)

    @cached_property
    def by_commune(self) -> dict[str, tuple[Commune, list[Entry], list[Item]]]:
        index: dict[str, tuple[Commune, list[Entry], list[Item]]] = {}
        for entry in self.entries.values():
            index.setdefault(entry.commune.code, (entry.commune, [], []))[1].append(entry)
        for item in self.sorted_items:
            index.setdefault(item.origin.code, (item.origin, [], []))[2].append(item)
        return dict(sorted(index.items(), key=lambda kv: sort_key(kv[1][0].name)))

    @cached_property
    def ocop_items(self) -> list[Item]:
        """Return the products whose OCOP rating is in force (ocop_active): the OCOP page, counts and filters."""
        return [i for i in self.sorted_items if self.ocop_active(i)]

    @property
    def featured(self) -> list[Item]:
        """Return the products the staff chose for the home page, in their order (never a profile's own `noi_bat`)."""
        return [self.items[key] for key in self.picks if key in self.items]

    def certification_keys(self, item: Item) -> list[str]:
        """Return the certification kinds in force for a product (its own and its cooperative's)."""
        certs = list(item.product.certifications) + list(item.coop.certifications)
        return sorted({c.kind for c in certs if not cert_expired(c, self.today)})

    def in_season(self, item: Item) -> bool:
        return not item.product.season or self.today.month in item.product.season

    def figures(self) -> dict[str, int]:
        """Return the headline figures of the home and statistics pages, computed from the data."""
        return {
            "cooperatives": len(self.entries),
            "members": sum(e.coop.members for e in self.entries.values()),
            "products": len(self.items),
            "ocop": len(self.ocop_items),
            "communes": len({e.commune.code for e in self.entries.values()}),
        }
