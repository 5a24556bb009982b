"""The bench rows measured through the real Pulumi CLI: ``pulumi up`` / ``preview`` / ``destroy`` of the bootstrap
program with a generated catalog, against the emulator on loopback.

For each size, in a scratch project (a temporary folder: ``__main__.py`` copied from this checkout, a
``Pulumi.yaml`` whose ``virtualenv`` is the absolute path of the virtualenv running the bench, a file backend):
``pulumi stack init``, a timed ``pulumi up --yes --skip-preview``, for the largest size a no-change
``pulumi up --yes`` and a ``pulumi preview``, then ``pulumi destroy --yes --skip-preview`` (for the largest size, up and
destroy again with ``PULUMI_SKIP_CHECKPOINTS=true``, to show what the engine's per-step state saves cost), and last
the floor: the same plan POSTs with bare ``requests``, 4 at a time, into the same (by then empty) emulator. The
emulator's request counter (``GET /_emulator/stats``) is read around every command. The program and the provider
host import this checkout's package (``PYTHONPATH``); the CLI comes from
``pulumi_chartmogul.commands.pulumi_cli.find`` and runs offline (``offline_env``). A catalog too large for stack
config (over ``STACK_CONFIG_LIMIT`` bytes) goes into its own file (``chartmogul-bootstrap:catalog_file``), as users
keep one.

    python -m bench.cli [--plans 200,1000] [--latency-ms 50]   # these rows alone; `make bench` runs them too
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.report import DASH, Row, ratio, secs
from bench.rig import API_KEY, HOST_WORKERS, cpu_seconds, log
from bench.throughput import posts_floor
from pulumi_chartmogul.catalog.file import STACK_CONFIG_LIMIT
from pulumi_chartmogul.commands import pulumi_cli
from testkit.emulator import Emulator, running_emulator
from testkit.projects import CliProject

REPO = Path(__file__).resolve().parent.parent
PROJECT = "chartmogul-bootstrap"
STACK = "bench"
PASSPHRASE = "bench"
SOURCES = 4  # data sources the generated catalog spreads its plans over
COMMAND_TIMEOUT = 3600.0
PLANS_ROUTE = "POST /v1/plans"
SOURCES_ROUTE = "POST /v1/data_sources"
CATALOG_FILE = "catalog.yaml"  # where a catalog too large for stack config goes, in the project folder
# The engine's switch to write the state once at the end of an update instead of after every step.
SKIP_CHECKPOINTS = "PULUMI_SKIP_CHECKPOINTS"


class CliFailed(RuntimeError):
    """A CLI command exited non-zero, or did other work than expected; the message ends with its output's tail."""


@dataclass
class Step:
    """One CLI command: its wall time, the API requests the emulator received during it, the answers it gave them
    by status code, and CPU used."""

    seconds: float
    requests: int
    by_route: dict[str, int]
    cli_cpu_seconds: float  # pulumi and everything it started (language host, program, provider host)
    emulator_cpu_seconds: float
    output: str = ""
    by_status: dict[str, int] = field(default_factory=dict)  # "200" -> answers; the limits' "429" and "503" too

    def answered(self, status: int) -> int:
        """The answers with ``status`` the emulator gave during the command."""
        return self.by_status.get(str(status), 0)


@dataclass
class CliRun:
    plans: int
    sources: int
    up: Step
    destroy: Step
    floor_seconds: float
    state_bytes: int  # the stack's state file after the up
    no_change_up: Step | None = None
    preview: Step | None = None
    # The same up and destroy with PULUMI_SKIP_CHECKPOINTS=true: the state written once at the end, not per step.
    unsaved_up: Step | None = None
    unsaved_destroy: Step | None = None
    remarks: list[str] = field(default_factory=list)  # warnings and errors the CLI printed, deduplicated


def virtualenv() -> Path:
    """The virtualenv the program should run in: the one running the bench, else the checkout's ``.venv``."""
    return Path(sys.prefix) if sys.prefix != sys.base_prefix else REPO / ".venv"


