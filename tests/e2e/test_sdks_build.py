"""The committed SDKs as a contributor and a user build them: `make sdks` (tools/sdks.sh, Pulumi's codegen in
tools/sdkgen) writes exactly the files of sdk/, the Go SDK builds, and the TypeScript SDK compiles, packs and
installs into a program with @pulumi/pulumi 3.248.0 (the newest for node 20).

They need Go (and node and npm for the TypeScript one) and the registries or warm caches: outside CI a missing tool
skips the test with the reason; in CI (``CI=true``) it fails the run. The Go builds can take minutes on cold caches,
hence the longer limits.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SDK = REPO / "sdk"
BUILD_OUTPUTS = {"node_modules", "bin"}
GO_ENV = {**os.environ, "GOTOOLCHAIN": "local", "GOFLAGS": "-mod=readonly"}
BUILD_LIMIT = 1500  # s: a Go build on empty caches on 2 cores
# One worker runs them in turn: two Go builds at once on 2 cores only slow each other (and share nothing).
pytestmark = pytest.mark.xdist_group("sdk-builds")


def _need(*tools: str) -> None:
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if not missing:
        return
    reason = f"{' and '.join(missing)} not installed: the SDK builds need it"
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must build the SDKs, but {reason}", pytrace=False)
    pytest.skip(reason)


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=BUILD_LIMIT - 60)
    assert done.returncode == 0, f"{' '.join(args)} in {cwd} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _tree(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in root.rglob("*")
            if path.is_file() and not BUILD_OUTPUTS & set(path.relative_to(root).parts)}


@pytest.mark.timeout(BUILD_LIMIT)
def test_make_sdks_writes_exactly_the_committed_sdks(tmp_path: Path) -> None:
    _need("go")
    _run(["bash", str(REPO / "tools" / "sdks.sh"), sys.executable, str(tmp_path / "sdk")], REPO)
    generated, committed = _tree(tmp_path / "sdk"), _tree(SDK)
    assert sorted(generated) == sorted(committed), "run `make sdks` and commit sdk/"
    assert [name for name in generated if generated[name] != committed[name]] == [], "run `make sdks`, commit sdk/"


@pytest.mark.timeout(BUILD_LIMIT)
def test_the_go_sdk_builds_and_vets() -> None:
    _need("go")
    _run(["go", "build", "./..."], SDK / "go", GO_ENV)
    _run(["go", "vet", "./..."], SDK / "go", GO_ENV)


@pytest.mark.timeout(600)
def test_the_typescript_sdk_compiles_packs_and_installs_into_a_program(tmp_path: Path) -> None:
    _need("node", "npm")
    source = tmp_path / "nodejs"
    shutil.copytree(SDK / "nodejs", source, ignore=shutil.ignore_patterns(*BUILD_OUTPUTS))
    tarball = _run(["bash", str(REPO / "tools" / "sdk-nodejs.sh"), str(source), str(tmp_path / "dist")],
                   REPO).strip().splitlines()[-1]
    program = tmp_path / "program"
    program.mkdir()
    (program / "package.json").write_text(json.dumps({"name": "program", "private": True}), encoding="utf-8")
    _run(["npm", "install", "--no-audit", "--no-fund", "--loglevel=error", "@pulumi/pulumi@3.248.0", tarball],
         program)
    script = ("const c = require('@pulumi-chartmogul/chartmogul');"
              "console.log(JSON.stringify([typeof c.DataSource, typeof c.Plan, typeof c.PlanGroup, typeof c.getPlan,"
              " typeof c.Provider, require('@pulumi-chartmogul/chartmogul/package.json').version]))")
    from pulumi_chartmogul import __version__

    assert json.loads(_run(["node", "-e", script], program)) == ["function"] * 5 + [__version__]
