"""The guardrails pack on the native face: a Pulumi YAML program's ``chartmogul:index:*`` resources, camelCase, through
the real CLI, its YAML language host and the native plugin, against the emulator. The rules name each resource and
field in the program's own spelling (``forceDestroy``, ``intervalUnit``, ``externalId``), and the preview the pack
stops sends nothing that writes.

Without the YAML host the test skips with the reason; in CI (``CI=true``) it must run."""

from __future__ import annotations

import json
from pathlib import Path

from pulumi_chartmogul.commands import preview_stream
from testkit.emulator import Emulator
from tests.e2e.conftest import KEY
from tests.e2e.guardrails import STREAMING, write_pack
from tests.e2e.yaml_host import plugin_on_path, require_host, yaml_project

HOST_DIR = require_host()

PROGRAM = """\
name: guarded-yaml
runtime: yaml
resources:
  billing:
    type: chartmogul:index:DataSource
    properties:
      name: YAML billing
      forceDestroy: true
  daily:
    type: chartmogul:index:Plan
    properties:
      dataSourceUuid: ${billing.uuid}
      name: Daily
      intervalCount: 1
      intervalUnit: day
      externalId: daily-plan
"""


def test_native_resources_are_checked_in_their_own_spelling(tmp_path: Path, emulator: Emulator) -> None:
    folder = tmp_path / "program"
    folder.mkdir()
    (folder / "Pulumi.yaml").write_text(PROGRAM, encoding="utf-8")
    (tmp_path / "state").mkdir()
    project = yaml_project(folder, tmp_path / "state", HOST_DIR, plugin_on_path(tmp_path / "bin"))
    project.checked("stack", "init", "dev", stack=False)
    project.set_config("chartmogul:endpoint", emulator.api_root)
    project.set_config("chartmogul:apiKey", KEY, secret=True)
    config = tmp_path / "policy-config.json"
    config.write_text(json.dumps({"chartmogul-plan-intervals": {"allowedUnits": ["month", "year"]}}))
    launcher = write_pack(tmp_path / "pack")

    done = project.run("preview", "--json", "--policy-pack", str(launcher), "--policy-pack-config", str(config),
                       env=STREAMING)
    preview = preview_stream.read(done.stdout)
    assert done.returncode != 0, done.stderr
    assert sorted((v.level, v.policy, v.kind, v.resource) for v in preview.violations) == [
        ("advisory", "chartmogul-plans-grouped", "Plan", "daily"),
        ("mandatory", "chartmogul-data-sources-protected", "DataSource", "billing"),
        ("mandatory", "chartmogul-data-sources-protected", "DataSource", "billing"),
        ("mandatory", "chartmogul-plan-intervals", "Plan", "daily"),
        ("mandatory", "chartmogul-plan-naming", "Plan", "daily")], preview
    messages = "\n".join(v.message for v in preview.violations)
    assert "DataSource 'billing' (YAML billing) is not protected" in messages
    assert "DataSource 'billing' (YAML billing) sets forceDestroy" in messages
    assert "Plan 'daily' (Daily) is billed per day (intervalUnit: day)" in messages
    assert "Plan 'daily' (Daily) has externalId 'daily-plan'" in messages
    assert [route for route in emulator.stats()["by_route"] if not route.startswith("GET ")] == []
