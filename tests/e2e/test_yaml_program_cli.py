"""A Pulumi YAML program (``runtime: yaml``, the language of the native plugin's simplest users) through the real CLI
and its YAML language host, ``pulumi-language-yaml`` (``make yaml-host``: beside the CLI, or built from its Go
module into ``.pulumi-cli/bin``).

Without the host the test skips with the reason; in CI (``CI=true``) it must run, so there a missing host fails."""

from __future__ import annotations

import json
import os
from pathlib import Path

from testkit.projects import CliProject
from tests.conftest import CLI_TIMEOUT
from tests.e2e.conftest import CLI_DIR, PASSPHRASE, CLIError
from tests.e2e.language_hosts import goes_up_with_its_config_and_is_destroyed
from tests.e2e.yaml_host import require_host

PROGRAM = """\
name: yaml-smoke
runtime: yaml
description: a program with no resource, to prove the YAML language host runs
config:
  greeting:
    type: string
    default: hello
  token:
    type: string
    secret: true
outputs:
  message: ${greeting}, world
  stack: ${pulumi.stack}
  numbers: [1, 2]
  token: ${token}
"""


HOST_DIR = require_host()


def test_a_yaml_program_goes_up_and_is_destroyed(tmp_path: Path) -> None:
    assert CLI_DIR is not None and HOST_DIR is not None
    folder = tmp_path / "program"
    folder.mkdir()
    (folder / "Pulumi.yaml").write_text(PROGRAM, encoding="utf-8")
    backend = tmp_path / "state"
    backend.mkdir()
    # The host first on PATH, then the CLI's folder (the engine finds language hosts beside itself or on PATH).
    path = os.pathsep.join([str(HOST_DIR), str(CLI_DIR), os.environ.get("PATH", "")])
    project = CliProject(folder, backend, CLI_DIR, "dev", PASSPHRASE, env={"PATH": path}, timeout=CLI_TIMEOUT,
                         failure=CLIError)
    project.checked("stack", "init", "dev", stack=False)
    project.set_config("greeting", "hi")
    project.set_config("token", "s3cret-token", secret=True)

    preview = json.loads(project.checked("preview", "--json").stdout)
    assert [step["op"] for step in preview["steps"]] == ["create"]  # the stack itself, nothing else

    goes_up_with_its_config_and_is_destroyed(project)
