"""Post-build: the site's search index, made by Pagefind (`pagefind[extended]` ships the binary).

Pagefind folds tone marks ("gao" finds "gạo", NFD queries work) but keeps đ as a letter of its own:
"duong" does not find "đường" (measured with 1.5.2). Most visitors type without diacritics, so every
indexed page gets search-only words: its đ-words with đ written d ("Đường" → "Dường"; Pagefind then
strips the tones itself), weighted like the place they come from (a word of the title ranks like the
title), and a `title_d` metadata field, the title written the same way, which the browser's ranking
options weigh like the title. They go into a staged copy of the page that only Pagefind reads (its
<title> and indexed part, without header, navigation and footer): the published HTML is unchanged,
screen readers and crawlers never see them. They follow EXTRA_MARK, so that the browser can cut them
out of the text it shows (see overrides/assets/htx/search/search.js).

Which pages are indexed is decided by the HTML: pages with `data-pagefind-body` (hand-written pages,
product and cooperative pages); listings carry `data-pagefind-ignore="all"` and no body; blog posts
(whose template bypasses the wrapper in overrides/main.html) get their <article> marked here. Filters,
sort keys and result metadata are `data-pagefind-*` attributes written by the page templates.

    stats = index_site(Path(config.site_dir))   # from HtxPlugin.on_post_build

Pagefind 1.5.2 writes the word index and the result fragments deterministically, but not the filter
files and their pf_meta (upstream issue Pagefind/pagefind#638): those few files change names between
identical builds.
"""
from __future__ import annotations

import html
import multiprocessing
import os
import re
import shutil
import subprocess
import tempfile
import time
import unicodedata
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from .workers import remove_in_background

OUTPUT_SUBDIR = "pagefind"
LANGUAGE = "vi"
EXTRA_MARK = "⁂"   # starts the search-only text in a page's indexed content; not a word, never matched

# Pages that only repeat other pages (the home page, blog listings) are not worth a search result of their own.
SKIP = re.compile(r"^(index\.html|404\.html|tin-tuc/(index\.html|trang/.*|luu-tru/.*|chuyen-muc/.*))$")

# Pagefind's default weights of headings; other text weighs 1.
HEADING_WEIGHTS = {1: 7, 2: 6, 3: 5, 4: 4, 5: 3, 6: 2}

# Files of Pagefind's own UIs, which this site does not use (it has its own, in overrides/assets/htx/search/).
UNUSED_OUTPUT = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
                 "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")

_ARTICLE = re.compile(r'<article class="md-content__inner[^"]*"')
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
_DROP = re.compile(r"<(script|style|svg|nav|template|noscript)\b.*?</\1\s*>", re.S | re.I)
_HEADING = re.compile(r"<h([1-6])\b([^>]*)>(.*?)</h\1\s*>", re.S | re.I)
_WEIGHT = re.compile(r'data-pagefind-weight="([0-9.]+)"')
_IGNORED = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)\b[^>]*\sdata-pagefind-ignore[\s>=/][^>]*>")
_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"\w+")
_STATS = re.compile(r"Indexed (\d+) (pages?|words?|filters?|sorts?)")


class SearchIndexError(RuntimeError):
    """Pagefind failed or could not be found; the message says what it printed."""


# ---- pure helpers ----------------------------------------------------------------------------

def fold_d(word: str) -> str:
    """Return word with đ/Đ written d/D; tone marks stay (Pagefind folds those itself)."""
    return word.replace("đ", "d").replace("Đ", "D")


def d_words(text: str) -> list[str]:
    """Return the distinct words of text that contain đ, folded with fold_d, in order of first use."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(unicodedata.normalize("NFC", text)):
        if "đ" in word or "Đ" in word:
            seen.setdefault(fold_d(word), None)
    return list(seen)


def _text(fragment: str) -> str:
    return html.unescape(_TAG.sub(" ", fragment))


def body_start(page: str) -> int:
    """Return where the first element carrying data-pagefind-body starts in page, or -1."""
    at = page.find("data-pagefind-body")
    while at >= 0:
        tag = page.rfind("<", 0, at)
        after = page[at + len("data-pagefind-body"): at + len("data-pagefind-body") + 1]
        in_tag = tag >= 0 and page.rfind(">", 0, at) < tag and page.count('"', tag, at) % 2 == 0   # not in a value
        if in_tag and page[at - 1].isspace() and after in ("", " ", ">", "=", "/", "\n", "\t"):
            return tag
        at = page.find("data-pagefind-body", at + 1)
    return -1


def body_region(page: str) -> str:
    """Return the part of a page's HTML that Pagefind indexes: from the first data-pagefind-body element to
    the end of Material's <article> (empty when the page has no body)."""
    start = body_start(page)
    if start < 0:
        return ""
    end = page.rfind("</article>")
    return page[start: end if end > start else len(page)]