def catalog(plans: int) -> list[dict[str, Any]]:
    """``plans`` plans spread over up to :data:`SOURCES` data sources (plan ``i`` in source ``i % SOURCES``)."""
    sources: list[dict[str, Any]] = [{"name": f"Bench source {k}", "plans": []}
                                     for k in range(min(SOURCES, plans))]
    for i in range(plans):
        sources[i % len(sources)]["plans"].append(
            {"name": f"Bench plan {i}", "interval_count": 1, "interval_unit": "month", "external_id": f"bench_{i:05d}"})
    return sources


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class Project:
    """The bootstrap program in a scratch project with stack ``bench`` (the shared runner,
    :class:`testkit.projects.CliProject`), with the bench's clock and counters around each command."""

    def __init__(self, folder: Path, cli_dir: Path, emulator: Emulator) -> None:
        self.cli = CliProject.copied(folder, REPO, cli_dir=cli_dir, stack=STACK, passphrase=PASSPHRASE,
                                     virtualenv=virtualenv(), timeout=COMMAND_TIMEOUT, env={
                                         "CHARTMOGUL_ENDPOINT": emulator.api_root,
                                         "CHARTMOGUL_API_KEY": API_KEY,
                                         "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO),
                                                                                     os.environ.get("PYTHONPATH")])),
                                     })
        self.folder = self.cli.folder
        self.emulator = emulator

    def run(self, *args: str, env: dict[str, str] | None = None, stack: bool = True) -> Step:
        """``pulumi ARGS`` in the project (``env`` added to its environment); its wall time and the requests the
        emulator received meanwhile."""
        before = self.emulator.stats()
        emulator_before = cpu_seconds(self.emulator.process.pid)
        cpu_before = _children_cpu()
        start = time.perf_counter()
        completed = self.cli.run(*args, env=env, stack=stack, merge_output=True)
        seconds = time.perf_counter() - start
        cpu = _children_cpu() - cpu_before
        emulator_cpu = cpu_seconds(self.emulator.process.pid) - emulator_before
        after = self.emulator.stats()
        if completed.returncode != 0:
            tail = "\n".join(completed.stdout.strip().splitlines()[-15:])
            raise CliFailed(f"`pulumi {' '.join(args)}` exited {completed.returncode}:\n{tail}")
        routes = Counter(after["by_route"])
        routes.subtract(before["by_route"])
        statuses = Counter(after.get("by_status", {}))
        statuses.subtract(before.get("by_status", {}))
        return Step(seconds, after["requests"] - before["requests"], {r: n for r, n in routes.items() if n},
                    cpu, emulator_cpu, completed.stdout, {s: n for s, n in sorted(statuses.items()) if n})

    def init_stack(self) -> None:
        self.run("stack", "init", STACK, stack=False)

    def state_bytes(self) -> int:
        return self.cli.state_bytes()

    def write_catalog(self, plans: int) -> None:
        """The catalog into ``Pulumi.bench.yaml``, keeping what ``pulumi stack init`` wrote there; when it is too large
        for stack config, into :data:`CATALOG_FILE`, named by ``chartmogul-bootstrap:catalog_file``."""
        entries = catalog(plans)
        if len(json.dumps(entries)) <= STACK_CONFIG_LIMIT:
            self.cli.set_stack_config(f"{PROJECT}:catalog", entries)
            return
        import yaml
        (self.folder / CATALOG_FILE).write_text(yaml.safe_dump({"config": {f"{PROJECT}:catalog": entries}},
                                                               sort_keys=False), encoding="utf-8")
        self.cli.set_stack_config(f"{PROJECT}:catalog_file", CATALOG_FILE)

    def provider_host(self) -> str:
        """Which provider host the engine starts for the project's dynamic resources: the one its ``Pulumi.yaml``
        names under ``plugins:`` (ours, as in the template's projects), else Pulumi's own."""
        import yaml
        project = yaml.safe_load((self.folder / "Pulumi.yaml").read_text(encoding="utf-8"))
        for plugin in (project.get("plugins") or {}).get("providers") or []:
            if plugin.get("name") == "pulumi-python" and plugin.get("path"):
                path = Path(plugin["path"])
                shown = path.relative_to(REPO) if path.is_relative_to(REPO) else path
                return f"ours (Pulumi.yaml plugins: pulumi-python at {shown})"
        return "Pulumi's own (python -m pulumi.dynamic)"


def _expect(step: Step, what: str, routes: dict[str, int]) -> None:
    """The command sent exactly ``routes`` (route -> count) to the API, else :class:`CliFailed`."""
    if step.by_route != routes:
        tail = "\n".join(step.output.strip().splitlines()[-15:])
        raise CliFailed(f"{what}: the emulator received {step.by_route}, expected {routes}\n{tail}")


