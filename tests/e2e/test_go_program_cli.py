"""A Go program (``runtime: go``, as users of the native plugin's Go SDK write them) through the real CLI and its Go
language host, ``pulumi-language-go`` (``make go-host``), which compiles it with the ``go`` on ``PATH`` against the
Pulumi Go SDK at the CLI's version (tests/e2e/fixtures/go-program): no resource, a config value, a secret and stack
outputs.

The first compile, with an empty Go build cache, is long (the SDK and its dependencies: 13 min 43 s measured on 2
cores busy with other builds, 3 min 45 s on idle ones; warm, each command still rebuilds the program, about 25 s),
so ``make test`` does not run it:
``make test-go-program`` does (it sets ``PULUMI_CHARTMOGUL_GO_PROGRAM=1``), and CI runs that after ``make test``
(``.ci/run``). Without the host or ``go`` it skips with the reason; in CI it must run, so there a missing one fails."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from testkit.emulator import Emulator
from tests.e2e.conftest import KEY, REPO, new_stack
from tests.e2e.language_hosts import (
    GO_HOST,
    goes_up_with_its_config_and_is_destroyed,
    host_project,
    require_go,
    require_host,
)
from tests.e2e.yaml_host import plugin_on_path

WHAT = "Go e2e test (make test-go-program)"
FIXTURE = REPO / "tests" / "e2e" / "fixtures" / "go-program"
# The first command compiles the SDK and its dependencies.
COMPILE_TIMEOUT = 1800.0

if os.environ.get("PULUMI_CHARTMOGUL_GO_PROGRAM") != "1":
    pytest.skip("a Go program's first compile takes minutes: `make test-go-program` runs it (CI does, after "
                "`make test`)", allow_module_level=True)
HOST_DIR = require_host(GO_HOST, WHAT)
GO_DIR = require_go(WHAT)


@pytest.mark.timeout(COMPILE_TIMEOUT + 600)
def test_a_go_program_goes_up_and_is_destroyed(tmp_path: Path) -> None:
    folder = tmp_path / "program"
    shutil.copytree(FIXTURE, folder)
    backend = tmp_path / "state"
    backend.mkdir()
    # The program's go.mod and go.sum are complete: nothing may change them, and no toolchain is downloaded.
    project = host_project(folder, backend, HOST_DIR, GO_DIR, env={"GOFLAGS": "-mod=readonly", "GOTOOLCHAIN": "local"})
    project.timeout = COMPILE_TIMEOUT
    project.checked("stack", "init", "dev", stack=False)
    project.set_config("greeting", "hi")
    project.set_config("token", "s3cret-token", secret=True)

    goes_up_with_its_config_and_is_destroyed(project)
    assert (folder / "go.mod").read_bytes() == (FIXTURE / "go.mod").read_bytes()


@pytest.mark.timeout(COMPILE_TIMEOUT)
def test_the_docs_go_program_compiles(tmp_path: Path) -> None:
    """tests/e2e/fixtures/go-catalog, whose excerpts are the docs' Go examples (tests/unit/test_docs_go.py): it vets
    and builds against this repository's sdk/go (a replace in its go.mod), its go.mod and go.sum complete."""
    folder = REPO / "tests" / "e2e" / "fixtures" / "go-catalog"
    env = {**os.environ, "GOFLAGS": "-mod=readonly", "GOTOOLCHAIN": "local"}
    for args in (["go", "vet", "."], ["go", "build", "-o", str(tmp_path / "go-catalog"), "."]):
        done = subprocess.run(args, cwd=folder, env=env, capture_output=True, text=True, timeout=COMPILE_TIMEOUT)
        assert done.returncode == 0, f"{' '.join(args)}: {done.stdout}{done.stderr}"
    assert (tmp_path / "go-catalog").is_file()


@pytest.mark.timeout(COMPILE_TIMEOUT + 600)
def test_the_docs_go_program_bootstraps_its_catalog_and_is_destroyed(tmp_path: Path, emulator: Emulator) -> None:
    """tests/e2e/fixtures/go-catalog, copied out of the repository (its replace pointed at this checkout's sdk/go, as
    a user's before a release is tagged), through the real CLI and the Go host with the native plugin on PATH: the
    data source, its plan, and the group of that plan and Stripe's looked-up gold_monthly; destroy removes only what
    the program made."""
    folder = tmp_path / "go-catalog"
    shutil.copytree(REPO / "tests" / "e2e" / "fixtures" / "go-catalog", folder)
    go_mod = folder / "go.mod"
    go_mod.write_text(go_mod.read_text(encoding="utf-8").replace("=> ../../../../sdk/go", f"=> {REPO / 'sdk' / 'go'}"),
                      encoding="utf-8")
    (folder / "Pulumi.yaml").write_text("name: go-catalog\nruntime: go\n", encoding="utf-8")
    seed = json.loads((REPO / "examples" / "yaml-catalog" / "emulator-seed.json").read_text(encoding="utf-8"))
    stripe_gold = next(plan for plan in emulator.seed(seed["data_sources"])["plans"]
                       if plan["external_id"] == "gold_monthly")
    backend = tmp_path / "state"
    backend.mkdir()
    project = host_project(folder, backend, HOST_DIR, GO_DIR, plugin_on_path(tmp_path / "bin"),
                           env={"GOFLAGS": "-mod=readonly", "GOTOOLCHAIN": "local"})
    project.timeout = COMPILE_TIMEOUT
    new_stack(project, emulator)

    project.checked("up", "--yes", "--skip-preview")
    group = json.loads(project.checked("stack", "output", "--json").stdout)["premiumGroup"]
    members = {plan["uuid"] for plan in emulator.api("GET", f"/plan_groups/{group}/plans", key=KEY).json()["plans"]}
    web_shop = [source for source in emulator.api("GET", "/data_sources", key=KEY).json()["data_sources"]
                if source["name"] == "Web shop"]
    assert len(web_shop) == 1
    pro = emulator.api("GET", "/plans", key=KEY, params={"data_source_uuid": web_shop[0]["uuid"]}).json()["plans"]
    assert [plan["external_id"] for plan in pro] == ["pro_monthly"]
    assert members == {pro[0]["uuid"], stripe_gold["uuid"]}

    project.checked("destroy", "--yes", "--skip-preview")
    names = sorted(source["name"] for source in emulator.api("GET", "/data_sources", key=KEY).json()["data_sources"])
    assert names == ["Stripe"]
    assert emulator.api("GET", "/plan_groups", key=KEY).json()["plan_groups"] == []
