"""Validated profiles kept between builds (htx.data.profile_cache): the same values, re-checked when an input changes."""
from __future__ import annotations

from pathlib import Path

from htx.data.profile_cache import ProfileCache
from htx.pipeline import build

try:
    from conftest import VALID, write_coop
except ImportError:  # tests/ imported as a package
    from tests.conftest import VALID, write_coop


def run(root: Path, cache: ProfileCache):
    return build(root / "cooperatives", base=root, with_images=False, cache=cache)


def test_a_cached_profile_is_the_same_entry_and_problems(tmp_path: Path) -> None:
    write_coop(tmp_path, VALID.replace("  ho_ten: Trần Thị Bình\n", "  ho_ten: Trần Thị Bình\n  dien_thoai: 0912 555 666\n", 1))
    first = run(tmp_path, ProfileCache(tmp_path / "cache"))
    cache = ProfileCache(tmp_path / "cache")
    second = run(tmp_path, cache)
    assert cache.hits == 1
    a, b = first.catalog.entries["htx-thu-nghiem"], second.catalog.entries["htx-thu-nghiem"]
    assert a.coop == b.coop and a.commune == b.commune and a.folder == b.folder and a.positions == b.positions
    assert [p.format_text() for p in first.problems] == [p.format_text() for p in second.problems]
    assert [p.body for p in first.rendered.pages] == [p.body for p in second.rendered.pages]


def test_a_changed_profile_or_a_new_file_beside_it_is_validated_again(tmp_path: Path) -> None:
    path = write_coop(tmp_path, VALID)
    run(tmp_path, ProfileCache(tmp_path / "cache"))
    path.write_text(VALID.replace("so_thanh_vien: 12", "so_thanh_vien: 13"), encoding="utf-8")
    cache = ProfileCache(tmp_path / "cache")
    assert run(tmp_path, cache).catalog.entries["htx-thu-nghiem"].coop.members == 13 and cache.hits == 0
    (path.parent / "images").mkdir()
    (path.parent / "images" / "moi.jpg").write_bytes(b"not yet a photo")
    cache = ProfileCache(tmp_path / "cache")
    run(tmp_path, cache)
    assert cache.hits == 0


def test_an_invalid_profile_stays_refused_from_the_cache(tmp_path: Path) -> None:
    write_coop(tmp_path, VALID.replace("so_thanh_vien: 12", "so_thanh_vien: mười hai"))
    first = run(tmp_path, ProfileCache(tmp_path / "cache"))
    cache = ProfileCache(tmp_path / "cache")
    second = run(tmp_path, cache)
    assert cache.hits == 1 and not first.ok and not second.ok
    assert [p.format_text() for p in second.errors] == [p.format_text() for p in first.errors]


def test_a_damaged_cache_file_is_validated_again(tmp_path: Path) -> None:
    write_coop(tmp_path, VALID)
    run(tmp_path, ProfileCache(tmp_path / "cache"))
    for stored in (tmp_path / "cache").rglob("*.json"):
        stored.write_text("{not json", encoding="utf-8")
    cache = ProfileCache(tmp_path / "cache")
    assert run(tmp_path, cache).ok and cache.hits == 0


def test_a_folder_named_profile_yml_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    write_coop(tmp_path, VALID)
    (tmp_path / "cooperatives" / "htx-thu-muc" / "profile.yml").mkdir(parents=True)
    result = run(tmp_path, ProfileCache(tmp_path / "cache"))   # the key is never read from the folder
    assert [p.file for p in result.errors] == ["cooperatives/htx-thu-muc/profile.yml"]
    assert "thư mục" in result.errors[0].message


def test_a_profile_is_opened_once_for_its_key_and_its_text(tmp_path: Path, monkeypatch) -> None:
    path = write_coop(tmp_path, VALID)
    reads: list[Path] = []
    original = Path.read_bytes

    def counted(self: Path) -> bytes:
        if self.name == "profile.yml":
            reads.append(self)
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", counted)
    assert run(tmp_path, ProfileCache(tmp_path / "cache")).ok
    assert reads == [path]
