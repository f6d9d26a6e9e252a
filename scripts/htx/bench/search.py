#!/usr/bin/env python3
"""Measure the site's search (htx.publish.search's index read by assets/htx/search/engine.js) on a synthetic
province (htx.bench.synthetic), against the budgets of issue 23.

    python -m htx.bench.search                                   # 1,000 cooperatives, 5,000 products (≈20 min)
    python -m htx.bench.search --coops 60 --products 300         # a quick look
    python -m htx.bench.search --work /tmp/s --keep              # keep the project (a rerun reuses it)
    python -m htx.bench.search --work /tmp/s --bytes-only        # first-query bytes again on that site

The choice of engine (Material's lunr, Pagefind 1.5.2, this index) was made by measurement with an earlier
version of this script on 2026-11-28 and again for issue 23; both comparisons are in scripts/DEVELOPERS.md.

It builds one site (`mkdocs build`, search on, one photo per product by default so that results show
thumbnails; an untimed first build fills the photo, share-card and QR caches, then the timed build starts
without kept pages, profiles or index, as htx bench's cold build), serves it on 127.0.0.1 with gzip (level
6, like a static host) and drives the system Chromium at phone size (412×915):

- build: wall and CPU seconds of the build, the search step as the plugin logs it ("chỉ mục tìm kiếm N
  trang, K KB (x s)": what is left after staging ran in a worker beside MkDocs) and its share of the rest
  of the build; `index_site` alone on the built site (staging included: the whole cost of search), its
  peak memory; the index's files and bytes;
- first query: for each of TYPICAL_QUERIES, a new visitor on an explainer page taps the search button and
  enters the query: at once (one search), then typed at 150 and 300 ms a key (search.js searches after a
  180 ms pause, so a slow typist's prefixes are searched too); everything the server sends from the tap
  until the results and their thumbnails settle, gzip as served (+ about 200 bytes of headers a response),
  split into engine code (engine.js), index files (index.json, word lists, postings), result fields (d/),
  thumbnails (those the browser loads: in view) and other (Material's bundle, which the site loads on a
  first interaction);
- results visible: last keystroke → last change of the result list with the CPU throttled 4× (CDP
  Emulation.setCPUThrottlingRate), TIMED_QUERY typed three times in new contexts;
- catalog: bytes of the first load of san-pham/ (until the network is idle after a first scroll, which
  starts the scripts the site defers) and of filtered views (12 cards);
- quality: QUALITY (≥ 40 queries in the forms visitors type: diacritics, none, NFD, upper case, d for đ,
  word starts; product types and places of the synthetic province, which are An Giang's; the relevance cases
  of issue 23), each with the products it names: whether the first result is one (top 1) and whether one
  is among the first three (top 3). The products are read from the index's own result fields.

Prints Markdown tables. Work files go to --work (default: a temporary folder, removed unless --keep).
Needs the project's venv (mkdocs, the htx package, playwright) and Chromium at /usr/bin/chromium.
"""
from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .run import TYPICAL_QUERIES

REPO = Path(__file__).resolve().parents[3]   # the repository (this file: scripts/htx/bench/)

CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt")
START_PAGE = "hop-tac-xa-kieu-moi/"     # a hand-written explainer page: where a visitor starts searching
PHONE = {"viewport": {"width": 412, "height": 915}, "is_mobile": True, "has_touch": True, "locale": "vi-VN"}
HEADER = 200                            # bytes of response headers counted per request

# What a visitor types in the header search is TYPICAL_QUERIES (htx.bench.run, which counts the same ones
# without a browser); the budgets are on the median and the largest of these. This one is timed:
TIMED_QUERY = "duong thot not"
# How the query is typed: 0 = entered at once (one search: the fetch plan of the query itself), then ms a
# key. search.js searches after a 180 ms pause: at 150 ms a key mostly the whole query only (more when the
# machine lags); at 300 ms, a slow thumb's pace, every prefix typed is searched too.
PACES = (0, 150, 300)
PACE = 150                # for the timing

NFD = functools.partial(unicodedata.normalize, "NFD")


@dataclass(frozen=True)
class Query:
    """A query as typed, the form it is typed in, and the products it names: a product is right when its name
    starts with one of `names` (any product when empty), it comes from `place` (in its name or commune),
    and it has `stars` OCOP stars, each when given."""

    form: str
    text: str
    names: tuple[str, ...] = ()
    place: str = ""
    stars: int = 0


