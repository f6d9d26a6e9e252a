#!/usr/bin/env python3
"""What hostile but well-formed input costs a build (issue 17): the same profiles built three ways.

    python -m htx.bench.hostile                  # 8 profiles of 16 products, --repeat 3
    python -m htx.bench.hostile --profiles 4 --repeat 1 --workdir /tmp/hostile

(a) plain: N profiles whose stories and product descriptions are plain text at their maximum length, and
    phone-like JPEG photos; in the first profile one photo is every product's first photo and --bombs − 1
    more are extra photos of its products (the shape of the attack below).
(b) bombs: the same profiles carrying the corpus an attacker sent: those photos replaced by 7070×7070
    one-colour lossless WebPs of 32 bytes, every Markdown field filled with `[](` to its maximum length,
    and a 4 MB `cooperatives/_nhap/profile.yml`. These are refused at validation, so (b) measures how
    fast the refusal is (and the script checks that the build did fail, for those reasons).
(c) accepted: the biggest hostile input that validation lets through: the photos as lossless WebPs of
    the largest size a WebP may have (images.MAX_PIXELS_UNSCALED: 4000×4000) padded with an unknown chunk
    to the fewest bytes the density limit allows (images.PIXELS_PER_BYTE), Markdown fields carrying as
    much link, emphasis and line-break syntax as the profile's bounds accept (found by bisection with
    htx.pipeline.check), and the same `_nhap`.

Every build is `python -m mkdocs build` in a subprocess with an empty image cache and site (cold), timed
by wall clock and by CPU (user + system of the build and its children), with the peak RSS of the build
and the processes it waited for (os.wait4). Medians of --repeat runs; ratios against (a). Also times
`htx validate cooperatives/_nhap`. Figures only: nothing is asserted (the machine is shared, timings vary).
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import yaml

from htx.bench import synthetic
from htx.publish import images
from htx.bench.run import RUNNER, Run, measure

REPO = Path(__file__).resolve().parents[3]   # the repository (this file: scripts/htx/bench/)
SOURCE_DATE_EPOCH = "1795651200"
STORY_CHARS = 8000        # model: cau_chuyen max_length
DESCRIPTION_CHARS = 5000  # model: a product's mo_ta max_length
BOMB_SIDE = 7070          # 49.98 Mpx: just under images.MAX_PIXELS (the attack reported in issue 17)
ACCEPTED_SIDE = 4000      # 16 Mpx: images.MAX_PIXELS_UNSCALED, the largest PNG or WebP accepted
BOMBS = 8                 # distinct pictures in the attack: eight, the first one every product's photo
NHAP_BYTES = 4_000_000
PLAIN = ("Hợp tác xã trồng lúa thơm theo quy trình hữu cơ, thu hoạch đúng vụ và phơi sấy kỹ trước khi xay xát. "
         "Thành viên được tập huấn, được bao tiêu sản phẩm và chia lợi nhuận cuối năm. ")


# ---- the corpus ------------------------------------------------------------------------------------

def plain_text(length: int) -> str:
    return (PLAIN * (length // len(PLAIN) + 1))[:length].rstrip()


def link_bomb(length: int) -> str:
    return "[](" * (length // 3)


def mixed_text(length: int, share: float) -> str:
    """Markdown with `share` of its room (per kind) given to links, emphasis and line breaks, the rest plain.

    The links stay in one paragraph: Python-Markdown rescans the paragraph for each `[`.
    """
    third = length // 3
    links = "[a](b) " * round(share * third / 7)
    marks = "*a* " * round(share * third / 4)
    lines = "\n".join(["a"] * round(share * third / 2))
    text = links + "\n\n" + marks + "\n\n" + lines + "\n\n"
    return (text + plain_text(length))[:length].rstrip()


def tiny_lossless_webp(width: int, height: int, rgba: tuple[int, int, int, int] = (10, 200, 30, 255)) -> bytes:
    """A one-colour lossless WebP written bit by bit (five one-symbol prefix codes: 0 bits per pixel)."""
    bits: list[int] = []

    def put(value: int, count: int) -> None:
        bits.extend((value >> i) & 1 for i in range(count))

    put(0x2F, 8), put(width - 1, 14), put(height - 1, 14), put(0, 1), put(0, 3)
    put(0, 1), put(0, 1), put(0, 1)
    red, green, blue, alpha = rgba
    for symbol in (green, red, blue, alpha):
        put(1, 1), put(0, 1), put(1, 1), put(symbol, 8)
    put(1, 1), put(0, 1), put(0, 1), put(0, 1)
    body = bytes(sum(bit << (i % 8) for i, bit in enumerate(bits[k:k + 8])) for k in range(0, len(bits), 8))
    chunk = b"VP8L" + struct.pack("<I", len(body)) + body + b"\0" * (len(body) % 2)
    return b"RIFF" + struct.pack("<I", 4 + len(chunk)) + b"WEBP" + chunk


def padded_webp(width: int, height: int, size: int, rgba: tuple[int, int, int, int]) -> bytes:
    """The same picture in the extended format, padded with an unknown chunk to `size` bytes (or a byte more)."""
    vp8l = tiny_lossless_webp(width, height, rgba)[12:]
    vp8x = b"VP8X" + struct.pack("<I", 10) + bytes(4) + (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    pad = max(0, size - (12 + len(vp8x) + len(vp8l) + 8))
    pad += pad % 2
    body = b"WEBP" + vp8x + vp8l + b"PAD " + struct.pack("<I", pad) + bytes(pad)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def at_the_limit(side: int, k: int) -> bytes:
    """The largest-cost picture intake accepts at this size: the fewest bytes the density limit allows."""
    need = max(0, side * side - images.FREE_PIXELS + images.PIXELS_PER_BYTE - 1) // images.PIXELS_PER_BYTE
    return padded_webp(side, side, need, (k % 256, 200, 30, 255))


def _photo(job: tuple[str, int, tuple[int, int]]) -> None:
    path, seed, size = job
    Path(path).write_bytes(synthetic.make_photo(seed, size))


def make_photos(folder: Path, count: int, size: tuple[int, int]) -> list[Path]:
    """Write `count` phone-like JPEGs once (kept between runs in the work folder)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"anh-{k + 1:03}.jpg" for k in range(count)]
    jobs = [(str(p), k + 1, size) for k, p in enumerate(paths) if not p.exists()]
    if jobs:
        with ProcessPoolExecutor() as pool:
            list(pool.map(_photo, jobs))
    return paths


