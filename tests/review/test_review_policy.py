"""``pulumi-chartmogul review`` of the streaming JSON preview (``PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true``), the
only form that carries policy events: the violations at the top of the comment, mandatory first, then the changes as
before. The events have the shapes the real CLI 3.274.1 prints (seen in tests/e2e/test_guardrails_cli.py, which runs
the review on a real stream)."""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path
from typing import Any

import pytest

from pulumi_chartmogul.commands import preview_stream, review

REPO = Path(__file__).resolve().parents[2]
URN = "urn:pulumi:dev::guardrails::"
DYNAMIC = "pulumi-python:dynamic/chartmogul:"


def state(kind: str, name: str, inputs: dict[str, Any], custom: bool = True) -> dict[str, Any]:
    found: dict[str, Any] = {"type": kind, "urn": f"{URN}{kind}::{name}", "id": "", "inputs": inputs, "outputs": {}}
    if custom:
        found["custom"] = True  # the stream leaves custom out when it is false
    return found


def pre(op: str, kind: str, name: str, inputs: dict[str, Any], custom: bool = True) -> dict[str, Any]:
    new = state(kind, name, inputs, custom)
    return {"resourcePreEvent": {"metadata": {"op": op, "urn": new["urn"], "type": kind, "old": None, "new": new,
                                              "detailedDiff": None, "logical": True}, "planning": True}}


def policy(name: str, level: str, urn: str, message: str) -> dict[str, Any]:
    return {"policyEvent": {"resourceUrn": urn, "message": f"The policy's description.\n{message}\n", "color": "never",
                            "policyName": name, "policyPackName": "chartmogul-guardrails",
                            "policyPackVersion": "0.0.1", "enforcementLevel": level}}


def stream(*events: dict[str, Any], noise: str = "") -> str:
    lines = [json.dumps({"sequence": i, "timestamp": 1796633986, **event}) for i, event in enumerate(events)]
    return noise + "\n".join(lines) + "\n"


EVENTS = (
    {"preludeEvent": {"config": {"chartmogul:apiKey": "[secret]"}}},
    {"diagnosticEvent": {"prefix": "debug: ", "message": "RPCs successfully completed\n", "severity": "debug"}},
    pre("create", "pulumi:pulumi:Stack", "guardrails-dev", {}, custom=False),
    pre("create", f"{DYNAMIC}DataSource", "billing", {"name": "Billing"}),
    policy("chartmogul-plans-grouped", "advisory", f"{URN}{DYNAMIC}Plan::daily", "Plan 'daily' is in no plan group."),
    pre("create", f"{DYNAMIC}Plan", "daily", {"name": "Daily", "interval_unit": "day", "external_id": "daily"}),
    policy("chartmogul-plan-intervals", "mandatory", f"{URN}{DYNAMIC}Plan::daily",
           "Plan 'daily' (Daily) is billed per day | not allowed."),
    policy("chartmogul-catalog-floor", "mandatory", "", "the data source 'Resellers' is required by the floor."),
    {"diagnosticEvent": {"prefix": "error: ", "message": "preview failed\n", "severity": "error"}},
    {"summaryEvent": {"resourceChanges": {"create": 3}, "isPreview": True, "result": "failed"}},
)


def test_the_stream_is_read_as_steps_counts_and_violations() -> None:
    text = stream(*EVENTS, noise="warning: a line the CLI printed first\n")
    assert preview_stream.is_stream(text) and not preview_stream.is_stream('{"steps": []}')
    preview = preview_stream.read(text)
    assert [(s["op"], s["urn"].rsplit("::", 1)[1]) for s in preview.steps] == [
        ("create", "guardrails-dev"), ("create", "billing"), ("create", "daily")]
    assert preview.steps[0]["newState"]["custom"] is False and preview.counts() == {"create": 3}
    assert [(v.level, v.policy, v.kind, v.resource) for v in preview.violations] == [
        ("advisory", "chartmogul-plans-grouped", "Plan", "daily"),
        ("mandatory", "chartmogul-plan-intervals", "Plan", "daily"),
        ("mandatory", "chartmogul-catalog-floor", "", "")]
    assert preview.violations[1].message == "Plan 'daily' (Daily) is billed per day | not allowed."
    assert preview.errors == [] and preview.result == "failed"  # "preview failed" is no reason of its own


