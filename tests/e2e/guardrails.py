"""The guardrails policy pack for the e2e tests: written by ``pulumi-chartmogul policy-pack`` into a test's folder,
with a virtualenv made once.

The pack's virtualenv holds only pulumi-policy (the rules are copied into each pack), so one made for these
requirements serves every test, worker and run of this checkout: it is kept in ``.tools/policy-pack``
(git-ignored, kept by ``make clean``) under a key of the requirements and the interpreter, and made when missing by
the command's own ``--install``, under a file lock so that one worker makes it and the others wait for it.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from pulumi_chartmogul.commands import policy_pack
from tests.e2e.conftest import REPO

PACK_CACHE = REPO / ".tools" / "policy-pack"
STREAMING = {"PULUMI_ENABLE_STREAMING_JSON_PREVIEW": "true"}  # the --json whose events carry the policies' findings


@functools.cache
def pack_venv() -> Path:
    """The pack's virtualenv, made by ``pulumi-chartmogul policy-pack DIR --install`` when this checkout has none."""
    key = hashlib.sha256(f"{policy_pack.pack_files()['requirements.txt']}{sys.version}".encode()).hexdigest()[:16]
    PACK_CACHE.mkdir(parents=True, exist_ok=True)
    folder = PACK_CACHE / key
    with open(PACK_CACHE / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        ready = folder / "ready"
        if not ready.exists():
            shutil.rmtree(folder, ignore_errors=True)  # what a failed or interrupted attempt left
            made = subprocess.run([sys.executable, "-m", "pulumi_chartmogul", "policy-pack", str(folder),
                                   "--install"], capture_output=True, text=True, timeout=240, check=False)
            assert made.returncode == 0, made.stdout + made.stderr
            assert f"pulumi-policy {policy_pack.POLICY_VERSION}" in made.stdout
            ready.write_text("")
    return folder / "venv"


def write_pack(folder: Path) -> Path:
    """A pack written by the command into ``folder``, the shared virtualenv linked in; its launcher."""
    written = subprocess.run([sys.executable, "-m", "pulumi_chartmogul", "policy-pack", str(folder)],
                             capture_output=True, text=True, timeout=60, check=False)
    assert written.returncode == 0, written.stderr
    (folder / "venv").symlink_to(pack_venv())
    launcher = folder / policy_pack.LAUNCHER
    assert os.access(launcher, os.X_OK)
    return launcher
