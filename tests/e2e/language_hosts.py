"""What a TypeScript or Go program needs from this machine in the e2e tests: Pulumi's Node.js and Go language hosts,
``pulumi-language-nodejs`` and ``pulumi-language-go`` (``make node-host``, ``make go-host``: beside the CLI, or built
from their Go module into ``.pulumi-cli/bin``), the npm packages of a TypeScript program (``make node-deps``:
``@pulumi/pulumi`` 3.248.0, typescript and @types/node in ``.tools/node/node_modules``), and ``go`` for a Go program.

Without one of them the tests that need it skip with the reason; in CI (``CI=true``) they must run, so there a
missing one fails. Nothing here skips on import: a module calls a ``require_*`` function where it wants to stop."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import NoReturn

import pytest

from pulumi_chartmogul.commands import pulumi_cli
from testkit.projects import CliProject
from tests.conftest import CLI_TIMEOUT
from tests.e2e.conftest import CLI_DIR, PASSPHRASE, REPO, CLIError

NODE_HOST = "pulumi-language-nodejs"
GO_HOST = "pulumi-language-go"
# The make target that gets each host.
TARGETS = {NODE_HOST: "node-host", GO_HOST: "go-host"}
# Where a host may be: beside the CLI the tests use, or where ``make node-host``/``make go-host`` builds it.
PLACES = list(dict.fromkeys(folder for folder in (CLI_DIR, REPO / pulumi_cli.CLI_DIR) if folder is not None))
NODE_MODULES = REPO / ".tools" / "node" / "node_modules"
# What a user's shell has: nothing of this checkout on PYTHONPATH, no ChartMogul settings.
USER_ENV = {"PYTHONPATH": "", "CHARTMOGUL_API_KEY": "", "CHARTMOGUL_ENDPOINT": "", "CHARTMOGUL_ADOPT_EXISTING": "",
            "CHARTMOGUL_ALLOWED_ACCOUNT_IDS": ""}


def missing(what: str, reason: str) -> NoReturn:
    """Skip (called at a module's top: the module) saying why; in CI, fail: there ``what`` must run."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must run the {what}, but there is {reason}", pytrace=False)
    pytest.skip(reason, allow_module_level=True)


def require_host(host: str, what: str) -> Path:
    """The folder holding the language host ``host``; else the test or module skips (in CI fails), saying why."""
    found = next((folder for folder in PLACES if os.access(folder / host, os.X_OK)), None)
    if found is not None:
        return found
    return missing(what, f"no {host} in {' or '.join(map(str, PLACES))}: run `make {TARGETS[host]}` (beside the "
                         "CLI, or a build from its Go module) to get one")


def require_node_modules(what: str) -> Path:
    """``.tools/node/node_modules`` holding ``@pulumi/pulumi`` and typescript (``make node-deps``), and ``node``
    on ``PATH``; else skip (in CI fail), saying why."""
    if shutil.which("node") is None:
        missing(what, "no node on PATH: install Node.js 20 or newer")
    if not all((NODE_MODULES / name / "package.json").is_file() for name in ("@pulumi/pulumi", "typescript")):
        missing(what, f"no @pulumi/pulumi and typescript in {NODE_MODULES}: run `make node-deps` to install them")
    return NODE_MODULES


def require_go(what: str) -> Path:
    """The folder holding ``go`` (a Go program is compiled by the Go host); else skip (in CI fail), saying why."""
    found = shutil.which("go")
    if found is None:
        missing(what, "no go on PATH: install Go (https://go.dev/dl/)")
    return Path(found).parent


def host_project(folder: Path, backend: Path, *folders: Path, env: dict[str, str] | None = None,
                 stack: str = "dev") -> CliProject:
    """The real CLI in ``folder``, in a user's environment with ``folders`` (a language host's, ``go``'s) on
    ``PATH`` after the CLI's own."""
    assert CLI_DIR is not None
    path = os.pathsep.join([*dict.fromkeys(map(str, (CLI_DIR, *folders))), os.environ.get("PATH", "")])
    return CliProject(folder, backend, CLI_DIR, stack, PASSPHRASE, env={**USER_ENV, **(env or {}), "PATH": path},
                      timeout=CLI_TIMEOUT, failure=CLIError)


def goes_up_with_its_config_and_is_destroyed(project: CliProject) -> None:
    """The smoke program of each language (config ``greeting`` "hi", secret ``token``; outputs ``message``,
    ``stack``, ``numbers``, ``token``): up, its outputs with the secret kept secret in output and state, destroy."""
    up = project.checked("up", "--yes", "--skip-preview")
    assert "s3cret-token" not in up.stdout
    assert json.loads(project.checked("stack", "output", "--json").stdout) == {
        "message": "hi, world", "stack": "dev", "numbers": [1, 2], "token": "[secret]"}
    shown = json.loads(project.checked("stack", "output", "--json", "--show-secrets").stdout)
    assert shown["token"] == "s3cret-token"
    state = project.export()["deployment"]
    assert [r["type"] for r in state["resources"]] == ["pulumi:pulumi:Stack"]
    assert "s3cret-token" not in json.dumps(state)  # encrypted in the state

    project.checked("destroy", "--yes", "--skip-preview")
    assert not project.export()["deployment"].get("resources")
