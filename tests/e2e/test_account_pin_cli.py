"""A stack pinned to its ChartMogul account (``chartmogul:allowedAccountIds``), through the real CLI, with two
emulators as two accounts. Without the pin, the other account's endpoint in the stack config makes
``pulumi refresh --run-program`` find none of the stack's objects and drop them all, and the next ``up`` re-create
everything there; with it, both are refused and the other account hears nothing but the account lookup."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from testkit.emulator import Emulator, running_emulator
from tests.e2e.conftest import CATALOG, REPO, Project, make_project, new_stack

PROD, OTHER = "acct_11111111-0000-4000-8000-000000000001", "acct_22222222-0000-4000-8000-000000000002"
PIN = "chartmogul:allowedAccountIds"
REFUSED = f"refusing to work on the ChartMogul account {OTHER} ('Acme sandbox')"


@pytest.fixture
def accounts() -> Iterator[tuple[Emulator, Emulator]]:
    with running_emulator("--account-id", PROD, "--account-name", "Acme production") as prod, \
            running_emulator("--account-id", OTHER, "--account-name", "Acme sandbox") as other:
        yield prod, other


def sent(emulator: Emulator, before: Counter[str]) -> Counter[str]:
    return Counter(emulator.stats()["by_route"]) - before


def our_state(project: Project) -> dict[str, Any]:
    return {r["urn"]: (r.get("id"), r.get("outputs")) for r in project.export()["deployment"]["resources"]
            if "dynamic/chartmogul:" in r["type"]}


def test_a_pinned_stack_works_on_its_account_and_refuses_another(tmp_path: Path,
                                                                  accounts: tuple[Emulator, Emulator]) -> None:
    prod, other = accounts
    project = new_stack(make_project(tmp_path, REPO, stack="e2e"), prod)
    project.set_catalog(CATALOG)
    project.set_stack_config(PIN, [PROD])  # the shape `pulumi-chartmogul export` writes
    before = Counter(prod.stats()["by_route"])
    project.pulumi("up", "--yes", "--skip-preview")
    created = sent(prod, before)
    assert created["GET /v1/account"] == 1 and created["POST /v1/plans"] == 4  # one lookup, in the one host

    before = Counter(prod.stats()["by_route"])
    project.pulumi("preview", "--expect-no-changes")
    assert sent(prod, before) == Counter()  # nothing sent, so nothing to check

    before = Counter(prod.stats()["by_route"])
    project.pulumi("refresh", "--yes", "--skip-preview", "--expect-no-changes")
    refreshed = sent(prod, before)
    # The 4 plans are read by GET or from their source's listing (testkit/reads.py).
    assert refreshed["GET /v1/account"] == 1
    assert 1 <= refreshed["GET /v1/plans/{uuid}"] + refreshed["GET /v1/plans"] <= 4 + 1
    state = our_state(project)
    assert len(state) == 6

    # The other account's endpoint in the stack config: the refresh that would drop everything is refused.
    project.set_config("chartmogul:endpoint", other.api_root)
    before = Counter(other.stats()["by_route"])
    result = project.pulumi("refresh", "--run-program", "--yes", "--skip-preview", check=False)
    assert result.returncode != 0 and REFUSED in result.stdout + result.stderr
    assert f"allows only {PROD}" in result.stdout + result.stderr
    assert set(sent(other, before)) == {"GET /v1/account"}
    assert our_state(project) == state

    # So is an up that would create there (a new plan in the catalog).
    grown = [{**CATALOG[0], "plans": [*CATALOG[0]["plans"], {"name": "New", "interval_count": 1,
                                                             "interval_unit": "month", "external_id": "new"}]},
             *CATALOG[1:]]
    project.set_catalog(grown)
    before = Counter(other.stats()["by_route"])
    result = project.pulumi("up", "--yes", "--skip-preview", check=False)
    assert result.returncode != 0 and REFUSED in result.stdout + result.stderr
    assert set(sent(other, before)) == {"GET /v1/account"}
    assert our_state(project) == state

    # The environment variable pins as well, when the stack config does not.
    project.pulumi("config", "rm", PIN)
    before = Counter(other.stats()["by_route"])
    result = project.pulumi("up", "--yes", "--skip-preview", check=False,
                            env={"CHARTMOGUL_ALLOWED_ACCOUNT_IDS": f"acct_unrelated,{PROD}"})
    assert result.returncode != 0 and REFUSED in result.stdout + result.stderr
    assert set(sent(other, before)) == {"GET /v1/account"}
    assert our_state(project) == state
    assert other.api("GET", "/data_sources").json()["data_sources"] == []
