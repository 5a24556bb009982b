"""The bench rows at ChartMogul's own limits: the real CLI against an emulator 150 ms away that answers 429 above 40
requests a second and 503 above 20 in flight (``--latency-ms 150 --rate-limit 40 --max-connections 20``).

- A catalog of ``plans`` plans in 4 data sources, the bootstrap program in bench/cli.py's scratch project (whose
  ``Pulumi.yaml`` names the package's provider host under ``plugins:``, as projects from the template do):
  ``pulumi up --yes --skip-preview``, ``pulumi refresh --yes --skip-preview``, a no-change ``pulumi preview``, then
  ``pulumi destroy --yes --skip-preview``.
- The same catalog as a generated Pulumi YAML program for the native ``chartmogul`` plugin (bench/native.py), the
  same four commands against a fresh emulator at the same limits, each printed beside the dynamic face's: its time
  against 1.05 x the dynamic face's, and its requests, which must be the same. After each face's up, the bytes one
  plan takes in ``pulumi stack export`` (compact JSON; whole, and without ``stackTrace`` and ``sourcePosition``).
- An exported account of ``adopt_plans`` plans in ``adopt_sources`` data sources adopted as bench/adopt.py adopts it
  (``export --adopt``, ``pulumi preview``, the ``pulumi up`` that imports them), then
  ``pulumi refresh --yes --skip-preview`` of the stack that holds them.

Each command: its wall time, the requests the emulator received (by route) and the answers it gave them (by
status), read from ``GET /_emulator/stats`` around it. The goals: an up or a destroy within 1.15 x its bound, the
requests the emulator admitted / 40 per second; a refresh of N objects in at most N / 20 requests; a no-change
preview in none; every command succeeds; not one 429 or 503; the native face's up, refresh and destroy within 1.05 x
the dynamic face's, with the same requests.

    python -m bench.limits [--plans 400] [--adopt-plans 2000]   # print the rows
    python -m bench --only limits                               # the same, into bench/RESULTS.md's section
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench import adopt, native
from bench.cli import (
    REPO,
    SOURCES,
    CliFailed,
    Project,
    Step,
    cli_row,
    cpu_figure,
    no_cli_row,
    remarks,
    routes_figure,
    unchanged,
)
from bench.report import DASH, Row, load_average, ratio, render, secs
from bench.rig import API_KEY, log
from bench.targets import (
    LIMITS_DESTROY_TARGET,
    LIMITS_UP_TARGET,
    NATIVE_FACE_TARGET,
    REFRESH_OBJECTS_PER_REQUEST,
)
from pulumi_chartmogul.commands import pulumi_cli
from testkit.emulator import Emulator, running_emulator

RATE_LIMIT = 40  # requests a second before 429 (ChartMogul's, DOC:/docs/rate-limits)
MAX_IN_FLIGHT = 20  # requests in flight before 503
LATENCY_MS = 150  # a client far from ChartMogul's servers
LIMIT_ARGS = ("--rate-limit", str(RATE_LIMIT), "--max-connections", str(MAX_IN_FLIGHT))
TOO_FAST, TOO_MANY = 429, 503
SECTION = "limits"
TITLE = "At ChartMogul's limits"
METHOD = (
    f"The emulator runs with `--latency-ms {LATENCY_MS} --rate-limit {RATE_LIMIT} --max-connections "
    f"{MAX_IN_FLIGHT}`: every /v1 request waits {LATENCY_MS} ms; more than {MAX_IN_FLIGHT} in flight get 503, more "
    f"than {RATE_LIMIT} admitted within a sliding second get 429, as ChartMogul answers (docs/emulator.md). The real "
    "CLI of `make pulumi-cli` at its defaults, a file backend, offline, each command timed whole (program and "
    "provider host start included); the provider host is the one the project's Pulumi.yaml names (the row says "
    "which).",
    "Requests: the emulator's counter around each command (`GET /_emulator/stats`: `by_route`, and `by_status` for "
    "the 429 and 503 answers). A 429 or 503 is retried by the client, so it shows as one more request on its route.",
    f"Bound of an up or a destroy: the requests the emulator admitted (all but the 429s and 503s) / {RATE_LIMIT} per "
    "second, the least time the account's rate limit allows. Goal of a refresh of N objects (data sources, plans, "
    f"plan groups): at most N / {REFRESH_OBJECTS_PER_REQUEST} requests, i.e. reads that list objects a page at a time "
    "rather than one GET per object.",
    f"The catalog: the bootstrap program (`__main__.py`) with a generated catalog of {SOURCES} data sources, in a "
    "scratch project (bench/cli.py). The native face: the same data sources and plans under the same resource "
    "names, as a generated YAML program (`runtime: yaml`; bench/native.py) served by the `chartmogul` plugin that "
    "its Pulumi.yaml names under `plugins:` (the virtualenv's `pulumi-resource-chartmogul`), the provider's endpoint "
    "and key in stack config, run by the same CLI and Pulumi's YAML language host against a fresh emulator at the "
    "same limits, right after the dynamic face's run; each command's ratio is its time over the dynamic face's. "
    "State per plan: the stack's plans in `pulumi stack export` after the up, each as compact JSON "
    "(`separators=(',', ':')`), whole and without the engine's `stackTrace` and `sourcePosition`, averaged. The "
    "adopted account: bench/adopt.py's messy account (a Stripe source left out "
    "of the export, an empty one, two plan groups), exported with `pulumi-chartmogul export --adopt` into a "
    "catalog file, previewed, imported by `pulumi up --skip-preview`, then refreshed.",
)


@dataclass
class CatalogRun:
    """The catalog's four commands at the limits."""

    plans: int
    sources: int
    host: str
    up: Step
    refresh: Step
    preview: Step
    destroy: Step
    state: native.StateBytes

    @property
    def objects(self) -> int:
        return self.plans + self.sources


