"""What the tests need besides Python is declared in the repository: axe-core for the accessibility tests comes
from package.json through `npm ci`, as their skip message says (issue 18, point 12)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
AXE_VERSION = "4.14.1"


def test_package_json_pins_axe_core_and_the_lock_matches() -> None:
    package = json.loads((REPO / "package.json").read_text(encoding="utf-8"))
    assert package["private"] is True
    # Exact versions: no range, same rules every run (vnu-jar: the W3C checker of tests/test_html_valid.py).
    assert package["devDependencies"]["axe-core"] == AXE_VERSION
    assert all(re.fullmatch(r"\d+\.\d+\.\d+", v) for v in package["devDependencies"].values())
    assert not package.get("dependencies") and not package.get("scripts")
    lock = json.loads((REPO / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["lockfileVersion"] >= 2
    assert lock["packages"][""]["devDependencies"] == package["devDependencies"]
    entry = lock["packages"]["node_modules/axe-core"]
    assert entry["version"] == AXE_VERSION and entry["integrity"].startswith("sha512-") and entry["dev"] is True
    assert "node_modules/" in (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()


def test_a11y_tests_name_npm_ci_and_use_the_local_axe_first(monkeypatch: pytest.MonkeyPatch) -> None:
    source = (REPO / "tests" / "browser" / "test_a11y.py").read_text(encoding="utf-8")
    assert "npm ci" in source and AXE_VERSION in source
    local = REPO / "node_modules" / "axe-core" / "axe.min.js"
    if not local.is_file():
        pytest.skip("node_modules/axe-core is not installed: run `npm ci`")
    from tests.browser.test_a11y import find_axe

    monkeypatch.delenv("AXE_JS", raising=False)
    assert find_axe() == local
    assert local.read_text(encoding="utf-8").startswith(f"/*! axe v{AXE_VERSION}\n")
