"""The plugin's release assets are where the engine looks for them: the release workflow uploads make plugin's
tarballs (tools/release/check.py names them) to the GitHub release of tag v<version>, which the schema's
``pluginDownloadURL`` names. Here that release is served from a local folder laid out as GitHub's download paths
(only the host differs), and the real CLI installs the plugin from the schema's address."""

from __future__ import annotations

import os
import subprocess
import threading
import zipfile
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from pulumi_chartmogul.provider_host import schema
from tests.conftest import CLI_TIMEOUT
from tests.e2e.conftest import CLI_DIR
from tests.release.scripts import check, tarball

VERSION: str = check.package_version()


class Handler(SimpleHTTPRequestHandler):
    requested: list[str]

    def log_message(self, format: str, *args: Any) -> None:
        self.requested.append(self.path)


@pytest.fixture
def release_server(tmp_path: Path) -> Iterator[tuple[str, Path, list[str]]]:
    """A local stand-in for github.com: (its base URL, the folder it serves, the paths asked for)."""
    root = tmp_path / "www"
    root.mkdir()
    requested: list[str] = []
    handler = type("Recording", (Handler,), {"requested": requested})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", root, requested
    finally:
        server.shutdown()
        server.server_close()


def test_the_cli_installs_the_release_tarball_from_the_schemas_address(
        tmp_path: Path, release_server: tuple[str, Path, list[str]]) -> None:
    assert CLI_DIR is not None
    base, root, requested = release_server
    address = urlsplit(schema.package_schema()["pluginDownloadURL"])
    assert (address.scheme, address.netloc) == ("https", "github.com")
    folder = root / address.path.lstrip("/")
    folder.mkdir(parents=True)
    wheel = tmp_path / f"pulumi_chartmogul-{VERSION}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("pulumi_chartmogul/__init__.py", "")
    for name in check.plugin_tarballs(VERSION):  # as the release job uploads them
        tarball.write_tarball(folder / name, wheel)

    home = tmp_path / "pulumi-home"
    env = {**os.environ, "PULUMI_HOME": str(home), "PULUMI_SKIP_UPDATE_CHECK": "true"}
    done = subprocess.run([str(CLI_DIR / "pulumi"), "plugin", "install", "resource", "chartmogul", VERSION,
                           "--server", f"{base}{address.path}", "--non-interactive"],
                          env=env, capture_output=True, text=True, timeout=CLI_TIMEOUT, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    this_platform = f"{tarball.EXECUTABLE}-v{VERSION}-{tarball.this_platform()}.tar.gz"
    assert requested == [f"{address.path}/{this_platform}"]
    installed = home / "plugins" / f"resource-chartmogul-v{VERSION}"
    assert os.access(installed / tarball.EXECUTABLE, os.X_OK)
    assert (installed / wheel.name).read_bytes() == wheel.read_bytes()