def admitted(step: Step) -> int:
    """The requests the emulator let through during ``step``: all but those it answered 429 or 503."""
    return step.requests - step.answered(TOO_FAST) - step.answered(TOO_MANY)


def _listed(emulator: Emulator, path: str, field: str) -> int:
    """How many objects ``GET path`` lists (pages followed), retried while the limits refuse it."""
    count, params = 0, {"per_page": "200"}
    while True:
        for _ in range(30):
            response = emulator.api("GET", path, key=API_KEY, params=params)
            if response.status_code not in (TOO_FAST, TOO_MANY):
                break
            time.sleep(1.0)
        response.raise_for_status()
        page = response.json()
        count += len(page[field])
        if not page.get("has_more"):
            return count
        params["cursor"] = page["cursor"]


def _holds(emulator: Emulator, what: str, sources: int, plans: int) -> None:
    """The account holds ``sources`` data sources and ``plans`` plans after ``what``, else :class:`CliFailed`."""
    found = (_listed(emulator, "/data_sources", "data_sources"), _listed(emulator, "/plans", "plans"))
    if found != (sources, plans):
        raise CliFailed(f"after {what} the emulator holds {found[0]} data sources and {found[1]} plans, "
                        f"expected {sources} and {plans}")


def emulator_args(latency_ms: int) -> tuple[str, ...]:
    return ("--latency-ms", str(latency_ms), *LIMIT_ARGS)


def measure_catalog(cli_dir: Path, plans: int, latency_ms: int) -> CatalogRun:
    """Up, refresh, no-change preview and destroy of ``plans`` plans against the limits-shaped emulator."""
    sources = min(SOURCES, plans)
    with tempfile.TemporaryDirectory(prefix="bench-limits-") as scratch, \
            running_emulator(*emulator_args(latency_ms)) as emulator:
        project = Project(Path(scratch), cli_dir, emulator)
        project.init_stack()
        project.write_catalog(plans)
        log(f"limits: pulumi up of {plans} plans in {sources} data sources")
        up = project.run("up", "--yes", "--skip-preview", "--suppress-progress")
        _holds(emulator, "pulumi up", sources, plans)
        state = native.state_bytes(project.cli.export())
        log(f"limits: pulumi refresh of the {plans}-plan stack")
        refresh = unchanged(project.run("refresh", "--yes", "--skip-preview", "--suppress-progress"),
                             "pulumi refresh", plans + sources)
        log(f"limits: pulumi preview of the {plans}-plan stack")
        preview = unchanged(project.run("preview", "--suppress-progress"), "pulumi preview", plans + sources)
        log(f"limits: pulumi destroy of the {plans}-plan stack")
        destroy = project.run("destroy", "--yes", "--skip-preview", "--suppress-progress")
        _holds(emulator, "pulumi destroy", 0, 0)
        return CatalogRun(plans, sources, project.provider_host(), up, refresh, preview, destroy, state)


