"""The bench's rows at ChartMogul's limits (bench/limits.py) on a tiny catalog and account: every row there, the
goals that do not depend on the machine's speed met (no 429 or 503, a preview and a second up that send nothing,
every command succeeding, the native face's rows beside the dynamic face's), and ``python -m bench --only limits``
rewriting only its section of the results file.

The tiny runs skip when no Pulumi CLI is here (``make pulumi-cli``); timings and request counts against their goals
are the bench's business, never a test's.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import __main__ as bench_main
from bench import cli, limits
from bench.report import Row, replace_section, section
from pulumi_chartmogul.commands import pulumi_cli


def test_without_a_cli_one_row_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pulumi_cli, "find", lambda project_dir: None)
    rows, notes = limits.measure_rows(5, 20, 4)
    assert [row.figure.split(":")[0] for row in rows] == ["not measured"]
    assert notes == []
    assert limits.measure_rows(0, 0, 4) == ([], [])


def test_a_section_is_replaced_and_the_rest_of_the_file_kept() -> None:
    first = replace_section("# results\n\n| table |\n", "limits", "## At the limits\n\nold\n")
    assert first == "# results\n\n| table |\n\n" + section("limits", "## At the limits\n\nold\n")
    second = replace_section(first + "trailing\n", "limits", "## At the limits\n\nnew\n")
    assert second == "# results\n\n| table |\n\n" + section("limits", "## At the limits\n\nnew\n") + "trailing\n"
    assert replace_section("", "limits", "x\n") == section("limits", "x\n")


def test_only_limits_writes_its_section_alone(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    asked: list[tuple[int, int, int]] = []

    def measured(plans: int, adopt_plans: int, adopt_sources: int, latency_ms: int = 150) -> tuple[list[Row],
                                                                                                 list[str]]:
        asked.append((plans, adopt_plans, adopt_sources))
        return [Row("limits: a row", f"{plans} plans")], []

    monkeypatch.setattr(limits, "measure_rows", measured)
    out = tmp_path / "RESULTS.md"
    out.write_text("# pulumi-chartmogul benchmark\n\nthe whole table\n", encoding="utf-8")
    args = ["--only", "limits", "--limits-plans", "7", "--limits-adopt-plans", "30", "--adopt-sources", "5",
            "--out", str(out)]
    assert bench_main.main(args) == 0
    assert bench_main.main([*args[:2], "--limits-plans", "9", *args[4:]]) == 0
    assert asked == [(7, 30, 5), (9, 30, 5)]
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# pulumi-chartmogul benchmark\n\nthe whole table\n\n<!-- bench:limits -->\n## At ")
    assert text.count("<!-- bench:limits -->") == 1 and "| 9 plans" in text and "| 7 plans" not in text
    assert "## At ChartMogul's limits" in capsys.readouterr().out
    assert bench_main.main(["--only", "limits", "--limits-plans", "0", "--limits-adopt-plans", "0",
                            "--out", str(out)]) == 2


@pytest.mark.skipif(pulumi_cli.find(cli.REPO) is None,
                    reason="no Pulumi CLI in .pulumi-cli/bin or on PATH (run `make pulumi-cli`)")
def test_tiny_run_at_the_limits_measures_every_row() -> None:
    rows, notes = limits.measure_rows(6, 20, 4)
    measures = [row.measure.strip() for row in rows]
    for start in ("the real CLI", "limits: 6 plans in 4 data sources", "pulumi up --skip-preview: creates 10",
                  "pulumi refresh --skip-preview of the 10 objects", "no-change pulumi preview of the 10 objects",
                  "pulumi destroy --skip-preview: deletes 10", "limits: an exported account of 20 plans",
                  "pulumi-chartmogul export --adopt", "pulumi up --skip-preview: imports 22",
                  "pulumi refresh --skip-preview of the 22 adopted objects", "second pulumi up"):
        assert any(measure.startswith(start) for measure in measures), (start, measures)
    assert all(row.figure.startswith("provider host: ours") for row in rows if row.measure.startswith("limits:"))
    # The native face's rows: the same catalog as a YAML program, each command beside the dynamic face's (its
    # ratio is the bench's business; that it is there and the command succeeded is the test's).
    native_at = measures.index("limits, native face: the same 6 plans in 4 data sources, a YAML program")
    if rows[native_at].figure.startswith("not measured"):  # no YAML language host here: the row says so
        native_rows = 0
    else:
        native_rows = 3
        after = measures[native_at:]
        assert rows[native_at].figure.startswith("plugin: ours (pulumi-resource-chartmogul"), rows[native_at]
        for start in ("pulumi up --skip-preview: creates 10", "requests of the up beside the dynamic face's",
                      "pulumi refresh --skip-preview of the 10 objects", "no-change pulumi preview of the 10 objects",
                      "pulumi destroy --skip-preview: deletes 10", "requests of the destroy beside the dynamic",
                      "state per plan"):
            assert any(measure.startswith(start) for measure in after), (start, after)
        beside = [row for row in rows[native_at:] if row.target == "≤ 1.05"]
        assert len(beside) == 3 and all(row.bound.endswith("(the dynamic face's)") for row in beside), beside
        states = [row for row in rows if row.measure.strip().startswith("state per plan")]
        assert len(states) == 2 and all(row.figure.endswith("bytes (mean of 6)") for row in states), states
    refused = [row for row in rows if row.measure.strip().startswith("429 / 503 answers")]
    assert len(refused) == 6 + native_rows and all(row.met for row in refused), [(r.measure, r.figure)
                                                                                  for r in refused]
    for row in rows:
        if row.measure.strip().startswith(("no-change pulumi preview", "second pulumi up")):
            assert row.met is True, (row.measure, row.figure)
    assert not [note for note in notes if "FAILED" in note or "exited" in note], notes
