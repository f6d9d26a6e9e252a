"""Photo pipeline benchmark: the figures behind WEBP_QUALITY / WEBP_METHOD and the worker pool.

    python -m htx.bench.images                     # 200 photos, every figure (a few minutes on 2 cores)
    python -m htx.bench.images --photos 50 --no-table --repeat 1   # quick look

Reference set: N JPEGs of 1600×1200 from htx.bench.synthetic.make_photo (gradients, blurred shapes and grain,
250–450 KB each at q88: they compress like phone photos, and the grain makes them a hard case for WebP),
written once into --workdir and reused. A second, softer set ("texture photos": 1/f fractal noise like
foliage, skin and sky, with textured objects) checks the 960-px size on a photo without synthetic grain,
and the sample cooperatives' own photos are measured too.

Printed:
1. the whole pipeline (intake = images.inspect_image, then images.write_variants: every width) in ms per
   photo on one core, and the speed-up on 2 worker processes (best of --repeat runs: the machine is shared);
2. bytes per width (median, max) and the 960-px WebP size on each set;
3. a second run with nothing changed: files re-encoded (must be 0) and its time;
4. peak memory (max RSS) of the parent and of the worker processes, for 50 and for N photos, each
   measured in a fresh process (resource.getrusage: RUSAGE_SELF and RUSAGE_CHILDREN);
5. the quality/method table: q 60/72/80 × method 4/6: bytes per width, encode ms per photo, PSNR (luma)
   of the 960-px variant against the resized source.
"""
from __future__ import annotations

import argparse
import io
import json
import math
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path


from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageOps, ImageStat  # noqa: E402

from htx.publish import images  # noqa: E402
from htx.bench.synthetic import make_photo  # noqa: E402

REPO = Path(__file__).resolve().parents[3]   # the repository (this file: scripts/htx/bench/)
SIZE = (1600, 1200)
QUALITIES = (60, 72, 80)
METHODS = (4, 6)


# ---- reference photos ---------------------------------------------------------------------------

def _fractal(rng: random.Random, octaves: int, falloff: float, size: tuple[int, int], first: tuple[int, int]) -> Image.Image:
    """1/f-like noise: random grids of growing resolution, scaled up and summed with falling weights."""
    acc, total = None, 0.0
    gw, gh = first
    for k in range(octaves):
        weight = falloff ** k
        total += weight
        layer = Image.frombytes("L", (gw, gh), rng.randbytes(gw * gh)).resize(size, Image.Resampling.BICUBIC)
        acc = layer if acc is None else Image.blend(acc, layer, weight / total)
        gw, gh = gw * 2, gh * 2
    assert acc is not None
    return ImageOps.autocontrast(acc, cutoff=1)