def _requests(step: Step) -> str:
    return f"{secs(step.seconds)}; {step.requests} requests: {routes_figure(step)}"


def rate_row(measure: str, step: Step, target: float | None) -> Row:
    """A command against its bound, the admitted requests / :data:`RATE_LIMIT` per second (``target``: the goal
    for the ratio; None: no goal)."""
    bound = admitted(step) / RATE_LIMIT
    share = step.seconds / bound if bound else None
    return Row(measure, _requests(step), f"{secs(bound)} ({admitted(step)} requests / {RATE_LIMIT} per s)",
               ratio(share) if share is not None else DASH, f"≤ {target:.2f}" if target is not None else DASH,
               None if target is None else share is not None and share <= target)


def refresh_row(measure: str, step: Step, objects: int) -> Row:
    """A refresh of ``objects`` objects against its goal, ``objects`` / 20 requests."""
    goal = objects / REFRESH_OBJECTS_PER_REQUEST
    return Row(measure, _requests(step), f"{goal:.1f} requests (N / {REFRESH_OBJECTS_PER_REQUEST}, N = {objects})",
               ratio(step.requests / goal), f"≤ N / {REFRESH_OBJECTS_PER_REQUEST} requests", step.requests <= goal)


def none_row(measure: str, step: Step) -> Row:
    """A command that must send no request."""
    return Row(measure, f"{secs(step.seconds)}; {step.requests} requests", "0 requests", DASH, "= 0 requests",
               step.requests == 0)


def refused_row(what: str, step: Step) -> Row:
    """The 429 and 503 answers during a command (goal: none)."""
    too_fast, too_many = step.answered(TOO_FAST), step.answered(TOO_MANY)
    return Row(f"  {TOO_FAST} / {TOO_MANY} answers during the {what}", f"{too_fast} / {too_many}", DASH, DASH,
               "0 / 0", too_fast == too_many == 0)


def catalog_rows(run: CatalogRun) -> list[Row]:
    n, sources, objects = run.plans, run.sources, run.objects
    return [
        Row(f"limits: {n} plans in {sources} data sources, the bootstrap program", f"provider host: {run.host}"),
        rate_row(f"  pulumi up --skip-preview: creates {objects}", run.up, LIMITS_UP_TARGET),
        refused_row("up", run.up),
        refresh_row(f"  pulumi refresh --skip-preview of the {objects} objects", run.refresh, objects),
        refused_row("refresh", run.refresh),
        none_row(f"  no-change pulumi preview of the {objects} objects", run.preview),
        rate_row(f"  pulumi destroy --skip-preview: deletes {objects}", run.destroy, LIMITS_DESTROY_TARGET),
        refused_row("destroy", run.destroy),
        Row("  CPU during the up / refresh / destroy (2 cores in all)",
            " / ".join(cpu_figure(step) for step in (run.up, run.refresh, run.destroy))),
        Row(STATE_MEASURE, state_figure(run.state)),
    ]


STATE_MEASURE = "  state per plan (pulumi stack export, compact JSON): whole / without stackTrace, sourcePosition"


def state_figure(state: native.StateBytes) -> str:
    return f"{state.whole:,.0f} / {state.bare:,.0f} bytes (mean of {state.plans})"


def _beside(measure: str, step: Step, dynamic: Step | None) -> Row:
    """A command of the native face beside the dynamic face's: its time against :data:`NATIVE_FACE_TARGET` x
    theirs."""
    if dynamic is None:
        return Row(measure, _requests(step), "no dynamic figure", DASH, f"≤ {NATIVE_FACE_TARGET:.2f}", None)
    share = step.seconds / dynamic.seconds
    return Row(measure, _requests(step), f"{secs(dynamic.seconds)} (the dynamic face's)", ratio(share),
               f"≤ {NATIVE_FACE_TARGET:.2f}", share <= NATIVE_FACE_TARGET)


def _same_requests(what: str, step: Step, dynamic: Step | None) -> Row:
    """The requests of a native command against the dynamic face's, route by route."""
    measure = f"  requests of the {what} beside the dynamic face's"
    if dynamic is None:
        return Row(measure, str(step.requests), "no dynamic figure", DASH, "the same", None)
    if step.by_route == dynamic.by_route:
        return Row(measure, f"the same: {step.requests}", f"{dynamic.requests}", DASH, "the same", True)
    routes = sorted(step.by_route.keys() | dynamic.by_route.keys())
    differ = ", ".join(f"{route} {step.by_route.get(route, 0)} vs {dynamic.by_route.get(route, 0)}"
                       for route in routes if step.by_route.get(route, 0) != dynamic.by_route.get(route, 0))
    return Row(measure, f"{step.requests}: {differ}", f"{dynamic.requests}", DASH, "the same", False)


