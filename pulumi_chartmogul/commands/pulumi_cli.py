"""Where the Pulumi CLI comes from for ``make demo`` and the e2e tests, and the environment it runs in here.

The order (PATH, an earlier install, the official installer, a build from pulumi's Go modules) lives in one place,
``tools/pulumi-cli.sh`` (``make pulumi-cli``); this module runs it, or, outside a checkout, looks where it
installs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path

CLI_DIR = Path(".pulumi-cli") / "bin"
INSTALL_SCRIPT = Path("tools") / "pulumi-cli.sh"
# Everything `pulumi up` of a Python program needs, in one folder (the CLI finds the rest beside itself).
PARTS = ("pulumi", "pulumi-language-python", "pulumi-language-python-exec", "pulumi-resource-pulumi-python")
# configure() receives the stack config only from engines of 3.139 on (pulumi#17673).
MINIMUM_VERSION = "3.139.0"
# The most a cold Go build may take on 2 cores (measured: 9 min 42 s with empty Go caches on a busy machine).
BUILD_TIMEOUT_SECONDS = 3600.0


def complete(folder: Path) -> bool:
    return all(os.access(folder / part, os.X_OK) and (folder / part).is_file() for part in PARTS)


def find(project_dir: Path) -> Path | None:
    """The folder of a complete CLI already here: ``<project>/.pulumi-cli/bin``, else the one on PATH."""
    local = project_dir / CLI_DIR
    if complete(local):
        return local
    on_path = shutil.which("pulumi")
    if on_path and complete(Path(on_path).parent):
        return Path(on_path).parent
    return None


def obtain(project_dir: Path, timeout: float = BUILD_TIMEOUT_SECONDS) -> Path | None:
    """The folder of a complete CLI, obtained as ``make pulumi-cli`` does (progress on stderr), or None.

    Outside a checkout (no ``tools/pulumi-cli.sh``) only :func:`find` looks.
    """
    script = project_dir / INSTALL_SCRIPT
    if not script.is_file():
        return find(project_dir)
    result = subprocess.run(["bash", str(script)], cwd=project_dir, stdout=subprocess.PIPE, text=True,
                            timeout=timeout, check=False)
    lines = result.stdout.strip().splitlines()
    if result.returncode != 0 or not lines:
        return None
    folder = Path(lines[-1])
    return folder if complete(folder) else None


def offline_env(cli_dir: Path, backend: Path, passphrase: str,
                extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The CLI's environment for a local run: this CLI first on PATH, a file backend, no Pulumi Cloud, no update
    check, no plugin downloads (everything the engine needs is in ``cli_dir``)."""
    return {
        **os.environ,
        "PATH": os.pathsep.join([str(cli_dir), os.environ.get("PATH", "")]),
        "PULUMI_BACKEND_URL": backend.resolve().as_uri(),
        "PULUMI_CONFIG_PASSPHRASE": passphrase,
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
        **(extra or {}),
    }
