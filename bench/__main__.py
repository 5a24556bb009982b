"""``python -m bench [--plans N] [--latency-ms MS] [--out PATH] [--only limits]``: run every measurement, print ONE
table, and the rows at ChartMogul's limits in a section of their own.

Starts the emulator (loopback, ``--latency-ms`` added to every API request) and Pulumi's real provider host,
drives the host as the engine does, and writes the same table to ``--out`` (default ``bench/RESULTS.md``); then
the rows at ChartMogul's limits (bench/limits.py), which ``--only limits`` measures alone (some ten minutes instead
of the whole bench's twenty-odd), replacing only their section of ``--out``. Progress goes to stderr; the table
alone goes to stdout.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from bench import adopt, cli, limits
from bench.cold_start import cold_start
from bench.notes import cold_start_notes, overhead_notes, provision_notes
from bench.overhead import empty_rpc, overhead
from bench.report import DASH, Row, load_average, ms, ratio, render, replace_section, secs, section
from bench.request_counts import requests_per_operation
from bench.rig import HOST_WORKERS, bench_setup, log
from bench.scale import StateSize, program_scale, state_size
from bench.targets import (
    AT_MOST,
    COLD_START_TARGET,
    EXPECTED_GROUP_REQUESTS,
    EXPECTED_REQUESTS,
    GROUP_AT_MOST,
    OVERHEAD_TARGET,
    PROVIDER_BYTES_TARGET,
    PROVISION_TARGET,
)
from bench.throughput import preview, provision, provision_floor
from pulumi_chartmogul.emulator.cli import non_negative_int, positive_int


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--plans", type=positive_int, default=1000,
                        help="plans created (provision) and previewed (default 1000)")
    parser.add_argument("--latency-ms", type=non_negative_int, default=50,
                        help="emulator latency added to every API request (default 50)")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "RESULTS.md",
                        help="where to write the table (default bench/RESULTS.md); '-' for nowhere")
    parser.add_argument("--threads", type=positive_int, default=16,
                        help="steps the engine runs at once (default 16; the host itself runs 4)")
    parser.add_argument("--repeat", type=positive_int, default=30, help="samples per overhead figure (default 30)")
    parser.add_argument("--program-plans", type=positive_int, default=5000,
                        help="plans declared in the program-scale run (default 5000)")
    parser.add_argument("--cold-trials", type=positive_int, default=9, help="host starts per cold-start figure")
    parser.add_argument("--cli-plans", type=cli.parse_sizes, default=[200, 1000], metavar="N[,N...]",
                        help="plans per `pulumi up` through the real CLI (default 200,1000; the largest also gets a "
                             "no-change up and a preview); 'none' skips the CLI rows")
    parser.add_argument("--adopt-plans", type=non_negative_int, default=2000, metavar="N",
                        help="plans of the exported account adopted through the real CLI (bench/adopt.py; default "
                             "2000 in --adopt-sources data sources); 0 skips those rows")
    parser.add_argument("--adopt-sources", type=positive_int, default=10, help="its data sources (default 10)")
    parser.add_argument("--limits-plans", type=non_negative_int, default=400, metavar="N",
                        help="plans put up, refreshed, previewed, destroyed at ChartMogul's limits (bench/limits.py; "
                             f"{limits.LATENCY_MS} ms latency, {limits.RATE_LIMIT} requests/s, {limits.MAX_IN_FLIGHT} "
                             "in flight; default 400); 0 skips those rows")
    parser.add_argument("--limits-adopt-plans", type=non_negative_int, default=2000, metavar="N",
                        help="plans of the exported account adopted, then refreshed, at those limits (default 2000 in "
                             "--adopt-sources data sources); 0 skips those rows")
    parser.add_argument("--only", choices=[limits.SECTION],
                        help="measure only these rows and replace only their section of --out")
    return parser.parse_args(argv)


def run(args: argparse.Namespace) -> tuple[list[Row], list[str]]:
    """Every measurement, in order; returns the table's rows and the notes explaining each target not met."""
    rows: list[Row] = []
    notes: list[str] = []
    n, latency = args.plans, args.latency_ms
    bound = n * latency / 1000 / HOST_WORKERS

    with bench_setup(latency, args.threads) as bench:
        log(f"provision: {n} plans, {args.threads} steps at once, {latency} ms latency")
        prov = provision(bench, n)
        if prov.posts != n or prov.requests != n:
            raise RuntimeError(f"provision sent {prov.requests} requests ({prov.posts} POSTs) for {n} plans")
        prov_ratio = prov.wall_seconds / bound if bound else None
        rows.append(Row(f"provision: {n} plans (check + create), {args.threads} steps at once, {latency} ms latency",
                        secs(prov.wall_seconds), f"{secs(bound)} (N x latency / 4)",
                        ratio(prov_ratio) if prov_ratio else DASH, f"≤ {PROVISION_TARGET:.2f}",
                        prov_ratio <= PROVISION_TARGET if prov_ratio else None))
        rows.append(Row("  CPU used by each process during it (2 cores in all)",
                        ", ".join(f"{name} {seconds:.1f} s" for name, seconds in prov.cpu.items())
                        + f" (of {2 * prov.wall_seconds:.1f} s)"))
        log("provision floor: the same POSTs with bare requests from 4 sessions")
        floor = provision_floor(bench, n)
        floor_ratio = floor / bound if bound else None
        rows.append(Row(f"  floor: the same {n} POSTs, bare requests, 4 keep-alive sessions, no Pulumi", secs(floor),
                        secs(bound), ratio(floor_ratio) if floor_ratio else DASH))
        log("provision through the host with the bare-requests provider")
        host_floor = provision(bench, n, passthrough=True).wall_seconds
        host_floor_ratio = host_floor / bound if bound else None
        rows.append(Row(f"  the same {n} creates through the host, bare-requests provider (no validation)",
                        secs(host_floor), secs(bound), ratio(host_floor_ratio) if host_floor_ratio else DASH))
        cli_at = len(rows)  # the real CLI's rows go here, measured once this emulator and host are stopped

        size = state_size(bench.states[0])

        log(f"preview: {len(bench.states)} unchanged plans")
        prev = preview(bench)
        rows.append(Row(f"preview: check + diff of {prev.resources} unchanged plans, {args.threads} at once",
                        f"{prev.wall_seconds / prev.resources * 1000:.2f} ms/resource "
                        f"({secs(prev.wall_seconds)} in all)"))
        rows.append(Row("  one resource at a time (median latency of check + diff)", ms(prev.sequential_ms / 1000)))

        log(f"overhead: {args.repeat} samples per operation")
        overheads = overhead(bench, args.repeat)
        for item in overheads:
            rows.append(Row(f"overhead: {item.operation} through the host vs bare requests ({item.route}), "
                            f"median of {args.repeat}",
                            f"{item.host_ms:.2f} ms (+{item.extra_ms:.2f} ms)", f"{item.bare_ms:.2f} ms",
                            ratio(item.ratio), f"≤ {OVERHEAD_TARGET:.2f}", item.ratio <= OVERHEAD_TARGET))
        rows.append(Row("  the +ms split: host + gRPC (bare-requests provider in the same host) / pulumi-chartmogul",
                        ", ".join(f"{o.operation} {o.host_machinery_ms:+.2f} / {o.provider_ms:+.2f}"
                                  for o in overheads)))
        busy_rpc, idle_rpc = empty_rpc(bench)
        rows.append(Row("  empty RPC (GetPluginInfo) round trip: back to back / after 50 ms idle",
                        f"{busy_rpc:.2f} / {idle_rpc:.2f} ms"))

        log("requests per operation")
        for kind, expected_counts, at_most in (("plan", EXPECTED_REQUESTS, AT_MOST),
                                               ("group", EXPECTED_GROUP_REQUESTS, GROUP_AT_MOST)):
            counts = requests_per_operation(bench, kind=kind)
            for label, expected in expected_counts.items():
                got = counts[label]
                what = "plan group " if kind == "group" else ""
                bounded = label in at_most
                met = got <= expected if bounded else got == expected
                rows.append(Row(f"API requests per {what}{label}", f"{got:g}", str(expected), DASH,
                                f"{'≤' if bounded else '='} {expected}", met))
        rows.append(Row(f"API requests during the {prev.resources}-plan preview", str(prev.requests), "0", DASH,
                        "= 0", prev.requests == 0))

    notes += provision_notes(prov, floor, host_floor, bound, overheads, n, latency)
    notes += overhead_notes(overheads, busy_rpc, idle_rpc)
    cli_rows, cli_notes = cli.measure_rows(args.cli_plans, latency)
    rows[cli_at:cli_at] = cli_rows
    notes.extend(cli_notes)
    rows[cli_at + len(cli_rows):cli_at + len(cli_rows)] = adopt.measure_rows(args.adopt_plans, args.adopt_sources,
                                                                             latency)

    rows += _program_rows(args.program_plans)
    rows += _state_rows(size)
    cold_rows, cold_notes = _cold_start_rows(args.cold_trials)
    return rows + cold_rows, notes + cold_notes


