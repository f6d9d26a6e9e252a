"""Photos: intake checks (inspect_image), the variants a page needs (plan_variants, pure) and their
encoding into the site (write_variants), cached by content so an unchanged photo is never re-encoded.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import struct
import warnings
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from PIL import Image, ImageCms, ImageOps

MAX_FILE_BYTES = 20_000_000     # phone photos are 3–12 MB
MAX_PIXELS = 50_000_000         # checked from the header, before any decoding (decompression bombs); 50 Mpx phones
# Decoded pixels per file byte: decoding costs time and memory by the pixel, uploading costs the sender by the
# byte. Phone photos carry 2–7 pixels per byte and the flattest JPEG (one colour) 64; flat PNG logos 20–175
# (7000×7000), palette PNGs and lossless WebP more; a one-colour lossless WebP of 50 Mpx fits in 36 bytes.
# Pictures up to FREE_PIXELS (a 2000×2000 logo) pass whatever their size; above it each byte of the file may
# bring at most PIXELS_PER_BYTE more: a 50 Mpx JPEG needs 230 KB, which no real photo is short of.
FREE_PIXELS = 4_000_000
PIXELS_PER_BYTE = 200
# PNG and WebP are decoded whole (JPEG at a reduced DCT scale: a 50 Mpx JPEG costs a worker 43 MB): a
# 50 Mpx PNG with alpha peaks at 950 MB, a WebP at 770 MB (Pillow copies libwebp's RGBA canvas). 16 Mpx
# keeps a 12 Mpx phone photo saved as PNG, 4K screenshots and 4000×4000 logos, at about 300 MB.
MAX_PIXELS_UNSCALED = 16_000_000
WIDTHS = (160, 480, 960, 1600)  # search-result thumbnail and small tiles, phone, tablet/desktop column, full-screen
WEBP_QUALITY = 72               # see scripts/DEVELOPERS.md (Photos) for the measurements behind these two
WEBP_METHOD = 4
SETTINGS = f"webp-q{WEBP_QUALITY}-m{WEBP_METHOD}-v2"
INTAKE_VERSION = "intake-v2"    # bump when what inspect_image measures changes (the cache is keyed by content)
URL_DIR = "anh"                 # published variants: /anh/<hash>-<width>.webp

_ACCEPTED = {"JPEG", "PNG", "WEBP"}
_EXT = {"JPEG": (".jpg", ".jpeg"), "PNG": (".png",), "WEBP": (".webp",)}
_SRGB = ImageCms.createProfile("sRGB")
_ROTATED = {5, 6, 7, 8}         # EXIF orientations that turn the picture a quarter: width and height swap
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


@dataclass(frozen=True)
class ImageInfo:
    """A checked source photo: its content hash, upright size, and a colour for the placeholder."""

    path: str
    sha: str
    width: int
    height: int
    format: str
    format_mismatch: bool
    color: str  # "#a0b1c2", the average colour, shown while the photo loads


@dataclass(frozen=True)
class Variant:
    """One encoded size of a photo, named by content so browsers may cache it forever."""

    sha: str
    width: int
    height: int

    @property
    def name(self) -> str:
        return f"{self.sha[:20]}-{self.width}.webp"

    @property
    def url(self) -> str:
        return f"{URL_DIR}/{self.name}"


CACHE_DIR: Path | None = None   # set by the build from the plugin's cache_dir setting (use_cache_dir)


def use_cache_dir(folder: Path | None) -> None:
    """Keep photos, share cards and QR codes in folder from now on (None: back to cache_dir()'s default)."""
    global CACHE_DIR
    CACHE_DIR = folder


def cache_dir() -> Path:
    """Return the cache folder: the build's setting, else $HTX_CACHE_DIR (the command-line tools), else
    .cache/htx in the working directory."""
    if CACHE_DIR is not None:
        return CACHE_DIR
    return Path(os.environ.get("HTX_CACHE_DIR") or Path.cwd() / ".cache" / "htx")


def _sniff(head: bytes) -> str | None:
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"hevc", b"avif"):
        return "HEIC" if head[8:12] != b"avif" else "AVIF"
    stripped = head.lstrip()
    if stripped.startswith((b"<?xml", b"<svg", b"<!DOCTYPE svg")) or b"<svg" in head[:512]:
        return "SVG"
    if head.startswith((b"BM",)):
        return "BMP"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "TIFF"
    return None


