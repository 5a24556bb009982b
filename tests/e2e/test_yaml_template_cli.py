"""A YAML project made from ``templates/chartmogul-yaml`` outside this repository, run by the native plugin
``chartmogul`` found on ``PATH`` (as ``pipx install pulumi-chartmogul`` leaves it), through the real CLI and its YAML
language host, against an emulator of its own playing one account: its whole life, step by step, in order.

The steps share one stack, so they are one test (one worker under pytest-xdist, whatever the scheduler does); each
step is a function, and the test's output says which step failed and what each sent, in how long. The stack is
pinned to its account (``chartmogul:allowedAccountIds``) from the start, as ``pulumi-chartmogul export`` writes it;
the program has no lookups, so a no-change preview sends nothing at all."""

from __future__ import annotations

import json
import shutil
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from testkit.emulator import Emulator, running_emulator
from testkit.projects import CliProject
from tests.e2e.conftest import KEY, REPO, api_plans, api_sources, listed, yaml
from tests.e2e.yaml_host import plugin_on_path, require_host, yaml_project

HOST_DIR = require_host()

TEMPLATE = REPO / "templates" / "chartmogul-yaml"
ACCOUNT, OTHER = "acct_33333333-0000-4000-8000-000000000003", "acct_44444444-0000-4000-8000-000000000004"
REFUSED = f"refusing to work on the ChartMogul account {OTHER} ('Acme sandbox')"
WRITES = ("POST", "PATCH", "PUT", "DELETE")


@dataclass
class Lifecycle:
    """The stack every step works on and the account it lives in."""

    project: CliProject
    account: Emulator
    root: Path

    @property
    def program(self) -> Path:
        return self.project.folder / "Main.yaml"

    def sent(self, before: Counter[str]) -> Counter[str]:
        return Counter(self.account.stats()["by_route"]) - before

    def routes(self) -> Counter[str]:
        return Counter(self.account.stats()["by_route"])

    def edit(self, old: str, new: str) -> None:
        """One change to the program, as a user makes it in an editor."""
        text = self.program.read_text(encoding="utf-8")
        assert text.count(old) == 1, old
        self.program.write_text(text.replace(old, new), encoding="utf-8")

    def changes(self) -> dict[str, str]:
        """Resource name → op, for our resources ``pulumi preview --json`` says would change."""
        preview = json.loads(self.project.checked("preview", "--json").stdout)
        return {step["urn"].rsplit("::", 1)[-1]: step["op"] for step in preview.get("steps", [])
                if "::chartmogul:" in step["urn"] and step["op"] not in ("same", "refresh")}

    def outputs(self) -> dict[str, Any]:
        return dict(json.loads(self.project.checked("stack", "output", "--json").stdout))

    def state(self) -> dict[str, dict[str, Any]]:
        """Resource name → state entry of our resources."""
        return {r["urn"].rsplit("::", 1)[-1]: r for r in self.project.export()["deployment"].get("resources", [])
                if r["type"].startswith("chartmogul:")}


def writes(sent: Counter[str]) -> dict[str, int]:
    return {route: n for route, n in sent.items() if route.startswith(WRITES)}


def groups(emulator: Emulator) -> dict[str, dict[str, Any]]:
    """Name → plan group, with the uuids of its plans."""
    found = {}
    for group in listed(emulator, "/plan_groups", "plan_groups"):
        plans = listed(emulator, f"/plan_groups/{group['uuid']}/plans", "plans")
        found[group["name"]] = {**group, "plans": {plan["uuid"] for plan in plans}}
    return found


def user_project(folder: Path, backend: Path, plugin_dir: Path) -> CliProject:
    """The real CLI in ``folder`` with stack ``dev``, in a user's environment with the plugin on ``PATH``."""
    return yaml_project(folder, backend, HOST_DIR, plugin_dir)


