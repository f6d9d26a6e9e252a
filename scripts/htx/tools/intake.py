"""Staff intake: a profile received by e-mail or Zalo (profile.yml, or a zip with it and photos) into its folder.

The package is untrusted. Nothing is written outside a staging folder under cooperatives/ (named `.nhan-…`,
which every reader ignores) until every entry has passed: regular files only (no links, devices or nested
archives), names that stay inside the folder, one YAML file plus photos under `images/`, bounded counts and
sizes (checked on the bytes actually read, not on what the zip's directory claims). Then the staged files move
into cooperatives/<ma>/ (the `ma:` written in the profile, checked).
"""
from __future__ import annotations

import re
import shutil
import stat
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..data import messages as M
from ..publish.images import MAX_FILE_BYTES
from ..data.load import MAX_PROFILE_BYTES, PROFILE_NAME, is_ignored_folder, read_profile
from ..data.problems import Problem
from ..data.placeholders import PROFILE_PLACEHOLDERS
from ..data.validate import MAX_PHOTOS

MAX_ENTRIES = MAX_PHOTOS + 20          # the profile, its photos, a few folder entries
MAX_PACKAGE_BYTES = 100_000_000        # the zip as received (e-mail services cap attachments at ~25 MB)
MAX_UNPACKED_BYTES = 300_000_000       # everything it unpacks to, counted while reading
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
YAML_SUFFIXES = (".yml", ".yaml")
# Files an archiver adds by itself (macOS resource forks, Finder and Explorer thumbnails): skipped, not refused.
_JUNK = re.compile(r"(^|/)(__MACOSX/|\.DS_Store$|Thumbs\.db$|desktop\.ini$)", re.IGNORECASE)
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_MAGIC = {".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",), ".png": (b"\x89PNG\r\n\x1a\n",), ".webp": (b"RIFF",)}


class IntakeError(Exception):
    """A package refused before anything reached the cooperatives folder."""

    def __init__(self, key: str, hint_key: str | None = None, problems: list[Problem] | None = None, **values: object) -> None:
        self.message = M.text(key, **values)
        self.hint = M.text(hint_key, **values) if hint_key else ""
        self.problems = problems or []
        super().__init__(self.message)


@dataclass
class Received:
    """What was placed: the folder, the profile and the photos (paths relative to the folder)."""

    slug: str
    folder: Path
    photos: list[str] = field(default_factory=list)
    replaced: bool = False


