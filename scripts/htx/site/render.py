"""Stage 4, render: the catalog → Markdown pages (front matter + body), as plain values.

Bodies are HTML blocks produced by the Jinja templates in templates/ with autoescaping on: every
profile value is escaped, long texts go through richtext.render_markdown. MkDocs' own theme
environment does not autoescape, so the titles and descriptions put into page meta are escaped here.
"""
from __future__ import annotations

import hashlib
import html
import json
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, partial
from math import ceil
from typing import Any, Callable, Iterable
from urllib.parse import quote, urlsplit, urlunsplit

import yaml
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from ..data.dates import add_months, cert_expired, ocop_expiry
from .catalog import Catalog, Item, category_url, commune_url, coop_url, product_url
from ..data.communes import Commune
from .freshness import freshness, verified_date
from ..publish.images import ImageInfo, Variant, plan_variants
from ..publish.qr import cached_svg as qr_svg
from ..publish.share import SharePlan, plan_share
from ..data.model import Photo, format_phone, label_path, normalize_phone, parse_date
from ..data.richtext import render_markdown, render_plain
from ..data.text import format_date, format_number, format_vnd, slugify, sort_key
from ..data.validate import Entry
from ..data.vocab import CATEGORIES, CERTIFICATIONS, CHANNELS, KINDS, OCOP_GROUPS, SECTORS, SOCIAL
from ..data.posts import PostMeta
from ..data.events import EVENT_KINDS, EVENT_STATUSES, EVENTS_DIR, STATUS_LABELS
from .events import Events, Participation
from .i18n import WEEKDAYS as WEEKDAYS_EN, Localized, Messages, english_src, english_url, language_of, search_keywords, format_date_en, format_number_en, format_vnd_en, localize, translate_unit
from .indicators import NO_HISTORY, SOURCE, compute_report
from ..data.history import History

# Cards per page. A card is 0.7–1 KB of HTML and the theme adds ~18 KB to every page (Benchmark section of
# scripts/DEVELOPERS.md), so these keep listing pages under the 40 KB budget and bounded at any scale.
PER_PAGE = 20          # product listing pages: a category, a cooperative's products
OCOP_PER_PAGE = 18     # every card there carries the OCOP badge (+0.1–0.2 KB)
DIRECTORY_PER_PAGE = 16  # the directory: a cooperative's card carries its summary (~1 KB)
CATALOG_PREVIEW = 8    # staff-chosen product cards on the catalog page; categories lead to the rest
COMMUNE_PER_PAGE = 12  # cooperatives and products (each) per page of a commune
STATS_COMMUNES = 20    # communes in the statistics chart (the most cooperatives); xa-phuong/ lists them all
COOP_CARDS = 12        # product cards on a cooperative's page; more go to its own product listing
STATUS_URL = "bien-tap/tinh-trang/"
PLAN_URL = "ke-hoach/so-lieu/"        # the plan in numbers (htx.site.indicators)   # the staff's freshness page: not in the navigation, noindex
STATUS_ROWS = 500      # profiles listed there, oldest confirmation first (a national catalog has 34,000)
_YAML_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml: same text, ~7× faster


@dataclass
class GeneratedPage:
    """A generated page: where it goes, what the theme shows around it, and its HTML body.

    `title` and `description` are HTML (escaped once here): MkDocs' theme environment does not autoescape.
    """

    src_uri: str
    title: Markup
    description: Markup
    body: str
    ld: list[dict] = field(default_factory=list)     # JSON-LD blocks (overrides/partials/htx-meta.html)
    image: dict | None = None                         # the share card for og:image (Renderer.share_image)
    noindex: bool = False                             # robots noindex, left out of the sitemap
    hide: tuple[str, ...] = ("navigation", "toc")     # Material's `hide`: generated pages have neither

    @property
    def url(self) -> str:
        return url_of(self.src_uri)

    @property
    def meta(self) -> dict[str, Any]:
        """The page's front matter, as MkDocs reads it from a Markdown file (for the theme)."""
        return {"title": self.title, "description": self.description, "hide": list(self.hide)}

    def markdown(self) -> str:
        """Return the page as a Markdown file: YAML front matter, then the body (`htx render`, the bench)."""
        meta = {"title": str(self.title), "description": str(self.description), "hide": list(self.hide),
                "htx_ld": self.ld, **({"htx_image": self.image} if self.image else {}),
                **({"htx_noindex": True} if self.noindex else {})}
        front = yaml.dump(meta, Dumper=_YAML_DUMPER, allow_unicode=True, sort_keys=True, width=10_000)
        return f"---\n{front}---\n\n{self.body}\n"


@dataclass(frozen=True)
class PageJob:
    """A generated page not rendered yet: listing the pages of a national catalog costs closures, not HTML.

    `inputs`, for the pages of one cooperative (its page and its products'), is a hash of all they read: the
    profile's key (htx.data.profile_cache: its bytes, its photos, today, the code), the page's place in its
    listing's order, and the renderer's settings. Such a page shows nothing of any other profile, so equal
    inputs give an equal page (htx.mkdocs.generated keeps it by them). A listing's covers every profile and
    event (Renderer.listings_key); the plan's figures have none (they read the git history and the news).
    """

    src_uri: str
    make: Callable[[], GeneratedPage]
    inputs: str = ""


@dataclass
class Used:
    """The photos (by content hash) and share cards (by key) one page shows."""

    images: set[str] = field(default_factory=set)
    shares: set[str] = field(default_factory=set)


@dataclass
class Rendered:
    """The photo variants and share cards of the pages rendered so far (picture() and share_image() register
    them as pages render); `pages` renders every page at once, for tools that want them all in memory
    (`htx render`, tests). The site build streams pages instead (htx.mkdocs.generated)."""

    images: dict[str, tuple[ImageInfo, list[Variant]]] = field(default_factory=dict)
    shares: dict[str, SharePlan] = field(default_factory=dict)   # Open Graph cards, drawn after the pages
    renderer: "Renderer | None" = None

    @cached_property
    def pages(self) -> list[GeneratedPage]:
        """Every page, rendered on first use and kept (tools and tests; the build streams jobs instead)."""
        return [job.make() for job in self.renderer.jobs()] if self.renderer is not None else []

    def fragment(self, name: str, page_url: str, **context: Any) -> str:
        """Return the HTML block a hand-written page asks for with `<!-- htx:NAME -->`."""
        assert self.renderer is not None
        return self.renderer.fragment(name, page_url, **context)


_UP = "<htx:up>"   # "../" × a page's depth, filled in per page (card()); escaped profile text never holds "<"


def url_slug(text: str, separator: str = "-") -> str:
    """Return an ASCII URL slug of a Vietnamese name, words joined by separator ("Chính sách" → "chinh-sach").

    The signature of a Markdown slugify: mkdocs.yml gives it to the blog as `categories_slugify`, whose
    default kept the diacritics (chuyen-muc/chính-sách/).
    """
    return slugify(text).replace("-", separator)


