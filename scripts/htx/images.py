"""Photos: intake checks (inspect_image), the variants a page needs (plan_variants, pure) and their
encoding into the site (write_variants), cached by content so an unchanged photo is never re-encoded.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import warnings
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from PIL import Image, ImageCms, ImageOps

MAX_FILE_BYTES = 20_000_000     # phone photos are 3–12 MB
MAX_PIXELS = 50_000_000         # checked from the header, before any decoding (decompression bombs)
WIDTHS = (480, 960, 1600)       # phone, tablet/desktop column, full-screen
WEBP_QUALITY = 72               # see scripts/DEVELOPERS.md for the measurements behind these two
WEBP_METHOD = 4
SETTINGS = f"webp-q{WEBP_QUALITY}-m{WEBP_METHOD}-v1"
URL_DIR = "anh"                 # published variants: /anh/<hash>-<width>.webp

_ACCEPTED = {"JPEG", "PNG", "WEBP"}
_EXT = {"JPEG": (".jpg", ".jpeg"), "PNG": (".png",), "WEBP": (".webp",)}
_SRGB = ImageCms.createProfile("sRGB")
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


def cache_dir() -> Path:
    """Return the image cache folder: $HTX_CACHE_DIR, or .cache/htx in the working directory."""
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
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"hevc"):
        return "HEIC"
    stripped = head.lstrip()
    if stripped.startswith((b"<?xml", b"<svg", b"<!DOCTYPE svg")) or b"<svg" in head[:512]:
        return "SVG"
    if head.startswith((b"BM",)):
        return "BMP"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "TIFF"
    return None


def inspect_image(path: Path) -> tuple[ImageInfo | None, tuple[str, dict] | None]:
    """Return the checked info of a photo, or a message key and values saying why it is refused."""
    size = path.stat().st_size
    if size == 0:
        return None, ("photo_not_image", {"detail": "tệp rỗng, 0 byte"})
    if size > MAX_FILE_BYTES:
        return None, ("photo_too_big_file", {"size": round(size / 1e6, 1), "limit": MAX_FILE_BYTES // 1_000_000})
    data = path.read_bytes()
    kind = _sniff(data[:1024])
    if kind is None:
        return None, ("photo_not_image", {"detail": "không nhận ra định dạng"})
    if kind not in _ACCEPTED:
        return None, ("photo_refused_type", {"format": kind})
    sha = hashlib.sha256(data).hexdigest()
    cached = _read_intake(sha)
    if cached is None:
        cached, error = _decode_check(data)
        if error:
            return None, error
        _write_intake(sha, cached)
    mismatch = not path.name.lower().endswith(_EXT[kind])
    return ImageInfo(str(path), sha, cached["width"], cached["height"], kind, mismatch, cached["color"]), None


def _decode_check(data: bytes) -> tuple[dict, tuple[str, dict] | None]:
    """Decode the whole photo once: catches truncation, bombs and animation; measures size and colour."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as im:
                w, h = im.size
                if w * h > MAX_PIXELS:
                    return {}, ("photo_too_many_pixels", {"width": w, "height": h, "limit": MAX_PIXELS // 1_000_000})
                if getattr(im, "is_animated", False) and getattr(im, "n_frames", 1) > 1:
                    return {}, ("photo_animated", {})
                im.load()
                upright = ImageOps.exif_transpose(im)
                small = _to_srgb(upright).copy()
                small.thumbnail((64, 64))
                r, g, b = small.resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))[:3]
                return {"width": upright.width, "height": upright.height, "color": f"#{r:02x}{g:02x}{b:02x}"}, None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return {}, ("photo_too_many_pixels", {"width": "?", "height": "?", "limit": MAX_PIXELS // 1_000_000})
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        return {}, ("photo_broken", {"detail": str(exc)[:80]})


def _to_srgb(im: Image.Image) -> Image.Image:
    """Return an RGB image in sRGB: ICC profiles converted, CMYK and 16-bit made 8-bit RGB, alpha on white."""
    icc = im.info.get("icc_profile")
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
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
            out_mode = "RGB"
            im = ImageCms.profileToProfile(im, source, _SRGB, outputMode=out_mode)
        except (ImageCms.PyCMSError, OSError, ValueError):
            im = im.convert("RGB")
    return im.convert("RGB") if im.mode != "RGB" else im


def _intake_path(sha: str) -> Path:
    return cache_dir() / "intake" / sha[:2] / f"{sha}.json"


def _read_intake(sha: str) -> dict | None:
    try:
        return json.loads(_intake_path(sha).read_text())
    except (OSError, ValueError):
        return None


def _write_intake(sha: str, info: dict) -> None:
    path = _intake_path(sha)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(info))
    tmp.replace(path)


def plan_variants(info: ImageInfo, widths: Iterable[int] = WIDTHS) -> list[Variant]:
    """Return the sizes to publish for a photo: the standard widths it can fill, never upscaled."""
    chosen = [w for w in sorted(set(widths)) if w <= info.width] or [info.width]
    if info.width < max(widths) and info.width not in chosen and info.width > chosen[-1] * 1.15:
        chosen.append(info.width)
    return [Variant(info.sha, w, max(1, round(info.height * w / info.width))) for w in chosen]


def _encode_one(job: tuple[str, list[tuple[int, int]], str]) -> int:
    """Encode one source into every width it needs (runs in a worker process); return files written."""
    source, sizes, out_dir = job
    with Image.open(source) as im:
        im.load()
        upright = _to_srgb(ImageOps.exif_transpose(im))
    sha = hashlib.sha256(Path(source).read_bytes()).hexdigest()
    written = 0
    for width, height in sizes:
        target = Path(out_dir) / Variant(sha, width, height).name
        if target.exists():
            continue
        resized = upright if width == upright.width else upright.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        buffer = io.BytesIO()
        # No exif= or icc_profile= argument: nothing of the source's metadata is written.
        resized.save(buffer, "WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD)
        tmp = target.with_suffix(".tmp")
        tmp.write_bytes(buffer.getvalue())
        tmp.replace(target)
        written += 1
    return written


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
            jobs.append((info.path, missing, str(store)))
    encoded = 0
    if jobs:
        workers = workers or os.cpu_count() or 1
        if workers == 1 or len(jobs) == 1:
            results: Iterable[int] = map(_encode_one, jobs)
        else:
            pool = ProcessPoolExecutor(max_workers=workers)
            results = pool.map(_encode_one, jobs, chunksize=4)
        for done, count in enumerate(results, 1):
            encoded += count
            if progress:
                progress(done, len(jobs))
        if workers != 1 and len(jobs) > 1:
            pool.shutdown()
    out = site_dir / URL_DIR
    out.mkdir(parents=True, exist_ok=True)
    published = 0
    for _, variants in planned.values():
        for v in variants:
            target = out / v.name
            if target.exists():
                continue
            try:
                os.link(store / v.name, target)
            except OSError:
                shutil.copyfile(store / v.name, target)
            published += 1
    return {"encoded": encoded, "published": published, "sources_encoded": len(jobs)}


def info_dict(info: ImageInfo) -> dict[str, Any]:
    """Return an ImageInfo as plain data (for JSON exports and tests)."""
    return asdict(info)
