"""Post-build: the site's search index, a static inverted index of our own read by
overrides/assets/htx/search/engine.js.

Why not Pagefind (measured, see scripts/DEVELOPERS.md "Search: an index of our own"): its fixed cost alone (JS 25 KB and
WebAssembly 66 KB) and its page list (55 KB at 6,000 pages, 250 KB at 50,000) exceed the first-query budget
before any word is looked up; it keeps every diacritic variant of a syllable in 20,000-posting chunks (one
chunk of 835 KB at national scale), peaks at 5.4 GB indexing 52,000 pages, and names its filter files
differently from one run to the next.

How the index works, from a page's HTML to a visitor's results:

1. `search_record(html)` reads what a page marks for search (as Pagefind did, by attributes our templates
   write): the element with `data-search-body`, minus elements with `data-search-ignore`; result fields
   `data-search-meta="name[attr], …"`, filters `data-search-filter="name[attr]"` or `"name:value"`, sort keys
   `data-search-sort="name[attr]"`. Its text is split into three fields: the title (<h1>), names (other
   headings, the cooperative, the commune, the OCOP rating) and the rest. Pages without a body are not indexed.
2. `build_index(records, out)` numbers the pages (products, cooperatives, then other pages; each kind in the
   catalog's own order, so the catalog's default order is the page number) and writes, all as JSON:
   - `index.json`: the page count, each kind's range, filter values with counts, and the folder of this
     build's files, `<hash>/`, so a visitor never mixes two builds' files (the hash is of their content);
   - `<hash>/w/<abc>.json`: the words starting with those three letters (folded: no tone marks, đ → d) and
     in how many pages each stands, and under `_pairs` those that begin a pair of words in a title or name.
     The browser learns from these which word files exist, how rare a word is, and which words a
     half-typed last word can become;
   - `<hash>/x/<ab>.json`: the most common words starting with those two letters, for a half-typed last
     word of two letters ("lap xu" → xuong);
   - `<hash>/p/<word>.json`: the words that follow a word in titles and names (`chau` → `doc`, `phu`…), in
     how many pages each pair stands; fetched only for a query's adjacent words;
   - `<hash>/t/<word>.json`: for one folded word, its spellings as written (`dứa`, `đưa`, `dưa`), each with
     the pages it stands in per tier (the title's first word, the title, names, text; page numbers,
     delta-coded); `t/<word>_<word>.json` for a pair. A query typed with diacritics ranks the
     pages with its exact spelling first; one without finds every spelling;
   - `<hash>/d/<n>.json`: result fields of pages 8n…8n+7 (title, URL, thumbnail, price…);
   - `<hash>/f/<filter>/<value>.json` and `<hash>/s/<sort>.json`: the catalog and directory filters.
3. The browser fetches `index.json`, the word lists of the query's first letters (and the pair lists of
   its words followed by another), then one file per query word (and per pair found), then the result fields of the pages it shows. Nothing is fetched before a
   visitor searches or opens a filtered link.

    stats = index_site(Path(config.site_dir), stager=stager)   # from HtxPlugin.on_post_build

Same input, same bytes: everything is written in a fixed order.
"""
from __future__ import annotations

import functools
import hashlib
import html
import json
import multiprocessing
import os
import posixpath
import re
import shutil
import tempfile
import time
import unicodedata
from array import array
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from ..data.text import fold   # "Đường" → "duong"; engine.js folds queries the same way
from .workers import Forked, can_fork, remove_in_background

OUTPUT_SUBDIR = "search"
ENGLISH_DIR = "en/"    # English pages, indexed apart into search/en/ (htx.site.i18n)
FORMAT = 1             # engine.js refuses an index of another format
CHUNK = 8              # pages per result-field file
KIND_ORDER = ("san-pham", "hop-tac-xa")   # numbered first, in this order; every other page is "trang"
OTHER_KIND = "trang"
TIERS = 4              # in the index: 0 a title's first word, 1 the rest of the title, 2 names, 3 text
                       # (a record's fields say 0 title, 1 names, 2 text; a title's first word is its lead:
                       # product names start with what they are, "Đường thốt nốt…", tours with "Trải nghiệm…")