def _program_rows(program_plans: int) -> list[Row]:
    """A program of ``program_plans`` plans under mocks, with and without the serialize_provider fix."""
    rows: list[Row] = []
    log(f"program scale: {program_plans} plans under set_mocks")
    program = program_scale(program_plans)
    if program.get("completed"):
        figure = (f"completed: constructors {secs(program['construct_seconds'])}, "
                  f"all registered {secs(program['total_seconds'])}")
    else:
        figure = f"FAILED at plan #{program.get('failed_at')}: {program.get('error')}"
    rows.append(Row(f"program: {program_plans} plans declared under set_mocks", figure, DASH, DASH,
                    "completes", bool(program.get("completed"))))
    if program.get("completed"):
        per = program["total_seconds"] / (program_plans + 1)
        rows.append(Row("  per resource: construction + registration (Pulumi SDK, mock engine)", ms(per)))
        rows.append(Row("  per resource: serialize_provider (first call of a class pickles; then cached)",
                        f"{program['later_serialize_seconds'] * 1e6:.1f} µs (first call "
                        f"{ms(program['first_serialize_seconds'])}, {program['serialize_calls']} calls)"))
    stock = program_scale(program_plans, stock=True)
    stock_figure = (f"fails at plan #{stock['failed_at']} (RecursionError)" if stock.get("failed_at")
                    else ("completes" if stock.get("completed") else f"fails: {stock.get('error')}"))
    rows.append(Row("  the same without the package's serialize_provider fix (stock SDK)", stock_figure,
                    "fails near 320 (pulumi/pulumi#17803)"))

    return rows


