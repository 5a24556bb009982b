"""The native plugin ``chartmogul`` as a user of another language gets it, from folders outside this checkout:

* the wheel installed with pip into a fresh virtualenv puts ``pulumi-resource-chartmogul`` on that virtualenv's
  ``bin`` (what ``pipx install pulumi-chartmogul`` puts on PATH), and it answers as a plugin does;
* ``make plugin``'s tarball (``tools/plugin/tarball.py``) installs with
  ``pulumi plugin install resource chartmogul <version> --file <tarball>``, its launcher sets itself up on first run
  and serves the schema, and nothing installed names a path of the build machine;
* a Python program whose virtualenv has the package is not asked for a ``chartmogul`` plugin (the package's
  ``pulumi-plugin.json`` says ``"resource": false``), shown against the same virtualenv with that file flipped.
"""

from __future__ import annotations

import json
import os
import select
import socket
import subprocess
import sys
import tarfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from pulumi_chartmogul._version import __version__
from testkit.processes import MARK_VARIABLE, kill_group, new_mark
from testkit.projects import CliProject
from tests.conftest import CLI_TIMEOUT
from tests.e2e.conftest import CLI_DIR, PASSPHRASE, REPO, CLIError

EXECUTABLE = "pulumi-resource-chartmogul"
TARBALL_SCRIPT = REPO / "tools" / "plugin" / "tarball.py"


def user_env(**extra: str) -> dict[str, str]:
    """A user's shell: the CLI and the system's Python on PATH, nothing of this checkout (no PYTHONPATH, no .venv)."""
    assert CLI_DIR is not None
    path = os.pathsep.join([str(CLI_DIR), str(Path(sys.base_prefix) / "bin"), "/usr/bin", "/bin"])
    return {**os.environ, "PATH": path, "PYTHONPATH": "", "VIRTUAL_ENV": "", **extra}


def cli(folder: Path, home: Path) -> CliProject:
    """The real CLI in ``folder`` with ``PULUMI_HOME`` at ``home`` (its own plugin cache)."""
    assert CLI_DIR is not None
    backend = folder / ".state"
    backend.mkdir(parents=True, exist_ok=True)
    env = {key: value for key, value in user_env(PULUMI_HOME=str(home)).items() if key in ("PATH", "PYTHONPATH",
                                                                                          "VIRTUAL_ENV", "PULUMI_HOME")}
    return CliProject(folder, backend, CLI_DIR, "dev", PASSPHRASE, env=env, timeout=CLI_TIMEOUT, failure=CLIError)


class Build:
    """``make plugin``'s tarball, built in a scratch folder, and the wheel inside it."""

    def __init__(self, scratch: Path) -> None:
        self.scratch = scratch
        temporary = scratch / "tmp"  # where the wheel is built: its path must not reach the tarball
        temporary.mkdir()
        made = subprocess.run([sys.executable, str(TARBALL_SCRIPT), "--out", str(scratch / "dist")], cwd=scratch,
                              capture_output=True, text=True, timeout=CLI_TIMEOUT,
                              env={**os.environ, "TMPDIR": str(temporary)})
        assert made.returncode == 0, made.stderr
        self.tarball = Path(made.stdout.strip().splitlines()[-1])
        with tarfile.open(self.tarball) as archive:
            self.members = {member.name: member for member in archive.getmembers()}
            archive.extractall(scratch / "contents", filter="data")
        [self.wheel] = (scratch / "contents").glob("pulumi_chartmogul-*.whl")

    @property
    def machine_paths(self) -> list[bytes]:
        """Paths of the build machine that nothing shipped or installed may contain."""
        return [str(REPO).encode(), str(self.scratch).encode()]


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    return Build(tmp_path_factory.mktemp("plugin-build"))


@pytest.fixture(scope="module")
def virtualenv(tmp_path_factory: pytest.TempPathFactory, build: Build) -> Path:
    """A fresh virtualenv with the wheel installed by pip, as a user (or pipx) installs it."""
    venv = tmp_path_factory.mktemp("user") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=CLI_TIMEOUT)
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    str(build.wheel)], check=True, capture_output=True, timeout=CLI_TIMEOUT, env=user_env())
    return venv


def files_naming(folder: Path, needles: list[bytes]) -> list[str]:
    """Every file under ``folder`` (the wheel's entries too) that contains one of ``needles``."""
    found = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.is_symlink():
            continue
        blobs = [path.read_bytes()]
        if path.suffix == ".whl":
            with zipfile.ZipFile(path) as wheel:
                blobs += [wheel.read(name) for name in wheel.namelist()]
        if any(needle in blob for blob in blobs for needle in needles):
            found.append(str(path.relative_to(folder)))
    return found


@pytest.fixture
def started_plugin(virtualenv: Path, tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """The virtualenv's ``pulumi-resource-chartmogul`` started as the engine starts a plugin (in a session of its own,
    marked, so it and all it starts are killed after the test)."""
    mark = new_mark()
    process = subprocess.Popen([str(virtualenv / "bin" / EXECUTABLE)], cwd=tmp_path, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True, start_new_session=True,
                               env={**user_env(), MARK_VARIABLE: mark})
    try:
        yield process, mark
    finally:
        kill_group(process, mark)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


def first_line(process: subprocess.Popen[str], timeout: float) -> str:
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], timeout)
    assert ready, f"no line on stdout within {timeout} s"
    return process.stdout.readline()


