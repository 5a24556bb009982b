"""The release workflow (.github/workflows/release.yml): linted with actionlint (``make actionlint`` builds it into
.tools/bin), checked for what a release must do (a version tag starts it, nothing is published before everything is
built and checked, PyPI and npm get OIDC identities, the GitHub release carries the plugin tarballs the schema's
``pluginDownloadURL`` points at), and its shell steps that need no GitHub run here: the tag check, the plugin
tarballs around the wheel with their check (tools/release/check.py), and the release notes with the ``gh release``
call (a stand-in ``gh`` records it)."""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shutil
import stat
import subprocess
import tarfile
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from pulumi_chartmogul.provider_host import schema
from tests.release.scripts import check, tarball

REPO = Path(__file__).resolve().parents[2]
WORKFLOW = REPO / ".github" / "workflows" / "release.yml"
PYTHON = REPO / ".venv" / "bin" / "python"
VERSION: str = check.package_version()


def workflow() -> dict[Any, Any]:
    loaded: dict[Any, Any] = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return loaded


def step(job: str, name: str) -> dict[str, Any]:
    found: dict[str, Any] = next(s for s in workflow()["jobs"][job]["steps"] if s.get("name", "").startswith(name))
    return found


def uses(job: str) -> list[str]:
    return [str(s["uses"]) for s in workflow()["jobs"][job]["steps"] if "uses" in s]


def run_step(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """A ``run:`` as GitHub runs it on Linux (``bash --noprofile --norc -eo pipefail``)."""
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], cwd=cwd,
                          env={**os.environ, **env}, capture_output=True, text=True, timeout=120, check=False)


def github_filter(pattern: str) -> re.Pattern[str]:
    """A GitHub Actions tag filter as a regular expression (``*`` any run of characters but ``/``, ``+`` one or
    more of what precedes it, ``[...]`` a class; everything else literal)."""
    out = ""
    for token in re.findall(r"\[[^\]]*\]|\*\*|.", pattern):
        out += {"**": ".*", "*": "[^/]*", "+": "+", "?": "?"}.get(token, token if token.startswith("[") else
                                                                  re.escape(token))
    return re.compile(out)


