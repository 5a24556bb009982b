"""Running Pulumi programs under ``pulumi.runtime.set_mocks``: no engine, no CLI, real SDK and serialization.

``Recorder`` plays the engine's part for registrations: it answers every ``RegisterResource`` with an id and
outputs (a ``ds_``/``pl_`` uuid, like ChartMogul's) and remembers what was registered, including the options the
mock SDK does not pass to ``Mocks.new_resource`` (``protect``). ``ProviderInProcess`` instead runs the *real*
provider code from each registration, the way the dynamic-provider host would (``pulumi/dynamic/__main__.py``).
"""

from __future__ import annotations

import base64
import runpy
import sys
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import dill
import pulumi
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config as DynamicConfig
from pulumi.runtime import rpc
from pulumi.runtime.mocks import MockCallArgs, MockMonitor, MockResourceArgs, Mocks
from pulumi.runtime.settings import ROOT, get_root_resource

REPO = Path(__file__).resolve().parents[2]
DATA_SOURCE_TYPE = "pulumi-python:dynamic/chartmogul:DataSource"
PLAN_TYPE = "pulumi-python:dynamic/chartmogul:Plan"
PLAN_GROUP_TYPE = "pulumi-python:dynamic/chartmogul:PlanGroup"


@dataclass
class Registration:
    typ: str
    name: str
    inputs: dict[str, Any]
    id: str
    outputs: dict[str, Any]


@dataclass
class Recorder(Mocks):
    """Answers registrations with fresh uuids; keeps every registration for assertions."""

    registrations: list[Registration] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def new_resource(self, args: MockResourceArgs) -> tuple[str | None, dict[Any, Any]]:
        resource_id, outputs = self.respond(args)
        with self.lock:
            self.registrations.append(Registration(args.typ, args.name, dict(args.inputs), resource_id, outputs))
        return resource_id, outputs

    def respond(self, args: MockResourceArgs) -> tuple[str, dict[str, Any]]:
        prefix = {DATA_SOURCE_TYPE: "ds", PLAN_TYPE: "pl", PLAN_GROUP_TYPE: "plg"}.get(args.typ, "id")
        # A read (ResourceOptions(id=...), what get() registers) keeps the id it asked for.
        resource_id = args.resource_id or f"{prefix}_{uuid.uuid4()}"
        outputs = {k: v for k, v in args.inputs.items() if k != "__provider"}
        return resource_id, {**outputs, "uuid": resource_id}

    def call(self, args: MockCallArgs) -> tuple[dict[Any, Any], list[tuple[str, str]] | None]:
        raise AssertionError(f"unexpected invoke {args.token}")

    def of_type(self, typ: str) -> list[Registration]:
        with self.lock:
            return [r for r in self.registrations if r.typ == typ]

    def named(self, name: str) -> Registration:
        with self.lock:
            (found,) = [r for r in self.registrations if r.name == name]
        return found


@dataclass
class ProviderInProcess(Recorder):
    """Runs the real provider: unpickle ``__provider`` as the host does, ``configure``, ``check``, ``create``."""

    config: Mapping[str, str] = field(default_factory=dict)
    project: str = "project"

    def respond(self, args: MockResourceArgs) -> tuple[str, dict[str, Any]]:
        inputs = dict(args.inputs)
        blob = rpc.unwrap_rpc_secret(inputs.pop("__provider"))
        provider = dill.loads(base64.b64decode(blob))
        provider.configure(ConfigureRequest(DynamicConfig(dict(self.config), self.project)))
        checked = provider.check({}, inputs)
        if checked.failures:
            reasons = "; ".join(f"{f.property}: {f.reason}" for f in checked.failures)
            raise AssertionError(f"check failed for {args.name}: {reasons}")
        created = provider.create(checked.inputs)
        return str(created.id), dict(created.outs or {})


class RecordingMonitor(MockMonitor):
    """The SDK's mock monitor, also remembering the ``protect``, ``import_`` and ``aliases`` options of each
    registration by name (aliases by the previous resource name each gives)."""

    def __init__(self, mocks: Mocks) -> None:
        super().__init__(mocks)
        self.protected: dict[str, bool] = {}
        self.import_ids: dict[str, str] = {}
        self.aliases: dict[str, list[str]] = {}

    def RegisterResource(self, request: Any) -> Any:
        self.protected[request.name] = bool(request.protect)
        if request.importId:
            self.import_ids[request.name] = request.importId
        if request.aliases:
            self.aliases[request.name] = [alias.spec.name for alias in request.aliases]
        return super().RegisterResource(request)


@dataclass
class Harness:
    mocks: Recorder
    monitor: RecordingMonitor
    project: str
    stack: str

    def run(self, body: Callable[[], Any]) -> dict[str, Any]:
        """Run ``body`` as a Pulumi program and wait for every registration; returns the stack's exports."""
        exports: dict[str, Any] = {}

        def program() -> pulumi.Output[Any]:
            body()
            root = cast(Any, get_root_resource())
            return pulumi.Output.from_input(root.outputs).apply(exports.update)

        # pulumi.runtime.test runs the program and awaits the Output it returns and every pending registration.
        pulumi.runtime.test(program)()
        return exports

    def run_path(self, program_dir: Path, config: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Run the ``__main__.py`` in ``program_dir`` as the Pulumi language host would, with ``config``."""
        set_config(self.project, config or {})
        before = set(sys.modules)
        try:
            return self.run(lambda: runpy.run_path(str(program_dir), run_name="__main__"))
        finally:
            # Modules next to the program (e.g. shared_catalog) must not leak into the next program's run.
            for name in set(sys.modules) - before:
                module_file = getattr(sys.modules[name], "__file__", None) or ""
                if module_file.startswith(str(program_dir)):
                    del sys.modules[name]


def set_config(project: str, config: Mapping[str, Any]) -> None:
    """Stack config as the CLI passes it: ``<namespace>:<key>`` → string (objects as JSON)."""
    import json

    flat = {}
    for key, value in config.items():
        full_key = key if ":" in key else f"{project}:{key}"
        flat[full_key] = value if isinstance(value, str) else json.dumps(value)
    pulumi.runtime.set_all_config(flat, [])


@contextmanager
def mocked(mocks: Recorder, project: str = "project", stack: str = "test") -> Iterator[Harness]:
    """Install ``mocks`` with a fresh root stack and empty config; leave no runtime state behind."""
    ROOT.set(None)
    monitor = RecordingMonitor(mocks)
    pulumi.runtime.set_mocks(mocks, project=project, stack=stack, preview=False, monitor=monitor)
    pulumi.runtime.set_all_config({}, [])
    try:
        yield Harness(mocks, monitor, project, stack)
    finally:
        pulumi.runtime.set_all_config({}, [])
        ROOT.set(None)
