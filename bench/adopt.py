"""The adoption rows: an existing account brought under management through the real CLI.

An emulator at ``--latency-ms`` seeded (admin route, not timed) with a messy account of ``plans`` plans in
``sources`` data sources (testkit/accounts.py: one synced from Stripe, one empty, the same external ids in every
source, generated ids, Unicode names, two plan groups) → ``pulumi-chartmogul export --adopt -o catalog.yaml``
→ ``pulumi stack init`` and ``chartmogul-bootstrap:catalog_file`` (too large for stack config) → ``pulumi preview``
(must show one import per object and nothing else: each entry has its uuid) → ``pulumi up --skip-preview`` (must
send no POST, PATCH or DELETE, at most one request per object read) → optionally ``pulumi refresh --skip-preview`` of
the stack that now holds them → a second ``pulumi up`` (must send nothing) → ``export`` again (must be
byte-identical). Each timed, with the emulator's request counter around it.

:func:`measure` takes more emulator arguments: ``bench/limits.py`` runs the same adoption, and the refresh, against
an emulator at ChartMogul's rate and connection limits.

    python -m bench.adopt [--plans 2000] [--sources 10] [--latency-ms 50]   # alone; `make bench` runs it too
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.cli import COMMAND_TIMEOUT, CliFailed, Project, Step, no_cli_row, routes_figure
from bench.report import DASH, Row, secs
from bench.rig import API_KEY, log
from pulumi_chartmogul.commands import pulumi_cli
from testkit.accounts import STRIPE_PLANS, seed_messy_account
from testkit.emulator import Emulator, running_emulator

REPO = Path(__file__).resolve().parent.parent
WRITES = ("POST", "PATCH", "DELETE")


@dataclass
class Exported:
    seconds: float
    requests: int
    text: bytes  # the export's YAML (written to a file, or on stdout)


@dataclass
class Adoption:
    """One adoption of an exported account: every command's figures, and what was adopted."""

    plans: int
    sources: int
    own_sources: int  # data sources exported (the Stripe one is left out)
    own_plans: int
    first: Exported
    preview: Step
    up: Step
    again: Step
    second: Exported
    refresh: Step | None = None  # `pulumi refresh --skip-preview` after the adopting up, when asked for
    host: str = ""  # the provider host the project ran (Project.provider_host)

    @property
    def objects(self) -> int:
        """What the stack holds once adopted: the exported sources and plans and the two plan groups."""
        return self.own_sources + self.own_plans + 2