def q(form: str, text: str, *names: str, place: str = "", stars: int = 0) -> Query:
    return Query(form, text, names, place, stars)


KHO = ("Khô cá lóc", "Khô cá sặc", "Khô cá tra phồng", "Khô cá dứa", "Khô mực", "Khô cá đuối", "Khô cá bống", "Khô bò")
MAM = ("Mắm cá linh", "Mắm cá sặc", "Mắm cá lóc", "Mắm thái", "Mắm ruốc", "Mắm cá chốt", "Nước mắm cá cơm", "Nước mắm nhĩ")
LAP_XUONG = ("Lạp xưởng tươi", "Lạp xưởng tôm", "Lạp xưởng mai quế lộ")
QUALITY = [
    # the forms of one query
    q("không dấu", "duong thot not", "Đường thốt nốt"),
    q("có dấu", "Đường thốt nốt", "Đường thốt nốt"),
    q("NFD", NFD("Đường thốt nốt"), "Đường thốt nốt"),
    q("chữ hoa", "ĐƯỜNG THỐT NỐT", "Đường thốt nốt"),
    q("d thay đ", "dường thốt nốt", "Đường thốt nốt"),
    q("đầu từ", "duong tho", "Đường thốt nốt"),
    q("không dấu", "gao st25", "Gạo ST25"),
    q("chữ hoa", "GẠO ST25", "Gạo ST25"),
    q("NFD", NFD("gạo st25"), "Gạo ST25"),
    q("không dấu", "mam ca linh", "Mắm cá linh"),
    q("chữ hoa", "MẮM CÁ LINH", "Mắm cá linh"),
    q("có dấu", "Khô cá lóc", "Khô cá lóc"),
    q("không dấu", "kho ca loc", "Khô cá lóc"),
    q("không dấu", "lua tan chau", "Lụa Tân Châu"),
    q("có dấu", "lụa Tân Châu", "Lụa Tân Châu"),
    # the relevance cases of issue 23
    q("có dấu", "dứa", "Khô cá dứa"),
    q("NFD", NFD("dứa"), "Khô cá dứa"),
    q("có dấu", "thổ cẩm", "Khăn choàng thổ cẩm", "Xà rông thổ cẩm"),
    q("không dấu", "chau doc", place="Châu Đốc"),
    q("có dấu", "Châu Đốc", place="Châu Đốc"),
    q("không dấu", "ocop 5 sao", stars=5),
    q("có dấu", "khô", *KHO),
    # product types (synthetic.PRODUCTS, after ../shared/domain's An Giang products)
    q("không dấu", "mam", *MAM),
    q("không dấu", "nuoc mam", "Nước mắm cá cơm", "Nước mắm nhĩ"),
    q("có dấu", "nước mắm nhĩ", "Nước mắm nhĩ"),
    q("không dấu", "mat ong", "Mật ong rừng tràm"),
    q("có dấu", "mật ong rừng tràm", "Mật ong rừng tràm"),
    q("không dấu", "xoai cat hoa loc", "Xoài cát Hòa Lộc"),
    q("có dấu", "Xoài keo", "Xoài keo"),
    q("không dấu", "khom tac cau", "Khóm Tắc Cậu"),
    q("đầu từ", "sau ri", "Sầu riêng Ri6"),
    q("không dấu", "buoi da xanh", "Bưởi da xanh"),
    q("không dấu", "banh pia", "Bánh pía"),
    q("có dấu", "bánh phồng nếp", "Bánh phồng nếp"),
    q("không dấu", "lap xuong", *LAP_XUONG),
    q("đầu từ", "lap xu", *LAP_XUONG),
    q("không dấu", "nem chua", "Nem chua"),
    q("không dấu", "cha bong ca loc", "Chà bông cá lóc"),
    q("không dấu", "tra sen", "Trà sen", "Trà lá sen"),
    q("có dấu", "rượu nếp", "Rượu nếp"),
    q("không dấu", "nuoc thot not", "Nước thốt nốt"),
    q("d thay đ", "dậu phộng rang", "Đậu phộng rang"),
    q("không dấu", "tinh dau tram", "Tinh dầu tràm"),
    q("có dấu", "nấm linh chi", "Nấm linh chi"),
    q("không dấu", "gio luc binh", "Giỏ lục bình"),
    q("có dấu", "khăn rằn", "Khăn rằn"),
    q("không dấu", "non la", "Nón lá"),
    q("có dấu", "mai vàng", "Mai vàng"),
    q("không dấu", "tour rung tram", "Tour rừng tràm"),
    q("có dấu", "khô cá tra phồng", "Khô cá tra phồng"),
    q("không dấu", "tom kho", "Tôm khô"),
    q("không dấu", "ba khia muoi", "Ba khía muối"),
    # a product type and a place
    q("không dấu", "mam chau doc", *MAM, place="Châu Đốc"),
    q("có dấu", "đường thốt nốt tri tôn", "Đường thốt nốt", place="Tri Tôn"),
    q("không dấu", "gao thoai son", "Gạo", place="Thoại Sơn"),
    q("không dấu", "tri ton", place="Tri Tôn"),
    q("không dấu", "phu quoc", place="Phú Quốc"),
]