def url_of(src_uri: str) -> str:
    """Return the directory URL MkDocs gives a source path ("a/b.md" → "a/b/", "a/index.md" → "a/")."""
    stem = src_uri[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def _meta_text(text: str) -> str:
    return html.escape(text, quote=True)


class Renderer:
    """Turns a catalog into pages; one method per page kind, each yielding PageJobs (rendered when called)."""

    def __init__(self, catalog: Catalog, *, with_images: bool = True, site_url: str = "",
                 events: Events | None = None, history: History | None = None,
                 posts: list[PostMeta] | None = None, lang: str = "vi", out: Rendered | None = None) -> None:
        self.catalog = catalog
        self.lang = lang
        self._ = Messages(lang)
        # Hand-written pages with an English twin (vi URL → en URL), from their front matter (set by the plugin).
        self.pairs: dict[str, str] = {}
        self.english: Renderer | None = None     # the English edition's renderer, beside a Vietnamese one
        self.history, self.posts = history, posts or []
        self.events = events if events is not None else Events(today=catalog.today)
        self.site_url = site_url if site_url.endswith("/") or not site_url else site_url + "/"
        self.with_images = with_images
        self.out = out if out is not None else Rendered()
        self._cards: dict[tuple[str, str], tuple[str, set[str]]] = {}   # (item key, heading) → card HTML, photos
        self.used = Used()                                      # what the page being rendered shows (tracked())
        self._pictures: dict[tuple, Markup] = {}                # see picture()
        self._card_macros: Any = None                           # _macros.j2 with links relative to _UP
        self._ranks: dict[str, int] | None = None               # see rank()
        self._states: dict[str, dict[str, Any]] = {}            # see state()
        self.env = Environment(
            loader=PackageLoader("htx.site", "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
            auto_reload=False,   # templates do not change during a build: no stat() per include (~100,000)
        )
        english = lang == "en"
        self.format_date = format_date_en if english else format_date
        self.format_vnd = format_vnd_en if english else format_vnd
        t = self._
        self.env.add_extension("jinja2.ext.i18n")
        self.env.install_gettext_callables(t.gettext, t.ngettext, newstyle=True)  # type: ignore[attr-defined]
        self.env.filters.update(vnd=self.format_vnd, vndate=lambda s: self.format_date(parse_date(s)),
                                number=format_number_en if english else format_number,
                                md=render_markdown, plain=render_plain, vndate_obj=parse_date, phone=format_phone,
                                zalo_text=zalo_text, by_label=by_label, date=self.format_date)
        self.env.globals.update(CATEGORIES=t.categories(CATEGORIES), KINDS=t.labels(KINDS), SECTORS=t.labels(SECTORS),
                                CHANNELS=t.labels(CHANNELS), CERTIFICATIONS=t.labels(CERTIFICATIONS),
                                OCOP_GROUPS=t.labels(OCOP_GROUPS), SOCIAL=t.labels(SOCIAL), lang=lang,
                                localize=lambda obj, name: localize(obj, name, lang), unit=self.unit,
                                keywords=lambda p: search_keywords(p.name),

                                catalog=catalog, today=catalog.today, contact_links=lambda entry: contact_links(entry, t), map_link=map_link,
                                coop_url=coop_url, product_url=product_url, category_url=category_url,
                                commune_url=commune_url, tojson=lambda v: Markup(json.dumps(v, ensure_ascii=False)),
                                rank=self.rank, state=self.state, event_view=self.event_view,
                                EVENTS_URL=EVENTS_DIR + "/")

    def local_url(self, url: str) -> str:
        """A page's URL in this renderer's language: its English twin on English pages when there is one (a page
        only in Vietnamese, such as the news, keeps its address)."""
        return (english_url(url, self.pairs) or url) if self.lang == "en" else url

    def src(self, src_uri: str) -> str:
        """A generated page's source path in this renderer's language ("san-pham/x.md" → "en/products/x.md")."""
        return english_src(src_uri) if self.lang == "en" else src_uri

    def name(self, obj: Any) -> str:
        """A cooperative's or product's name in this language: its English name on English pages when given."""
        return localize(obj, "name", self.lang).text

    def text(self, obj: Any, field: str) -> str:
        return localize(obj, field, self.lang).text

    def category(self, key: str) -> str:
        return self._(CATEGORIES[key].label)

    def unit(self, product: Any) -> Localized | None:
        """A product's unit as this language shows it: on English pages its English unit, else the glossary's
        translation (htx.site.i18n.translate_unit), else the Vietnamese as written (lang "vi")."""
        if not product.unit:
            return None
        if self.lang == "en":
            english = localize(product, "unit", "en")
            if english.lang == "en":
                return english
            translated = translate_unit(product.unit)
            if translated:
                return Localized(translated, "en")
        return Localized(product.unit, "vi")

    def state(self, coop: Any) -> dict[str, Any]:
        """Return how current a cooperative's information is: the day it was confirmed (dd/mm/yyyy) and its
        freshness (htx.site.freshness): "stale" pages say "Cần cập nhật"; "expired" ones hide prices and contacts."""
        found = self._states.get(coop.slug)
        if found is None:
            kind = freshness(coop, self.catalog.today)
            found = self._states[coop.slug] = {"verified": self.format_date(verified_date(coop)), "freshness": kind,
                                               "stale": kind != "fresh", "expired": kind == "expired"}
        return found

    def rank(self, obj: Item | Entry) -> str:
        """Return a product's or cooperative's place in its listing's order, as the search index's order.

        The order is made here, in Vietnamese (sort_key), so the filtered lists in the browser match the
        static ones: a key built from the ASCII slug would put "Đường" among the d's and "ă" with "a".
        """
        if self._ranks is None:
            entries = sorted(self.catalog.cooperatives, key=lambda e: (sort_key(e.coop.name), e.coop.slug))
            self._ranks = {**{i.key: n for n, i in enumerate(self.catalog.sorted_items)},
                           **{"/" + e.coop.slug: n for n, e in enumerate(entries)}}
        key = obj.key if isinstance(obj, Item) else "/" + obj.coop.slug
        return f"{self._ranks[key]:07d}"

    # -- entry point --------------------------------------------------------------------------

    def tracked(self, job: PageJob) -> tuple[GeneratedPage, Used]:
        """Render a job (of either language); return the page and the photos and share cards it shows."""
        used = Used()
        outer = [(renderer, renderer.used) for renderer in self.family]
        for renderer, _ in outer:
            renderer.used = used
        try:
            return job.make(), used
        finally:
            for renderer, before in outer:
                renderer.used = before

    def inputs(self, entry: Entry, src_uri: str, rank: str) -> str:
        """See PageJob.inputs; empty when the profile has no key (built without htx.pipeline)."""
        if not entry.digest:
            return ""
        # The cooperative's upcoming events show on its pages ("Gặp chúng tôi tại …"): their files count too.
        text = f"{entry.digest}\0{src_uri}\0{rank}\0{self.site_url}\0{self.with_images}\0{self.events.digest_of(entry.coop.slug)}"
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    @cached_property
    def listings_key(self) -> str:
        """What every listing reads, hashed: all profiles' keys, the events' files, the staff's featured picks,
        the English twins of hand-written pages and the renderer's settings; empty when a profile has no key.

        A listing (a category, the directory, a commune, an event…) shows many profiles, so any of them changing
        renders it again; with none changed, a rebuild keeps them all (htx.mkdocs.generated) instead of
        rendering 1,800 bodies to find them equal. Theme and code are added by the writer's fingerprint.
        """
        entries = self.catalog.cooperatives
        if not entries or not all(entry.digest for entry in entries):
            return ""
        digest = hashlib.sha256(json.dumps([self.lang, self.site_url, self.with_images, str(self.catalog.today),
                                            sorted(self.pairs.items()), self.catalog.picks]).encode("utf-8"))
        for entry in entries:
            digest.update(f"\1{entry.coop.slug}\0{entry.digest}".encode())
        for part in self.events.events:
            digest.update(f"\2{part.entry.key}\0{part.entry.digest}\0{','.join(part.coops)}".encode())
        return digest.hexdigest()

    def listing_inputs(self, src_uri: str) -> str:
        """See PageJob.inputs: a listing's, from listings_key and its address."""
        key = self.listings_key
        return hashlib.sha256(f"{key}\0{src_uri}".encode()).hexdigest() if key else ""

    def jobs(self) -> list[PageJob]:
        """Every generated page, in a fixed order (products, cooperatives, then the listings), not rendered yet;
        then the English edition's (htx.site.i18n): the same kinds but the staff's page, the events and the plan's
        figures, which are in Vietnamese only."""
        kinds = [self.render_products, self.render_cooperatives, self.render_categories, self.render_catalog_index,
                 self.render_directory, self.render_communes, self.render_ocop, self.render_statistics]
        if self.lang == "vi":
            kinds += [self.render_status, self.render_events, self.render_plan]
        jobs = [job for kind in kinds for job in kind()]
        return jobs + self.english.jobs() if self.english is not None else jobs

    @property
    def family(self) -> list[Renderer]:
        return [self, self.english] if self.english is not None else [self]

    def release(self) -> None:
        """Drop what was kept to render pages faster (product cards, pictures: ~35 MB for a province in two
        languages) once every page is written, so that the sitemap and the search index reuse that memory."""
        for renderer in self.family:
            renderer._cards.clear()
            renderer._pictures.clear()
            renderer._card_macros = None

    def for_url(self, url: str) -> Renderer:
        """The renderer of a page's language (htx.site.i18n.language_of)."""
        return self.english if self.english is not None and language_of(url) == "en" else self

    def set_pairs(self, pairs: dict[str, str]) -> None:
        """Hand-written pages' English twins (vi URL → en URL), from their front matter: links and hreflang."""
        for renderer in self.family:
            renderer.pairs = dict(pairs)
            renderer.__dict__.pop("listings_key", None)   # the key holds the pairs: made again when next asked

    def context(self, page_url: str, up: str | None = None) -> dict[str, Any]:
        """Return what templates get: links and pictures relative to page_url (`up` leads to the site root)."""
        # Markup: the _UP placeholder must reach the HTML as written (paths are escaped as they are joined).
        up = Markup("../" * page_url.count("/") if up is None else up)
        return {"page_url": page_url, "rel": lambda t: (up + self.local_url(t)) or "./", "rel_vi": lambda t: (up + t) or "./",
                "img": lambda photo, entry, **kw: self.picture(photo, entry, up, **kw),
                "fallback": lambda category: up + f"assets/htx/categories/{CATEGORIES[category].icon}.svg",
                "view": self.view, "qr": self.qr, "absolute": self.absolute,
                "card": lambda item, heading="h3": self.card(item, page_url, heading)}

    def card(self, item: Item, page_url: str, heading: str = "h3") -> Markup:
        """Return a product's card (the `product_card` macro), rendered once for every page it shows on.

        A card shows up about eight times (listings, its cooperative's page, "other products" on each sibling's
        page); its HTML depends on the page only through relative links, so it is rendered with _UP where the
        way up to the site root goes, and that is filled in for each page.
        """
        key = (item.key, heading)
        found = self._cards.get(key)
        if found is None:
            if self._card_macros is None:
                self._card_macros = self.env.get_template("_macros.j2").make_module(self.context("", up=_UP))
            outer, self.used = self.used, Used()
            try:
                html = str(self._card_macros.product_card(item, heading=heading))
                found = self._cards[key] = (html, self.used.images)
            finally:
                self.used = outer
        self.used.images |= found[1]
        return Markup(found[0].replace(_UP, "../" * page_url.count("/")))

    def fragment(self, name: str, page_url: str, **context: Any) -> str:
        if self.for_url(page_url) is not self:
            return self.for_url(page_url).fragment(name, page_url, **context)
        template = self.env.get_template(f"fragment_{name.replace('-', '_')}.html.j2")
        return template.render(**self.context(page_url), **context).strip()

    def page(self, template: str, src_uri: str, title: str, description: str, *, trail: list[tuple[str, str]],
             ld: list[dict] | None = None, image: dict | None = None, noindex: bool = False, keyed: bool = True,
             **context: Any) -> PageJob:
        """Return one generated page, to be rendered when its job is called; trail is the breadcrumb above it.

        keyed=False for a page that reads more than listings_key covers (the plan's figures: git history, news)."""
        src = self.src(src_uri)
        return PageJob(src, partial(self.make_page, template, src_uri, title, description, trail=trail, ld=ld,
                                    image=image, noindex=noindex, **context), self.listing_inputs(src) if keyed else "")

    def make_page(self, template: str, src_uri: str, title: str, description: str, *, trail: list[tuple[str, str]],
                  ld: list[dict] | None = None, image: dict | None = None, noindex: bool = False,
                  **context: Any) -> GeneratedPage:
        src_uri = self.src(src_uri)
        page_url = url_of(src_uri)
        ctx = dict(context, title=title, crumbs=trail, **self.context(page_url))
        body = self.env.get_template(template).render(**ctx)
        crumbs = [("", self._("Trang chủ")), *trail, (page_url, title)]
        ld = [*(ld or []), {
            "@context": "https://schema.org", "@type": "BreadcrumbList",
            "itemListElement": [{"@type": "ListItem", "position": i, "name": label, "item": self.absolute(url)}
                                for i, (url, label) in enumerate(crumbs, 1)],
        }]
        return GeneratedPage(src_uri, Markup(_meta_text(title)), Markup(_meta_text(description[:300])), body, ld=ld,
                             image=image, noindex=noindex)

    def absolute(self, path: str) -> str:
        """A page's or file's absolute URL; a page in this renderer's language (its English twin on English pages)."""
        path = self.local_url(path)
        return self.site_url + path if self.site_url else "/" + path

    def share_image(self, photos: list[Photo], entry: Entry, item: Item | None = None) -> dict | None:
        """Return the page's 1200×630 share card for og:image as {url, width, height, alt}, or None.

        The card (share.py) shows the first photo (or the logo, or the category's colours), the name, the
        cooperative and the OCOP stars; `photo` is the photo's 960-px variant, for structured data.
        """
        if not self.with_images:
            return None
        info = next((entry.images[p.file] for p in photos if p.file in entry.images), None)
        photo_url = None
        if info is not None:
            variants = plan_variants(info)
            self.out.images[info.sha] = (info, variants)
            self.used.images.add(info.sha)
            photo_url = self.absolute(next((v for v in variants if v.width >= 960), variants[-1]).url)
        coop = entry.coop
        site = self.site_url.split("//", 1)[-1].strip("/")
        _ = self._
        if item is not None:
            v, p = self.view(item), item.product
            stars = v["ocop"]["stars"] if v["ocop"] and not v["ocop"]["expired"] else 0
            unit = self.unit(p)
            price = f"{v['price']} / {unit.text}" if v["price"] and unit else (v["price"] or "")
            name, coop_name = self.name(p), self.name(coop)
            plan = plan_share(title=name, kicker=_("Sản phẩm · %(category)s", category=self.category(p.category)),
                              lines=[coop_name, f"{item.origin.name}, An Giang"], price=price, stars=stars,
                              stars_note=_("%(stars)s sao", stars=stars) if stars else "", site=site,
                              illustration=CATEGORIES[p.category].icon, photo=info, sample=coop.sample, words=self.card_words())
            alt = f"{name} — {coop_name}"
        else:
            items = self.catalog.products_of(coop.slug)
            views = [self.view(i)["ocop"] for i in items]
            stars = max((o["stars"] for o in views if o and not o["expired"]), default=0)
            logo = entry.images.get(coop.logo.file) if coop.logo else None
            plan = plan_share(title=self.name(coop), kicker=" · ".join(_(x) for x in [KINDS[coop.kind], *(SECTORS[x] for x in coop.sectors[:1])]),
                              lines=[f"{entry.commune.name}, An Giang", self._.ngettext("%(num)d sản phẩm", "%(num)d sản phẩm", len(items)) % {"num": len(items)}],
                              stars=stars, stars_note=_("sản phẩm %(stars)s sao", stars=stars) if stars else "", site=site,
                              illustration=CATEGORIES[items[0].product.category].icon if items else "",
                              photo=info, logo=logo, sample=coop.sample, words=self.card_words())
            alt = self.name(coop)
        return self.share_card(plan, alt, photo_url)

    def card_words(self) -> tuple[str, ...]:
        """A share card's brand line and sample label in this language; () keeps the Vietnamese ones."""
        return () if self.lang == "vi" else (self._("HỢP TÁC XÃ AN GIANG"), self._("HỒ SƠ MẪU"))

    def share_card(self, plan: SharePlan, alt: str, photo_url: str | None = None) -> dict:
        """Register a share card for drawing after the pages; return it as og:image data."""
        self.out.shares[plan.key] = plan
        self.used.shares.add(plan.key)
        card = {"url": self.absolute(plan.url), "width": 1200, "height": 630, "alt": alt, "type": "image/jpeg"}
        if photo_url:
            card["photo"] = photo_url
        return card

    def event_share_image(self, part: Participation, view: dict[str, Any]) -> dict | None:
        """An event's share card: its kind, name, when and where, in the site's colours (no photo of its own)."""
        if not self.with_images:
            return None
        site = self.site_url.split("//", 1)[-1].strip("/")
        event = part.entry.event
        where = ", ".join(x for x in (event.venue.name, part.entry.commune.name) if x)   # the street would not fit
        plan = plan_share(title=event.name, kicker=f"Sự kiện · {view['kind']}", lines=[view["when"], where],
                          site=site, sample=event.sample)
        return self.share_card(plan, f"{event.name} — {view['when']}")

    def qr(self, path: str) -> Markup:
        """Return the inline SVG QR code of a page's absolute URL (empty without site_url: nothing to scan)."""
        return Markup(qr_svg(self.absolute(path), caption=self._("Mã QR"))) if self.site_url else Markup("")

    def product_ld(self, item: Item, image: dict | None) -> dict:
        p, coop = item.product, item.coop
        org = {"@type": "Organization", "name": coop.name, "url": self.absolute(coop_url(coop.slug)),
               "address": {"@type": "PostalAddress", "streetAddress": coop.address.detail, "addressLocality": item.entry.commune.name,
                           "addressRegion": "An Giang", "addressCountry": "VN"}}
        data: dict[str, Any] = {
            "@context": "https://schema.org", "@type": "Product", "name": self.name(p), "description": self.text(p, "summary"),
            "category": self.category(p.category), "sku": item.key, "url": self.absolute(item.url),
            "brand": {"@type": "Brand", "name": coop.short_name or coop.name}, "manufacturer": org,
        }
        if image:   # its photo, else its share card: every product page has one (search engines want an image)
            data["image"] = [image.get("photo") or image["url"]]
        if p.price is not None and not self.state(coop)["expired"]:   # an unconfirmed price is not offered
            data["offers"] = {"@type": "Offer", "price": str(p.price), "priceCurrency": "VND", "url": self.absolute(item.url),
                              "availability": "https://schema.org/InStock" if self.catalog.in_season(item) else "https://schema.org/OutOfStock",
                              "seller": org}
        return data

    def coop_ld(self, entry: Entry, image: dict | None) -> dict:
        coop = entry.coop
        address = {"@type": "PostalAddress", "streetAddress": coop.address.detail, "addressLocality": entry.commune.name,
                   "addressRegion": "An Giang", "addressCountry": "VN"}
        data: dict[str, Any] = {
            "@context": "https://schema.org", "@type": "Organization", "name": self.name(coop), "description": self.text(coop, "summary"),
            "url": self.absolute(coop_url(coop.slug)), "address": address,
        }
        expired = self.state(coop)["expired"]
        if not expired:     # past 24 months unconfirmed, contacts are held back as on the page
            data["telephone"] = [normalize_phone(p) for p in coop.contact.phones]
        rep = coop.representative
        if rep.name:        # only in a published copy with consent (catalog.public_coop)
            data["employee"] = {"@type": "Person", "name": rep.name, "jobTitle": rep.title}
        alternate = [n for n in (coop.name if self.name(coop) != coop.name else "", coop.short_name) if n]
        if alternate:   # on English pages with an English name, the Vietnamese one too (buyers match packaging)
            data["alternateName"] = alternate[0] if len(alternate) == 1 else alternate
        if coop.founded:
            data["foundingDate"] = parse_date(coop.founded).isoformat()
        if not expired and coop.contact.email and mailto_href(coop.contact.email):
            data["email"] = coop.contact.email.strip()
        if coop.address.coordinates:
            # schema.org puts `geo` on Place, not Organization; a cooperative is an Organization (not every one
            # is a LocalBusiness open to walk-in customers), located at a Place with the address and the point.
            data["location"] = {"@type": "Place", "address": address, "geo": {
                "@type": "GeoCoordinates", "latitude": coop.address.coordinates.lat, "longitude": coop.address.coordinates.lon}}
        same = [u for u in (coop.contact.website, coop.contact.facebook, *(s.url for s in coop.contact.social)) if u]
        if same:
            data["sameAs"] = same
        if image:
            data["image"] = image.get("photo") or image["url"]
        if coop.logo and coop.logo.file in entry.images:
            data["logo"] = self.absolute(plan_variants(entry.images[coop.logo.file])[0].url)
        return data

    # -- page kinds ---------------------------------------------------------------------------

    def render_products(self, items: list[Item] | None = None) -> Iterable[PageJob]:
        for item in self.catalog.sorted_items if items is None else items:
            src = self.src(product_url(item.coop.slug, item.product.id)[:-1] + ".md")
            yield PageJob(src, partial(self.product_page, item), self.inputs(item.entry, src, self.rank(item)))

    def product_page(self, item: Item) -> GeneratedPage:
        p = item.product
        others = [i for i in self.catalog.products_of(item.coop.slug) if i.key != item.key][:8]
        image = self.share_image(p.photos, item.entry, item)
        trail = [("san-pham/", self._("Sản phẩm")), (category_url(p.category), self.category(p.category))]
        return self.make_page("product.md.j2", product_url(item.coop.slug, p.id)[:-1] + ".md", self.name(p),
                              f"{self.text(p, 'summary')} — {self.name(item.coop)}, {item.origin.name}.", trail=trail, image=image,
                              ld=[self.product_ld(item, image)], item=item, p=p, entry=item.entry, others=others,
                              meet=self.events.of_item(item))

    def render_cooperatives(self) -> Iterable[PageJob]:
        for entry in self.catalog.cooperatives:
            coop = entry.coop
            src = self.src(coop_url(coop.slug)[:-1] + ".md")
            yield PageJob(src, partial(self.cooperative_page, entry), self.inputs(entry, src, self.rank(entry)))
            items = self.catalog.products_of(coop.slug)
            # A cooperative may list 200 products: its page shows the first COOP_CARDS, the rest are on
            # hop-tac-xa/<slug>/san-pham/ (paginated), so that no page outgrows the HTML budget.
            if len(items) > COOP_CARDS:
                _, name = self._, self.name(coop)
                yield from self.paginate("listing.md.j2", f"{coop_url(coop.slug)}san-pham/", _("Sản phẩm của %(name)s", name=name),
                                         _.ngettext("%(num)d sản phẩm của %(name)s.", "%(num)d sản phẩm của %(name)s.", len(items)) % {"num": len(items), "name": name},
                                         items, trail=[("hop-tac-xa/", _.pgettext("crumb", "Hợp tác xã")), (coop_url(coop.slug), name)], intro="")

    def cooperative_page(self, entry: Entry) -> GeneratedPage:
        coop = entry.coop
        items = self.catalog.products_of(coop.slug)
        image = self.share_image([*coop.photos, *(p for i in items for p in i.product.photos)], entry)
        trail = [("hop-tac-xa/", self._.pgettext("crumb", "Hợp tác xã")), (commune_url(entry.commune), entry.commune.name)]
        more = f"{coop_url(coop.slug)}san-pham/" if len(items) > COOP_CARDS else None
        return self.make_page("cooperative.md.j2", coop_url(coop.slug)[:-1] + ".md", self.name(coop), self.text(coop, "summary"),
                              trail=trail, image=image, ld=[self.coop_ld(entry, image)], entry=entry, coop=coop,
                              items=items[:COOP_CARDS], total_items=len(items), more=more,
                              meet=self.events.by_coop.get(coop.slug, []))

    def render_categories(self) -> Iterable[PageJob]:
        # Every category has its page, an empty one saying so: a category's address (shared, indexed) stays
        # valid when its last product goes, as on launch day when the sample profiles are switched off.
        for key, items in self.catalog.by_category.items():
            _, label = self._, self.category(key)
            count = _.ngettext("%(num)d sản phẩm %(category)s của các hợp tác xã An Giang.",
                               "%(num)d sản phẩm %(category)s của các hợp tác xã An Giang.", len(items))
            yield from self.paginate("listing.md.j2", category_url(key), label,
                                     count % {"num": len(items), "category": label.lower() if self.lang == "vi" else label}, items,
                                     trail=[("san-pham/", _("Sản phẩm"))],
                                     intro=_("Nhóm OCOP: %(group)s.", group=_(OCOP_GROUPS[CATEGORIES[key].ocop_group])))

    def render_ocop(self) -> Iterable[PageJob]:
        items = self.catalog.ocop_items
        _ = self._
        yield from self.paginate("listing.md.j2", "san-pham/ocop/", _("Sản phẩm OCOP"),
                                 _("Sản phẩm của hợp tác xã An Giang được xếp hạng OCOP từ 3 đến 5 sao."), items,
                                 per_page=OCOP_PER_PAGE, trail=[("san-pham/", _("Sản phẩm"))], intro=None, ocop_intro=True)

    def render_catalog_index(self) -> Iterable[PageJob]:
        categories = self._.categories(CATEGORIES)
        groups = sorted(((categories[k], items) for k, items in self.catalog.by_category.items() if items),
                        key=lambda group: sort_key(group[0].label))
        yield self.page("catalog.md.j2", "san-pham/index.md", self._("Sản phẩm hợp tác xã"),
                        self._("Danh mục sản phẩm của các hợp tác xã An Giang: gạo, mắm, khô, đường thốt nốt, thủ công mỹ nghệ và nhiều hơn nữa."),
                        trail=[], groups=groups, total=len(self.catalog.items), ocop=len(self.catalog.ocop_items),
                        highlights=self.highlights(CATALOG_PREVIEW))

    def highlights(self, n: int) -> list[Item]:
        """The first n products the staff chose (cooperatives/noi-bat.yml); none chosen, none shown.

        Not topped up from the catalog's order: that order puts self-declared OCOP stars first.
        """
        return self.catalog.featured[:n]

    def render_directory(self) -> Iterable[PageJob]:
        entries = sorted(self.catalog.cooperatives, key=lambda e: (sort_key(e.coop.name), e.coop.slug))  # as rank()
        yield from self.paginate("directory.md.j2", "hop-tac-xa/", self._("Danh bạ hợp tác xã"),
                                 self._("Danh bạ các hợp tác xã, tổ hợp tác của tỉnh An Giang: lĩnh vực, địa chỉ, liên hệ."), entries,
                                 per_page=DIRECTORY_PER_PAGE, trail=[])

    def render_communes(self) -> Iterable[PageJob]:
        index = self.catalog.by_commune
        _ = self._
        yield self.page("communes.md.j2", "xa-phuong/index.md", _("Hợp tác xã theo xã, phường"),
                        _("Hợp tác xã và sản phẩm theo 102 xã, phường, đặc khu của tỉnh An Giang."),
                        trail=[("hop-tac-xa/", _.pgettext("crumb", "Hợp tác xã"))], index=index)
        for commune, entries, items in index.values():
            # Cooperatives and products side by side, COMMUNE_PER_PAGE of each a page: a commune of a national
            # catalog has ~330 cooperatives, which on one page would be 300 KB.
            base = commune_url(commune)
            count = max(1, ceil(len(entries) / COMMUNE_PER_PAGE), ceil(len(items) / COMMUNE_PER_PAGE))
            for n in range(1, count + 1):
                part = slice((n - 1) * COMMUNE_PER_PAGE, n * COMMUNE_PER_PAGE)
                yield self.page("commune.md.j2", base[:-1] + ".md" if n == 1 else f"{base}trang/{n}.md",
                                commune.name if n == 1 else _("%(title)s (trang %(n)s)", title=commune.name, n=n),
                                _("Hợp tác xã và sản phẩm ở %(commune)s, tỉnh An Giang.", commune=commune.name),
                                trail=[("hop-tac-xa/", _.pgettext("crumb", "Hợp tác xã")), ("xa-phuong/", _("Xã, phường"))],
                                commune=commune, entries=entries[part], items=items[part], total_entries=len(entries),
                                total_items=len(items), number=n, pages=page_links(base, count, n))

    def render_statistics(self) -> Iterable[PageJob]:
        catalog, _ = self.catalog, self._
        sectors: dict[str, int] = {}
        for entry in catalog.cooperatives:
            for sector in entry.coop.sectors:
                sectors[_(SECTORS[sector])] = sectors.get(_(SECTORS[sector]), 0) + 1
        communes = {c.name: len(entries) for c, entries, _ in catalog.by_commune.values() if entries}
        categories = {self.category(k): len(v) for k, v in catalog.by_category.items() if v}
        stars: dict[str, int] = {}
        for item in catalog.items.values():
            label = _("%(stars)s sao", stars=item.product.ocop.stars) if catalog.ocop_active(item) else _("Chưa xếp hạng / hết hạn")  # type: ignore[union-attr]
            stars[label] = stars.get(label, 0) + 1
        charts = [
            ("linh-vuc", _("Hợp tác xã theo lĩnh vực"), _("Lĩnh vực"), _("Số hợp tác xã"), bar_chart(sectors)),
            ("xa-phuong", _("Hợp tác xã theo xã, phường"), _("Xã, phường, đặc khu"), _("Số hợp tác xã"),
             bar_chart(communes, limit=STATS_COMMUNES)),
            ("danh-muc", _("Sản phẩm theo danh mục"), _("Danh mục"), _("Số sản phẩm"), bar_chart(categories)),
            ("ocop", _("Sản phẩm theo hạng OCOP"), _("Hạng OCOP (còn hiệu lực)"), _("Số sản phẩm"), bar_chart(dict(sorted(stars.items())), sort=False)),
        ]
        yield self.page("statistics.md.j2", "thong-ke/index.md", _("Thống kê"),
                        _("Số liệu về hợp tác xã và sản phẩm trên trang, tính tự động từ hồ sơ."),
                        trail=[], charts=charts, figures=catalog.figures())

    def render_status(self) -> Iterable[PageJob]:
        """The staff's freshness page (STATUS_URL): profiles by confirmation date, missing consent, lapses."""
        from .freshness import WARN_DAYS

        rows = [dict(vars(r), verified_text=format_date(r.verified), missing_consent=r.missing_consent,
                     held_labels=[field_label(path) for path in r.held_back]) for r in self.catalog.status]
        # Counts and lapses over every profile; the table shows the oldest STATUS_ROWS (the calls to make first).
        lapses = [(r, dict(vars(lapse), until_text=format_date(lapse.until))) for r in rows for lapse in r["lapses"]]
        lapses.sort(key=lambda pair: (pair[1]["until"], sort_key(pair[0]["name"])))
        counts = {"stale": sum(r["freshness"] == "stale" for r in rows), "expired": sum(r["freshness"] == "expired" for r in rows),
                  "consent": sum(r["missing_consent"] for r in rows), "lapses": len(lapses)}
        # noindex: robots noindex in main.html, and left out of sitemap.xml.
        yield self.page("status.md.j2", STATUS_URL + "index.md", "Tình trạng hồ sơ",
                         "Trang làm việc của ban biên tập: hồ sơ theo ngày xác nhận, đồng ý công khai, hạn OCOP và chứng nhận.",
                         trail=[], rows=rows[:STATUS_ROWS], more=len(rows) - len(rows[:STATUS_ROWS]),
                         lapses=lapses, counts=counts, warn_days=WARN_DAYS,
                         today_text=format_date(self.catalog.today), noindex=True)

    def render_events(self) -> Iterable[PageJob]:
        """The events page (upcoming first, then past by year) and a page per event."""
        events = self.events
        communes = [(events.by_commune[code][0].entry.commune, len(ps)) for code, ps in events.by_commune.items()]
        communes.sort(key=lambda pair: sort_key(pair[0].name))
        yield self.page("events.md.j2", f"{EVENTS_DIR}/index.md", "Sự kiện",
                        "Hội chợ, phiên chợ, hội thảo, tập huấn nơi gặp các hợp tác xã An Giang và sản phẩm của họ.",
                        trail=[], upcoming=events.upcoming, past=events.past_by_year, communes=communes,
                        today_text=format_date(events.today))
        for part in events.events:
            src = part.entry.url[:-1] + ".md"
            yield PageJob(src, partial(self.event_page, part), self.listing_inputs(src))

    def render_plan(self) -> Iterable[PageJob]:
        """The plan in numbers (/ke-hoach/so-lieu/): this year's indicators and the last 12 months."""
        yield self.page("plan.md.j2", PLAN_URL + "index.md", "Kế hoạch 1206 qua các con số",
                        "Các chỉ số của trang web cho nhiệm vụ 1, 4 và 7 của Kế hoạch số 1206/QĐ-UBND, tính từ dữ liệu của trang.",
                        trail=[("ke-hoach/", "Kế hoạch")], keyed=False, **self.plan_context())

    def plan_context(self) -> dict[str, Any]:
        today = self.catalog.today
        year = compute_report(self.catalog, self.events, self.posts, self.history, date(today.year, 1, 1), today)
        first = add_months(date(today.year, today.month, 1), -11)   # the last 12 months, this one included
        months = compute_report(self.catalog, self.events, self.posts, self.history, first, today)
        series = [("hop-tac-xa-moi", "Hợp tác xã mới đăng hồ sơ", "Số hợp tác xã", "new_coops"),
                  ("san-pham-moi", "Sản phẩm mới đăng", "Số sản phẩm", "new_products"),
                  ("su-kien", "Sự kiện đã diễn ra", "Số sự kiện", "events"),
                  ("tin-tuc", "Bài tin tức", "Số bài", "posts")]
        charts = [(key, heading, unit, bar_chart({r["label"]: r[field] for r in months.months}, sort=False))
                  for key, heading, unit, field in series if all(r[field] is not None for r in months.months)]
        return {"year": year, "charts": charts, "history": self.history is not None, "no_history": NO_HISTORY,
                "source": SOURCE, "made_text": format_date(today), "months_period": months.period_text,
                "communes": year.communes}

    def event_page(self, part: Participation) -> GeneratedPage:
        entry, event = part.entry, part.entry.event
        view = self.event_view(part)
        description = f"{view['kind']} {view['when']} tại {view['place']}. {event.summary}"
        return self.make_page("event.md.j2", entry.url[:-1] + ".md", event.name, description,
                              trail=[(EVENTS_DIR + "/", "Sự kiện")], ld=[self.event_ld(part)],
                              image=self.event_share_image(part, view), part=part, event=event,
                              entry=entry, v=view, coops=[self.catalog.entries[s] for s in part.coops],
                              commune_page=entry.commune.code in self.catalog.by_commune)

    def event_view(self, part: Participation) -> dict[str, Any]:
        """Return what lists and pages show of an event: its dates as read, place, status, links."""
        entry, event = part.entry, part.entry.event
        status = entry.status(self.events.today)
        venue = event.venue
        place = ", ".join(x for x in (venue.name, venue.detail, entry.commune.name) if x)
        english = self.lang == "en"
        when = format_when(event, WEEKDAYS_EN, format_date_en) if english else format_when(event)
        return {"title": event.name, "url": entry.url, "kind": self._(EVENT_KINDS[event.kind]), "when": when,
                "status": status, "status_label": self._(STATUS_LABELS[status]), "place": place, "commune": entry.commune,
                "ics": f"{EVENTS_DIR}/{entry.year}/{entry.slug}.ics", "sample": event.sample,
                "start_iso": event.begins.at.isoformat() if not event.begins.all_day else event.begins.day.isoformat(),
                "coop_count": len(part.coops), "item_count": len(part.items)}

    def event_ld(self, part: Participation) -> dict:
        """schema.org Event: name, dates (ISO 8601 with +07:00), place, status, organizer, participants' offers."""
        entry, event = part.entry, part.entry.event
        begins, ends = event.begins, event.ends
        iso = (lambda w: w.day.isoformat() if w.all_day else w.at.isoformat())
        status = event.status or "theo-lich"
        venue = event.venue
        data: dict[str, Any] = {
            "@context": "https://schema.org", "@type": "Event", "name": event.name, "description": event.summary,
            "startDate": iso(begins), "endDate": iso(ends), "url": self.absolute(entry.url),
            "eventStatus": EVENT_STATUSES[status][1],
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
            "location": {"@type": "Place", "name": venue.name or entry.commune.name, "address": {
                "@type": "PostalAddress", "streetAddress": venue.detail, "addressLocality": entry.commune.name,
                "addressRegion": "An Giang", "addressCountry": "VN"}},
            "organizer": {"@type": "Organization", "name": event.organizer},
        }
        if event.url:
            data["sameAs"] = event.url
        if part.coops:   # the cooperatives that exhibit there attend it
            data["attendee"] = [self.attendee_ld(self.catalog.entries[s]) for s in part.coops]
        return data

    def attendee_ld(self, entry: Entry) -> dict:
        coop = entry.coop
        return {"@type": "Organization", "name": coop.name, "url": self.absolute(coop_url(coop.slug)),
                "address": {"@type": "PostalAddress", "streetAddress": coop.address.detail,
                            "addressLocality": entry.commune.name, "addressRegion": "An Giang", "addressCountry": "VN"}}

    def paginate(self, template: str, base: str, title: str, description: str, rows: list, *,
                 per_page: int = PER_PAGE, **context: Any) -> Iterable[PageJob]:
        """Yield the pages of a listing: base/ then base/trang/2/ …, per_page rows each."""
        pages = max(1, ceil(len(rows) / per_page))
        for n in range(1, pages + 1):
            src = (base + "index.md") if n == 1 else f"{base}trang/{n}.md"
            links = page_links(base, pages, n)
            page_title = title if n == 1 else self._("%(title)s (trang %(n)s)", title=title, n=n)
            yield self.page(template, src, page_title, description, rows=rows[(n - 1) * per_page: n * per_page],
                            total=len(rows), number=n, pages=links, **context)

    # -- helpers for templates -----------------------------------------------------------------

    def picture(self, photo: Photo | None, entry: Entry, up: Markup, *, sizes: str, eager: bool = False,
                css: str = "", widest: int | None = None) -> Markup:
        """Return the <img> of a profile photo with its WebP srcset (URLs start with `up`), or empty markup.

        `widest` leaves out variants wider than a slot can ever show (a card is ≤ 50vw), saving bytes per card.
        """
        if photo is None or not self.with_images:
            return Markup("")
        info = entry.images.get(photo.file)
        if info is None:
            return Markup("")
        self.used.images.add(info.sha)
        # The same photo shows on several pages at the same depth (galleries, logos): one rendering each.
        key = (info.sha, photo.alt, up, sizes, eager, css, widest)
        if (cached := self._pictures.get(key)) is not None:
            return cached
        variants = plan_variants(info)
        self.out.images[info.sha] = (info, variants)
        largest = variants[-1]
        default = next((v for v in variants if v.width >= 960), largest)
        offered = [v for v in variants if widest is None or v.width <= widest] or variants[:1]
        default = default if default in offered else offered[-1]
        srcset = Markup(", ").join(up + f"{v.url} {v.width}w" for v in offered)
        template = self.env.get_template("_picture.html.j2")
        html = self._pictures[key] = Markup(template.render(
            src=up + default.url, srcset=srcset, sizes=sizes, alt=photo.alt, width=largest.width,
            height=largest.height, eager=eager, color=info.color, css=css))
        return html

    def view(self, item: Item) -> dict[str, Any]:
        """Return what cards and pages show of a product, derived once: price, OCOP state, contact."""
        p = item.product
        ocop = None
        if p.ocop:
            end = ocop_expiry(p.ocop)
            ocop = {"stars": p.ocop.stars, "year": p.ocop.year, "expired": end < self.catalog.today,
                    "until": self.format_date(end), "decision": p.ocop.decision}
        state = self.state(item.coop)
        return {
            # Past 24 months unconfirmed a price is held back (not deleted): cards, pages, search, share cards.
            "price": self.format_vnd(p.price) if p.price is not None and not state["expired"] else None,
            "stale": state["stale"], "expired": state["expired"],
            "ocop": ocop,
            "certs": [(c, cert_expired(c, self.catalog.today)) for c in p.certifications],
            "in_season": self.catalog.in_season(item),
            "cert_keys": self.catalog.certification_keys(item),
        }


WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


def format_when(event: Any, WEEKDAYS: tuple[str, ...] = WEEKDAYS, format_date: Callable[[date], str] = format_date) -> str:
    """Return an event's dates as read: "Thứ Bảy, 15/03/2027, 08:00 – 17:00", "15/03/2027 – 19/03/2027"…
    (English pages: English weekdays and dates)."""
    begins, ends = event.begins, event.ends
    first = f"{WEEKDAYS[begins.day.weekday()]}, {format_date(begins.day)}"
    if begins.all_day and ends.all_day:
        return first if ends.day == begins.day else f"{first} – {WEEKDAYS[ends.day.weekday()]}, {format_date(ends.day)}"
    start_time = "" if begins.all_day else begins.at.strftime("%H:%M")
    end_time = "" if ends.all_day else ends.at.strftime("%H:%M")
    if ends.day == begins.day:
        if event.end is None or not end_time or end_time == start_time:
            return f"{first}, {start_time}".rstrip(", ")
        return f"{first}, {start_time} – {end_time}"
    return f"{first}{', ' + start_time if start_time else ''} – {WEEKDAYS[ends.day.weekday()]}, {format_date(ends.day)}{', ' + end_time if end_time else ''}"


def field_label(path: str) -> str:
    """Return a profile path as people read it: "hinh_anh[2].co_nguoi" → "ảnh thứ 3 › ảnh có người"."""
    loc = tuple(int(i) if i else key for key, i in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path))
    return label_path(loc)


def page_links(base: str, count: int, number: int, around: int = 2) -> list[tuple[str | None, int | None]]:
    """Return the pager of page `number` of `count` as (URL, number) pairs, (None, None) marking a gap.

    Every page when there are few; else the first, the last and `around` pages either side of the current
    one: 709 directory pages at national scale would otherwise put 709 links (40 KB) on each page.
    """
    def link(k: int) -> tuple[str, int]:
        return (base if k == 1 else f"{base}trang/{k}/", k)

    if count <= 2 * around + 5:
        return [link(k) for k in range(1, count + 1)]
    shown = sorted({1, count, *range(max(1, number - around), min(count, number + around) + 1)})
    out: list[tuple[str | None, int | None]] = []
    previous = 0
    for k in shown:
        if k - previous == 2:      # a gap of one page: show the page rather than "…"
            out.append(link(k - 1))
        elif k - previous > 2:
            out.append((None, None))
        out.append(link(k))
        previous = k
    return out


def bar_chart(counts: dict[str, int], *, sort: bool = True, width: int = 640, bar: int = 22, gap: int = 8,
              label_width: int = 230, limit: int | None = None) -> dict[str, Any]:
    """Return the geometry of a horizontal bar chart: rows with label, value and bar length.

    `limit` keeps the biggest rows only (`total` says how many there were): 102 communes would make the
    statistics page ~40 KB on their own.
    """
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], sort_key(kv[0]))) if sort else list(counts.items())
    total = len(rows)
    rows = rows[:limit]
    top = max((v for _, v in rows), default=1) or 1
    span = width - label_width - 50
    # `percent`: the bar's share of its track in the HTML chart, which wraps on a 360-px phone (an SVG of
    # fixed proportions either shrank its labels unreadably or, held at a minimum width, lost its numbers).
    bars = [{"label": label, "value": value, "y": i * (bar + gap), "length": max(2, round(span * value / top)),
             "percent": max(1, round(100 * value / top))}
            for i, (label, value) in enumerate(rows)]
    return {"rows": bars, "width": width, "height": max(1, len(rows) * (bar + gap)), "bar": bar, "x": label_width,
            "total": total}


