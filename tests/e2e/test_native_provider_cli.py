"""The native plugin as a provider, through the real CLI and its YAML host: ``pulumi package get-schema`` answers the
generated schema; two explicit providers in one program each work on their own account; a new key is an update of
the provider, never a replacement of a resource; and the README's YAML program goes up and is destroyed as written.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pulumi_chartmogul.provider_host.schema import package_schema
from testkit.emulator import Emulator, running_emulator
from testkit.processes import run_marked
from testkit.projects import CliProject
from tests.conftest import CLI_TIMEOUT
from tests.e2e.conftest import CLI_DIR, REPO
from tests.e2e.yaml_host import PLUGIN, plugin_on_path, require_host, yaml_path, yaml_project

HOST_DIR = require_host()
STAGING, PRODUCTION = "acct_51515151-0000-4000-8000-000000000001", "acct_52525252-0000-4000-8000-000000000002"


@pytest.fixture(scope="module")
def staging() -> Iterator[Emulator]:
    with running_emulator("--account-id", STAGING, "--account-name", "Staging") as emulator:
        yield emulator


@pytest.fixture(scope="module")
def production() -> Iterator[Emulator]:
    with running_emulator("--account-id", PRODUCTION, "--account-name", "Production") as emulator:
        yield emulator


def program_project(tmp_path: Path, program: str) -> CliProject:
    """``program`` as a YAML project on a new stack ``dev``, the plugin on PATH as pipx leaves it."""
    assert HOST_DIR is not None
    folder = tmp_path / "program"
    folder.mkdir()
    (folder / "Pulumi.yaml").write_text(program, encoding="utf-8")
    backend = tmp_path / "state"
    backend.mkdir()
    project = yaml_project(folder, backend, HOST_DIR, plugin_on_path(tmp_path / "plugin"))
    project.checked("stack", "init", "dev", stack=False)
    return project


def names_in(emulator: Emulator) -> list[str]:
    return sorted(source["name"] for source in emulator.api("GET", "/data_sources").json()["data_sources"])


def test_get_schema_on_the_plugin_answers_the_generated_schema(tmp_path: Path) -> None:
    assert CLI_DIR is not None
    plugin = plugin_on_path(tmp_path / "plugin") / PLUGIN
    result = run_marked([str(CLI_DIR / "pulumi"), "package", "get-schema", str(plugin)], cwd=tmp_path,
                        env={"PATH": yaml_path(HOST_DIR, plugin.parent), "PULUMI_SKIP_UPDATE_CHECK": "true",
                             "PULUMI_HOME": str(tmp_path / "home")}, timeout=CLI_TIMEOUT)
    assert result.returncode == 0, result.stderr
    # The CLI hands the schema on re-marshalled, without its empty lists and objects: the same schema.
    assert compact(json.loads(result.stdout)) == compact(json.loads(json.dumps(package_schema())))
    assert json.loads(result.stdout)["resources"].keys() == package_schema()["resources"].keys()


def compact(value: Any) -> Any:
    if isinstance(value, dict):
        kept = {key: compact(item) for key, item in value.items()}
        return {key: item for key, item in kept.items() if item not in ({}, [])}
    if isinstance(value, list):
        return [compact(item) for item in value]
    return value


TWO_ACCOUNTS = """\
name: two-accounts
runtime: yaml
config:
  stagingEndpoint: {type: string}
  productionEndpoint: {type: string}
resources:
  staging:
    type: pulumi:providers:chartmogul
    properties:
      apiKey: staging-key
      endpoint: ${stagingEndpoint}
      allowedAccountIds: ["%(staging)s"]
  production:
    type: pulumi:providers:chartmogul
    properties:
      apiKey: production-key
      endpoint: ${productionEndpoint}
      allowedAccountIds: ["%(production)s"]
  stagingBilling:
    type: chartmogul:index:DataSource
    properties:
      name: Billing (staging)
    options:
      provider: ${staging}
  productionBilling:
    type: chartmogul:index:DataSource
    properties:
      name: Billing (production)
    options:
      provider: ${production}
