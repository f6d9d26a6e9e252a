"""The MkDocs glue: run the pipeline in on_files, hand pages over as generated files, publish photos.

Only this module imports MkDocs; all the work happens in the pipeline and its stages.
"""
from __future__ import annotations

import functools
import html
import logging
import os
import re
import shutil
import time
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.structure.toc import get_toc
from markupsafe import Markup, escape

from ..data import messages as M
from .nav_cache import FragmentCache, nav_key
from .html_compact import compact_html
from ..publish.feed import JSON_PATH, RSS_PATH, FeedItem, as_datetime, render_json_feed, render_rss
from ..publish.images import write_variants
from ..site.operator import example_contacts, read_controller, read_operator
from ..publish.opendata import build_open_data
from ..site.handwritten import (data_blocks, expand_markers, open_data_blocks, page_problems, read_posts, resolve_links,
                    resolve_repository_links, settings_blocks, with_urls)
from .page_fork import PageFork, pick
from .workers import can_fork, remove_in_background
from ..pipeline import Result, build
from ..tools.reference import field_reference_markdown
from ..tools.scaffold import post_body_placeholders, post_placeholders
from ..publish.search import SearchIndexError, Stager, index_site, search_enabled
from ..publish.share import write_share_images
from ..publish.sitemap import LIMIT as SITEMAP_LIMIT, split_sitemap

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page
    from mkdocs.utils.templates import TemplateContext

log = logging.getLogger("mkdocs.plugins.htx")
_ANCHOR_ID = re.compile(r'\sid="([^"]*)"')  # templates quote every attribute; text never holds a raw `"`


def find_symlinks(folders: list[Path]) -> list[Path]:
    """Return every symbolic link in or under folders (the folders themselves included), sorted.

    MkDocs follows links: one under content/ to /etc/hostname or ../.git would publish the runner's files.
    """
    found: list[Path] = []
    stack: list[str] = []
    for folder in folders:
        if folder.is_symlink():
            found.append(folder)
        elif folder.is_dir():
            stack.append(str(folder))
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                if entry.is_symlink():
                    found.append(Path(entry.path))
                elif entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
    return sorted(found)


def escape_meta(page: Page) -> None:
    """Make a page's title and description HTML (Markup) once, where they enter: Material prints them raw.

    Generated pages carry them escaped already (render.py, `htx_generated`); front matter of hand-written
    pages and posts is text, escaped here. As Markup, `| e` in our templates cannot escape them twice.
    """
    meta = page.meta
    generated = bool(meta.get("htx_generated"))
    for key in ("title", "description"):
        value = meta.get(key)
        if value is not None and not isinstance(value, Markup):
            meta[key] = Markup(str(value)) if generated else escape(str(value))


def plain(text: object) -> str:
    """Return a title or description as text: the HTML it is held as, unescaped (for feeds)."""
    return html.unescape(str(text or ""))


def _render_empty(page: Page, config: MkDocsConfig, files: Files) -> None:
    """Page.render for an empty Markdown source: what MkDocs' own render leaves on the page."""
    page.content = ""
    page.toc = get_toc([])
    page.present_anchor_ids = set()
    page.links_to_anchors = {}


class HtxConfig(Config):
    """Options of the `htx` plugin in mkdocs.yml."""

    cooperatives_dir = c.Type(str, default="cooperatives")
    include_samples = c.Type(bool, default=True)   # false for a production build without sample profiles
    images = c.Type(bool, default=True)            # false skips photo encoding (fast previews)
    only = c.ListOfItems(c.Type(str), default=[])  # slugs to build (htx preview)
    parallel_from = c.Type(int, default=1_000)     # generated pages from which a fork writes a share (0: never)


