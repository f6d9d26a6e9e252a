"""QR codes of page URLs as small inline SVG, for the printed flyers and cards (zxing-cpp builds the matrix).

The matrix is drawn as one stroked path, a horizontal segment per run of dark modules (about 2 KB for a
page URL, a fifth of a rect-per-module SVG). Error correction M (15 %): survives a fold or a smudge on a
market stall. zxing-cpp (C++, the standard's mask choice) makes a code in ~0.3 ms, where the pure-Python
qrcode took ~14 ms: 12 minutes of a first national build. Each SVG is still cached by URL in the image
cache, since reading it back is cheaper again than drawing it.
"""
from __future__ import annotations

import hashlib
import html
import os
from pathlib import Path

import zxingcpp

QUIET = 4                   # the quiet zone the standard asks for, in modules
SETTINGS = "qr-m-path-v2"   # part of the cache key: change it when the drawing below changes


def matrix(url: str) -> list[list[bool]]:
    """Return the QR modules of url (True = dark), without the quiet zone."""
    # Bytes, not text: the URL is encoded as given (UTF-8), in byte mode, as phones' cameras expect.
    code = zxingcpp.create_barcode(url.encode("utf-8"), zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    pixels = memoryview(code.to_image(scale=1, add_quiet_zones=False))
    height, width = pixels.shape
    data = pixels.tobytes()
    return [[px == 0 for px in data[y * width:(y + 1) * width]] for y in range(height)]


CAPTION = "Mã QR"   # the code's accessible name, before its URL


def svg(url: str, caption: str = CAPTION) -> str:
    """Return an inline <svg> QR code of url: white quiet zone, one black path, sized by CSS."""
    rows = matrix(url)
    size = len(rows) + 2 * QUIET
    parts = []
    for y, row in enumerate(rows):
        x, pen = 0, None   # pen: where the last segment of this row ended
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                move = f"M{start + QUIET} {y + QUIET}.5" if pen is None else f"m{start - pen} 0"
                parts.append(f"{move}h{x - start}")
                pen = x
            x += 1
    label = html.escape(f"{caption}: {url}", quote=True)
    return (f'<svg class="htx-qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" role="img" '
            f'aria-label="{label}" shape-rendering="crispEdges"><rect width="{size}" height="{size}" fill="#fff"/>'
            f'<path stroke="#000" stroke-width="1" d="{"".join(parts)}"/></svg>')


def cached_svg(url: str, cache: Path | None = None, caption: str = CAPTION) -> str:
    """Return svg(url), from the cache folder when made before (keyed by URL, SETTINGS and a caption other than
    the Vietnamese one: the English pages' "QR code")."""
    if cache is None:
        from .images import cache_dir

        cache = cache_dir()
    extra = "" if caption == CAPTION else "\n" + caption    # Vietnamese codes keep their keys
    key = hashlib.sha256(f"{SETTINGS}\n{url}{extra}".encode()).hexdigest()
    path = cache / SETTINGS / key[:2] / f"{key}.svg"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        pass
    text = svg(url, caption=caption)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass   # a read-only cache only costs time
    return text