def fake_wheel(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    wheel = folder / f"pulumi_chartmogul-{VERSION}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("pulumi_chartmogul/__init__.py", "")
    return wheel


def test_actionlint_finds_nothing() -> None:
    built = REPO / ".tools" / "bin" / "actionlint"
    binary = str(built) if built.is_file() else shutil.which("actionlint")
    if binary is None:
        pytest.skip("no actionlint: `make actionlint` builds it (needs go and the Go module proxy)")
    done = subprocess.run([binary, "-no-color", str(WORKFLOW)], capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_version_tag_starts_it_and_nothing_else() -> None:
    triggers = workflow()[True]  # YAML 1.1 reads the key `on` as True
    assert list(triggers) == ["push"] and list(triggers["push"]) == ["tags"]
    patterns = [github_filter(p) for p in triggers["push"]["tags"]]
    def matched(tag: str) -> bool:
        return any(p.fullmatch(tag) for p in patterns)
    assert matched(f"v{VERSION}") and matched("v1.0.0") and matched("v1.0.0rc1") and matched("v12.3.45")
    # the Go module's tag, which the workflow itself pushes, and anything not a version start nothing
    assert not matched(f"sdk/go/v{VERSION}") and not matched(VERSION) and not matched("vnext") and not matched("v1")


def test_publishing_waits_for_every_check_and_holds_only_the_rights_it_needs() -> None:
    jobs = workflow()["jobs"]
    assert workflow()["permissions"] == {"contents": "read"}
    assert "permissions" not in jobs["build"]  # reads only
    # PyPI trusted publishing and npm provenance both need the job's OIDC token; nothing else does.
    assert jobs["pypi"]["permissions"] == {"id-token": "write"}
    assert jobs["npm"]["permissions"] == {"contents": "read", "id-token": "write"}
    assert jobs["release"]["permissions"] == {"contents": "write"}
    assert jobs["pypi"]["needs"] == "build" and jobs["npm"]["needs"] == "build"
    assert set(jobs["release"]["needs"]) == {"build", "pypi", "npm"}  # a release page only once all is published
    # trusted publishing: the environment PyPI's publisher names, no password or token
    assert jobs["pypi"]["environment"]["name"] == "pypi"
    publish = next(s for s in jobs["pypi"]["steps"] if str(s.get("uses", "")).startswith("pypa/gh-action-pypi-publish"))
    assert "with" not in publish
    assert "npm publish --provenance --access public npm/*.tgz" in step("npm", "npm publish")["run"]
    assert step("npm", "npm 11.5.1 or newer")["run"] == "npm install --global npm@^11.5.1"  # trusted publishing


def test_the_build_job_checks_before_it_uploads() -> None:
    steps = workflow()["jobs"]["build"]["steps"]
    names = [s.get("name") or s["uses"] for s in steps]
    order = ["The tag is the package's version", "The wheel and sdist, checked (make check-dist)",
             "The plugin's tarballs, one per platform, around that wheel",
             "The SDKs are the ones the schema generates (make sdks)",
             "The TypeScript SDK, compiled and packed (make sdk-nodejs)", "The Go SDK builds"]
    assert [name for name in names if name in order] == order
    assert names.index(order[-1]) < names.index("actions/upload-artifact@v4")
    assert step("build", "The wheel and sdist")["run"].strip() == "make check-dist"
    assert "make sdks" in step("build", "The SDKs are")["run"]
    assert "git status --porcelain -- sdk" in step("build", "The SDKs are")["run"]
    assert step("build", "The TypeScript SDK")["run"].strip() == "make sdk-nodejs"
    go = step("build", "The Go SDK builds")
    assert go["working-directory"] == "sdk/go" and "go build ./..." in go["run"] and "go vet ./..." in go["run"]


def test_the_tag_must_be_the_package_version(tmp_path: Path) -> None:
    script = step("build", "The tag is the package's version")["run"]
    github_env = tmp_path / "github_env"
    github_env.touch()
    done = run_step(script, REPO, {"TAG": f"v{VERSION}", "GITHUB_ENV": str(github_env)})
    assert done.returncode == 0, done.stderr
    assert github_env.read_text() == f"VERSION={VERSION}\n"
    wrong = run_step(script, REPO, {"TAG": "v99.0.0", "GITHUB_ENV": str(github_env)})
    assert wrong.returncode == 1 and f"The tag v99.0.0 is not v{VERSION}" in wrong.stderr


def test_the_plugin_step_writes_and_checks_the_tarballs_the_release_uploads(tmp_path: Path) -> None:
    """The step itself, in a folder laid out as the checkout after ``make check-dist`` (a stand-in wheel and sdist):
    one tarball per platform around that very wheel, named as the upload and the engine expect."""
    (tmp_path / "tools").symlink_to(REPO / "tools", target_is_directory=True)
    (tmp_path / ".venv").symlink_to(REPO / ".venv", target_is_directory=True)
    dist = tmp_path / "dist"
    wheel = fake_wheel(dist)
    (dist / f"pulumi_chartmogul-{VERSION}.tar.gz").write_bytes(b"sdist")
    script = step("build", "The plugin's tarballs")["run"]
    done = run_step(script, tmp_path, {"TAG": f"v{VERSION}", "VERSION": VERSION})
    assert done.returncode == 0, done.stdout + done.stderr

    written = sorted(path.name for path in dist.glob("pulumi-resource-chartmogul-*"))
    assert written == sorted(check.plugin_tarballs(VERSION))
    assert {name.rsplit("-", 2)[1] + "-" + name.rsplit("-", 1)[1].split(".")[0] for name in written} == set(
        check.PLATFORMS)
    # what the check printed last is what the release uploads: the Python archives and the tarballs
    assert done.stdout.split()[-6:] == [f"dist/{name}" for name in (*check.python_archives(VERSION),
                                                               *check.plugin_tarballs(VERSION))]
    # make plugin (tools/plugin/tarball.py) names this machine's tarball the same way
    assert f"{tarball.EXECUTABLE}-v{VERSION}-{tarball.this_platform()}.tar.gz" in written
    uploads = [s["with"]["path"] for s in workflow()["jobs"]["build"]["steps"] if s.get("uses", "").startswith(
        "actions/upload-artifact") and s["with"]["name"] == "plugin"]
    assert [fnmatch.filter(written, Path(u.replace("${{ env.VERSION }}", VERSION)).name) for u in uploads] == [written]
    with tarfile.open(dist / written[0]) as archive:
        bundled = archive.extractfile(wheel.name)
        assert bundled is not None and bundled.read() == wheel.read_bytes()


def test_the_check_refuses_a_tarball_that_is_not_the_release(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    wheel = fake_wheel(dist)
    (dist / f"pulumi_chartmogul-{VERSION}.tar.gz").write_bytes(b"sdist")
    assert check.check_dist(dist, VERSION) == [
        f"{dist} lacks {', '.join(check.plugin_tarballs(VERSION))} (make check-dist, then tools/plugin/tarball.py "
        "--wheel <the wheel> --platform <os-arch> for each platform)"]
    for name in check.plugin_tarballs(VERSION):
        tarball.write_tarball(dist / name, wheel)
    assert check.check_dist(dist, VERSION) == []
    assert check.check_tag("v0.0.1", VERSION)[0].startswith(f"the tag v0.0.1 is not v{VERSION}")
    # another wheel inside one tarball (a rebuilt one: not the bytes PyPI gets)
    other = fake_wheel(tmp_path / "other")
    with zipfile.ZipFile(other, "a") as archive:
        archive.writestr("extra.txt", "x")
    tarball.write_tarball(dist / check.plugin_tarballs(VERSION)[0], other)
    assert check.check_dist(dist, VERSION) == [
        f"{check.plugin_tarballs(VERSION)[0]}: its {wheel.name} is not the one in {dist}"]


def test_the_release_step_publishes_the_changelog_entry_and_the_assets(tmp_path: Path) -> None:
    """The release step with a stand-in ``gh`` on PATH that records its arguments."""
    shutil.copy(REPO / "CHANGELOG.md", tmp_path / "CHANGELOG.md")
    assets = tmp_path / "assets"
    assets.mkdir()
    for name in (*check.python_archives(VERSION), *check.plugin_tarballs(VERSION)):
        (assets / name).write_bytes(b"")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    gh = bin_dir / "gh"
    gh.write_text('#!/bin/sh\nprintf "%s\\n" "$@" > "$GH_ARGS"\n', encoding="utf-8")
    gh.chmod(gh.stat().st_mode | stat.S_IXUSR)
    script = step("release", "The GitHub release")["run"]
    env = {"TAG": f"v{VERSION}", "GH_ARGS": str(tmp_path / "gh-args"), "PATH": f"{bin_dir}{os.pathsep}"
           f"{os.environ['PATH']}"}
    done = run_step(script, tmp_path, env)
    assert done.returncode == 0, done.stderr
    args = (tmp_path / "gh-args").read_text(encoding="utf-8").split("\n")[:-1]
    assert args[:7] == ["release", "create", f"v{VERSION}", "--verify-tag", "--title", f"v{VERSION}", "--notes-file"]
    assert sorted(args[8:]) == sorted(f"assets/{name}" for name in (*check.python_archives(VERSION),
                                                                     *check.plugin_tarballs(VERSION)))
    notes = (tmp_path / args[7]).read_text(encoding="utf-8")
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    entry = changelog.split(f"## [{VERSION}]", 1)[1].split("\n## [", 1)[0]
    assert notes.strip() == entry.split("\n", 1)[1].strip() and notes.strip()

    (tmp_path / "CHANGELOG.md").write_text("# Changelog\n\n## [Unreleased]\n", encoding="utf-8")
    missing = run_step(script, tmp_path, env)
    assert missing.returncode == 1 and f"CHANGELOG.md has no entry ## [{VERSION}]" in missing.stderr


def test_the_go_module_tag_is_pushed_on_the_release_commit() -> None:
    script = step("release", "The Go module's tag")["run"]
    assert 'git tag "sdk/go/$TAG" "$GITHUB_SHA"' in script and 'git push origin "sdk/go/$TAG"' in script


def test_what_it_publishes_is_where_the_schema_and_the_sdks_say() -> None:
    """The release's address is the schema's ``pluginDownloadURL``; the npm tarball is the SDK package's; the Go tag
    is the one Go resolves for the module in sdk/go."""
    build = workflow()["jobs"]["build"]
    repository = re.fullmatch(r"github\.repository == '([^']+)'", build["if"])
    assert repository is not None
    # the engine fetches <pluginDownloadURL>/<tarball name>: the release of tag v<version> in this repository
    assert schema.package_schema()["pluginDownloadURL"] == (
        f"https://github.com/{repository.group(1)}/releases/download/v{VERSION}")
    assert json.loads((REPO / "sdk" / "schema.json").read_text(encoding="utf-8"))["pluginDownloadURL"] == (
        schema.package_schema()["pluginDownloadURL"])
    assert 'gh release create "$TAG"' in step("release", "The GitHub release")["run"]
    # npm pack names a scoped package's tarball <scope>-<name>-<version>.tgz
    package = json.loads((REPO / "sdk" / "nodejs" / "package.json").read_text(encoding="utf-8"))
    assert package["name"] == schema.NPM_PACKAGE and package["version"] == VERSION
    npm_upload = next(s["with"]["path"] for s in build["steps"] if s.get("with", {}).get("name") == "npm")
    assert npm_upload.replace("${{ env.VERSION }}", VERSION) == (
        f"dist/{schema.NPM_PACKAGE.lstrip('@').replace('/', '-')}-{VERSION}.tgz")
    # a Go module in a subfolder is tagged <subfolder>/v<version>
    prefix = f"github.com/{repository.group(1)}/"
    assert schema.GO_MODULE.startswith(prefix)
    folder = schema.GO_MODULE.removeprefix(prefix)
    assert (REPO / folder / "go.mod").read_text(encoding="utf-8").startswith(f"module {schema.GO_MODULE}\n")
    assert f'git tag "{folder}/$TAG" "$GITHUB_SHA"' in step("release", "The Go module's tag")["run"]
    assert build["steps"][[s.get("name") for s in build["steps"]].index("The Go SDK builds")][
        "working-directory"] == folder