"""


def test_two_explicit_providers_each_work_on_their_own_account(tmp_path: Path, staging: Emulator,
                                                               production: Emulator) -> None:
    project = program_project(tmp_path, TWO_ACCOUNTS % {"staging": STAGING, "production": PRODUCTION})
    project.set_config("stagingEndpoint", staging.api_root)
    project.set_config("productionEndpoint", production.api_root)
    project.checked("up", "--yes", "--skip-preview")
    assert names_in(staging) == ["Billing (staging)"]
    assert names_in(production) == ["Billing (production)"]

    # The production provider pointed at staging: an update of the provider alone (nothing to send), and then its
    # first request, a refresh of its data source, is refused, naming the account; nothing reaches staging but that.
    project.set_config("productionEndpoint", staging.api_root)
    project.checked("up", "--yes", "--skip-preview")
    before = Counter(staging.stats()["by_route"])
    refused = project.run("refresh", "--yes", "--skip-preview")
    assert refused.returncode != 0
    assert f"refusing to work on the ChartMogul account {STAGING}" in refused.stdout + (refused.stderr or "")
    assert names_in(staging) == ["Billing (staging)"]
    sent = Counter(staging.stats()["by_route"]) - before
    assert sent["GET /v1/account"] >= 1 and all(route.startswith("GET ") for route in sent), sent  # reads only

    # A destroy uses the provider config the last up recorded (still staging's): refused too, deleting nothing there.
    assert project.run("destroy", "--yes", "--skip-preview").returncode != 0
    assert names_in(production) == ["Billing (production)"]
    project.set_config("productionEndpoint", production.api_root)
    project.checked("up", "--yes", "--skip-preview")
    project.checked("destroy", "--yes", "--skip-preview")
    assert names_in(staging) == names_in(production) == []


KEYED = """\
name: keyed
runtime: yaml
resources:
  billing:
    type: chartmogul:index:DataSource
    properties:
      name: Keyed billing
  gold:
    type: chartmogul:index:Plan
    properties:
      dataSourceUuid: ${billing.uuid}
      name: Gold
      intervalCount: 1
      intervalUnit: month
"""


def test_a_new_key_updates_the_provider_and_replaces_no_resource(tmp_path: Path, staging: Emulator) -> None:
    project = program_project(tmp_path, KEYED)
    project.set_config("chartmogul:endpoint", staging.api_root)
    project.set_config("chartmogul:apiKey", "first-key", secret=True)
    project.checked("up", "--yes", "--skip-preview")
    before = {r["urn"]: r.get("id") for r in project.export()["deployment"]["resources"]}

    project.set_config("chartmogul:apiKey", "rotated-key", secret=True)
    preview = project.checked("preview", "--diff")
    assert "replace" not in preview.stdout and "+-" not in preview.stdout, preview.stdout
    project.checked("up", "--yes", "--skip-preview")
    after = {r["urn"]: r.get("id") for r in project.export()["deployment"]["resources"]}
    assert {urn: uuid for urn, uuid in after.items() if "chartmogul:index" in urn} == {
        urn: uuid for urn, uuid in before.items() if "chartmogul:index" in urn}
    assert "rotated-key" not in json.dumps(project.export())  # the provider's key is a secret in the state too
    project.checked("destroy", "--yes", "--skip-preview")


def readme_program() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## From any language"):]
    return str(re.findall(r"```yaml\n(.*?)```", section, re.S)[0])


def test_the_readme_yaml_program_goes_up_and_is_destroyed(tmp_path: Path, staging: Emulator) -> None:
    staging.reset()
    project = program_project(tmp_path, readme_program())
    project.set_config("chartmogul:endpoint", staging.api_root)
    project.set_config("chartmogul:apiKey", "readme-key", secret=True)
    project.checked("up", "--yes", "--skip-preview")
    outputs: dict[str, Any] = json.loads(project.checked("stack", "output", "--json").stdout)
    group = staging.api("GET", "/plan_groups").json()["plan_groups"]
    assert names_in(staging) == ["In-house billing"] and len(group) == 1
    assert [plan["uuid"] for plan in staging.api("GET", f"/plan_groups/{group[0]['uuid']}/plans").json()["plans"]] == [
        outputs["gold"]]
    project.checked("destroy", "--yes", "--skip-preview")
    assert names_in(staging) == []
