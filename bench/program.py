"""Program scale: a Pulumi program declaring one DataSource and N Plans, run under ``pulumi.runtime.set_mocks``.

Run in its own process (the Pulumi runtime settings are global): ``python -m bench.program --plans 5000``.
Prints one JSON object on stdout:

* ``completed``: every resource was constructed and registered with the (mock) engine;
* ``construct_seconds``: the constructors of all resources returned;
* ``total_seconds``: all registrations finished (what ``pulumi up`` waits for);
* ``serialize_seconds`` / ``serialize_calls``: time spent in ``serialize_provider`` (the fix's cached path);
* ``failed_at`` / ``error``: the resource whose construction raised, if one did.

``--stock`` removes the package's ``serialize_provider`` fix first, to show where the SDK alone fails.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import uuid
from collections.abc import Callable
from typing import Any

import pulumi
from pulumi.dynamic import dynamic
from pulumi.runtime import MockResourceArgs, Mocks, set_mocks

from pulumi_chartmogul import DataSource, Plan


class BenchMocks(Mocks):
    """Answers every registration at once, as an engine with infinitely fast providers would."""

    def __init__(self) -> None:
        self.registered = 0

    def new_resource(self, args: MockResourceArgs) -> tuple[str | None, dict[Any, Any]]:
        self.registered += 1
        prefix = "ds" if args.typ.endswith(":DataSource") else "pl"
        object_id = f"{prefix}_{uuid.uuid4()}"
        return object_id, {**args.inputs, "uuid": object_id}

    def call(self, args: Any) -> tuple[dict[Any, Any], list[tuple[str, str]] | None]:
        return {}, None


def _timed(original: Callable[[Any], str], spent: list[float]) -> Callable[[Any], str]:
    def serialize_provider(provider: Any) -> str:
        start = time.perf_counter()
        try:
            return original(provider)
        finally:
            spent.append(time.perf_counter() - start)

    return serialize_provider


def run(plans: int, *, stock: bool) -> dict[str, Any]:
    sys.setrecursionlimit(1000)  # the interpreter's default, whatever the caller set
    if stock:
        fixed = dynamic.serialize_provider
        dynamic.serialize_provider = fixed.__wrapped__
    spent: list[float] = []
    dynamic.serialize_provider = _timed(dynamic.serialize_provider, spent)

    mocks = BenchMocks()
    set_mocks(mocks, project="bench", stack="bench", preview=False)
    result: dict[str, Any] = {"plans": plans, "stock": stock, "completed": False, "failed_at": None, "error": None}
    constructed: list[float] = []

    def program() -> pulumi.Output[Any]:
        start = time.perf_counter()
        source = DataSource("bench-source", name="Bench billing")
        resources: list[pulumi.CustomResource] = [source]
        try:
            for i in range(plans):
                resources.append(Plan(f"plan-{i:05d}", data_source_uuid=source.uuid, name=f"Plan {i}",
                                         interval_count=1, interval_unit="month"))
        except RecursionError as exc:
            result["failed_at"] = len(resources)  # the index (1-based) of the plan that failed
            result["error"] = f"{type(exc).__name__}: {exc}"
        constructed.append(time.perf_counter() - start)
        return pulumi.Output.all(*[r.id for r in resources])

    start = time.perf_counter()
    pulumi.runtime.test(program)()
    result["total_seconds"] = time.perf_counter() - start
    result["construct_seconds"] = constructed[0] if constructed else None
    result["registered"] = mocks.registered
    result["completed"] = result["failed_at"] is None and mocks.registered == plans + 1
    result["serialize_calls"] = len(spent)
    result["serialize_seconds"] = sum(spent)
    result["first_serialize_seconds"] = spent[0] if spent else None  # pickles; later calls of a class are cached
    result["later_serialize_seconds"] = sum(spent[2:]) / max(1, len(spent) - 2)  # after one call per class
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.program")
    parser.add_argument("--plans", type=int, default=5000)
    parser.add_argument("--stock", action="store_true", help="without the package's serialize_provider fix")
    args = parser.parse_args(argv)
    print(json.dumps(run(args.plans, stock=args.stock)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
