"""``pulumi-chartmogul policy-pack DIR`` and the pack's program, in process: what the folder holds, and the binding of
the rules to ``pulumi_policy`` (played here by a stand-in module with the same names, since pulumi-policy is not
installed beside this package)."""

from __future__ import annotations

import io
import json
import runpy
import sys
import types
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from pulumi_chartmogul._version import __version__
from pulumi_chartmogul.commands import cli, policy_pack
from pulumi_chartmogul.policy import rules

DYNAMIC = "pulumi-python:dynamic/chartmogul:"


class _DictProxy(Mapping[str, Any]):
    """Like pulumi_policy's: ``["__target"]`` is the plain dict; any other key of an unknown value raises."""

    def __init__(self, target: dict[str, Any]) -> None:
        self.target = target

    def __getitem__(self, key: str) -> Any:
        if key == "__target":
            return self.target
        if rules.is_unknown(self.target[key]):
            raise AssertionError(f"the binding read the unknown value {key} through the proxy")
        return self.target[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.target)

    def __len__(self) -> int:
        return len(self.target)


class _ListProxy(Sequence[Any]):
    def __init__(self, target: list[Any]) -> None:
        self.target = target

    def __getitem__(self, key: Any) -> Any:
        return self.target if key == "__target" else self.target[key]

    def __len__(self) -> int:
        return len(self.target)


@dataclass
class Made:
    """What the stand-in pulumi_policy was asked to make."""

    packs: list[dict[str, Any]] = field(default_factory=list)


@pytest.fixture
def fake_policy(monkeypatch: pytest.MonkeyPatch) -> Made:
    made = Made()
    module = types.ModuleType("pulumi_policy")

    class Policy:
        def __init__(self, **kwargs: Any) -> None:
            self.__dict__.update(kwargs)

    class PolicyConfigSchema:
        def __init__(self, properties: dict[str, Any]) -> None:
            self.properties = properties

    module.EnforcementLevel = types.SimpleNamespace(MANDATORY="mandatory", ADVISORY="advisory")  # type: ignore[attr-defined]
    module.PolicyConfigSchema = PolicyConfigSchema  # type: ignore[attr-defined]
    module.ResourceValidationPolicy = type("ResourceValidationPolicy", (Policy,), {})  # type: ignore[attr-defined]
    module.StackValidationPolicy = type("StackValidationPolicy", (Policy,), {})  # type: ignore[attr-defined]
    module.PolicyPack = lambda **kwargs: made.packs.append(kwargs)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "pulumi_policy", module)
    monkeypatch.delitem(sys.modules, "pulumi_chartmogul.policy.pack_main", raising=False)  # binds to this one
    return made


def written(tmp_path: Path) -> Path:
    out, err = io.StringIO(), io.StringIO()
    assert policy_pack.run(cli.build_parser().parse_args(["policy-pack", str(tmp_path / "pack")]), out, err) == 0
    assert err.getvalue() == ""
    return tmp_path / "pack"


def test_the_command_writes_a_ready_pack_and_its_launcher(tmp_path: Path) -> None:
    folder = written(tmp_path)
    assert sorted(p.name for p in folder.iterdir()) == sorted(policy_pack.FILES)
    assert (folder / "requirements.txt").read_text() == "pulumi-policy==1.21.0\n"
    yaml: Any = pytest.importorskip("yaml")
    project = yaml.safe_load((folder / "PulumiPolicy.yaml").read_text())
    assert project["runtime"] == {"name": "python", "options": {"virtualenv": "venv"}}
    assert project["version"] == __version__ and project["description"].startswith("ChartMogul guardrails")
    assert (folder / "chartmogul_rules.py").read_text() == Path(rules.__file__).read_text()
    launcher = folder / policy_pack.LAUNCHER
    assert launcher.stat().st_mode & 0o777 == 0o755
    text = launcher.read_text()
    assert text.startswith("#!/bin/sh\n") and 'exec "$here/venv/bin/python" -u -m pulumi.policy "$1" "$here"' in text
    example = json.loads((folder / policy_pack.CONFIG_EXAMPLE).read_text())
    assert example["chartmogul-plans-grouped"] == {"enforcementLevel": "advisory"}
    assert example["chartmogul-plan-naming"] == {"enforcementLevel": "mandatory", "namePattern": "",
                                                 "externalIdPattern": "^[a-z0-9_]+$"}
    assert list(example) == [rule.name for rule in rules.RULES]


def test_writing_again_keeps_the_virtualenv_and_says_how_to_run_it(tmp_path: Path) -> None:
    folder = written(tmp_path)
    (folder / "venv" / "bin").mkdir(parents=True)
    (folder / "__main__.py").write_text("stale")
    out = io.StringIO()
    assert policy_pack.run(cli.build_parser().parse_args(["policy-pack", str(folder)]), out, io.StringIO()) == 0
    assert (folder / "venv" / "bin").is_dir() and "stale" not in (folder / "__main__.py").read_text()
    said = out.getvalue()
    assert f"--policy-pack {folder} " in said and f"--policy-pack {folder / policy_pack.LAUNCHER}" in said
    assert "python3 -m venv venv && venv/bin/pip install -r requirements.txt" in said


