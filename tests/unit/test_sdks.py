"""The committed SDKs (sdk/, written by `make sdks`) are those of today's schema, with the package's names and
version: a change to the schema without `make sdks` fails here, in seconds and without Go. That the generator
still writes exactly these files, and that they compile, is `tests/e2e/test_sdks_build.py`."""

from __future__ import annotations

import json
import re
from pathlib import Path

from pulumi_chartmogul import __version__
from pulumi_chartmogul.provider_host.schema import GO_MODULE, NPM_PACKAGE, PLUGIN_DOWNLOAD_URL, package_schema

SDK = Path(__file__).resolve().parents[2] / "sdk"
BUILD_OUTPUTS = {"node_modules", "bin"}


def _sdk_files() -> list[Path]:
    return [path for path in SDK.rglob("*")
            if path.is_file() and not BUILD_OUTPUTS & set(path.relative_to(SDK).parts)]


def test_the_sdks_were_generated_from_today_s_schema() -> None:
    generated_from = json.loads((SDK / "schema.json").read_text(encoding="utf-8"))
    assert generated_from == package_schema(), "the SDKs are not those of the schema: run `make sdks` and commit sdk/"


def test_the_typescript_sdk_is_the_npm_package_of_this_version() -> None:
    package = json.loads((SDK / "nodejs" / "package.json").read_text(encoding="utf-8"))
    assert package["name"] == NPM_PACKAGE and package["version"] == __version__
    assert package["pulumi"] == {"resource": True, "name": "chartmogul", "version": __version__,
                                 "server": PLUGIN_DOWNLOAD_URL}
    assert package["dependencies"]["@pulumi/pulumi"] == "^3.248.0"


def test_the_go_sdk_is_the_module_of_the_repository_and_asks_for_this_version() -> None:
    go_mod = (SDK / "go" / "go.mod").read_text(encoding="utf-8")
    assert re.search(r"^module (\S+)$", go_mod, re.MULTILINE)[1] == GO_MODULE  # type: ignore[index]
    assert (SDK / "go" / "go.sum").is_file()
    plugin = json.loads((SDK / "go" / "chartmogul" / "pulumi-plugin.json").read_text(encoding="utf-8"))
    assert plugin == {"resource": True, "name": "chartmogul", "version": __version__, "server": PLUGIN_DOWNLOAD_URL}
    utilities = (SDK / "go" / "chartmogul" / "internal" / "pulumiUtilities.go").read_text(encoding="utf-8")
    assert f'semver.MustParse("{__version__}")' in utilities  # the version the SDK asks the engine for


def test_no_generated_file_is_left_with_a_version_placeholder_or_a_build_output() -> None:
    files = _sdk_files()
    assert len(files) > 30
    assert not [path for path in files if "${VERSION}" in path.read_text(encoding="utf-8")]
    assert not [path for path in files if path.suffix in (".js", ".tgz") or path.name == "package-lock.json"]


def test_build_outputs_of_the_sdks_are_git_ignored() -> None:
    assert (SDK / "nodejs" / ".gitignore").read_text(encoding="utf-8").split() == ["node_modules/", "bin/"]