def step_pulumi_new_writes_a_project_that_names_no_path(life: Lifecycle) -> None:
    """``pulumi new <template> --generate-only``, as the template's README says: the project is its Pulumi.yaml
    (runtime yaml, no ``plugins`` or ``main`` path), the program, Main.yaml, and the README, as the template has
    them."""
    parent = life.project.folder.parent
    parent.mkdir(parents=True)
    starter = user_project(parent, life.project.backend, life.root / "bin")
    starter.checked("new", str(TEMPLATE), "--dir", str(life.project.folder), "--name", "billing-yaml", "--yes",
                    "--generate-only", "--force", stack=False)
    folder = life.project.folder
    assert sorted(p.name for p in folder.iterdir()) == ["Main.yaml", "Pulumi.yaml", "README.md"]
    for name in ("Main.yaml", "README.md"):
        assert (folder / name).read_bytes() == (TEMPLATE / name).read_bytes(), name
    project = yaml.safe_load((folder / "Pulumi.yaml").read_text(encoding="utf-8"))
    assert project["name"] == "billing-yaml" and project["runtime"] == "yaml"
    assert not {"plugins", "main", "template"} & set(project)
    # The CLI itself records where the project came from as a stack tag (pulumi:template), which nothing
    # resolves; that tag is the only place the template's path appears.
    assert project.pop("config") == {"pulumi:tags": {"value": {"pulumi:template": str(TEMPLATE)}}}
    assert str(REPO) not in json.dumps(project) + (folder / "Main.yaml").read_text(encoding="utf-8")

    life.project.checked("stack", "init", "dev", stack=False)
    life.project.set_config("chartmogul:apiKey", KEY, secret=True)
    life.project.set_config("chartmogul:endpoint", life.account.api_root)
    life.project.checked("config", "set", "--path", "chartmogul:allowedAccountIds[0]", ACCOUNT)


def step_up_creates_the_catalog(life: Lifecycle) -> None:
    before = life.routes()
    up = life.project.checked("up", "--yes", "--skip-preview")
    assert "using pulumi-resource-chartmogul from $PATH" in up.stdout + (up.stderr or "")  # pipx's, not a path
    sent = life.sent(before)
    assert writes(sent) == {"POST /v1/data_sources": 1, "POST /v1/plans": 3, "POST /v1/plan_groups": 1}
    assert sent["GET /v1/account"] == 1  # the pin, checked once by the one provider process

    outputs = life.outputs()
    [source] = api_sources(life.account).values()
    assert (source["name"], source["uuid"]) == ("In-house billing", outputs["dataSourceUuid"])
    plans = {external_id: plan for (_, external_id), plan in api_plans(life.account).items()}
    assert {external_id: plan["uuid"] for external_id, plan in plans.items()} == outputs["plans"]
    assert {external_id: plan["name"] for external_id, plan in plans.items()} == {
        "starter_monthly": "Starter", "team_monthly": "Team", "team_yearly": "Team (annual)"}
    team = groups(life.account)["Team"]
    assert team["uuid"] == outputs["planGroupUuid"]
    assert team["plans"] == {plans["team_monthly"]["uuid"], plans["team_yearly"]["uuid"]}
    state = life.state()
    assert {name: r["type"] for name, r in state.items()} == {
        "billing": "chartmogul:index:DataSource", "starter-monthly": "chartmogul:index:Plan",
        "team-monthly": "chartmogul:index:Plan", "team-yearly": "chartmogul:index:Plan",
        "team": "chartmogul:index:PlanGroup"}
    assert KEY not in json.dumps(life.project.export())


def step_a_no_change_preview_sends_no_request_here_or_in_a_clone(life: Lifecycle) -> None:
    """The program has no lookups, so a preview with nothing to change sends nothing: not even the account lookup
    of the pin (nothing is sent, so there is nothing to check). The same from a copy of the project in another
    folder (a teammate's clone): it needs nothing of where it was made."""
    before = life.routes()
    life.project.checked("preview", "--expect-no-changes")
    assert life.sent(before) == Counter()

    clone_folder = life.root / "clone" / "billing"
    shutil.copytree(life.project.folder, clone_folder)
    clone = user_project(clone_folder, life.project.backend, life.root / "bin")
    before = life.routes()
    clone.checked("preview", "--expect-no-changes")
    assert life.sent(before) == Counter()


def step_an_in_place_update(life: Lifecycle) -> None:
    """A plan's name and the group's name: each updated in place, one PATCH each, uuids kept."""
    uuids = {name: r["id"] for name, r in life.state().items()}
    life.edit("      name: Team\n      intervalCount: 1\n", "      name: Team (monthly)\n      intervalCount: 1\n")
    life.edit("      name: Team\n      plans:\n", "      name: Team plans\n      plans:\n")
    assert life.changes() == {"team-monthly": "update", "team": "update"}

    before = life.routes()
    life.project.checked("up", "--yes", "--skip-preview")
    assert writes(life.sent(before)) == {"PATCH /v1/plans/{uuid}": 1, "PATCH /v1/plan_groups/{uuid}": 1}
    assert {name: r["id"] for name, r in life.state().items()} == uuids
    plans = {external_id: plan for (_, external_id), plan in api_plans(life.account).items()}
    assert plans["team_monthly"]["name"] == "Team (monthly)"
    assert plans["team_monthly"]["uuid"] == uuids["team-monthly"]
    assert set(groups(life.account)) == {"Team plans"}
    assert groups(life.account)["Team plans"]["uuid"] == uuids["team"]