class HtxPlugin(BasePlugin[HtxConfig]):
    def __init__(self) -> None:
        self.result: Result | None = None
        self.bodies: dict[str, tuple[dict, str]] = {}   # generated src_uri → (meta, HTML body), see on_files
        self.chrome = FragmentCache()                    # the theme's navigation, once per place (htx.mkdocs.nav_cache)
        self.stager: Stager | None = None                # pages staged for Pagefind during the build
        self.page_fork: PageFork | None = None           # generated pages a forked MkDocs writes (htx.mkdocs.page_fork)
        self.nav: Navigation | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command, self.dirty = command, dirty
        self.staging: Path | None = None
        self.failed = False

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        # `mkdocs build` writes into a staging folder that replaces site_dir only when the build succeeds,
        # so any failure (even after MkDocs has cleaned site_dir) leaves the previous site in place.
        if getattr(self, "command", None) == "build" and not self.dirty and self.staging is None:
            self.final_dir = Path(config.site_dir)
            self.staging = self.final_dir.with_name(f".{self.final_dir.name}.dang-dung")
            shutil.rmtree(self.staging, ignore_errors=True)
            config.site_dir = str(self.staging)
        root = Path(config.config_file_path).parent
        self.root = root
        self.coops_dir = (root / self.config.cooperatives_dir).resolve()
        # `mkdocs serve` rebuilds when a profile or photo changes.
        if str(self.coops_dir) not in config.watch:
            config.watch.append(str(self.coops_dir))
        return config

    def on_build_error(self, *, error: Exception) -> None:
        self.failed = True
        if self.page_fork is not None:
            self.page_fork.cancel()
            self.page_fork = None
        if self.stager is not None:
            self.stager.cleanup()
            self.stager = None

    def on_shutdown(self) -> None:
        staging = getattr(self, "staging", None)
        if staging is None:
            return
        if self.failed or not staging.is_dir():
            shutil.rmtree(staging, ignore_errors=True)
            return
        for leftover in self.final_dir.parent.glob(f".{self.final_dir.name}.cu*"):   # an earlier removal that died
            shutil.rmtree(leftover, ignore_errors=True)
        old = self.final_dir.with_name(f".{self.final_dir.name}.cu-{os.getpid()}")
        if self.final_dir.exists():
            self.final_dir.rename(old)
        staging.rename(self.final_dir)
        if old.exists():
            remove_in_background(old)

    def write_feeds(self, config: MkDocsConfig) -> None:
        site_url = config.site_url or "/"
        site_url = site_url if site_url.endswith("/") else site_url + "/"
        args = {"title": f"Tin tức — {config.site_name}", "site_url": site_url, "description": config.site_description or ""}
        for path, text in ((RSS_PATH, render_rss(self.feed_items, **args)), (JSON_PATH, render_json_feed(self.feed_items, **args))):
            target = Path(config.site_dir) / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")

    def refuse_symlinks(self, config: MkDocsConfig) -> None:
        """Stop the build when content/, cooperatives/ or the theme overrides hold a symbolic link."""
        inside = self.root.resolve()
        theme_dirs = [Path(d) for d in config.theme.dirs
                      if Path(d).resolve().is_relative_to(inside) and "site-packages" not in Path(d).parts]
        links = find_symlinks([Path(config.docs_dir), self.coops_dir, *theme_dirs])
        if not links:
            return
        for link in links:
            shown = Path(os.path.relpath(link.absolute(), self.root.absolute())).as_posix()
            log.error("%s: %s %s", shown, M.text("build_symlink", path=shown), M.text("build_symlink_hint"))
        first = Path(os.path.relpath(links[0].absolute(), self.root.absolute())).as_posix()
        raise PluginError(M.text("build_symlink", path=first))

    def check_operator(self, config: MkDocsConfig) -> None:
        """Read who runs the site (extra.operator, extra.repository); stop on a bad contact, and on the sample
        site's example contacts in a build without samples: launch day must not publish a dead address."""
        self.operator, problems = read_operator(config.extra)
        self.controller, privacy = read_controller(config.extra, self.operator)   # the privacy page's controller
        if not self.config.include_samples:
            problems += example_contacts(config.extra)
        for problem in privacy:
            log.error("%s %s", problem, M.text("privacy_hint"))
        problems += privacy
        if problems:
            for problem in problems[: len(problems) - len(privacy)]:
                log.error("%s %s", problem, M.text("operator_hint"))
            raise PluginError(M.text("operator_refused", count=len(problems)))

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        self.feed_items: list[FeedItem] = []
        # Before anything reads a file: MkDocs copies what a link points to as if it were ours.
        self.refuse_symlinks(config)
        self.chrome.clear()
        if self.stager is not None:     # left by a failed build (mkdocs serve)
            self.stager.cleanup()
        self.stager = Stager() if search_enabled() else None
        self.check_operator(config)
        # Validate before MkDocs cleans site_dir: invalid profiles leave the previous site in place.
        # HTX_ONLY (comma-separated slugs) is how `htx preview` narrows the build without editing mkdocs.yml.
        only = set(self.config.only) or {s for s in os.environ.get("HTX_ONLY", "").split(",") if s}
        started = time.perf_counter()
        result = build(self.coops_dir, base=self.root, include_samples=self.config.include_samples,
                       only=only or None, with_images=self.config.images, site_url=config.site_url or "")
        held_back = M.MESSAGES["personal_held_back"].split("{", 1)[0]
        for problem in result.problems:
            # Personal data held back for want of consent is the rule working, not a fault: a strict build of
            # real profiles (most have no consent) must go on, so it is told at INFO; `htx validate` warns.
            if problem.severity == "warning" and problem.message.startswith(held_back):
                log.info(problem.format_text())
                continue
            (log.warning if problem.severity == "warning" else log.error)(problem.format_text())
        if not result.ok:
            self.result = None
            raise PluginError(M.text("build_refused", count=len(result.errors)))
        self.result = result
        log.info("htx: dữ liệu %d hợp tác xã, %d sản phẩm, %d trang (%.1f s)", len(result.catalog.entries),
                 len(result.catalog.items), len(result.rendered.pages), time.perf_counter() - started)
        self.posts = read_posts(Path(config.docs_dir) / "tin-tuc" / "posts", result.catalog.today)
        self.blocks = data_blocks(result.rendered, self.posts)
        self.blocks["field-reference"] = lambda _url: field_reference_markdown()
        self.blocks["operator"] = lambda url: result.rendered.fragment("operator", url, operator=self.operator.as_dict())
        self.blocks["privacy-controller"] = lambda url: result.rendered.fragment("privacy-controller", url,
                                                                                 controller=self.controller.as_dict())
        self.blocks.update(settings_blocks(dict(config.extra)))   # the builder's data and repository (`extra`)
        # The open-data files, from the validated catalog: made now so /du-lieu/ states their real sizes,
        # written into site_dir in on_post_build (MkDocs cleans it before writing the pages).
        started = time.perf_counter()
        self.open_data = build_open_data(result.catalog, config.site_url or "", operator=self.operator.name)
        log.info("htx: dữ liệu mở %d tệp, %d KB (%.1f s)", len(self.open_data.files),
                 sum(map(len, self.open_data.files.values())) // 1024, time.perf_counter() - started)
        self.blocks.update(open_data_blocks(self.open_data, self.operator.name))

    @event_priority(50)
    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        assert self.result is not None
        # A generated page's body is HTML made by our templates, which Python-Markdown passes through
        # unchanged. So MkDocs gets an empty source, the page meta as data (on_page_markdown) and the HTML
        # (on_page_content): the same output without a YAML round trip and a Markdown pass, ~10 ms a page
        # (see the Benchmark section of scripts/DEVELOPERS.md). Other bodies go through MkDocs as Markdown.
        self.bodies = {}
        for page in self.result.rendered.pages:
            if page.body.lstrip().startswith("<"):
                self.bodies[page.src_uri] = (page.meta, page.body.strip())
                files.append(File.generated(config, page.src_uri, content=""))
            else:
                files.append(File.generated(config, page.src_uri, content=page.markdown()))
        # From here on each body has one holder (bodies, then its Page): a national build keeps ~50,000.
        self.result.rendered.pages.clear()
        return files

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if self.result is None:
            escape_meta(page)
            return None
        if page.file.generated_by:
            held = self.bodies.get(page.file.src_uri)
            if held is not None:
                page.meta = dict(held[0])   # what MkDocs would have read from the front matter
                # Its source is empty: skip building a Python-Markdown instance with every extension for it
                # (~2 ms a page, 8 % of a province build); on_page_content supplies the HTML and anchors.
                page.render = functools.partial(_render_empty, page)  # type: ignore[method-assign]
            escape_meta(page)
            return None
        escape_meta(page)
        url = page.file.url if page.file.url not in (".", "./") else ""
        # Links first: the blocks hold profile text, where `](htx:…)` is text, never a link to resolve.
        markdown, missing = resolve_links(markdown, self.result.catalog, page.file.src_uri)
        markdown, unset = resolve_repository_links(markdown, config.extra.get("repository"))
        markdown, unknown = expand_markers(markdown, self.blocks, url)
        placeholders: list[str] = []
        if page.file.src_uri.startswith("tin-tuc/posts/") and not page.meta.get("draft"):
            placeholders = post_placeholders(page.meta) + post_body_placeholders(markdown)
        if unknown or missing or unset or placeholders:
            source = page.file.content_string
            shown = os.path.relpath(page.file.abs_src_path, self.root) if page.file.abs_src_path else page.file.src_uri
            problems = page_problems(Path(shown).as_posix(), source, self.result.catalog, missing=missing, unset=unset,
                                     unknown=unknown, blocks=list(self.blocks), placeholders=placeholders)
            for problem in problems:
                log.error("%s", problem)
            raise PluginError(problems[0] if len(problems) == 1 else M.text("page_problems", count=len(problems)))
        return markdown

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        held = self.bodies.pop(page.file.src_uri, None) if page.file.generated_by and self.result is not None else None
        if held is not None:
            # What Python-Markdown makes of a raw HTML block, and the ids MkDocs checks links to anchors against.
            page.present_anchor_ids = set(_ANCHOR_ID.findall(held[1]))
            return held[1]
        # Without a front-matter title, MkDocs takes the first heading as rendered (HTML, never holding `<` or
        # `>`) or else the file name, which may: a file name is text, escaped like front matter.
        title = page.title
        if "title" not in page.meta and isinstance(title, str) and not isinstance(title, Markup) and ("<" in title or ">" in title):
            page.title = escape(title)  # type: ignore[misc]
        # Blog posts carry their parsed date in page.config (Material's Post); collect them for the feeds.
        date = getattr(getattr(getattr(page, "config", None), "date", None), "created", None)
        if date is not None and page.file.src_uri.startswith("tin-tuc/posts/"):
            categories = tuple(str(c) for c in (page.config.categories or []))
            url = page.canonical_url or page.url
            self.feed_items.append(FeedItem(plain(page.title), url, as_datetime(date), plain(page.meta.get("description")), categories))
        return None

    @event_priority(-100)   # last: the navigation as the other plugins leave it
    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation | None:
        self.nav = nav
        if self.result is not None:
            # The blog plugin has placed the posts by now: "latest news" links where MkDocs put each one
            # (a post without `slug:` is named from its title), and leaves out the ones it does not build.
            def url_of(src_uri: str) -> str | None:
                file = files.get_file_from_path(src_uri)
                return file.url if file is not None and file.inclusion.is_included() else None

            self.posts = with_urls(self.posts, url_of)
            self.blocks.update(data_blocks(self.result.rendered, self.posts))
        return nav

    @event_priority(-100)   # last: a fork taken here must see the environment as every plugin leaves it
    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
        # JSON-LD as UTF-8, not \uXXXX: Vietnamese text is half the size. Jinja's tojson still escapes < > & '.
        env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
        env.globals["htx_chrome"] = self.chrome
        env.globals["htx_operator"] = self.operator.as_dict()   # the footer (overrides/partials/copyright.html)
        # MkDocs makes a new environment for every build: checking each template file's mtime at every
        # include (Jinja's default) is ~14 stat() calls a page for nothing (2 s at province scale).
        env.auto_reload = False
        self.page_fork = None
        if self.result is not None and getattr(self, "command", None) == "build" and self.nav is not None:
            doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
            generated = [f.page for f in doc_files if f.page is not None and f.page.meta.get("htx_generated")]
            if 0 < self.config.parallel_from <= len(generated) and can_fork():
                share = pick(generated)
                self.page_fork = PageFork(share, config=config, doc_files=doc_files, nav=self.nav, env=env,
                                          stager=self.stager)
                log.info("htx: %d trang được dựng song song ở tiến trình thứ hai", len(share))
        return env

    def on_page_context(self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig,
                        nav: Navigation) -> TemplateContext:
        key = nav_key(page, nav)
        # A generated page is outside the navigation, so no tab or drawer item would be marked: mark the nav
        # page it belongs under (the longest URL prefix: a product under "Sản phẩm", a commune under "Theo xã,
        # phường") active for this page only, through MkDocs' public Page.active (it marks the parents too).
        self.marked = None
        if key is not None:
            owners = [p for p in nav.pages if p.url and page.url.startswith(p.url)]
            if owners:
                self.marked = max(owners, key=lambda p: len(p.url))
                self.marked.active = True
                key = (*key, self.marked.url)
        context["htx_nav_key"] = key
        return context

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        if getattr(self, "marked", None) is not None:   # see on_page_context
            self.marked.active = False
            self.marked = None
        if not output:                  # a page the fork writes (htx.mkdocs.page_fork): nothing to do here
            return None
        output = compact_html(output)   # the theme's indentation: ~7 KB a page (htx.mkdocs.html_compact)
        if self.stager is not None:
            self.stager.add(page.file.dest_uri, output)   # staged for Pagefind on the other core
        return output

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.result is None:
            return
        if self.page_fork is not None:
            fork, self.page_fork = self.page_fork, None
            try:
                error = fork.finish()
            except Exception as exc:     # the fork died (killed, out of memory)
                error = f"{type(exc).__name__}: {exc}"
            if error:
                raise PluginError(M.text("page_fork_failed", error=error))
        self.write_feeds(config)
        self.open_data.write(Path(config.site_dir))   # /du-lieu/: the downloads the page lists (htx.publish.opendata)
        log.debug("htx: navigation rendered %d times, reused %d times", len(self.chrome.fragments), self.chrome.hits)
        parts = split_sitemap(Path(config.site_dir), config.site_url or "/")
        if parts > 1:
            log.info("htx: sitemap.xml chia thành %d tệp (tối đa %d địa chỉ mỗi tệp)", parts, SITEMAP_LIMIT)
        try:
            stager, self.stager = self.stager, None
            figures = index_site(Path(config.site_dir), stager=stager)
        except SearchIndexError as exc:
            raise PluginError(f"Pagefind: {exc}") from None
        log.info("htx: chỉ mục tìm kiếm %d trang, %d KB (%.1f s)", figures.get("pages", 0), figures.get("bytes", 0) // 1024,
                 figures.get("ms", 0) / 1000)
        if not self.config.images:
            return
        started = time.perf_counter()
        counts = write_variants(self.result.rendered.images, Path(config.site_dir))
        log.info("htx: %d ảnh nguồn, mã hóa %d tệp mới, %d tệp trong site (%.1f s)", len(self.result.rendered.images),
                 counts["encoded"], counts["published"], time.perf_counter() - started)
        started = time.perf_counter()
        cards = write_share_images(self.result.rendered.shares.values(), Path(config.site_dir))
        log.info("htx: %d ảnh chia sẻ (og:image), vẽ mới %d (%.1f s)", cards["cards"], cards["drawn"],
                 time.perf_counter() - started)
