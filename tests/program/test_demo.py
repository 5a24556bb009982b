"""``make demo`` without a Pulumi CLI: it looks in the right places, never hangs on an install, and says what
to do in one sentence with exit status 2. (With a CLI, the demo's path is what tests/e2e exercises.)"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from pulumi_chartmogul import demo

from .mocking import REPO


@pytest.fixture
def no_cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """An empty PATH and a project folder without .pulumi-cli/; returns the project folder."""
    monkeypatch.setenv("PATH", "")
    monkeypatch.delenv(demo.NO_INSTALL_ENV, raising=False)
    (tmp_path / "Pulumi.yaml").write_text("name: scratch\nruntime: python\n")
    return tmp_path


def test_nothing_found_without_install(no_cli: Path) -> None:
    assert demo.find_pulumi_cli(no_cli, installer=None) is None


def test_install_is_attempted_into_the_project_and_its_failure_is_none(no_cli: Path) -> None:
    calls: list[tuple[Path, float]] = []
    assert demo.find_pulumi_cli(no_cli, installer=lambda root, timeout: calls.append((root, timeout))) is None
    assert calls == [(no_cli / ".pulumi-cli", demo.INSTALL_TIMEOUT_SECONDS)]


def test_the_environment_variable_skips_the_install(no_cli: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(demo.NO_INSTALL_ENV, "1")
    calls: list[Path] = []
    assert demo.find_pulumi_cli(no_cli, installer=lambda root, timeout: calls.append(root)) is None
    assert calls == []


def test_a_previous_install_in_the_project_is_found_first(no_cli: Path) -> None:
    # Only the lookup is tested: the file is never run.
    binary = no_cli / ".pulumi-cli" / "bin" / "pulumi"
    binary.parent.mkdir(parents=True)
    binary.write_text("#!/bin/sh\nexit 99\n")
    binary.chmod(0o755)
    calls: list[Path] = []
    assert demo.find_pulumi_cli(no_cli, installer=lambda root, timeout: calls.append(root)) == str(binary)
    assert calls == []
    binary.chmod(0o644)  # not executable: not a CLI
    assert demo.find_pulumi_cli(no_cli, installer=None) is None


def test_main_exits_2_with_one_sentence(no_cli: Path, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(demo.NO_INSTALL_ENV, "1")
    assert demo.main(["--project-dir", str(no_cli)]) == demo.EXIT_NO_CLI == 2
    out, err = capsys.readouterr()
    assert out == ""
    (line,) = err.splitlines()
    assert line.startswith("No Pulumi CLI is available")
    assert "https://www.pulumi.com/docs/install/" in line
    assert "re-run `make demo`" in line
    assert line.count(". ") == 0 and line.endswith(".")  # one sentence
    assert not (no_cli / ".demo").exists()  # nothing was started


def test_the_module_as_make_demo_runs_it(no_cli: Path) -> None:
    env = {**os.environ, "PATH": "", demo.NO_INSTALL_ENV: "1", "PYTHONPATH": str(REPO)}
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "pulumi_chartmogul.demo", "--project-dir", str(no_cli)],
                            cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert time.monotonic() - started < 20
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("No Pulumi CLI is available") and "https://www.pulumi.com/docs/install/" in line


def test_the_install_attempt_is_bounded(tmp_path: Path) -> None:
    started = time.monotonic()
    demo.install_cli(tmp_path / ".pulumi-cli", timeout=0.2)  # killed long before it could download anything
    assert time.monotonic() - started < 5
    assert not (tmp_path / ".pulumi-cli" / "bin" / "pulumi").exists()


def test_the_demo_emulator_keeps_its_state_in_the_file_between_runs(tmp_path: Path) -> None:
    db, log = tmp_path / "emulator.db", tmp_path / "emulator.log"
    with demo.running_emulator(db, demo.DEMO_API_KEY, log) as api_root:
        auth = (demo.DEMO_API_KEY, "")
        source = requests.post(f"{api_root}/data_sources", json={"name": "Demo billing"}, auth=auth, timeout=10)
        for n in range(3):
            requests.post(f"{api_root}/plans", auth=auth, timeout=10,
                          json={"data_source_uuid": source.json()["uuid"], "name": f"Plan {n}",
                                "interval_count": 1, "interval_unit": "month", "external_id": f"plan_{n}"})
        rejected = requests.get(f"{api_root}/plans", auth=("another-key", ""), timeout=10)
    assert rejected.status_code == 401  # the demo's emulator accepts only the demo key
    with demo.running_emulator(db, demo.DEMO_API_KEY, log) as api_root:
        plans = demo.list_plans(api_root, demo.DEMO_API_KEY)
    assert sorted(plan["external_id"] for plan in plans) == ["plan_0", "plan_1", "plan_2"]
    assert "Started server process" in log.read_text()


def test_an_emulator_that_cannot_start_is_reported_with_its_log(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    log = tmp_path / "emulator.log"
    with pytest.raises(RuntimeError, match=r"did not start.*emulator\.log"), \
            demo.running_emulator(not_a_folder / "emulator.db", demo.DEMO_API_KEY, log):
        pass
    assert log.read_text(), "the emulator's error is in its log"