def native_rows(run: native.NativeRun, dynamic: CatalogRun | None) -> list[Row]:
    n, sources, objects = run.plans, run.sources, run.objects
    shown = run.plugin.relative_to(REPO) if run.plugin.is_relative_to(REPO) else run.plugin
    dyn = (dynamic.up, dynamic.refresh, dynamic.preview, dynamic.destroy) if dynamic else (None, None, None, None)
    state = Row(STATE_MEASURE, state_figure(run.state))
    if dynamic is not None:
        state = Row(STATE_MEASURE, state_figure(run.state), f"{state_figure(dynamic.state)} (the dynamic face's)",
                    f"{ratio(run.state.whole / dynamic.state.whole)} / {ratio(run.state.bare / dynamic.state.bare)}")
    return [
        Row(f"limits, native face: the same {n} plans in {sources} data sources, a YAML program",
            f"plugin: ours ({native.PLUGIN} in {shown}, Pulumi.yaml plugins: chartmogul)"),
        _beside(f"  pulumi up --skip-preview: creates {objects}", run.up, dyn[0]),
        _same_requests("up", run.up, dyn[0]),
        refused_row("up", run.up),
        _beside(f"  pulumi refresh --skip-preview of the {objects} objects", run.refresh, dyn[1]),
        _same_requests("refresh", run.refresh, dyn[1]),
        refused_row("refresh", run.refresh),
        none_row(f"  no-change pulumi preview of the {objects} objects", run.preview),
        _beside(f"  pulumi destroy --skip-preview: deletes {objects}", run.destroy, dyn[3]),
        _same_requests("destroy", run.destroy, dyn[3]),
        refused_row("destroy", run.destroy),
        Row("  CPU during the up / refresh / destroy (2 cores in all)",
            " / ".join(cpu_figure(step) for step in (run.up, run.refresh, run.destroy))),
        state,
    ]


def native_notes(run: native.NativeRun, dynamic: CatalogRun | None) -> list[str]:
    """Each native command over 1.05 x the dynamic face's, or with other requests: the figures that say why."""
    found: list[str] = []
    if dynamic is None:
        return found
    for what, step, theirs in (("up", run.up, dynamic.up), ("refresh", run.refresh, dynamic.refresh),
                               ("destroy", run.destroy, dynamic.destroy)):
        if step.seconds > NATIVE_FACE_TARGET * theirs.seconds:
            found.append(
                f"the native face's pulumi {what} of {run.plans} plans ({ratio(step.seconds / theirs.seconds)} of "
                f"the dynamic face's): {secs(step.seconds)} against {secs(theirs.seconds)}, for {step.requests} "
                f"requests against {theirs.requests} ({admitted(step) / step.seconds:.1f} against "
                f"{admitted(theirs) / theirs.seconds:.1f} a second); pulumi and its plugins used "
                f"{step.cli_cpu_seconds:.1f} s of CPU against {theirs.cli_cpu_seconds:.1f} s.")
        if step.by_route != theirs.by_route:
            found.append(f"the native face's pulumi {what} of {run.plans} plans sent other requests than the dynamic "
                         f"face's: {routes_figure(step)}, against {routes_figure(theirs)}.")
        found.append(_refused_note(f"the native face's pulumi {what} of {run.plans} plans", step) or "")
    printed = remarks(run.up, run.refresh, run.preview, run.destroy)
    if printed:
        found.append(f"the real CLI printed, for the native face's {run.plans} plans: "
                     + " / ".join(f"`{r}`" for r in printed))
    return [note for note in found if note]


def adoption_rows(run: adopt.Adoption) -> list[Row]:
    objects = run.objects
    assert run.refresh is not None
    return [
        Row(f"limits: an exported account of {run.plans} plans in {run.sources} data sources, adopted "
            "(bench/adopt.py)", f"provider host: {run.host}"),
        Row("  pulumi-chartmogul export --adopt", f"{secs(run.first.seconds)}; {run.first.requests} requests"),
        Row(f"  pulumi preview of the exported catalog ({objects} imports)", _requests(run.preview)),
        refused_row("preview", run.preview),
        rate_row(f"  pulumi up --skip-preview: imports {objects} ({run.own_sources} sources, {run.own_plans} plans, "
                 "2 groups)", run.up, None),
        refused_row("import", run.up),
        refresh_row(f"  pulumi refresh --skip-preview of the {objects} adopted objects", run.refresh, objects),
        refused_row("refresh", run.refresh),
        none_row("  second pulumi up (no change)", run.again),
        Row("  CPU during the import / refresh (2 cores in all)",
            " / ".join(cpu_figure(step) for step in (run.up, run.refresh))),
    ]


