"""``pulumi-chartmogul provider-host``: the launcher and the Pulumi.yaml lines, the same on every machine."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from pulumi_chartmogul.commands.cli import build_parser
from pulumi_chartmogul.resources.import_support import EXECUTABLE, import_problem, project_plugin_yaml

PORTABLE_LINES = "plugins:\n  providers:\n    - name: pulumi-python\n      path: ./chartmogul-host\n"


def run(*argv: str) -> tuple[int, str, str]:
    from pulumi_chartmogul.commands import provider_host

    stdout, stderr = io.StringIO(), io.StringIO()
    code = provider_host.run(build_parser().parse_args(["provider-host", *argv]), stdout, stderr)
    return code, stdout.getvalue(), stderr.getvalue()


def test_the_lines_name_a_folder_in_the_project_not_this_machine() -> None:
    assert project_plugin_yaml() == PORTABLE_LINES
    assert run("--print") == (0, PORTABLE_LINES, "")


def test_it_writes_the_launcher_and_the_lines_once(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: p\n# a comment kept\nruntime: python")  # no final newline
    assert import_problem(tmp_path) is not None

    code, out, _ = run("--project-dir", str(tmp_path))
    assert code == 0
    launcher = tmp_path / "chartmogul-host" / "pulumi-resource-pulumi-python"
    assert launcher.read_text() == EXECUTABLE.read_text()
    assert os.access(launcher, os.X_OK)
    assert (tmp_path / "Pulumi.yaml").read_text() == f"name: p\n# a comment kept\nruntime: python\n{PORTABLE_LINES}"
    assert "Wrote chartmogul-host/pulumi-resource-pulumi-python (commit it)" in out
    assert import_problem(tmp_path) is None

    code, out, _ = run("--project-dir", str(tmp_path))  # a second run changes nothing
    assert code == 0 and "Up to date" in out and "already runs it" in out
    assert (tmp_path / "Pulumi.yaml").read_text().count("plugins:") == 1


def test_a_stale_launcher_is_rewritten(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.yaml").write_text(f"name: p\n{PORTABLE_LINES}")
    launcher = tmp_path / "chartmogul-host" / "pulumi-resource-pulumi-python"
    launcher.parent.mkdir()
    launcher.write_text("#!/bin/sh\nexec python3 -m pulumi_chartmogul.provider_host --old\n")
    code, out, _ = run("--project-dir", str(tmp_path))
    assert code == 0 and out.startswith("Wrote") and launcher.read_text() == EXECUTABLE.read_text()


def test_an_existing_plugins_section_is_left_to_the_user(tmp_path: Path) -> None:
    original = "name: p\nplugins:\n  providers:\n    - name: other\n      path: ./other\n"
    (tmp_path / "Pulumi.yaml").write_text(original)
    code, out, err = run("--project-dir", str(tmp_path))
    assert code == 1
    assert (tmp_path / "Pulumi.yaml").read_text() == original
    assert "add this entry to it by hand" in out and PORTABLE_LINES in out
    assert "does not name chartmogul-host/pulumi-resource-pulumi-python yet" in err


@pytest.mark.parametrize("inside", [False, True])
def test_no_project_file_is_exit_status_2(tmp_path: Path, inside: bool) -> None:
    folder = tmp_path / "program"
    folder.mkdir()
    if inside:
        (tmp_path / "Pulumi.yaml").write_text("name: p\n")
    code, out, err = run("--project-dir", str(folder))
    assert (code, out) == (2, "")
    assert f"no Pulumi.yaml in {folder}" in err
    assert ("pass --project-dir" in err) is inside
    assert not (folder / "chartmogul-host").exists()