def drop_ignored(region: str) -> str:
    """Return region without the elements marked data-pagefind-ignore (and their content)."""
    out, pos = [], 0
    while match := _IGNORED.search(region, pos):
        tag = match.group(1).lower()
        depth, scan = 1, match.end()
        tags = re.compile(rf"<(/?){tag}\b[^>]*>", re.I)
        while depth and (inner := tags.search(region, scan)):
            depth += -1 if inner.group(1) else 1
            scan = inner.end()
        out.append(region[pos:match.start()])
        pos = scan if not depth else len(region)
    out.append(region[pos:])
    return " ".join(out)


def extra_text(region: str) -> dict[float, list[str]]:
    """Return the search-only words of a page's body region: its đ-words folded, grouped by weight (7 for
    the title…1 for text).

    Headings weigh as in Pagefind (their own data-pagefind-weight, else by level); ignored parts are left
    out. A word is listed once, at the highest weight it has on the page.
    """
    region = _DROP.sub(" ", drop_ignored(region))
    groups: dict[float, list[str]] = {}
    placed: set[str] = set()
    headings = []
    for level, attrs, inner in _HEADING.findall(region):
        explicit = _WEIGHT.search(attrs)
        headings.append((float(explicit.group(1)) if explicit else HEADING_WEIGHTS[int(level)], inner))
    for weight, inner in sorted(headings, key=lambda h: -h[0]):
        for word in d_words(_text(inner)):
            if word not in placed:
                groups.setdefault(weight, []).append(word)
                placed.add(word)
    rest = [w for w in d_words(_text(_HEADING.sub(" ", region))) if w not in placed]
    if rest:
        groups[1] = rest
    return dict(sorted(groups.items(), reverse=True))


def folded_title(region: str) -> str | None:
    """Return the title of a page's body region (its first <h1>, as Pagefind takes it) with đ written d, or
    None when it has no đ.

    Pagefind also matches query words against result metadata and boosts pages whose title holds them
    (ranking option metaWeights); this search-only `title_d` field gives a title with đ the same boost
    for a query typed without đ.
    """
    heading = next((inner for level, _, inner in _HEADING.findall(drop_ignored(region)) if level == "1"), None)
    if heading is None:
        return None
    title = " ".join(unicodedata.normalize("NFC", _text(heading)).split())
    return fold_d(title) if fold_d(title) != title else None


def extra_html(groups: dict[float, list[str]], title: str | None = None) -> str:
    """Return the element that carries the search-only words (and title) into the index; empty when none."""
    if not groups and not title:
        return ""
    parts = [f'<p data-pagefind-weight="{weight:g}">{html.escape(" ".join(words))}</p>' for weight, words in groups.items()]
    meta = f' data-pagefind-meta="title_d:{html.escape(title)}"' if title else ""
    return f'<div data-pagefind-body{meta}>{EXTRA_MARK} {"".join(parts)}</div>'


def with_body(page: str) -> str | None:
    """Return the page with its indexed part marked, or None when it is not to be indexed.

    Pages mark it themselves with data-pagefind-body. Material's blog posts replace the content block
    that main.html wraps, so a page with neither a body nor data-pagefind-ignore gets its <article>
    marked (in the staged copy only).
    """
    if body_start(page) >= 0:
        return page
    if "data-pagefind-ignore" in page:
        return None
    article = _ARTICLE.search(page)
    if not article:
        return None
    return page[:article.end()] + " data-pagefind-body" + page[article.end():]


_KIND = re.compile(r'\sdata-kind="([a-z0-9-]+)"')


