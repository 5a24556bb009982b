"""examples/pr-review's GitHub Actions workflow: linted with actionlint (``make actionlint`` builds it into
.tools/bin), and checked for what it must do whether or not actionlint is there."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from pulumi_chartmogul.commands import review

REPO = Path(__file__).resolve().parents[2]
WORKFLOW = REPO / "examples" / "pr-review" / "pulumi-review.yml"


def actionlint() -> str | None:
    built = REPO / ".tools" / "bin" / "actionlint"
    return str(built) if built.is_file() else shutil.which("actionlint")


def test_actionlint_finds_nothing() -> None:
    binary = actionlint()
    if binary is None:
        pytest.skip("no actionlint: `make actionlint` builds it (needs go and the Go module proxy)")
    done = subprocess.run([binary, "-no-color", str(WORKFLOW)], capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_workflow_previews_reviews_posts_and_gates() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text())
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as True
    assert "pull_request" in triggers and "labeled" in triggers["pull_request"]["types"]
    assert workflow["permissions"] == {"contents": "read", "pull-requests": "write"}
    steps = workflow["jobs"]["review"]["steps"]
    scripts = "\n".join(str(step.get("run", "")) for step in steps)
    assert "pulumi preview --stack \"$STACK\" --json" in scripts
    assert "pulumi-chartmogul review preview.json --fail-on destructive" in scripts
    assert scripts.count(f"'{review.MARKER}'") == 2  # the failed-preview comment and the lookup use the same marker
    assert "--method PATCH" in scripts and "--method POST" in scripts
    gate = next(step for step in steps if "allow-data-loss" in str(step.get("if", "")))
    assert "steps.review.outputs.exit == '3'" in gate["if"] and "exit 1" in gate["run"]
