"""What a user's type checker sees: mypy in strict mode (in process, through ``mypy.api``) reports a wrong
``interval_unit``, a typo on the package and a 0.1 import path in a user's program, and passes the same program
without them, the template and the examples; the 0.1 paths hand on exactly their ``__all__`` and still warn."""

from __future__ import annotations

import ast
import importlib
import re
import sys
import warnings
from pathlib import Path
from types import ModuleType
from typing import Any

import pulumi
import pytest

from pulumi_chartmogul import DataSource, PlanGroup, _moved
from pulumi_chartmogul.resources.calling import flag
from pulumi_chartmogul.resources.data_source import DataSourceProvider
from tests.unit.recording_mocks import RecordingMocks, recording_mocks

REPO = Path(__file__).resolve().parents[2]

# A user's program, with each mistake in a place of its own. ``CLEAN`` fills the places right, ``MISTAKES`` wrong:
# the error code mypy must report on that line.
PROGRAM = '''\
"""A user's Pulumi program."""

import pulumi

import pulumi_chartmogul as cm
from pulumi_chartmogul.{catalog_file} import load_catalog_file

config = pulumi.Config()
billing = cm.DataSource("billing", name="In-house billing", force_destroy=config.get_bool("force_destroy") or False)
gold = cm.Plan("gold", data_source_uuid=billing.uuid, name="Gold", interval_count=1, interval_unit="{unit}")
silver = cm.{plan}("silver", cm.PlanArgs(data_source_uuid=billing.uuid, name="Silver", interval_count=1,
                                      interval_unit="year", adopt=billing.name.apply(lambda n: n == "Legacy")))
paid = cm.PlanGroup("paid", plans=[gold.uuid, silver.uuid], adopt=True)
gold_yearly = cm.Plan("gold-yearly", data_source_uuid=billing.uuid, name="Gold yearly", interval_count=12,
                      interval_unit=gold.interval_unit)  # one plan's unit, as an output, is another's input
catalog = load_catalog_file("catalog.yaml")
pulumi.export("plans_in_catalog", sum(len(source.plans) for source in catalog.root))
'''
CLEAN = {"catalog_file": "catalog.file", "unit": "month", "plan": "Plan"}
MISTAKES = {
    "catalog_file": ("catalog_file", "deprecated"),  # the 0.1 path
    "unit": ("mnth", "arg-type"),  # interval_unit is a Literal
    "plan": ("Plna", "attr-defined"),  # a typo on the package
}
# mypy as a user runs it: strict, deprecations reported, this package treated as an installed library (its own
# modules are not the user's to fix, so errors in them are not reported).
MYPY_CONFIG = f"""\
[mypy]
strict = True
enable_error_code = deprecated
mypy_path = {REPO}

[mypy-pulumi_chartmogul.*]
follow_imports = silent
"""
ERROR = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): error: (?P<message>.*)  \[(?P<code>[a-z-]+)\]$")


