#!/usr/bin/env python3
"""Choose the search engine by measurement: Material's lunr search (plain, and with a build-time folded copy
of each page's text) against Pagefind (htx.publish.search), on a synthetic province (htx.bench.synthetic).

    python -m htx.bench.search                       # 1,000 cooperatives, 5,000 products (≈15–25 min)
    python -m htx.bench.search --coops 60 --products 300 --engines pagefind,lunr   # a quick look

For each engine it builds the same site (mkdocs build), serves it on 127.0.0.1 with gzip (like a host),
and drives the system Chromium (/usr/bin/chromium):

- build: CPU seconds (user + sys, children included; steadier than wall time on a shared machine) and
  wall seconds of `mkdocs build` without search (HTX_SEARCH=0), of Pagefind's step (htx.publish.search.index_site)
  or of what Material's search plugin adds, and the search share of the whole build;
- first query: bytes a new visitor downloads for search (index + code + results, as served, gzip) and
  the time from the last keystroke to the results settling, CPU throttled 4× (CDP setCPUThrottlingRate;
  Chromium does not throttle Web Workers, where both lunr and Pagefind 1.5 search);
- catalog: bytes of the first load of san-pham/ (all requests until the network is idle after a first
  scroll, which starts the scripts the site defers, Material's bundle and its lunr index included), and
  of a filtered view san-pham/?danh-muc=… (Pagefind's filter API);
- quality: for queries typed with diacritics (NFC, NFD), without, in upper case, with d for đ, or as
  word starts, whether the first result is a product the query names, and how many of the first eight
  results are.

Prints a Markdown table per part. Work files go to --work (default: a temporary folder, removed unless
--keep). Needs the project's venv (mkdocs, the htx package, playwright, pagefind[extended]).
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
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

REPO = Path(__file__).resolve().parents[3]   # the repository (this file: scripts/htx/bench/)

from htx.publish.search import index_site  # noqa: E402
from htx.bench.synthetic import make_catalog  # noqa: E402
from htx.data.text import fold  # noqa: E402

CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt")
SEARCH_PATHS = re.compile(r"(/pagefind/|search_index\.json|/workers/search|/lunr/|/assets/htx/search/)")
START_PAGE = "hop-tac-xa-kieu-moi/"     # a hand-written explainer page: where a visitor starts searching

NFD = functools.partial(unicodedata.normalize, "NFD")
# (label, query as typed); relevance is decided from the catalog (see Relevance)
QUERIES = [
    ("không dấu", "duong thot not"),
    ("có dấu NFC", "Đường thốt nốt"),
    ("có dấu NFD", NFD("Đường thốt nốt")),
    ("chữ hoa", "ĐƯỜNG THỐT NỐT"),
    ("d thay đ", "dường thốt nốt"),
    ("đầu từ", "duong tho"),
    ("không dấu", "gao st25"),
    ("chữ hoa", "GẠO ST25"),
    ("có dấu NFD", NFD("gạo st25")),
    ("không dấu", "mam ca linh"),
    ("có dấu NFC", "Khô cá lóc"),
    ("không dấu", "kho ca loc"),
    ("không dấu", "lua tan chau"),
]
TIMED_QUERY = "duong thot not"
# Queries of one to three words as visitors type them: a fresh visitor's search bytes for each (Pagefind
# fetches the index chunks of the query's words, so the bytes depend on the query).
BYTE_QUERIES = ["mam", "gao st25", "nuoc mam", "kho ca loc", "mat ong", "lua tan chau", "duong thot not"]

LUNR_FOLD_HOOK = '''"""Bench only: a hidden, fully folded copy of each page's text, so that lunr finds queries typed without diacritics."""
import re
from htx.data.text import fold

def on_page_content(html, page, config, files):
    text = re.sub(r"<[^>]+>", " ", html)
    return html + '<p hidden class="htx-folded">' + " ".join(fold(text).split()) + "</p>"