def test_a_file_where_the_folder_should_be_is_refused(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("")
    err = io.StringIO()
    args = cli.build_parser().parse_args(["policy-pack", str(tmp_path / "taken")])
    assert policy_pack.run(args, io.StringIO(), err) == 2 and "is not a folder" in err.getvalue()


def test_the_written_pack_runs_from_its_folder_and_binds_every_rule(tmp_path: Path, fake_policy: Made,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """As ``python -m pulumi.policy ENGINE DIR`` runs it: ``DIR/__main__.py`` with DIR on sys.path, importing the
    rules as ``chartmogul_rules``."""
    folder = written(tmp_path)
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.delitem(sys.modules, "chartmogul_rules", raising=False)
    runpy.run_path(str(folder), run_name="__main__")
    [pack] = fake_policy.packs
    assert pack["name"] == "chartmogul-guardrails"
    policies = pack["policies"]
    assert [(p.name, type(p).__name__, p.enforcement_level) for p in policies] == [
        (rule.name, "ResourceValidationPolicy" if rule.scope == "resource" else "StackValidationPolicy",
         rule.enforcement) for rule in rules.RULES]
    assert policies[0].config_schema.properties == {"allowForceDestroy": {"type": "array", "items": {"type": "string"}}}
    sys.modules.pop("chartmogul_rules", None)


def _resource_args(type_: str, name: str, props: dict[str, Any], protect: bool,
                   config: dict[str, Any] | None = None) -> Any:
    return types.SimpleNamespace(resource_type=type_, name=name, urn=f"urn::{name}", props=_DictProxy(props),
                                 opts=types.SimpleNamespace(protect=protect), get_config=lambda: config)


def test_a_resource_policy_reports_each_violation_reading_around_unknowns(fake_policy: Made) -> None:
    from pulumi_chartmogul.policy import pack_main

    by_name = {p.name: p for p in pack_main.policies()}
    reported: list[tuple[Any, ...]] = []
    protected = by_name["chartmogul-data-sources-protected"]
    protected.validate(_resource_args(f"{DYNAMIC}DataSource", "billing", {"name": "Billing"}, False),
                       lambda *a: reported.append(a))
    assert len(reported) == 1 and reported[0][0].startswith("DataSource 'billing' (Billing) is not protected")
    reported.clear()
    naming = by_name["chartmogul-plan-naming"]
    # an unknown external id is never read through the proxy (which would skip the whole policy); the name is checked
    naming.validate(_resource_args(f"{DYNAMIC}Plan", "basic", {"name": "basic", "external_id": rules.UNKNOWN}, False,
                                   {"namePattern": "^[A-Z]", "enforcementLevel": "mandatory"}),
                    lambda *a: reported.append(a))
    assert len(reported) == 1 and "has name 'basic'" in reported[0][0]
    reported.clear()
    protected.validate(_resource_args("aws:s3:Bucket", "b", {}, False), lambda *a: reported.append(a))
    assert reported == []


def test_a_stack_policy_sees_plain_values_and_dependencies(fake_policy: Made) -> None:
    from pulumi_chartmogul.policy import pack_main

    plan_urn = f"urn:pulumi:s::p::{DYNAMIC}Plan::basic"

    def resource(type_: str, name: str, props: dict[str, Any], deps: dict[str, list[Any]] | None = None,
                 urn: str = "") -> Any:
        return types.SimpleNamespace(resource_type=type_, name=name, urn=urn or f"urn::{name}",
                                     props=_DictProxy(props), opts=types.SimpleNamespace(protect=True),
                                     property_dependencies=deps or {})

    plan = resource(f"{DYNAMIC}Plan", "basic", {"name": "Basic", "uuid": rules.UNKNOWN}, urn=plan_urn)
    lonely = resource(f"{DYNAMIC}Plan", "lonely", {"name": "Lonely", "uuid": rules.UNKNOWN})
    group = resource(f"{DYNAMIC}PlanGroup", "paid", {"name": "Paid", "plans": _ListProxy([rules.UNKNOWN])},
                     {"plans": [plan]})
    grouped = next(p for p in pack_main.policies() if p.name == "chartmogul-plans-grouped")
    reported: list[tuple[Any, ...]] = []
    grouped.validate(types.SimpleNamespace(resources=[plan, lonely, group], get_config=lambda: None),
                     lambda *a: reported.append(a))
    assert [(urn, message.split(" is ")[0]) for message, urn in reported] == [("urn::lonely", "Plan 'lonely' (Lonely)")]
