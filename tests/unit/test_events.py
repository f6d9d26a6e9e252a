"""Events as data (content/su-kien/<năm>/<mã>.yml): each bad input of issue 24 gives a located Vietnamese problem,
`htx validate` exits 1 on it, and valid events are ordered and linked to the catalog."""
from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from htx.data.events import parse_when
from htx.pipeline import build, check_events
from htx.site.catalog import Catalog
from htx.tools.cli import cli
from tests.conftest import VALID, write_coop

TODAY = date(2026, 11, 26)   # SOURCE_DATE_EPOCH of the test builds

EVENT = textwrap.dedent("""\
    ten: Phiên chợ thử nghiệm
    loai: phien-cho
    bat_dau: 12/12/2026 07:00
    ket_thuc: 13/12/2026 21:00
    dia_diem:
      ten: Nhà văn hóa
      dia_chi: Đường ven sông
      xa_phuong: Xã Thoại Sơn
    don_vi_to_chuc: Ban tổ chức thử nghiệm
    gioi_thieu: Hai ngày chợ để người mua gặp hợp tác xã thử nghiệm.
    hop_tac_xa:
      - htx-thu-nghiem
    san_pham:
      - htx-thu-nghiem/gao-thu-nghiem
    """)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795651200")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    write_coop(tmp_path, VALID)
    return tmp_path


def write_event(root: Path, text: str, name: str = "2026/phien-cho-thu-nghiem.yml") -> Path:
    path = root / "content" / "su-kien" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(root: Path) -> list:
    result = build(root / "cooperatives", base=root, with_images=False, events_dir=root / "content" / "su-kien")
    return [p for p in result.problems if p.severity == "error"]


def one(root: Path):
    found = problems_of(root)
    assert len(found) == 1, [p.format_text() for p in found]
    return found[0]


def test_a_valid_event_builds_with_its_participants(project: Path) -> None:
    write_event(project, EVENT)
    result = build(project / "cooperatives", base=project, with_images=False, events_dir=project / "content" / "su-kien")
    assert result.ok, [p.format_text() for p in result.problems]
    (part,) = result.events.events
    assert part.coops == ["htx-thu-nghiem"] and [i.key for i in part.items] == ["htx-thu-nghiem/gao-thu-nghiem"]
    assert result.events.upcoming == [part] and result.events.by_coop["htx-thu-nghiem"] == [part]
    urls = [job.src_uri for job in result.rendered.renderer.jobs()]
    assert "su-kien/index.md" in urls and "su-kien/2026/phien-cho-thu-nghiem.md" in urls


def test_a_folder_named_like_an_event_file(project: Path) -> None:
    (project / "content" / "su-kien" / "2026" / "hoi-cho.yml").mkdir(parents=True)
    p = one(project)
    assert p.file == "content/su-kien/2026/hoi-cho.yml" and "`hoi-cho.yml` không phải một tệp văn bản" in p.message
    assert "content/su-kien/_mau.yml" in p.hint


def test_an_event_ending_before_it_starts(project: Path) -> None:
    write_event(project, EVENT.replace("ket_thuc: 13/12/2026 21:00", "ket_thuc: 11/12/2026 21:00"))
    p = one(project)
    assert (p.file, p.line, p.col, p.path) == ("content/su-kien/2026/phien-cho-thu-nghiem.yml", 4, 11, "ket_thuc")
    assert "kết thúc" in p.message and "trước khi bắt đầu" in p.message


def test_a_timestamp_without_time_zone(project: Path) -> None:
    write_event(project, EVENT.replace("bat_dau: 12/12/2026 07:00", "bat_dau: 2026-12-12T07:00:00"))
    p = one(project)
    assert (p.line, p.col, p.path) == (3, 10, "bat_dau")
    assert "múi giờ" in p.message and "+07:00" in p.hint


def test_local_times_and_offsets_mean_vietnam_time() -> None:
    assert parse_when("12/12/2026 7h30").at.isoformat() == "2026-12-12T07:30:00+07:00"
    assert parse_when("2026-12-12T00:30:00Z").at.isoformat() == "2026-12-12T07:30:00+07:00"
    assert parse_when("12/12/2026").all_day


def test_an_unknown_cooperative_is_named_with_a_suggestion(project: Path) -> None:
    write_event(project, EVENT.replace("  - htx-thu-nghiem\n", "  - htx-thu-nghim\n", 1))
    p = one(project)
    assert (p.line, p.path) == (12, "hop_tac_xa[0]")
    assert "htx-thu-nghim" in p.message and "htx-thu-nghiem" in p.hint


def test_an_unknown_product_is_named_with_a_suggestion(project: Path) -> None:
    write_event(project, EVENT.replace("htx-thu-nghiem/gao-thu-nghiem", "htx-thu-nghiem/gao-thu-ngiem"))
    p = one(project)
    assert (p.line, p.path) == (14, "san_pham[0]")
    assert "gao-thu-ngiem" in p.message and "htx-thu-nghiem/gao-thu-nghiem" in p.hint


def test_a_place_outside_the_102_units_gets_a_suggestion(project: Path) -> None:
    write_event(project, EVENT.replace("xa_phuong: Xã Thoại Sơn", "xa_phuong: Xã Thoại Sơnn"))
    p = one(project)
    assert (p.line, p.path) == (8, "dia_diem.xa_phuong")
    assert "102" in p.message and "Thoại Sơn" in p.hint


