"""Build glue: write the generated pages through the theme, outside MkDocs' page loop.

MkDocs builds the hand-written pages (content/). The pages made from profiles (nine in ten of the site)
are rendered here, one at a time, with MkDocs' public API: a `Page` for the theme, `get_context`, the
theme's Jinja environment as every plugin leaves it (on_env), and the template Material uses. A page is
rendered, written to the page store (htx.mkdocs.page_store) and forgotten: nothing holds every page at
once, so memory stays bounded at any scale.

Each page has a key: a hash of what it shows (title, description, structured data, share image, body)
and of the theme's fingerprint (templates, overrides, config, navigation, code). A page whose key is in
the store is not rendered again, only linked into the new site.

The work is split between this process and forked copies of it (one per further core), each taking
every n-th page; the copies only render and store, this process links every page into the site when
MkDocs has written its own (MkDocs empties site_dir after on_env, when the copies start).
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

import mkdocs
from mkdocs.commands.build import get_context
from mkdocs.structure.files import File
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from ..publish.images import ImageInfo, plan_variants
from ..publish.search import SUFFIX as SEARCH_SUFFIX, staged_record
from ..publish.share import share_plan
from ..site.i18n import Twins, language_context
from ..site.render import url_of
from .html_compact import compact_html
from .nav_cache import nav_key
from .page_store import PageStore, link
from ..publish.workers import Forked, can_fork

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig

    from ..site.render import GeneratedPage, PageJob, Rendered, Renderer

_PACKAGE = Path(__file__).resolve().parents[1]   # htx/: its code and templates are part of every key
# What of htx/ and the theme overrides shapes a page: code, templates, assets, the English words (locale/*.yml)
# and the unit lists (*.tsv). Fonts draw share cards, which have keys of their own.
KEYED_SUFFIXES = frozenset({".py", ".j2", ".html", ".xml", ".js", ".css", ".svg", ".yml", ".tsv"})


def dest_uri(src_uri: str) -> str:
    """Where MkDocs (use_directory_urls) writes a source: "a/b.md" → "a/b/index.html", "a/index.md" → "a/index.html"."""
    return url_of(src_uri) + "index.html"


def _nav_items(items: Iterable) -> Iterable[tuple]:
    for item in items:
        if isinstance(item, Section):
            yield ("section", str(item.title))
            yield from _nav_items(item.children)
        elif isinstance(item, Link):
            yield ("link", str(item.title), item.url)
        else:
            yield ("page", str(item.title), item.url)


def _stable(value: object) -> str:
    """A value's text for the fingerprint, the same in every process (no memory addresses)."""
    if callable(value):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__name__)}"
    text = str(value)
    return type(value).__name__ if " at 0x" in text else text


def fingerprint(config: MkDocsConfig, nav: Navigation, *, search: bool) -> str:
    """Hash everything around a generated page's own content: a change to any of it renders every page again.

    Versions of MkDocs and Material, htx's code and templates, the theme overrides, mkdocs.yml as loaded
    (extra, theme, site_url, plugins' settings, hook files), the navigation's titles and URLs, and whether
    pages are staged for search.
    """
    digest = hashlib.sha256()
    add = lambda *parts: digest.update("\0".join(map(str, parts)).encode("utf-8") + b"\1")  # noqa: E731
    add(mkdocs.__version__, metadata.version("mkdocs-material"), search)
    folders = [_PACKAGE, *(Path(d) for d in config.theme.dirs if "site-packages" not in Path(d).parts)]
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in KEYED_SUFFIXES):
            add(path.relative_to(folder).as_posix())
            digest.update(path.read_bytes())
    loaded = {key: config[key] for key in ("site_name", "site_url", "site_description", "site_author", "copyright",
                                          "extra", "extra_css", "extra_javascript", "repo_url", "edit_uri")}
    add(json.dumps(loaded, sort_keys=True, default=_stable, ensure_ascii=False))
    add(json.dumps({k: v for k, v in dict(config.theme).items()}, sort_keys=True, default=_stable))
    # Other plugins and hooks may change the theme's environment (on_env): their settings and hook files count.
    # htx's own settings change pages through their bodies (samples, photos) or not at all (cache, workers).
    add(json.dumps({name: dict(getattr(plugin, "config", None) or {}) for name, plugin in config.plugins.items()
                    if name != "htx"}, sort_keys=True, default=_stable))
    root = Path(config.config_file_path).parent
    for hook in config.hooks or []:
        path = Path(hook) if Path(hook).is_absolute() else root / hook
        digest.update(path.read_bytes() if path.is_file() else str(hook).encode())
    add(json.dumps(list(_nav_items(nav.items)), ensure_ascii=False))
    return digest.hexdigest()