def kind_marker(kind: str) -> str:
    """Return the search-only word every page of a kind carries ("san-pham" → "htxloaisanpham").

    Pagefind's filter-only search, search(null, {filters}), downloads the whole word index (2 MB at
    5,000 products); searching this one word with the same filters gives the same pages for one small
    chunk. overrides/assets/htx/search/search.js builds the same word."""
    return "htxloai" + re.sub(r"[^a-z0-9]", "", kind)


def staged_page(page: str) -> tuple[str, int] | None:
    """Return the HTML Pagefind should read for a page and the number of search-only words in it; None
    when the page is not indexed (see with_body).

    The staged page holds only what Pagefind reads when a page has a body: the <title> (its fallback
    title), the body region, and the search-only words; header, navigation and footer are left out,
    which makes staging and indexing faster.
    """
    marked = with_body(page)
    if marked is None:
        return None
    region = body_region(marked)
    groups = extra_text(region)
    count = sum(len(words) for words in groups.values())
    kind = _KIND.search(region[: region.find(">") + 1])        # on the body element itself (product, cooperative)
    if kind:
        groups = {**groups, 0.1: [kind_marker(kind.group(1))]}
    title = _TITLE.search(marked)
    staged = (f'<!doctype html><html lang="{LANGUAGE}"><head><meta charset="utf-8">{title.group(0) if title else ""}'
              f'</head><body>{region}</article>{extra_html(groups, folded_title(region))}</body></html>')
    return staged, count


# ---- running Pagefind ------------------------------------------------------------------------

def pagefind_binary() -> Path:
    """Return the Pagefind executable: $PAGEFIND_BINARY, else the one pip installed (extended build first)."""
    if os.environ.get("PAGEFIND_BINARY"):
        return Path(os.environ["PAGEFIND_BINARY"])
    try:
        from pagefind_bin_extended import get_executable  # type: ignore[import-not-found]

        return Path(get_executable())
    except (ImportError, FileNotFoundError):
        pass
    try:
        from pagefind_bin import get_executable as plain  # type: ignore[import-not-found]

        return Path(plain())
    except (ImportError, FileNotFoundError):
        found = shutil.which("pagefind_extended") or shutil.which("pagefind")
        if found:
            return Path(found)
    raise SearchIndexError("Không tìm thấy chương trình Pagefind: cài gói `pagefind[extended]` (pip install 'pagefind[extended]').")


def stage(site_dir: Path, target: Path, *, skip_dir: Path | None = None) -> dict[str, int]:
    """Write the pages Pagefind should index from site_dir into target (same relative paths); return counts."""
    counts = {"pages": 0, "pages_with_extra": 0, "extra_words": 0}
    for root, dirs, files in os.walk(site_dir):
        here = Path(root)
        if skip_dir is not None:
            dirs[:] = [d for d in dirs if (here / d) != skip_dir]
        dirs.sort()
        for name in sorted(files):
            if not name.endswith(".html"):
                continue
            source = here / name
            rel = source.relative_to(site_dir).as_posix()
            if SKIP.match(rel):
                continue
            extra_words = _stage_one(str(target), rel, source.read_text(encoding="utf-8"))
            if extra_words >= 0:
                counts["pages"] += 1
                counts["pages_with_extra"] += extra_words > 0
                counts["extra_words"] += extra_words
    return counts


def search_enabled() -> bool:
    """False when HTX_SEARCH=0 (quick previews, benchmarks of the build without search)."""
    return os.environ.get("HTX_SEARCH", "1").strip() != "0"


def _stage_one(target: str, rel: str, page: str) -> int:
    """Worker: write the staged copy of one page under target; return its search-only word count, or -1."""
    staged = staged_page(page)
    if staged is None:
        return -1
    out = Path(target) / rel
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(staged[0], encoding="utf-8")
    return staged[1]