def test_two_events_with_the_same_slug(project: Path) -> None:
    write_event(project, EVENT)
    write_event(project, EVENT.replace("12/12/2026", "12/12/2027").replace("13/12/2026", "13/12/2027"),
                "2027/phien-cho-thu-nghiem.yml")
    p = one(project)
    assert p.file == "content/su-kien/2027/phien-cho-thu-nghiem.yml" and "2026/phien-cho-thu-nghiem.yml" in p.message


def test_a_past_event_marked_upcoming(project: Path) -> None:
    past = EVENT.replace("12/12/2026", "12/10/2026").replace("13/12/2026", "13/10/2026")
    write_event(project, past.replace("loai: phien-cho\n", "loai: phien-cho\ntrang_thai: sap-dien-ra\n"))
    p = one(project)
    assert (p.line, p.path) == (3, "trang_thai")
    assert "13/10/2026" in p.message and "26/11/2026" in p.message


def test_the_year_folder_must_be_the_start_year(project: Path) -> None:
    write_event(project, EVENT, "2027/phien-cho-thu-nghiem.yml")
    p = one(project)
    assert p.path == "bat_dau" and "2026" in p.hint


def test_unknown_keys_and_kinds_are_named_like_in_profiles(project: Path) -> None:
    write_event(project, EVENT.replace("loai: phien-cho", "loai: phien_cho").replace("ten: Nhà văn hóa", "tenn: Nhà văn hóa"))
    found = problems_of(project)
    texts = [p.format_text() for p in found]
    assert any("phien-cho" in p.hint and p.line == 2 for p in found), texts
    assert any(p.path == "dia_diem.tenn" and "`ten`" in p.hint for p in found), texts


def test_samples_are_left_out_with_the_sample_profiles(project: Path) -> None:
    write_event(project, EVENT.replace("loai: phien-cho", "su_kien_mau: có\nloai: phien-cho"))
    entries_catalog, _ = Catalog.from_entries([], include_samples=False, today=TODAY)
    events, problems = check_events(project / "content" / "su-kien", entries_catalog, base=project,
                                    coops_dir=project / "cooperatives", include_samples=False)
    assert events.events == [] and problems == []


def test_htx_validate_exits_1_on_a_bad_event_and_event_scaffolds(project: Path) -> None:
    runner = CliRunner()
    write_event(project, EVENT.replace("ket_thuc: 13/12/2026 21:00", "ket_thuc: 11/12/2026 21:00"))
    bad = runner.invoke(cli, ["validate", "--root", str(project), "--no-images"])
    assert bad.exit_code == 1 and "content/su-kien/2026/phien-cho-thu-nghiem.yml:4:11" in bad.output
    only = runner.invoke(cli, ["validate", "--root", str(project), "--no-images", str(project / "content" / "su-kien")])
    assert only.exit_code == 1
    # `htx event` copies the template; left unedited, it is refused value by value.
    template = Path(__file__).resolve().parents[2] / "content" / "su-kien" / "_mau.yml"
    (project / "content" / "su-kien" / "_mau.yml").write_text(template.read_text(encoding="utf-8"), encoding="utf-8")
    (project / "content" / "su-kien" / "2026" / "phien-cho-thu-nghiem.yml").unlink()
    made = runner.invoke(cli, ["event", "Phiên chợ Xanh", "--ngay", "02/02/2027", "--root", str(project)])
    assert made.exit_code == 0, made.output
    path = project / "content" / "su-kien" / "2027" / "phien-cho-xanh.yml"
    assert 'ten: "Phiên chợ Xanh"' in path.read_text(encoding="utf-8")
    result = runner.invoke(cli, ["validate", "--root", str(project), "--no-images", str(path)])
    assert result.exit_code == 1 and result.output.count("giá trị mẫu của sự kiện") == 3


def test_a_sample_event_leaves_out_participants_the_project_lacks(project: Path) -> None:
    write_event(project, EVENT.replace("loai: phien-cho", "su_kien_mau: có\nloai: phien-cho").replace("htx-thu-nghiem", "htx-khong-co"))
    result = build(project / "cooperatives", base=project, with_images=False, events_dir=project / "content" / "su-kien")
    assert result.ok and result.events.events[0].coops == []


def test_event_text_is_escaped_and_links_are_https_only(project: Path) -> None:
    hostile = EVENT.replace("ten: Phiên chợ thử nghiệm", 'ten: "Phiên chợ <script>alert(1)</script>"').replace(
        "gioi_thieu: Hai ngày", 'gioi_thieu: "<img src=x onerror=alert(1)> Hai ngày')
    write_event(project, hostile.replace('ngày chợ để người mua gặp hợp tác xã thử nghiệm.', 'ngày chợ để người mua gặp hợp tác xã thử nghiệm."'))
    result = build(project / "cooperatives", base=project, with_images=False, events_dir=project / "content" / "su-kien")
    assert result.ok, [p.format_text() for p in result.problems]
    page = next(j for j in result.rendered.renderer.jobs() if j.src_uri == "su-kien/2026/phien-cho-thu-nghiem.md").make()
    assert "<script>alert" not in page.body and "&lt;script&gt;" in page.body and "<img src=x" not in page.body
    write_event(project, EVENT + "lien_ket: javascript:alert(1)\n")
    assert any(p.path == "lien_ket" for p in problems_of(project))
