"""The htx command as a contributor and a workflow use it."""
from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from htx.cli import cli
from tests.conftest import VALID, write_coop


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_validate_ok_and_errors(coop_root: Path) -> None:
    write_coop(coop_root, VALID)
    ok = invoke("validate", "--root", str(coop_root))
    assert ok.exit_code == 0
    write_coop(coop_root, VALID.replace("loai_hinh: hop-tac-xa", "loai_hinh: hoptacxa"))
    bad = invoke("validate", "--root", str(coop_root))
    assert bad.exit_code == 1
    assert "cooperatives/htx-thu-nghiem/profile.yml:4:12" in bad.output
    assert "Có phải ý bạn là `hop-tac-xa`?" in bad.output


def test_validate_github_annotations(coop_root: Path) -> None:
    write_coop(coop_root, VALID.replace("so_thanh_vien: 12", "so_thanh_vien: -3"))
    result = invoke("validate", "--root", str(coop_root), "--format", "github")
    assert result.exit_code == 1
    line = next(l for l in result.output.splitlines() if l.startswith("::error"))
    assert line.startswith("::error file=cooperatives/htx-thu-nghiem/profile.yml,line=6,col=16,")
    assert "so_thanh_vien" in line


def test_validate_one_path_reports_only_it(coop_root: Path) -> None:
    write_coop(coop_root, VALID)
    write_coop(coop_root, "ma: [\n", "htx-hong")
    result = invoke("validate", "--root", str(coop_root), str(coop_root / "cooperatives" / "htx-thu-nghiem"))
    assert result.exit_code == 0, result.output


def test_new_scaffolds_a_valid_profile(coop_root: Path) -> None:
    import shutil

    from tests.conftest import REPO

    shutil.copytree(REPO / "cooperatives" / "_mau", coop_root / "cooperatives" / "_mau")
    result = invoke("new", "Hợp tác xã Đồng Tâm Chợ Mới", "--root", str(coop_root))
    assert result.exit_code == 0, result.output
    profile = coop_root / "cooperatives" / "htx-dong-tam-cho-moi" / "profile.yml"
    assert "ma: htx-dong-tam-cho-moi" in profile.read_text()
    assert invoke("validate", "--root", str(coop_root)).exit_code == 0
    assert invoke("new", "Hợp tác xã Đồng Tâm Chợ Mới", "--root", str(coop_root)).exit_code == 1


def test_post_scaffold(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    result = invoke("post", "Hội chợ OCOP Đồng bằng 2026", "--date", "2026-11-20", "--root", str(tmp_path))
    assert result.exit_code == 0, result.output
    path = tmp_path / "content" / "tin-tuc" / "posts" / "2026-11-20-hoi-cho-ocop-dong-bang-2026.md"
    text = path.read_text()
    assert "slug: hoi-cho-ocop-dong-bang-2026" in text and "draft: true" in text
    assert invoke("post", "X", "--category", "Sai", "--root", str(tmp_path)).exit_code == 1


def test_every_command_has_help() -> None:
    for name, command in cli.commands.items():
        assert command.help and command.help.strip(), name
        assert invoke(name, "--help").exit_code == 0