def _export(emulator: Emulator, *args: str) -> Exported:
    before = emulator.stats()["requests"]
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pulumi_chartmogul", "export", "--adopt", *args],
                          env={**os.environ, "CHARTMOGUL_API_KEY": API_KEY,
                               "CHARTMOGUL_ENDPOINT": emulator.api_root,
                               "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))},
                          capture_output=True, timeout=COMMAND_TIMEOUT, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise CliFailed(f"export exited {done.returncode}: {done.stderr.decode(errors='replace')[-500:]}")
    return Exported(seconds, emulator.stats()["requests"] - before, done.stdout)


def planned(output: str) -> dict[str, int]:
    """The "Resources:" summary of a preview: ``{"import": 2011, "create": 1}`` (the stack itself is a create on
    a new stack)."""
    return {op: int(count) for count, op in re.findall(r"^\s*\S+\s*(\d+) to (\w+)$", output, re.MULTILINE)}


def measure_rows(plans: int, sources: int, latency_ms: int) -> list[Row]:
    """The adoption rows; a row saying why when there is no CLI or a command fails."""
    if plans <= 0:
        return []
    cli_dir = pulumi_cli.find(REPO)
    if cli_dir is None:
        return [no_cli_row("adopting an exported account through the real CLI")]
    try:
        return adoption_rows(measure(cli_dir, plans, sources, latency_ms), latency_ms)
    except (CliFailed, subprocess.TimeoutExpired) as exc:
        log(f"adoption run failed: {exc}")
        return [Row(f"adopting an exported account of {plans} plans", f"FAILED: {str(exc).splitlines()[0]}", DASH,
                    DASH, "completes", False)]


def measure(cli_dir: Path, plans: int, sources: int, latency_ms: int, *, emulator_args: Sequence[str] = (),
            refresh: bool = False) -> Adoption:
    """The adoption against an emulator at ``latency_ms`` started with ``emulator_args`` too (``--rate-limit``…);
    with ``refresh``, a ``pulumi refresh --skip-preview`` of the adopted stack after the adopting up."""
    own_sources, own_plans = sources - 1, plans - STRIPE_PLANS  # the Stripe source is left out
    with tempfile.TemporaryDirectory(prefix="bench-adopt-") as scratch, \
            running_emulator("--latency-ms", str(latency_ms), *emulator_args) as emulator:
        log(f"adopt: seeding {plans} plans in {sources} data sources")
        seed_messy_account(emulator, plans=plans, data_sources=sources, key=API_KEY)
        project = Project(Path(scratch), cli_dir, emulator)
        host = project.provider_host()
        log("adopt: pulumi-chartmogul export --adopt")
        # In its own file: 2,000 plans are too large for stack config (pulumi_chartmogul/catalog/file.py).
        first = _export(emulator, "--output", str(project.folder / "catalog.yaml"))
        first.text = (project.folder / "catalog.yaml").read_bytes()
        project.init_stack()
        project.run("config", "set", "chartmogul-bootstrap:catalog_file", "catalog.yaml")
        log("adopt: pulumi preview")
        preview = project.run("preview", "--suppress-progress")
        log("adopt: pulumi up (adopting)")
        up = project.run("up", "--yes", "--skip-preview", "--suppress-progress")
        writes = {route: n for route, n in up.by_route.items() if route.startswith(WRITES)}
        if writes:
            raise CliFailed(f"the adopting up sent {writes}")
        refreshed = None
        if refresh:
            log("adopt: pulumi refresh of the adopted stack")
            refreshed = project.run("refresh", "--yes", "--skip-preview", "--suppress-progress")
        log("adopt: second pulumi up")
        again = project.run("up", "--yes", "--suppress-progress")
        log("adopt: export again")
        second = _export(emulator)
    return Adoption(plans, sources, own_sources, own_plans, first, preview, up, again, second, refreshed, host)


def adoption_rows(run: Adoption, latency_ms: int) -> list[Row]:
    """The adoption's five rows, each with its target."""
    plans, sources, own_sources, own_plans, objects = (run.plans, run.sources, run.own_sources, run.own_plans,
                                                       run.objects)
    first, preview, up, again, second = run.first, run.preview, run.up, run.again, run.second
    writes = {route: n for route, n in up.by_route.items() if route.startswith(WRITES)}
    per_object = up.requests / objects
    steps = planned(preview.output)
    # Reads only: a GET per source and plan, a group's GET and its members' page.
    preview_reads = own_sources + own_plans + 2 * 2
    preview_ok = (steps == {"import": objects, "create": 1} and preview.requests <= preview_reads
                  and not any(route.startswith(WRITES) for route in preview.by_route))
    return [
        Row(f"adopt: export --adopt of {plans} plans in {sources} data sources ({latency_ms} ms latency)",
            f"{secs(first.seconds)}, {first.requests} requests"),
        Row("  pulumi preview of the exported catalog (every object an import; + the new stack itself)",
            f"{secs(preview.seconds)}, {preview.requests} requests; "
            + ", ".join(f"{op} {count}" for op, count in sorted(steps.items())),
            f"≤ {preview_reads} GETs", DASH, f"import {objects}, nothing else", preview_ok),
        # A read costs at most one request, a GET or a list page (one more for the first page of a listing).
        Row(f"  pulumi up adopting {objects} objects ({own_sources} sources, {own_plans} plans, 2 groups)",
            f"{secs(up.seconds)}; {routes_figure(up)}", f"≤ {preview_reads} requests (one per read)",
            f"{per_object:.2f}/object", "0 POST/PATCH, ≤ bound + 1", not writes and up.requests <= preview_reads + 1),
        Row("  second pulumi up", f"{secs(again.seconds)}, {again.requests} requests", "0", DASH, "= 0",
            again.requests == 0),
        Row("  export again", f"{secs(second.seconds)}, {second.requests} requests; "
            f"{'byte-identical' if second.text == first.text else 'DIFFERENT'}", DASH, DASH, "identical",
            second.text == first.text),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.adopt", description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=2000)
    parser.add_argument("--sources", type=int, default=10)
    parser.add_argument("--latency-ms", type=int, default=50)
    args = parser.parse_args(argv)
    for row in measure_rows(args.plans, args.sources, args.latency_ms):
        print(" | ".join((row.measure, row.figure, row.bound, row.ratio, row.target, row.verdict)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
