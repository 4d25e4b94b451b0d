"""The code's shape: qa/ as stage packages whose imports run one way, in pipeline order; no import
circle in qa/ or bench/; no module over 300 lines.

The imports are read from the source (every `import` and `from ... import`, those inside functions
too), so the test needs nothing loaded. A module may import its own layer or one below it:

    prompts < settings < answer < llm < text < conversation < search < decision < eval < compose < the chain

The chain (the other top-level modules: `answering`, `request`, `qa/__init__`, the CLI, the pytest
plugin) and every `__main__` (an entry point) may import anything.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
QA = ROOT / "qa"
BENCH = ROOT / "bench"
LAYERS = (
    "qa.prompts",
    "qa.settings",
    "qa.answer",
    "qa.llm",
    "qa.text",
    "qa.conversation",
    "qa.search",
    "qa.decision",
    "qa.eval",
    "qa.compose",
)
TOP = len(LAYERS)


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules(package: Path = QA) -> dict[str, Path]:
    return {module_name(path): path for path in package.rglob("*.py")}


def imported(name: str, path: Path, known: set[str]) -> set[str]:
    """The modules of the package that `name` imports, resolved to module names (`from qa.x import y`
    counts as qa.x.y when that is a module)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            targets = [source] + [f"{source}.{alias.name}" for alias in node.names]
        else:
            continue
        found |= {target for target in targets if target in known}
    return found - {name}


def layer(name: str) -> int:
    if name.rpartition(".")[2] == "__main__":
        return TOP
    for rank, prefix in enumerate(LAYERS):
        if name == prefix or name.startswith(prefix + "."):
            return rank
    return TOP


def import_graph(package: Path = QA) -> dict[str, set[str]]:
    found = modules(package)
    return {name: imported(name, path, set(found)) for name, path in found.items()}


def test_the_import_reader_sees_a_known_arrow():
    graph = import_graph()
    assert "qa.text.sentences" in graph["qa.decision.decide"]
    assert "qa.search.index" in graph["qa.search.retrieve"]


def test_no_stage_imports_a_later_one():
    backward = [
        f"{name} (layer {LAYERS[layer(name)]}) imports {target} (layer {LAYERS[layer(target)]})"
        for name, targets in import_graph().items()
        for target in sorted(targets)
        if layer(target) > layer(name)
    ]
    assert not backward, "imports against the pipeline's order:\n" + "\n".join(backward)


def circle_in(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle of `graph`, as the modules along it, or None."""
    status: dict[str, str] = {}

    def visit(name: str, path: list[str]) -> list[str] | None:
        status[name] = "open"
        for target in sorted(graph[name]):
            if status.get(target) == "open":
                return path + [name, target]
            if target not in status and (circle := visit(target, path + [name])):
                return circle
        status[name] = "done"
        return None

    for name in sorted(graph):
        if name not in status and (circle := visit(name, [])):
            return circle
    return None


@pytest.mark.parametrize("package", [QA, BENCH], ids=["qa", "bench"])
def test_no_import_circle(package):
    circle = circle_in(import_graph(package))
    assert circle is None, "import circle: " + " -> ".join(circle or [])


def test_a_circle_is_found():
    assert circle_in({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert circle_in({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None


def test_bench_keeps_its_measurements_at_the_top_and_the_rest_in_folders():
    top_modules = sorted(path.name for path in BENCH.glob("*.py"))
    assert len(top_modules) <= 15, top_modules


def test_the_top_holds_the_chain_and_at_least_five_stage_packages():
    top_modules = sorted(path.name for path in QA.glob("*.py"))
    packages = sorted(path.parent.name for path in QA.glob("*/__init__.py"))
    assert len(top_modules) <= 8, top_modules
    assert len(packages) >= 5, packages
    assert {name.rpartition(".")[2] for name in LAYERS if name.count(".") == 1} - {"prompts", "settings", "answer"} <= set(packages)


def test_a_backward_import_is_caught(monkeypatch):
    """The check fails on the arrow it exists to catch: text importing the decision stage."""
    graph = {"qa.text.sentences": {"qa.decision.decide"}, "qa.decision.decide": set()}
    monkeypatch.setitem(globals(), "import_graph", lambda: graph)
    with pytest.raises(AssertionError, match="qa.text.sentences .* imports qa.decision.decide"):
        test_no_stage_imports_a_later_one()


def test_no_module_is_over_300_lines():
    files = [ROOT / "app.py", *(path for folder in ("qa", "qa_ui", "ingest", "bench", "tests") for path in (ROOT / folder).rglob("*.py"))]
    long = {str(path.relative_to(ROOT)): n for path in files if (n := len(path.read_text(encoding="utf-8").splitlines())) > 300}
    assert long == {}, "split these by job: " + ", ".join(f"{name} ({n} lines)" for name, n in sorted(long.items()))
