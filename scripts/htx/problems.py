"""The value every stage returns for bad content: a located, Vietnamese problem report."""
from __future__ import annotations

from dataclasses import dataclass


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

    def format_text(self) -> str:
        """Return the problem as `file:line:col: path: message (hint)` for a terminal."""
        where = f"{self.file}:{self.line}:{self.col}"
        label = "cảnh báo" if self.severity == "warning" else "lỗi"
        text = f"{where}: {label}: "
        if self.path:
            text += f"[{self.path}] "
        text += self.message
        if self.hint:
            text += f"\n    → {self.hint}"
        return text

    def format_github(self) -> str:
        """Return the problem as a GitHub workflow annotation command."""
        kind = "warning" if self.severity == "warning" else "error"
        body = self.message + (f" — {self.hint}" if self.hint else "")
        if self.path:
            body = f"[{self.path}] {body}"
        # Workflow commands need %, CR and LF escaped in the message.
        body = body.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        file = self.file.replace("%", "%25").replace(",", "%2C").replace(":", "%3A")
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
