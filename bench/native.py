"""The native face at ChartMogul's limits: the catalog of bench/limits.py's dynamic rows (the same plans in the same
data sources, under the same resource names) as a generated Pulumi YAML program served by the ``chartmogul`` plugin
(``pulumi-resource-chartmogul``, this package's console script), through the real CLI and its YAML language host,
against the same limits-shaped emulator. And what one resource of each face leaves in the state.

The project: ``runtime: yaml``, ``plugins: providers: [{name: chartmogul, path: <the virtualenv's bin>}]``, the
provider's config in stack config (``chartmogul:endpoint``, ``chartmogul:apiKey`` as a secret), as a user of the
plugin writes them. Each command is timed and counted as the dynamic face's are (bench/cli.py's ``Project.run``).
bench/limits.py prints these rows beside the dynamic face's.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.cli import PASSPHRASE, SOURCES, STACK, Project, Step, catalog, unchanged, virtualenv
from bench.rig import API_KEY, log
from pulumi_chartmogul.catalog.names import data_source_resource_name, plan_resource_name
from testkit.emulator import Emulator, running_emulator
from testkit.projects import CliProject

PLUGIN = "pulumi-resource-chartmogul"
YAML_HOST = "pulumi-language-yaml"
PROJECT = "chartmogul-bench-native"
DATA_SOURCE_TYPE = "chartmogul:index:DataSource"
PLAN_TYPE = "chartmogul:index:Plan"
# Where the engine records which program line declared a resource and the stack it was declared from: the state's
# cost of a resource that is not the provider's.
PROVENANCE = ("stackTrace", "sourcePosition")
COMMAND_TIMEOUT = 3600.0


class Missing(RuntimeError):
    """What the native rows need is not on this machine (the YAML language host, the plugin)."""


@dataclass
class StateBytes:
    """What one plan takes in the stack's state (``pulumi stack export``), as compact JSON: the whole resource, and
    the resource without :data:`PROVENANCE`; means over the ``plans`` plans of the stack."""

    plans: int
    whole: float
    bare: float


@dataclass
class NativeRun:
    """The YAML program's four commands at the limits, and the state after its up."""

    plans: int
    sources: int
    plugin: Path
    up: Step
    refresh: Step
    preview: Step
    destroy: Step
    state: StateBytes

    @property
    def objects(self) -> int:
        return self.plans + self.sources


def _compact(value: Any) -> int:
    return len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))


def state_bytes(export: Mapping[str, Any]) -> StateBytes:
    """The bytes per plan of a ``pulumi stack export`` (either face: a type named ``...:Plan``)."""
    resources = (export.get("deployment") or {}).get("resources") or []
    plans = [r for r in resources if str(r.get("type", "")).rsplit(":", 1)[-1] == "Plan"]
    if not plans:
        raise ValueError("the exported state holds no plan")
    whole = sum(_compact(r) for r in plans)
    bare = sum(_compact({k: v for k, v in r.items() if k not in PROVENANCE}) for r in plans)
    return StateBytes(len(plans), whole / len(plans), bare / len(plans))


def plugin_dir() -> Path:
    """The folder of the plugin the project names: the bench's virtualenv's ``bin``, where ``pip install`` puts the
    package's console script."""
    folder = virtualenv() / "bin"
    if not os.access(folder / PLUGIN, os.X_OK):
        raise Missing(f"no {PLUGIN} in {folder} (the package's console script; `pip install -e .` installs it)")
    return folder


def yaml_host_dir(cli_dir: Path) -> Path:
    """The folder of Pulumi's YAML language host: beside the CLI (``make yaml-host``), else on ``PATH``."""
    if os.access(cli_dir / YAML_HOST, os.X_OK):
        return cli_dir
    found = shutil.which(YAML_HOST)
    if found is None:
        raise Missing(f"no {YAML_HOST} in {cli_dir} or on PATH (`make yaml-host` builds it)")
    return Path(found).parent