def step_a_replacement(life: Lifecycle) -> None:
    """The data source renamed: it is replaced, its plans with it (their dataSourceUuid changes); the group is
    updated in place to the new plans' uuids."""
    old = {name: r["id"] for name, r in life.state().items()}
    life.edit("      name: In-house billing\n", "      name: Billing\n")
    assert life.changes() == {"billing": "replace", "starter-monthly": "replace", "team-monthly": "replace",
                              "team-yearly": "replace", "team": "update"}

    before = life.routes()
    life.project.checked("up", "--yes", "--skip-preview")
    sent = writes(life.sent(before))
    assert sent["POST /v1/data_sources"] == 1 and sent["POST /v1/plans"] == 3
    assert sent["PATCH /v1/plan_groups/{uuid}"] == 1 and sent["DELETE /v1/data_sources/{uuid}"] == 1
    assert "PATCH /v1/plans/{uuid}" not in sent
    new = {name: r["id"] for name, r in life.state().items()}
    assert new["team"] == old["team"]
    assert all(new[name] != old[name] for name in new if name != "team")
    [source] = api_sources(life.account).values()
    assert (source["name"], source["uuid"]) == ("Billing", new["billing"])
    plans = {external_id: plan for (_, external_id), plan in api_plans(life.account).items()}
    assert {external_id: plan["uuid"] for external_id, plan in plans.items()} == {
        "starter_monthly": new["starter-monthly"], "team_monthly": new["team-monthly"],
        "team_yearly": new["team-yearly"]}
    assert groups(life.account)["Team plans"]["plans"] == {new["team-monthly"], new["team-yearly"]}


def step_refresh_shows_drift_and_up_undoes_it(life: Lifecycle) -> None:
    """A plan renamed through the API: ``refresh`` shows it and takes it into the state; the next preview would
    set the declared name back, and ``up`` does."""
    uuid = life.state()["starter-monthly"]["id"]
    renamed = life.account.api("PATCH", f"/plans/{uuid}", key=KEY, json={"name": "Starter (renamed by hand)"})
    assert renamed.status_code == 202, renamed.text  # as ChartMogul answers a PATCH

    before = life.routes()
    refresh = life.project.checked("refresh", "--yes", "--skip-preview", "--diff")
    assert writes(life.sent(before)) == {}
    shown = refresh.stdout
    assert "chartmogul:index:Plan::starter-monthly" in shown, shown
    assert '~ name: "Starter" => "Starter (renamed by hand)"' in shown, shown
    assert "~ 1 updated" in shown and "5 unchanged" in shown, shown  # the stack and the 4 others
    refreshed = life.state()["starter-monthly"]
    assert refreshed["outputs"]["name"] == "Starter (renamed by hand)"

    assert life.changes() == {"starter-monthly": "update"}
    before = life.routes()
    life.project.checked("up", "--yes", "--skip-preview")
    assert writes(life.sent(before)) == {"PATCH /v1/plans/{uuid}": 1}
    assert life.account.api("GET", f"/plans/{uuid}", key=KEY).json()["name"] == "Starter"
    life.project.checked("preview", "--expect-no-changes")


def step_import_prints_yaml_that_pasted_in_previews_with_no_change(life: Lifecycle) -> None:
    """``pulumi import chartmogul:index:Plan NAME UUID`` of a plan made through the API: it reads the plan (no
    write), and the YAML it prints, pasted into Main.yaml as printed, is the program's: no change."""
    source = life.state()["billing"]["id"]
    made = life.account.api("POST", "/plans", key=KEY, json={
        "data_source_uuid": source, "name": "Legacy", "interval_count": 1, "interval_unit": "month",
        "external_id": "legacy_monthly"})
    assert made.status_code == 201, made.text
    uuid = made.json()["uuid"]

    before = life.routes()
    imported = life.project.checked("import", "chartmogul:index:Plan", "legacy-monthly", uuid, "--yes")
    assert writes(life.sent(before)) == {}
    code = imported.stdout[imported.stdout.index("\nresources:\n") + 1:]
    assert yaml.safe_load(code) == {"resources": {"legacy-monthly": {
        "type": "chartmogul:Plan",
        "properties": {"adopt": False, "dataSourceUuid": source, "externalId": "legacy_monthly",
                       "intervalCount": 1, "intervalUnit": "month", "name": "Legacy"},
        "options": {"protect": True}}}}
    assert life.state()["legacy-monthly"]["id"] == uuid

    # Pasted at the end of the program's resources, as printed (its lines under `resources:`).
    text = life.program.read_text(encoding="utf-8")
    pasted = code.removeprefix("resources:\n").rstrip("\n")
    life.program.write_text(text.replace("\noutputs:\n", f"\n{pasted}\n\noutputs:\n"), encoding="utf-8")
    before = life.routes()
    life.project.checked("preview", "--expect-no-changes")
    assert life.sent(before) == Counter()


