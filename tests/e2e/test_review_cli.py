"""Issue 14 through the real CLI: a catalog change that would replace a data source holding customers fails in
preview with the deletion-protection error, before anything is created; with ``force_destroy: true`` recorded,
``pulumi-chartmogul review`` of ``pulumi preview --json`` lists the replacement first and flagged, then every plan
change with its fields; a preview without changes gives the explicit "no changes" comment.
"""

from __future__ import annotations

import copy
import subprocess
import sys
from typing import Any

from pulumi_chartmogul.commands import review
from testkit.emulator import Emulator
from tests.e2e.conftest import KEY, Project, api_plans, api_sources

CATALOG: list[dict[str, Any]] = [
    {"name": "Review billing", "plans": [
        {"name": "Basic", "interval_count": 1, "interval_unit": "month", "external_id": "basic_monthly"},
        {"name": "Pro", "interval_count": 1, "interval_unit": "month", "external_id": "pro_monthly"},
        {"name": "Annual", "interval_count": 1, "interval_unit": "year", "external_id": "annual"},
        {"name": "Trial", "interval_count": 14, "interval_unit": "day", "external_id": "trial_14"},
    ]},
    {"name": "Review resellers", "plans": [
        {"name": "Reseller", "interval_count": 3, "interval_unit": "month", "external_id": "reseller_quarterly"},
    ]},
]


def changed(catalog: list[dict[str, Any]], force_destroy: bool) -> list[dict[str, Any]]:
    """A plan rename, an interval change, an external id change, a removed plan and a renamed data source."""
    new = copy.deepcopy(catalog)
    billing, resellers = new[0]["plans"], new[1]
    billing[0]["name"] = "Basic (renamed)"
    billing[1]["interval_count"] = 3
    billing[2]["external_id"] = "annual_v2"
    del billing[3]
    resellers.update(name="Review partners", renamed_from="Review resellers", force_destroy=force_destroy)
    return new


def review_of(preview_json: str) -> tuple[int, str]:
    done = subprocess.run([sys.executable, "-m", "pulumi_chartmogul", "review", "-", "--fail-on", "destructive"],
                          input=preview_json, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode in (0, review.EXIT_DESTRUCTIVE), done.stderr
    return done.returncode, done.stdout


def test_protection_then_the_review_comment(bootstrap: Project, emulator: Emulator) -> None:
    bootstrap.set_catalog(CATALOG)
    bootstrap.pulumi("up", "--yes", "--skip-preview")
    resellers = api_sources(emulator)["Review resellers"]["uuid"]
    for i in range(2):
        made = emulator.api("POST", "/customers", key=KEY, json={"data_source_uuid": resellers, "external_id": f"c{i}"})
        assert made.status_code == 201, made.text
    before = (api_sources(emulator), api_plans(emulator))

    bootstrap.set_catalog(changed(CATALOG, force_destroy=False))
    for command in (("preview",), ("up", "--yes", "--skip-preview")):
        failed = bootstrap.pulumi(*command, check=False)
        output = failed.stdout + failed.stderr
        assert failed.returncode != 0
        assert "Refusing to replace the data source 'Review resellers'" in output, output
        assert "2 customers" in output and "invoices, subscriptions" in output and "force_destroy" in output
        assert "Review partners" not in api_sources(emulator)  # refused before the replacement was created
    assert api_sources(emulator) == before[0]

    # The opt-in is read from the state: record it first (an update that sends nothing), then make the change.
    bootstrap.set_catalog([CATALOG[0], {**CATALOG[1], "force_destroy": True}])
    bootstrap.pulumi("up", "--yes", "--skip-preview")
    bootstrap.set_catalog(changed(CATALOG, force_destroy=True))
    code, comment = review_of(bootstrap.pulumi("preview", "--json").stdout)
    assert code == review.EXIT_DESTRUCTIVE and len(comment) < review.COMMENT_LIMIT
    rows = [line for line in comment.splitlines() if "| DataSource `" in line or "| Plan `" in line]
    assert rows[0].startswith("| ⚠️ replace | DataSource `review-partners` (Review partners)"), comment
    assert 'name: `"Review resellers"` → `"Review partners"`' in rows[0] and "customers" in rows[0]
    body = "\n".join(rows[1:])
    assert 'name: `"Basic"` → `"Basic (renamed)"`' in body
    assert "interval_count: `1` → `3`" in body
    assert 'external_id: `"annual"` → `"annual_v2"`' in body and "gets a new uuid" in body
    assert "| delete | Plan `review-billing-trial_14` (Trial) | deleted |" in body
    assert "Plan `review-partners-reseller_quarterly`" in body

    bootstrap.pulumi("up", "--yes", "--skip-preview")
    assert set(api_sources(emulator)) == {"Review billing", "Review partners"}
    gone = emulator.api("GET", "/customers", key=KEY, params={"data_source_uuid": resellers}).json()
    assert gone["entries"] == []  # deleted with their data source, as asked

    code, comment = review_of(bootstrap.pulumi("preview", "--json").stdout)
    assert code == 0 and "No resource would be created, updated, replaced or deleted." in comment