'''


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
                      ".js": "text/javascript", ".pagefind": "application/wasm"}

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def send_head(self):  # noqa: ANN201
        path = self.translate_path(self.path)
        if os.path.isdir(path) and self.path.split("?")[0].endswith("/"):
            path = os.path.join(path, "index.html")
        if not (path.endswith(COMPRESSIBLE) and os.path.isfile(path) and "gzip" in self.headers.get("Accept-Encoding", "")):
            head = super().send_head()
            if head is not None and os.path.isfile(path):
                self.counter.add(urlsplit(self.path).path, os.path.getsize(path) + 200)
            return head
        with open(path, "rb") as fh:
            data = gzip.compress(fh.read(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.counter.add(urlsplit(self.path).path, len(data) + 200)   # + about 200 bytes of headers
        return io.BytesIO(data)


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str, Counter]:
    counter = Counter()
    handler = type("CountingHandler", (Handler,), {"counter": counter})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    server.handle_error = lambda request, address: None        # a closed page drops its open requests: fine
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/", counter


# ---- projects ---------------------------------------------------------------------------------

def make_project(work: Path, engine: str, catalog: Path) -> Path:
    """Copy the project (config, content, overrides, the synthetic cooperatives) and set it up for engine."""
    project = work / engine
    if project.exists():
        shutil.rmtree(project)
    project.mkdir(parents=True)
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    for name in ("content", "overrides"):
        shutil.copytree(REPO / name, project / name)
    shutil.copytree(catalog / "cooperatives", project / "cooperatives")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    # No photo or share-card work (the catalog has no photos; share cards are drawn once then cached, which
    # would make whichever build runs first look slower): the builds differ only by their search.
    config = config.replace("  - htx:\n", "  - htx:\n      images: false\n", 1)
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    if engine.startswith("lunr"):
        config = (project / "mkdocs.yml").read_text(encoding="utf-8")
        config = config.replace("plugins:\n", "plugins:\n  - search:\n      lang: vi\n", 1)
        if engine == "lunr-folded":
            (project / "bench_fold_hook.py").write_text(LUNR_FOLD_HOOK, encoding="utf-8")
            config += "\nhooks:\n  - bench_fold_hook.py\n"
        (project / "mkdocs.yml").write_text(config, encoding="utf-8")
        for name in ("header.html", "search.html"):          # Material's own search box and UI
            (project / "overrides" / "partials" / name).unlink(missing_ok=True)
        (project / "overrides" / "partials" / "htx-scripts.html").write_text("", encoding="utf-8")
    return project


@dataclass
class Build:
    engine: str
    site: Path
    build_cpu: float         # CPU seconds (user + sys, with children) of the whole build, search included
    build_wall: float
    search_cpu: float        # the search step's CPU seconds: Pagefind's index_site, or what lunr adds
    search_wall: float
    index_bytes: int         # on disk
    index_gzip: int          # what a visitor downloads for the whole index (lunr), or 0
    pages: int = 0


def timed(command: list[str], cwd: Path, env: dict) -> tuple[float, float, subprocess.CompletedProcess]:
    """Run command; return its CPU seconds (user + sys of it and its children), wall seconds and result.

    CPU time barely moves when other work shares the machine; wall time does (the figures give both)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if result.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return cpu, wall, result


def build(project: Path, engine: str, base: tuple[float, float] | None) -> Build:
    """Build the project without Pagefind (HTX_SEARCH=0); for Pagefind, then run index_site on its own.

    The Pagefind project's build is the no-search base that lunr's overhead is measured against."""
    site = project / "site"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", HTX_CACHE_DIR=str(project.parent / "cache"),
               SOURCE_DATE_EPOCH="1795651200", HTX_SEARCH="0",
               PYTHONPATH=os.pathsep.join(filter(None, [str(REPO / "scripts"), os.environ.get("PYTHONPATH")])))
    cpu, wall, _ = timed([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)], project, env)
    pages = sum(1 for _ in site.rglob("*.html"))
    if engine == "pagefind":
        env["HTX_SEARCH"] = "1"
        code = "import json, sys; from pathlib import Path; from htx.publish.search import index_site; print(json.dumps(index_site(Path(sys.argv[1]))))"
        s_cpu, s_wall, result = timed([sys.executable, "-c", code, str(site)], project, env)
        stats = json.loads(result.stdout.strip().splitlines()[-1])
        return Build(engine, site, cpu + s_cpu, wall + s_wall, s_cpu, s_wall, stats["bytes"], 0, pages)
    if engine == "warm-up":
        return Build(engine, site, cpu, wall, 0.0, 0.0, 0, 0, pages)
    raw = (site / "search" / "search_index.json").read_bytes()
    base_cpu, base_wall = base if base else (float("nan"), float("nan"))
    return Build(engine, site, cpu, wall, cpu - base_cpu, wall - base_wall, len(raw), len(gzip.compress(raw, 6)), pages)


# ---- relevance --------------------------------------------------------------------------------

class Relevance:
    """Which product pages a query names: every query word starts a word of the product's name, its
    cooperative's name or its commune (compared without diacritics)."""

    def __init__(self, project: Path) -> None:
        from htx.site.catalog import Catalog
        from htx.pipeline import check

        entries, _ = check(project / "cooperatives", base=project, check_images=False)
        catalog, _ = Catalog.from_entries(entries)
        self.texts = {"/" + item.url: set(fold(f"{item.product.name} {item.coop.name} {item.origin.name}").split())
                      for item in catalog.items.values()}

    def relevant(self, query: str, path: str) -> bool:
        words = self.texts.get(path)
        return bool(words) and all(any(w.startswith(q) for w in words) for q in fold(query).split())

    def count(self, query: str) -> int:
        return sum(self.relevant(query, p) for p in self.texts)


# ---- browser ----------------------------------------------------------------------------------

OBSERVE = """() => {
  window.__bench = { key: 0, mut: 0 };
  document.addEventListener('keydown', () => { window.__bench.key = performance.now(); }, true);
  const target = document.querySelector('.md-search-result');
  new MutationObserver(() => { window.__bench.mut = performance.now(); })
    .observe(target, { childList: true, subtree: true, characterData: true });
}"""


def settle(page, quiet_ms: int = 1500, timeout_s: float = 60) -> float:
    """Wait until the results stopped changing for quiet_ms after the last key; return last key → last change (ms)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        b = page.evaluate("() => ({ key: window.__bench.key, mut: window.__bench.mut, now: performance.now() })")
        if b["mut"] > b["key"] and b["now"] - b["mut"] > quiet_ms:
            return b["mut"] - b["key"]
        time.sleep(0.1)
    return float("nan")


def result_paths(page) -> list[str]:
    hrefs = page.eval_on_selector_all(".md-search-result__list a", "els => els.map(e => e.href)")
    return [unquote(urlsplit(h).path) for h in hrefs]


def first_query(browser, url: str, counter: Counter, cpu: float) -> dict:
    """A new visitor opens an explainer page, then searches TIMED_QUERY: bytes for search, time to results."""
    context = browser.new_context(viewport={"width": 412, "height": 915}, is_mobile=True, has_touch=True, locale="vi-VN")
    page = context.new_page()
    counter.take()
    page.goto(url + START_PAGE)
    page.wait_for_load_state("networkidle")
    page.evaluate(OBSERVE)
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": cpu})
    page.locator("label.md-header__button[for=__search]").click()
    page.wait_for_timeout(300)
    page.keyboard.type(TIMED_QUERY, delay=120)
    ms = settle(page, quiet_ms=5000, timeout_s=180)       # lunr answers every keystroke in turn: wait them out
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})
    page.wait_for_load_state("networkidle")
    log = counter.take()
    context.close()
    search = [(p, n) for p, n in log if SEARCH_PATHS.search(p)]
    return {"ms": ms, "search_bytes": sum(n for _, n in search), "requests": len(search),
            "all_bytes": sum(n for _, n in log)}


def query_bytes(browser, url: str, counter: Counter, query: str) -> int:
    """Search bytes (as served) a new visitor downloads to search `query`, typed at a phone's pace."""
    context = browser.new_context(viewport={"width": 412, "height": 915}, is_mobile=True, has_touch=True, locale="vi-VN")
    page = context.new_page()
    page.goto(url + START_PAGE)
    page.wait_for_load_state("networkidle")
    counter.take()
    page.locator("label.md-header__button[for=__search]").click()
    page.wait_for_timeout(300)
    page.keyboard.type(query, delay=150)
    page.wait_for_function("q => document.querySelector('.md-search-result__list').getAttribute('data-query') === q",
                           arg=query, timeout=60000)
    page.wait_for_load_state("networkidle")
    log = counter.take()
    context.close()
    return sum(n for p, n in log if SEARCH_PATHS.search(p))


def print_query_bytes(browser, site: Path) -> None:
    server, url, counter = serve(site)
    try:
        sizes = [query_bytes(browser, url, counter, q) for q in BYTE_QUERIES]
    finally:
        server.shutdown()
        server.server_close()
    print("\n| first query, Pagefind | " + " | ".join(BYTE_QUERIES) + " | median |")
    print("|---|" + "---|" * (len(BYTE_QUERIES) + 1))
    print("| search bytes (gzip as served) | " + " | ".join(kb(n) for n in sizes) + f" | {kb(sorted(sizes)[len(sizes) // 2])} |",
          flush=True)


def page_weight(browser, url: str, counter: Counter, path: str, wait_filter: bool = False) -> dict:
    context = browser.new_context(viewport={"width": 412, "height": 915}, is_mobile=True, has_touch=True, locale="vi-VN")
    page = context.new_page()
    counter.take()
    page.goto(url + path)
    page.wait_for_load_state("networkidle")
    page.mouse.wheel(0, 600)              # a first interaction: scripts deferred until then start (and lunr's index)
    page.wait_for_timeout(300)
    page.wait_for_load_state("networkidle")
    if wait_filter:
        page.wait_for_function("() => /^(Tìm thấy|Không có)/.test(document.querySelector('#htx-filter .htx-filter__status').textContent)",
                               timeout=60000)
        page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    log = counter.take()
    context.close()
    return {"bytes": sum(n for _, n in log), "requests": len(log),
            "search_bytes": sum(n for p, n in log if SEARCH_PATHS.search(p))}


def quality(browser, url: str, relevance: Relevance, quiet_ms: int) -> list[dict]:
    """Run QUERIES, each put in the box at once (one search: what the visitor gets once typing stops);
    quiet_ms: how long results must stay unchanged to count as final."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.goto(url + START_PAGE)
    page.wait_for_load_state("networkidle")
    page.evaluate(OBSERVE)
    box = page.locator(".md-search__input")
    box.click()
    # Ready: Material shows its placeholder once the lunr index is built (Pagefind loads on focus).
    page.wait_for_function("() => !/Đang chuẩn bị|Initializing/.test(document.querySelector('.md-search-result__meta').textContent)",
                           timeout=600_000)
    page.wait_for_load_state("networkidle")
    rows = []
    for label, query in QUERIES:
        box.click()
        box.press("Control+a")
        box.press("Backspace")
        settle(page, quiet_ms=500, timeout_s=10)
        page.keyboard.insert_text(query)
        page.keyboard.press("End")                    # Material searches on keyup
        settle(page, quiet_ms=quiet_ms, timeout_s=180)
        paths = result_paths(page)[:8]
        rows.append({"label": label, "query": query, "relevant": relevance.count(query),
                     "first": bool(paths) and relevance.relevant(query, paths[0]),
                     "top8": sum(relevance.relevant(query, p) for p in paths)})
    context.close()
    return rows


# ---- main -------------------------------------------------------------------------------------

def kb(n: float) -> str:
    return f"{n / 1024:,.0f} KB".replace(",", " ")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--coops", type=int, default=1000)
    parser.add_argument("--products", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--engines", default="pagefind,lunr,lunr-folded")
    parser.add_argument("--cpu", type=float, default=4)
    parser.add_argument("--work", type=Path)
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--no-browser", action="store_true", help="time the builds only")
    parser.add_argument("--bytes-only", action="store_true",
                        help="with --work of an earlier run: only the first-query bytes of BYTE_QUERIES on its Pagefind site")
    args = parser.parse_args(argv)
    engines = args.engines.split(",")
    work = args.work or Path(tempfile.mkdtemp(prefix="htx-bench-search-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"# Search benchmark: {args.coops} cooperatives, {args.products} products (seed {args.seed}); work: {work}", flush=True)

    if args.bytes_only:
        from playwright.sync_api import sync_playwright
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            print_query_bytes(browser, work / "pagefind" / "site")
            browser.close()
        return
    started = time.perf_counter()
    make_catalog(work / "catalog", args.coops, args.products, seed=args.seed)
    print(f"synthetic catalog: {time.perf_counter() - started:.1f} s", flush=True)

    builds: dict[str, Build] = {}
    order = ["pagefind"] + [e for e in engines if e != "pagefind"]     # Pagefind's build is the no-search base
    base = None
    for engine in order:
        project = make_project(work, engine, work / "catalog")
        if engine == order[0]:
            # Untimed warm-up: the build caches what does not depend on search (QR codes of every page…);
            # every timed build then starts from the same warm cache, as on a CI with a restored cache.
            print("warming the build cache…", flush=True)
            build(project, "warm-up", None)
        print(f"building {engine}…", flush=True)
        b = build(project, engine, base)
        if engine == "pagefind":
            base = (b.build_cpu - b.search_cpu, b.build_wall - b.search_wall)
        builds[engine] = b
        print(f"  {engine}: {b.pages} pages, build {b.build_cpu:.0f} s CPU ({b.build_wall:.0f} s wall), "
              f"search {b.search_cpu:.1f} s CPU ({b.search_wall:.1f} s wall)", flush=True)
    if args.no_browser:
        print("\n| engine | build, CPU (wall) | search step, CPU (wall) | search share of build (CPU) | index on disk |")
        print("|---|---|---|---|---|")
        for engine in engines:
            b = builds[engine]
            disk = kb(b.index_bytes) + (f" ({kb(b.index_gzip)} gzip)" if b.index_gzip else "")
            print(f"| {engine} | {b.build_cpu:.0f} s ({b.build_wall:.0f} s) | {b.search_cpu:.1f} s ({b.search_wall:.1f} s) "
                  f"| {b.search_cpu / b.build_cpu * 100:.0f} % | {disk} |")
        return
    relevance = Relevance(work / "pagefind")

    from playwright.sync_api import sync_playwright

    results: dict[str, dict] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        for engine in order:
            if engine not in engines:
                continue
            server, url, counter = serve(builds[engine].site)
            try:
                category = "gao-nong-san"
                r = {"first": [first_query(browser, url, counter, args.cpu) for _ in range(3)],
                     "catalog": page_weight(browser, url, counter, "san-pham/"),
                     "quality": quality(browser, url, relevance, 1500 if engine == "pagefind" else 6000)}
                if engine == "pagefind":
                    r["filtered"] = page_weight(browser, url, counter, f"san-pham/?danh-muc={category}", wait_filter=True)
                    print_query_bytes(browser, builds[engine].site)
                results[engine] = r
            finally:
                server.shutdown()
                server.server_close()
        browser.close()

    print()
    print("| engine | build, CPU (wall) | search step, CPU (wall) | search share of build (CPU) | index on disk | first query: bytes (requests) | last key → results, CPU 4× (median of 3) | catalog first load | filtered catalog |")
    print("|---|---|---|---|---|---|---|---|---|")
    for engine in engines:
        b, r = builds[engine], results[engine]
        runs = sorted(r["first"], key=lambda x: x["ms"])
        mid = runs[len(runs) // 2]
        share = b.search_cpu / b.build_cpu * 100 if b.build_cpu else float("nan")
        disk = kb(b.index_bytes) + (f" ({kb(b.index_gzip)} gzip)" if b.index_gzip else "")
        filtered = f"{kb(r['filtered']['bytes'])} ({r['filtered']['requests']} req)" if "filtered" in r else "—"
        print(f"| {engine} | {b.build_cpu:.0f} s ({b.build_wall:.0f} s) | {b.search_cpu:.1f} s ({b.search_wall:.1f} s) | {share:.0f} % | {disk} | {kb(mid['search_bytes'])} ({mid['requests']}) "
              f"| {mid['ms']:.0f} ms | {kb(r['catalog']['bytes'])} ({r['catalog']['requests']} req, search {kb(r['catalog']['search_bytes'])}) | {filtered} |")
    print()
    print("| query | form | products it names | " + " | ".join(f"{e}: 1st / in first 8" for e in engines) + " |")
    print("|---|---|---|" + "---|" * len(engines))
    for i, (label, query) in enumerate(QUERIES):
        cells = []
        for engine in engines:
            row = results[engine]["quality"][i]
            cells.append(f"{'✔' if row['first'] else '✘'} / {row['top8']}")
        shown = query if unicodedata.is_normalized("NFC", query) else unicodedata.normalize("NFC", query) + " (NFD)"
        print(f"| {shown} | {label} | {results[engines[0]]['quality'][i]['relevant']} | " + " | ".join(cells) + " |")
    print(f"\ntotal {time.perf_counter() - started:.0f} s", flush=True)
    if not args.keep and args.work is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
