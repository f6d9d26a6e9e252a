"""Stage 1, load: read profile.yml files into plain data with positions, without resolving types.

PyYAML's composer gives each node with its position. We walk the node tree ourselves and keep every
scalar as the text the cooperative wrote (YAML 1.1 would turn `0712345670` into an octal integer,
`no` into False and `12:30` into 750). The schema, not YAML, decides types later.
"""
from __future__ import annotations

import bisect
import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Iterator

import yaml

from . import messages as M
from .problems import Problem

PROFILE_NAME = "profile.yml"
MAX_PROFILE_BYTES = 1_000_000  # a real profile is a few KB; this stops 50 MB files before parsing
MAX_NODES = 25_000             # bounds memory and time (~1.5 s): samples have ~150 nodes, 200 full products ~15,000
MAX_DEPTH = 40                 # profiles nest 4 levels; deeper is a mistake or an attack
_NULLS = {"", "~", "null", "Null", "NULL"}
# Tags the resolver gives plain YAML; anything else (`!!python/…`, `!custom`) was written on purpose.
_PLAIN_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp", "merge", "value")}

Loc = tuple  # ("san_pham", 0, "ten")
_BREAK = re.compile(r"\r\n|\r|\n")
MAX_SHOWN = 80  # characters of a written value repeated in a message


def clip(value: Any) -> Any:
    """Return a written value short enough to repeat in a message (a 1 MB name stays out of the log)."""
    if isinstance(value, str) and len(value) > MAX_SHOWN:
        return value[: MAX_SHOWN - 1] + "…"
    return value


class _Lines:
    """Map PyYAML's marks to the 1-based line and column an editor or GitHub shows.

    PyYAML also counts NEL (U+0085) and the Unicode line and paragraph separators (U+2028, U+2029,
    common in text pasted from word processors) as line breaks; editors do not, so its own line numbers
    would point every later problem at the wrong line. The mark's character offset is exact.
    """

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in _BREAK.finditer(text)]

    def __call__(self, mark: yaml.Mark) -> tuple[int, int]:
        return self.at(mark.index)

    def at(self, index: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.starts, index) - 1
        return i + 1, index - self.starts[i] + 1


