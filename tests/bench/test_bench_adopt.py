"""The bench's adoption rows (bench/adopt.py) on a tiny account: every row there and met. Skipped without a CLI."""

from __future__ import annotations

import pytest

from bench import adopt
from pulumi_chartmogul.commands import pulumi_cli


def test_without_a_cli_one_row_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pulumi_cli, "find", lambda project_dir: None)
    [row] = adopt.measure_rows(20, 4, 0)
    assert row.figure.startswith("not measured")
    assert adopt.measure_rows(0, 4, 0) == []


@pytest.mark.skipif(pulumi_cli.find(adopt.REPO) is None,
                    reason="no Pulumi CLI in .pulumi-cli/bin or on PATH (run `make pulumi-cli`)")
def test_tiny_adoption_run_meets_every_target() -> None:
    rows = adopt.measure_rows(20, 4, 5)
    assert len(rows) == 5
    assert [row.met for row in rows] == [None, True, True, True, True], [(r.measure, r.figure) for r in rows]