def page_key(theme: str, page: GeneratedPage) -> str:
    """The key of a page: what it shows, and the fingerprint of what surrounds it."""
    digest = hashlib.sha256(theme.encode())
    head = [page.src_uri, str(page.title), str(page.description), list(page.hide), page.ld, page.image, page.noindex]
    digest.update(json.dumps(head, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8"))
    digest.update(b"\0" + page.body.encode("utf-8"))
    return digest.hexdigest()


@dataclass
class Written:
    """What one writer did: each page's (URL, dest_uri, key, noindex) by its place in the job list, and how many
    were rendered or reused."""

    pages: dict[int, tuple[str, str, str, bool]] = field(default_factory=dict)
    rendered: int = 0
    reused: int = 0
    images: dict = field(default_factory=dict)    # photos and share cards the pages use (Rendered)
    shares: dict = field(default_factory=dict)
    records: list[tuple[str, int, str]] = field(default_factory=list)   # a forked writer's log (_Collect)
    warned: list[str] = field(default_factory=list)    # keys of pages that logged a warning as they rendered
    record_keys: list[str] = field(default_factory=list)   # records used or stored (kept by prune)
    skipped: int = 0                                   # pages whose record spared rendering even their body
    error: str = ""                               # what stopped a forked writer

    def add(self, other: Written) -> None:
        self.pages.update(other.pages)
        self.rendered += other.rendered
        self.reused += other.reused
        self.warned += other.warned
        self.record_keys += other.record_keys
        self.skipped += other.skipped
        self.images.update(other.images)
        self.shares.update(other.shares)


class _Collect(logging.Handler):
    """MkDocs' warnings and errors logged while pages render: a page that warned is not kept, and a forked
    writer hands them to the parent to log (and --strict to count)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


class ThemeWriter:
    """Renders GeneratedPages inside the theme into the page store, one at a time."""

    def __init__(self, *, config: MkDocsConfig, nav: Navigation, doc_files: Sequence[File], env: Environment,
                 store: PageStore, theme: str, search: bool, twins: Twins | None = None) -> None:
        self.config, self.nav, self.doc_files, self.env = config, nav, doc_files, env
        self.twins = twins or Twins(set(), {})
        self.store, self.theme, self.search = store, theme, search
        self.owners = [p for p in nav.pages if p.url]
        self.warnings = _Collect()
        self.photos: dict[str, ImageInfo] = {}    # every checked photo by content hash (run())

    def owner(self, url: str) -> Page | None:
        """The navigation page a generated page belongs under: the longest URL prefix ("Sản phẩm" for a
        product, "Theo xã, phường" for a commune), marked active while the page renders so that its tab is."""
        found = [p for p in self.owners if url.startswith(p.url)]
        return max(found, key=lambda p: len(p.url)) if found else None

    def render(self, page: GeneratedPage) -> str:
        """Return the page's HTML: what MkDocs' own page step would write for it."""
        themed = Page(None, File.generated(self.config, page.src_uri, content=""), self.config)
        themed.meta, themed.content, themed.toc = page.meta, page.body, get_toc([])
        languages = language_context(self.twins, themed.url)
        key = nav_key(themed, self.nav)
        # English pages have their own tabs, the active one by the page's section (Twins.active)
        key = (*key, languages["htx_lang"], languages["htx_i18n"]["active"]) if key is not None else None
        owner = self.owner(themed.url) if languages["htx_lang"] == "vi" else None
        if owner is not None:
            owner.active = True     # Page.active marks its parents too
            key = (*key, owner.url) if key is not None else None
        themed.active = True
        try:
            context = get_context(self.nav, self.doc_files, self.config, themed)
            context["htx_nav_key"] = key
            context["htx_page"] = page
            context.update(languages)
            output = self.env.get_template(page.meta.get("template", "main.html")).render(context)
        finally:
            themed.active = False
            if owner is not None:
                owner.active = False
        return compact_html(output)

    def write(self, index: int, job: PageJob, renderer: Renderer, out: Written) -> None:
        """Store the job's page under its key, rendering it only when the store lacks it.

        A job with inputs (a cooperative's own pages) whose record is stored is not even rendered by our
        templates: the record names its page's key and the photos and share cards the page shows."""
        record_key = hashlib.sha256(f"{self.theme}\0{job.inputs}".encode()).hexdigest() if job.inputs else ""
        if record_key and self.reuse(index, job, record_key, renderer, out):
            return
        page, used = renderer.tracked(job)
        key = page_key(f"{self.theme}\0{self.twins.twin(page.url)}", page)   # a twin adds hreflang links
        warned = False
        if self.store.find(key) is None:
            before = len(self.warnings.records)
            html = self.render(page)
            warned = len(self.warnings.records) > before
            if warned:   # stored for this build only: the next one renders (and warns) again
                out.warned.append(key)
            if self.search and (staged := staged_record(html)) is not None:
                self.store.put(key, staged.encode("utf-8"), SEARCH_SUFFIX)
            self.store.put(key, html.encode("utf-8", errors="xmlcharrefreplace"))
            out.rendered += 1
        else:
            out.reused += 1
        out.pages[index] = (page.url, dest_uri(page.src_uri), key, page.noindex)
        if record_key and not warned:
            shares = [asdict(renderer.out.shares[k]) for k in sorted(used.shares)]
            record = {"key": key, "noindex": page.noindex, "images": sorted(used.images), "shares": shares}
            self.store.put(record_key, json.dumps(record, ensure_ascii=False, sort_keys=True).encode("utf-8"), ".in.json")
            out.record_keys.append(record_key)

    def reuse(self, index: int, job: PageJob, record_key: str, renderer: Renderer, out: Written) -> bool:
        """Use a stored record: register what the page shows and list its stored HTML; False when lacking."""
        path = self.store.find(record_key, ".in.json")
        if path is None:
            return False
        try:
            with open(path, "rb") as stored:
                record = json.loads(stored.read())
            if self.store.find(record["key"]) is None:
                return False
            photos = [self.photos[sha] for sha in record["images"]]
            cards = [share_plan(data) for data in record["shares"]]
        except (OSError, ValueError, KeyError, TypeError):   # damaged, or a photo no profile has now
            return False
        for info in photos:
            renderer.out.images[info.sha] = (info, plan_variants(info))
        for card in cards:
            renderer.out.shares[card.key] = card
        out.pages[index] = (url_of(job.src_uri), dest_uri(job.src_uri), record["key"], record["noindex"])
        out.record_keys.append(record_key)
        out.reused += 1
        out.skipped += 1
        return True

    def run(self, jobs: Sequence[tuple[int, PageJob]], rendered: Rendered) -> Written:
        """Render and store jobs; return what was done, with the photos and cards those pages use."""
        out = Written()
        renderer = rendered.renderer
        assert renderer is not None
        self.photos = {info.sha: info for entry in renderer.catalog.cooperatives for info in entry.images.values()}
        logger = logging.getLogger("mkdocs")
        logger.addHandler(self.warnings)
        try:
            for index, job in jobs:
                self.write(index, job, renderer, out)
        finally:
            logger.removeHandler(self.warnings)
        out.images, out.shares = dict(rendered.images), dict(rendered.shares)
        return out


def _forked_run(writer: ThemeWriter, jobs: Sequence[tuple[int, PageJob]], rendered: Rendered) -> Written:
    collected = _Collect()
    logging.getLogger("mkdocs").handlers = [collected]   # this copy's; the parent prints them, once
    try:
        written = writer.run(jobs, rendered)
    except Exception as exc:     # reported by the parent with what was logged before it
        written = Written(error=f"{type(exc).__name__}: {exc}")
    written.records = collected.records
    return written


class Pool:
    """The generated pages split among this process and forked copies (every n-th page each).

    Started in on_env (the copies work while MkDocs writes the hand-written pages); `finish()` writes
    this process's share, waits for the copies and returns everything done.
    """

    def __init__(self, writer: ThemeWriter, jobs: list[PageJob], rendered: Rendered, *, workers: int) -> None:
        self.writer, self.rendered = writer, rendered
        n = max(1, min(workers, len(jobs))) if can_fork() else 1
        numbered = list(enumerate(jobs))
        self.mine = numbered[0::n]
        self.forks = [Forked(lambda k=k: _forked_run(writer, numbered[k::n], rendered)) for k in range(1, n)]
        self.processes = n

    def finish(self) -> Written:
        try:
            written = self.writer.run(self.mine, self.rendered)
        except BaseException:
            self.cancel()
            raise
        forks, self.forks = self.forks, []
        for fork in forks:
            done = fork.result()
            for name, level, message in done.records:
                logging.getLogger(name).log(level, message)
            if done.error:
                raise RuntimeError(done.error)
            written.add(done)
        written.pages = dict(sorted(written.pages.items()))   # the job order, however the work was split
        return written

    def cancel(self) -> None:
        for fork in self.forks:
            fork.cancel()
        self.forks = []


def publish(written: Written, store: PageStore, site_dir: Path) -> None:
    """Link every stored page into the site."""
    root = os.fspath(site_dir)
    for _url, dest, key, _noindex in written.pages.values():
        link(store.path(key), f"{root}/{dest}")


def stage_stored(written: Written, store: PageStore, stage_dir: Path) -> int:
    """Link the stored search records of the pages into the staging folder; return how many there were."""
    count, root = 0, os.fspath(stage_dir)
    for _url, dest, key, _noindex in written.pages.values():
        if (staged := store.find(key, SEARCH_SUFFIX)) is not None:
            link(staged, f"{root}/{dest}{SEARCH_SUFFIX}")
            count += 1
    return count


def search_key(theme: str, written: Written, handwritten: list[tuple[str, str]]) -> str:
    """A hash of every page the search index reads: the same key means the same index."""
    digest = hashlib.sha256(theme.encode())
    for dest, key in sorted([(dest, key) for _u, dest, key, _n in written.pages.values()] + handwritten):
        digest.update(f"{dest}\0{key}\1".encode("utf-8"))
    return digest.hexdigest()
