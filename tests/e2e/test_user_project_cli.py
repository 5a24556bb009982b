"""A user's own project, outside this repository, the way a user makes it: the released wheel, ``pulumi new`` from
our template, the project's own virtualenv, ``pulumi up`` against the emulator, an import by uuid with the
Pulumi-shaped constructor, then the project copied without its virtualenv (a teammate's clone, a CI checkout) and
previewed there: nothing of this checkout or this machine's paths is needed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from testkit.emulator import Emulator
from testkit.projects import CliProject
from tests.conftest import CLI_TIMEOUT
from tests.e2e.conftest import CLI_DIR, KEY, PASSPHRASE, REPO, CLIError, api_plans, new_stack, yaml

TEMPLATE = REPO / "templates" / "chartmogul-python"
WRITES = ("POST", "PATCH", "PUT", "DELETE")
# What a user's shell has: nothing that points into this checkout, no ChartMogul settings but the stack's.
USER_ENV = {"PYTHONPATH": "", "CHARTMOGUL_API_KEY": "", "CHARTMOGUL_ENDPOINT": "", "CHARTMOGUL_ADOPT_EXISTING": "",
            "CHARTMOGUL_ALLOWED_ACCOUNT_IDS": ""}
IMPORTED_PLAN = '''
legacy = Plan("legacy-monthly", PlanArgs(data_source_uuid=billing.uuid, name="Legacy", interval_count=1,
                                         interval_unit="month", external_id="legacy_monthly"),
              pulumi.ResourceOptions(import_={uuid!r}))
'''


def build_wheel(scratch: Path) -> Path:
    """The wheel `make check-dist` builds, from a copy of what an sdist holds (the checkout stays untouched)."""
    source = scratch / "source"
    source.mkdir(parents=True)
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(REPO / name, source / name)
    shutil.copytree(REPO / "pulumi_chartmogul", source / "pulumi_chartmogul",
                    ignore=shutil.ignore_patterns("__pycache__"))
    dist = scratch / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(source)], check=True,
                   capture_output=True, timeout=CLI_TIMEOUT)
    [wheel] = dist.glob("pulumi_chartmogul-*.whl")
    return wheel


def make_virtualenv(project: Path, wheels: Path) -> None:
    """What the template's README-less instructions say: the virtualenv Pulumi.yaml names, then requirements."""
    document = yaml.safe_load((project / "Pulumi.yaml").read_text())
    venv = project / document["runtime"]["options"]["virtualenv"]
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=CLI_TIMEOUT)
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    "--find-links", str(wheels), "-r", str(project / "requirements.txt")],
                   check=True, capture_output=True, timeout=CLI_TIMEOUT, cwd=project)
    located = subprocess.run([str(venv / "bin" / "python"), "-c", "import pulumi_chartmogul; "
                              "print(pulumi_chartmogul.__file__, pulumi_chartmogul.__version__)"],
                             check=True, capture_output=True, text=True, env=USER_ENV, cwd=project).stdout
    assert located.startswith(str(venv.resolve())) or located.startswith(str(venv)), located  # the wheel, not us


def assert_portable(project: Path) -> None:
    """No absolute path and no path out of the project where the engine resolves one."""
    document: dict[str, Any] = yaml.safe_load((project / "Pulumi.yaml").read_text())
    paths = [document["runtime"]["options"]["virtualenv"], *(p["path"] for p in document["plugins"]["providers"])]
    if "main" in document:
        paths.append(document["main"])
    for path in paths:
        assert not Path(path).is_absolute() and ".." not in Path(path).parts, path


def user_project(folder: Path, backend: Path) -> CliProject:
    """The real CLI in ``folder`` with stack ``dev``, in a user's environment."""
    assert CLI_DIR is not None
    return CliProject(folder, backend, CLI_DIR, "dev", PASSPHRASE, env=dict(USER_ENV), timeout=CLI_TIMEOUT,
                      failure=CLIError)


def new_from_template(parent: Path, backend: Path, wheels: Path) -> Path:
    """``pulumi new`` from the template, as the README says, into ``parent/chartmogul``, and its virtualenv."""
    folder = parent / "chartmogul"
    parent.mkdir()
    user_project(parent, backend).checked("new", str(TEMPLATE), "--dir", str(folder), "--name", "billing-infra",
                                          "--yes", "--generate-only", "--force", stack=False)
    assert_portable(folder)
    assert (folder / "chartmogul-host" / "pulumi-resource-pulumi-python").stat().st_mode & 0o111
    make_virtualenv(folder, wheels)
    return folder


def writes(emulator: Emulator, before: Counter[str]) -> dict[str, int]:
    sent = Counter(emulator.stats()["by_route"]) - before
    return {route: n for route, n in sent.items() if route.startswith(WRITES)}


@pytest.fixture(scope="module")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding this checkout's wheel, for ``pip install --find-links``."""
    return build_wheel(tmp_path_factory.mktemp("build")).parent