def receive(package: Path, coops: Path, *, overwrite: bool = False) -> Received:
    """Check package and move its profile (and photos) into coops/<ma>/; raise IntakeError when refused."""
    if package.is_symlink() or not package.is_file():
        raise IntakeError("intake_not_file", "intake_not_file_hint", got=package.name)
    coops.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".nhan-", dir=coops))
    try:
        with package.open("rb") as fh:
            is_zip = fh.read(4) == b"PK\x03\x04"
        if is_zip:
            photos = _unpack(package, staging)
        elif package.suffix.lower() in YAML_SUFFIXES or package.suffix == "":
            photos = []
            size = package.stat().st_size
            if size > MAX_PROFILE_BYTES:
                raise IntakeError("intake_profile_too_large", None, size=size // 1000, limit=MAX_PROFILE_BYTES // 1000)
            shutil.copyfile(package, staging / PROFILE_NAME)
        else:
            raise IntakeError("intake_unknown_kind", "intake_unknown_kind_hint", got=package.name)
        slug = _slug(staging / PROFILE_NAME, package.name)
        target = coops / slug
        if target.is_symlink() or (target.exists() and not target.is_dir()):
            raise IntakeError("intake_target_link", None, slug=slug)
        exists = (target / PROFILE_NAME).exists() or (target / PROFILE_NAME).is_symlink()
        if exists and not overwrite:
            raise IntakeError("intake_exists", "intake_exists_hint", slug=slug)
        if not target.exists():
            staging.rename(target)  # one step: a reader sees no folder or the whole folder
        else:
            _merge(staging, target)
        return Received(slug, target, photos, replaced=exists)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _slug(profile: Path, shown: str) -> str:
    doc, problems = read_profile(profile, shown)
    if doc is None:
        raise IntakeError("intake_unreadable", "intake_unreadable_hint", problems=problems)
    slug = doc.data.get("ma") if isinstance(doc.data, dict) else None
    if not isinstance(slug, str) or not slug.strip():
        raise IntakeError("intake_no_slug", "intake_no_slug_hint")
    if not _SLUG.match(slug) or is_ignored_folder(slug) or len(slug) > 60:
        raise IntakeError("intake_bad_slug", "intake_no_slug_hint", got=slug)
    if slug in PROFILE_PLACEHOLDERS:
        raise IntakeError("intake_placeholder_slug", "intake_no_slug_hint", got=slug)
    return slug


def _entry_name(info: zipfile.ZipInfo) -> PurePosixPath | None:
    """Return the entry's relative path, None for a folder entry; refuse names that leave the folder."""
    name = info.filename
    if "\\" in name or name.startswith("/") or re.match(r"^[A-Za-z]:", name) or not name.isprintable() \
            or any(unicodedata.category(ch) == "Cf" for ch in name):
        raise IntakeError("intake_bad_name", "intake_bad_name_hint", got=name.encode("unicode_escape").decode("ascii"))
    parts = name.rstrip("/").split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise IntakeError("intake_bad_name", "intake_bad_name_hint", got=name)
    mode = info.external_attr >> 16
    kind = stat.S_IFMT(mode)
    if kind == stat.S_IFLNK:
        raise IntakeError("intake_symlink", None, got=name)
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        raise IntakeError("intake_special", None, got=name)
    if info.is_dir():
        return None
    return PurePosixPath(*parts)


def _unpack(package: Path, staging: Path) -> list[str]:
    size = package.stat().st_size
    if size > MAX_PACKAGE_BYTES:
        raise IntakeError("intake_zip_too_large", "intake_zip_too_large_hint", size=size // 1_000_000, limit=MAX_PACKAGE_BYTES // 1_000_000)
    try:
        archive = zipfile.ZipFile(package)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise IntakeError("intake_bad_zip", "intake_bad_zip_hint") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ENTRIES:
            raise IntakeError("intake_too_many", "intake_too_many_hint", count=len(infos), limit=MAX_ENTRIES)
        files: list[tuple[zipfile.ZipInfo, PurePosixPath]] = []
        for info in infos:
            if _JUNK.search(info.filename):
                continue
            path = _entry_name(info)
            if path is not None:
                files.append((info, path))
        # A zipped folder (htx-abc/profile.yml, htx-abc/images/…) is read as its content.
        tops = {p.parts[0] for _, p in files}
        if len(tops) == 1 and all(len(p.parts) > 1 for _, p in files) and not tops <= {"images"}:
            files = [(info, PurePosixPath(*p.parts[1:])) for info, p in files]
        plan = _plan(files)
        total = 0
        seen: set[str] = set()
        photos: list[str] = []
        for info, path, target in plan:
            key = str(target).casefold()
            if key in seen:
                raise IntakeError("intake_duplicate", None, got=info.filename)
            seen.add(key)
            if info.flag_bits & 0x1:
                raise IntakeError("intake_encrypted", "intake_bad_zip_hint", got=info.filename)
            limit = MAX_PROFILE_BYTES if target.name == PROFILE_NAME and len(target.parts) == 1 else MAX_FILE_BYTES
            out = staging.joinpath(*target.parts)
            out.parent.mkdir(parents=True, exist_ok=True)
            written = 0
            try:
                with archive.open(info) as src, open(out, "xb") as dst:
                    while chunk := src.read(1 << 16):
                        written += len(chunk)
                        total += len(chunk)
                        if written > limit:
                            raise IntakeError("intake_file_too_large", None, got=info.filename, limit=limit // 1_000_000 or 1)
                        if total > MAX_UNPACKED_BYTES:
                            raise IntakeError("intake_unpacked_too_large", "intake_zip_too_large_hint", limit=MAX_UNPACKED_BYTES // 1_000_000)
                        dst.write(chunk)
            except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError, RuntimeError):
                raise IntakeError("intake_bad_entry", "intake_bad_zip_hint", got=info.filename) from None
            if target.parts[0] == "images":
                with out.open("rb") as fh:
                    head = fh.read(12)
                suffix = target.suffix.lower()
                if not any(head.startswith(m) for m in _MAGIC[suffix]) or (suffix == ".webp" and head[8:12] != b"WEBP"):
                    raise IntakeError("intake_not_image", "intake_not_image_hint", got=info.filename)
                photos.append(str(target))
        if not (staging / PROFILE_NAME).is_file():
            raise IntakeError("intake_no_profile", "intake_no_profile_hint")
        return sorted(photos)


def _plan(files: list[tuple[zipfile.ZipInfo, PurePosixPath]]) -> list[tuple[zipfile.ZipInfo, PurePosixPath, PurePosixPath]]:
    """Return (entry, path in zip, path in the folder): one YAML file at the top, photos under images/."""
    plan = []
    yamls = [(info, p) for info, p in files if len(p.parts) == 1 and p.suffix.lower() in YAML_SUFFIXES]
    if len(yamls) > 1:
        raise IntakeError("intake_many_profiles", None, got=", ".join(str(p) for _, p in yamls))
    for info, path in files:
        suffix = path.suffix.lower()
        if len(path.parts) == 1 and suffix in YAML_SUFFIXES:
            plan.append((info, path, PurePosixPath(PROFILE_NAME)))
        elif suffix in (".zip", ".rar", ".7z", ".gz", ".tar", ".tgz"):
            raise IntakeError("intake_nested_archive", "intake_nested_archive_hint", got=info.filename)
        elif any(part.startswith((".", "_")) for part in path.parts):  # hidden files are never published
            raise IntakeError("intake_not_allowed", "intake_not_allowed_hint", got=info.filename)
        elif path.parts[0] == "images" and len(path.parts) > 1 and suffix in IMAGE_SUFFIXES:
            plan.append((info, path, path))
        elif suffix in IMAGE_SUFFIXES:
            raise IntakeError("intake_photo_place", "intake_photo_place_hint", got=info.filename)
        else:
            raise IntakeError("intake_not_allowed", "intake_not_allowed_hint", got=info.filename)
    return plan


def _merge(staging: Path, target: Path) -> None:
    """Move staged files over an existing folder (overwrite): the new profile and photos replace the old ones.

    Every destination is checked before the first move, so a refusal leaves the folder as it was.
    """
    moves = []
    for source in sorted(p for p in staging.rglob("*") if p.is_file()):
        relative = source.relative_to(staging)
        folder = target
        for part in relative.parts[:-1]:
            folder = folder / part
            if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
                raise IntakeError("intake_target_link", None, slug=target.name)
        destination = target / relative
        if destination.is_symlink() or destination.is_dir():
            raise IntakeError("intake_target_link", None, slug=target.name)
        moves.append((source, destination))
    for source, destination in moves:
        destination.parent.mkdir(parents=True, exist_ok=True)
        source.replace(destination)