def _state_rows(size: StateSize) -> list[Row]:
    """What one resource leaves in the state."""
    rows: list[Row] = []
    rows.append(Row("state: __provider per resource", f"{size.provider_bytes} bytes", f"{PROVIDER_BYTES_TARGET} bytes",
                    ratio(size.provider_bytes / PROVIDER_BYTES_TARGET), f"≤ {PROVIDER_BYTES_TARGET} bytes",
                    size.provider_bytes <= PROVIDER_BYTES_TARGET))
    rows.append(Row("state: outputs per resource (JSON, __provider included)", f"{size.outputs_bytes} bytes"))
    rows.append(Row("state: inputs per resource (JSON, __provider included)", f"{size.inputs_bytes} bytes"))

    return rows


def _cold_start_rows(trials: int) -> tuple[list[Row], list[str]]:
    """Host start to first Create, against a provider that does no HTTP; a note if over target."""
    rows: list[Row] = []
    log(f"cold start: {trials} host starts per figure")
    cold = cold_start(trials)
    rows.append(Row(f"cold start: host start → first Create answered, median of {cold.trials}",
                    secs(cold.chartmogul_seconds), f"{secs(cold.echo_seconds)} (echo provider)",
                    ratio(cold.ratio), f"≤ {COLD_START_TARGET}", cold.ratio <= COLD_START_TARGET))
    rows.append(Row("  host CPU time until the first Create answered",
                    secs(cold.chartmogul_cpu_seconds), f"{secs(cold.echo_cpu_seconds)} (echo provider)",
                    ratio(cold.chartmogul_cpu_seconds / cold.echo_cpu_seconds)))
    rows.append(Row("  engine order: host start → Check → first Create answered",
                    secs(cold.chartmogul_with_check_seconds), f"{secs(cold.echo_with_check_seconds)} (echo provider)",
                    ratio(cold.ratio_with_check)))
    parts = cold.parts
    rows.append(Row("  in a fresh host: unpickle + configure / first check / first create (warm: check / create)",
                    f"{parts['load_ms']:.0f} / {parts['first_check_ms']:.0f} / {parts['first_create_ms']:.0f} ms "
                    f"({parts['second_check_ms']:.1f} / {parts['second_create_ms']:.1f} ms)"))
    rows.append(Row("  libraries loaded by: unpickle + configure / first check / first create",
                    " / ".join(", ".join(_short(parts[f"loaded_after_{step}"])) or "none"
                               for step in ("load", "first_check", "first_create"))))
    return rows, cold_start_notes(cold)


def _short(modules: list[str]) -> list[str]:
    """Top-level libraries only (requests, pydantic), for the table."""
    return [m for m in modules if m in ("requests", "pydantic")]


def _limits_only(args: argparse.Namespace) -> int:
    """``--only limits``: those rows alone, printed, and in place of their section of ``--out``."""
    text = limits.report(args.limits_plans, args.limits_adopt_plans, args.adopt_sources)
    if text is None:
        log("--only limits with --limits-plans 0 and --limits-adopt-plans 0: nothing to measure")
        return 2
    print(text, end="")
    if str(args.out) != "-":
        before = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        args.out.write_text(replace_section(before, limits.SECTION, text), encoding="utf-8")
        log(f"the {limits.SECTION} section written to {args.out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.only == limits.SECTION:
        return _limits_only(args)
    started = time.perf_counter()
    load_before = load_average()
    rows, notes = run(args)
    settings = {
        "plans": str(args.plans), "latency": f"{args.latency_ms} ms", "engine parallelism": str(args.threads),
        "overhead samples": str(args.repeat), "program plans": str(args.program_plans),
        "cold-start trials": str(args.cold_trials),
        "CLI plans": ",".join(map(str, args.cli_plans)) or "none",
        "duration": f"{time.perf_counter() - started:.0f} s",
        "load average (1/5/15 min) before / after": f"{load_before} / {load_average()}",
    }
    table = render(rows, title="pulumi-chartmogul benchmark", settings=settings, notes=notes)
    at_limits = limits.report(args.limits_plans, args.limits_adopt_plans, args.adopt_sources)
    if at_limits is not None:
        table += "\n" + section(limits.SECTION, at_limits)
    print(table, end="")
    if str(args.out) != "-":
        args.out.write_text(table, encoding="utf-8")
        log(f"written to {args.out}")
    return 0  # a missed target is a finding, not a failure of the run


if __name__ == "__main__":
    sys.exit(main())
