"""The MkDocs glue: one hook per step of a build, each a few lines that hand over to a stage.

pre_build: read and validate the profiles (htx.pipeline) and make the catalog, the open data and the
blocks hand-written pages ask for; files: hand the navigation's generated pages (catalog, directory,
communes, statistics) to MkDocs; page hooks: expand hand-written pages' `htx:` blocks and links; env:
start writing the other generated pages through the theme (htx.mkdocs.generated); post_build: link them
into the site, then feeds, sitemap, open data, search index, photos and share cards.

Only MkDocs' public API is used (tests/unit/test_layout.py checks that no private name is imported).
"""
from __future__ import annotations

import hashlib
import html
import os
import re
import shutil
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import FileSystemBytecodeCache
from markupsafe import Markup, escape
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File
from mkdocs.utils.meta import get_data

from ..data import messages as M
from ..data.events import EVENT_SUFFIXES, EVENTS_DIR
from ..data.posts import POSTS_DIR
from ..data.profile_cache import ProfileCache
from ..pipeline import build
from ..publish import images as image_cache
from ..publish.calendar import render_calendars, write_calendars
from ..publish.feed import JSON_PATH, RSS_PATH, FeedItem, as_datetime, render_json_feed, render_rss
from ..publish.images import write_variants
from ..publish.opendata import cached_open_data
from ..publish.search import OUTPUT_SUBDIR, SearchIndexError, Stager, index_site
from ..publish.share import write_share_images
from ..publish.sitemap import LIMIT as SITEMAP_LIMIT, write_sitemap
from ..site.handwritten import (data_blocks, expand_markers, generated_links, link_urls, missing_links, open_data_blocks, page_problems,
                                read_posts, resolve_repository_links, settings_blocks, with_urls)
from ..site.i18n import Twins, language_context, language_of
from ..site.operator import example_contacts, read_controller, read_operator
from ..site.render import url_of
from ..tools.reference import field_reference_markdown
from ..tools.scaffold import post_body_placeholders, post_placeholders
from .generated import Pool, ThemeWriter, Written, fingerprint, publish, search_key, stage_stored
from .html_compact import compact_html
from .nav_cache import FragmentCache
from .page_store import PageStore, link_tree
from .settings import BuildState, HtxConfig
from ..publish.workers import remove_in_background

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page
    from mkdocs.utils.templates import TemplateContext

    from ..site.operator import Controller, Operator

log = get_plugin_logger("htx")
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

    Generated pages carry them as Markup already (htx.site.render); front matter of hand-written pages
    and posts is text, escaped here. As Markup, `| e` in our templates cannot escape them twice.
    """
    for key in ("title", "description"):
        value = page.meta.get(key)
        if value is not None and not isinstance(value, Markup):
            page.meta[key] = escape(str(value))


def site_root(config: MkDocsConfig) -> str:
    """The site's address ending in "/" ("/" without site_url): feeds and the sitemap add paths to it."""
    url = config.site_url or "/"
    return url if url.endswith("/") else url + "/"


def plain(text: object) -> str:
    """Return a title or description as text: the HTML it is held as, unescaped (for feeds)."""
    return html.unescape(str(text or ""))


def nav_sources(items: Any) -> set[str]:
    """The Markdown paths mkdocs.yml's `nav` names (at any depth)."""
    found: set[str] = set()
    for item in items if isinstance(items, list) else [items]:
        if isinstance(item, str) and item.endswith(".md"):
            found.add(item)
        elif isinstance(item, dict):
            for value in item.values():
                found |= nav_sources(value)
        elif isinstance(item, list):
            found |= nav_sources(item)
    return found


