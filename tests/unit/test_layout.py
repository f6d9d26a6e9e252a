"""The package's shape: one subpackage per stage, no import cycles, no private names of MkDocs or Material.

MkDocs 1.x gets no releases and Material is in maintenance mode: code that reaches into their private
names (`_build_page`, `_current_page`…) breaks silently on the next patch or on a fork (ProperDocs).
"""
from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "scripts" / "htx"
STAGES = ("data", "site", "publish", "mkdocs", "tools", "bench")
# What each stage may import from the others (besides itself and htx.pipeline): data first, tools last.
ALLOWED = {
    "data": {"publish"},      # validation reads photos with publish.images' decoder
    "site": {"data", "publish"},
    "publish": {"data", "site"},
    "mkdocs": {"data", "site", "publish", "tools"},
    "tools": {"data", "site", "publish", "bench"},
    "bench": {"data", "site", "publish", "tools"},
}


@functools.cache
def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or \
        (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports(name: str, path: Path) -> list[tuple[str, list[str], int]]:
    """(module, names, line) of every import in the file, relative ones resolved; not under TYPE_CHECKING."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[tuple[str, list[str], int]] = []

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and is_type_checking(child):
                continue
            if isinstance(child, ast.Import):
                found.extend((alias.name, [], child.lineno) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                module = child.module or ""
                if child.level:
                    base = package.split(".")
                    base = base[: len(base) - (child.level - 1)]
                    module = ".".join([*base, module] if module else base)
                found.append((module, [alias.name for alias in child.names], child.lineno))
            visit(child)

    visit(tree)
    return found


PRIVATE_ATTRIBUTE = re.compile(r"\b(?:mkdocs|material)(?:\.\w+)*\._(?!_)")


def is_private(name: str) -> bool:
    """`_build_page` is private; `__version__` and `__main__` are not."""
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def test_no_private_name_of_mkdocs_or_material_is_imported() -> None:
    bad = []
    for name, path in modules().items():
        for module, names, line in imports(name, path):
            if module.split(".")[0] not in ("mkdocs", "material"):
                continue
            private = [n for n in (*module.split("."), *names) if is_private(n)]
            if private:
                bad.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {module} {private}")
        text = path.read_text(encoding="utf-8")
        for line_no, line in enumerate(text.splitlines(), 1):   # reached through an attribute, not an import
            if PRIVATE_ATTRIBUTE.search(line) and not line.lstrip().startswith("#"):
                bad.append(f"{path.relative_to(PACKAGE.parent)}:{line_no}: {line.strip()}")
    assert not bad, "private MkDocs/Material names:\n" + "\n".join(bad)


def test_the_check_finds_a_private_name(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("from mkdocs.commands.build import _build_page\n", encoding="utf-8")
    assert imports("htx.mkdocs.sample", sample) == [("mkdocs.commands.build", ["_build_page"], 1)]
    assert is_private("_build_page") and not is_private("__version__")
    assert PRIVATE_ATTRIBUTE.search("config._current_page = mkdocs.commands.build._build_page")
    assert not PRIVATE_ATTRIBUTE.search("mkdocs.__version__")


@functools.cache
def graph() -> dict[str, set[str]]:
    mods = modules()
    edges: dict[str, set[str]] = {name: set() for name in mods}
    for name, path in mods.items():
        for module, names, _line in imports(name, path):
            if not module.startswith("htx"):
                continue
            targets = [f"{module}.{n}" for n in names if f"{module}.{n}" in mods] or [module]
            edges[name].update(t for t in targets if t in mods and t != name)
    return edges


def test_no_import_cycles() -> None:
    edges = graph()
    # Package __init__ files import nothing; a cycle among modules is a loop in this graph.
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def walk(node: str, stack: list[str]) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                walk(nxt, stack)
        stack.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            walk(node, [])
    assert not cycles, "\n".join(" → ".join(c) for c in cycles)


@pytest.mark.parametrize("stage", STAGES)
def test_stages_import_only_what_comes_before_them(stage: str) -> None:
    edges = graph()
    bad = []
    for name, targets in edges.items():
        if not name.startswith(f"htx.{stage}"):
            continue
        for target in targets:
            other = target.split(".")[1] if target.count(".") >= 1 else ""
            if other in STAGES and other != stage and other not in ALLOWED[stage]:
                bad.append(f"{name} → {target}")
    assert not bad, "\n".join(bad)


def test_every_stage_is_a_package() -> None:
    for stage in STAGES:
        assert (PACKAGE / stage / "__init__.py").is_file()
    loose = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert loose == ["__init__.py", "__main__.py", "pipeline.py"], loose


def test_mkdocs_is_imported_by_its_layer_only() -> None:
    """The MkDocs layer is htx.mkdocs; `htx preview` (tools.cli) runs MkDocs' own build and serve commands."""
    users = sorted(name for name, path in modules().items()
                   if any(module.split(".")[0] in ("mkdocs", "material") for module, _n, _l in imports(name, path)))
    assert [u for u in users if not u.startswith("htx.mkdocs.")] == ["htx.tools.cli"], users