def profile(index: int, products: int, story: str, description: str, photos: list[list[str]]) -> str:
    """Return the YAML of cooperative `index`: products with `photos[i]` each, long texts as given."""
    data = {
        "ma": f"htx-thu-suc-{index + 1}",
        "ho_so_mau": "có",
        "ten": f"Hợp tác xã Thử Sức {index + 1}",
        "loai_hinh": "hop-tac-xa",
        "linh_vuc": ["trong-trot"],
        "so_thanh_vien": 12 + index,
        "nguoi_dai_dien": {"ho_ten": "Trần Thị Bình", "chuc_vu": "Giám đốc"},
        "dong_y_cong_khai": {"nguoi_dong_y": "Trần Thị Bình", "vai_tro": "Giám đốc", "ngay": "12/05/2026"},
        "xac_nhan_ngay": "12/05/2026",
        "dia_chi": {"chi_tiet": "Ấp Hòa Bình", "xa_phuong": "Xã Thoại Sơn"},
        "lien_he": {"dien_thoai": ["0912 000 123"]},
        "gioi_thieu": "Hợp tác xã dùng để đo chi phí dựng trang với dữ liệu thử sức.",
        "cau_chuyen": story,
        "san_pham": [],
    }
    for k in range(products):
        item = {"ma": f"gao-thu-suc-{index + 1}-{k + 1}", "ten": f"Gạo thử sức {k + 1}", "danh_muc": "gao-nong-san",
                "gioi_thieu": "Gạo thơm dùng để đo chi phí dựng trang.", "mo_ta": description, "gia": 25000, "don_vi": "kg"}
        if photos[k]:
            item["hinh_anh"] = [{"tep": f, "mo_ta": f"Ảnh gạo thử sức {k + 1}"} for f in photos[k]]
        data["san_pham"].append(item)
    return yaml.dump(data, Dumper=synthetic._Dumper, allow_unicode=True, sort_keys=False, width=120)


def attack_photos(products: int, bombs: int) -> list[list[str]]:
    """Photo lists of the first profile: photo 1 first for every product, the others spread as extra photos."""
    lists = [["images/anh-1.{ext}"] for _ in range(products)]
    for k in range(1, bombs):
        lists[(k - 1) % products].append(f"images/anh-{k + 1}.{{ext}}")
    return lists


