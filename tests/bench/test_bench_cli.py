"""The bench's real-CLI rows (bench/cli.py) on a tiny catalog: every row is there, the request counts hold, and
without a CLI the bench says so in a row instead of failing.

Skipped when no Pulumi CLI is here (``make pulumi-cli`` puts one in .pulumi-cli/bin); timings are not asserted.
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

import pytest

from bench import cli
from pulumi_chartmogul.commands import pulumi_cli
from testkit.emulator import Emulator


def test_without_a_cli_one_row_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pulumi_cli, "find", lambda project_dir: None)
    rows, notes = cli.measure_rows([5], 0)
    assert [row.figure.split(":")[0] for row in rows] == ["not measured"]
    assert notes == []


def test_cli_plans_option() -> None:
    assert cli.parse_sizes("1000,200") == [200, 1000]
    assert cli.parse_sizes("none") == cli.parse_sizes("0") == []
    with pytest.raises(ValueError):
        cli.parse_sizes("-3")


def test_a_catalog_too_large_for_stack_config_goes_into_its_own_file(tmp_path: Path) -> None:
    import yaml
    emulator = cast(Emulator, type("NoEmulator", (), {"api_root": "http://127.0.0.1:9/v1"})())
    small, large = (cli.Project(tmp_path / name, tmp_path / "no-cli", emulator) for name in ("small", "large"))
    assert small.provider_host() == "ours (Pulumi.yaml plugins: pulumi-python at pulumi_chartmogul/provider_host)"
    small.write_catalog(50)
    config = yaml.safe_load(small.cli.stack_file.read_text(encoding="utf-8"))["config"]
    assert list(config) == [f"{cli.PROJECT}:catalog"] and len(config[f"{cli.PROJECT}:catalog"][0]["plans"]) == 13
    large.write_catalog(2000)
    config = yaml.safe_load(large.cli.stack_file.read_text(encoding="utf-8"))["config"]
    assert config == {f"{cli.PROJECT}:catalog_file": cli.CATALOG_FILE}
    written = yaml.safe_load((large.folder / cli.CATALOG_FILE).read_text(encoding="utf-8"))["config"]
    assert written[f"{cli.PROJECT}:catalog"] == cli.catalog(2000)


@pytest.mark.skipif(pulumi_cli.find(cli.REPO) is None,
                    reason="no Pulumi CLI in .pulumi-cli/bin or on PATH (run `make pulumi-cli`)")
def test_tiny_cli_run_measures_every_row_and_the_request_counts_hold() -> None:
    rows, notes = cli.measure_rows([2, 3], 5)
    by_measure = {row.measure.strip(): row for row in rows}
    assert by_measure["the real CLI"].figure.startswith("pulumi v")
    for start in ("pulumi up (real CLI, --skip-preview): 2 plans", "pulumi up (real CLI, --skip-preview): 3 plans",
                  "floor:", "no-change pulumi up", "pulumi preview", "pulumi destroy", "pulumi up: each plan beyond",
                  "the same up with PULUMI_SKIP_CHECKPOINTS", "the stack's state file"):
        assert any(measure.startswith(start) for measure in by_measure), (start, sorted(by_measure))
    assert not any(row.met is False for row in rows), [(r.measure, r.figure) for r in rows if r.met is False]
    counted = [row for row in rows if row.measure.strip() == "requests the emulator received during the up"]
    assert [row.met for row in counted] == [True, True]  # one per size
    assert [n for n in notes if "FAILED" in n or "exited" in n] == []
