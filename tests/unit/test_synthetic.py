"""htx.bench.synthetic: the benchmark's province is valid, realistic enough and the same for the same seed."""
from __future__ import annotations

import hashlib
import io
from datetime import date
from collections import Counter
from pathlib import Path

import pytest
import yaml
from PIL import Image

from htx.site.catalog import Catalog
from htx.site.freshness import freshness
from htx.pipeline import check
from htx.bench.synthetic import make_catalog, make_photo


def digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((root / "cooperatives").rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("province")
    make_catalog(root, coops=60, products=300, seed=7)
    return root


def test_profiles_validate(province: Path) -> None:
    entries, problems = check(province / "cooperatives", base=province, check_images=False)
    assert [p.format_text() for p in problems] == []
    assert len(entries) == 60
    assert sum(len(e.coop.products) for e in entries) == 300


def test_field_mix_is_realistic(province: Path) -> None:
    entries, _ = check(province / "cooperatives", base=province, check_images=False)
    catalog, problems = Catalog.from_entries(entries)
    assert problems == []
    items = list(catalog.items.values())
    ocop = sum(1 for i in items if i.product.ocop) / len(items)
    assert 0.12 < ocop < 0.3                                       # about one product in five
    assert len({i.product.category for i in items}) >= 9
    assert len({e.commune.code for e in entries}) >= 30            # spread over the 102 units
    assert any(i.product.certifications for i in items)
    assert any(i.product.season for i in items)
    assert any(i.product.price is None for i in items) and any(i.product.price for i in items)
    text = " ".join(i.product.name for i in items)
    assert any(ch in text for ch in "ạảấầẩẫậăắằẳẵặđơờởớợư")       # Vietnamese with diacritics
    per_coop = Counter(i.coop.slug for i in items)
    assert max(per_coop.values()) > 3 * (300 / 60)                 # a few large cooperatives, many small
    states = Counter(freshness(e.coop, date(2026, 11, 26)) for e in entries)
    assert states["fresh"] > states["stale"] > 0 and states["expired"] > 0  # every state of a confirmation date
    consented = sum(e.coop.publishes_personal for e in entries)
    assert 0.7 < consented / len(entries) < 0.9                            # most consented; the rest show no name
    assert all(e.coop.representative.name is None for e in entries if not e.coop.publishes_personal)


def test_same_seed_same_bytes_other_seed_other_catalog(tmp_path: Path, province: Path) -> None:
    make_catalog(tmp_path / "a", coops=60, products=300, seed=7)
    assert digest(tmp_path / "a") == digest(province)
    make_catalog(tmp_path / "b", coops=60, products=300, seed=8)
    assert digest(tmp_path / "b") != digest(province)


def test_rewrites_the_cooperatives_folder(tmp_path: Path) -> None:
    make_catalog(tmp_path, coops=5, products=10)
    make_catalog(tmp_path, coops=2, products=3)
    assert len(list((tmp_path / "cooperatives").glob("*/profile.yml"))) == 2


def test_profiles_read_like_hand_written_ones(province: Path) -> None:
    first = sorted((province / "cooperatives").glob("*/profile.yml"))[0]
    text = first.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../profile.schema.json\n")
    data = yaml.safe_load(text)
    assert data["ma"] == first.parent.name and data["ho_so_mau"] == "có"


def test_photos_are_valid_distinct_and_photo_sized(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTX_CACHE_DIR", str(tmp_path / "cache"))
    make_catalog(tmp_path, coops=3, products=4, photos=6, seed=1, workers=1)
    files = sorted((tmp_path / "cooperatives").rglob("*.jpg"))
    assert len(files) == 6
    assert len({hashlib.sha256(f.read_bytes()).hexdigest() for f in files}) == 6
    for f in files:
        with Image.open(f) as im:
            assert (im.format, im.size) == ("JPEG", (1600, 1200))
        assert 200_000 < f.stat().st_size < 500_000
    entries, problems = check(tmp_path / "cooperatives", base=tmp_path, check_images=True)
    assert [p.format_text() for p in problems] == []
    assert sum(len(e.images) for e in entries) == 6


def test_make_photo_is_deterministic() -> None:
    assert make_photo(5) == make_photo(5) != make_photo(6)
    assert Image.open(io.BytesIO(make_photo(5))).size == (1600, 1200)


def test_refuses_what_cannot_fit(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        make_catalog(tmp_path, coops=1, products=201)
    with pytest.raises(ValueError):
        make_catalog(tmp_path, coops=1, products=1, photos=100)
