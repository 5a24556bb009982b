"""TypeScript programs on the native plugin, through the real CLI and its Node.js language host against an emulator
of their own: a project made from ``templates/chartmogul-typescript`` outside this repository, its whole life in
order (``pulumi new``, up, a no-change preview that sends nothing, an in-place update, destroy), and the example
``examples/typescript-catalog``, whose plan group holds a plan found by a lookup (``getPlan``); ``tsc --noEmit``
passes on the example and on the README's program, and a copy of the example with a misspelt property is a
compile error naming it.

Each program gets the SDK as a user's ``npm install`` leaves it: the package in ``node_modules`` from the tarball
``make sdk-nodejs`` packs (``dist/``; packed into a temporary folder if absent), beside ``@pulumi/pulumi`` 3.248.0,
typescript and @types/node from ``make node-deps`` (linked, not fetched: no registry, no npm time). The plugin is
on ``PATH`` as ``pipx install pulumi-chartmogul`` leaves it. Without the Node.js host or the npm packages the
tests skip with the reason; in CI they must run."""

from __future__ import annotations

import json
import shutil
import subprocess
import tarfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from pulumi_chartmogul import __version__
from testkit.emulator import Emulator, running_emulator
from testkit.projects import CliProject
from tests.e2e.conftest import KEY, REPO, api_plans, api_sources, listed, yaml
from tests.e2e.language_hosts import NODE_HOST, host_project, require_host, require_node_modules
from tests.e2e.yaml_host import plugin_on_path

WHAT = "TypeScript e2e tests"
HOST_DIR = require_host(NODE_HOST, WHAT)
NODE_MODULES = require_node_modules(WHAT)

TEMPLATE = REPO / "templates" / "chartmogul-typescript"
EXAMPLE = REPO / "examples" / "typescript-catalog"
README_PROGRAM = REPO / "tests" / "e2e" / "fixtures" / "typescript-readme"
SDK_PACKAGE = "@pulumi-chartmogul/chartmogul"
TARBALL = f"pulumi-chartmogul-chartmogul-{__version__}.tgz"
ACCOUNT = "acct_55555555-0000-4000-8000-000000000005"
WRITES = ("POST", "PATCH", "PUT", "DELETE")
# The same module tree for both tests' tsc and CLI runs: one worker.
pytestmark = pytest.mark.xdist_group("typescript-programs")