class Stager:
    """Stages pages for Pagefind while MkDocs is still rendering the next ones (HtxPlugin.on_post_page).

    Staging is Python work (~8 s at province scale); done in one worker process it runs on the second core
    in parallel with MkDocs, instead of after it. `index_site(site, stager=…)` then only runs Pagefind.
    A process that is itself the second core's work (a forked page writer) stages in place: `inline()`.
    """

    def __init__(self, parent: Path | None = None) -> None:
        # parent: a folder on the site's file system, so that stored pages can be hard-linked in.
        if parent is not None:
            parent.mkdir(parents=True, exist_ok=True)
        self.dir = Path(tempfile.mkdtemp(prefix="htx-pagefind-", dir=parent))
        self.pool: ProcessPoolExecutor | None = None
        self.jobs: list[Future[int]] = []
        self.done: list[int] = []        # results of pages staged in place (here or in a forked writer)
        self.in_place = False

    def inline(self) -> None:
        """Stage in this process from now on (in a fork: the parent's pool is not this process's)."""
        self.pool, self.jobs, self.done, self.in_place = None, [], [], True

    def add(self, rel: str, page: str) -> None:
        if SKIP.match(rel) or not rel.endswith(".html"):
            return
        if self.in_place:
            self.done.append(_stage_one(str(self.dir), rel, page))
            return
        if self.pool is None:
            self.pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
        self.jobs.append(self.pool.submit(_stage_one, str(self.dir), rel, page))

    def finish(self) -> dict[str, int]:
        """Wait for the staged pages; return the same counts as stage()."""
        counts = {"pages": 0, "pages_with_extra": 0, "extra_words": 0}
        for extra in [*self.done, *(job.result() for job in self.jobs)]:
            if extra >= 0:
                counts["pages"] += 1
                counts["pages_with_extra"] += extra > 0
                counts["extra_words"] += extra
        self.close()
        return counts

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None
        self.jobs = []

    def cleanup(self) -> None:
        self.close()
        remove_in_background(self.dir)   # one file per page: ~2 s at province scale


def index_site(site_dir: Path, *, output_subdir: str = OUTPUT_SUBDIR, binary: Path | None = None,
               stager: Stager | None = None, enabled: bool | None = None) -> dict[str, int]:
    """Index the built site with Pagefind into site_dir/output_subdir; return figures of the run.

    Figures: `pages` (indexed), `words`, `filters`, `sorts` (as Pagefind reports them), `staged` (pages
    handed over), `pages_with_extra`, `extra_words` (search-only đ-words), `files` and `bytes` (the
    index as published), `ms` (time taken). Raises SearchIndexError when Pagefind fails.

    enabled=False skips the step (figures all 0, `skipped` 1): for quick previews and for benchmarks that
    build without search; None asks the environment (HTX_SEARCH=0 skips), for callers without settings.
    """
    started = time.perf_counter()
    if not (search_enabled() if enabled is None else enabled):
        if stager is not None:
            stager.cleanup()
        return {"pages": 0, "words": 0, "filters": 0, "sorts": 0, "staged": 0, "pages_with_extra": 0,
                "extra_words": 0, "files": 0, "bytes": 0, "ms": 0, "skipped": 1}
    site_dir = Path(site_dir).resolve()
    out = site_dir / output_subdir
    if out.exists():
        shutil.rmtree(out)
    exe = binary or pagefind_binary()
    own = stager is None
    stager = stager or Stager()
    try:
        staged = stage(site_dir, stager.dir, skip_dir=out) if own else stager.finish()
        if not staged["pages"]:      # nothing to search (Pagefind would stop with an error)
            return {"pages": 0, "words": 0, "filters": 0, "sorts": 0, "staged": 0, "pages_with_extra": 0,
                    "extra_words": 0, "files": 0, "bytes": 0, "ms": round((time.perf_counter() - started) * 1000)}
        command = [str(exe), "--site", str(stager.dir), "--output-path", str(out), "--force-language", LANGUAGE]
        result = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", errors="replace")
    finally:
        stager.cleanup()
    if result.returncode != 0:
        raise SearchIndexError(f"Pagefind lỗi (mã {result.returncode}):\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    for name in UNUSED_OUTPUT:
        (out / name).unlink(missing_ok=True)
    stats = parse_stats(result.stdout)
    files = [p for p in out.rglob("*") if p.is_file()]
    stats.update(staged=staged["pages"], pages_with_extra=staged["pages_with_extra"], extra_words=staged["extra_words"],
                 files=len(files), bytes=sum(p.stat().st_size for p in files),
                 ms=round((time.perf_counter() - started) * 1000))
    return stats


def parse_stats(output: str) -> dict[str, int]:
    """Return Pagefind's "Indexed N pages/words/filters/sorts" figures from its output."""
    stats = {"pages": 0, "words": 0, "filters": 0, "sorts": 0}
    for number, what in _STATS.findall(output):
        key = what if what.endswith("s") else what + "s"
        stats[key] = int(number)
    return stats