PREFIX_LIST = 8        # words listed for a two-letter start ("xu" → xuong, xuat…), the most common first
CONTENT_LIMIT = 3000   # characters of a page's text kept for its excerpt (pages other than products and cooperatives)
MAX_WORD = 40
MAX_DIGITS = 4         # longer numbers (phone numbers, prices) are not words anyone searches by
SUFFIX = ".search.json"   # a page's record as stored and staged

# Pages that only repeat other pages (the home page, blog listings) are not worth a search result of their own.
SKIP = re.compile(r"^(index\.html|404\.html|tin-tuc/(index\.html|trang/.*|luu-tru/.*|chuyen-muc/.*))$")

# Result fields that name the page in words: searched as names (tier 1). Others are shown, not searched.
NAME_FIELDS = ("coop", "commune", "kindlabel", "sectors")
TEXT_FIELDS = ("summary",)

_ARTICLE = re.compile(r'<article class="md-content__inner[^"]*"')
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
_DROP = re.compile(r"<(script|style|svg|nav|template|noscript)\b.*?</\1\s*>", re.S | re.I)
_HEADING = re.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1\s*>", re.S | re.I)
_IGNORED = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)\b[^>]*\sdata-search-ignore[\s>=/][^>]*>")
_START_TAG = re.compile(r"<[a-zA-Z][^>]*>")
_ATTR = re.compile(r'([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*"([^"]*)")?')
_FILTER_TAG = re.compile(r'<[^>]*\sdata-search-filter="([^"]*)"[^>]*>')
_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"[^\W_]+")
_TERM = re.compile(r"[a-z0-9]+")
_SAFE = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
_SPEC = re.compile(r"\s*([a-z0-9_-]+)\s*(?:\[([a-z0-9-]+)\]|:(.*))\s*$")


class SearchIndexError(RuntimeError):
    """A staged record could not be read; the message names it."""


# ---- words ----------------------------------------------------------------------------------

def words(text: str) -> list[str]:
    """Return the words of text as written, lower case NFC (the spellings the index keeps)."""
    return _WORD.findall(unicodedata.normalize("NFC", text).lower())


@functools.lru_cache(maxsize=200_000)   # words repeat: a syllable is folded once per build
def term(word: str) -> str | None:
    """Return the folded form under which word is indexed, or None when it is not indexed."""
    folded = fold(word)
    if not _TERM.fullmatch(folded) or len(folded) > MAX_WORD or (folded.isdigit() and len(folded) > MAX_DIGITS):
        return None
    return folded


def shard(key: str) -> str:
    """The word list a folded word (or name pair "a_b") is listed in: its first three characters."""
    return key[:3]


# ---- reading a page --------------------------------------------------------------------------

