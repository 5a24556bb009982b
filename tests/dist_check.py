"""Check a release build (``make check-dist``): what the sdist and wheel hold, and that each installs and works.

``python -m tests.dist_check DIST_DIR`` expects one ``*.tar.gz`` and one ``*.whl`` in DIST_DIR (``python -m build``
writes them). It fails when

* the sdist holds anything but the package, its metadata, README, LICENSE and the build configuration (no tests,
  no state files, no stack config);
* any file in either archive contains one of the API keys the tests use (``"sk-…"`` literals under ``tests/``);
* the metadata does not say Apache-2.0 or lacks the LICENSE file;
* installed into a clean venv (each archive in its own, with the ``emulator`` extra), the package does not import,
  its resources do not load, the provider host's executable is missing or not executable, the native plugin's
  console script ``pulumi-resource-chartmogul`` is not in the venv's ``bin`` or does not answer the plugin
  handshake (its gRPC port, alone on its first line of stdout), or the emulator does not start and answer
  ``/v1/ping``.

Only the package's own archives are looked at (``make plugin``'s tarball may sit beside them).
"""

from __future__ import annotations

import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SDIST_ALLOWED = re.compile(
    r"^(LICENSE|PKG-INFO|README\.md|pyproject\.toml|setup\.cfg"
    r"|pulumi_chartmogul/.*\.py|pulumi_chartmogul/(py\.typed|pulumi-plugin\.json)"
    r"|pulumi_chartmogul/provider_host/pulumi-resource-pulumi-python|pulumi_chartmogul\.egg-info/[^/]+)$"
)
SMOKE = r"""
import base64, os, subprocess, sys, urllib.request
import pulumi_chartmogul
from pulumi_chartmogul import DataSource, Plan
from pulumi_chartmogul.resources.import_support import EXECUTABLE
assert pulumi_chartmogul.__file__.startswith(sys.prefix), pulumi_chartmogul.__file__
assert os.access(EXECUTABLE, os.X_OK), f"{EXECUTABLE} is not installed as an executable"
plugin = os.path.join(os.path.dirname(sys.executable), "pulumi-resource-chartmogul")
assert os.access(plugin, os.X_OK), f"{plugin}, the native plugin's console script, is not installed"
server = subprocess.Popen([plugin], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
try:
    port = int(server.stdout.readline())
    assert 0 < port < 65536, port
finally:
    server.kill()
    server.wait(timeout=10)
emulator = subprocess.Popen([sys.executable, "-m", "pulumi_chartmogul.emulator", "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
try:
    root = emulator.stdout.readline().strip()
    auth = {"Authorization": "Basic " + base64.b64encode(b"k:").decode()}
    request = urllib.request.Request(root + "/ping", headers=auth)
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.read() == b'{"data":"pong!"}'
finally:
    emulator.terminate()
    assert emulator.wait(timeout=10) == 0
print("ok", pulumi_chartmogul.__version__)
"""


def test_keys() -> set[bytes]:
    keys: set[bytes] = set()
    for path in (REPO / "tests").rglob("*.py"):
        keys.update(match.encode() for match in re.findall(r"[\"'](sk-[A-Za-z0-9_-]+)[\"']", path.read_text()))
    return keys


def archive_files(path: Path) -> dict[str, bytes]:
    if path.suffix == ".whl":
        with zipfile.ZipFile(path) as wheel:
            return {name: wheel.read(name) for name in wheel.namelist() if not name.endswith("/")}
    with tarfile.open(path) as sdist:
        files = {}
        for member in sdist.getmembers():
            handle = sdist.extractfile(member) if member.isfile() else None
            if handle is not None:
                files[member.name.split("/", 1)[1]] = handle.read()
        return files


def problems_in(path: Path, keys: set[bytes]) -> list[str]:
    files = archive_files(path)
    problems = [f"{path.name}: {name} contains a test API key" for name, data in files.items()
                if any(key in data for key in keys)]
    if path.suffix != ".whl":
        problems += [f"{path.name}: {name} does not belong in the sdist" for name in files
                     if not SDIST_ALLOWED.match(name)]
    metadata = next((data for name, data in files.items() if name.endswith(("PKG-INFO", ".dist-info/METADATA"))), b"")
    if b"License-Expression: Apache-2.0" not in metadata:
        problems.append(f"{path.name}: metadata has no License-Expression: Apache-2.0")
    if not any(name == "LICENSE" or name.endswith("/licenses/LICENSE") for name in files):
        problems.append(f"{path.name}: no LICENSE file")
    return problems


def installs_and_works(path: Path) -> list[str]:
    with tempfile.TemporaryDirectory(prefix="dist-check-") as tmp:
        venv = Path(tmp) / "venv"
        python = venv / "bin" / "python"
        steps = [
            [sys.executable, "-m", "venv", str(venv)],
            [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-cache-dir",
             f"pulumi-chartmogul[emulator] @ {path.resolve().as_uri()}"],
            [str(python), "-c", SMOKE],
        ]
        for step in steps:
            done = subprocess.run(step, cwd=tmp, capture_output=True, text=True, timeout=900)
            if done.returncode != 0:
                return [f"{path.name}: {' '.join(step[:4])} … failed:\n{done.stdout}{done.stderr}"]
        print(f"{path.name}: installs in a clean venv, imports, emulator answers ({done.stdout.strip()})")
    return []


def main(argv: list[str]) -> int:
    dist = Path(argv[0]) if argv else REPO / "dist"
    archives = sorted(dist.glob("pulumi_chartmogul-*.tar.gz")) + sorted(dist.glob("pulumi_chartmogul-*.whl"))
    if len(archives) != 2:
        print(f"expected one sdist and one wheel in {dist}, found {[a.name for a in archives]}", file=sys.stderr)
        return 1
    keys = test_keys()
    problems = [problem for archive in archives for problem in problems_in(archive, keys)]
    if not problems:
        problems = [problem for archive in archives for problem in installs_and_works(archive)]
    print("\n".join(problems) or f"{', '.join(a.name for a in archives)}: clean", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