def step_a_pinned_stack_refuses_another_account(life: Lifecycle) -> None:
    """The stack config pointed at another account's endpoint: the refresh that would find none of the stack's
    objects there (and drop them all) is refused, naming that account; it hears nothing but the account lookup,
    and the state is kept."""
    with running_emulator("--account-id", OTHER, "--account-name", "Acme sandbox") as other:
        state = {name: (r["id"], r["outputs"]) for name, r in life.state().items()}
        life.project.set_config("chartmogul:endpoint", other.api_root)
        before = Counter(other.stats()["by_route"])
        # --run-program: the program's provider config, not the one the state recorded at the last up.
        result = life.project.run("refresh", "--run-program", "--yes", "--skip-preview")
        said = result.stdout + (result.stderr or "")
        assert result.returncode != 0 and REFUSED in said, said
        assert f"allows only {ACCOUNT}" in said, said
        assert Counter(other.stats()["by_route"]) - before == Counter({"GET /v1/account": 1})
        assert {name: (r["id"], r["outputs"]) for name, r in life.state().items()} == state
        life.project.set_config("chartmogul:endpoint", life.account.api_root)


def step_destroy_deletes_everything_it_made(life: Lifecycle) -> None:
    """The imported plan unprotected as Pulumi says (the option removed, then ``up``, which also records the
    right endpoint again as the provider's config, after the refused refresh), then ``destroy``: the account is
    empty again."""
    life.edit("    options:\n      protect: true\n", "")
    before = life.routes()
    life.project.checked("up", "--yes", "--skip-preview")
    assert writes(life.sent(before)) == {}
    assert not any(r.get("protect") for r in life.state().values())

    before = life.routes()
    life.project.checked("destroy", "--yes", "--skip-preview")
    assert writes(life.sent(before)) == {"DELETE /v1/plan_groups/{uuid}": 1, "DELETE /v1/plans/{uuid}": 4,
                                         "DELETE /v1/data_sources/{uuid}": 1}
    assert api_sources(life.account) == {} and api_plans(life.account) == {} and groups(life.account) == {}
    assert life.state() == {}


STEPS: list[Callable[[Lifecycle], None]] = [
    step_pulumi_new_writes_a_project_that_names_no_path,
    step_up_creates_the_catalog,
    step_a_no_change_preview_sends_no_request_here_or_in_a_clone,
    step_an_in_place_update,
    step_a_replacement,
    step_refresh_shows_drift_and_up_undoes_it,
    step_import_prints_yaml_that_pasted_in_previews_with_no_change,
    step_a_pinned_stack_refuses_another_account,
    step_destroy_deletes_everything_it_made,
]


@pytest.mark.timeout(900)  # about 37 CLI commands (12 stack exports, 7 stack and config commands among them)
def test_the_life_of_a_project_from_the_yaml_template(tmp_path: Path) -> None:
    with running_emulator("--account-id", ACCOUNT, "--account-name", "Acme production") as account:
        backend = tmp_path / "state"
        backend.mkdir()
        plugin_dir = plugin_on_path(tmp_path / "bin")
        life = Lifecycle(user_project(tmp_path / "infra" / "billing", backend, plugin_dir), account, tmp_path)
        for number, step in enumerate(STEPS, 1):
            name = step.__name__.removeprefix("step_")
            before, started = life.routes(), time.monotonic()
            try:
                step(life)
            except BaseException as failure:
                failure.add_note(f"in step {number}/{len(STEPS)}: {name}")
                raise
            # Requests by route, the CLI's and the step's own checks through the API together.
            print(f"step {number}/{len(STEPS)} {name}: {time.monotonic() - started:.1f} s, requests "
                  f"{dict(sorted(life.sent(before).items()))}")
