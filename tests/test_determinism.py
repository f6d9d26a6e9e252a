"""Reproducible and atomic builds.

Two builds of the same input in different folders, with different hash seeds and separate image caches,
give byte-identical sites (with SOURCE_DATE_EPOCH, as conftest.run sets it). A build that fails leaves
the previously built site as it was, never a half-written one.
"""
from __future__ import annotations

import gzip
import hashlib
import re
import shutil
from pathlib import Path

import pytest

from htx.synthetic import make_catalog

try:
    from conftest import MKDOCS, VALID, copy_project, run, write_coop
except ImportError:  # tests/ imported as a package
    from tests.conftest import MKDOCS, VALID, copy_project, run, write_coop

pytestmark = pytest.mark.slow


PAGEFIND_UNSTABLE = re.compile(r"^pagefind/(filter/[^/]+\.pf_filter|pagefind\.[^/]+\.pf_meta|pagefind-entry\.json)$")


def new_project(root: Path) -> Path:
    """A project with six synthetic cooperatives (two photos) instead of the samples, which change often."""
    project = copy_project(root, coops=False)
    make_catalog(project, coops=6, products=24, photos=2, seed=3)
    # Hand-written news links to the sample cooperatives (`htx:` links), which this project lacks.
    for page in (project / "content").rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        plain = re.sub(r"\[([^\]]*)\]\(htx:[^)]*\)", r"\1", text)
        if plain != text:
            page.write_text(plain, encoding="utf-8")
    return project


def build(project: Path, **env: str):
    return run(MKDOCS + ["build", "--strict"], project, env)


def snapshot(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = new_project(tmp_path_factory.mktemp("det") / "first")
    result = build(root, PYTHONHASHSEED="1")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    return root


def test_same_input_elsewhere_gives_the_same_bytes(project: Path, tmp_path: Path) -> None:
    other = tmp_path / "somewhere" / "else"
    shutil.copytree(project, other, ignore=shutil.ignore_patterns("site", ".cache"))
    result = build(other, PYTHONHASHSEED="2")
    assert result.returncode == 0, result.stderr[-4000:]
    first, second = snapshot(project / "site"), snapshot(other / "site")
    # Pagefind 1.5 names its filter files (and so its pf_meta and entry file) differently on each run
    # (upstream Pagefind/pagefind#638, see htx/search.py): compared by count; everything else by bytes.
    unstable = [{k for k in names if PAGEFIND_UNSTABLE.match(k)} for names in (first, second)]
    assert len(unstable[0]) == len(unstable[1]) and all(len(u) <= 30 for u in unstable)
    first = {k: v for k, v in first.items() if k not in unstable[0]}
    second = {k: v for k, v in second.items() if k not in unstable[1]}
    assert first.keys() == second.keys(), sorted(set(first) ^ set(second))
    differing = sorted(k for k in first if first[k] != second[k])
    assert differing == [], differing
    assert any(k.startswith("pagefind/fragment/") for k in first)  # the fragments themselves are stable
    # Nothing of the build machine leaks into the pages: no absolute path, no build-time clock.
    for name in first:
        if name.endswith((".html", ".xml", ".json", ".txt")):
            text = (project / "site" / name).read_text(encoding="utf-8", errors="replace")
            assert str(project) not in text and str(tmp_path) not in text, name


def test_sitemap_gzip_has_no_clock_or_path(project: Path) -> None:
    raw = (project / "site" / "sitemap.xml.gz").read_bytes()
    assert raw[:2] == b"\x1f\x8b"
    mtime = int.from_bytes(raw[4:8], "little")
    assert mtime in (0, 1795651200), mtime  # none, or SOURCE_DATE_EPOCH
    assert str(project).encode() not in raw
    assert gzip.decompress(raw) == (project / "site" / "sitemap.xml").read_bytes()


def test_invalid_profile_keeps_the_previous_site(project: Path) -> None:
    before = snapshot(project / "site")
    bad = write_coop(project, VALID.replace("so_thanh_vien: 12", "so_thanh_vien: 0"))
    try:
        result = build(project)
        assert result.returncode != 0
        assert "Phải lớn hơn hoặc bằng 1" in result.stdout + result.stderr
        assert "Cleaning site directory" not in result.stdout + result.stderr
        assert snapshot(project / "site") == before
    finally:
        shutil.rmtree(bad.parent)


def test_unreadable_profile_keeps_the_previous_site(project: Path) -> None:
    before = snapshot(project / "site")
    folder = project / "cooperatives" / "htx-hong"
    folder.mkdir()
    (folder / "profile.yml").write_bytes(b"ten: \xff\xfe\n")
    try:
        assert build(project).returncode != 0
        assert snapshot(project / "site") == before
    finally:
        shutil.rmtree(folder)


@pytest.mark.parametrize("page_text,words", [
    ("# Sai\n\n[x](htx:khong-ton-tai)\n", "htx:khong-ton-tai"),       # an error after cleaning
    ("# Sai\n\n[x](khong-co.md)\n", "khong-co.md"),                    # a strict-mode warning
], ids=["error-after-cleaning", "strict-warning"])
def test_failure_after_validation_keeps_the_previous_site(project: Path, page_text: str, words: str, tmp_path: Path) -> None:
    before = snapshot(project / "site")
    backup = shutil.copytree(project / "site", tmp_path / "site")
    page = project / "content" / "sai-lien-ket.md"
    page.write_text(page_text, encoding="utf-8")
    try:
        result = build(project)
        assert result.returncode != 0 and words in result.stdout + result.stderr
        assert snapshot(project / "site") == before
    finally:
        page.unlink()
        if snapshot(project / "site") != before:  # leave the module's site as the other tests expect it
            shutil.rmtree(project / "site")
            shutil.copytree(backup, project / "site")