# ---- serving ----------------------------------------------------------------------------------

class Counter:
    """Bytes sent by the server, per request path (thread-safe)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.log: list[tuple[str, int]] = []

    def add(self, path: str, size: int) -> None:
        with self.lock:
            self.log.append((path, size))

    def take(self) -> list[tuple[str, int]]:
        with self.lock:
            log, self.log = self.log, []
        return log


class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip for text (like a static host), counting the bytes of every response."""

    counter: Counter
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".webp": "image/webp",
                      ".js": "text/javascript", ".json": "application/json"}

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def send_head(self):  # noqa: ANN201
        path = self.translate_path(self.path)
        if os.path.isdir(path) and self.path.split("?")[0].endswith("/"):
            path = os.path.join(path, "index.html")
        if not (path.endswith(COMPRESSIBLE) and os.path.isfile(path) and "gzip" in self.headers.get("Accept-Encoding", "")):
            head = super().send_head()
            if head is not None and os.path.isfile(path):
                self.counter.add(unquote(urlsplit(self.path).path), os.path.getsize(path) + HEADER)
            return head
        with open(path, "rb") as fh:
            data = gzip.compress(fh.read(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.counter.add(unquote(urlsplit(self.path).path), len(data) + HEADER)
        return io.BytesIO(data)


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str, Counter]:
    counter = Counter()
    handler = type("CountingHandler", (Handler,), {"counter": counter})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    server.handle_error = lambda request, address: None        # a closed page drops its open requests: fine
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/", counter


PARTS = ("engine", "index", "fields", "thumbs", "other")


def part(path: str) -> str:
    """Which part of a first query a request is: engine code, index files, result fields, thumbnails, other."""
    if path.startswith("/assets/htx/search/"):
        return "engine"
    if path.startswith("/search/"):
        return "fields" if re.search(r"^/search/[^/]+/d/", path) else "index"
    if path.lower().endswith((".webp", ".jpg", ".jpeg", ".png", ".avif")):
        return "thumbs"
    return "other"


def split(log: list[tuple[str, int]]) -> dict[str, int]:
    out = dict.fromkeys(PARTS, 0)
    for path, size in log:
        out[part(path)] += size
    out["total"] = sum(size for _, size in log)
    out["requests"] = len(log)
    return out


# ---- the project and its builds ---------------------------------------------------------------

@dataclass
class Build:
    seconds: float           # wall seconds of the timed build (search included)
    cpu: float               # user + sys seconds of it and its children
    rss_mb: float
    search_logged: float     # the search step as the plugin logs it (after staging beside MkDocs)
    alone_seconds: float     # index_site on the built site, alone (staging included)
    alone_cpu: float
    alone_rss_mb: float
    pages: int               # HTML pages
    indexed: int             # pages in the index
    index_files: int
    index_bytes: int
    index_gzip: int          # every index file gzipped: what a visitor would download for all of it
    largest: dict[str, tuple[str, int]]   # per folder of the index (w, t, d, f, s): its largest file gzipped


def make_project(work: Path, coops: int, products: int, photos: int, seed: int) -> Path:
    """Write (or reuse, when made with the same numbers) the project: the repository's config, content and
    theme with a synthetic catalog (htx.bench.run.make_project: photos cut fast from a few base pictures)."""
    from .run import make_project as write_project

    project = work / "project"
    stamp = work / "stamp.json"
    wanted = {"coops": coops, "products": products, "photos": photos, "seed": seed}
    if stamp.exists() and json.loads(stamp.read_text()) == wanted and project.is_dir():
        print(f"reusing {project}", flush=True)
        for name in ("content", "overrides"):      # the repository's current pages and theme
            shutil.rmtree(project / name)
            shutil.copytree(REPO / name, project / name)
        shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
        return project
    stamp.unlink(missing_ok=True)
    started = time.perf_counter()
    write_project(project, REPO, coops, products, photos, seed)
    stamp.write_text(json.dumps(wanted))
    print(f"synthetic catalog: {time.perf_counter() - started:.1f} s", flush=True)
    return project


INDEX_ALONE = ("import json, sys; from pathlib import Path; from htx.publish.search import index_site; "
               "print(json.dumps(index_site(Path(sys.argv[1]))))")


def build(project: Path) -> Build:
    """An untimed build to fill the caches, then a timed one without kept pages, profiles or search index,
    then index_site alone on the result."""
    from .run import _env, measure, mkdocs_build

    def checked(run, what: str):  # noqa: ANN001, ANN202
        if not run.ok:
            raise SystemExit(f"{what} failed:\n{run.log[-3000:]}")
        return run

    print("first build (fills the photo, share-card and QR caches; untimed)…", flush=True)
    first = checked(mkdocs_build(project), "first build")
    print(f"  {first.seconds:.0f} s", flush=True)
    site = project / "site"
    shutil.rmtree(site, ignore_errors=True)
    for kept in ("pages", "search", "profiles", "opendata"):
        shutil.rmtree(project / ".cache" / "htx" / kept, ignore_errors=True)
    print("timed build…", flush=True)
    timed = checked(mkdocs_build(project), "timed build")
    logged = re.findall(r"htx: chỉ mục tìm kiếm (\d+) trang.*?\((\d+(?:\.\d+)?) s\)", timed.log)
    indexed, search_s = (int(logged[-1][0]), float(logged[-1][1])) if logged else (0, float("nan"))
    print(f"  {timed.seconds:.0f} s (CPU {timed.cpu:.0f} s), search step {search_s:.1f} s", flush=True)
    backup = project / "search-built"
    shutil.rmtree(backup, ignore_errors=True)
    shutil.copytree(site / "search", backup)
    alone = checked(measure([sys.executable, "-c", INDEX_ALONE, str(site)], project, _env(project)), "index_site")
    shutil.rmtree(site / "search")
    backup.rename(site / "search")            # the build's own index is the one measured (the same bytes)
    files = [p for p in (site / "search").rglob("*") if p.is_file()]
    largest: dict[str, tuple[str, int]] = {}
    total_gzip = 0
    for path in files:
        size = len(gzip.compress(path.read_bytes(), 6))
        total_gzip += size
        rel = path.relative_to(site / "search").parts
        folder = rel[1] if len(rel) > 2 else rel[0]
        if size > largest.get(folder, ("", -1))[1]:
            largest[folder] = ("/".join(rel[1:]) if len(rel) > 2 else rel[0], size)
    pages = sum(1 for _ in site.rglob("*.html"))
    return Build(timed.seconds, timed.cpu, timed.rss_mb, search_s, alone.seconds, alone.cpu, alone.rss_mb, pages,
                 indexed, len(files), sum(p.stat().st_size for p in files), total_gzip, largest)


# ---- relevance --------------------------------------------------------------------------------

class Products:
    """The products of the built site as its search index lists them: path → (name, commune, OCOP stars)."""

    def __init__(self, site: Path) -> None:
        manifest = json.loads((site / "search" / "index.json").read_text(encoding="utf-8"))
        folder = site / "search" / manifest["version"] / "d"
        first, count = manifest["kinds"].get("san-pham", [0, 0])
        self.items: dict[str, tuple[str, str, int]] = {}
        self.titles: dict[str, str] = {}
        for chunk_file in sorted(folder.glob("*.json"), key=lambda p: int(p.stem)):
            for n, (url, title, meta, *_rest) in enumerate(json.loads(chunk_file.read_text(encoding="utf-8"))):
                doc = int(chunk_file.stem) * manifest["chunk"] + n
                self.titles["/" + url] = title
                if first <= doc < first + count:
                    stars = int(meta.get("ocop") or 0)
                    self.items["/" + url] = (title, meta.get("commune", ""), stars)

    @staticmethod
    def _folded(text: str) -> str:
        from htx.publish.search import fold

        return " " + " ".join(re.findall(r"[a-z0-9]+", fold(text))) + " "

    def right(self, query: Query, path: str) -> bool:
        item = self.items.get(path)
        if item is None:
            return False
        title, commune, stars = item
        if query.names and not any(title == n or title.startswith(n + " ") for n in query.names):
            return False
        if query.place and self._folded(query.place) not in self._folded(f"{title} {commune}"):
            return False
        return not query.stars or stars == query.stars

    def count(self, query: Query) -> int:
        return sum(self.right(query, p) for p in self.items)


# ---- browser ----------------------------------------------------------------------------------

LIST = "#htx-search-list"
WAIT_QUERY = "q => (document.querySelector('#htx-search-list').getAttribute('data-query') || '') === q"
OBSERVE = """() => {
  window.__bench = { key: 0, mut: 0 };
  document.addEventListener('keydown', () => { window.__bench.key = performance.now(); }, true);
  new MutationObserver(() => { window.__bench.mut = performance.now(); })
    .observe(document.querySelector('.md-search-result'), { childList: true, subtree: true, characterData: true });
}"""


def shown(query: str) -> str:
    """The query as the result list names it (data-query: NFC, trimmed)."""
    return unicodedata.normalize("NFC", query).strip()


def settle(page, quiet_ms: int = 1500, timeout_s: float = 60) -> float:
    """Wait until the results stopped changing for quiet_ms after the last key; return last key → last change (ms)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        b = page.evaluate("() => ({ key: window.__bench.key, mut: window.__bench.mut, now: performance.now() })")
        if b["mut"] > b["key"] and b["now"] - b["mut"] > quiet_ms:
            return b["mut"] - b["key"]
        time.sleep(0.1)
    return float("nan")


def open_search(page) -> None:
    """Tap the header's search button (phone layout) and wait for the box to have the focus."""
    page.locator(".md-header label[for=__search]").first.click()
    page.wait_for_function("() => document.activeElement === document.querySelector('.md-search__input')")


def first_query(browser, url: str, counter: Counter, query: str, pace: int = PACE) -> dict:
    """A new visitor opens an explainer page, taps search and types query, pace ms a key (0: at once): every
    byte from the tap until the results and their thumbnails settle."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(url + START_PAGE)
    page.wait_for_load_state("networkidle")
    counter.take()
    open_search(page)
    if pace:
        page.keyboard.type(query, delay=pace)
    else:
        page.keyboard.insert_text(query)
    page.wait_for_function(WAIT_QUERY, arg=shown(query), timeout=60_000)
    page.wait_for_load_state("networkidle")     # the thumbnails the results show (lazy: those in view)
    page.wait_for_timeout(500)
    page.wait_for_load_state("networkidle")
    log = counter.take()
    context.close()
    return split(log)


def results_time(browser, url: str, cpu: float, query: str) -> float:
    """Last keystroke → last change of the results (ms), CPU throttled `cpu` times, for a new visitor."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(url + START_PAGE)
    page.wait_for_load_state("networkidle")
    page.evaluate(OBSERVE)
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": cpu})
    open_search(page)
    page.wait_for_timeout(300)
    page.keyboard.type(query, delay=PACE)
    ms = settle(page, quiet_ms=1500, timeout_s=60)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})
    context.close()
    return ms