ZALO_HOSTS = ("zalo.me", "chat.zalo.me")
_VN_NUMBER = re.compile(r"\+84[1-9]\d{8,9}")
_PLAIN_EMAIL = re.compile(r"[A-Za-z0-9._+-]+@([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,63}")


def zalo_href(value: str) -> str | None:
    """Return the "Nhắn Zalo" link of a profile's Zalo value, or None when it is not plainly Zalo's.

    A phone number becomes https://zalo.me/0…; a link counts only when its parsed host is exactly zalo.me or
    chat.zalo.me, over https, with no user-info or port (`https://evil.example/zalo.me/x` is not Zalo). The
    link is rebuilt from its parts, so what the button opens is what was checked. Validation refuses the rest
    first (model.check_zalo); this holds on its own.
    """
    text = value.strip()
    if re.match(r"[a-z][a-z0-9+.-]*:", text, re.IGNORECASE):
        if not text.isprintable() or any(ch.isspace() or ch == "\\" for ch in text):
            return None
        try:
            parts = urlsplit(text)
            port = parts.port
        except ValueError:
            return None
        if parts.scheme.lower() != "https" or "@" in parts.netloc or port is not None or parts.hostname not in ZALO_HOSTS:
            return None
        return urlunsplit(("https", parts.hostname, quote(parts.path, safe="/%-._~"), quote(parts.query, safe="=&%-._~"), ""))
    number = normalize_phone(text)
    return "https://zalo.me/0" + number[3:] if _VN_NUMBER.fullmatch(number) else None


