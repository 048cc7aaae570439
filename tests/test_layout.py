"""The package reads as a pipeline: no import cycles, and engines and stores depend on stages only."""

import ast
from pathlib import Path

import dedup

PACKAGE = Path(dedup.__file__).parent


def _imports() -> dict[str, set[str]]:
    """Each module of the package and the modules of the package it imports at run time."""
    modules = {path.stem: ast.parse(path.read_text("utf-8")) for path in PACKAGE.glob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, tree in modules.items():
        type_only = {
            id(node)
            for block in ast.walk(tree)
            if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
            for node in ast.walk(block)
        }
        graph[name] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 1 and id(node) not in type_only:
                targets = [node.module] if node.module else [alias.name for alias in node.names]
                graph[name] |= {t for t in targets if t in modules and t != name}
    return graph


def test_the_package_has_no_import_cycle():
    graph = _imports()
    state: dict[str, str] = {}

    def visit(module: str, path: list[str]) -> None:
        state[module] = "open"
        for target in sorted(graph[module]):
            assert state.get(target) != "open", f"import cycle: {' -> '.join([*path, module, target])}"
            if target not in state:
                visit(target, [*path, module])
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [])


def test_engines_and_stores_do_not_depend_on_the_detector():
    graph = _imports()

    def reaches(module: str, seen: set[str]) -> set[str]:
        for target in graph[module] - seen:
            seen.add(target)
            reaches(target, seen)
        return seen

    for module in ("_dask", "_scan", "_ingest", "_memory", "_redis", "_persist"):
        assert "_detector" not in reaches(module, set()), module