def _text(fragment: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", fragment)).split())


def body_start(page: str) -> int:
    """Return where the first element carrying data-search-body starts in page, or -1."""
    at = page.find("data-search-body")
    while at >= 0:
        tag = page.rfind("<", 0, at)
        after = page[at + len("data-search-body"): at + len("data-search-body") + 1]
        in_tag = tag >= 0 and page.rfind(">", 0, at) < tag and page.count('"', tag, at) % 2 == 0   # not in a value
        if in_tag and page[at - 1].isspace() and after in ("", " ", ">", "=", "/", "\n", "\t"):
            return tag
        at = page.find("data-search-body", at + 1)
    return -1


def body_region(page: str) -> str:
    """Return the part of a page's HTML that is indexed: from the first data-search-body element to the end
    of Material's <article> (empty when the page has no body)."""
    start = body_start(page)
    if start < 0:
        return ""
    end = page.rfind("</article>")
    return page[start: end if end > start else len(page)]


def drop_ignored(region: str) -> str:
    """Return region without the elements marked data-search-ignore (and their content)."""
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


def with_body(page: str) -> str | None:
    """Return the page with its indexed part marked, or None when it is not to be indexed.

    Pages mark it themselves with data-search-body. Material's blog posts replace the content block that
    main.html wraps, so a page with neither a body nor data-search-ignore has its <article> indexed.
    """
    if body_start(page) >= 0:
        return page
    if "data-search-ignore" in page:
        return None
    article = _ARTICLE.search(page)
    if not article:
        return None
    return page[:article.end()] + " data-search-body" + page[article.end():]


def attributes(tag: str) -> dict[str, str]:
    """Return the attributes of a start tag, values unescaped."""
    inner = tag[1:-1].split(None, 1)
    return {name: html.unescape(value or "") for name, value in _ATTR.findall(inner[1] if len(inner) > 1 else "")}


def read_spec(spec: str, attrs: dict[str, str]) -> Iterator[tuple[str, str]]:
    """Yield (name, value) pairs of a data-search-meta/filter/sort value: "name[attr]" reads an attribute of
    the same element (skipped when absent), "name:value" is literal."""
    for part in spec.split(","):
        match = _SPEC.match(part)
        if not match:
            continue
        name, attr, literal = match.groups()
        if attr is not None:
            if attr in attrs:
                yield name, attrs[attr]
        else:
            yield name, html.unescape(literal.strip())


def search_record(page: str) -> dict | None:
    """Return what the index keeps of a page, or None when the page is not indexed (see with_body).

    {"kind", "rank", "title", "meta": {field: text}, "filters": {name: [values]}, "sorts": {name: key},
     "fields": [[tier, text], …], "content": text (other pages only)}
    """
    marked = with_body(page)
    if marked is None:
        return None
    region = body_region(marked)
    body_tag = _START_TAG.match(region)
    attrs = attributes(body_tag.group(0)) if body_tag else {}
    meta = dict(read_spec(attrs.get("data-search-meta", ""), attrs))
    filters: dict[str, list[str]] = {}
    for spec in [attrs.get("data-search-filter", "")] + _FILTER_TAG.findall(drop_ignored(region[body_tag.end() if body_tag else 0:])):
        for name, value in read_spec(html.unescape(spec), attrs):
            if value and value not in filters.setdefault(name, []):
                filters[name].append(value)
    sorts = dict(read_spec(attrs.get("data-search-sort", ""), attrs))
    kind = attrs.get("data-kind") if attrs.get("data-kind") in KIND_ORDER else OTHER_KIND

    text = _DROP.sub(" ", drop_ignored(region))
    fields: list[list] = []
    title = ""
    for level, inner in _HEADING.findall(text):
        heading = _text(inner)
        if not heading:
            continue
        if level == "1" and not title:
            title = heading
        fields.append([0 if level == "1" else 1, heading])
    if not title:
        found = _TITLE.search(marked)
        title = _text(found.group(1)).split(" - ")[0] if found else ""
        if title:
            fields.append([0, title])
    for name in NAME_FIELDS:
        if meta.get(name):
            fields.append([1, meta[name].replace("|", " · ")])
    stars = meta.get("ocop", "0")
    if stars in ("3", "4", "5"):
        fields.append([1, f"OCOP {stars} sao"])
    for name in TEXT_FIELDS:
        if meta.get(name):
            fields.append([2, meta[name]])
    # English pages: what a product is in English (htx.site.i18n.search_keywords) ranks as a name, its category as
    # text; neither is shown, so neither goes into the result fields.
    for name, tier in (("keywords", 1), ("topic", 2)):
        if meta.get(name):
            fields.append([tier, meta.pop(name)])
    body = _text(_HEADING.sub(" ", text))
    if body:
        fields.append([2, body])
    meta.pop("kind", None)
    record = {"kind": kind, "rank": sorts.get("thu-tu", ""), "title": title, "meta": meta, "filters": filters,
              "sorts": {k: v for k, v in sorts.items() if k != "thu-tu"}, "fields": fields}
    if kind == OTHER_KIND:
        record["content"] = _text(text)[:CONTENT_LIMIT]
    return record


def staged_record(page: str) -> str | None:
    """Return a page's record as the JSON text that is staged and stored, or None when it is not indexed."""
    record = search_record(page)
    return None if record is None else json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


# ---- staging ---------------------------------------------------------------------------------

def search_enabled() -> bool:
    """False when HTX_SEARCH=0 (quick previews, benchmarks of the build without search)."""
    return os.environ.get("HTX_SEARCH", "1").strip() != "0"


def _stage_one(target: str, rel: str, page: str) -> int:
    """Worker: write the record of one page under target (rel + SUFFIX); return 1, or 0 when not indexed."""
    staged = staged_record(page)
    if staged is None:
        return 0
    out = Path(target) / (rel + SUFFIX)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(staged, encoding="utf-8")
    return 1


def stage(site_dir: Path, target: Path, *, skip_dir: Path | None = None) -> int:
    """Write the records of the pages of site_dir into target; return how many pages are indexed."""
    count = 0
    for root, dirs, files in os.walk(site_dir):
        here = Path(root)
        if skip_dir is not None:
            dirs[:] = [d for d in dirs if (here / d) != skip_dir]
        for name in files:
            rel = (here / name).relative_to(site_dir).as_posix()
            if name.endswith(".html") and not SKIP.match(rel):
                count += _stage_one(str(target), rel, (here / name).read_text(encoding="utf-8"))
    return count


class Stager:
    """Stages pages' records while MkDocs is still rendering the next ones (HtxPlugin.on_post_page).

    Reading pages is Python work; done in one worker process it runs on the second core in parallel with
    MkDocs, instead of after it. Generated pages' records are made by the page writers and stored with the
    pages; the plugin links them in and counts them in `done`.
    """

    def __init__(self, parent: Path | None = None) -> None:
        # parent: a folder on the site's file system, so that stored records can be hard-linked in.
        if parent is not None:
            parent.mkdir(parents=True, exist_ok=True)
        self.dir = Path(tempfile.mkdtemp(prefix="htx-search-", dir=parent))
        self.pool: ProcessPoolExecutor | None = None
        self.jobs: list[Future[int]] = []
        self.done: list[int] = []        # records put in place by the caller (1 each)

    def add(self, rel: str, page: str) -> None:
        if SKIP.match(rel) or not rel.endswith(".html"):
            return
        if self.pool is None:
            self.pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
        self.jobs.append(self.pool.submit(_stage_one, str(self.dir), rel, page))

    def finish(self) -> int:
        """Wait for the staged pages; return how many are indexed."""
        count = sum(self.done) + sum(job.result() for job in self.jobs)
        self.close()
        return count

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None
        self.jobs = []

    def cleanup(self) -> None:
        self.close()
        remove_in_background(self.dir)


def staged_records(stage_dir: Path) -> list[tuple[str, Path]]:
    """Return (page path in the site, record file) for every record under stage_dir, in path order."""
    found = []
    for root, _dirs, files in os.walk(stage_dir):
        for name in files:
            if name.endswith(SUFFIX):
                path = Path(root) / name
                found.append((path.relative_to(stage_dir).as_posix()[: -len(SUFFIX)], path))
    return sorted(found)


# ---- writing the index -----------------------------------------------------------------------

def page_url(rel: str) -> str:
    """The URL of a page from the site root, as MkDocs makes it ("a/b/index.html" → "a/b/")."""
    return rel[: -len("index.html")] if rel.endswith("index.html") else rel


def _deltas(ids: Iterable[int]) -> list[int]:
    out, last = [], 0
    for n in ids:
        out.append(n - last)
        last = n
    return out


class _Writer:
    """Writes the index's files under one folder and hashes them in order, for the folder's name."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.digest, self.files, self.bytes = folder, hashlib.sha256(), 0, 0

    def write(self, rel: str, value: object) -> None:
        data = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
        path = self.folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.digest.update(rel.encode() + b"\0" + data + b"\1")
        self.files += 1
        self.bytes += len(data)


def _thumb(rel: str, image: str) -> str:
    """A result thumbnail's path from the site root (pages give it relative to themselves)."""
    if not image or "://" in image or image.startswith(("/", "data:")):
        return image
    return posixpath.normpath(posixpath.join(posixpath.dirname(rel), image))


def build_index(staged: list[tuple[str, Path]], out: Path) -> dict[str, int]:
    """Write the index of the staged records into out (replaced); return its figures.

    Records are read twice, once to number the pages in the catalog's order and once to index them, rather
    than all held at once (52,000 at national scale)."""
    order = []
    for rel, path in staged:
        record = _load(path)
        kind = record["kind"]
        rank = KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)
        order.append((rank, record.get("rank", ""), rel, path))
    order.sort()

    if out.exists():
        shutil.rmtree(out)
    tmp = out / "tmp"
    writer = _Writer(tmp)
    postings: dict[str, dict[str, list[array]]] = {}     # folded word → spelling → tier → page numbers
    filters: dict[str, dict[str, array]] = {}
    sorts: dict[str, dict[str, array]] = {}
    kinds: dict[str, list[int]] = {}
    chunk: list = []
    for doc, (_rank, _r, rel, path) in enumerate(order):
        record = _load(path)
        kinds.setdefault(record["kind"], [doc, 0])[1] += 1
        best: dict[tuple[str, str], int] = {}     # (folded word or pair, spelling) → its best tier on this page
        for field, text in record["fields"]:
            tier = field + 1
            spelled = words(text)
            folded = [term(w) for w in spelled]
            for n, (word, key) in enumerate(zip(spelled, folded)):
                at = 0 if field == 0 and n == 0 else tier
                if key is not None and best.get((key, word), TIERS) > at:
                    best[key, word] = at
            if field < 2:     # titles and names: pairs of adjacent words, so "chau doc" ranks Châu Đốc first
                for a, b in zip(folded, folded[1:]):
                    pair = f"{a}_{b}"   # a pair is its own (only) spelling
                    if a and b and best.get((pair, pair), TIERS) > tier:
                        best[pair, pair] = tier
        for (key, spelling), tier in best.items():
            tiers = postings.setdefault(key, {}).setdefault(spelling, [])
            if not tiers:
                tiers.extend(array("I") for _ in range(TIERS))
            tiers[tier].append(doc)
        for name, values in record["filters"].items():
            for value in values:
                if _SAFE.fullmatch(value):
                    filters.setdefault(name, {}).setdefault(value, array("I")).append(doc)
        for name, value in record["sorts"].items():
            sorts.setdefault(name, {}).setdefault(value, array("I")).append(doc)
        meta = dict(record["meta"])
        for name in ("image", "card"):
            if meta.get(name):
                meta[name] = _thumb(rel, meta[name])
        entry = [page_url(rel), record["title"], meta]
        if "content" in record:
            entry.append(record["content"])
        chunk.append(entry)
        if len(chunk) == CHUNK:
            writer.write(f"d/{doc // CHUNK}.json", chunk)
            chunk = []
    if chunk:
        writer.write(f"d/{(len(order) - 1) // CHUNK}.json", chunk)

    lists: dict[str, dict] = {}                 # word list name → {word: pages, "_pairs": [words with pairs]}
    pairs: dict[str, dict[str, int]] = {}       # first word → {second word: pages}
    for key in sorted(postings):
        spellings = postings[key]
        docs: set[int] = set()
        for tiers in spellings.values():
            for ids in tiers:
                docs.update(ids)
        if "_" in key:
            first, second = key.split("_")
            pairs.setdefault(first, {})[second] = len(docs)
        else:
            lists.setdefault(shard(key), {})[key] = len(docs)
        writer.write(f"t/{key}.json", {s: [_deltas(ids) for ids in tiers] for s, tiers in sorted(spellings.items())})
    for first, seconds in pairs.items():
        writer.write(f"p/{first}.json", seconds)
        lists.setdefault(shard(first), {}).setdefault("_pairs", []).append(first)
    starts: dict[str, list[tuple[int, str]]] = {}
    for name, words_ in lists.items():
        writer.write(f"w/{name}.json", words_)
        starts.setdefault(name[:2], []).extend((-n, w) for w, n in words_.items() if w != "_pairs" and len(w) > 2)
    for start, found in sorted(starts.items()):   # one per two-letter start of any word list (engine.js relies on it)
        writer.write(f"x/{start}.json", {w: -n for n, w in sorted(found)[:PREFIX_LIST]})
    filter_counts = {}
    for name, values in sorted(filters.items()):
        filter_counts[name] = {value: len(ids) for value, ids in sorted(values.items())}
        for value, ids in sorted(values.items()):
            writer.write(f"f/{name}/{value}.json", _deltas(ids))
    for name, values in sorted(sorts.items()):
        writer.write(f"s/{name}.json", [[value, _deltas(ids)] for value, ids in sorted(values.items())])

    version = writer.digest.hexdigest()[:12]
    tmp.rename(out / version)
    manifest = {"format": FORMAT, "version": version, "pages": len(order), "chunk": CHUNK, "shards": sorted(lists),
                "kinds": kinds, "filters": filter_counts, "sorts": sorted(sorts)}
    data = json.dumps(manifest, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    (out / "index.json").write_bytes(data)
    return {"pages": len(order), "words": sum(1 for k in postings if "_" not in k),
            "pairs": sum(1 for k in postings if "_" in k), "filters": sum(len(v) for v in filters.values()),
            "sorts": len(sorts), "files": writer.files + 1, "bytes": writer.bytes + len(data)}


def _load(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SearchIndexError(f"Không đọc được bản ghi tìm kiếm {path}: {exc}") from None


def index_site(site_dir: Path, *, output_subdir: str = OUTPUT_SUBDIR, stager: Stager | None = None,
               enabled: bool | None = None) -> dict[str, int]:
    """Index the built site into site_dir/output_subdir; return figures of the run.

    Figures: `pages` (indexed), `words` (distinct folded words), `pairs` (name pairs), `filters` (values),
    `sorts`, `staged` (pages read), `files` and `bytes` (the index as published), `ms` (time taken).

    enabled=False skips the step (figures all 0, `skipped` 1): for quick previews and for benchmarks that
    build without search; None asks the environment (HTX_SEARCH=0 skips), for callers without settings.
    """
    started = time.perf_counter()
    empty = {"pages": 0, "words": 0, "pairs": 0, "filters": 0, "sorts": 0, "staged": 0, "files": 0, "bytes": 0}
    if not (search_enabled() if enabled is None else enabled):
        if stager is not None:
            stager.cleanup()
        return {**empty, "ms": 0, "skipped": 1}
    site_dir = Path(site_dir).resolve()
    out = site_dir / output_subdir
    if out.exists():
        shutil.rmtree(out)
    own = stager is None
    stager = stager or Stager()
    try:
        staged = stage(site_dir, stager.dir, skip_dir=out) if own else stager.finish()
        records = staged_records(stager.dir)
        if not records:      # nothing to search: no index
            return {**empty, "ms": round((time.perf_counter() - started) * 1000)}
        # One index per language: English pages (under en/) are searched from English pages, in search/en/.
        # The English one is made in a forked copy while this process makes the Vietnamese one, in a folder of
        # its own until both are done (build_index replaces its whole folder).
        english = [r for r in records if r[0].startswith(ENGLISH_DIR)]
        english_out = out.with_name(out.name + ".en")
        if english_out.exists():
            shutil.rmtree(english_out)
        task = functools.partial(build_index, english, english_out)
        fork = Forked(task) if english and can_fork() else None
        try:
            stats = build_index([r for r in records if not r[0].startswith(ENGLISH_DIR)], out)
        except BaseException:
            if fork is not None:
                fork.cancel()
            raise
        if english:
            more = fork.result() if fork is not None else task()
            english_out.rename(out / ENGLISH_DIR.rstrip("/"))
            stats = {key: stats.get(key, 0) + more.get(key, 0) for key in stats}
            stats["english_pages"] = more.get("pages", 0)
    finally:
        stager.cleanup()
    stats.update(staged=staged, ms=round((time.perf_counter() - started) * 1000))
    return stats
