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

from htx.bench.synthetic import make_catalog

try:
    from conftest import MKDOCS, VALID, copy_project, run, write_coop
except ImportError:  # tests/ imported as a package
    from tests.conftest import MKDOCS, VALID, copy_project, run, write_coop

pytestmark = pytest.mark.slow


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


def same_bytes(first_site: Path, second_site: Path) -> dict[str, str]:
    """Assert two built sites hold the same files and bytes (the search index too); return the first's snapshot."""
    first, second = snapshot(first_site), snapshot(second_site)
    assert first.keys() == second.keys(), sorted(set(first) ^ set(second))
    differing = sorted(k for k in first if first[k] != second[k])
    assert differing == [], differing
    assert "search/index.json" in first and sum(k.startswith("search/") for k in first) > 100   # the index is compared
    return first


def test_same_input_elsewhere_gives_the_same_bytes(project: Path, tmp_path: Path) -> None:
    other = tmp_path / "somewhere" / "else"
    shutil.copytree(project, other, ignore=shutil.ignore_patterns("site", ".cache"))
    result = build(other, PYTHONHASHSEED="2")
    assert result.returncode == 0, result.stderr[-4000:]
    first = same_bytes(project / "site", other / "site")
    # Nothing of the build machine leaks into the pages: no absolute path, no build-time clock.
    for name in first:
        if name.endswith((".html", ".xml", ".json", ".txt")):
            text = (project / "site" / name).read_text(encoding="utf-8", errors="replace")
            assert str(project) not in text and str(tmp_path) not in text, name


NO_CHROME_CACHE = """
from mkdocs.plugins import event_priority
@event_priority(-100)
def on_page_context(context, page, config, nav):
    context["htx_nav_key"] = None      # every page renders the theme's header, navigation, footer itself
    return context
"""


def test_theme_parts_rendered_once_per_place_are_the_same_bytes(project: Path, tmp_path: Path) -> None:
    """Generated pages share one rendering of the header (title filled in), navigation, tabs, footer,
    stylesheets, config and scripts per place (htx.mkdocs.nav_cache, overrides/main.html): the same bytes as
    rendering them on every page."""
    other = tmp_path / "uncached"
    shutil.copytree(project, other, ignore=shutil.ignore_patterns("site", ".cache"))
    (other / "no_chrome_cache.py").write_text(NO_CHROME_CACHE, encoding="utf-8")
    config = other / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nhooks:\n  - no_chrome_cache.py\n", encoding="utf-8")
    result = build(other)
    assert result.returncode == 0, result.stderr[-4000:]
    same_bytes(project / "site", other / "site")
    for page in sorted((project / "site" / "san-pham").glob("*/*/index.html"))[:3]:   # the slot filled in
        html = page.read_text(encoding="utf-8")
        name = re.search(r"<h1>(.*?)</h1>", html).group(1)
        assert "<!--htx-title-->" not in html and f'<span class="md-ellipsis">\n{name}\n</span>' in html


WRITERS = re.compile(r"htx: (\d+) trang tạo từ hồ sơ, viết bởi (\d+) tiến trình")


def with_workers(project: Path, where: Path, workers: int, overrides: dict[str, str] | None = None) -> Path:
    """A copy of project whose builds write the generated pages with `workers` processes (htx.mkdocs.generated)."""
    shutil.copytree(project, where, ignore=shutil.ignore_patterns("site", ".cache"))
    config = where / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "  - htx:\n" in text
    config.write_text(text.replace("  - htx:\n", f"  - htx:\n      workers: {workers}\n"), encoding="utf-8")
    for name, body in (overrides or {}).items():
        (where / "overrides" / name).write_text(body, encoding="utf-8")
    return where


def test_pages_written_by_forked_writers_are_the_same_bytes(project: Path, tmp_path: Path) -> None:
    """One writer or three (this process and two forked copies): the same site, byte for byte."""
    from htx.publish.workers import fork_available

    if not fork_available():  # the build runs in its own process: pytest's threads do not count
        pytest.skip("one core or no fork here: the build never forks")
    sites = {}
    for n in (1, 3):
        other = with_workers(project, tmp_path / f"w{n}", n)
        result = build(other)
        assert result.returncode == 0, result.stderr[-4000:]
        pages, processes = map(int, WRITERS.search(result.stdout + result.stderr).groups())
        assert processes == n and pages >= 40
        sites[n] = other / "site"
    same_bytes(sites[1], sites[3])
    same_bytes(project / "site", sites[3])


PROBE = """
import logging, os
PARENT = os.getpid()
log = logging.getLogger("mkdocs.plugins.probe")
def probe(src):
    if os.getpid() != PARENT:        # only in the forked page writer
        if os.environ["PROBE"] == "error":
            raise ValueError("loi trong tien trinh con " + src)
        log.warning("canh bao trang " + src)
    return ""
def on_env(env, config, files):
    env.globals["htx_probe"] = probe
"""


@pytest.mark.parametrize("problem", ["warning", "error"])
def test_a_forks_warnings_and_errors_reach_the_build(project: Path, tmp_path: Path, problem: str) -> None:
    """A theme override that warns (or fails) on the pages the fork writes: its warnings are logged once in
    the build's log and counted by --strict; its error fails the build with a Vietnamese message, no
    traceback; either way the previous site stays."""
    from htx.publish.workers import fork_available

    if not fork_available():  # the build runs in its own process: pytest's threads do not count
        pytest.skip("one core or no fork here: the build never forks")
    main = (project / "overrides" / "main.html").read_text(encoding="utf-8")
    marker = "{% block content %}"
    assert marker in main
    hook = "{% if htx_page is defined %}{{ htx_probe(page.file.src_uri) }}{% endif %}"
    other = with_workers(project, tmp_path / "forked", 2, {"main.html": main.replace(marker, marker + hook, 1)})
    (other / "probe.py").write_text(PROBE, encoding="utf-8")
    config = other / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nhooks:\n  - probe.py\n", encoding="utf-8")
    (other / "site").mkdir()
    (other / "site" / "index.html").write_text("trước", encoding="utf-8")
    result = build(other, PROBE=problem)
    log = result.stdout + result.stderr
    assert result.returncode != 0 and WRITERS.search(log)
    assert (other / "site" / "index.html").read_text(encoding="utf-8") == "trước"
    assert "Traceback" not in log
    if problem == "warning":
        pages = int(WRITERS.search(log).group(1))
        warned = re.findall(r"canh bao trang (\S+)", log)
        forked = pages // 2                                      # every other page, in the forked copy
        assert len(warned) == len(set(warned)) == forked          # each page of the fork's share, once
        assert f"Aborted with {forked} warnings in strict mode" in log
    else:
        assert "ValueError: loi trong tien trinh con" in log
        assert "Không dựng xong các trang tạo từ hồ sơ" in log


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