@pytest.fixture(scope="module")
def mypy(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """``check(*paths)``: mypy's errors on those files, as ``(file name, line, code, message)``."""
    # mypy comes with the dev extra; `make test-min-deps` installs the package without it and runs the rest here.
    mypy_api = pytest.importorskip("mypy.api", reason="mypy is not installed (it is in the dev extra)")
    folder = tmp_path_factory.mktemp("mypy")
    config = folder / "mypy.ini"
    config.write_text(MYPY_CONFIG)

    def check(*paths: Path) -> list[tuple[str, int, str, str]]:
        limit = sys.getrecursionlimit()
        try:
            out, err, status = mypy_api.run(["--config-file", str(config), "--cache-dir", str(folder / "cache"),
                                             "--no-error-summary", "--show-absolute-path", *map(str, paths)])
        finally:
            # mypy raises the interpreter's recursion limit for itself; tests after this one need Python's own
            # (tests/program/test_wiring.py proves the SDK's recursion bug with it).
            sys.setrecursionlimit(limit)
        errors = [(Path(m["file"]).name, int(m["line"]), m["code"], m["message"])
                  for m in map(ERROR.match, out.splitlines()) if m]
        assert status in (0, 1) and not err, (status, out, err)
        assert (status == 0) == (not errors), out  # every error was parsed: none slips past the assertions
        return errors

    return check


def _program(folder: Path, name: str, places: dict[str, str]) -> Path:
    path = folder / name / "__main__.py"
    path.parent.mkdir()
    path.write_text(PROGRAM.format(**places))
    return path


def test_a_clean_program_passes_strict(mypy: Any, tmp_path: Path) -> None:
    assert mypy(_program(tmp_path, "clean", CLEAN)) == []


@pytest.mark.parametrize("place", sorted(MISTAKES))
def test_each_mistake_is_reported_at_its_line(mypy: Any, tmp_path: Path, place: str) -> None:
    wrong, code = MISTAKES[place]
    path = _program(tmp_path, place, {**CLEAN, place: wrong})
    line = next(n for n, text in enumerate(path.read_text().splitlines(), start=1) if wrong in text)
    errors = mypy(path)
    assert [(line, code)] == [(n, c) for _, n, c, _ in errors], errors


def test_all_three_mistakes_at_once(mypy: Any, tmp_path: Path) -> None:
    path = _program(tmp_path, "all", {place: wrong for place, (wrong, _) in MISTAKES.items()})
    lines = path.read_text().splitlines()
    expected = {(next(n for n, text in enumerate(lines, start=1) if wrong in text), code)
                for wrong, code in MISTAKES.values()}
    errors = mypy(path)
    assert {(n, c) for _, n, c, _ in errors} == expected, errors
    deprecated = next(message for _, _, code, message in errors if code == "deprecated")
    assert "load_catalog_file is deprecated: moved to pulumi_chartmogul.catalog.file" in deprecated


@pytest.mark.parametrize("program", ["templates/chartmogul-python/__main__.py", "examples/quickstart/__main__.py",
                                     "examples/adopt-existing/__main__.py", "examples/multi-environment/__main__.py"])
def test_the_programs_users_copy_pass_strict(mypy: Any, program: str) -> None:
    assert mypy(REPO / program) == []


# -- the 0.1 paths -----------------------------------------------------------------------------------------------

SHIMS = {
    "pulumi_chartmogul.errors": "pulumi_chartmogul.api.errors",
    "pulumi_chartmogul.catalog_file": "pulumi_chartmogul.catalog.file",
    "pulumi_chartmogul.catalog_groups": "pulumi_chartmogul.catalog.groups",
}
# What 0.1 code imported from each (0.1's own public names that 0.2 still has).
NAMES_0_1 = {
    "pulumi_chartmogul.errors": {
        "ALREADY_EXISTS_MESSAGES", "APIStatusError", "AlreadyExistsError", "AuthenticationError", "BadRequestError",
        "ChartMogulError", "ConfigurationError", "NotFoundError", "OutcomeUnknownError", "PermissionDeniedError",
        "RateLimitError", "ServerError", "TransportError", "UnprocessableEntityError", "error_from_response",
    },
    "pulumi_chartmogul.catalog_file": {
        "CATALOG_KEY", "GROUPS_KEY", "STACK_CONFIG_LIMIT", "load_catalog_file", "read_catalog_file",
    },
    "pulumi_chartmogul.catalog_groups": {
        "CatalogPlanGroup", "CatalogPlanRef", "declare_plan_groups", "plan_group_problems",
    },
}


def _import_afresh(name: str) -> ModuleType:
    sys.modules.pop(name, None)
    with pytest.warns(DeprecationWarning, match=re.escape(f"{name} moved to {SHIMS[name]}")):
        return importlib.import_module(name)


def _public(module: ModuleType) -> set[str]:
    names = getattr(module, "__all__", None)
    return set(names) if names is not None else {n for n in vars(module) if not n.startswith("_")}


@pytest.mark.parametrize("old", sorted(SHIMS))
def test_a_0_1_path_warns_and_hands_on_only_its_all(old: str) -> None:
    shim, new = _import_afresh(old), importlib.import_module(SHIMS[old])
    exported = set(shim.__all__)
    assert NAMES_0_1[old] <= exported, "a name 0.1 code imports is gone"
    assert exported <= _public(new), "only public names of the module it moved to"
    for name in exported:
        assert getattr(shim, name) is getattr(new, name), name
        assert not isinstance(getattr(shim, name), ModuleType), name
    # Nothing else: the module's own plumbing stays private (TYPE_CHECKING is typing's, for the checkers).
    assert {n for n in vars(shim) if not n.startswith("_")} - {"TYPE_CHECKING"} == exported
    star: dict[str, Any] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        exec(f"from {old} import *", star)
    assert set(star) - {"__builtins__"} == exported


@pytest.mark.parametrize("old", sorted(SHIMS))
def test_type_checkers_see_the_same_names_with_classes_and_functions_deprecated(old: str) -> None:
    """The shim's ``if TYPE_CHECKING:`` block declares exactly ``__all__``, each class and function marked
    ``@deprecated`` (constants cannot be: PEP 702 covers classes and functions)."""
    shim = _import_afresh(old)
    tree = ast.parse(Path(shim.__file__ or "").read_text())
    block = next(node for node in tree.body if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING")
    declared: dict[str, ast.stmt] = {}
    for node in block.body:
        if isinstance(node, ast.ClassDef | ast.FunctionDef):
            declared[node.name] = node
        elif isinstance(node, ast.ImportFrom):
            # `import X as X` re-exports X; other imports are the block's own helpers.
            declared.update({a.name: node for a in node.names if a.asname == a.name})
    assert set(declared) == set(shim.__all__)
    for name, node in declared.items():
        value = getattr(shim, name)
        if isinstance(value, type) or callable(value):
            assert isinstance(node, ast.ClassDef | ast.FunctionDef), name
            decorators = [ast.unparse(d.func) for d in node.decorator_list if isinstance(d, ast.Call)]
            assert "deprecated" in decorators, name


def test_a_name_the_new_module_lacks_fails_the_import() -> None:
    with pytest.warns(DeprecationWarning), pytest.raises(ImportError, match="nowhere_to_be_found"):
        _moved.hand_on("pulumi_chartmogul.old", "pulumi_chartmogul.catalog.file", ["nowhere_to_be_found"], {})


# -- lazy loading and Input[bool] ------------------------------------------------------------------------------


def test_the_package_loads_its_resources_lazily_at_run_time() -> None:
    import pulumi_chartmogul as cm

    assert callable(vars(cm)["__getattr__"])
    assert {name: getattr(cm, name).__name__ for name in cm.__all__ if name != "__version__"} == {
        name: name for name in cm.__all__ if name != "__version__"}
    with pytest.raises(AttributeError, match="Plna"):
        cm.Plna  # type: ignore[attr-defined]  # noqa: B018


def test_a_switch_is_registered_as_given() -> None:
    """``adopt`` and ``force_destroy`` take ``Input[bool]``: a plain value is a bool (None, not given, is False),
    an Output is passed on (``bool()`` of one is always True) for the engine to resolve and check to validate."""
    assert flag(None) is False
    assert flag(True) is True
    assert flag(False) is False
    output = pulumi.Output.from_input(False)
    assert flag(output) is output


@pytest.fixture
def recording() -> RecordingMocks:
    return recording_mocks()


@pulumi.runtime.test
def test_outputs_as_switches_reach_the_provider_resolved(recording: RecordingMocks) -> Any:
    on, off = pulumi.Output.from_input(True), pulumi.Output.from_input(False)
    resources = [
        DataSource("on", adopt=on, force_destroy=on),
        DataSource("off", adopt=off, force_destroy=off),
        DataSource("plain", force_destroy=False),
        PlanGroup("group", plans=["pl_1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b"], adopt=on),
    ]

    def verify(_: Any) -> None:
        switches = {name: {k: v for k, v in inputs.items() if k in ("adopt", "force_destroy")}
                    for name, (_type, inputs) in recording.registered.items()}
        assert switches == {
            "on": {"adopt": True, "force_destroy": True},
            "off": {"adopt": False, "force_destroy": False},  # was True: bool() of an Output
            "plain": {"adopt": False},  # a plain False is left out, as it always was
            "group": {"adopt": True},
        }
        # and the provider's check leaves out the one that resolved to False: the state has the usual shape
        assert DataSourceProvider().check({}, {"name": "off", **switches["off"]}).inputs == {"name": "off",
                                                                                              "adopt": False}

    return pulumi.Output.all(*[r.id for r in resources]).apply(verify)