def unchanged(step: Step, what: str, resources: int) -> Step:
    """The command reported every resource (and the stack) unchanged and nothing else, else :class:`CliFailed`."""
    summary = step.output.rsplit("Resources:", 1)[-1].split("\n\n", 1)[0].split()
    if summary != [str(resources + 1), "unchanged"]:
        tail = "\n".join(step.output.strip().splitlines()[-15:])
        raise CliFailed(f"{what} did not report {resources + 1} unchanged (the stack included):\n{tail}")
    return step


def routes_figure(step: Step) -> str:
    """The requests a command sent, by route: ``GET /v1/plans/{uuid} 400, POST /v1/plans 2``."""
    return ", ".join(f"{route} {count}" for route, count in sorted(step.by_route.items())) or "none"


def remarks(*steps: Step | None) -> list[str]:
    """The distinct warning and error lines the CLI printed (at most 5)."""
    seen: list[str] = []
    for step in steps:
        for line in (step.output if step else "").splitlines():
            text = line.strip()
            if ("warning:" in text.lower() or "error:" in text.lower()) and text not in seen:
                seen.append(text)
    return seen[:5]


def measure_size(cli_dir: Path, plans: int, latency_ms: int, *, full: bool) -> CliRun:
    """Every CLI figure for one catalog size (``full``: also the no-change up and the preview)."""
    sources = min(SOURCES, plans)
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as scratch, \
            running_emulator("--latency-ms", str(latency_ms)) as emulator:
        project = Project(Path(scratch), cli_dir, emulator)
        project.init_stack()
        project.write_catalog(plans)
        log(f"CLI: pulumi up of {plans} plans in {sources} data sources ({latency_ms} ms latency)")
        up = _up(project, plans, sources)
        state_bytes = project.state_bytes()
        no_change = preview = unsaved_up = unsaved_destroy = None
        if full:
            log(f"CLI: no-change pulumi up of the {plans}-plan stack")
            no_change = unchanged(project.run("up", "--yes", "--suppress-progress"), "no-change pulumi up",
                                   plans + sources)
            log(f"CLI: pulumi preview of the {plans}-plan stack")
            preview = unchanged(project.run("preview", "--suppress-progress"), "pulumi preview", plans + sources)
        log(f"CLI: pulumi destroy of the {plans}-plan stack")
        destroy = _destroy(project, emulator)
        if full:
            log(f"CLI: the same up and destroy with {SKIP_CHECKPOINTS}=true")
            unsaved_up = _up(project, plans, sources, {SKIP_CHECKPOINTS: "true"})
            unsaved_destroy = _destroy(project, emulator, {SKIP_CHECKPOINTS: "true"})
        log(f"CLI floor: the same {plans} POSTs with bare requests, 4 at a time")
        source = emulator.api("POST", "/data_sources", key=API_KEY, json={"name": "Bench floor"})
        source.raise_for_status()
        floor = posts_floor(emulator.api_root, source.json()["uuid"], plans)
    return CliRun(plans, sources, up, destroy, floor, state_bytes, no_change, preview, unsaved_up, unsaved_destroy,
                  remarks(up, no_change, preview, destroy, unsaved_up, unsaved_destroy))


def _up(project: Project, plans: int, sources: int, env: dict[str, str] | None = None) -> Step:
    up = project.run("up", "--yes", "--skip-preview", "--suppress-progress", env=env)
    _expect(up, "pulumi up", {SOURCES_ROUTE: sources, PLANS_ROUTE: plans})
    return up


def _destroy(project: Project, emulator: Emulator, env: dict[str, str] | None = None) -> Step:
    destroy = project.run("destroy", "--yes", "--skip-preview", "--suppress-progress", env=env)
    left = emulator.api("GET", "/plans?per_page=1", key=API_KEY).json()["plans"]
    if left:
        raise CliFailed(f"pulumi destroy left plans in the emulator: {left}")
    return destroy


def cpu_figure(step: Step) -> str:
    """The CPU a command used, on this side and the emulator's, against what 2 cores had to give."""
    return (f"pulumi and its plugins {step.cli_cpu_seconds:.1f} s, emulator {step.emulator_cpu_seconds:.1f} s "
            f"(of {2 * step.seconds:.1f} s)")