@pytest.fixture(scope="session")
def sdk_tarball(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The TypeScript SDK's tarball: ``dist/`` as ``make sdk-nodejs`` left it, else packed now the same way."""
    packed = REPO / "dist" / TARBALL
    if packed.is_file():
        return packed
    work = tmp_path_factory.mktemp("sdk-nodejs")
    shutil.copytree(REPO / "sdk" / "nodejs", work / "nodejs", ignore=shutil.ignore_patterns("node_modules", "bin"))
    done = subprocess.run(["bash", str(REPO / "tools" / "sdk-nodejs.sh"), str(work / "nodejs"), str(work / "dist")],
                          cwd=REPO, capture_output=True, text=True, timeout=540)
    assert done.returncode == 0, done.stdout + done.stderr
    return Path(done.stdout.strip().splitlines()[-1])


def install_packages(folder: Path, tarball: Path) -> None:
    """``folder/node_modules`` as ``npm install`` of the project's package.json makes it: the SDK unpacked from
    its tarball, the rest linked from ``.tools/node``. The project's package.json asks for versions these are."""
    wanted = json.loads((folder / "package.json").read_text(encoding="utf-8"))["dependencies"]
    assert wanted == {"@pulumi/pulumi": "^3.248.0", SDK_PACKAGE: f"^{__version__}"}
    modules = folder / "node_modules"
    modules.mkdir()
    for entry in NODE_MODULES.iterdir():
        (modules / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
    package = modules / SDK_PACKAGE
    package.mkdir(parents=True)
    with tarfile.open(tarball) as packed:
        packed.extractall(package.parent / "unpacked", filter="data")
    (package.parent / "unpacked" / "package").rename(package)
    (package.parent / "unpacked").rmdir()


def tsc(folder: Path) -> subprocess.CompletedProcess[str]:
    """``tsc --noEmit`` on the project's tsconfig.json, as an editor or CI checks a program."""
    return subprocess.run(["node", str(NODE_MODULES / "typescript" / "bin" / "tsc"), "--noEmit", "--pretty", "false",
                           "-p", str(folder)], cwd=folder, capture_output=True, text=True, timeout=300)


def user_project(folder: Path, backend: Path, plugin_dir: Path) -> CliProject:
    """The real CLI in ``folder`` with stack ``dev``: the Node.js host and the plugin on ``PATH``."""
    return host_project(folder, backend, HOST_DIR, plugin_dir)


def writes(sent: Counter[str]) -> dict[str, int]:
    return {route: n for route, n in sent.items() if route.startswith(WRITES)}


def groups(emulator: Emulator) -> dict[str, dict[str, Any]]:
    """Name → plan group, with the uuids of its plans."""
    found = {}
    for group in listed(emulator, "/plan_groups", "plan_groups"):
        plans = listed(emulator, f"/plan_groups/{group['uuid']}/plans", "plans")
        found[group["name"]] = {**group, "plans": {plan["uuid"] for plan in plans}}
    return found


@dataclass
class Lifecycle:
    """The stack every step of the template's life works on, and the account it lives in."""

    project: CliProject
    account: Emulator
    root: Path
    tarball: Path

    @property
    def program(self) -> Path:
        return self.project.folder / "index.ts"

    def routes(self) -> Counter[str]:
        return Counter(self.account.stats()["by_route"])

    def sent(self, before: Counter[str]) -> Counter[str]:
        return self.routes() - before

    def edit(self, old: str, new: str) -> None:
        text = self.program.read_text(encoding="utf-8")
        assert text.count(old) == 1, old
        self.program.write_text(text.replace(old, new), encoding="utf-8")

    def outputs(self) -> dict[str, Any]:
        return dict(json.loads(self.project.checked("stack", "output", "--json").stdout))

    def state(self) -> dict[str, dict[str, Any]]:
        return {r["urn"].rsplit("::", 1)[-1]: r for r in self.project.export()["deployment"].get("resources", [])
                if r["type"].startswith("chartmogul:")}


def step_pulumi_new_writes_a_project_that_names_no_path(life: Lifecycle) -> None:
    """``pulumi new <template> --generate-only``: the template's files, the project and package named as asked,
    no path of this machine; then the packages installed and the stack pinned to its account."""
    parent = life.project.folder.parent
    parent.mkdir(parents=True)
    starter = user_project(parent, life.project.backend, life.root / "bin")
    starter.checked("new", str(TEMPLATE), "--dir", str(life.project.folder), "--name", "billing-ts", "--yes",
                    "--generate-only", "--force", stack=False)
    folder = life.project.folder
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in TEMPLATE.iterdir())
    for name in ("index.ts", "tsconfig.json", "README.md"):
        assert (folder / name).read_bytes() == (TEMPLATE / name).read_bytes(), name
    package = json.loads((folder / "package.json").read_text(encoding="utf-8"))
    assert package["name"] == "billing-ts" and package["main"] == "index.ts"
    project = yaml.safe_load((folder / "Pulumi.yaml").read_text(encoding="utf-8"))
    assert project["name"] == "billing-ts"
    assert project["runtime"] == {"name": "nodejs", "options": {"typescript": True}}
    assert not {"plugins", "main", "template"} & set(project)
    every = "".join((folder / name).read_text(encoding="utf-8") for name in ("index.ts", "package.json"))
    assert str(REPO) not in every and "/work/" not in every

    install_packages(folder, life.tarball)
    life.project.checked("stack", "init", "dev", stack=False)
    life.project.set_config("chartmogul:apiKey", KEY, secret=True)
    life.project.set_config("chartmogul:endpoint", life.account.api_root)
    life.project.checked("config", "set", "--path", "chartmogul:allowedAccountIds[0]", ACCOUNT)


def step_up_creates_the_catalog(life: Lifecycle) -> None:
    before = life.routes()
    up = life.project.checked("up", "--yes", "--skip-preview")
    assert "using pulumi-resource-chartmogul from $PATH" in up.stdout + (up.stderr or "")
    sent = life.sent(before)
    assert writes(sent) == {"POST /v1/data_sources": 1, "POST /v1/plans": 3, "POST /v1/plan_groups": 1}
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
    assert {name: r["type"] for name, r in life.state().items()} == {
        "billing": "chartmogul:index:DataSource", "starter-monthly": "chartmogul:index:Plan",
        "team-monthly": "chartmogul:index:Plan", "team-yearly": "chartmogul:index:Plan",
        "team": "chartmogul:index:PlanGroup"}
    assert KEY not in json.dumps(life.project.export())


def step_a_no_change_preview_sends_no_request(life: Lifecycle) -> None:
    """No lookups in the template: a preview with nothing to change sends nothing, not even the pin's."""
    before = life.routes()
    life.project.checked("preview", "--expect-no-changes")
    assert life.sent(before) == Counter()


def step_an_in_place_update(life: Lifecycle) -> None:
    """A plan renamed in index.ts and the group renamed through the stack's config: one PATCH each, uuids kept."""
    uuids = {name: r["id"] for name, r in life.state().items()}
    life.edit('    name: "Team",\n', '    name: "Team (monthly)",\n')
    life.project.set_config("planGroupName", "Team plans")
    before = life.routes()
    life.project.checked("up", "--yes", "--skip-preview")
    assert writes(life.sent(before)) == {"PATCH /v1/plans/{uuid}": 1, "PATCH /v1/plan_groups/{uuid}": 1}
    assert {name: r["id"] for name, r in life.state().items()} == uuids
    plans = {external_id: plan for (_, external_id), plan in api_plans(life.account).items()}
    assert (plans["team_monthly"]["name"], plans["team_monthly"]["uuid"]) == ("Team (monthly)", uuids["team-monthly"])
    assert {name: group["uuid"] for name, group in groups(life.account).items()} == {"Team plans": uuids["team"]}


def step_destroy_deletes_everything_it_made(life: Lifecycle) -> None:
    before = life.routes()
    life.project.checked("destroy", "--yes", "--skip-preview")
    assert writes(life.sent(before)) == {"DELETE /v1/plan_groups/{uuid}": 1, "DELETE /v1/plans/{uuid}": 3,
                                         "DELETE /v1/data_sources/{uuid}": 1}
    assert api_sources(life.account) == {} and api_plans(life.account) == {} and groups(life.account) == {}
    assert life.state() == {}


STEPS: list[Callable[[Lifecycle], None]] = [
    step_pulumi_new_writes_a_project_that_names_no_path,
    step_up_creates_the_catalog,
    step_a_no_change_preview_sends_no_request,
    step_an_in_place_update,
    step_destroy_deletes_everything_it_made,
]


@pytest.mark.timeout(900)  # each CLI command compiles index.ts: about 20 s on a loaded machine
def test_the_life_of_a_project_from_the_typescript_template(tmp_path: Path, sdk_tarball: Path) -> None:
    with running_emulator("--account-id", ACCOUNT, "--account-name", "Acme production") as account:
        backend = tmp_path / "state"
        backend.mkdir()
        plugin_dir = plugin_on_path(tmp_path / "bin")
        life = Lifecycle(user_project(tmp_path / "infra" / "billing", backend, plugin_dir), account, tmp_path,
                         sdk_tarball)
        for number, step in enumerate(STEPS, 1):
            name = step.__name__.removeprefix("step_")
            before, started = life.routes(), time.monotonic()
            try:
                step(life)
            except BaseException as failure:
                failure.add_note(f"in step {number}/{len(STEPS)}: {name}")
                raise
            print(f"step {number}/{len(STEPS)} {name}: {time.monotonic() - started:.1f} s, requests "
                  f"{dict(sorted(life.sent(before).items()))}")


@pytest.mark.timeout(900)
def test_the_typescript_example_compiles_and_groups_a_looked_up_plan(tmp_path: Path, sdk_tarball: Path) -> None:
    """examples/typescript-catalog copied out of the repository: ``tsc --noEmit`` passes, and a copy with
    ``intervalUnt`` for ``intervalUnit`` is refused naming it; then up against an emulator seeded with the
    integration's data source and plans (its emulator-seed.json), the group holding the two declared plans and
    the looked-up one; a no-change preview sends only the two lookups; destroy leaves the integration's."""
    folder = tmp_path / "typescript-catalog"
    shutil.copytree(EXAMPLE, folder)
    install_packages(folder, sdk_tarball)
    checked = tsc(folder)
    assert checked.returncode == 0, checked.stdout + checked.stderr

    typo = tmp_path / "typo"
    shutil.copytree(EXAMPLE, typo)
    (typo / "node_modules").symlink_to(folder / "node_modules", target_is_directory=True)
    program = (typo / "index.ts").read_text(encoding="utf-8")
    assert "    intervalUnit: \"year\",\n" in program
    (typo / "index.ts").write_text(program.replace('    intervalUnit: "year",\n', '    intervalUnt: "year",\n'),
                                   encoding="utf-8")
    refused = tsc(typo)
    said = refused.stdout + refused.stderr
    assert refused.returncode != 0 and "error TS2561" in said and "'intervalUnt' does not exist" in said, said

    # The README's five-line program (tests/unit/test_docs_typescript.py holds the README to this file) compiles.
    readme = tmp_path / "readme-program"
    shutil.copytree(README_PROGRAM, readme)
    (readme / "node_modules").symlink_to(folder / "node_modules", target_is_directory=True)
    checked = tsc(readme)
    assert checked.returncode == 0, checked.stdout + checked.stderr

    with running_emulator("--account-id", ACCOUNT) as account:
        seed = json.loads((folder / "emulator-seed.json").read_text(encoding="utf-8"))
        integration = {plan["external_id"]: plan for plan in account.seed(seed["data_sources"])["plans"]}
        backend = tmp_path / "state"
        backend.mkdir()
        project = user_project(folder, backend, plugin_on_path(tmp_path / "bin"))
        project.checked("stack", "init", "dev", stack=False)
        project.set_config("chartmogul:apiKey", KEY, secret=True)
        project.set_config("chartmogul:endpoint", account.api_root)

        project.checked("up", "--yes", "--skip-preview")
        outputs = json.loads(project.checked("stack", "output", "--json").stdout)
        plans = {external_id: plan["uuid"] for (source, external_id), plan in api_plans(account).items()
                 if source == "Web shop"}
        assert outputs["plans"] == plans and set(plans) == {"basic_monthly", "pro_monthly", "pro_yearly"}
        gold = integration["gold_monthly"]["uuid"]
        assert outputs["integrationPlanUuid"] == gold
        premium = groups(account)["Premium"]
        assert premium["uuid"] == outputs["premiumGroup"] and outputs["premiumPlansCount"] == 3
        assert premium["plans"] == {plans["pro_monthly"], plans["pro_yearly"], gold}

        before = Counter(account.stats()["by_route"])
        project.checked("preview", "--expect-no-changes")
        assert Counter(account.stats()["by_route"]) - before == Counter(
            {"GET /v1/data_sources": 1, "GET /v1/plans": 1})  # the two lookups, nothing else

        project.checked("destroy", "--yes", "--skip-preview")
        assert set(api_sources(account)) == {"Stripe"} and groups(account) == {}
        assert {external_id for _, external_id in api_plans(account)} == set(integration)