def _rate_note(what: str, step: Step, target: float) -> str | None:
    bound = admitted(step) / RATE_LIMIT
    if not bound or step.seconds <= target * bound:
        return None
    refused = step.answered(TOO_FAST) + step.answered(TOO_MANY)
    why = ("it refused none, so the requests came slower than the limits allow"
           if not refused else f"{refused} answers were 429 or 503, each retried after a back-off")
    return (f"{what} ({ratio(step.seconds / bound)} of its bound): the emulator admitted {admitted(step)} requests in "
            f"{secs(step.seconds)}, {admitted(step) / step.seconds:.1f} a second on average of the {RATE_LIMIT} "
            f"allowed; {why}. Meanwhile pulumi and its plugins used {step.cli_cpu_seconds:.1f} s of CPU (of "
            f"{2 * step.seconds:.1f} s on 2 cores), the engine's whole-state save before and after each step among "
            f"it (docs/guides/large-catalogs.md).")


def _refresh_note(what: str, step: Step, objects: int) -> str | None:
    if step.requests <= objects / REFRESH_OBJECTS_PER_REQUEST:
        return None
    return (f"{what}: {step.requests} requests for {objects} objects, {step.requests / objects:.2f} per object "
            f"({routes_figure(step)}); N / {REFRESH_OBJECTS_PER_REQUEST} needs reads that list the objects a page "
            f"at a time.")


def _refused_note(what: str, step: Step) -> str | None:
    too_fast, too_many = step.answered(TOO_FAST), step.answered(TOO_MANY)
    if not too_fast and not too_many:
        return None
    return (f"{what}: the emulator answered {too_fast} x {TOO_FAST} and {too_many} x {TOO_MANY}; the command "
            f"succeeded (the client retried them), at the cost of a round trip and a back-off each.")


def catalog_notes(run: CatalogRun) -> list[str]:
    found = [
        _rate_note(f"pulumi up of {run.plans} plans", run.up, LIMITS_UP_TARGET),
        _refused_note(f"pulumi up of {run.plans} plans", run.up),
        _refresh_note(f"pulumi refresh of {run.objects} objects", run.refresh, run.objects),
        _refused_note(f"pulumi refresh of {run.objects} objects", run.refresh),
        _rate_note(f"pulumi destroy of {run.plans} plans", run.destroy, LIMITS_DESTROY_TARGET),
        _refused_note(f"pulumi destroy of {run.plans} plans", run.destroy),
    ]
    printed = remarks(run.up, run.refresh, run.preview, run.destroy)
    if printed:
        found.append(f"the real CLI printed, for {run.plans} plans: " + " / ".join(f"`{r}`" for r in printed))
    return [note for note in found if note]


def adoption_notes(run: adopt.Adoption) -> list[str]:
    assert run.refresh is not None
    bound = admitted(run.up) / RATE_LIMIT
    found = [
        _refused_note(f"pulumi preview of the exported {run.plans}-plan account", run.preview),
        _refused_note(f"pulumi up importing {run.objects} objects", run.up),
        _refresh_note(f"pulumi refresh of the {run.objects} adopted objects", run.refresh, run.objects),
        _refused_note(f"pulumi refresh of the {run.objects} adopted objects", run.refresh),
    ]
    if bound and run.up.seconds > LIMITS_UP_TARGET * bound:
        found.append(f"pulumi up importing {run.objects} objects ({ratio(run.up.seconds / bound)} of its bound; no "
                     f"target): the file backend saves the whole state twice per import step, so the engine's share "
                     f"grows with the stack (pulumi and its plugins used {run.up.cli_cpu_seconds:.1f} s of CPU); "
                     f"docs/guides/large-catalogs.md.")
    printed = remarks(run.preview, run.up, run.refresh, run.again)
    if printed:
        found.append(f"the real CLI printed, adopting {run.plans} plans: " + " / ".join(f"`{r}`" for r in printed))
    return [note for note in found if note]


