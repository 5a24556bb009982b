"""The session-wide record of the reliability run, printed by ``tests/conftest.py``'s ``pytest_terminal_summary``
(in a parallel run, each worker's record is merged into the controller's first).

Tests add matrix rows and named figures as they go; the summary is printed whatever the outcome, so a failing
cell shows up in the table next to the ones that passed.
"""

from __future__ import annotations

import dataclasses
import threading
from dataclasses import dataclass, field
from typing import Any


@dataclass
class MatrixRow:
    resource: str
    op: str
    fault: str
    budget: str  # "transient" (one fault) or "exhausted" (fault on every attempt, maxRetries 2)
    scope: str  # which requests the fault hits
    expected: str  # what the user should get
    outcome: str  # what happened: "ok", "failed: <error>", ...
    passed: bool
    duplicates: int
    orphans: int
    stale: int
    requests: str
    seconds: float
    note: str = ""
    kind: str = "cell"  # "cell"; "documented" (a known, recovered limit: see docs/reliability.md); "control"


@dataclass
class Report:
    rows: list[MatrixRow] = field(default_factory=list)
    figures: dict[str, list[str]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add_row(self, row: MatrixRow) -> None:
        with self._lock:
            self.rows.append(row)

    def add_figure(self, section: str, line: str) -> None:
        with self._lock:
            self.figures.setdefault(section, []).append(line)

    def export(self) -> dict[str, Any]:
        """The record as plain data, for a parallel run's worker to hand to the controller, which prints it."""
        with self._lock:
            return {"rows": [dataclasses.asdict(row) for row in self.rows],
                    "figures": {section: list(lines) for section, lines in self.figures.items()}}

    def merge(self, exported: dict[str, Any]) -> None:
        """Add what :meth:`export` gave in another process."""
        with self._lock:
            self.rows.extend(MatrixRow(**row) for row in exported.get("rows", []))
            for section, lines in exported.get("figures", {}).items():
                self.figures.setdefault(section, []).extend(lines)

    def matrix_lines(self) -> list[str]:
        headers = ("resource", "op", "fault", "budget", "fault hits", "expected", "outcome", "dup", "orph",
                   "stale", "requests", "s", "")
        order = {"create": 0, "read": 1, "update": 2, "delete": 3}
        rows = sorted(self.rows, key=lambda r: (r.budget != "transient", r.resource, order.get(r.op, 9), r.fault,
                                                r.scope))
        table = [headers] + [
            (r.resource, r.op, r.fault, r.budget, r.scope, r.expected, r.outcome, str(r.duplicates), str(r.orphans),
             str(r.stale), r.requests, f"{r.seconds:.1f}", ("PASS" if r.passed else "FAIL") + (
                 f"  {r.note}" if r.note else ""))
            for r in rows
        ]
        widths = [max(len(row[i]) for row in table) for i in range(len(headers) - 1)]
        lines = []
        for index, row in enumerate(table):
            text = "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))
            lines.append(f"{text}  {row[-1]}")
            if index == 0:
                lines.append("  ".join("-" * width for width in widths))
        cells = [r for r in rows if r.kind == "cell"]
        special = [r for r in rows if r.kind != "cell"]
        transient = [r for r in cells if r.budget == "transient"]
        exhausted = [r for r in cells if r.budget == "exhausted"]
        lines.append("")
        lines.append(
            f"{len(rows)} cells, {sum(r.passed for r in rows)} as expected. "
            f"Transient: {sum(r.outcome == 'ok' for r in transient)}/{len(transient)} operations succeeded. "
            f"Exhausted: {sum(r.outcome == 'ok' for r in exhausted)} succeeded by proving the outcome, "
            f"{sum(r.outcome != 'ok' for r in exhausted)} failed with the error shown.")
        lines.append(
            "DataSource has no update (ChartMogul cannot change a data source; a new name replaces it): its "
            "operations are create, read, delete. 'fault hits': op = only the operation's own request; "
            "op+lookup / op+confirm = also the lookup by natural key / the GET that would settle the outcome.")
        lines.append(
            f"Duplicates / orphans / stale in those {len(cells)} cells: {sum(r.duplicates for r in cells)} / "
            f"{sum(r.orphans for r in cells)} / {sum(r.stale for r in cells)}. "
            f"In the {len(special)} documented and control cells (before their recovery): "
            f"{sum(r.duplicates for r in special)} / {sum(r.orphans for r in special)} / "
            f"{sum(r.stale for r in special)}.")
        return lines


REPORT = Report()
