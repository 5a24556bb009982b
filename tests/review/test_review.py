"""``pulumi-chartmogul review``: the PR comment made from real ``pulumi preview --json`` outputs (the fixtures the
real CLI recorded, tests/e2e/fixtures/previews) and from synthetic previews far larger than a comment allows."""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pulumi_chartmogul.commands import review
from tests.e2e.previews import FIXTURES

PROVIDER_PICKLE = "gASVOwAAAAAAAACM"  # how every recorded __provider value starts


def fixture(name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text())
    return document


def comment(name: str) -> str:
    return review.render_markdown(review.parse(fixture(name)))


def run(*args: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    parser = argparse.ArgumentParser()
    review.add_arguments(parser)
    code = review.run(parser.parse_args(list(args)), io.StringIO(stdin), out, err)
    return code, out.getvalue(), err.getvalue()


def test_no_change_is_an_explicit_comment() -> None:
    text = comment("02-no-change")
    assert text.startswith(review.MARKER + "\n")
    assert "No changes (7 unchanged)." in text
    assert "No resource would be created, updated, replaced or deleted." in text


def test_an_in_place_update_shows_its_field_old_and_new() -> None:
    assert '| update | Plan `preview-billing-basic_monthly` (Basic (renamed)) | updated in place | ' \
        'name: `"Basic"` → `"Basic (renamed)"` |' in comment("03-plan-rename")
    assert 'interval_count: `1` → `3`' in comment("04-plan-interval-change")


def test_a_new_external_id_is_one_replacement_that_gives_the_plan_a_new_uuid() -> None:
    text = comment("05-plan-external-id-change")
    assert "Changes: 1 to create, 1 to delete (6 unchanged)." in text  # the engine's own counts
    row = next(line for line in text.splitlines() if "pro_monthly_v2" in line)
    assert "| replace |" in row and "the plan gets a new uuid" in row and "`preview-billing-pro_monthly` goes" in row
    assert 'external_id: `"pro_monthly"` → `"pro_monthly_v2"`' in row


def test_a_removed_plan_is_a_delete_and_not_flagged() -> None:
    text = comment("06-plan-removed")
    assert "| delete | Plan `preview-billing-trial_14` (Trial) | deleted |" in text
    assert "Data-destroying" not in text


def test_a_renamed_data_source_comes_first_flagged_with_the_plans_it_takes() -> None:
    text = comment("08-data-source-renamed")
    lines = text.splitlines()
    destroying = lines.index(next(line for line in lines if "Data-destroying changes (1)" in line))
    source_row = next(i for i, line in enumerate(lines) if "DataSource `preview-partners`" in line)
    plan_row = next(i for i, line in enumerate(lines) if "Plan `preview-partners-reseller_quarterly`" in line)
    assert destroying < source_row < plan_row
    assert "⚠️ replace" in lines[source_row] and "customers" in lines[source_row]
    assert "its 1 plan in this preview" in lines[source_row]
    assert 'name: `"Preview resellers"` → `"Preview partners"`' in lines[source_row]
    assert 'data_source_uuid: `"ds_UUID2"` → `"[unknown]"`' in lines[plan_row]


def test_refresh_preview_reports_drift_in_the_same_form() -> None:
    text = comment("09-refresh-drift")
    assert "refresh preview (drift)" in text and "1 to update, 1 to delete" in text
    assert "| delete | Plan `preview-billing-basic_monthly` (Basic (renamed)) | deleted in ChartMogul" in text
    # With our host's detailedDiff the engine writes the drifted object as an update step with the values read.
    assert ("| update | Plan `preview-billing-pro_monthly_v2` (Edited by hand) | changed in ChartMogul: refresh takes "
            "the new values | interval_count: `3` → `2`; name: `\"Pro\"` → `\"Edited by hand\"` |") in text
    assert "since the last refresh" not in text  # nothing left unidentified
    assert "Data-destroying" not in text


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.json")), ids=lambda p: p.stem)
def test_no_provider_pickle_secret_or_key_in_any_comment(path: Path) -> None:
    preview = review.parse(json.loads(path.read_text()))
    for text in (review.render_markdown(preview), review.render_text(preview)):
        assert PROVIDER_PICKLE not in text and "__provider" not in text and "apiKey" not in text


def test_secret_values_are_masked() -> None:
    secret = {review._SECRET_SIG: "1b47061264138c4ac30d75fd1eb44270", "value": "hunter2"}
    preview = {"steps": [step("update", "Plan", "p", {"name": "a", "note": "x"}, {"name": "b", "note": secret})]}
    text = review.render_markdown(review.parse(preview))
    assert "hunter2" not in text and 'note: `"x"` → `"[secret]"`' in text


def test_fail_on_destructive_exits_3_and_says_which() -> None:
    path = str(FIXTURES / "08-data-source-renamed.json")
    code, out, err = run(path, "--fail-on", "destructive")
    assert code == review.EXIT_DESTRUCTIVE and out.startswith(review.MARKER) and "preview-partners" in err
    assert run(str(FIXTURES / "05-plan-external-id-change.json"), "--fail-on", "destructive")[0] == 0
    assert run(path)[0] == 0


def test_reads_stdin_and_text_format() -> None:
    code, out, _ = run("-", "--format", "text", stdin="warning: something first\n"
                       + (FIXTURES / "08-data-source-renamed.json").read_text())
    assert code == 0 and out.splitlines()[1].startswith("!! DATA-DESTROYING replace  DataSource preview-partners")


def test_unreadable_input_exits_2() -> None:
    code, _, err = run("-", stdin="not json")
    assert code == 2 and "cannot read" in err


# -- size --------------------------------------------------------------------------------------------------------


def step(op: str, kind: str, name: str, old: dict[str, Any] | None, new: dict[str, Any] | None,
         id_: str = "") -> dict[str, Any]:
    urn = f"urn:pulumi:dev::p::pulumi-python:dynamic/chartmogul:{kind}::{name}"
    state = {"urn": urn, "custom": True, "type": f"pulumi-python:dynamic/chartmogul:{kind}", "id": id_}
    result: dict[str, Any] = {"op": op, "urn": urn}
    if old is not None:
        result["oldState"] = {**state, "inputs": {"__provider": PROVIDER_PICKLE, **old}}
    if new is not None:
        result["newState"] = {**state, "inputs": {"__provider": PROVIDER_PICKLE, **new}}
    return result


def big_preview(plans: int, sources_deleted: int) -> dict[str, Any]:
    steps = []
    for i in range(sources_deleted):
        steps.append(step("delete", "DataSource", f"source-{i}", {"name": f"Source {i}"}, None, id_=f"ds_{i}"))
    for i in range(plans):
        plan = {"name": f"Plan {i} with a long display name to fill the comment", "interval_count": 1,
                "interval_unit": "month", "external_id": f"plan_{i}", "data_source_uuid": f"ds_{i % 7}"}
        steps.append(step("update", "Plan", f"plan-{i}", plan, {**plan, "interval_count": 12}, id_=f"pl_{i}"))
    return {"steps": steps, "changeSummary": {"update": plans, "delete": sources_deleted}}


def test_5000_plans_fit_in_a_comment_with_the_summary_and_destructive_rows_kept() -> None:
    text = review.render_markdown(review.parse(big_preview(5000, sources_deleted=3)))
    assert len(text) <= review.COMMENT_LIMIT
    assert text.startswith(review.MARKER) and "Changes: 5000 to update, 3 to delete" in text
    for i in range(3):
        assert f"DataSource `source-{i}`" in text
    shown = text.count("| update | Plan")
    assert 0 < shown < 5000
    assert f"**{5000 - shown} more change(s) not shown**" in text


def test_even_only_destructive_rows_beyond_the_limit_stay_within_it() -> None:
    text = review.render_markdown(review.parse(big_preview(0, sources_deleted=5000)))
    assert len(text) <= review.COMMENT_LIMIT and "more change(s) not shown" in text
    assert "Changes: 5000 to delete" in text


def test_the_command_runs_without_pulumi_and_as_a_module() -> None:
    code = ("import sys, pulumi_chartmogul.commands.cli as c; c.main(['review', sys.argv[1]]) ;"
            "assert not [m for m in sys.modules if m == 'pulumi' or m.startswith('pulumi.')]")
    done = subprocess.run([sys.executable, "-c", code, str(FIXTURES / "03-plan-rename.json")],
                          capture_output=True, text=True, check=True)
    assert done.stdout.startswith(review.MARKER)
    done = subprocess.run([sys.executable, "-m", "pulumi_chartmogul", "review", "--fail-on", "destructive",
                           str(FIXTURES / "08-data-source-renamed.json")], capture_output=True, text=True)
    assert done.returncode == 3


def test_the_guide_sample_is_what_the_command_writes_for_the_recorded_preview() -> None:
    guide = (Path(__file__).resolve().parents[2] / "docs" / "guides" / "pr-review-and-drift.md").read_text()
    sample = guide.split("```markdown\n", 1)[1].split("```\n", 1)[0]
    assert sample == comment("08-data-source-renamed")


def test_counts_come_from_the_change_summary_with_replacement_steps_merged() -> None:
    preview = {"steps": [], "changeSummary": {"replace": 1, "create-replacement": 1, "same": 2}}
    assert review.parse(preview).counts == {"replace": 2, "same": 2}


def test_a_preview_with_refresh_shows_drift_field_by_field() -> None:
    """`pulumi preview --refresh --json` (recorded): refresh steps first, then the up's steps, whose old state is
    what the refresh read; the comment shows those, so hand edits appear with their values."""
    text = comment("10-preview-refresh-drift")
    assert "### Pulumi preview" in text and "1 to create, 1 to update" in text
    assert '`"Edited by hand"` → `"Pro"`' in text and "interval_count: `2` → `3`" in text
    assert "Plan `preview-billing-basic_monthly`" in text  # deleted by hand: up creates it again


def test_a_true_replacement_is_flagged_with_its_fields() -> None:
    """Recorded: a catalog rename with renamed_from, which the engine plans as a replace (replaceReasons: name)."""
    recorded = fixture("11-data-source-replaced")
    reasons = {s["urn"].split("::")[-1]: s.get("replaceReasons") for s in recorded["steps"] if s["op"] == "replace"}
    assert reasons == {"preview-affiliates": ["name"], "preview-affiliates-reseller_quarterly": ["data_source_uuid"]}
    text = comment("11-data-source-replaced")
    assert "2 to replace" in text and "Data-destroying changes (1)" in text
    assert 'name: `"Preview partners"` → `"Preview affiliates"`' in text and "the plan gets a new uuid" in text