def page_weight(browser, url: str, counter: Counter, path: str, wait_filter: bool = False) -> dict:
    """Bytes of a page's first load (after a first scroll, which starts the deferred scripts)."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    counter.take()
    page.goto(url + path)
    page.wait_for_load_state("networkidle")
    page.mouse.wheel(0, 600)
    page.wait_for_timeout(300)
    page.wait_for_load_state("networkidle")
    if wait_filter:
        page.wait_for_function("() => /^(Tìm thấy|Không có)/.test(document.querySelector('#htx-filter .htx-filter__status').textContent)",
                               timeout=60_000)
        page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    log = counter.take()
    context.close()
    return split(log)


def quality(browser, url: str, products: Products) -> list[dict]:
    """Run QUALITY in one page, each query put in the box at once (one search: what the visitor gets once
    typing stops); return, per query, the first three results and whether they are right."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(url + START_PAGE)
    page.wait_for_load_state("networkidle")
    open_search(page)
    box = page.locator(".md-search__input")
    rows = []
    for query in QUALITY:
        box.fill("")
        page.wait_for_function(WAIT_QUERY, arg="", timeout=30_000)
        page.keyboard.insert_text(query.text)
        page.wait_for_function(WAIT_QUERY, arg=shown(query.text), timeout=60_000)
        paths = [unquote(urlsplit(h).path) for h in
                 page.eval_on_selector_all(f"{LIST} a.md-search-result__link", "els => els.map(e => e.href)")]
        rows.append({"query": query, "relevant": products.count(query), "top": paths[:3],
                     "first": bool(paths) and products.right(query, paths[0]),
                     "top3": any(products.right(query, p) for p in paths[:3])})
    context.close()
    return rows


