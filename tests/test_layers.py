"""The stages' imports point down: extract < graph < queries < the face package ``lgkg``.

Every ``import`` and ``from ... import`` of a module is read with ``ast``,
at module level and inside functions (and ``if TYPE_CHECKING:`` blocks) alike.
"""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: Source folder -> its package (pyproject's package-dir).
STAGES = {
    "extract": "lgkg.extract",
    "graph": "lgkg.graph",
    "queries": "lgkg.queries",
    "ontology": "lgkg.ontology",
}


def module_name(path: Path) -> str:
    """``graph/store.py`` -> ``lgkg.graph.store``; ``graph/__init__.py`` -> ``lgkg.graph``."""
    folder, *rest = path.relative_to(ROOT).with_suffix("").parts
    parts = [STAGES[folder], *rest]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path) -> set[str]:
    """The dotted names the module at ``path`` imports."""
    source = path.read_text(encoding="utf-8")
    return import_names(source, module_name(path), is_package=path.name == "__init__.py")


def import_names(source: str, module: str, *, is_package: bool = False) -> set[str]:
    """The dotted names ``source`` (module ``module``) imports: ``from a.b import c`` gives
    ``a.b`` and ``a.b.c`` (``c`` may be a module)."""
    tree = ast.parse(source, module)
    package = module if is_package else module.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from the module's package upwards
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            names.add(source)
            names.update(f"{source}.{alias.name}" for alias in node.names if alias.name != "*")
    return names


def stage_modules(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def test_layers_the_stage_folders_hold_modules() -> None:
    for folder in STAGES:
        assert stage_modules(folder), folder
    assert "lgkg.graph.store" in {module_name(p) for p in stage_modules("graph")}


def test_layers_graph_imports_have_no_cycle() -> None:
    """Among the modules of graph/, no import leads back to where it started."""
    modules = {module_name(p): p for p in stage_modules("graph")}
    dependencies = {
        name: {m for m in imports(path) if m in modules and m != name}
        for name, path in modules.items()
    }
    try:
        order = list(graphlib.TopologicalSorter(dependencies).static_order())
    except graphlib.CycleError as err:
        pytest.fail(f"an import cycle in graph/: {' -> '.join(err.args[1])}")
    assert set(order) == set(modules)
    assert "lgkg.graph.store" not in dependencies["lgkg.graph.remote"]


@pytest.mark.parametrize("folder", sorted(STAGES))
def test_layers_stages_do_not_import_the_face_package(folder: str) -> None:
    """extract/, graph/, queries/ and ontology/ import no part of ``lgkg`` but the stages
    (not ``lgkg`` itself, nor lgkg.cli, lgkg.api, lgkg.server, ...)."""
    allowed = tuple(STAGES.values())
    wrong = sorted(
        f"{path.relative_to(ROOT)}: {name}"
        for path in stage_modules(folder)
        for name in imports(path)
        if (name == "lgkg" or name.startswith("lgkg."))
        and not any(name == stage or name.startswith(stage + ".") for stage in allowed)
    )
    assert wrong == []


def test_layers_extract_imports_neither_graph_nor_queries() -> None:
    wrong = sorted(
        f"{path.relative_to(ROOT)}: {name}"
        for path in stage_modules("extract")
        for name in imports(path)
        if name.split(".")[:2] in (["lgkg", "graph"], ["lgkg", "queries"])
    )
    assert wrong == []


def test_layers_queries_bind_names_through_the_store() -> None:
    """queries/ asks the store (lgkg.graph.lookup) for councils, not extract's gazetteer,
    and needs nothing of lgkg.graph.emit (which turns extraction records into RDF)."""
    wrong = sorted(
        f"{path.relative_to(ROOT)}: {name}"
        for path in stage_modules("queries")
        for name in imports(path)
        if name.startswith(("lgkg.extract.gazetteer", "lgkg.graph.emit"))
    )
    assert wrong == []


def test_layers_imports_reads_every_kind_of_import() -> None:
    """The reader sees imports inside functions and TYPE_CHECKING blocks, and relative ones."""
    source = (
        "from typing import TYPE_CHECKING\n"
        "import lgkg.graph.vocab\n"
        "if TYPE_CHECKING:\n    from lgkg.graph.store import Store\n"
        "def f():\n    from lgkg import cli\n    from . import terms\n    from .emit import x\n"
    )
    found = import_names(source, "lgkg.graph.probe")
    assert {
        "lgkg.graph.vocab",
        "lgkg.graph.store",
        "lgkg",
        "lgkg.cli",
        "lgkg.graph.terms",
        "lgkg.graph.emit",
    } <= found
