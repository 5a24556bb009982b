"""``make bench`` must not rot: a tiny run of the real benchmark produces every row of the table.

Only the figures that do not depend on the machine's speed are asserted (requests per operation, the size of
``__provider``, the program completing); timings are the benchmark's business, never a test's.
"""

from __future__ import annotations

from pathlib import Path

from bench.__main__ import parse_args, run
from bench.report import Row


def _rows(tmp_path: Path) -> dict[str, Row]:
    args = parse_args(["--plans", "8", "--repeat", "3", "--program-plans", "40", "--cold-trials", "1",
                       "--latency-ms", "5", "--cli-plans", "none", "--adopt-plans", "0",
                       "--out", str(tmp_path / "RESULTS.md")])
    rows, _notes = run(args)
    return {row.measure.strip(): row for row in rows}


def test_a_small_bench_run_measures_everything_and_the_exact_figures_hold(tmp_path: Path) -> None:
    rows = _rows(tmp_path)
    families = ("provision:", "preview:", "overhead: create", "overhead: read", "overhead: update",
                "overhead: delete", "API requests per", "program:", "state: __provider", "cold start:")
    for family in families:
        assert any(measure.startswith(family) for measure in rows), f"no row for {family!r}: {sorted(rows)}"

    request_rows = {measure: row for measure, row in rows.items() if measure.startswith("API requests")}
    assert len(request_rows) == 15  # 7 operations for plans, 7 for plan groups, and the big preview
    for measure, row in request_rows.items():
        assert row.met is True, (measure, row.figure, row.bound)
    assert rows["state: __provider per resource"].met is True
    assert rows["program: 40 plans declared under set_mocks"].met is True
