"""The value every stage returns for bad content: a located, Vietnamese problem report."""
from __future__ import annotations

import re
from dataclasses import dataclass

# What must never reach a terminal or a log raw: controls (ESC starts terminal commands), bidi and other
# invisible format characters (they reorder or hide what is shown), line separators and lone surrogates.
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    "\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff"
    "\U000110bd\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f]"
)
_NAMED = {"\t": "\\t", "\r": "\\r", "\n": "\\n"}
_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _escape_one(match: re.Match) -> str:
    char = match.group()
    code = ord(char)
    if char in _NAMED:
        return _NAMED[char]
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def escape(text: str, *, keep_newlines: bool = False) -> str:
    """Return text with unsafe characters written as `\\x1b`, `\\u202e`… (newlines kept if asked)."""
    if text.isprintable():
        return text
    if keep_newlines:
        return "\n".join(_UNSAFE.sub(_escape_one, part) for part in text.split("\n"))
    return _UNSAFE.sub(_escape_one, text)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, located in a file (1-based line and column)."""

    file: str
    line: int
    col: int
    path: str
    message: str
    hint: str = ""
    # "error" stops the build; "warning" is printed and the build goes on.
    severity: str = "error"

    @property
    def label(self) -> str:
        """Return the path as people read it: "sản phẩm thứ 1 › OCOP › sao", the key added where it reads otherwise."""
        from .model import label_path
        from .text import fold

        loc = tuple(int(index) if index else key for key, index in _PATH_PART.findall(self.path))
        if not loc:
            return self.path
        label = label_path(loc)
        last = loc[-1]
        if isinstance(last, str) and "_".join(re.findall(r"[a-z0-9]+", fold(label.rsplit(" › ", 1)[-1]))) != last:
            label += f" ({last})"
        return label

    def format_text(self) -> str:
        """Return the problem as `file:line:col: path: message (hint)` for a terminal."""
        where = f"{escape(self.file)}:{self.line}:{self.col}"
        label = "cảnh báo" if self.severity == "warning" else "lỗi"
        text = f"{where}: {label}: "
        if self.path:
            text += f"{escape(self.label)}: "
        text += escape(self.message, keep_newlines=True)  # our messages' own line breaks (list examples)
        if self.hint:
            text += f"\n    → {escape(self.hint, keep_newlines=True)}"
        return text

    def format_github(self) -> str:
        """Return the problem as a GitHub workflow annotation command."""
        kind = "warning" if self.severity == "warning" else "error"
        body = escape(self.message, keep_newlines=True) + (f" — {escape(self.hint, keep_newlines=True)}" if self.hint else "")
        if self.path:
            body = f"{escape(self.label)} [{escape(self.path)}]: {body}"
        # Workflow commands need %, CR and LF escaped in the message.
        body = body.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        file = escape(self.file).replace("%", "%25").replace(",", "%2C").replace(":", "%3A")
        return f"::{kind} file={file},line={self.line},col={self.col},title=Hồ sơ hợp tác xã::{body}"


def errors_only(problems: list[Problem]) -> list[Problem]:
    """Return the problems that must stop a build."""
    return [p for p in problems if p.severity == "error"]


def format_path(loc: tuple) -> str:
    """Return a pydantic/loader location as `san_pham[0].ten`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out