# ---- tables -----------------------------------------------------------------------------------

def kb(n: float) -> str:
    return f"{n / 1024:,.1f} KB"


def label(text: str) -> str:
    """A query as the tables show it (NFD marked, since it looks like NFC)."""
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text) + " (NFD)"


def print_first_queries(runs: dict[int, dict[str, dict]]) -> None:
    """runs: {pace: {query: split}}; the parts are shown for the query entered at once."""
    once = runs[0]
    paces = [p for p in runs if p]
    print("\n| first query, entered at once (gzip as served) | engine code | index files | result fields | thumbnails | "
          "other | total | requests | " + " | ".join(f"typed {p} ms a key (requests)" for p in paces) + " |")
    print("|---|---|---|---|---|---|---|---|" + "---|" * len(paces))
    for query, s in once.items():
        print(f"| {query} | {kb(s['engine'])} | {kb(s['index'])} | {kb(s['fields'])} | {kb(s['thumbs'])} | "
              f"{kb(s['other'])} | **{kb(s['total'])}** | {s['requests']} | "
              + " | ".join(f"{kb(runs[p][query]['total'])} ({runs[p][query]['requests']})" for p in paces) + " |")
    med = lambda pace, key: statistics.median(s[key] for s in runs[pace].values())  # noqa: E731
    print(f"| **median of {len(once)}** | " + " | ".join(kb(med(0, p)) for p in PARTS) + f" | **{kb(med(0, 'total'))}** | "
          f"{med(0, 'requests'):.0f} | " + " | ".join(f"**{kb(med(p, 'total'))}** ({med(p, 'requests'):.0f})" for p in paces) + " |")
    print(f"| **largest** | | | | | | **{kb(max(s['total'] for s in once.values()))}** | | "
          + " | ".join(f"**{kb(max(s['total'] for s in runs[p].values()))}**" for p in paces) + " |")
    print("\nbudgets: median ≤ 150 KB at province scale, ≤ 200 KB at national scale; largest ≤ 300 KB at national scale",
          flush=True)


