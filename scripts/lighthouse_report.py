#!/usr/bin/env python3
"""Lighthouse report of the site's page types: build, serve with gzip, run Lighthouse, print medians.

    python scripts/lighthouse_report.py                 # build the sample site, 3 runs per page type
    python scripts/lighthouse_report.py --runs 5 --site site/ --json lh.json
    python scripts/lighthouse_report.py --only product,home --strict

Follows the measurement kit (kit/lighthouse.sh, kit/serve.py): Lighthouse's defaults (mobile emulation,
simulated throttling) against Debian's Chromium (CHROME_PATH, default /usr/bin/chromium), the site served
on 127.0.0.1 with gzip and `Cache-Control: max-age=600`, like a static host. Lighthouse is the global npm
package (`npm i -g lighthouse`; or set LIGHTHOUSE to its binary). Nothing is downloaded.

Per page type it prints the median over the runs of: the four scores, LCP, TBT, CLS, total transfer
size and the number of requests to any other host than the site's. The budgets of the issue are checked
(performance ≥ 95, accessibility/best practices/SEO = 100, CLS < 0.02, no third-party request, product
page ≤ 250 KB); --strict exits with status 1 when one fails. A measuring tool, not a test: scores vary
with the machine's load (Lighthouse's own benchmark index is printed), hence the medians.
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
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[1]
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = ("--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking "
                "--disable-component-update --disable-sync")
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
BUDGET = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
PRODUCT_BYTES = 250 * 1024
MAX_CLS = 0.02


class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files with gzip for text and a cache header (kit/serve.py --gzip --cache 600)."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".webp": "image/webp", ".js": "text/javascript"}

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def send_head(self):  # type: ignore[override]
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()
            path = os.path.join(path, "index.html")
        if not ("gzip" in self.headers.get("Accept-Encoding", "") and path.endswith(COMPRESSIBLE) and os.path.isfile(path)):
            return super().send_head()
        with open(path, "rb") as f:
            data = gzip.compress(f.read(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        return io.BytesIO(data)


def serve(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def build(target: Path) -> Path:
    """Build the site with the repository's mkdocs.yml (sample profiles included) into target."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(target)]
    result = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"mkdocs build failed:\n{result.stdout}{result.stderr}")
    return target


def page_types(site: Path) -> dict[str, str]:
    """Return {page type: URL path} of one page of each type in the built site."""
    def first(pattern: str, must: str = "") -> str:
        for path in sorted(site.glob(pattern)):
            if not must or re.search(must, path.read_text(encoding="utf-8")):
                return path.parent.relative_to(site).as_posix() + "/"
        sys.exit(f"no page matches {pattern} {must}")

    posts = json.loads((site / "tin-tuc" / "feed.json").read_text(encoding="utf-8")).get("items", []) \
        if (site / "tin-tuc" / "feed.json").is_file() else []
    post = urlsplit(posts[0]["url"]).path.lstrip("/") if posts else first("tin-tuc/*/index.html", "md-post")
    return {
        "home": "",
        "catalog": "san-pham/",
        "product": first("san-pham/*/*/index.html", r'htx-gallery__main"[^>]*\.webp'),   # one with a photo
        "cooperative": first("hop-tac-xa/*/index.html", r"htx-coop__top"),
        "directory": "hop-tac-xa/",
        "commune": first("xa-phuong/*/index.html", r"htx-coop-card"),
        "explainer": "hop-tac-xa-kieu-moi/",
        "news post": post,
        "builder": "tham-gia/tao-ho-so/",
    }


def lighthouse_binary() -> str:
    local = REPO / "node_modules" / ".bin" / "lighthouse"
    found = os.environ.get("LIGHTHOUSE") or (str(local) if local.is_file() else None) or shutil.which("lighthouse")
    if not found:
        sys.exit("lighthouse not found: npm i -g lighthouse (or set LIGHTHOUSE)")
    return found


