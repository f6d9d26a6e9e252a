#!/usr/bin/env python3
"""Check which files a pull request adds, changes or deletes, before anything of it is installed or built.

An allow-list: a *profile* pull request may only add or change regular files (git mode 100644) at

* `cooperatives/<ma>/profile.yml` (at most 1 MB, as `htx validate` reads), and
* `cooperatives/<ma>/images/<photo>` or `cooperatives/<ma>/<photo>` (at most 20 MB, as the build's photo
  intake reads), where a photo name is letters, digits, spaces, `-`, `_`, `.`, `(`, `)`, at most 100
  characters, not starting with a dot, ending in .jpg, .jpeg, .png or .webp;

and may delete photos there, for one cooperative (`<ma>` = lowercase ASCII letters and digits joined by
single hyphens, so never a `_`/`.` folder such as the template `_mau`) and at most 40 files. Anything else —
any other path (code, `content/`, `overrides/`, `mkdocs.yml`, `.github/`, `setup.py`, a `.pth`,
`cooperatives/noi-bat.yml`, the template, the schema), a symlink (mode 120000), a submodule (160000), an
executable file (100755), the deletion of a profile or of any other path — makes it a *staff* pull request:
the check fails unless the label `bien-tap-vien` is set. Several cooperatives need the label
`nhieu-hop-tac-xa` (or `bien-tap-vien`). Size limits hold whatever the labels: the build refuses bigger files.

Labels can only be added by people with triage (or higher) rights on the repository, i.e. staff: that is
what makes them a staff decision. A pull request cannot label itself, and this script is always taken from
the base branch, so a pull request cannot loosen its own check either. The workflow runs with a read-only
token, so it reports the decision (below) instead of setting the label itself: labelling from a fork's
pull request would need `pull_request_target`, which runs with a write token.

Input (stdin): the output of `git diff --raw -z --no-renames --no-abbrev BASE...HEAD`, i.e. records
`:<old mode> <new mode> <old sha> <new sha> <status>` NUL `<path>` NUL. The sizes of added and changed
files are read with `git cat-file --batch-check` in the current directory (the pull request's checkout).
Labels: $PR_LABELS, a JSON list (as `toJSON(github.event.pull_request.labels.*.name)` gives) or names
separated by commas or new lines.

Output: Vietnamese `::error` workflow annotations on stdout and exit status 1 when the pull request is
refused; a one-line summary and exit status 0 otherwise. When $GITHUB_OUTPUT is set, the decision is
written there: `loai=ho-so` (profile pull request) or `loai=bien-tap` (needs staff), and `hop-tac-xa=<n>`.
`--list-folders` prints the changed cooperative folders instead (one a line, valid codes only), for the
workflow to validate. Standard library only: this runs before the project is installed.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import unicodedata
from dataclasses import dataclass

STAFF_LABEL = "bien-tap-vien"
MULTI_LABEL = "nhieu-hop-tac-xa"
COOPS = "cooperatives"
PROFILE = "profile.yml"
IMAGES = "images"
# Same limits as the build (htx.data.load.MAX_PROFILE_BYTES, htx.publish.images.MAX_FILE_BYTES; a test keeps them equal).
MAX_PROFILE_BYTES = 1_000_000
MAX_IMAGE_BYTES = 20_000_000
MAX_FILES = 40  # per cooperative; a profile with its photos is a few files
MAX_SHOWN = 15  # files listed in one message

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
PHOTO_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp")
MAX_PHOTO_NAME = 100
REGULAR, EXECUTABLE, SYMLINK, SUBMODULE, ABSENT = "100644", "100755", "120000", "160000", "000000"
# Control, format (bidi, zero-width), surrogate (undecodable bytes), private and unassigned characters, line breaks.
_UNSHOWABLE = ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")
_RECORD = re.compile(r":([0-7]{6}) ([0-7]{6}) ([0-9a-f]{4,64}) ([0-9a-f]{4,64}) ([A-Z])[0-9]*")

REASONS = {
    "outside": "nằm ngoài thư mục hồ sơ `cooperatives/<ma>/`: mã nguồn, cấu hình, trang viết tay và tệp của ban biên tập chỉ biên tập viên được sửa",
    "staff_file": "là tệp của ban biên tập (ví dụ danh sách sản phẩm nổi bật, mẫu hồ sơ, schema)",
    "bad_slug": "tên thư mục không phải mã hợp tác xã hợp lệ (chữ thường không dấu, số, nối bằng một dấu gạch ngang); thư mục bắt đầu bằng `_` hoặc `.` là của ban biên tập",
    "bad_place": "trong thư mục hợp tác xã chỉ được có `profile.yml` và ảnh (nên để trong thư mục `images/`, không có thư mục con)",
    "bad_name": "tên ảnh chỉ được gồm chữ, số, khoảng trắng và các dấu - _ . ( ), tối đa 100 ký tự, không bắt đầu bằng dấu chấm hay khoảng trắng",
    "bad_ext": "ảnh phải là JPEG, PNG hoặc WebP (đuôi .jpg, .jpeg, .png hoặc .webp)",
    "symlink": "là liên kết tượng trưng (symlink), không phải tệp thường",
    "submodule": "là một submodule git, không phải tệp thường",
    "executable": "có quyền thực thi (chmod +x); tệp hồ sơ và ảnh phải là tệp thường (bỏ quyền thực thi: `git update-index --chmod=-x <tệp>`)",
    "other_mode": "không phải tệp thường",
    "delete_profile": "xóa hồ sơ của một hợp tác xã",
    "delete_other": "xóa một tệp không phải ảnh của hợp tác xã",
    "bad_path": "tên tệp có ký tự không hợp lệ (không phải UTF-8, ký tự điều khiển hoặc ký tự ẩn)",
}


@dataclass(frozen=True)
class Change:
    """One file of the pull request, as `git diff --raw` reports it."""

    path: str
    status: str             # A, M, D or T (type change); --no-renames leaves no R or C
    new_mode: str = REGULAR  # 000000 when deleted
    new_sha: str = ""
    size: int | None = None  # bytes of the new file (added or changed regular or executable files)


@dataclass(frozen=True)
class Verdict:
    change: Change
    slug: str | None       # the cooperative the file belongs to, when it is an allowed file
    reason: str | None     # key of REASONS when the file is outside the allowed set


# ---- input -----------------------------------------------------------------------------------------


def parse_labels(text: str | None) -> set[str]:
    """Return the labels of $PR_LABELS: a JSON list, or names separated by commas or new lines."""
    text = (text or "").strip()
    if not text:
        return set()
    if text.startswith("["):
        try:
            return {str(x).strip() for x in json.loads(text) if str(x).strip()}
        except (ValueError, TypeError):
            pass
    return {part.strip() for part in text.replace("\n", ",").split(",") if part.strip()}


class InputError(ValueError):
    """The diff listing could not be read (the check then fails closed)."""


def parse_raw(data: bytes) -> list[Change]:
    """Return the changes of `git diff --raw -z --no-renames` output (sizes not filled in)."""
    fields = data.split(b"\0")
    if fields and fields[-1] in (b"", b"\n"):
        fields.pop()
    if len(fields) % 2:
        raise InputError("số trường lẻ")
    changes = []
    for header, raw_path in zip(fields[0::2], fields[1::2]):
        match = _RECORD.fullmatch(header.decode("ascii", "replace").strip())
        if not match or not raw_path:
            raise InputError(f"dòng không đúng dạng: {header[:80]!r}")
        _old_mode, new_mode, _old_sha, new_sha, status = match.groups()
        if status not in "AMDT":
            raise InputError(f"trạng thái {status} không được hỗ trợ (cần --no-renames)")
        # Not UTF-8: kept with surrogate escapes, so that the name check refuses it.
        path = raw_path.decode("utf-8", "surrogateescape")
        changes.append(Change(path, status, new_mode, new_sha))
    return changes


def with_sizes(changes: list[Change], git: str = "git") -> list[Change]:
    """Return changes with the size of every new regular or executable file, asked of git in one process."""
    wanted = [c for c in changes if c.status != "D" and c.new_mode in (REGULAR, EXECUTABLE)]
    if not wanted:
        return changes
    query = "".join(c.new_sha + "\n" for c in wanted)
    result = subprocess.run([git, "cat-file", "--batch-check=%(objectname) %(objecttype) %(objectsize)"],
                            input=query, capture_output=True, text=True, timeout=300, check=False)
    lines = result.stdout.splitlines()
    if result.returncode != 0 or len(lines) != len(wanted):
        raise InputError("git cat-file không trả lời đủ kích thước tệp: " + result.stderr.strip()[:200])
    sizes: dict[str, int] = {}
    for change, line in zip(wanted, lines):
        parts = line.split()
        if len(parts) != 3 or parts[1] != "blob" or not parts[2].isdigit():
            raise InputError(f"không đọc được kích thước của {display(change.path)}: {line[:120]}")
        sizes[change.new_sha] = int(parts[2])
    return [Change(c.path, c.status, c.new_mode, c.new_sha, sizes.get(c.new_sha)) if c in wanted else c for c in changes]


# ---- rules -----------------------------------------------------------------------------------------


def _safe_chars(name: str, extra: str) -> bool:
    """Return whether name has only letters (any script, with their combining marks), digits and extra."""
    for ch in name:
        if ch in extra:
            continue
        if unicodedata.category(ch)[0] not in "LNM":
            return False
    return True


def is_photo_name(name: str) -> str | None:
    """Return None when name is an acceptable photo file name, else the reason key."""
    if not name.lower().endswith(PHOTO_EXTENSIONS):
        return "bad_ext"
    if len(name) > MAX_PHOTO_NAME or name[0] in ". " or name.endswith(" ") or not _safe_chars(name, " -_.()"):
        return "bad_name"
    return None


def classify(change: Change) -> Verdict:
    """Return whether one changed file is inside the allowed set, and for which cooperative."""
    path = change.path
    if any(unicodedata.category(ch) in _UNSHOWABLE for ch in path) or "\ufffd" in path:
        return Verdict(change, None, "bad_path")
    parts = path.split("/")
    if len(parts) < 2 or parts[0] != COOPS:
        return Verdict(change, None, "outside")
    if len(parts) == 2:
        return Verdict(change, None, "staff_file")  # cooperatives/noi-bat.yml, profile.schema.json, …
    slug = parts[1]
    if not SLUG.fullmatch(slug):
        return Verdict(change, None, "bad_slug")
    rest = parts[2:]
    is_profile = rest == [PROFILE]
    if is_profile:
        bad_name = None
    elif len(rest) == 2 and rest[0] == IMAGES:
        bad_name = is_photo_name(rest[1])
    elif len(rest) == 1 and rest[0].lower().endswith(PHOTO_EXTENSIONS):
        bad_name = is_photo_name(rest[0])  # a photo uploaded from a phone next to profile.yml
    else:
        return Verdict(change, None, "bad_place")
    if change.status == "D":
        if is_profile:
            return Verdict(change, None, "delete_profile")
        return Verdict(change, slug, None) if bad_name is None else Verdict(change, None, "delete_other")
    if bad_name:
        return Verdict(change, None, bad_name)
    mode_reason = {REGULAR: None, EXECUTABLE: "executable", SYMLINK: "symlink", SUBMODULE: "submodule"}
    reason = mode_reason.get(change.new_mode, "other_mode")
    return Verdict(change, slug if reason is None else None, reason)


def size_limit(change: Change) -> int | None:
    """Return the byte limit of a file of a cooperative folder (None: no limit applies)."""
    parts = change.path.split("/")
    if len(parts) < 3 or parts[0] != COOPS:
        return None
    return MAX_PROFILE_BYTES if parts[-1] == PROFILE else MAX_IMAGE_BYTES


@dataclass
class Decision:
    kind: str                # "ho-so" (profile pull request) or "bien-tap" (needs staff)
    folders: list[str]       # cooperatives changed through allowed files
    outside: list[Verdict]   # files outside the allowed set
    errors: list[str]        # Vietnamese messages; empty when the pull request may go on


def display(path: str) -> str:
    """Return path with control, invisible and undecodable characters shown as escapes."""
    out = []
    for ch in path:
        if unicodedata.category(ch) in _UNSHOWABLE:
            out.append(f"\\u{ord(ch):04x}" if ord(ch) < 0x10000 else f"\\U{ord(ch):08x}")
        else:
            out.append(ch)
    return "".join(out)


def _listing(items: list[str]) -> str:
    shown = "; ".join(items[:MAX_SHOWN])
    return shown + (f"; và {len(items) - MAX_SHOWN} tệp khác" if len(items) > MAX_SHOWN else "")


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.1f}".replace(".", ",") + " MB"


def decide(changes: list[Change], labels: set[str]) -> Decision:
    """Return the decision for a pull request changing these files, with these labels."""
    verdicts = [classify(c) for c in changes]
    outside = [v for v in verdicts if v.reason]
    folders = sorted({v.slug for v in verdicts if v.slug})
    staff = STAFF_LABEL in labels
    errors: list[str] = []
    if outside and not staff:
        items = [f"`{display(v.change.path)}` {REASONS[v.reason]}" for v in outside]
        errors.append(
            f"Pull request này có {len(outside)} tệp ngoài phạm vi của một hồ sơ hợp tác xã: {_listing(items)}. "
            f"Pull request hồ sơ chỉ được thêm hoặc sửa `cooperatives/<ma>/profile.yml` và ảnh trong "
            f"`cooperatives/<ma>/images/`. Hãy bỏ các tệp trên khỏi pull request; nếu đây là thay đổi của ban "
            f"biên tập, biên tập viên xem kỹ từng tệp rồi gắn nhãn `{STAFF_LABEL}`."
        )
    if len(folders) > 1 and not (labels & {MULTI_LABEL, STAFF_LABEL}):
        listed = ", ".join(f"{COOPS}/{f}/" for f in folders)
        errors.append(
            f"Pull request này sửa {len(folders)} thư mục hợp tác xã ({listed}). "
            f"Mỗi pull request chỉ nên sửa hồ sơ của một hợp tác xã: tách thành nhiều pull request, "
            f"hoặc nhờ biên tập viên gắn nhãn `{MULTI_LABEL}` nếu cần sửa nhiều hợp tác xã cùng lúc."
        )
    too_big = [(c, limit) for c in changes if c.size is not None and (limit := size_limit(c)) is not None and c.size > limit]
    if too_big:
        items = [f"`{display(c.path)}` nặng {_mb(c.size)}, quá giới hạn {_mb(limit)}" for c, limit in too_big]
        errors.append(f"Pull request này có tệp quá lớn: {_listing(items)}. Ảnh chụp điện thoại thường dưới 12 MB: "
                      f"gửi ảnh gốc JPEG thay vì ảnh chưa nén; hồ sơ thật chỉ vài KB.")
    cap = MAX_FILES * max(1, len(folders)) if MULTI_LABEL in labels else MAX_FILES
    if not staff and len(changes) > cap:
        errors.append(f"Pull request này thay đổi {len(changes)} tệp, quá giới hạn {cap} tệp của một pull request hồ sơ. "
                      f"Chia thành nhiều pull request nhỏ hơn, hoặc nhờ biên tập viên xem xét.")
    return Decision("bien-tap" if outside else "ho-so", folders, outside, errors)


# ---- output ----------------------------------------------------------------------------------------


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotate(message: str, file: str | None = None) -> str:
    """Return message as a GitHub `::error` workflow command (%, CR and LF escaped; on a file if given)."""
    where = f"file={_escape_property(display(file))}," if file else ""
    return f"::error {where}title=Phạm vi pull request::{_escape_data(message)}"


def report(decision: Decision, labels: set[str]) -> list[str]:
    """Return the lines to print: one annotation per error, one per file outside the allowed set."""
    lines = [annotate(e) for e in decision.errors]
    if decision.outside and STAFF_LABEL not in labels:
        for verdict in decision.outside[:MAX_SHOWN]:
            if verdict.reason != "bad_path":  # an unprintable name cannot be a file= property
                lines.append(annotate(f"Tệp này {REASONS[verdict.reason]}. Pull request hồ sơ không được thêm, sửa hay xóa "
                                      f"tệp này (biên tập viên: gắn nhãn `{STAFF_LABEL}` nếu đây là thay đổi của ban biên tập).",
                                      verdict.change.path))
    return lines


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        changes = parse_raw(sys.stdin.buffer.read())
        if "--list-folders" in argv:
            for folder in sorted({v.slug for c in changes if (v := classify(c)).slug}):
                print(f"{COOPS}/{folder}")
            return 0
        changes = with_sizes(changes)
    except (InputError, OSError, subprocess.SubprocessError) as exc:
        print(annotate(f"Không đọc được danh sách tệp thay đổi của pull request ({exc}). Biên tập viên xem nhật ký chạy."))
        return 1
    labels = parse_labels(os.environ.get("PR_LABELS"))
    decision = decide(changes, labels)
    output = os.environ.get("GITHUB_OUTPUT")
    if output:
        with open(output, "a", encoding="utf-8") as fh:
            fh.write(f"loai={decision.kind}\nhop-tac-xa={len(decision.folders)}\n")
    for line in report(decision, labels):
        print(line)
    if decision.errors:
        return 1
    if decision.kind == "bien-tap":
        print(f"Pull request của ban biên tập (nhãn `{STAFF_LABEL}`): {len(changes)} tệp thay đổi, "
              f"{len(decision.outside)} tệp ngoài hồ sơ hợp tác xã.")
    else:
        print(f"Phạm vi hợp lệ: {len(changes)} tệp thay đổi, {len(decision.folders)} thư mục hợp tác xã.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