def by_label(vocabulary: dict[str, str]) -> list[tuple[str, str]]:
    """Return a vocabulary's (key, label) pairs in Vietnamese alphabetical order of the labels, "khac" last."""
    return sorted(vocabulary.items(), key=lambda kv: (kv[0] == "khac", sort_key(kv[1])))


def zalo_text(value: str) -> str:
    """Return a Zalo value as printed (the flyer): a phone number in the site's one format, a link as written."""
    text = value.strip()
    return text if re.match(r"[a-z][a-z0-9+.-]*:", text, re.IGNORECASE) else format_phone(text)


def mailto_href(value: str) -> str | None:
    """Return `mailto:` and a plain address, or None: no `?cc=`/`&bcc=` headers, no second address."""
    address = value.strip()
    return "mailto:" + quote(address, safe="@+") if _PLAIN_EMAIL.fullmatch(address) else None


def contact_links(entry: Entry, _: Messages = Messages("vi")) -> list[dict[str, str]]:
    """Return the contact buttons of a cooperative: phone (tel:), Zalo, e-mail, then the representative's own
    (present only in a published copy with consent, catalog.public_coop), then the map; labels in _'s language."""
    c = entry.coop.contact
    links = []
    for phone in c.phones[:2]:
        links.append({"kind": "phone", "href": "tel:" + normalize_phone(phone), "label": _("Gọi %(phone)s", phone=format_phone(phone))})
    zalo = zalo_href(c.zalo) if c.zalo else None
    if zalo:
        links.append({"kind": "zalo", "href": zalo, "label": _("Nhắn Zalo")})
    mail = mailto_href(c.email) if c.email else None
    if mail:
        links.append({"kind": "email", "href": mail, "label": _("Gửi thư")})
    rep = entry.coop.representative
    who = rep.name or _("người đại diện")
    office = {normalize_phone(p) for p in c.phones[:2]}
    if rep.phone and normalize_phone(rep.phone) not in office:
        links.append({"kind": "phone", "href": "tel:" + normalize_phone(rep.phone), "label": _("Gọi %(who)s: %(phone)s", who=who, phone=format_phone(rep.phone))})
    own_zalo = zalo_href(rep.zalo) if rep.zalo else None
    if own_zalo and own_zalo != zalo:
        links.append({"kind": "zalo", "href": own_zalo, "label": _("Nhắn Zalo %(who)s", who=who)})
    own_mail = mailto_href(rep.email) if rep.email else None
    if own_mail and own_mail != mail:
        links.append({"kind": "email", "href": own_mail, "label": _("Gửi thư %(who)s", who=who)})
    links.append({"kind": "map", "href": map_link(entry), "label": _("Xem bản đồ")})
    return links


def map_link(entry: Entry) -> str:
    """Return a map search link: the coordinates when given, else the address."""
    address = entry.coop.address
    if address.coordinates:
        query = f"{address.coordinates.lat},{address.coordinates.lon}"
    else:
        query = f"{address.detail}, {entry.commune.name}, An Giang"
    return "https://www.google.com/maps/search/?api=1&query=" + quote(query, safe=",")


def render_pages(catalog: Catalog, *, with_images: bool = True, site_url: str = "",
                 events: Events | None = None, history: History | None = None,
                 posts: list[PostMeta] | None = None, english: bool = True) -> Rendered:
    """Return the catalog's renderer's output holder: its pages render on demand (`Rendered.pages`); `english`
    adds the English edition's pages."""
    renderer = Renderer(catalog, with_images=with_images, site_url=site_url, events=events, history=history, posts=posts)
    if english:
        renderer.english = Renderer(catalog, with_images=with_images, site_url=site_url, events=events, history=history,
                                    posts=posts, lang="en", out=renderer.out)
    renderer.out.renderer = renderer
    return renderer.out