def nhap(size: int) -> str:
    """A 4 MB draft profile: a long list of products (the shape that cost 110 s in `htx from-issue`)."""
    head = "ma: nhap\nten: Hồ sơ nháp\nsan_pham:\n"
    item = "  - ma: gao-nhap\n    ten: Gạo nháp\n    gioi_thieu: Gạo thơm dùng để thử hồ sơ nháp.\n"
    return head + item * ((size - len(head)) // len(item))


@dataclass
class Corpus:
    story: str
    description: str
    first: list[bytes] | None   # the first profile's hostile photos (None: normal JPEGs, --bombs of them)
    ext: str
    draft: bool


def write_project(project: Path, corpus: Corpus, *, profiles: int, products: int, pool: list[Path], bombs: int = BOMBS) -> None:
    """Write a buildable project: config, content and overrides copied, the sample cooperatives, the test ones."""
    if project.exists():
        shutil.rmtree(project)
    project.mkdir(parents=True)
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    for name in ("content", "overrides", "cooperatives"):
        shutil.copytree(REPO / name, project / name, symlinks=True)
    shutil.rmtree(project / "cooperatives" / "_nhap", ignore_errors=True)
    used = 0
    for index in range(profiles):
        folder = project / "cooperatives" / f"htx-thu-suc-{index + 1}"
        (folder / "images").mkdir(parents=True)
        if index == 0:
            lists = [[f.format(ext=corpus.ext) for f in names] for names in attack_photos(products, bombs)]
            for k in range(bombs):
                target = folder / "images" / f"anh-{k + 1}.{corpus.ext}"
                if corpus.first is None:
                    os.link(pool[used + k], target)
                else:
                    target.write_bytes(corpus.first[k])
            used += bombs
        else:
            lists = []
            for k in range(products):
                os.link(pool[used], folder / "images" / f"anh-{k + 1}.jpg")
                lists.append([f"images/anh-{k + 1}.jpg"])
                used += 1
        (folder / "profile.yml").write_text(profile(index, products, corpus.story, corpus.description, lists), encoding="utf-8")
    if corpus.draft:
        (project / "cooperatives" / "_nhap").mkdir()
        (project / "cooperatives" / "_nhap" / "profile.yml").write_text(nhap(NHAP_BYTES), encoding="utf-8")


def largest_accepted_share(products: int, steps: int = 14) -> float:
    """Bisect the share of each Markdown field given to syntax until the profile's bounds refuse it."""
    from htx.pipeline import check
    from htx.data.problems import errors_only

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        folder = root / "cooperatives" / "htx-thu-suc-1"
        folder.mkdir(parents=True)

        def accepted(share: float) -> bool:
            text = profile(0, products, mixed_text(STORY_CHARS, share), mixed_text(DESCRIPTION_CHARS, share), [[]] * products)
            (folder / "profile.yml").write_text(text, encoding="utf-8")
            return not errors_only(check(root / "cooperatives", base=root, check_images=False)[1])

        if not accepted(0.0):
            raise SystemExit("the plain profile is refused: " + str(check(root / "cooperatives", base=root, check_images=False)[1][:3]))
        low, high = 0.0, 1.0
        if accepted(high):
            return high
        for _ in range(steps):
            mid = (low + high) / 2
            low, high = (mid, high) if accepted(mid) else (low, mid)
        return low


# ---- measuring -------------------------------------------------------------------------------------

def env_for(project: Path) -> dict[str, str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", HTX_CACHE_DIR=str(project / ".cache" / "htx"),
               SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH, PYTHONDONTWRITEBYTECODE="1")
    env.pop("HTX_ONLY", None)
    return env


def build(project: Path) -> Run:
    """One cold build: empty image cache and site."""
    shutil.rmtree(project / ".cache", ignore_errors=True)
    shutil.rmtree(project / "site", ignore_errors=True)
    return measure([sys.executable, "-c", RUNNER, "build", "-d", "site"], project, env_for(project))


def refusal_reasons(log: str) -> list[str]:
    found = []
    for label, pattern in (("photo density", "quá ít dữ liệu cho chừng ấy điểm ảnh"), ("Markdown links", "dấu `[`"),
                           ("photo pixels per profile", "triệu điểm ảnh, vượt mức")):
        if pattern in log:
            found.append(label)
    return found


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--profiles", type=int, default=8)
    parser.add_argument("--products", type=int, default=16, help="per profile (the attack reuses one photo for all)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--bombs", type=int, default=BOMBS, help="distinct hostile pictures in the first profile")
    parser.add_argument("--side", type=int, default=BOMB_SIDE, help="side of the refused pictures of (b)")
    parser.add_argument("--accepted-side", type=int, default=ACCEPTED_SIDE, help="side of the accepted pictures of (c)")
    parser.add_argument("--photo-size", default="1600x1200", help="the normal photos (phone photos resized)")
    parser.add_argument("--workdir", type=Path, default=None, help="keep the projects and photos here")
    args = parser.parse_args(argv)
    if not 1 <= args.bombs <= args.products * 8:
        parser.error("--bombs: 1 to 8 per product")
    size = tuple(int(v) for v in args.photo_size.split("x"))
    work = args.workdir or Path(tempfile.mkdtemp(prefix="htx-hostile-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    pool = make_photos(work / "photos", args.bombs + (args.profiles - 1) * args.products, size)   # type: ignore[arg-type]
    share = largest_accepted_share(args.products)
    corpora = {
        "a": Corpus(plain_text(STORY_CHARS), plain_text(DESCRIPTION_CHARS), None, "jpg", False),
        "b": Corpus(link_bomb(STORY_CHARS), link_bomb(DESCRIPTION_CHARS), [tiny_lossless_webp(args.side, args.side, (k % 256, 200, 30, 255)) for k in range(args.bombs)], "webp", True),
        "c": Corpus(mixed_text(STORY_CHARS, share), mixed_text(DESCRIPTION_CHARS, share), [at_the_limit(args.accepted_side, k) for k in range(args.bombs)], "webp", True),
    }
    for name, corpus in corpora.items():
        write_project(work / name, corpus, profiles=args.profiles, products=args.products, pool=pool, bombs=args.bombs)
    bomb_bytes = [len(b) for b in corpora["c"].first or []]
    print(f"{args.bombs} hostile pictures; corpus written in {time.perf_counter() - started:.0f} s under {work}: {args.profiles} profiles × {args.products} products; "
          f"(b) photos {len((corpora['b'].first or [b''])[0])} B each; (c) photos {bomb_bytes[0]:,} B each "
          f"({args.accepted_side}×{args.accepted_side}, {images.PIXELS_PER_BYTE} px/B above {images.FREE_PIXELS // 1_000_000} Mpx); "
          f"(c) Markdown share accepted {share:.3f}", flush=True)
    runs: dict[str, list[Run]] = {name: [] for name in corpora}
    for round_ in range(args.repeat):
        for name in corpora:   # interleaved: a slow spell of the shared machine hits every case alike
            run = build(work / name)
            runs[name].append(run)
            print(f"  run {round_ + 1} ({name}): {'ok' if run.ok else 'refused'} {run.seconds:.1f} s wall, {run.cpu:.1f} s CPU, "
                  f"{run.rss_mb:.0f} MB", flush=True)
    validate = measure([sys.executable, "-m", "htx.tools.cli", "validate", "cooperatives/_nhap"], work / "b", env_for(work / "b"))
    print_table(runs, validate)
    for name, expected in (("a", True), ("b", False), ("c", True)):
        bad = [r for r in runs[name] if r.ok != expected]
        if bad:
            print(f"\n({name}) {'failed' if expected else 'was not refused'}; last lines of its log:\n{bad[0].log[-2500:]}")


def print_table(runs: dict[str, list[Run]], validate: Run) -> None:
    base = runs["a"]
    wall0, cpu0, rss0 = (median([getattr(r, f) for r in base]) for f in ("seconds", "cpu", "rss_mb"))
    labels = {"a": "(a) plain text, normal photos", "b": "(b) cost bombs (refused)", "c": "(c) largest accepted hostile input"}
    print()
    print(f"| case | result | wall s | CPU s | peak RSS MB | wall ×(a) | CPU ×(a) | RSS ×(a) |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for name, label in labels.items():
        rs = runs[name]
        wall, cpu, rss = (median([getattr(r, f) for r in rs]) for f in ("seconds", "cpu", "rss_mb"))
        result = "built" if all(r.ok for r in rs) else ("refused: " + ", ".join(refusal_reasons(rs[-1].log)) if not any(r.ok for r in rs) else "mixed")
        print(f"| {label} | {result} | {wall:.1f} | {cpu:.1f} | {rss:.0f} | {wall / wall0:.2f} | {cpu / cpu0:.2f} | {rss / rss0:.2f} |")
    state = "exit 0" if validate.ok else "refused"
    print(f"| `htx validate cooperatives/_nhap` (4 MB) | {state} | {validate.seconds:.1f} | {validate.cpu:.1f} | {validate.rss_mb:.0f} | | | |")
    print(f"\nmedians of {len(base)} run(s); every build cold (empty image cache and site)")


if __name__ == "__main__":
    main()
