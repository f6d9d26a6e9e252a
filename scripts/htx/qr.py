"""QR codes of page URLs as small inline SVG, for the printed flyers and cards (qrcode builds the matrix).

The matrix is drawn as one stroked path, a horizontal segment per run of dark modules (about 2 KB for a
page URL, a fifth of qrcode's own SVG output). Error correction M (15 %): survives a fold or a smudge on a
market stall. Making a code takes ~14 ms in pure Python (qrcode tries the eight masks and keeps the most
readable one), so each SVG is cached by URL in the image cache: a rebuild makes none again.
"""
from __future__ import annotations

import hashlib
import html
import os
from pathlib import Path

import qrcode
from qrcode.constants import ERROR_CORRECT_M

QUIET = 4                   # the quiet zone the standard asks for, in modules
SETTINGS = "qr-m-path-v1"   # part of the cache key: change it when the drawing below changes


def matrix(url: str) -> list[list[bool]]:
    """Return the QR modules of url (True = dark), without the quiet zone."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    code.add_data(url.encode("utf-8"))
    code.make(fit=True)
    return code.get_matrix()


def svg(url: str) -> str:
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
    label = html.escape(f"Mã QR: {url}", quote=True)
    return (f'<svg class="htx-qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" role="img" '
            f'aria-label="{label}" shape-rendering="crispEdges"><rect width="{size}" height="{size}" fill="#fff"/>'
            f'<path stroke="#000" stroke-width="1" d="{"".join(parts)}"/></svg>')


def cached_svg(url: str, cache: Path | None = None) -> str:
    """Return svg(url), from the cache folder when made before (keyed by URL and SETTINGS)."""
    if cache is None:
        from .images import cache_dir

        cache = cache_dir()
    key = hashlib.sha256(f"{SETTINGS}\n{url}".encode()).hexdigest()
    path = cache / SETTINGS / key[:2] / f"{key}.svg"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        pass
    text = svg(url)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass   # a read-only cache only costs time
    return text