def _attempt(what: str, measure: Callable[[], tuple[list[Row], list[str]]]) -> tuple[list[Row], list[str]]:
    """``measure()``'s rows and notes, or one row saying that ``what`` failed and why."""
    try:
        return measure()
    except (CliFailed, subprocess.TimeoutExpired) as exc:
        log(f"limits: {what} failed: {exc}")
        return ([Row(f"limits: {what}", f"FAILED: {str(exc).splitlines()[0]}", DASH, DASH, "completes", False)],
                [f"limits, {what}: {exc}".replace("\n", " / ")])


def measure_rows(plans: int, adopt_plans: int, adopt_sources: int,
                 latency_ms: int = LATENCY_MS) -> tuple[list[Row], list[str]]:
    """The rows at the limits (``plans`` 0 or ``adopt_plans`` 0 leaves those out) and notes on every goal missed.

    Without a CLI, or when a command fails, a row says so and the rest goes on."""
    if plans <= 0 and adopt_plans <= 0:
        return [], []
    cli_dir = pulumi_cli.find(REPO)
    if cli_dir is None:
        return [no_cli_row("the rows at ChartMogul's limits")], []
    rows, notes = [cli_row(cli_dir)], []
    if plans > 0:
        dynamic: list[CatalogRun] = []

        def catalog() -> tuple[list[Row], list[str]]:
            run = measure_catalog(cli_dir, plans, latency_ms)
            dynamic.append(run)
            return catalog_rows(run), catalog_notes(run)

        def native_face() -> tuple[list[Row], list[str]]:
            try:
                run = native.measure(cli_dir, plans, emulator_args(latency_ms), _holds)
            except native.Missing as exc:
                return [Row(f"limits, native face: {plans} plans", f"not measured: {exc}")], []
            return native_rows(run, dynamic[0] if dynamic else None), native_notes(run, dynamic[0] if dynamic
                                                                                     else None)

        for what, measure in ((f"{plans} plans (up, refresh, preview, destroy)", catalog),
                              (f"the native face's {plans} plans (up, refresh, preview, destroy)", native_face)):
            found = _attempt(what, measure)
            rows += found[0]
            notes += found[1]
    if adopt_plans > 0:
        def adoption() -> tuple[list[Row], list[str]]:
            log(f"limits: adopting an exported account of {adopt_plans} plans")
            run = adopt.measure(cli_dir, adopt_plans, adopt_sources, latency_ms, emulator_args=LIMIT_ARGS,
                                refresh=True)
            return adoption_rows(run), adoption_notes(run)

        found = _attempt(f"adopting an exported account of {adopt_plans} plans", adoption)
        rows += found[0]
        notes += found[1]
    return rows, notes


def report(plans: int, adopt_plans: int, adopt_sources: int, latency_ms: int = LATENCY_MS) -> str | None:
    """The rows measured and rendered as the results file's section (None when both sizes are 0)."""
    if plans <= 0 and adopt_plans <= 0:
        return None
    started, load_before = time.perf_counter(), load_average()
    rows, notes = measure_rows(plans, adopt_plans, adopt_sources, latency_ms)
    settings = {
        "emulator": f"--latency-ms {latency_ms} --rate-limit {RATE_LIMIT} --max-connections {MAX_IN_FLIGHT}",
        "plans": f"{plans} in {min(SOURCES, plans)} data sources" if plans > 0 else "none",
        "adopted": f"{adopt_plans} plans in {adopt_sources} data sources" if adopt_plans > 0 else "none",
        "duration": f"{time.perf_counter() - started:.0f} s",
        "load average (1/5/15 min) before / after": f"{load_before} / {load_average()}",
    }
    return render(rows, title=TITLE, settings=settings, notes=notes, level=2, method=METHOD)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.limits",
                                     description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--plans", type=int, default=400, help="plans of the catalog (default 400; 0 skips)")
    parser.add_argument("--adopt-plans", type=int, default=2000,
                        help="plans of the adopted account (default 2000; 0 skips)")
    parser.add_argument("--adopt-sources", type=int, default=10, help="its data sources (default 10)")
    parser.add_argument("--latency-ms", type=int, default=LATENCY_MS, help=f"(default {LATENCY_MS})")
    args = parser.parse_args(argv)
    print(report(args.plans, args.adopt_plans, args.adopt_sources, args.latency_ms) or "nothing to measure", end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