def program(plans: int, plugins: Path) -> dict[str, Any]:
    """The ``Pulumi.yaml`` of bench/cli.py's catalog of ``plans`` plans: each data source and plan named as the
    bootstrap program names it (pulumi_chartmogul/catalog/names.py), each plan in its data source's ``uuid``."""
    resources: dict[str, Any] = {}
    for source in catalog(plans):
        source_name = data_source_resource_name(source["name"])
        resources[source_name] = {"type": DATA_SOURCE_TYPE, "properties": {"name": source["name"]}}
        for plan in source["plans"]:
            resources[plan_resource_name(source["name"], plan["external_id"])] = {
                "type": PLAN_TYPE,
                "properties": {"dataSourceUuid": f"${{{source_name}.uuid}}", "name": plan["name"],
                               "intervalCount": plan["interval_count"], "intervalUnit": plan["interval_unit"],
                               "externalId": plan["external_id"]},
            }
    return {
        "name": PROJECT,
        "runtime": "yaml",
        "description": f"bench/native.py: {plans} plans for the native chartmogul plugin",
        "plugins": {"providers": [{"name": "chartmogul", "path": str(plugins)}]},
        "resources": resources,
    }


class YamlProject(Project):
    """The generated YAML program in a scratch folder, stack ``bench``, file backend, offline; timed and counted by
    :meth:`bench.cli.Project.run`."""

    def __init__(self, scratch: Path, cli_dir: Path, emulator: Emulator, plans: int) -> None:
        import yaml

        self.plugins = plugin_dir()
        host_dir = yaml_host_dir(cli_dir)
        folder, backend = scratch / "project", scratch / "state"
        folder.mkdir()
        backend.mkdir()
        (folder / "Pulumi.yaml").write_text(yaml.safe_dump(program(plans, self.plugins), sort_keys=False),
                                            encoding="utf-8")
        path = os.pathsep.join(dict.fromkeys([str(cli_dir), str(host_dir), os.environ.get("PATH", "")]))
        self.cli = CliProject(folder, backend, cli_dir, STACK, PASSPHRASE, env={"PATH": path},
                              timeout=COMMAND_TIMEOUT)
        self.folder = folder
        self.emulator = emulator

    def configure(self) -> None:
        """The stack, and the provider's config in it, as a user of the plugin sets them."""
        self.init_stack()
        self.cli.set_config("chartmogul:endpoint", self.emulator.api_root)
        self.cli.set_config("chartmogul:apiKey", API_KEY, secret=True)


Holds = Callable[[Emulator, str, int, int], None]


def measure(cli_dir: Path, plans: int, emulator_args: Sequence[str], holds: Holds) -> NativeRun:
    """Up, refresh, no-change preview and destroy of the YAML program of ``plans`` plans against a fresh emulator
    started with ``emulator_args`` (the limits' own, as the dynamic face's run gets);
    ``holds(emulator, after_what, sources, plans)`` checks the account after the up and the destroy."""
    sources = min(SOURCES, plans)
    with tempfile.TemporaryDirectory(prefix="bench-native-") as scratch, running_emulator(*emulator_args) as emulator:
        project = YamlProject(Path(scratch), cli_dir, emulator, plans)
        project.configure()
        log(f"limits, native: pulumi up of the YAML program of {plans} plans in {sources} data sources")
        up = project.run("up", "--yes", "--skip-preview", "--suppress-progress")
        holds(emulator, "the native pulumi up", sources, plans)
        state = state_bytes(project.cli.export())
        log(f"limits, native: pulumi refresh of the {plans}-plan stack")
        refresh = unchanged(project.run("refresh", "--yes", "--skip-preview", "--suppress-progress"),
                            "the native pulumi refresh", plans + sources)
        log(f"limits, native: pulumi preview of the {plans}-plan stack")
        preview = unchanged(project.run("preview", "--suppress-progress"), "the native pulumi preview",
                            plans + sources)
        log(f"limits, native: pulumi destroy of the {plans}-plan stack")
        destroy = project.run("destroy", "--yes", "--skip-preview", "--suppress-progress")
        holds(emulator, "the native pulumi destroy", 0, 0)
        return NativeRun(plans, sources, project.plugins, up, refresh, preview, destroy, state)
