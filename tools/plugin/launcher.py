#!/usr/bin/env python3
"""``pulumi-resource-chartmogul``: the executable of the plugin tarball ``make plugin`` builds
(``tools/plugin/tarball.py`` copies this file into it under that name).

The plugin is written in Python, so the tarball holds this launcher and the package's wheel, nothing else of the
build machine. On its first run the launcher makes a virtualenv beside itself (``venv/`` in the plugin's folder,
e.g. ``~/.pulumi/plugins/resource-chartmogul-v0.3.0/``) with the ``python3`` it runs under and installs the bundled
wheel there with pip (its dependencies, pulumi among them, from the user's package index: PyPI unless pip is
configured otherwise); pip's output goes to ``setup.log`` beside it. Every run then hands over to that virtualenv's
``pulumi-resource-chartmogul`` (the wheel's console script), so the plugin runs exactly the version it was installed
as, whatever else the machine has installed.

Needs Python 3.11 or newer with its ``venv`` module (Debian: ``python3-venv``); ``PULUMI_CHARTMOGUL_PYTHON`` names
another interpreter. ``--prepare`` does the first-run set-up and exits (the engine never passes it). The launcher uses
the standard library only and keeps to syntax old Pythons parse, so an old one is told what it needs.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NoReturn

NAME = "pulumi-resource-chartmogul"
MINIMUM = (3, 11)
HERE = Path(__file__).resolve().parent
VENV = HERE / "venv"
# Written last, holding the wheel's name: the virtualenv is complete, for this wheel.
READY = VENV / ".chartmogul-ready"
LOG = HERE / "setup.log"
LOCK = HERE / ".setup.lock"
PYTHON_VARIABLE = "PULUMI_CHARTMOGUL_PYTHON"
REEXECUTED = "_PULUMI_CHARTMOGUL_LAUNCHER_PYTHON"
# Variables that would make the virtualenv's Python import something other than what it installed.
FOREIGN = ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV", "PYTHONNOUSERSITE")


def fail(message: str) -> NoReturn:
    sys.stderr.write(f"{NAME}: {message}\n")
    sys.exit(1)


def clean_environment() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in FOREIGN and key != REEXECUTED}
    env["PYTHONNOUSERSITE"] = "1"  # nothing from ~/.local either
    return env


def interpreter() -> None:
    """Run under ``PULUMI_CHARTMOGUL_PYTHON`` when it names another interpreter; check the version."""
    wanted = os.environ.get(PYTHON_VARIABLE)
    if wanted and not os.environ.get(REEXECUTED):
        found = shutil.which(wanted)
        if found is None:
            fail(f"{PYTHON_VARIABLE}={wanted} is not an executable")
        os.environ[REEXECUTED] = "1"
        os.execv(found, [found, str(Path(__file__).resolve()), *sys.argv[1:]])
    if sys.version_info < MINIMUM:
        fail(f"needs Python {MINIMUM[0]}.{MINIMUM[1]} or newer, and {sys.executable} is "
             f"{sys.version.split()[0]}: put a newer python3 first on PATH, or set {PYTHON_VARIABLE} to one")


def bundled_wheel() -> Path:
    wheels = sorted(HERE.glob("pulumi_chartmogul-*.whl"))
    if len(wheels) != 1:
        fail(f"expected one pulumi_chartmogul wheel beside this launcher in {HERE}, found {len(wheels)}: "
             "reinstall the plugin (pulumi plugin install resource chartmogul <version> --file <tarball> --reinstall)")
    return wheels[0]


def ready(wheel: Path) -> bool:
    try:
        return READY.read_text(encoding="utf-8") == wheel.name
    except OSError:
        return False


def set_up(wheel: Path) -> None:
    """The virtualenv with the bundled wheel installed, made once; other runs started meanwhile wait for it."""
    if ready(wheel):
        return
    with LOCK.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if ready(wheel):
            return
        sys.stderr.write(f"{NAME}: first run: installing {wheel.name} and its dependencies into {VENV} "
                         f"(once; pip's output in {LOG}) ...\n")
        shutil.rmtree(VENV, ignore_errors=True)
        env = clean_environment()
        with LOG.open("w", encoding="utf-8") as log:
            steps = [
                [sys.executable, "-m", "venv", str(VENV)],
                [str(VENV / "bin" / "python"), "-m", "pip", "install", "--disable-pip-version-check", "--no-input",
                 str(wheel)],
            ]
            for step in steps:
                log.write(f"$ {' '.join(step)}\n")
                log.flush()
                if subprocess.run(step, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env,
                                  check=False).returncode != 0:
                    log.close()
                    tail = "".join(LOG.read_text(encoding="utf-8", errors="replace").splitlines(True)[-15:])
                    shutil.rmtree(VENV, ignore_errors=True)
                    fail(f"setting up failed ({' '.join(step[1:3])}); the end of {LOG}:\n{tail}"
                         "Needs Python's venv module (Debian: apt install python3-venv) and a package index pip "
                         "can reach (PyPI, or pip's own configuration); the next run tries again.")
        READY.write_text(wheel.name, encoding="utf-8")


def main() -> None:
    interpreter()
    wheel = bundled_wheel()
    try:
        set_up(wheel)
    except OSError as error:
        fail(f"cannot set up in {HERE} ({error}): run it once with --prepare as a user who may write there")
    if sys.argv[1:] == ["--prepare"]:
        sys.stderr.write(f"{NAME}: ready in {VENV}\n")
        return
    executable = VENV / "bin" / NAME
    with contextlib.suppress(OSError):
        os.execve(executable, [str(executable), *sys.argv[1:]], clean_environment())
    fail(f"{executable} cannot be started: remove {VENV} and run again")


if __name__ == "__main__":
    main()