def test_violations_top_the_comment_mandatory_first() -> None:
    comment = review.render_markdown(review.load(stream(*EVENTS)))
    lines = comment.splitlines()
    assert lines[:3] == [review.MARKER, "### Pulumi preview", ""]
    assert lines[3:6] == ["**The preview failed**: the changes below are those it planned before it stopped.", "",
                          "#### ⛔ Policy violations (3)"]
    assert "2 mandatory violations stop this change" in comment
    rows = [line for line in lines if line.startswith(("| mandatory", "| advisory"))]
    assert rows == [
        "| mandatory | chartmogul-catalog-floor | the stack | the data source 'Resellers' is required by the floor. |",
        "| mandatory | chartmogul-plan-intervals | Plan `daily` | Plan 'daily' (Daily) is billed per day \\| not "
        "allowed. |",
        "| advisory | chartmogul-plans-grouped | Plan `daily` | Plan 'daily' is in no plan group. |"]
    assert comment.index("Policy violations") < comment.index("Changes: 3 to create") < comment.index("#### Changes")
    assert "pulumi:pulumi:Stack" not in comment  # the stack is no object in ChartMogul
    assert "| create | Plan `daily` (Daily) | created |" in comment


def test_advisory_only_stops_nothing_and_errors_are_listed() -> None:
    events = (*EVENTS[:5], {"diagnosticEvent": {"message": "the provider refused: x\n", "severity": "error"}},
              {"summaryEvent": {"resourceChanges": {"create": 2}, "result": "succeeded"}})
    comment = review.render_markdown(review.load(stream(*events)))
    assert "The preview failed" not in comment
    assert "Advisory only: nothing is stopped." in comment and "stop this change" not in comment
    assert "#### Preview errors\n\n- the provider refused: x" in comment


def test_a_document_without_policy_events_has_no_violation_section() -> None:
    document = {"steps": [{"op": "create", "urn": f"{URN}{DYNAMIC}DataSource::billing",
                           "newState": state(f"{DYNAMIC}DataSource", "billing", {"name": "Billing"})}],
                "changeSummary": {"create": 1}}
    comment = review.render_markdown(review.load(json.dumps(document)))
    assert "Policy violations" not in comment and "| create | DataSource `billing` (Billing) | created |" in comment


def test_the_command_reads_a_stream_and_writes_text_with_violations_first() -> None:
    parser = argparse.ArgumentParser()
    review.add_arguments(parser)
    out, err = io.StringIO(), io.StringIO()
    code = review.run(parser.parse_args(["-", "--format", "text"]), io.StringIO(stream(*EVENTS)), out, err)
    assert code == 0, err.getvalue()
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("POLICY mandatory chartmogul-catalog-floor: the stack: the data source 'Resellers'")
    assert lines[1].startswith("POLICY mandatory chartmogul-plan-intervals: Plan daily: Plan 'daily'")
    assert lines[2].startswith("POLICY advisory chartmogul-plans-grouped: Plan daily:")
    assert lines[3] == "Changes: 3 to create (0 unchanged)."


def test_the_pr_workflow_runs_the_pack_and_reviews_a_preview_it_stopped() -> None:
    yaml: Any = pytest.importorskip("yaml")
    workflow = yaml.safe_load((REPO / "examples" / "pr-review" / "pulumi-review.yml").read_text())
    steps = workflow["jobs"]["review"]["steps"]
    scripts = "\n".join(str(step.get("run", "")) for step in steps)
    assert 'pulumi-chartmogul policy-pack "$RUNNER_TEMP/guardrails" --install' in scripts
    preview = next(step for step in steps if step.get("id") == "preview")
    assert preview["env"] == {"PULUMI_ENABLE_STREAMING_JSON_PREVIEW": "true"}
    assert '--policy-pack "$RUNNER_TEMP/guardrails"' in preview["run"]
    assert '--policy-pack-config "$POLICY_CONFIG"' in preview["run"]
    written = next(step for step in steps if step.get("id") == "review")["run"]
    assert "grep -q '\"policyEvent\"' preview.json" in written