@dataclass
class Document:
    """One profile as written: data of dicts, lists, str and None, plus where each value stands."""

    file: str                      # path as shown to people (repo-relative where possible)
    folder: Path                   # the cooperative's folder
    data: Any = None
    values: dict[Loc, tuple[int, int]] = field(default_factory=dict)  # loc → (line, col), 1-based
    keys: dict[Loc, tuple[int, int]] = field(default_factory=dict)    # loc of a mapping key
    quoted: set[Loc] = field(default_factory=set)                     # scalars written in quotes
    source: str = ""                                                  # the text parsed (marks index into it)
    standalone: bool = False                                          # a file checked alone (no slug folder)
    # Every scalar as (start, end, loc, is_key): where its text stands in source, for checks that must
    # point at one character (validate.check_characters).
    spans: list[tuple[int, int, Loc, bool]] = field(default_factory=list)

    @cached_property
    def _source_lines(self) -> "_Lines":
        return _Lines(self.source)

    def line_col(self, index: int) -> tuple[int, int]:
        """Return the 1-based line and column of a character offset of source."""
        return self._source_lines.at(index)

    def position(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """Return the line and column of loc, or of its nearest parent that has one."""
        loc = tuple(loc)
        while True:
            if key and loc in self.keys:
                return self.keys[loc]
            if loc in self.values:
                return self.values[loc]
            if not loc:
                return (1, 1)
            loc = loc[:-1]


class _Walker:
    """Turn a composed node tree into plain data; report what a profile must not contain."""

    def __init__(self, doc: Document, lines: _Lines, text: str) -> None:
        self.doc = doc
        self.lines = lines
        self.text = text
        self.problems: list[Problem] = []
        self.count = 0
        self.seen: set[int] = set()

    def problem(self, loc: Loc, message: str, hint: str = "", *, key: bool = False) -> None:
        line, col = self.doc.position(loc, key=key)
        from .problems import format_path

        self.problems.append(Problem(self.doc.file, line, col, format_path(loc), message, hint))

    def walk(self, node: yaml.Node, loc: Loc, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooBig(node.start_mark)
        if depth > MAX_DEPTH:
            raise _TooDeep(node.start_mark)
        self.doc.values[loc] = self.lines(node.start_mark)
        # The composer hands back the same node object for every alias of an anchor.
        if id(node) in self.seen:
            self.problem(loc, M.text("yaml_alias"), M.text("yaml_alias_hint"))
            return None
        self.seen.add(id(node))
        # A node starting with `&` carries an anchor. PyYAML ends an anchor name at `:`, so `&an:chor x`
        # would read as ":chor x", and `ten: &Rau sạch` as "sạch": refuse rather than lose text.
        if self.text.startswith("&", node.start_mark.index):
            self.problem(loc, M.text("yaml_anchor"), M.text("yaml_anchor_hint"))  # an error: the text read is kept only to check the rest
        tag = node.tag or ""
        if tag not in _PLAIN_TAGS:
            self.problem(loc, M.text("yaml_tag", tag=clip(tag)), M.text("yaml_tag_hint"))
            return None
        if isinstance(node, yaml.ScalarNode):
            self.doc.spans.append((node.start_mark.index, node.end_mark.index, loc, False))
            if node.style in ("'", '"', "|", ">"):
                self.doc.quoted.add(loc)
                return node.value
            return None if node.value in _NULLS else node.value
        if isinstance(node, yaml.SequenceNode):
            return [self.walk(item, loc + (i,), depth + 1) for i, item in enumerate(node.value)]
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.doc.values[loc + ("?",)] = self.lines(key_node.start_mark)
                self.problem(loc + ("?",), M.text("yaml_complex_key"))
                continue
            key = key_node.value
            child = loc + (key,)
            self.doc.keys[child] = self.lines(key_node.start_mark)
            self.doc.spans.append((key_node.start_mark.index, key_node.end_mark.index, child, True))
            if self._explicit_key(key_node):
                self.problem(child, M.text("yaml_explicit_key", key=clip(key)), M.text("yaml_explicit_key_hint"), key=True)
                continue
            if key in result:
                first = self.doc.values.get(child, (0, 0))[0]
                self.problem(child, M.text("yaml_duplicate_key", key=clip(key), line=first),
                             M.text("yaml_duplicate_key_hint"), key=True)
                continue
            result[key] = self.walk(value_node, child, depth + 1)
        return result

    def _explicit_key(self, node: yaml.Node) -> bool:
        """Tell whether a key was written after YAML's `? ` indicator (read as the bare key otherwise)."""
        i = node.start_mark.index - 1
        while i >= 0 and self.text[i] in " \t":
            i -= 1
        return i >= 0 and self.text[i] == "?" and (i == 0 or self.text[i - 1] in " \t\r\n{[,-\ufeff")


class _TooBig(Exception):
    def __init__(self, mark: yaml.Mark | None = None) -> None:
        self.mark = mark


class _TooDeep(Exception):
    def __init__(self, mark: yaml.Mark) -> None:
        self.mark = mark


class _BoundedLoader(yaml.SafeLoader):
    """SafeLoader that stops composing at MAX_NODES nodes or MAX_DEPTH levels.

    Checking after composing would first build the whole tree: a 1 MB flow list (`[1,1,1,…]`) is half a
    million nodes, 20 s and 400 MB in pure-Python PyYAML. Stopping here bounds both.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.node_count = 0
        self.depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self.node_count += 1
        if self.node_count > MAX_NODES:
            raise _TooBig(self.peek_event().start_mark)
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH + 1:  # the walker counts the root as depth 0
                raise _TooDeep(self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


_CLoader = getattr(yaml, "CSafeLoader", None)  # libyaml; None when PyYAML was built without it


def _check_bounds(text: str) -> None:
    """Raise _TooBig or _TooDeep where _BoundedLoader would, from libyaml's event stream (nothing is built)."""
    count = depth = 0
    for event in yaml.parse(text, Loader=_CLoader):
        if isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent, yaml.CollectionStartEvent)):
            count += 1
            if count > MAX_NODES:
                raise _TooBig(event.start_mark)
            if depth + 1 > MAX_DEPTH + 1:
                raise _TooDeep(event.start_mark)
            depth += isinstance(event, yaml.CollectionStartEvent)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _compose(text: str) -> yaml.Node | None:
    """Return the node tree of text, composed by libyaml when available (15–20× faster than pure Python).

    The same bounds as _BoundedLoader are checked on libyaml's events first, so a hostile file stops as
    early. Node styles, tags and marks (character offsets) are the same; a text libyaml refuses is composed
    again by _BoundedLoader, so errors keep the messages and positions written for it.
    """
    if _CLoader is not None and not text.startswith("\ufeff"):  # libyaml drops a BOM from its offsets
        try:
            _check_bounds(text)
            return yaml.compose(text, Loader=_CLoader)
        except (_TooBig, _TooDeep):
            raise
        except Exception:  # noqa: BLE001  any refusal: let the pure-Python loader say why
            pass
    return yaml.compose(text, Loader=_BoundedLoader)


