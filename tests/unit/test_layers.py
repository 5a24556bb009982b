"""The package's tree is its architecture, and this test holds it to that.

Layers, lowest first: ``api`` (HTTP, settings, errors) ← ``resources`` (the Pulumi resources and their
providers) ← ``catalog`` (the bootstrap catalog and the export of an account) and ``provider_host`` (what the
engine runs) ← ``commands`` (``pulumi-chartmogul``, ``make demo``). A module imports only from its own layer or
lower ones; ``catalog`` and ``provider_host`` do not import each other; the ``emulator`` imports nothing of the
provider side and only the commands import it; ``policy`` (the policy pack's rules, copied into a pack folder as
they are) imports nothing of the package but itself; no module imports another that imports it back (a cycle),
however indirectly. Every import counts: at module level, in a function (lazy) and under ``TYPE_CHECKING``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

PACKAGE = "pulumi_chartmogul"
ROOT = Path(__file__).resolve().parents[2] / PACKAGE

# The layer of each top-level part of the package; modules of the same layer may import each other.
LAYERS: dict[str, int] = {
    "_version": 0, "_lazy": 0, "_moved": 0,  # package plumbing: no import of ours
    "api": 1,
    "policy": 1,  # the policy pack's rules: the standard library only, copied into a pack as they are
    "resources": 2,
    "catalog": 3, "provider_host": 3,
    "commands": 4,
    "emulator": 4,  # beside the commands: `make demo` starts it; it imports nothing of the provider side
    # the public faces: the package (lazy names), `python -m pulumi_chartmogul`, and the 0.1 paths kept for a release
    "__init__": 5, "__main__": 5, "errors": 5, "catalog_groups": 5, "catalog_file": 5,
}
# Parts of one layer that must not import each other.
APART = {frozenset({"catalog", "provider_host"})}
# The only parts the emulator may import, and the only parts that may import it.
EMULATOR_IMPORTS = {"emulator", "_version"}
EMULATOR_USERS = {"emulator", "commands"}
# The only part the policy pack's rules may import: they run in a pack folder without the package.
POLICY_IMPORTS = {"policy"}


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, root: Path = ROOT) -> set[str]:
    """The modules of the package that ``path`` imports, anywhere in it (``from . import x`` counts as ``.x``
    alone when ``x`` is a module)."""
    module = module_name(path, root)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.split(".")[0] == root.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if target.split(".")[0] != root.name:
                continue
            named = [f"{target}.{alias.name}" for alias in node.names]
            submodules = {name for name in named if _is_module(root, name)}
            # `from . import x` of modules only imports those modules (and their package, as any import does)
            found.update(submodules if len(submodules) == len(node.names) else {target, *submodules})
    return found


def _is_module(root: Path, dotted: str) -> bool:
    path = root.parent.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def import_graph(root: Path = ROOT) -> dict[str, set[str]]:
    modules = {module_name(path, root): path for path in root.rglob("*.py")}
    return {name: {target for target in imports_of(path, root) if target in modules and target != name}
            for name, path in modules.items()}


def part(module: str) -> str:
    """``pulumi_chartmogul.resources.plan`` → ``resources``; the package itself → ``__init__``."""
    pieces = module.split(".")
    return pieces[1] if len(pieces) > 1 else "__init__"


def cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Every strongly connected component of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def layer_problems(graph: Mapping[str, Iterable[str]]) -> list[str]:
    problems = []
    for source, targets in sorted(graph.items()):
        for target in sorted(targets):
            upper, lower = part(source), part(target)
            if upper not in LAYERS or lower not in LAYERS:
                problems.append(f"{source} -> {target}: {upper if upper not in LAYERS else lower!r} has no layer; "
                                "add it to LAYERS")
            elif LAYERS[lower] > LAYERS[upper]:
                problems.append(f"{source} -> {target}: an import up, from {upper} (layer {LAYERS[upper]}) to "
                                f"{lower} (layer {LAYERS[lower]})")
            elif frozenset({upper, lower}) in APART:
                problems.append(f"{source} -> {target}: {upper} and {lower} must not import each other")
            elif upper == "emulator" and lower not in EMULATOR_IMPORTS:
                problems.append(f"{source} -> {target}: the emulator imports nothing of the provider side")
            elif lower == "emulator" and upper not in EMULATOR_USERS:
                problems.append(f"{source} -> {target}: only the commands start the emulator")
            elif upper == "policy" and lower not in POLICY_IMPORTS:
                problems.append(f"{source} -> {target}: the policy pack's rules import nothing of the package")
    problems += [f"a cycle: {' <-> '.join(cycle)}" for cycle in cycles(graph)]
    return problems


def test_the_package_keeps_its_layers_and_has_no_cycle() -> None:
    graph = import_graph()
    assert len(graph) > 40, "the package was not found or not read"
    assert "pulumi_chartmogul.api.errors" in graph["pulumi_chartmogul.api.client"], "imports were not read"
    assert layer_problems(graph) == []


def test_every_top_level_part_has_a_layer() -> None:
    parts = {path.stem if path.is_file() else path.name
             for path in ROOT.iterdir() if path.suffix == ".py" or (path / "__init__.py").is_file()}
    assert parts - LAYERS.keys() == set()


@pytest.mark.parametrize(("graph", "expected"), [
    ({"pulumi_chartmogul.api.client": {"pulumi_chartmogul.resources.plan"}, "pulumi_chartmogul.resources.plan": set()},
     "an import up, from api (layer 1) to resources (layer 2)"),
    ({"pulumi_chartmogul.catalog.model": {"pulumi_chartmogul.catalog.groups"},
      "pulumi_chartmogul.catalog.groups": {"pulumi_chartmogul.catalog.names"},
      "pulumi_chartmogul.catalog.names": {"pulumi_chartmogul.catalog.model"}},
     "a cycle: pulumi_chartmogul.catalog.groups <-> pulumi_chartmogul.catalog.model <-> "
     "pulumi_chartmogul.catalog.names"),
    ({"pulumi_chartmogul.emulator.app": {"pulumi_chartmogul.api.errors"}, "pulumi_chartmogul.api.errors": set()},
     "the emulator imports nothing of the provider side"),
    ({"pulumi_chartmogul.resources.plan": {"pulumi_chartmogul.emulator.store"},
      "pulumi_chartmogul.emulator.store": set()},
     "an import up, from resources (layer 2) to emulator (layer 4)"),
    ({"pulumi_chartmogul.catalog.export": {"pulumi_chartmogul.provider_host.importing"},
      "pulumi_chartmogul.provider_host.importing": set()},
     "catalog and provider_host must not import each other"),
    ({"pulumi_chartmogul.policy.rules": {"pulumi_chartmogul._version"}, "pulumi_chartmogul._version": set()},
     "the policy pack's rules import nothing of the package"),
    ({"pulumi_chartmogul.plugins.x": {"pulumi_chartmogul.api.errors"}, "pulumi_chartmogul.api.errors": set()},
     "'plugins' has no layer"),
])
def test_the_checker_finds_what_it_must(graph: dict[str, set[str]], expected: str) -> None:
    problems = layer_problems(graph)
    assert len(problems) == 1 and expected in problems[0], problems


def test_every_kind_of_import_is_read(tmp_path: Path) -> None:
    package = tmp_path / PACKAGE
    (package / "api").mkdir(parents=True)
    (package / "resources").mkdir()
    for init in (package, package / "api", package / "resources"):
        (init / "__init__.py").write_text("")
    (package / "api" / "client.py").write_text("")
    (package / "resources" / "plan.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from ..api.client import X\n"
        "def later():\n    from ..api import client\n    import pulumi_chartmogul.resources\n")
    (package / "api" / "settings.py").write_text("def f():\n    from ..resources import plan\n")
    graph = import_graph(package)
    assert graph[f"{PACKAGE}.resources.plan"] == {f"{PACKAGE}.api.client", f"{PACKAGE}.resources"}
    assert graph[f"{PACKAGE}.api.settings"] == {f"{PACKAGE}.resources.plan"}
    assert any("an import up, from api" in problem for problem in layer_problems(graph))