def run_rows(run: CliRun, latency_ms: int) -> list[Row]:
    n, sources = run.plans, run.sources
    bound = n * latency_ms / 1000 / HOST_WORKERS
    total = n + sources

    def against_bound(seconds: float) -> str:
        return ratio(seconds / bound) if bound else DASH

    rows = [
        Row(f"pulumi up (real CLI, --skip-preview): {n} plans in {sources} data sources, {latency_ms} ms latency",
            f"{secs(run.up.seconds)} ({run.up.seconds / run.floor_seconds:.2f} x floor)",
            f"{secs(bound)} (N x latency / 4)", against_bound(run.up.seconds)),
        Row(f"  floor: the same {n} POSTs, bare requests, 4 at a time, no Pulumi", secs(run.floor_seconds),
            secs(bound), against_bound(run.floor_seconds)),
        Row("  requests the emulator received during the up", str(run.up.requests),
            f"{total} ({n} plans + {sources} sources)", DASH, f"= {total}", run.up.requests == total),
        Row("  CPU used during the up (2 cores in all)", cpu_figure(run.up)),
        Row("  the stack's state file after the up", f"{run.state_bytes / 1e6:.2f} MB "
            f"({run.state_bytes / (total + 1) / 1000:.1f} kB per resource, the stack included)"),
    ]
    if run.no_change_up is not None:
        rows.append(Row(f"no-change pulumi up (real CLI; preview + update) of the {n}-plan stack",
                        f"{secs(run.no_change_up.seconds)}, {run.no_change_up.requests} API requests", "0 requests",
                        DASH, "= 0 requests", run.no_change_up.requests == 0))
    if run.preview is not None:
        rows.append(Row(f"pulumi preview (real CLI) of the {n}-plan stack",
                        f"{secs(run.preview.seconds)}, {run.preview.requests} API requests", "0 requests", DASH,
                        "= 0 requests", run.preview.requests == 0))
    # Deleting a data source first asks whether it holds customers (deletion protection): one GET per source.
    destroyed = total + sources
    rows.append(Row(f"pulumi destroy (real CLI, --skip-preview) of the {n}-plan stack",
                    f"{secs(run.destroy.seconds)}, {run.destroy.requests} API requests",
                    f"{secs(bound)}, {destroyed} requests ({total} deletes + {sources} customer checks)",
                    against_bound(run.destroy.seconds), f"= {destroyed} requests", run.destroy.requests == destroyed))
    rows.append(Row("  CPU used during the destroy (2 cores in all)", cpu_figure(run.destroy)))
    for what, step in (("up", run.unsaved_up), ("destroy", run.unsaved_destroy)):
        if step is not None:
            rows.append(Row(f"  the same {what} with {SKIP_CHECKPOINTS}=true (state saved at the end only)",
                            f"{secs(step.seconds)}; CPU: {cpu_figure(step)}", secs(bound), against_bound(step.seconds)))
    return rows


def checkpoint_note(run: CliRun, latency_ms: int) -> str | None:
    """Why the real CLI's up is far above its bound, from the figures: only when it is (over twice the bound) and
    skipping checkpoints saves at least a quarter of it, else None."""
    bound = run.plans * latency_ms / 1000 / HOST_WORKERS
    if (run.unsaved_up is None or run.unsaved_destroy is None or run.up.seconds <= 2 * bound
            or run.unsaved_up.seconds > 0.75 * run.up.seconds):
        return None
    return (
        f"pulumi up of {run.plans} plans through the real CLI ({secs(run.up.seconds)}, "
        f"{ratio(run.up.seconds / bound) if bound else DASH} of N x latency / 4, "
        f"{run.up.seconds / run.floor_seconds:.2f} x the floor; no target): the time is CPU on this side, not the "
        f"API: pulumi and the processes it started used {run.up.cli_cpu_seconds:.1f} s of CPU during it, the "
        f"emulator {run.up.emulator_cpu_seconds:.1f} s. The engine saves the stack's state after each step "
        f"(checkpoints), and the state grows to {run.state_bytes / 1e6:.2f} MB, so each save costs more than the "
        f"last. With {SKIP_CHECKPOINTS}=true (the engine's switch to save only at the end) the same up takes "
        f"{secs(run.unsaved_up.seconds)} ({run.unsaved_up.cli_cpu_seconds:.1f} s of CPU) and the destroy "
        f"{secs(run.unsaved_destroy.seconds)} instead of {secs(run.destroy.seconds)}. That is a measurement, not "
        f"advice: without checkpoints an update that is interrupted leaves a state that records none of the "
        f"creates it made (not even as pending). What remains above the floor is the program's and "
        f"the provider host's start, the round of data sources before the plans, and the CLI, its language "
        f"host, the program, the provider host and the emulator sharing 2 cores.")