def texture_photo(seed: int, size: tuple[int, int] = SIZE, quality: int = 90) -> bytes:
    """Return a JPEG with a photo's statistics (1/f spectrum, soft-edged textured objects, light grain)."""
    rng = random.Random(seed)
    w, h = size

    def colour(lo: int = 20, hi: int = 236) -> tuple[int, int, int]:
        return (rng.randrange(lo, hi), rng.randrange(lo, hi), rng.randrange(lo, hi))

    picture = ImageOps.colorize(_fractal(rng, 9, 0.62, size, (4, 3)), black=colour(), white=colour(), mid=colour())
    tint = ImageOps.colorize(_fractal(rng, 3, 0.5, size, (4, 3)), black=colour(0, 256), white=colour(0, 256))
    picture = Image.blend(picture, tint, 0.25)
    half = (w // 2, h // 2)
    for _ in range(rng.randint(3, 6)):
        mask = Image.new("L", (w // 4, h // 4), 0)
        draw = ImageDraw.Draw(mask)
        x, y, r = rng.randrange(w // 4), rng.randrange(h // 4), rng.randrange(20, 120)
        if rng.random() < 0.5:
            draw.ellipse((x - r, y - r * 0.7, x + r, y + r * 0.7), fill=255)
        else:
            draw.rounded_rectangle((x - r, y - r, x + r, y + r // 2), radius=r // 4, fill=255)
        mask = mask.filter(ImageFilter.GaussianBlur(1.5)).resize(size, Image.Resampling.BICUBIC)
        texture = _fractal(rng, 6, 0.7, half, (8, 6)).resize(size, Image.Resampling.BICUBIC)
        picture = Image.composite(ImageOps.colorize(texture, black=colour(0, 128), white=colour(128, 256)), picture, mask)
    grain = Image.frombytes("L", size, rng.randbytes(w * h))
    picture = Image.blend(picture, Image.merge("RGB", (grain, grain, grain)), 0.04)
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def _write_one(job: tuple[str, str, int]) -> None:
    kind, path, seed = job
    if not Path(path).exists():
        data = make_photo(seed) if kind == "synthetic" else texture_photo(seed)
        tmp = Path(path).with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)


def photo_set(workdir: Path, kind: str, count: int) -> list[Path]:
    """Write (once) and return count reference photos of a kind into workdir/kind/."""
    folder = workdir / kind
    folder.mkdir(parents=True, exist_ok=True)
    jobs = [(kind, str(folder / f"{kind}-{i:04d}.jpg"), 10_007 + i) for i in range(count)]
    with ProcessPoolExecutor() as pool:
        list(pool.map(_write_one, jobs, chunksize=4))
    return [Path(j[1]) for j in jobs]


# ---- the pipeline --------------------------------------------------------------------------------

def pipeline(paths: list[Path], workers: int, cache: Path, site: Path) -> dict:
    """Run intake + variants for paths with the cache at `cache`; return timings and counts."""
    os.environ["HTX_CACHE_DIR"] = str(cache)
    cpu0 = _cpu()
    started = time.perf_counter()
    planned = {}
    for path in paths:
        info, error = images.inspect_image(path)
        assert info is not None, (path, error)
        planned[info.sha] = (info, images.plan_variants(info))
    intake = time.perf_counter() - started
    counts = images.write_variants(planned, site, workers=workers)
    total = time.perf_counter() - started
    return {"intake_s": intake, "encode_s": total - intake, "total_s": total, "encoded": counts["encoded"],
            "cpu_s": _cpu() - cpu0, "planned": planned}


def _cpu() -> float:
    """CPU seconds used so far by this process and its finished children (the pool's workers, once joined)."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


def _timed_encode(job: tuple) -> tuple[int, float]:
    started = time.process_time()
    images._encode_one(job)
    return os.getpid(), time.process_time() - started


def work_balance(paths: list[Path], workdir: Path, workers: int = 2) -> dict:
    """Encode like write_variants (same jobs, order and chunksize) and add up the CPU time each worker spent.

    CPU seconds don't depend on how busy the machine is, so this tells what an idle machine would do: the
    pool finishes when its busiest worker does, hence speed-up = (intake + all jobs) / (intake + busiest worker).
    """
    root = Path(tempfile.mkdtemp(prefix="balance-", dir=workdir))
    os.environ["HTX_CACHE_DIR"] = str(root / "cache")
    try:
        started = time.process_time()
        infos = [images.inspect_image(p)[0] for p in paths]
        intake = time.process_time() - started
        store = root / "store"
        store.mkdir()
        jobs = [(i.path, i.sha, [(v.width, v.height) for v in images.plan_variants(i)], str(store)) for i in infos]
        jobs.sort(key=lambda job: -max(w * h for w, h in job[2]))
        per_worker: dict[int, float] = {}
        per_job = []
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for pid, cpu in pool.map(_timed_encode, jobs, chunksize=1):
                per_worker[pid] = per_worker.get(pid, 0.0) + cpu
                per_job.append(cpu)
        total = sum(per_worker.values())
        return {"intake_s": intake, "jobs_s": total, "busiest_s": max(per_worker.values()),
                "speedup": (intake + total) / (intake + max(per_worker.values())), "workers": len(per_worker),
                "simulated": {chunk: (intake + total) / (intake + _makespan(per_job, chunk, workers)) for chunk in (1, 4, 16)}}
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _makespan(costs: list[float], chunksize: int, workers: int) -> float:
    """When the last of `workers` finishes if chunks of jobs go to whichever worker is free (the pool's way)."""
    free = [0.0] * workers
    for start in range(0, len(costs), chunksize):
        k = free.index(min(free))
        free[k] += sum(costs[start:start + chunksize])
    return max(free)


def fresh_run(paths: list[Path], workers: int, workdir: Path) -> dict:
    root = Path(tempfile.mkdtemp(prefix="run-", dir=workdir))
    try:
        return pipeline(paths, workers, root / "cache", root / "site")
    finally:
        shutil.rmtree(root, ignore_errors=True)


def memory_child(folder: str, count: int, workers: int) -> None:
    """Entry point of the memory measurement (a fresh process): print peak RSS in MB as JSON."""
    paths = sorted(Path(folder).glob("*.jpg"))[:count]
    result = fresh_run(paths, workers, Path(folder).parent)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"photos": count, "parent_mb": round(own, 1), "workers_mb": round(children, 1),
                      "encoded": result["encoded"]}))


def measure_memory(folder: Path, count: int, workers: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--memory-child", str(folder), str(count), str(workers)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


# ---- quality / method ----------------------------------------------------------------------------

def psnr_luma(a: Image.Image, b: Image.Image) -> float:
    rms = ImageStat.Stat(ImageChops.difference(a.convert("L"), b.convert("L"))).rms[0]
    return 99.0 if rms == 0 else 20 * math.log10(255 / rms)


def _table_job(job: tuple[str, tuple[tuple[int, int], ...]]) -> list[dict]:
    path, settings = job
    upright = images.load_upright(Path(path).read_bytes())
    info_w, info_h = upright.size
    sized = {}
    for width in images.WIDTHS:
        if width <= info_w:
            height = round(info_h * width / info_w)
            sized[width] = upright if width == info_w else upright.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
    rows = []
    for quality, method in settings:
        row = {"q": quality, "m": method, "bytes": {}, "ms": 0.0}
        for width, picture in sized.items():
            buffer = io.BytesIO()
            started = time.process_time()
            picture.save(buffer, "WEBP", quality=quality, method=method)
            row["ms"] += (time.process_time() - started) * 1000
            row["bytes"][width] = buffer.tell()
            if width == 960:
                row["psnr"] = psnr_luma(Image.open(buffer), picture)
        rows.append(row)
    return rows


def quality_table(paths: list[Path]) -> list[dict]:
    settings = tuple((q, m) for q in QUALITIES for m in METHODS)
    with ProcessPoolExecutor() as pool:
        per_photo = list(pool.map(_table_job, [(str(p), settings) for p in paths], chunksize=1))
    table = []
    for k, (quality, method) in enumerate(settings):
        rows = [photo[k] for photo in per_photo]
        table.append({"q": quality, "m": method,
                      "bytes": {w: statistics.median(r["bytes"][w] for r in rows) for w in images.WIDTHS},
                      "max960": max(r["bytes"][960] for r in rows),
                      "ms": statistics.median(r["ms"] for r in rows),
                      "psnr": statistics.median(r["psnr"] for r in rows)})
    return table


# ---- report --------------------------------------------------------------------------------------

def _spin(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i % 7
    return total


def machine_parallelism(n: int = 3_000_000) -> float:
    """How much faster two processes do two equal CPU-bound jobs than one process does them: ×2.0 on an
    idle 2-core machine, less when other programs share the cores (the pipeline's speed-up is bounded by it)."""
    started = time.perf_counter()
    _spin(n), _spin(n)
    one = time.perf_counter() - started
    with ProcessPoolExecutor(max_workers=2) as pool:
        list(pool.map(_spin, [1], chunksize=1))   # start the workers before timing
        started = time.perf_counter()
        list(pool.map(_spin, [n, n], chunksize=1))
        two = time.perf_counter() - started
    return one / two


def variant_sizes(planned: dict, store: Path) -> dict[int, list[int]]:
    sizes: dict[int, list[int]] = {}
    for _, variants in planned.values():
        for v in variants:
            sizes.setdefault(v.width, []).append((store / v.name).stat().st_size)
    return sizes


def speed_rounds(workdir: Path, count: int, rounds: int) -> None:
    """Alternate 1- and 2-worker runs; print each round with the cores' freedom measured around it."""
    workdir.mkdir(parents=True, exist_ok=True)
    paths = photo_set(workdir, "synthetic", count)
    print("| round | free cores before / after | 1 worker s | 2 workers s | speed-up | variants alone |")
    print("| --- | --- | --- | --- | --- | --- |")
    best = []
    for k in range(1, rounds + 1):
        before = machine_parallelism()
        one, two = fresh_run(paths, 1, workdir), fresh_run(paths, 2, workdir)
        after = machine_parallelism()
        ratio, variants = one["total_s"] / two["total_s"], one["encode_s"] / two["encode_s"]
        print(f"| {k} | ×{before:.2f} / ×{after:.2f} | {one['total_s']:.1f} | {two['total_s']:.1f} | ×{ratio:.2f} | ×{variants:.2f} |",
              flush=True)
        if min(before, after) >= 1.9:
            best.append(ratio)
    if best:
        print(f"\nrounds with both cores free (×1.9 or better before and after): speed-up median ×{statistics.median(best):.2f}, "
              f"best ×{max(best):.2f}")


def kb(n: float) -> str:
    return f"{n / 1024:.0f} KB"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--photos", type=int, default=200)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "htx-bench-images")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per configuration; the best is kept")
    parser.add_argument("--table-photos", type=int, default=40, help="photos in the quality/method table")
    parser.add_argument("--no-table", action="store_true")
    parser.add_argument("--speed-rounds", type=int, default=0,
                        help="only measure the 2-worker speed-up: this many rounds of (1 worker, 2 workers) on "
                             "--photos photos, each beside a check of how free the two cores are; for a shared machine")
    parser.add_argument("--memory-child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_child:
        memory_child(args.memory_child[0], int(args.memory_child[1]), int(args.memory_child[2]))
        return
    if args.speed_rounds:
        speed_rounds(args.workdir, args.photos, args.speed_rounds)
        return

    workdir = args.workdir
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"Settings: WebP q{images.WEBP_QUALITY} method {images.WEBP_METHOD}, widths {images.WIDTHS}; "
          f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}", flush=True)
    started = time.perf_counter()
    paths = photo_set(workdir, "synthetic", args.photos)
    textured = photo_set(workdir, "texture", 8)
    source_kb = statistics.median(p.stat().st_size for p in paths) / 1024
    print(f"Reference set: {len(paths)} JPEGs {SIZE[0]}×{SIZE[1]} (median {source_kb:.0f} KB), "
          f"made in {time.perf_counter() - started:.0f} s\n", flush=True)

    # 1. one core vs two, best of --repeat (fresh cache each time)
    runs = {}
    for workers in (1, 2):
        best = None
        for _ in range(args.repeat):
            result = fresh_run(paths, workers, workdir)
            if best is None or result["total_s"] < best["total_s"]:
                best = result
        runs[workers] = best
    n = len(paths)
    one, two = runs[1], runs[2]
    print(f"(the machine now runs two equal CPU-bound jobs ×{machine_parallelism():.2f} faster on 2 processes than on 1; "
          f"load average {os.getloadavg()[0]:.1f})\n")
    print("| figure | value |")
    print("| --- | --- |")
    print(f"| whole pipeline, 1 core | {one['total_s'] / n * 1000:.0f} ms/photo (intake {one['intake_s'] / n * 1000:.1f}, "
          f"variants {one['encode_s'] / n * 1000:.0f}) |")
    print(f"| whole pipeline, 2 workers | {two['total_s'] / n * 1000:.0f} ms/photo — speed-up ×{one['total_s'] / two['total_s']:.2f} "
          f"(variants alone ×{one['encode_s'] / two['encode_s']:.2f}) |")
    print(f"| CPU time per photo, 1 / 2 workers | {one['cpu_s'] / n * 1000:.0f} / {two['cpu_s'] / n * 1000:.0f} ms "
          f"(equal: the pool adds no work; a lower speed-up means the cores were busy elsewhere) |")
    balance = work_balance(paths, workdir)
    print(f"| speed-up from CPU accounting, 2 workers | ×{balance['speedup']:.2f} (intake {balance['intake_s']:.1f} s serial, "
          f"jobs {balance['jobs_s']:.1f} s of CPU, busiest worker {balance['busiest_s']:.1f} s) |")
    sim = balance["simulated"]
    print(f"| same jobs, pool chunksize 1 / 4 / 16 | ×{sim[1]:.2f} / ×{sim[4]:.2f} / ×{sim[16]:.2f} |")

    # 2. sizes, from a kept run
    keep = workdir / "kept"
    shutil.rmtree(keep, ignore_errors=True)
    first = pipeline(paths, 2, keep / "cache", keep / "site")
    store = keep / "cache" / images.SETTINGS
    sizes = variant_sizes(first["planned"], store)
    for width in sorted(sizes):
        print(f"| {width} px WebP, synthetic set | median {kb(statistics.median(sizes[width]))}, max {kb(max(sizes[width]))} |")
    tex = pipeline(textured, 2, keep / "cache", keep / "site-tex")
    tex960 = variant_sizes(tex["planned"], store)[960]
    print(f"| 960 px WebP, texture photos ({len(textured)}) | median {kb(statistics.median(tex960))}, max {kb(max(tex960))} |")
    samples = sorted(p for p in (REPO / "cooperatives").glob("*/images/*.jpg"))
    if samples:
        sample = pipeline(samples, 2, keep / "cache", keep / "site-samples")
        s960 = [s for w, ss in variant_sizes(sample["planned"], store).items() for s in ss if w >= 960]
        print(f"| ≥ 960 px WebP, sample site photos ({len(samples)}, 1200×900) | max {kb(max(s960))} |")

    # 3. nothing changed: nothing encoded
    again = pipeline(paths, 2, keep / "cache", keep / "site-again")
    print(f"| second run, nothing changed | {again['encoded']} files re-encoded, {again['total_s'] * 1000:.0f} ms for {n} photos |")

    # 4. memory stays flat as the photo count grows
    for count in sorted({min(50, n), n}):
        mem = measure_memory(workdir / "synthetic", count, 2)
        print(f"| peak RSS, {count} photos, 2 workers | parent {mem['parent_mb']:.0f} MB, workers {mem['workers_mb']:.0f} MB |")
    print(flush=True)

    # 5. quality × method
    if not args.no_table:
        for label, subset in ((f"{min(args.table_photos, n)} synthetic photos", paths[: args.table_photos]),
                              (f"{len(textured)} texture photos", textured)):
            print(f"Quality/method, {label} (bytes are medians; ms = CPU time to encode the three widths of one photo)\n")
            print("| quality | method | 480 px | 960 px | 1600 px | 960 px max | encode ms/photo | PSNR 960 (dB) |")
            print("| --- | --- | --- | --- | --- | --- | --- | --- |")
            for row in quality_table(subset):
                b = row["bytes"]
                print(f"| {row['q']} | {row['m']} | {kb(b[480])} | {kb(b[960])} | {kb(b[1600])} | {kb(row['max960'])} | "
                      f"{row['ms']:.0f} | {row['psnr']:.2f} |", flush=True)
            print()
    shutil.rmtree(keep, ignore_errors=True)
    print(f"\ntotal {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