def parse_text(text: str, file: str, folder: Path | None = None) -> tuple[Document | None, list[Problem]]:
    """Return the document of one YAML text, or None with the problems that stop reading it."""
    doc = Document(file=file, folder=folder or Path("."))
    if not text.strip():
        return None, [Problem(file, 1, 1, "", M.text("file_empty"), M.text("file_empty_hint"))]
    lines = _Lines(text)
    try:
        node = _compose(text)
    except _TooBig as exc:
        return None, [Problem(file, *lines(exc.mark), "", M.text("yaml_too_many_nodes", limit=MAX_NODES), "")]
    except _TooDeep as exc:
        return None, [Problem(file, *lines(exc.mark), "", M.text("yaml_too_deep", depth=MAX_DEPTH), "")]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = lines(mark) if mark else (1, 1)
        message, hint = M.yaml_syntax(exc.problem or "", exc.context or "")
        return None, [Problem(file, line, col, "", message, hint)]
    except yaml.reader.ReaderError as exc:  # a control character, usually pasted from another program
        line, col = lines.at(exc.position)
        code = exc.character if isinstance(exc.character, int) else ord(exc.character or "?")
        return None, [Problem(file, line, col, "", M.text("yaml_control_char", code=f"U+{code:04X}"), M.text("yaml_control_char_hint"))]
    except yaml.YAMLError as exc:  # no position; its words are PyYAML's English, so only its kind is used
        message, hint = M.yaml_syntax(str(getattr(exc, "problem", "") or exc), str(getattr(exc, "context", "") or ""))
        return None, [Problem(file, 1, 1, "", message, hint)]
    except RecursionError:
        return None, [Problem(file, 1, 1, "", M.text("yaml_too_deep", depth=MAX_DEPTH), "")]
    if node is None:
        return None, [Problem(file, 1, 1, "", M.text("file_empty"), M.text("file_empty_hint"))]
    doc.source = text
    walker = _Walker(doc, lines, text)
    try:
        doc.data = walker.walk(node, (), 0)
    except _TooBig as exc:  # aliases can repeat nodes the composer counted once
        return None, [Problem(file, *lines(exc.mark), "", M.text("yaml_too_many_nodes", limit=MAX_NODES), "")]
    except _TooDeep as exc:
        return None, [Problem(file, *lines(exc.mark), "", M.text("yaml_too_deep", depth=MAX_DEPTH), "")]
    if not isinstance(doc.data, dict):
        kind = "list" if isinstance(doc.data, list) else "scalar"
        return None, walker.problems + [
            Problem(file, 1, 1, "", M.text("file_not_mapping", kind=M.text(f"kind_{kind}")), M.text("file_not_mapping_hint"))
        ]
    return doc, walker.problems


def file_bytes(path: Path, limit: int = MAX_PROFILE_BYTES) -> bytes | None:
    """Return the bytes of a YAML file that read_yaml_file would read (regular, not linked, within limit), read
    once for both a cache key or digest and the document; None otherwise (read_yaml_file says why)."""
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > limit:
            return None
        return path.read_bytes()
    except OSError:
        return None


