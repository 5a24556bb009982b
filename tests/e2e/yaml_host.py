"""What a YAML program needs from this machine in the e2e tests: Pulumi's YAML language host,
``pulumi-language-yaml`` (``make yaml-host``: beside the CLI, or built from its Go module into ``.pulumi-cli/bin``),
and the native plugin ``pulumi-resource-chartmogul`` on ``PATH``, the way ``pipx install pulumi-chartmogul`` puts
it there.

Without the host the tests that need it skip with the reason; in CI (``CI=true``) they must run, so there a missing
host fails. Nothing here skips on import: a module calls :func:`require_host` where it wants to stop."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pulumi_chartmogul.commands import pulumi_cli
from testkit.projects import CliProject
from tests.conftest import CLI_TIMEOUT
from tests.e2e.conftest import CLI_DIR, PASSPHRASE, REPO, VENV, CLIError

HOST = "pulumi-language-yaml"
PLUGIN = "pulumi-resource-chartmogul"
# Where the YAML host may be: beside the CLI the tests use, or where ``make yaml-host`` builds it.
PLACES = list(dict.fromkeys(folder for folder in (CLI_DIR, REPO / pulumi_cli.CLI_DIR) if folder is not None))
HOST_DIR = next((folder for folder in PLACES if os.access(folder / HOST, os.X_OK)), None)
# What a user's shell has: no ChartMogul settings but the stack's, nothing of this checkout on PYTHONPATH.
USER_ENV = {"PYTHONPATH": "", "CHARTMOGUL_API_KEY": "", "CHARTMOGUL_ENDPOINT": "", "CHARTMOGUL_ADOPT_EXISTING": "",
            "CHARTMOGUL_ALLOWED_ACCOUNT_IDS": ""}


def require_host() -> Path:
    """The folder holding the YAML language host; else the test (or, called at a module's top, the module) skips
    saying why, and in CI fails."""
    if HOST_DIR is not None:
        return HOST_DIR
    reason = (f"no {HOST} in {' or '.join(map(str, PLACES))}: run `make yaml-host` (beside the CLI, or a build "
              "from its Go module) to get one")
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must run the YAML e2e tests, but there is {reason}", pytrace=False)
    pytest.skip(reason, allow_module_level=True)


def plugin_on_path(folder: Path) -> Path:
    """``folder`` holding only a link to this checkout's plugin (the virtualenv's console script), as pipx's ``bin``
    holds one to its own: the CLI finds it on ``PATH`` and nothing else of the virtualenv comes with it."""
    executable = VENV / "bin" / PLUGIN
    if not os.access(executable, os.X_OK):
        pytest.fail(f"no {executable}: the package's console script is missing; `pip install -e .` (or any make "
                    "target, which reinstalls when pyproject.toml changes) installs it", pytrace=False)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / PLUGIN).symlink_to(executable)
    return folder


def yaml_path(host_dir: Path, plugin_dir: Path) -> str:
    """``PATH`` for the CLI of a YAML program: the CLI's folder, the host's, the plugin's, then the caller's."""
    assert CLI_DIR is not None
    folders = dict.fromkeys(map(str, (CLI_DIR, host_dir, plugin_dir)))
    return os.pathsep.join([*folders, os.environ.get("PATH", "")])


def yaml_project(folder: Path, backend: Path, host_dir: Path, plugin_dir: Path, stack: str = "dev") -> CliProject:
    """The real CLI in ``folder``, in a user's environment with the YAML host and the plugin on ``PATH``."""
    assert CLI_DIR is not None
    return CliProject(folder, backend, CLI_DIR, stack, PASSPHRASE,
                      env={**USER_ENV, "PATH": yaml_path(host_dir, plugin_dir)}, timeout=CLI_TIMEOUT, failure=CLIError)