def run_lighthouse(binary: str, url: str, out: Path) -> dict:
    profile = tempfile.mkdtemp(prefix="lh-profile.")
    try:
        cmd = [binary, url, "--quiet", "--only-categories=" + ",".join(CATEGORIES),
               f"--chrome-flags={CHROME_FLAGS} --user-data-dir={profile}", "--output=json", f"--output-path={out}"]
        result = subprocess.run(cmd, env=dict(os.environ, CHROME_PATH=CHROME), capture_output=True, text=True, timeout=300)
        if result.returncode or not out.is_file():
            raise RuntimeError(f"lighthouse failed on {url}: {result.stderr[-2000:]}")
        return json.loads(out.read_text(encoding="utf-8"))
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def summarize(report: dict) -> dict:
    audits, cats = report["audits"], report["categories"]
    host = urlsplit(report["finalDisplayedUrl"]).hostname
    requests = audits.get("network-requests", {}).get("details", {}).get("items", [])
    third = [r["url"] for r in requests if r["url"].startswith("http") and urlsplit(r["url"]).hostname != host]
    row = {k: round(100 * cats[k]["score"]) for k in CATEGORIES}
    row.update(lcp=audits["largest-contentful-paint"]["numericValue"], tbt=audits["total-blocking-time"]["numericValue"],
               cls=audits["cumulative-layout-shift"]["numericValue"], bytes=audits["total-byte-weight"]["numericValue"],
               requests=len(requests), third_party=len(third), third_party_urls=third,
               benchmark=report.get("environment", {}).get("benchmarkIndex"),
               failing=sorted(k for k, a in audits.items() if a.get("score") is not None and a["score"] < 1
                              and a.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings")))
    return row


def median_row(rows: list[dict]) -> dict:
    keys = [*CATEGORIES, "lcp", "tbt", "cls", "bytes", "requests", "third_party", "benchmark"]
    med = {k: statistics.median(r[k] for r in rows if r[k] is not None) for k in keys}
    med["third_party_urls"] = sorted({u for r in rows for u in r["third_party_urls"]})
    return med


def check(name: str, m: dict) -> list[str]:
    problems = [f"{k} {m[k]:g} < {v}" for k, v in BUDGET.items() if m[k] < v]
    if m["cls"] >= MAX_CLS:
        problems.append(f"CLS {m['cls']:.3f} ≥ {MAX_CLS}")
    if m["third_party"]:
        problems.append(f"third-party requests: {', '.join(m['third_party_urls'][:3])}")
    if name == "product" and m["bytes"] > PRODUCT_BYTES:
        problems.append(f"product page {m['bytes'] / 1024:.0f} KB > {PRODUCT_BYTES // 1024} KB")
    return problems


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page type (default 3; medians)")
    ap.add_argument("--site", type=Path, help="an already built site folder (default: build the repository's site)")
    ap.add_argument("--only", help="comma-separated page types, e.g. home,product")
    ap.add_argument("--json", type=Path, help="also write every run's figures and the medians here")
    ap.add_argument("--strict", action="store_true", help="exit with status 1 when a budget is missed")
    args = ap.parse_args()
    binary = lighthouse_binary()
    if not Path(CHROME).exists():
        sys.exit(f"{CHROME} not found (apt-get install chromium, or set CHROME_PATH)")

    with tempfile.TemporaryDirectory(prefix="htx-lh.") as tmp:
        site = args.site.resolve() if args.site else build(Path(tmp) / "site")
        types = page_types(site)
        if args.only:
            wanted = [t.strip() for t in args.only.split(",")]
            unknown = set(wanted) - set(types)
            if unknown:
                sys.exit(f"unknown page types {sorted(unknown)}; known: {', '.join(types)}")
            types = {k: v for k, v in types.items() if k in wanted}
        server, base = serve(site)
        results: dict[str, dict] = {}
        try:
            for name, path in types.items():
                runs = []
                for i in range(args.runs):
                    report = run_lighthouse(binary, base + path, Path(tmp) / f"{len(results)}-{i}.json")
                    runs.append(summarize(report))
                    print(f"  {name:<12} run {i + 1}: perf {runs[-1]['performance']}  TBT {runs[-1]['tbt']:.0f} ms  "
                          f"(benchmark index {runs[-1]['benchmark']})", file=sys.stderr, flush=True)
                results[name] = {"path": "/" + path, "runs": runs, "median": median_row(runs)}
        finally:
            server.shutdown()

    print(f"\nLighthouse {len(next(iter(results.values()))['runs'])}× per page type, medians "
          "(mobile, simulated throttling, gzip + max-age=600)\n")
    print("| page type | path | perf | a11y | best pr. | SEO | LCP | TBT | CLS | transfer | 3rd-party req. |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    failures = []
    for name, r in results.items():
        m = r["median"]
        print(f"| {name} | {r['path']} | {m['performance']:g} | {m['accessibility']:g} | {m['best-practices']:g} | "
              f"{m['seo']:g} | {m['lcp'] / 1000:.2f} s | {m['tbt']:.0f} ms | {m['cls']:.3f} | {m['bytes'] / 1024:.0f} KB | "
              f"{m['third_party']:g} |")
        failures += [f"{name}: {p}" for p in check(name, m)]
    audits = sorted({a for r in results.values() for run in r["runs"] for a in run["failing"]})
    print(f"\naudits below 100 in some run: {', '.join(audits) or 'none'}")
    print("budgets: " + ("all met" if not failures else "MISSED\n  " + "\n  ".join(failures)))
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 1 if failures and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