class HtxPlugin(BasePlugin[HtxConfig]):
    def __init__(self) -> None:
        self.state: BuildState | None = None
        self.chrome = FragmentCache()      # the theme's navigation, once per place (htx.mkdocs.nav_cache)
        self.pool: Pool | None = None

    # -- around the build ---------------------------------------------------------------------------

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command, self.dirty = command, dirty
        self.staging: Path | None = None
        self.failed = False

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not config.use_directory_urls:   # every URL htx makes and links to is a folder ("san-pham/…/")
            raise PluginError(M.text("directory_urls_off"))
        # `mkdocs build` writes into a staging folder that replaces site_dir only when the build succeeds,
        # so any failure (even after MkDocs has cleaned site_dir) leaves the previous site in place.
        if getattr(self, "command", None) == "build" and not self.dirty and self.staging is None:
            self.final_dir = Path(config.site_dir)
            self.staging = self.final_dir.with_name(f".{self.final_dir.name}.dang-dung")
            shutil.rmtree(self.staging, ignore_errors=True)
            config.site_dir = str(self.staging)
        self.root = Path(config.config_file_path).parent
        self.coops_dir = (self.root / self.config.cooperatives_dir).resolve()
        self.cache = self.config.cache_path(self.root)
        image_cache.use_cache_dir(self.cache)
        self.store = PageStore(self.cache / "pages")
        # `mkdocs serve` rebuilds when a profile or photo changes.
        if str(self.coops_dir) not in config.watch:
            config.watch.append(str(self.coops_dir))
        return config

    def on_build_error(self, *, error: Exception) -> None:
        self.failed = True
        self.drop_state()

    def drop_state(self) -> None:
        if self.pool is not None:
            self.pool.cancel()
            self.pool = None
        if self.state is not None and self.state.stager is not None:
            self.state.stager.cleanup()
        self.state = None

    def on_shutdown(self) -> None:
        staging = getattr(self, "staging", None)
        if staging is None:
            return
        if self.failed or not staging.is_dir():
            shutil.rmtree(staging, ignore_errors=True)
            return
        # An earlier removal that died, or is still running (a rebuild right after a build): not waited for.
        for leftover in self.final_dir.parent.glob(f".{self.final_dir.name}.cu*"):
            remove_in_background(leftover)
        old = self.final_dir.with_name(f".{self.final_dir.name}.cu-{os.getpid()}")
        if self.final_dir.exists():
            self.final_dir.rename(old)
        staging.rename(self.final_dir)
        if old.exists():
            remove_in_background(old)

    # -- data ----------------------------------------------------------------------------------------

    def refuse_symlinks(self, config: MkDocsConfig) -> None:
        """Stop the build when content/, cooperatives/ or the theme overrides hold a symbolic link."""
        inside = self.root.resolve()
        theme_dirs = [Path(d) for d in config.theme.dirs
                      if Path(d).resolve().is_relative_to(inside) and "site-packages" not in Path(d).parts]
        links = find_symlinks([Path(config.docs_dir), self.coops_dir, *theme_dirs])
        if not links:
            return
        for found in links:
            shown = Path(os.path.relpath(found.absolute(), self.root.absolute())).as_posix()
            log.error("%s: %s %s", shown, M.text("build_symlink", path=shown), M.text("build_symlink_hint"))
        first = Path(os.path.relpath(links[0].absolute(), self.root.absolute())).as_posix()
        raise PluginError(M.text("build_symlink", path=first))

    def check_operator(self, config: MkDocsConfig) -> tuple[Operator, Controller]:
        """Read who runs the site (extra.operator, extra.repository); stop on a bad contact, and on the sample
        site's example contacts in a build without samples: launch day must not publish a dead address."""
        operator, problems = read_operator(config.extra)
        controller, privacy = read_controller(config.extra, operator)   # the privacy page's controller
        if not self.config.include_samples:
            problems += example_contacts(config.extra)
        for problem in privacy:
            log.error("%s %s", problem, M.text("privacy_hint"))
        problems += privacy
        if problems:
            for problem in problems[: len(problems) - len(privacy)]:
                log.error("%s %s", problem, M.text("operator_hint"))
            raise PluginError(M.text("operator_refused", count=len(problems)))
        return operator, controller

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        self.drop_state()      # what a failed `mkdocs serve` rebuild left
        # Before anything reads a file: MkDocs copies what a link points to as if it were ours.
        self.refuse_symlinks(config)
        self.chrome.clear()
        operator, controller = self.check_operator(config)
        # Validate before MkDocs cleans site_dir: invalid profiles leave the previous site in place.
        started = time.perf_counter()
        profiles = ProfileCache(self.cache / "profiles")
        posts_dir = Path(config.docs_dir) / POSTS_DIR
        result = build(self.coops_dir, base=self.root, include_samples=self.config.include_samples,
                       only=self.config.slugs() or None, with_images=self.config.images, site_url=config.site_url or "",
                       cache=profiles, events_dir=Path(config.docs_dir) / EVENTS_DIR,
                       posts_dir=posts_dir)
        held_back = M.MESSAGES["personal_held_back"].split("{", 1)[0]
        for problem in result.problems:
            # Personal data held back for want of consent is the rule working, not a fault: a strict build of
            # real profiles (most have no consent) must go on, so it is told at INFO; `htx validate` warns.
            if problem.severity == "warning" and problem.message.startswith(held_back):
                log.info(problem.format_text())
                continue
            (log.warning if problem.severity == "warning" else log.error)(problem.format_text())
        if not result.ok:
            in_events = all(p.file.endswith(EVENT_SUFFIXES) for p in result.errors)
            raise PluginError(M.text("events_refused" if in_events else "build_refused", count=len(result.errors)))
        log.info("dữ liệu %d hợp tác xã (%d hồ sơ đọc lại từ bộ nhớ đệm), %d sản phẩm (%.1f s)", len(result.catalog.entries),
                 profiles.hits, len(result.catalog.items), time.perf_counter() - started)
        posts = read_posts(posts_dir, result.catalog.today)
        rendered = result.rendered
        compiled = self.compiled_templates("htx")    # both languages' environments: the same settings
        for renderer in rendered.renderer.family if rendered.renderer is not None else []:
            renderer.env.bytecode_cache = compiled
        blocks = data_blocks(rendered, posts)
        blocks["field-reference"] = lambda _url: field_reference_markdown()
        blocks["operator"] = lambda url: rendered.fragment("operator", url, operator=operator.as_dict())
        blocks["privacy-controller"] = lambda url: rendered.fragment("privacy-controller", url,
                                                                     controller=controller.as_dict())
        blocks.update(settings_blocks(dict(config.extra)))   # the builder's data and repository (`extra`)
        # The open-data files, from the validated catalog: made now so /du-lieu/ states their real sizes,
        # written into site_dir in on_post_build (MkDocs cleans it before writing the pages).
        started = time.perf_counter()
        open_data = cached_open_data(result.catalog, config.site_url or "", operator=operator.name,
                                     folder=self.cache / "opendata")
        log.info("dữ liệu mở %d tệp, %d KB (%.1f s)", len(open_data.files),
                 sum(map(len, open_data.files.values())) // 1024, time.perf_counter() - started)
        blocks.update(open_data_blocks(open_data, operator.name))
        self.state = BuildState(result=result, operator=operator, controller=controller, posts=posts, blocks=blocks,
                                open_data=open_data, stager=Stager(self.cache) if self.config.search else None)

    # -- MkDocs' pages -------------------------------------------------------------------------------

    @event_priority(50)
    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        state = self.state
        assert state is not None
        # Pages the navigation names (the catalog, the directory, the communes, the statistics) go through
        # MkDocs, which needs them for its tabs; every other generated page is written by htx.mkdocs.generated.
        in_nav = nav_sources(config.nav or [])
        # Events are data (read in on_pre_build), not files to publish: their YAML never reaches the site.
        for file in [f for f in files if f.src_uri.startswith(EVENTS_DIR + "/") and f.src_uri.endswith(EVENT_SUFFIXES)]:
            files.remove(file)
        # English pages link to the English twins of hand-written pages: known before any job is made.
        pairs = self.read_pairs(files)
        state.result.rendered.renderer.set_pairs(pairs)
        state.jobs = []
        for job in state.result.rendered.renderer.jobs():
            if job.src_uri in in_nav:
                state.nav_pages[job.src_uri] = job.make()
                files.append(File.generated(config, job.src_uri, content=""))
            else:
                state.jobs.append(job)
        state.generated = {job.src_uri for job in state.jobs}
        urls = {url_of(f.src_uri) for f in files.documentation_pages()} | {url_of(j.src_uri) for j in state.jobs}
        state.twins = Twins(urls, pairs)
        english = dict(config.extra.get("english") or {})
        state.twins.names = {"vi": (config.site_name, config.site_description or ""),
                             "en": (english.get("site_name") or config.site_name,
                                    english.get("site_description") or config.site_description or "")}
        return files

    def read_pairs(self, files: Files) -> dict[str, str]:
        """Which Vietnamese page each English hand-written page translates (vi URL → en URL): its front
        matter's `vietnamese: <source path>` (the language switch and hreflang pair them both ways)."""
        pairs: dict[str, str] = {}
        problems = []
        for file in files.documentation_pages():
            if language_of(url_of(file.src_uri)) != "en":
                continue
            _body, meta = get_data(file.content_string)
            target = meta.get("vietnamese")
            if target is None:
                continue
            source = files.get_file_from_path(str(target)) if isinstance(target, str) else None
            if source is None or not source.is_documentation_page() or language_of(url_of(source.src_uri)) == "en":
                problems.append(M.text("english_pair_unknown", page=file.src_uri, target=target))
            elif url_of(source.src_uri) in pairs:
                problems.append(M.text("english_pair_twice", page=file.src_uri, target=target,
                                       other=pairs[url_of(source.src_uri)]))
            else:
                pairs[url_of(source.src_uri)] = url_of(file.src_uri)
        for problem in problems:
            log.error("%s", problem)
        if problems:
            raise PluginError(problems[0])
        return pairs

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        state = self.state
        generated = state.nav_pages.get(page.file.src_uri) if state is not None else None
        if generated is not None:
            page.meta = dict(generated.meta)   # what MkDocs would have read from front matter
            return None
        escape_meta(page)
        if state is None:
            return None
        url = page.file.url if page.file.url not in (".", "./") else ""
        # Links are checked before blocks are expanded: block text is profile text, where `](htx:…)` is text.
        missing = missing_links(markdown, state.result.catalog)
        markdown = generated_links(markdown, page.file.src_uri, state.generated)
        markdown, unset = resolve_repository_links(markdown, config.extra.get("repository"))
        markdown, unknown = expand_markers(markdown, state.blocks, url)
        placeholders: list[str] = []
        if page.file.src_uri.startswith(POSTS_DIR + "/") and not page.meta.get("draft"):
            placeholders = post_placeholders(page.meta) + post_body_placeholders(markdown)
        if unknown or missing or unset or placeholders:
            source = page.file.content_string
            shown = os.path.relpath(page.file.abs_src_path, self.root) if page.file.abs_src_path else page.file.src_uri
            problems = page_problems(Path(shown).as_posix(), source, state.result.catalog, missing=missing, unset=unset,
                                     unknown=unknown, blocks=list(state.blocks), placeholders=placeholders)
            for problem in problems:
                log.error("%s", problem)
            raise PluginError(problems[0] if len(problems) == 1 else M.text("page_problems", count=len(problems)))
        return markdown

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        state = self.state
        if state is None:
            return None
        generated = state.nav_pages.get(page.file.src_uri)
        if generated is not None:
            # What Python-Markdown makes of a raw HTML block, and the ids MkDocs checks links to anchors against.
            page.present_anchor_ids = set(_ANCHOR_ID.findall(generated.body))
            return generated.body
        html, anchored = link_urls(html, page.url)
        for src_uri, anchor, target in anchored:
            known = self.anchors_of(src_uri)
            if anchor not in known:
                log.warning(M.text("link_anchor_missing", page=page.file.src_uri, target=target, anchor=anchor,
                                   known=", ".join(sorted(known)) or "—"))
        # Without a front-matter title, MkDocs takes the first heading as rendered (HTML, never holding `<` or
        # `>`) or else the file name, which may: a file name is text, escaped like front matter.
        title = page.title
        if "title" not in page.meta and isinstance(title, str) and not isinstance(title, Markup) and ("<" in title or ">" in title):
            page.title = escape(title)  # type: ignore[misc]
        # Blog posts carry their parsed date in page.config (Material's Post); collect them for the feeds.
        date = getattr(getattr(getattr(page, "config", None), "date", None), "created", None)
        if date is not None and page.file.src_uri.startswith(POSTS_DIR + "/"):
            categories = tuple(str(c) for c in (page.config.categories or []))
            url = page.canonical_url or page.url
            state.feed_items.append(FeedItem(plain(page.title), url, as_datetime(date), plain(page.meta.get("description")),
                                             categories))
        return html

    def anchors_of(self, src_uri: str) -> set[str]:
        """The ids on a generated page (rendered here when a hand-written page links to one of its parts)."""
        state = self.state
        assert state is not None
        if src_uri not in state.anchors:
            job = next((j for j in state.jobs if j.src_uri == src_uri), None)
            body = job.make().body if job is not None else state.nav_pages[src_uri].body if src_uri in state.nav_pages else ""
            state.anchors[src_uri] = set(_ANCHOR_ID.findall(body))
        return state.anchors[src_uri]

    @event_priority(-100)   # last: the navigation as the other plugins leave it
    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation | None:
        state = self.state
        if state is not None:
            state.nav, state.files = nav, files
            # The blog plugin has placed the posts by now: "latest news" links where MkDocs put each one
            # (a post without `slug:` is named from its title), and leaves out the ones it does not build.
            def url_of(src_uri: str) -> str | None:
                file = files.get_file_from_path(src_uri)
                return file.url if file is not None and file.inclusion.is_included() else None

            state.posts = with_urls(state.posts, url_of)
            state.blocks.update(data_blocks(state.result.rendered, state.posts))
        return nav

    def compiled_templates(self, kind: str) -> FileSystemBytecodeCache:
        """Jinja's store of compiled templates (by source checksum and Jinja's version): every build makes new
        environments, and compiling ~80 templates again in each process was a second of a rebuild."""
        folder = self.cache / "templates" / kind     # the theme's and ours apart: their settings differ
        folder.mkdir(parents=True, exist_ok=True)
        return FileSystemBytecodeCache(str(folder))

    @event_priority(-100)   # last: the forked writers must see the environment as every plugin leaves it
    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
        # JSON-LD as UTF-8, not \uXXXX: Vietnamese text is half the size. Jinja's tojson still escapes < > & '.
        env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
        env.globals["htx_chrome"] = self.chrome
        # MkDocs makes a new environment for every build: checking each template file's mtime at every
        # include (Jinja's default) is ~14 stat() calls a page for nothing (2 s at province scale).
        env.auto_reload = False
        env.bytecode_cache = self.compiled_templates("theme")
        state = self.state
        if state is None or state.nav is None:
            return env
        env.globals["htx_operator"] = state.operator.as_dict()   # the footer (overrides/partials/copyright.html)
        assert state.twins is not None
        env.globals["htx_en_menu"] = state.twins.menu()           # English pages' tabs and drawer

        state.theme = fingerprint(config, state.nav, search=bool(self.config.search))
        doc_files = files.documentation_pages()
        writer = ThemeWriter(config=config, nav=state.nav, doc_files=doc_files, env=env, store=self.store, theme=state.theme,
                             search=bool(self.config.search), twins=state.twins)
        # Forked writers start now, while MkDocs writes the hand-written pages; this process joins them after.
        self.pool = Pool(writer, state.jobs, state.result.rendered, workers=self.config.worker_count())
        log.info("%d trang tạo từ hồ sơ, viết bởi %d tiến trình", len(state.jobs), self.pool.processes)
        return env

    def on_page_context(self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig,
                        nav: Navigation) -> TemplateContext:
        if self.state is not None and page.file.src_uri in self.state.nav_pages:
            context["htx_page"] = self.state.nav_pages[page.file.src_uri]   # its structured data, share image
        if self.state is not None and self.state.twins is not None:
            context.update(language_context(self.state.twins, page.url if page.url not in (".", "./") else ""))
        return context

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        output = compact_html(output)   # the theme's indentation: ~7 KB a page (htx.mkdocs.html_compact)
        state = self.state
        if state is not None:
            dest = page.file.dest_uri
            state.handwritten.append((dest, hashlib.sha256(output.encode("utf-8")).hexdigest()))
            if state.stager is not None:
                state.stager.add(dest, output)   # its search record, made on the other core
        return output

    # -- after MkDocs ---------------------------------------------------------------------------------

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        state, pool = self.state, self.pool
        if state is None or pool is None:
            return
        site_dir = Path(config.site_dir)
        started = time.perf_counter()
        self.pool = None
        try:
            written = pool.finish()
        except Exception as exc:     # a writer died (killed, out of memory) or a template failed
            raise PluginError(M.text("pages_failed", error=f"{type(exc).__name__}: {exc}")) from exc
        rendered = state.result.rendered
        if rendered.renderer is not None:
            rendered.renderer.release()
        rendered.images.update(written.images)
        rendered.shares.update(written.shares)
        publish(written, self.store, site_dir)
        log.info("trang tạo từ hồ sơ: %d dựng mới, %d dùng lại (%d không cần dựng cả nội dung) (%.1f s)", written.rendered,
                 written.reused, written.skipped, time.perf_counter() - started)
        self.write_feeds(config, state.feed_items)
        events = state.result.events
        if events is not None:   # the calendars (.ics): every event, each commune's, each event's
            names = {slug: entry.coop.name for slug, entry in state.result.catalog.entries.items()}
            write_calendars(render_calendars(events, site_root(config) if config.site_url else "", names), site_dir)
        state.open_data.write(site_dir)   # /du-lieu/: the downloads the page lists (htx.publish.opendata)
        self.write_sitemap(config, state, written)
        self.index_search(site_dir, state, written)
        if not self.config.slugs():       # a full build: what it did not use is dropped from the store
            self.store.prune(({key for _u, _d, key, _n in written.pages.values()} - set(written.warned)) | set(written.record_keys))
        if self.config.images:
            started = time.perf_counter()
            counts = write_variants(rendered.images, site_dir)
            log.info("%d ảnh nguồn, mã hóa %d tệp mới, %d tệp trong site (%.1f s)", len(rendered.images),
                     counts["encoded"], counts["published"], time.perf_counter() - started)
            started = time.perf_counter()
            cards = write_share_images(rendered.shares.values(), site_dir)
            log.info("%d ảnh chia sẻ (og:image), vẽ mới %d (%.1f s)", cards["cards"], cards["drawn"],
                     time.perf_counter() - started)
        self.state = None

    def write_feeds(self, config: MkDocsConfig, items: list[FeedItem]) -> None:
        args = {"title": f"Tin tức — {config.site_name}", "site_url": site_root(config),
                "description": config.site_description or ""}
        for path, text in ((RSS_PATH, render_rss(items, **args)), (JSON_PATH, render_json_feed(items, **args))):
            target = Path(config.site_dir) / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")

    def write_sitemap(self, config: MkDocsConfig, state: BuildState, written: Written) -> None:
        """Every page MkDocs wrote, then every generated page, less the pages marked noindex."""
        urls = []
        for file in state.files.documentation_pages() if state.files is not None else []:
            page = file.page
            noindex = file.src_uri in state.nav_pages and state.nav_pages[file.src_uri].noindex
            if page is not None and not noindex and (page.canonical_url or page.abs_url):
                urls.append(page.canonical_url or page.abs_url)
        urls += [site_root(config) + url for url, _dest, _key, noindex in written.pages.values() if not noindex]
        lastmod = next((f.page.update_date for f in state.files.documentation_pages() if f.page is not None), "")
        root = site_root(config)
        alternates = {}
        for url in urls:
            here = url[len(root):] if url.startswith(root) else url
            twin = state.twins.twin(here) if state.twins is not None else None
            if twin is not None:
                lang = language_of(here)
                vi, en = (url, root + twin) if lang == "vi" else (root + twin, url)
                alternates[url] = {"vi": vi, "en": en, "x-default": vi}
        parts = write_sitemap(Path(config.site_dir), urls, lastmod, alternates, site_url=config.site_url or "/")
        if parts > 1:
            log.info("sitemap.xml chia thành %d tệp (tối đa %d địa chỉ mỗi tệp)", parts, SITEMAP_LIMIT)

    def index_search(self, site_dir: Path, state: BuildState, written: Written) -> None:
        """Make the search index, unless every page is as when the stored index was made: then link that one in."""
        stager = state.stager
        if stager is None:
            return
        key = search_key(state.theme, written, state.handwritten)
        kept = self.cache / "search" / key
        if (kept / "index.json").is_file():
            stager.cleanup()
            link_tree(kept, site_dir / OUTPUT_SUBDIR)
            log.info("chỉ mục tìm kiếm không đổi: dùng lại")
            return
        stager.done.extend([1] * stage_stored(written, self.store, stager.dir))   # staged once, when rendered
        started = time.perf_counter()
        try:
            figures = index_site(site_dir, stager=stager, enabled=True)
        except SearchIndexError as exc:
            raise PluginError(str(exc)) from None
        log.info("chỉ mục tìm kiếm %d trang, %d KB (%.1f s)", figures.get("pages", 0), figures.get("bytes", 0) // 1024,
                 time.perf_counter() - started)
        if (site_dir / OUTPUT_SUBDIR).is_dir():
            for old in (self.cache / "search").glob("*"):
                shutil.rmtree(old, ignore_errors=True)
            link_tree(site_dir / OUTPUT_SUBDIR, kept)