def read_yaml_file(path: Path, display: str, raw: bytes | None = None, *, limit: int = MAX_PROFILE_BYTES,
                   template: str = "cooperatives/_mau/profile.yml") -> tuple[Document | None, list[Problem]]:
    """Return the document of one YAML file (a profile, an event), refusing files linked, irregular, larger than
    limit or not UTF-8; raw: its bytes when already read (file_bytes); template: where the hints send a
    writer for a fresh copy."""
    if path.is_symlink():
        return None, [Problem(display, 1, 1, "", M.text("file_symlink"), M.text("file_symlink_hint"))]
    if not path.is_file():  # a folder named profile.yml, a pipe…: reading would fail or never end
        return None, [Problem(display, 1, 1, "", M.text("file_not_regular", name=path.name),
                              M.text("file_not_regular_hint", name=path.name, template=template))]
    size = path.stat().st_size
    if size > limit:
        return None, [Problem(display, 1, 1, "", M.text("file_too_large", size=size // 1000, limit=limit // 1000), "")]
    raw = path.read_bytes() if raw is None else raw
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(display, line, 1, "", M.text("file_not_utf8"), M.text("file_not_utf8_hint"))]
    return parse_text(text, display, path.parent)


def read_profile(path: Path, display: str, raw: bytes | None = None) -> tuple[Document | None, list[Problem]]:
    """Return the document of one profile file (read_yaml_file with the profile's limit and template)."""
    return read_yaml_file(path, display, raw)


def is_ignored_folder(name: str) -> bool:
    """Tell whether a folder under cooperatives/ is never read or published (`_mau`, drafts, `.git`).

    Every reader of cooperative folders (build, validate, preview, issue form) uses this one rule.
    """
    return name.startswith((".", "_"))


def read_profiles(root: Path, base: Path | None = None, only: set[str] | None = None) -> tuple[list[Document], list[Problem]]:
    """Return the documents of every `<slug>/profile.yml` under root, in folder order.

    Folders whose name starts with `_` or `.` (the template) are always skipped; `only` keeps given slugs.
    """
    docs: list[Document] = []
    problems: list[Problem] = []
    for doc, found in iter_profiles(root, base, only):
        problems += found
        if doc is not None:
            docs.append(doc)
    return docs, problems


def iter_profiles(root: Path, base: Path | None = None, only: set[str] | None = None) -> Iterator[tuple[Document | None, list[Problem]]]:
    """Yield each profile's document (None when unreadable) and its problems, one folder at a time."""
    for path, display, problems in profile_files(root, base, only):
        yield read_profile(path, display) if path is not None else (None, problems)


def profile_files(root: Path, base: Path | None = None, only: set[str] | None = None) -> Iterator[tuple[Path | None, str, list[Problem]]]:
    """Yield each cooperative folder's profile path (None when there is none to read, with the problem) and the
    name it is shown by, in folder order: a caller that keeps only what it needs of each (htx.pipeline.build)
    never holds every document at once."""
    base = base or root.parent
    if not root.is_dir():
        return
    shown_root = _display(root, base)   # once: relpath of every folder costs ~0.1 ms, 34,000 times
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        if is_ignored_folder(folder.name) or (only is not None and folder.name not in only):
            continue
        display = f"{shown_root}/{folder.name}/{PROFILE_NAME}" if shown_root != "." else f"{folder.name}/{PROFILE_NAME}"
        if folder.is_symlink():
            yield None, display, [Problem(display, 1, 1, "", M.text("folder_symlink"), "")]
            continue
        path = folder / PROFILE_NAME
        if not path.exists() and not path.is_symlink():  # a dangling link is reported as a link
            alt = next((p for p in folder.iterdir() if p.name.lower() in ("profile.yaml", "profile.yml.txt", "profile.yml")), None)
            hint = M.text("folder_no_profile_hint_alt", name=alt.name) if alt else M.text("folder_no_profile_hint")
            yield None, display, [Problem(_display(folder, base), 1, 1, "", M.text("folder_no_profile"), hint)]
            continue
        yield path, display, []


def _display(path: Path, base: Path) -> str:
    """Return path relative to base without following links, with forward slashes."""
    return Path(os.path.relpath(path.absolute(), base.absolute())).as_posix()
