"""Shared fixtures: real YAML in temp folders, real projects copied from this repository."""
from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
MKDOCS = [sys.executable, "-m", "mkdocs"]
HTX = [sys.executable, "-m", "htx.tools.cli"]

# A small valid profile; tests mutate it. Keys as a clerk writes them.
VALID = textwrap.dedent("""\
    ma: htx-thu-nghiem
    ho_so_mau: có
    ten: Hợp tác xã Thử Nghiệm
    loai_hinh: hop-tac-xa
    linh_vuc: [trong-trot]
    so_thanh_vien: 12
    xac_nhan_ngay: 12/05/2026
    nguoi_dai_dien:
      ho_ten: Trần Thị Bình
      chuc_vu: Giám đốc
    dong_y_cong_khai:
      nguoi_dong_y: Trần Thị Bình
      vai_tro: Giám đốc, người đại diện theo pháp luật
      ngay: 12/05/2026
    dia_chi:
      chi_tiet: Ấp Hòa Bình
      xa_phuong: Xã Thoại Sơn
    lien_he:
      dien_thoai:
        - 0912 000 123
    gioi_thieu: Hợp tác xã thử nghiệm dùng trong kiểm thử tự động.
    san_pham:
      - ma: gao-thu-nghiem
        ten: Gạo thử nghiệm
        danh_muc: gao-nong-san
        gioi_thieu: Gạo thơm dùng để kiểm thử.
        gia: 25.000
        don_vi: kg
    """)


def write_coop(root: Path, text: str, slug: str = "htx-thu-nghiem") -> Path:
    """Write cooperatives/<slug>/profile.yml under root and return its path."""
    folder = root / "cooperatives" / slug
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "profile.yml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def coop_root(tmp_path: Path) -> Path:
    """A project folder with mkdocs.yml and no cooperatives yet."""
    (tmp_path / "cooperatives").mkdir()
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    return tmp_path


def copy_project(target: Path, *, coops: bool = True) -> Path:
    """Copy the files a build needs (config, content, overrides, and optionally the sample cooperatives)."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "mkdocs.yml", target / "mkdocs.yml")
    for name in ("content", "overrides"):
        shutil.copytree(REPO / name, target / name)
    if coops:
        shutil.copytree(REPO / "cooperatives", target / "cooperatives")
    else:
        (target / "cooperatives").mkdir()
    return target


# "Today" of every test build (SOURCE_DATE_EPOCH): 26/11/2026, so OCOP expiry and freshness states are fixed.
BUILD_EPOCH = "1795651200"


def run(cmd: list[str], cwd: Path, env_extra: dict | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    import os

    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", HTX_CACHE_DIR=str(cwd / ".cache" / "htx"), SOURCE_DATE_EPOCH=BUILD_EPOCH)
    env.update(env_extra or {})
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample site, built once with `mkdocs build --strict`; returns the project folder."""
    project = copy_project(tmp_path_factory.mktemp("sample"))
    result = run(MKDOCS + ["build", "--strict"], project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project
