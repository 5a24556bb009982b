"""The emulator is a FastAPI app, not a Pulumi program: importing it (or the package root) never imports Pulumi."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def modules_after(statement: str) -> list[str]:
    """The top-level packages a fresh interpreter has loaded after ``statement``."""
    code = f"import json, sys\n{statement}\nprint(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}})))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    return list(json.loads(done.stdout))


@pytest.mark.parametrize("statement", [
    "import pulumi_chartmogul",
    "import pulumi_chartmogul.emulator.app, pulumi_chartmogul.emulator.__main__",
    "import pulumi_chartmogul.api.client, pulumi_chartmogul.api.settings, pulumi_chartmogul.api.errors",
])
def test_no_pulumi_is_imported(statement: str) -> None:
    loaded = modules_after(statement)
    assert "pulumi_chartmogul" in loaded
    assert "pulumi" not in loaded


def test_declaring_resources_imports_pulumi_and_installs_the_serialize_provider_fix() -> None:
    code = ("from pulumi_chartmogul import DataSource\n"
            "from pulumi.dynamic import dynamic\n"
            "assert dynamic.serialize_provider._chartmogul_fixed")
    assert "pulumi" in modules_after(code)