def test_a_new_project_from_the_template_installs_runs_imports_and_moves(tmp_path: Path, emulator: Emulator,
                                                                          wheels: Path) -> None:
    assert CLI_DIR is not None
    backend = tmp_path / "state"
    backend.mkdir()

    folder = new_from_template(tmp_path / "infra", backend, wheels)

    project = user_project(folder, backend)
    new_stack(project, emulator)
    project.checked("up", "--yes", "--skip-preview")
    outputs = json.loads(project.checked("stack", "output", "--json").stdout)
    assert set(outputs["plans"]) == {"starter_monthly", "team_monthly", "team_yearly"}
    assert {(key[1], plan["uuid"]) for key, plan in api_plans(emulator).items()} == {
        (external_id, uuid) for external_id, uuid in outputs["plans"].items()}

    # A plan made by hand, then declared with Plan(name, PlanArgs(...), ResourceOptions(import_=uuid))
    made = emulator.api("POST", "/plans", key=KEY, json={
        "data_source_uuid": outputs["data_source_uuid"], "name": "Legacy", "interval_count": 1,
        "interval_unit": "month", "external_id": "legacy_monthly"}).json()
    with (folder / "__main__.py").open("a") as program:
        program.write(IMPORTED_PLAN.format(uuid=made["uuid"]))

    before = Counter(emulator.stats()["by_route"])
    preview = json.loads(project.checked("preview", "--json").stdout)
    changes = {step["urn"].rsplit("::", 1)[-1]: step["op"] for step in preview["steps"] if step["op"] != "same"}
    assert changes == {"legacy-monthly": "import"}
    assert writes(emulator, before) == {}

    before = Counter(emulator.stats()["by_route"])
    project.checked("up", "--yes", "--skip-preview")
    assert writes(emulator, before) == {}
    state = project.export()["deployment"]["resources"]
    [legacy] = [r for r in state if r["urn"].endswith("::legacy-monthly")]
    assert legacy["id"] == made["uuid"]

    # The project somewhere else without its virtualenv (a clone), with a fresh one: no change, no request
    elsewhere = tmp_path / "clone" / "chartmogul"
    shutil.copytree(folder, elsewhere, ignore=shutil.ignore_patterns("venv", "__pycache__"))
    assert_portable(elsewhere)
    make_virtualenv(elsewhere, wheels)
    clone = user_project(elsewhere, backend)
    before = Counter(emulator.stats()["by_route"])
    clone.checked("preview", "--expect-no-changes")
    assert Counter(emulator.stats()["by_route"]) - before == Counter()


def test_a_copied_example_runs_with_its_own_virtualenv(tmp_path: Path, emulator: Emulator, wheels: Path) -> None:
    """examples/adopt-existing (the one with a launcher) copied out of the repository, as its README says."""
    assert CLI_DIR is not None
    folder = tmp_path / "adopt-existing"
    shutil.copytree(REPO / "examples" / "adopt-existing", folder, ignore=shutil.ignore_patterns("venv", "__pycache__"))
    assert_portable(folder)
    make_virtualenv(folder, wheels)
    backend = tmp_path / "state"
    backend.mkdir()
    project = user_project(folder, backend)
    new_stack(project, emulator)
    project.checked("up", "--yes", "--skip-preview")
    assert {key[1] for key in api_plans(emulator)} == {"legacy_basic", "legacy_plus", "legacy_annual"}
    project.checked("preview", "--expect-no-changes")


def test_the_readme_s_already_have_an_account(tmp_path: Path, emulator: Emulator, wheels: Path) -> None:
    """README, "Already have an account?": in a project from the template, the three commands as written."""
    source = emulator.api("POST", "/data_sources", key=KEY, json={"name": "In-house billing"}).json()["uuid"]
    plans = [emulator.api("POST", "/plans", key=KEY, json={
        "data_source_uuid": source, "name": f"Plan {n}", "interval_count": 1, "interval_unit": "month",
        "external_id": f"plan_{n}"}).json()["uuid"] for n in range(3)]
    emulator.api("POST", "/plan_groups", key=KEY, json={"name": "Paid", "plans": plans[1:]})
    backend = tmp_path / "state"
    backend.mkdir()
    folder = new_from_template(tmp_path / "infra", backend, wheels)
    project = user_project(folder, backend)
    new_stack(project, emulator)

    exported = subprocess.run([str(folder / "venv" / "bin" / "pulumi-chartmogul"), "export", "--adopt", "--format",
                               "python", "--output", "__main__.py"], cwd=folder, capture_output=True, text=True,
                              timeout=CLI_TIMEOUT, env={**os.environ, **USER_ENV, "CHARTMOGUL_API_KEY": KEY,
                                                        "CHARTMOGUL_ENDPOINT": emulator.api_root})
    assert exported.returncode == 0, exported.stderr
    before = Counter(emulator.stats()["by_route"])
    preview = json.loads(project.checked("preview", "--json").stdout)
    ops = Counter(step["op"] for step in preview["steps"] if "dynamic/chartmogul:" in step["urn"])
    assert ops == Counter({"import": 1 + 3 + 1})  # imports only: no create, update or delete
    project.checked("up", "--yes", "--skip-preview")
    assert writes(emulator, before) == {}
    before = Counter(emulator.stats()["by_route"])
    project.checked("preview", "--expect-no-changes")
    assert Counter(emulator.stats()["by_route"]) - before == Counter()
