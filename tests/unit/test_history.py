"""The plan's history figures from git: a small repository made here, counted by hand."""
from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from htx.data.history import read_history
from htx.site.catalog import Catalog
from htx.site.events import Events
from htx.site.indicators import compute_report

pytestmark = [pytest.mark.slow, pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")]


def profile(slug: str, products: list[str], sample: bool = False) -> str:
    lines = [f"ma: {slug}", f"ho_so_mau: {'có' if sample else 'không'}", "ten: Hợp tác xã thử", "san_pham:"]
    for pid in products:
        lines += [f"  - ma: {pid}", "    ten: Sản phẩm"]
    return "\n".join(lines) + "\n"


def commit(repo: Path, when: str, message: str) -> None:
    env = dict(os.environ, GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com")
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True, env=env)
    subprocess.run(["git", "commit", "-q", "-m", message], cwd=repo, check=True, env=env)


def write(repo: Path, slug: str, text: str) -> None:
    folder = repo / "cooperatives" / slug
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "profile.yml").write_text(text, encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "kho"
    repo.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    write(repo, "_mau", profile("htx-mau", ["vi-du"]))                      # the template: never counted
    write(repo, "htx-a", profile("htx-a", ["gao", "mam"]))
    commit(repo, "2026-01-15T09:00:00+07:00", "a")
    write(repo, "htx-b", profile("htx-b", ["kho-ca"]))
    commit(repo, "2026-01-31T20:00:00+00:00", "b")                         # 01/02/2026 03:00 in Vietnam
    write(repo, "htx-a", profile("htx-a", ["gao", "mam", "nep"]))
    (repo / "README.md").write_text("x", encoding="utf-8")                  # outside cooperatives/: ignored
    commit(repo, "2026-02-20T10:00:00+07:00", "a adds nep")
    shutil.rmtree(repo / "cooperatives" / "htx-b")
    write(repo, "htx-c", profile("htx-c", ["mat-ong"], sample=True))
    commit(repo, "2026-03-05T10:00:00+07:00", "b removed, sample c added")
    write(repo, "htx-a", profile("htx-a", ["gao", "nep"]))                  # mam dropped: not a new product
    commit(repo, "2026-03-20T10:00:00+07:00", "a drops mam")
    return repo


def test_history_figures_match_a_hand_count(repo: Path) -> None:
    h = read_history(repo / "cooperatives")
    assert h is not None and h.commits == 5
    assert h.coops_added == {"htx-a": date(2026, 1, 15), "htx-b": date(2026, 2, 1), "htx-c": date(2026, 3, 5)}
    assert h.products_added == {"htx-a/gao": date(2026, 1, 15), "htx-a/mam": date(2026, 1, 15),
                                "htx-b/kho-ca": date(2026, 2, 1), "htx-a/nep": date(2026, 2, 20),
                                "htx-c/mat-ong": date(2026, 3, 5)}
    assert h.coops_removed == {"htx-b": date(2026, 3, 5)}
    assert h.totals_at(date(2026, 1, 14)) is None
    assert h.totals_at(date(2026, 1, 31)) == (1, 2)
    assert h.totals_at(date(2026, 2, 28)) == (2, 4)      # a: gao mam nep; b: kho-ca
    assert h.totals_at(date(2026, 3, 31)) == (2, 3)      # a: gao nep; c: mat-ong
    without = read_history(repo / "cooperatives", include_samples=False)
    assert without is not None and "htx-c" not in without.coops_added and without.totals_at(date(2026, 3, 31)) == (1, 2)
    catalog = Catalog(today=date(2026, 4, 1))
    report = compute_report(catalog, Events(today=catalog.today), [], h, date(2026, 1, 1), date(2026, 3, 31))
    by_key = {i.key: i.value for i in report.indicators}
    assert by_key["hop-tac-xa-moi"] == 3 and by_key["san-pham-moi"] == 5 and by_key["hop-tac-xa-cuoi-ky"] == 2
    assert [(r["month"], r["new_coops"], r["new_products"]) for r in report.months] == [
        ("2026-01", 1, 2), ("2026-02", 1, 2), ("2026-03", 1, 1)]
    february = compute_report(catalog, Events(today=catalog.today), [], h, date(2026, 2, 1), date(2026, 2, 28))
    assert {i.key: i.value for i in february.indicators}["san-pham-moi"] == 2


def test_a_copy_without_git_history_says_so(tmp_path: Path) -> None:
    (tmp_path / "cooperatives").mkdir()
    assert read_history(tmp_path / "cooperatives") is None
    catalog = Catalog(today=date(2026, 4, 1))
    report = compute_report(catalog, Events(today=catalog.today), [], None, date(2026, 1, 1), date(2026, 3, 31))
    missing = [i for i in report.indicators if i.value is None]
    assert {i.key for i in missing} == {"hop-tac-xa-moi", "san-pham-moi"}
    assert all("lịch sử git" in i.how for i in missing) and not report.history


def test_htx_report_writes_xlsx_csv_and_a4_html(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner
    from openpyxl import load_workbook

    from htx.tools.cli import cli

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795651200")   # made 26/11/2026
    root = Path(__file__).resolve().parents[2]
    result = CliRunner().invoke(cli, ["report", "--from", "2026-01-01", "--to", "2026-10-31", "--out", str(tmp_path), "--root", str(root)])
    assert result.exit_code == 0, result.output
    stem = tmp_path / "bao-cao-ke-hoach-1206-2026-01-01-2026-10-31"
    sheet = load_workbook(f"{stem}.xlsx")["Chỉ số"]
    cells = [c.value for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "Kỳ báo cáo: 01/01/2026 – 31/10/2026" in cells and "Ngày lập: 26/11/2026" in cells
    assert any(str(c).startswith("Nguồn số liệu:") for c in cells)
    # The two events of 2026 in the sample data (12–13/09 and 20/10), five cooperatives between them.
    rows = {row[1].value: row[2].value for row in sheet.iter_rows() if row[1].value}
    assert rows["Sự kiện xúc tiến đã diễn ra trong kỳ"] == 2 and rows["Hợp tác xã tham gia các sự kiện đó"] == 5
    csv_text = Path(f"{stem}.csv").read_bytes().decode("utf-8-sig")
    assert "Kỳ báo cáo: 01/01/2026 – 31/10/2026" in csv_text and "Sự kiện xúc tiến đã diễn ra trong kỳ,2," in csv_text
    html = Path(f"{stem}.html").read_text(encoding="utf-8")
    assert "@page { size: A4" in html and "01/01/2026 – 31/10/2026" in html and "<script" not in html
    again = CliRunner().invoke(cli, ["report", "--from", "2026-01-01", "--to", "2026-10-31", "--out", str(tmp_path / "b"), "--root", str(root)])
    assert again.exit_code == 0
    for suffix in ("xlsx", "csv", "html"):   # same input, same bytes
        assert Path(f"{stem}.{suffix}").read_bytes() == (tmp_path / "b" / f"{stem.name}.{suffix}").read_bytes()
