"""`htx bench` at a tiny explicit scale: it runs end to end and prints every row of its table.

No timing is asserted: the figures depend on the machine. The province figures are in scripts/DEVELOPERS.md.
"""
from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from htx.bench.run import bench, first_query_bytes, without_htx_plugin
from htx.publish.search import index_site

from tests.conftest import REPO

ROWS = [
    "scale (coops / products / photos)",
    "pages (HTML / generated)",
    "generate profiles s",
    "generate photos s",
    "cold build, no page kept s",
    "generated pages rendered / reused",
    "images encoded (cold)",
    "rebuild, nothing changed s",
    "images encoded (rebuild)",
    "search index",
    "profile / photo files opened",
    "of which s",
    "search adds",
    "rebuild after editing one profile s",
    "images encoded (edit)",
    "build into an empty site folder, pages kept s",
    "plain MkDocs build, same pages s",
    "ratio htx cold / plain",
    "ratio htx rebuild / plain",
    "peak memory (max RSS)",
    "HTML per generated page (median / max)",
    "largest page",
    "site size without images",
    "search index (site/search)",
    "first query, median / max (gzip)",
    "of the median query",
    "preview build s",
]


@pytest.mark.slow
def test_bench_tiny_scale_prints_every_row(tmp_path):
    result = CliRunner().invoke(bench, ["--coops", "5", "--products", "10", "--photos", "2", "--root", str(REPO),
                                        "--workdir", str(tmp_path / "bench")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    table = result.stdout
    lines = table.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("figure"))
    labels = [line.strip().split("  ")[0] for line in lines[start + 2:]]
    for row in ROWS:
        assert any(label.startswith(row) for label in labels), f"row {row!r} missing from:\n{table}"
    assert "5 / 10 / 2" in table
    # Nothing is encoded again when nothing changed, and no photo is read again.
    rebuild = next(line for line in table.splitlines() if "images encoded (rebuild)" in line)
    assert rebuild.split()[3] == "0"
    # Nothing changed: no generated page rendered, the search index kept; one edit renders a few pages.
    counts = [line.split()[-3:] for line in table.splitlines() if line.strip().startswith("generated pages rendered")]
    cold, warm, edit, empty = ([int(c[0].replace(",", "")), int(c[2].replace(",", ""))] for c in counts)
    assert cold[1] == 0 and cold[0] > 20 and warm == [0, cold[0]] and empty == [0, cold[0]]
    assert 1 <= edit[0] < cold[0] // 2 and edit[0] + edit[1] == cold[0]
    assert "kept (not made again)" in table
    opened = next(line for line in table.splitlines() if "profile / photo files opened" in line)
    assert opened.split()[5:8] == ["5", "/", "0"]


def test_plain_config_drops_only_the_htx_plugin():
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    plain = without_htx_plugin(text)
    assert "- htx:" not in plain and "cooperatives_dir" not in plain
    assert "- blog:" in plain and "markdown_extensions:" in plain
    # Only the plugin's own lines go: its entry and its indented options (and their comments).
    import difflib

    removed = [line[2:] for line in difflib.ndiff(text.splitlines(), plain.splitlines()) if line.startswith("- ")]
    assert removed[0] == "  - htx:" and all(line.startswith("      ") or not line.strip() for line in removed[1:]), removed
    assert len(text.splitlines()) - len(plain.splitlines()) <= 10


def test_first_query_bytes_of_a_missing_index_is_empty(tmp_path):
    assert first_query_bytes(tmp_path / "search") == {}


def _product_page(name: str, coop: str, thumb: str = "") -> str:
    image = f'image[data-thumb], ' if thumb else ""
    return ('<!doctype html><html lang="vi"><head><title>T</title></head><body><article class="md-content__inner">'
            f'<div data-search-body data-kind="san-pham" data-search-meta="kind[data-kind], {image}coop[data-coop]" '
            f'data-coop="{coop}" data-thumb="{thumb}"><h1>{name}</h1><p>{name} của {coop}, làm thủ công.</p></div>'
            '</article></body></html>')


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js runs engine.js")
def test_first_query_bytes_of_a_tiny_index(tmp_path):
    """engine.js (the site's copy) runs the typical queries on a built index: the bytes are the files it
    fetched, gzip as served, with the result fields and thumbnails of the results it would show."""
    site = tmp_path / "site"
    names = ["Mắm cá linh", "Nước mắm nhĩ", "Gạo ST25", "Khô cá lóc", "Mật ong rừng tràm", "Đường thốt nốt"]
    for n, name in enumerate(names * 2):
        page = site / "san-pham" / f"p{n}" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(_product_page(f"{name} {n}", f"HTX {n}", thumb="../../anh/t.webp" if n == 0 else ""), encoding="utf-8")
    (site / "anh").mkdir()
    (site / "anh" / "t.webp").write_bytes(bytes(range(256)) * 20)       # 5,120 bytes, served as they are
    engine = site / "assets" / "htx" / "search" / "engine.js"
    engine.parent.mkdir(parents=True)
    shutil.copy(REPO / "overrides" / "assets" / "htx" / "search" / "engine.js", engine)
    assert index_site(site)["pages"] == 12

    figures = first_query_bytes(site / "search", ["mam", "gao st25", "qqxyzw"])
    assert figures["files"] > 10 and figures["bytes"] > 1000
    assert 1000 < figures["code"] < engine.stat().st_size            # gzipped
    mam, gao, none = (figures["queries"][q] for q in ("mam", "gao st25", "qqxyzw"))
    assert mam["results"] == 4 and mam["fields"] > 0 and mam["thumbs"] == 5120
    assert gao["results"] == 2 and gao["fields"] > 0 and gao["thumbs"] == 0
    assert none["results"] == 0 and none["fields"] == 0 and none["index"] > 0      # the manifest, a word list
    for query in figures["queries"].values():
        assert query["total"] == figures["code"] + query["index"] + query["fields"] + query["thumbs"]
    assert figures["max"] == mam["total"] and figures["worst"] == "mam"
    assert figures["median"] == gao["total"] and none["total"] < figures["median"] < figures["max"] < 64 * 1024
    # Without a list of queries: the bench's typical queries.
    assert len(first_query_bytes(site / "search")["queries"]) >= 12