def no_cli_row(what: str) -> Row:
    """The row that stands for ``what`` when there is no CLI to measure it with."""
    return Row(what, f"not measured: no Pulumi CLI in {pulumi_cli.CLI_DIR} or on PATH (run `make pulumi-cli`)")


def cli_row(cli_dir: Path) -> Row:
    """The row naming the CLI the rows below it ran."""
    version = subprocess.run([str(cli_dir / "pulumi"), "version"], capture_output=True, text=True, timeout=60,
                             check=False, env={**os.environ, "PULUMI_SKIP_UPDATE_CHECK": "true"}).stdout.strip()
    return Row("the real CLI", f"pulumi {version or '(version unknown)'} in {cli_dir}")


def measure_rows(sizes: Sequence[int], latency_ms: int) -> tuple[list[Row], list[str]]:
    """The CLI rows for each size (the largest also gets the no-change up and the preview), and notes.

    Without a CLI, or when a command fails, a row says so and the rest of the bench goes on."""
    if not sizes:
        return [], []
    cli_dir = pulumi_cli.find(REPO)
    if cli_dir is None:
        return [no_cli_row("pulumi up through the real CLI")], []
    rows: list[Row] = [cli_row(cli_dir)]
    notes: list[str] = []
    runs: list[CliRun] = []
    for n in sizes:
        try:
            run = measure_size(cli_dir, n, latency_ms, full=n == max(sizes))
        except (CliFailed, subprocess.TimeoutExpired) as exc:
            log(f"CLI run of {n} plans failed: {exc}")
            first = str(exc).splitlines()[0]
            rows.append(Row(f"pulumi up (real CLI) of {n} plans", f"FAILED: {first}", DASH, DASH, "completes", False))
            notes.append(f"real CLI, {n} plans: {exc}".replace("\n", " / "))
            continue
        runs.append(run)
        rows.extend(run_rows(run, latency_ms))
        note = checkpoint_note(run, latency_ms)
        if note:
            notes.append(note)
        if run.remarks:
            notes.append(f"the real CLI printed, for {n} plans: " + " / ".join(f"`{r}`" for r in run.remarks))
    if len(runs) >= 2:
        small, large = runs[0], runs[-1]
        per_plan = (large.up.seconds - small.up.seconds) / (large.plans - small.plans)
        floor_per_plan = (large.floor_seconds - small.floor_seconds) / (large.plans - small.plans)
        rows.append(Row(f"  pulumi up: each plan beyond {small.plans} (from the {small.plans}- and "
                        f"{large.plans}-plan runs)", f"{per_plan * 1000:.1f} ms (floor {floor_per_plan * 1000:.1f} ms)",
                        f"{latency_ms / HOST_WORKERS:.1f} ms (latency / 4)",
                        ratio(per_plan * 1000 * HOST_WORKERS / latency_ms) if latency_ms else DASH))
    return rows, notes


def parse_sizes(text: str) -> list[int]:
    """``--cli-plans``: comma-separated plan counts; ``0``, ``none`` or empty for no CLI rows."""
    if text.strip().lower() in ("", "0", "none"):
        return []
    sizes = sorted({int(part) for part in text.split(",") if part.strip()})
    if any(n < 1 for n in sizes):
        raise ValueError(f"plan counts must be positive: {text!r}")
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.cli", description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--plans", type=parse_sizes, default=[200, 1000], metavar="N[,N...]",
                        help="plans per `pulumi up` (default 200,1000; the largest also gets a no-change up, a "
                             f"preview, and the up and destroy with {SKIP_CHECKPOINTS}=true)")
    parser.add_argument("--latency-ms", type=int, default=50, help="emulator latency (default 50)")
    args = parser.parse_args(argv)
    rows, notes = measure_rows(args.plans, args.latency_ms)
    for row in rows:
        print(" | ".join((row.measure, row.figure, row.bound, row.ratio, row.target, row.verdict)))
    for note in notes:
        print(f"- {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
