"""`htx go-ca-nhan`: withdraw a person's data from a profile, keeping the cooperative and every other byte.

What goes: the representative's name, personal phone, Zalo and e-mail, the consent (`dong_y_cong_khai`),
and every photo entry marked `co_nguoi: có` (with its file when nothing else uses it). The title
(`chuc_vu`) stays: it describes the office, not the person. The profile is edited as TEXT, line ranges
cut where each value stands (from the loader's positions), so comments, order and every other field stay
exactly as the cooperative wrote them; the result is validated before anything is written.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..data.load import Document, Loc, is_ignored_folder, parse_text
from ..data.model import label_path
from ..data.problems import Problem, errors_only, escape
from ..data.text import suggest

REP_FIELDS = ("ho_ten", "dien_thoai", "zalo", "email")


class WithdrawError(Exception):
    """A Vietnamese sentence for staff: nothing was changed."""


@dataclass(frozen=True)
class Cut:
    loc: Loc
    start: int  # character offsets in the source: whole lines
    end: int
    first_line: int
    last_line: int

    @property
    def label(self) -> str:
        return label_path(self.loc)


@dataclass
class Result:
    path: Path
    cuts: list[Cut]
    photos_deleted: list[str]
    problems: list[Problem]   # warnings of the edited profile (errors stop before writing)
    written: bool


def find_profile(coops: Path, slug: str) -> Path:
    """Return cooperatives/<slug>/profile.yml, or raise WithdrawError naming the nearest slug."""
    known = sorted(p.name for p in coops.iterdir() if p.is_dir() and not is_ignored_folder(p.name)) if coops.is_dir() else []
    path = coops / slug / "profile.yml"
    if slug in known and path.is_file() and not path.is_symlink():
        return path
    guess = suggest(slug, known)
    text = f"Không có hợp tác xã mã `{escape(slug)}` trong {coops.name}/."
    text += f" Có phải ý bạn là `{guess}`?" if guess else " Xem tên các thư mục trong cooperatives/ (mã nằm trong địa chỉ trang của hợp tác xã)."
    raise WithdrawError(text)


def _line_start(source: str, index: int) -> int:
    return source.rfind("\n", 0, index) + 1


def _line_end(source: str, index: int) -> int:
    end = source.find("\n", index)
    return len(source) if end < 0 else end + 1


def _extent(doc: Document, loc: Loc) -> tuple[int, int] | None:
    """Return (first character, last character) of a key or item at loc and everything under it."""
    inside = [(s, e) for s, e, l, _ in doc.spans if l[:len(loc)] == loc]
    if not inside:
        return None
    return min(s for s, _ in inside), max(e for _, e in inside)


def _cut(doc: Document, loc: Loc, item: bool) -> Cut:
    extent = _extent(doc, loc)
    if extent is None:
        raise WithdrawError(f"Không tìm thấy vị trí của `{label_path(loc)}` trong tệp.")
    start, end = _line_start(doc.source, extent[0]), _line_end(doc.source, extent[1] - 1)
    before = doc.source[start:extent[0]]
    # Block style only: `  ho_ten: …` or `  - tep: …` alone on their lines. Flow style (`{ho_ten: A, …}`)
    # would need a YAML rewrite, which could change what the cooperative wrote: staff edit it by hand.
    if not re.fullmatch(r" *- *" if item else r" *", before):
        raise WithdrawError(f"`{label_path(loc)}` không viết mỗi mục một dòng (kiểu `khóa: giá trị`): "
                            "không gỡ tự động được; sửa tay trong tệp rồi chạy htx validate.")
    for s, e, l, _ in doc.spans:  # another value sharing these lines would be cut with it
        if start <= s < end and l[:len(loc)] != loc:
            raise WithdrawError(f"`{label_path(loc)}` chung dòng với `{label_path(l)}`: không gỡ tự động được; sửa tay trong tệp.")
    return Cut(loc, start, end, doc.line_col(start)[0], doc.line_col(end - 1)[0])


def _is_yes(value: object) -> bool:
    from ..data.model import parse_bool

    try:
        return isinstance(value, str) and parse_bool(value) is True
    except ValueError:
        return False


def plan(doc: Document) -> tuple[list[Cut], list[str]]:
    """Return the line ranges to remove from doc and the photo files whose entries go."""
    data = doc.data
    cuts: list[Cut] = []
    rep = data.get("nguoi_dai_dien")
    if isinstance(rep, dict):
        cuts += [_cut(doc, ("nguoi_dai_dien", key), False) for key in REP_FIELDS if key in rep]
    if "dong_y_cong_khai" in data:
        cuts.append(_cut(doc, ("dong_y_cong_khai",), False))
    files: list[str] = []
    if isinstance(data.get("logo"), dict) and _is_yes(data["logo"].get("co_nguoi")):
        cuts.append(_cut(doc, ("logo",), False))
        files.append(data["logo"].get("tep"))
    lists: list[Loc] = [("hinh_anh",)]
    products = data.get("san_pham")
    if isinstance(products, list):
        lists += [("san_pham", i, "hinh_anh") for i in range(len(products))]
    for loc in lists:
        node: object = data
        for part in loc:
            node = node[part] if isinstance(node, (dict, list)) and (isinstance(node, list) or part in node) else None  # type: ignore[index]
        if not isinstance(node, list):
            continue
        people = [i for i, photo in enumerate(node) if isinstance(photo, dict) and _is_yes(photo.get("co_nguoi"))]
        files += [node[i].get("tep") for i in people]
        if people and len(people) == len(node):  # an empty list would read as nothing: the key goes too
            cuts.append(_cut(doc, loc, False))
        else:
            cuts += [_cut(doc, loc + (i,), True) for i in people]
    return sorted(cuts, key=lambda c: c.start), [f for f in files if isinstance(f, str)]


def withdraw(path: Path, display: str, *, dry_run: bool = False) -> Result:
    """Remove the personal data of the profile at path (see module doc); raise WithdrawError if it cannot."""
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise WithdrawError(f"{display} không phải văn bản UTF-8: chạy htx validate để xem lỗi.") from None
    doc, problems = parse_text(text, display, path.parent)
    if doc is None or errors_only(problems):
        raise WithdrawError(f"{display} chưa đọc được (lỗi YAML): chạy htx validate {path.parent.as_posix()} rồi sửa trước.")
    cuts, files = plan(doc)
    if not cuts:
        return Result(path, [], [], [], False)
    edited = text
    for cut in reversed(cuts):
        edited = edited[:cut.start] + edited[cut.end:]
    from ..data.validate import validate_document

    new_doc, problems = parse_text(edited, display, path.parent)
    if new_doc is not None:
        _, found = validate_document(new_doc, check_images=False)
        problems += found
    if new_doc is None or errors_only(problems):
        first = errors_only(problems)[0].format_text() if errors_only(problems) else ""
        raise WithdrawError(f"Sau khi gỡ, hồ sơ không còn hợp lệ nên chưa ghi gì:\n{first}\nSửa hồ sơ (htx validate) rồi chạy lại.")
    deleted: list[str] = []
    if not dry_run:
        path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + edited.encode("utf-8"))
        still_used = {v for _, _, l, k in new_doc.spans if not k and l and l[-1] == "tep" for v in [_value(new_doc, l)]}
        for written in dict.fromkeys(files):
            photo = path.parent / PurePosixPath(written)
            # Only a plain file inside the folder that the profile no longer names (validate checked the paths).
            if written not in still_used and photo.is_file() and not photo.is_symlink() and path.parent.resolve() in photo.resolve().parents:
                photo.unlink()
                deleted.append(written)
    return Result(path, cuts, deleted, problems, not dry_run)


def _value(doc: Document, loc: Loc) -> object:
    node: object = doc.data
    for part in loc:
        node = node[part]  # type: ignore[index]
    return node