def test_the_wheel_puts_the_plugin_on_the_virtualenv_s_path(virtualenv: Path, tmp_path: Path,
                                                            started_plugin: tuple[subprocess.Popen[str], str]) -> None:
    executable = virtualenv / "bin" / EXECUTABLE
    assert os.access(executable, os.X_OK)
    assert f"{virtualenv}/bin/python" in executable.read_text()[:400]  # the console script, of this venv's Python

    # The handshake: a plugin prints the port it serves gRPC on, alone on its first line of stdout.
    process, _ = started_plugin
    started = time.monotonic()
    line = first_line(process, timeout=60)
    port = int(line.strip())
    assert 0 < port < 65536, line
    with socket.create_connection(("127.0.0.1", port), timeout=10):
        pass
    assert process.poll() is None
    assert time.monotonic() - started < 30

    # The engine asks it for its schema (as a YAML program's first run does), from a folder of no project.
    schema = json.loads(cli(tmp_path, tmp_path / "home").checked("package", "get-schema", str(executable),
                                                                   stack=False).stdout)
    assert (schema["name"], schema["version"]) == ("chartmogul", __version__)


def test_the_plugin_tarball_installs_and_names_no_path_of_the_build_machine(build: Build, tmp_path: Path) -> None:
    # What `pulumi plugin install --file` unpacks into the plugin's folder: the executable at the top.
    name = f"{EXECUTABLE}-v{__version__}-"
    assert build.tarball.name.startswith(name) and build.tarball.name.endswith(".tar.gz"), build.tarball.name
    assert set(build.members) == {EXECUTABLE, build.wheel.name, "LICENSE"}
    launcher = build.members[EXECUTABLE]
    assert launcher.isfile() and launcher.mode == 0o755
    assert all((m.uid, m.gid, m.uname, m.gname) == (0, 0, "", "") for m in build.members.values())
    assert build.wheel.name == f"pulumi_chartmogul-{__version__}-py3-none-any.whl"
    assert files_naming(build.scratch / "contents", build.machine_paths) == []
    assert build.tarball.read_bytes().count(str(REPO).encode()) == 0

    home = tmp_path / "pulumi-home"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    user = cli(elsewhere, home)
    user.checked("plugin", "install", "resource", "chartmogul", __version__, "--file", str(build.tarball),
                 stack=False)
    listed = json.loads(user.checked("plugin", "ls", "--json", stack=False).stdout)
    assert [(p["name"], p["kind"], p["version"]) for p in listed] == [("chartmogul", "resource", __version__)]
    folder = home / "plugins" / f"resource-chartmogul-v{__version__}"
    assert sorted(path.name for path in folder.iterdir()) == sorted(build.members)
    installed = folder / EXECUTABLE
    assert os.access(installed, os.X_OK)

    # Its first run makes the plugin's virtualenv beside it from the bundled wheel, then serves the schema.
    schema = json.loads(user.checked("package", "get-schema", str(installed), stack=False).stdout)
    assert (schema["name"], schema["version"]) == ("chartmogul", __version__)
    assert (folder / "venv" / "bin" / EXECUTABLE).is_file()
    # Later runs hand over at once.
    again = subprocess.run([str(installed), "--prepare"], capture_output=True, text=True, timeout=60, cwd=elsewhere,
                           env=user_env())
    assert again.returncode == 0 and "first run" not in again.stderr, again.stderr

    assert files_naming(folder, build.machine_paths) == []


def test_a_python_program_using_the_package_is_not_asked_for_the_plugin(build: Build, virtualenv: Path,
                                                                       tmp_path: Path) -> None:
    """The Python language host asks for a resource plugin named after every installed ``pulumi-*`` package at its
    version unless the package's ``pulumi-plugin.json`` says ``"resource": false``. With the plugin installed,
    ``pulumi plugin ls --project`` lists what the host asks for."""
    home = tmp_path / "pulumi-home"
    program = tmp_path / "program"
    program.mkdir()
    (program / "Pulumi.yaml").write_text(f"name: uses-the-package\nruntime:\n  name: python\n  options:\n"
                                         f"    virtualenv: {virtualenv}\n", encoding="utf-8")
    (program / "__main__.py").write_text("import pulumi_chartmogul\n", encoding="utf-8")
    user = cli(program, home)
    user.checked("plugin", "install", "resource", "chartmogul", __version__, "--file", str(build.tarball),
                 stack=False)

    def asked() -> list[tuple[str, str]]:
        plugins = json.loads(user.checked("plugin", "ls", "--project", "--json", stack=False).stdout)
        return [(p["name"], p["version"]) for p in plugins if p["kind"] == "resource"]

    [manifest] = (virtualenv / "lib").glob("python3*/site-packages/pulumi_chartmogul/pulumi-plugin.json")
    shipped = manifest.read_text(encoding="utf-8")
    assert json.loads(shipped) == {"resource": False}
    assert asked() == []
    try:  # the same virtualenv with the flag turned over: the host asks for chartmogul at the wheel's version
        manifest.write_text('{"resource": true}\n', encoding="utf-8")
        assert asked() == [("chartmogul", __version__)]
    finally:
        manifest.write_text(shipped, encoding="utf-8")
