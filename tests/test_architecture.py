"""The package's floors: every import points down the stages (or stays on its floor), and none
goes round in a circle. docs/architecture.md draws the same table."""

from __future__ import annotations

import ast
from pathlib import Path

from bot.config import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "bot"
# Lowest first. The modules at the top of `bot` (config, errors, fileio) are the ground floor;
# evaluation and training sit beside each other, training may use evaluation's data readers.
FLOORS = ("", "text", "models", "knowledge", "verdict", "conversation", "evaluation", "training", "interfaces")


def module_name(path: Path) -> str:
    parts = path.relative_to(PROJECT_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def floor(module: str) -> int:
    """The floor a module lives on; `bot.__main__` (the entry point) is above them all."""
    if module == "bot.__main__":
        return len(FLOORS)
    parts = module.split(".")
    return FLOORS.index(parts[1]) if len(parts) > 2 or (len(parts) == 2 and parts[1] in FLOORS) else 0


def imports(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Each module's imports of other project modules, lazy ones (inside functions) included."""
    graph = {}
    for name, path in modules.items():
        found = set()
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "bot":
                for alias in node.names:  # `from bot.verdict import explain` imports a module
                    child = f"{node.module}.{alias.name}"
                    found.add(child if child in modules else node.module)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names if alias.name.split(".")[0] == "bot")
        graph[name] = {target for target in found if target in modules and target != name}
    return graph


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}
GRAPH = imports(MODULES)


def test_every_module_lives_on_a_known_floor():
    strays = [name for name in MODULES if len(name.split(".")) > 2 and name.split(".")[1] not in FLOORS]
    assert not strays, f"modules outside the stage packages: {strays}"


def upward(graph: dict[str, set[str]]) -> list[str]:
    return sorted(f"{source} -> {target}" for source, targets in graph.items() for target in targets
                  if floor(target) > floor(source))


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components: any with two or more modules is a circle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_no_import_runs_up_a_floor():
    assert not upward(GRAPH), "imports that run up the stages:\n" + "\n".join(upward(GRAPH))


def test_no_import_circle():
    assert not circles(GRAPH)


def test_the_rules_catch_what_they_are_for():
    """A made-up graph with the two faults the rules exist for: an upward import closing a circle."""
    graph = {"bot.interfaces.cli": {"bot.interfaces.app.options"},
             "bot.interfaces.app.options": {"bot.interfaces.cli"},
             "bot.models.nli": {"bot.evaluation.nli_pairs"}, "bot.evaluation.nli_pairs": set()}
    assert circles(graph) == [["bot.interfaces.app.options", "bot.interfaces.cli"]]
    assert upward(graph) == ["bot.models.nli -> bot.evaluation.nli_pairs"]


def test_the_top_of_the_package_stays_small():
    top = [path.name for path in PACKAGE.glob("*.py")]
    assert len(top) <= 10, top
    assert {path.name for path in PACKAGE.iterdir() if path.is_dir() and path.name != "__pycache__"} == set(FLOORS[1:])


def test_the_check_path_never_imports_evaluation_or_training():
    """What a verdict needs is readable on its own: nothing below the interfaces reaches the offline stages."""
    offline = {FLOORS.index("evaluation"), FLOORS.index("training")}
    reached = [f"{source} -> {target}" for source, targets in GRAPH.items() for target in targets
               if floor(source) < min(offline) and floor(target) in offline]
    assert not reached, reached