def measure_first_queries(browser, site: Path) -> dict[int, dict[str, dict]]:
    server, url, counter = serve(site)
    try:
        return {pace: {query: first_query(browser, url, counter, query, pace) for query in TYPICAL_QUERIES}
                for pace in PACES}
    finally:
        server.shutdown()
        server.server_close()


def print_build(b: Build) -> None:
    share = b.search_logged / (b.seconds - b.search_logged)
    alone_share = b.alone_cpu / b.cpu
    print("\n| build | value | budget |")
    print("|---|---|---|")
    print(f"| pages (HTML / indexed) | {b.pages:,} / {b.indexed:,} | |")
    print(f"| build, search on (no kept pages, profiles or index; photos cached) | {b.seconds:.1f} s (CPU {b.cpu:.1f} s), peak {b.rss_mb:,.0f} MB | |")
    print(f"| search step as logged (after staging beside MkDocs) | {b.search_logged:.1f} s: {share:.0%} of the rest of the build | ≤ 30 % |")
    print(f"| index_site alone on the built site (staging included) | {b.alone_seconds:.1f} s (CPU {b.alone_cpu:.1f} s: "
          f"{alone_share:.0%} of the build's CPU), peak {b.alone_rss_mb:,.0f} MB | |")
    print(f"| index on disk | {b.index_bytes / 1024 / 1024:,.1f} MB in {b.index_files:,} files ({b.index_gzip / 1024 / 1024:,.1f} MB gzip) | |")
    largest = ", ".join(f"{folder}/ {kb(size)} ({name})" for folder, (name, size) in sorted(b.largest.items())
                        if folder not in ("index.json",))
    print(f"| largest file gzip, by folder | index.json {kb(b.largest.get('index.json', ('', 0))[1])}; {largest} | |", flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--coops", type=int, default=1000)
    parser.add_argument("--products", type=int, default=5000)
    parser.add_argument("--photos", type=int, default=None, help="photos (default: one per product)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cpu", type=float, default=4, help="CPU throttling for the timing")
    parser.add_argument("--work", type=Path)
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--bytes-only", action="store_true",
                        help="with --work of an earlier run: only the first-query bytes, on its site")
    args = parser.parse_args(argv)
    photos = args.products if args.photos is None else args.photos
    work = args.work or Path(tempfile.mkdtemp(prefix="htx-bench-search-"))
    work = work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    print(f"# Search benchmark: {args.coops} cooperatives, {args.products} products, {photos} photos "
          f"(seed {args.seed}); work: {work}", flush=True)
    from playwright.sync_api import sync_playwright

    if args.bytes_only:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            print_first_queries(measure_first_queries(browser, work / "project" / "site"))
            browser.close()
        return
    started = time.perf_counter()
    project = make_project(work, args.coops, args.products, photos, args.seed)
    b = build(project)
    site = project / "site"
    products = Products(site)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        print("first queries…", flush=True)
        sizes = measure_first_queries(browser, site)
        server, url, counter = serve(site)
        try:
            print("timing, catalog, quality…", flush=True)
            times = [results_time(browser, url, args.cpu, TIMED_QUERY) for _ in range(3)]
            catalog = {"san-pham/ (first load)": page_weight(browser, url, counter, "san-pham/")}
            for view in ("san-pham/?danh-muc=gao-nong-san", "san-pham/?danh-muc=mam-nuoc-mam&sap-xep=gia-thap",
                         "hop-tac-xa/?linh-vuc=thuy-san"):
                catalog[view] = page_weight(browser, url, counter, view, wait_filter=True)
            rows = quality(browser, url, products)
        finally:
            server.shutdown()
            server.server_close()
        browser.close()

    print_build(b)
    print_first_queries(sizes)
    print(f"\nresults visible, last key → results settled, CPU {args.cpu:g}×, “{TIMED_QUERY}” typed at {PACE} ms a key "
          f"(180 ms pause before searching included): median {statistics.median(times):.0f} ms "
          f"({', '.join(f'{t:.0f}' for t in times)}); budget ≤ 1,000 ms at national scale")
    print("\n| page (phone, gzip as served) | total | requests | engine code | index files | result fields | thumbnails |")
    print("|---|---|---|---|---|---|---|")
    for view, s in catalog.items():
        print(f"| {view} | {kb(s['total'])} | {s['requests']} | {kb(s['engine'])} | {kb(s['index'])} | "
              f"{kb(s['fields'])} | {kb(s['thumbs'])} |")
    print("\n| # | query | form | products it names | top 1 | top 3 | first three results |")
    print("|---|---|---|---|---|---|---|")
    counted = [r for r in rows if r["relevant"]]
    for n, r in enumerate(rows, 1):
        titles = "; ".join(products.titles.get(p, p) for p in r["top"]) or "(none)"
        if not r["relevant"]:
            print(f"| {n} | {label(r['query'].text)} | {r['query'].form} | 0 | — | — | {titles} |")
            continue
        print(f"| {n} | {label(r['query'].text)} | {r['query'].form} | {r['relevant']} | {'✔' if r['first'] else '✘'} | "
              f"{'✔' if r['top3'] else '✘'} | {titles} |")
    print(f"\nquality: right product first for {sum(r['first'] for r in counted)}/{len(counted)} queries, "
          f"in the first three for {sum(r['top3'] for r in counted)}/{len(counted)}"
          + (f" ({len(rows) - len(counted)} of the {len(rows)} name no product of this catalog)" if len(counted) < len(rows) else ""))
    print(f"\ntotal {time.perf_counter() - started:.0f} s", flush=True)
    if not args.keep and args.work is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
