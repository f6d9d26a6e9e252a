"""Drop the indentation of the theme's HTML: a fifth of every page's bytes, with nothing a visitor sees.

Jinja templates nest deeply, so Material's pages carry ~7 KB of leading spaces each (measured: theme chrome
27 KB → 20 KB). In HTML, a newline followed by spaces renders like one newline, so removing the spaces that
start a line, and blank lines, changes no layout — except where white space is kept as written: <pre>,
<textarea>, and scripts/styles (kept untouched, whole).
"""
from __future__ import annotations

import re

# Elements whose text is kept exactly; matched whole, case-insensitively, across lines.
_KEEP = re.compile(r"(<(pre|textarea|script|style)\b.*?</\2\s*>)", re.S | re.I)
_INDENT = re.compile(r"\n[ \t]*(?:\n[ \t]*)*")


def compact_html(html: str) -> str:
    """`html` with each line's leading spaces and the blank lines removed, outside pre/textarea/script/style."""
    parts = _KEEP.split(html)
    # split() with two groups yields [text, whole match, tag name, text, ...]: compact the text parts only.
    out = []
    for i, part in enumerate(parts):
        kind = i % 3
        if kind == 0:
            # Material's nav-item partial writes `tabindex=""` on an active section's label: invalid HTML
            # (W3C), and browsers ignore it, so dropping it changes nothing a visitor gets.
            out.append(_INDENT.sub("\n", part).replace(' tabindex=""', ""))
        elif kind == 1:
            out.append(part)
    return "".join(out)