def header_size(kind: str, data: bytes) -> tuple[int, int] | None:
    """Return (width, height) as stored, read from the header alone (no pixel is decoded), or None."""
    try:
        if kind == "PNG":
            if data[12:16] == b"IHDR":
                return struct.unpack(">II", data[16:24])
        elif kind == "WEBP":
            chunk = data[12:16]
            if chunk == b"VP8X":
                return 1 + int.from_bytes(data[24:27], "little"), 1 + int.from_bytes(data[27:30], "little")
            if chunk == b"VP8L" and data[20] == 0x2F:
                bits = int.from_bytes(data[21:25], "little")
                return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
            if chunk == b"VP8 " and data[23:26] == b"\x9d\x01\x2a":
                w, h = struct.unpack("<HH", data[26:30])
                return w & 0x3FFF, h & 0x3FFF
        elif kind == "JPEG":
            i = 2
            while i + 9 < len(data):
                if data[i] != 0xFF:
                    return None
                marker = data[i + 1]
                if marker == 0xFF:          # fill byte
                    i += 1
                    continue
                if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
                    i += 2
                    continue
                length = struct.unpack(">H", data[i + 2:i + 4])[0]
                # SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC): height then width.
                if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                    h, w = struct.unpack(">HH", data[i + 5:i + 9])
                    return w, h
                if marker == 0xDA:          # start of scan before any frame header: malformed
                    return None
                i += 2 + length
    except (IndexError, struct.error):
        return None
    return None


