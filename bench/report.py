"""The one results table, and the machine and versions it was measured on."""

from __future__ import annotations

import datetime
import os
import platform
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata

DASH = "—"
METHOD = (
    "Everything runs on loopback: the emulator (`python -m pulumi_chartmogul.emulator --latency-ms N`), Pulumi's "
    "provider host (`python -m pulumi.dynamic`, 4 worker threads) and this process, which plays the engine over "
    "gRPC (testkit/host.py, testkit/engine.py). Timed requests are encoded before the clock starts; a Create gets "
    "the inputs its Check returned.",
    "provision: each plan is the engine's create step, Check then Create, with `--threads` steps in flight at "
    "once (the host queues beyond 4). Floor: the same POSTs with bare `requests`, 4 keep-alive sessions. Then "
    "the same creates through the same host with bench/passthrough_provider.py, which forwards the POST with bare "
    "`requests`: the difference from our provider's run is pulumi-chartmogul's own share.",
    "pulumi up / preview / destroy (real CLI): the `pulumi` binary of `make pulumi-cli` at its defaults "
    "(`--parallel` 8 on 2 cores, as `pulumi up --help` says), a file backend, no update check, no plugin downloads,"
    " the bootstrap program (`__main__.py`) in a scratch project with a generated catalog (4 data sources, the "
    "plans spread over them), against a fresh emulator at `--latency-ms`; wall time of the whole command (program "
    "and provider host start included). The data sources are created before their plans, so the up and the destroy "
    "each wait one more round of latency than the bound counts. Floor: the same plan POSTs with bare `requests`, 4 "
    "at a time, into that emulator after the destroy. Requests: the emulator's counter around each command. CPU: "
    "`pulumi` and every process it started (rusage of waited children), and the emulator. The no-change up and the "
    "preview run on the largest stack, and it is put up and destroyed once more with PULUMI_SKIP_CHECKPOINTS=true; "
    "the per-plan row is the difference of the two ups over the difference of "
    "their sizes (fixed costs cancel).",
    "overhead: one call at a time, rotating among our provider through the host, a bare-requests provider "
    "(bench/passthrough_provider.py) through the same host, and a bare `requests` call with a keep-alive "
    "session set up like the provider's; medians after 5 warm-up rounds.",
    "requests per operation: the emulator's request counter (`GET /_emulator/stats`) around each engine "
    "operation on 10 plans, divided by 10.",
    "preview: Check(olds = old inputs) then Diff(old outputs) for every provisioned plan, all unchanged.",
    "program scale: bench/program.py in its own process under `pulumi.runtime.set_mocks`; the stock row "
    "removes the package's serialize_provider fix first.",
    "state size: the JSON of one provisioned plan's outputs and inputs as the engine stores them.",
    "cold start: host process start until its first Create is answered (after GetPluginInfo and Configure, as "
    "the engine does), this package's PlanProvider vs bench/echo_provider.py, against the emulator with no "
    "added latency; the first round of starts is discarded. The split comes from bench/first_calls.py.",
)


@dataclass
class Row:
    """One line of the table. ``bound`` is what the figure is compared with; ``target`` states the goal."""

    measure: str
    figure: str
    bound: str = DASH
    ratio: str = DASH
    target: str = DASH
    met: bool | None = None  # None: informational, no target

    @property
    def verdict(self) -> str:
        if self.met is None:
            return DASH
        return "yes" if self.met else "**no**"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def secs(seconds: float) -> str:
    return f"{seconds:.2f} s"


def ratio(value: float) -> str:
    return f"{value:.3f}"


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, to say how busy the machine was around a run."""
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = "?"
    try:
        with open("/proc/meminfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("MemTotal:"):
                    memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                    break
    except OSError:
        pass
    return {"cpu": cpu, "cores": str(os.cpu_count() or "?"), "memory": memory,
            "os": f"{platform.system()} {platform.release()}"}


def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for dist in ("pulumi", "requests", "pydantic", "urllib3", "grpcio", "dill", "pulumi-chartmogul"):
        try:
            found[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            found[dist] = "not installed"
    return found


def render(rows: Sequence[Row], *, title: str, settings: dict[str, str], notes: Sequence[str] = (), level: int = 1,
           method: Sequence[str] = METHOD) -> str:
    """The table as Markdown (readable as plain text too), with its context above and notes and ``method`` below;
    ``level`` is its heading's (2 for a section of the results file)."""
    host = machine()
    lines = [
        f"{'#' * level} {title}",
        "",
        f"- Date: {datetime.datetime.now(datetime.UTC).strftime('%Y-%m-%d %H:%M:%S UTC')}",
        f"- Machine: {host['cpu']}, {host['cores']} cores, {host['memory']} memory, {host['os']}",
        "- Versions: " + ", ".join(f"{name} {version}" for name, version in versions().items()),
        "- Run: " + ", ".join(f"{key} {value}" for key, value in settings.items()),
        "",
    ]
    header = ("Measure", "Figure", "Bound", "Ratio", "Target", "Met")
    cells = [header, *[(r.measure, r.figure, r.bound, r.ratio, r.target, r.verdict) for r in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]

    def line(values: Sequence[str]) -> str:
        return "| " + " | ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)) + " |"

    lines.append(line(header))
    lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    lines.extend(line(row) for row in cells[1:])
    if notes:
        lines.extend(["", "Targets not met, and why (and what the real CLI printed):", ""])
        lines.extend(f"- {note}" for note in notes)
    lines.extend(["", "How each figure is measured:", ""])
    lines.extend(f"- {line}" for line in method)
    return "\n".join(lines) + "\n"


def section(name: str, text: str) -> str:
    """``text`` between the markers that let :func:`replace_section` find it again in the results file."""
    return f"<!-- bench:{name} -->\n{text}<!-- /bench:{name} -->\n"


def replace_section(document: str, name: str, text: str) -> str:
    """``document`` with its section ``name`` (:func:`section`) replaced by ``text``, or ``text`` appended as that
    section when there is none: the rest of the results file stays as it was measured."""
    start, end = f"<!-- bench:{name} -->\n", f"<!-- /bench:{name} -->\n"
    head, found, rest = document.partition(start)
    if found and end in rest:
        return head + section(name, text) + rest.split(end, 1)[1]
    return document.rstrip("\n") + "\n\n" + section(name, text) if document.strip() else section(name, text)