def inspect_image(path: Path) -> tuple[ImageInfo | None, tuple[str, dict] | None]:
    """Return the checked info of a photo, or a message key and values saying why it is refused."""
    stat = path.stat()
    size = stat.st_size
    if size == 0:
        return None, ("photo_not_image", {"detail": "tệp rỗng, 0 byte"})
    if size > MAX_FILE_BYTES:
        return None, ("photo_too_big_file", {"size": round(size / 1e6, 1), "limit": MAX_FILE_BYTES // 1_000_000})
    known = _recall(path, stat)
    if known is not None:
        # Recorded before these limits existed, perhaps: the record holds the size, so checking costs nothing.
        refused = too_dense(known.width, known.height, size) or too_big_unscaled(known.format, known.width, known.height)
        return (None, refused) if refused else (known, None)
    data = path.read_bytes()
    kind = _sniff(data[:1024])
    if kind is None:
        return None, ("photo_not_image", {"detail": "không nhận ra định dạng"})
    if kind not in _ACCEPTED:
        return None, ("photo_refused_type", {"format": kind})
    # Decompression bombs are refused from the header: a 20000×20000 PNG of a few hundred KB never
    # reaches the decoder, so no pixel memory is allocated for it.
    dims = header_size(kind, data)
    if dims and dims[0] * dims[1] > MAX_PIXELS:
        return None, ("photo_too_many_pixels", {"width": dims[0], "height": dims[1], "limit": MAX_PIXELS // 1_000_000})
    refused = (too_dense(*dims, size) or too_big_unscaled(kind, *dims)) if dims else None
    if refused:
        return None, refused
    sha = hashlib.sha256(data).hexdigest()
    cached = _read_intake(sha)
    if cached is None:
        cached, error = _decode_check(data)
        if error:
            return None, error
        _write_intake(sha, cached)
    # The decoder's size, should the header lie (or be one header_size can't read).
    refused = too_dense(cached["width"], cached["height"], size) or too_big_unscaled(kind, cached["width"], cached["height"])
    if refused:
        return None, refused
    mismatch = not path.name.lower().endswith(_EXT[kind])
    info = ImageInfo(str(path), sha, cached["width"], cached["height"], kind, mismatch, cached["color"])
    _remember(path, stat, info)
    return info, None


def too_big_unscaled(kind: str, width: int, height: int) -> tuple[str, dict] | None:
    """Return the refusal of a PNG or WebP too big to decode whole (JPEG has MAX_PIXELS only), else None."""
    if kind in ("JPEG", "MPO") or width * height <= MAX_PIXELS_UNSCALED:
        return None
    return "photo_too_many_pixels_unscaled", {"width": width, "height": height, "format": kind,
                                              "limit": MAX_PIXELS_UNSCALED // 1_000_000, "jpeg_limit": MAX_PIXELS // 1_000_000}


def too_dense(width: int, height: int, size: int) -> tuple[str, dict] | None:
    """Return the refusal of a picture with more pixels than its file size can honestly hold, else None."""
    if width * height <= FREE_PIXELS + PIXELS_PER_BYTE * size:
        return None
    return "photo_too_dense", {"width": width, "height": height, "megapixels": _decimal(width * height / 1e6),
                               "size": human_size(size), "free": FREE_PIXELS // 1_000_000}


def _decimal(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")   # Vietnamese decimal comma


def human_size(size: int) -> str:
    """Return a file size as Vietnamese readers write it: "36 byte", "1.974 byte", "153 KB", "2,4 MB"."""
    if size < 10_000:
        return f"{size:,} byte".replace(",", ".")
    if size < 1_000_000:
        return f"{round(size / 1000)} KB"
    return f"{_decimal(size / 1e6)} MB"


def _decode_check(data: bytes) -> tuple[dict, tuple[str, dict] | None]:
    """Decode the whole photo once: catches truncation, bombs and animation; measures size and colour.

    JPEGs are decoded at 1/8 scale (libjpeg's DCT scaling): every byte of the entropy-coded data is still
    read, so a truncated file is still refused, in a fifth of the time of a full decode.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as im:
                w, h = im.size
                if w * h > MAX_PIXELS:
                    return {}, ("photo_too_many_pixels", {"width": w, "height": h, "limit": MAX_PIXELS // 1_000_000})
                # Before load(): header_size may not have read this header.
                refused = too_dense(w, h, len(data)) or too_big_unscaled(im.format, w, h)
                if refused:
                    return {}, refused
                # MPO is how many phones save a JPEG with a second picture (depth map, preview): a still photo.
                if im.format != "MPO" and getattr(im, "is_animated", False) and getattr(im, "n_frames", 1) > 1:
                    return {}, ("photo_animated", {})
                if im.format in ("JPEG", "MPO"):
                    im.draft(None, (max(1, w // 8), max(1, h // 8)))
                im.load()
                orientation = _orientation(im)  # after load(): a PNG's EXIF may follow its pixels
                # 16-bit greys can't be resized: reduce them to 8 bits first (full size, but only PNG has them).
                small = _to_srgb(im) if im.mode.startswith("I") else im.copy()
                small.thumbnail((64, 64))
                r, g, b = _to_srgb(small).resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))[:3]
                if orientation in _ROTATED:
                    w, h = h, w
                return {"width": w, "height": h, "color": f"#{r:02x}{g:02x}{b:02x}"}, None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return {}, ("photo_too_many_pixels", {"width": "?", "height": "?", "limit": MAX_PIXELS // 1_000_000})
    except (OSError, SyntaxError, ValueError, EOFError, struct.error) as exc:
        return {}, ("photo_broken", {"detail": str(exc)[:80]})


def _orientation(im: Image.Image) -> int:
    """Return the EXIF orientation (1 when absent or unreadable). Call after load() except for JPEG."""
    try:
        value = im.getexif().get(0x0112, 1)
    except (SyntaxError, ValueError, TypeError, KeyError, IndexError, struct.error, UnicodeDecodeError):
        return 1   # unreadable EXIF: show the picture as stored (a load error is not caught here)
    return value if isinstance(value, int) else 1


def _to_srgb(im: Image.Image) -> Image.Image:
    """Return an RGB image in sRGB: ICC profiles converted, CMYK and 16-bit made 8-bit RGB, alpha on white."""
    icc = im.info.get("icc_profile")
    if im.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (im.mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        im = Image.alpha_composite(background, rgba)
    if im.mode in ("I;16", "I;16B", "I;16L", "I"):
        im = im.point(lambda v: v / 257).convert("L")
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            if im.mode not in ("RGB", "CMYK", "L"):
                im = im.convert("RGB")
            im = ImageCms.profileToProfile(im, source, _SRGB, outputMode="RGB")
        except (ImageCms.PyCMSError, OSError, ValueError):
            im = im.convert("RGB")
    im = im.convert("RGB") if im.mode != "RGB" else im
    im.info.pop("icc_profile", None)   # converted: never applied twice
    return im


def load_upright(data: bytes, need: tuple[int, int] | None = None) -> Image.Image:
    """Decode a photo as published: upright (EXIF orientation applied), 8-bit sRGB RGB, no metadata kept.

    need = (width, height) of the largest picture wanted from it, upright: a JPEG is then decoded at the
    smallest DCT scale (1/2, 1/4, 1/8) that still covers it, which is much faster for big phone photos.
    """
    with Image.open(io.BytesIO(data)) as im:
        if need and im.format in ("JPEG", "MPO"):   # a JPEG's EXIF is in its header: readable before load()
            im.draft(None, (need[1], need[0]) if _orientation(im) in _ROTATED else need)
        im.load()
        picture = _to_srgb(ImageOps.exif_transpose(im))
    picture.info.clear()
    return picture


def _intake_path(sha: str) -> Path:
    return cache_dir() / INTAKE_VERSION / sha[:2] / f"{sha}.json"


def _read_intake(sha: str) -> dict | None:
    try:
        return json.loads(_intake_path(sha).read_text())
    except (OSError, ValueError):
        return None


def _write_intake(sha: str, info: dict) -> None:
    path = _intake_path(sha)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(info))
    tmp.replace(path)


# ---- the manifest: photos already checked, by path and file stamp ---------------------------------
# A rebuild must not read 10,000 photos (3 GB) to hash them again. A photo whose size, mtime, ctime and inode
# are those recorded after it passed intake is taken as checked, like git's index does. Photos changed less
# than RACY_NS before they were checked are not recorded (timestamps are coarse: a same-size rewrite within
# the same tick would look unchanged); they are hashed again next time. _encode_one still checks the hash
# of what it encodes.

MANIFEST_NAME = "manifest.jsonl"
RACY_NS = 2_000_000_000
_MANIFESTS: dict[Path, dict[str, dict]] = {}


def _stamp(stat: os.stat_result) -> list[int]:
    return [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]


def _manifest() -> tuple[Path, dict[str, dict]]:
    """Return the manifest file of the cache in use and its records by absolute path (read once per process)."""
    file = cache_dir() / INTAKE_VERSION / MANIFEST_NAME
    table = _MANIFESTS.get(file)
    if table is None:
        table, lines = {}, 0
        try:
            with open(file, encoding="utf-8") as stream:
                for line in stream:
                    lines += 1
                    try:
                        record = json.loads(line)
                    except ValueError:
                        continue   # a line cut short by a crash
                    if isinstance(record, dict) and isinstance(record.get("path"), str):
                        table[record["path"]] = record
        except OSError:
            pass
        if lines > 2 * len(table) + 1000:   # appended to for a long time: write the live records only
            tmp = file.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in table.values()), encoding="utf-8")
            tmp.replace(file)
        _MANIFESTS[file] = table
    return file, table


def _recall(path: Path, stat: os.stat_result) -> ImageInfo | None:
    """Return the recorded info of a photo unchanged since it passed intake, else None."""
    record = _manifest()[1].get(os.path.abspath(path))
    if record is None or record.get("stamp") != _stamp(stat):
        return None
    try:
        return ImageInfo(str(path), record["sha"], record["width"], record["height"], record["format"],
                         record["mismatch"], record["color"])
    except KeyError:
        return None


def _remember(path: Path, stat: os.stat_result, info: ImageInfo) -> None:
    """Record a photo that passed intake (one appended line), unless it changed too recently to trust."""
    import time

    if time.time_ns() - max(stat.st_mtime_ns, stat.st_ctime_ns) < RACY_NS:
        return
    file, table = _manifest()
    record = {"path": os.path.abspath(path), "stamp": _stamp(stat), "sha": info.sha, "width": info.width,
              "height": info.height, "format": info.format, "mismatch": info.format_mismatch, "color": info.color}
    table[record["path"]] = record
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        with open(file, "a", encoding="utf-8") as stream:
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")
    except OSError:
        pass   # the cache is an optimisation: a read-only cache only costs the hashing


def plan_variants(info: ImageInfo, widths: Iterable[int] = WIDTHS) -> list[Variant]:
    """Return the sizes to publish for a photo: the standard widths it can fill, never upscaled."""
    chosen = [w for w in sorted(set(widths)) if w <= info.width] or [info.width]
    if info.width < max(widths) and info.width not in chosen and info.width > chosen[-1] * 1.15:
        chosen.append(info.width)
    return [Variant(info.sha, w, max(1, round(info.height * w / info.width))) for w in chosen]


def encode_webp(picture: Image.Image) -> bytes:
    """Return the WebP bytes of an RGB picture with the site's settings and no metadata (EXIF, XMP, ICC)."""
    buffer = io.BytesIO()
    # No exif=, xmp= or icc_profile= argument: Pillow's WebP writer then writes none (sRGB is implied).
    picture.save(buffer, "WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD)
    return buffer.getvalue()


def _encode_one(job: tuple[str, str, list[tuple[int, int]], str]) -> int:
    """Encode one source into every width it needs (runs in a worker process); return files written.

    The source is read once: its bytes are checked against the intake hash (the variant names) and decoded
    from memory, at the smallest JPEG scale that covers the largest width.
    """
    source, sha, sizes, out_dir = job
    data = Path(source).read_bytes()
    if hashlib.sha256(data).hexdigest() != sha:
        raise RuntimeError(f"{source}: ảnh đã thay đổi trong lúc dựng trang; dựng lại trang")
    upright = load_upright(data, max(sizes))
    written = 0
    for width, height in sizes:
        target = Path(out_dir) / Variant(sha, width, height).name
        if target.exists():
            continue
        if (width, height) == upright.size:
            resized = upright
        else:
            resized = upright.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(encode_webp(resized))
        tmp.replace(target)
        written += 1
    return written


def run_jobs(func: Callable[[Any], int], jobs: list, workers: int | None,
             progress: Callable[[int, int], None] | None = None) -> int:
    """Run func over jobs, in worker processes when there is more than one job and core; sum the results.

    Jobs go out one at a time (chunksize 1): each is tens of milliseconds of work, so the pool's per-job
    overhead (well under a millisecond) is negligible, and the two cores finish together instead of one
    waiting on the other's last chunk.
    """
    workers = workers or os.cpu_count() or 1
    total = 0
    if workers == 1 or len(jobs) < 2:
        for done, job in enumerate(jobs, 1):
            total += func(job)
            if progress:
                progress(done, len(jobs))
        return total
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
        for done, count in enumerate(pool.map(func, jobs, chunksize=1), 1):
            total += count
            if progress:
                progress(done, len(jobs))
    return total


def write_variants(
    planned: dict[str, tuple[ImageInfo, list[Variant]]],
    site_dir: Path,
    *,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, int]:
    """Encode missing variants into the cache (in parallel), then link every variant into site_dir.

    Returns counts: `encoded` (files written to the cache this run) and `published`.
    """
    store = cache_dir() / SETTINGS
    store.mkdir(parents=True, exist_ok=True)
    jobs = []
    for info, variants in planned.values():
        missing = [(v.width, v.height) for v in variants if not (store / v.name).exists()]
        if missing:
            jobs.append((info.path, info.sha, missing, str(store)))
    # Biggest sources first: the pool's last jobs are then short, and both cores finish together.
    jobs.sort(key=lambda job: -max(w * h for w, h in job[2]))
    encoded = run_jobs(_encode_one, jobs, workers, progress)
    out = site_dir / URL_DIR
    published = 0
    for _, variants in planned.values():
        for v in variants:
            published += publish(store / v.name, out / v.name)
    return {"encoded": encoded, "published": published, "sources_encoded": len(jobs)}


def publish(cached: Path, target: Path) -> int:
    """Hard-link (or copy) a cached file into the site; return 1 when a file was added."""
    if target.exists():
        return 0
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(cached, target)
    except OSError:
        shutil.copyfile(cached, target)
    return 1


def info_dict(info: ImageInfo) -> dict[str, Any]:
    """Return an ImageInfo as plain data (for JSON exports and tests)."""
    return asdict(info)
