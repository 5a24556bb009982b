"""``make demo`` and the e2e tests find their CLI where ``make pulumi-cli`` puts it; without one the demo says what
to do in one sentence with exit status 2. (With a CLI, the demo itself runs in tests/e2e.)"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from pulumi_chartmogul.commands import demo, pulumi_cli
from pulumi_chartmogul.emulator.process import EmulatorStartError, logged_emulator

from .mocking import REPO


@pytest.fixture
def no_cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A PATH without pulumi and a project folder without .pulumi-cli/; returns the project folder."""
    monkeypatch.setenv("PATH", os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep)
                                               if not (Path(p) / "pulumi").exists()))
    (tmp_path / "Pulumi.yaml").write_text("name: scratch\nruntime: python\n")
    return tmp_path


def fake_cli(folder: Path, *, skip: str = "") -> None:
    """Executable stand-ins for the four files of a CLI (only looked up, never run)."""
    folder.mkdir(parents=True, exist_ok=True)
    for part in pulumi_cli.PARTS:
        if part != skip:
            (folder / part).write_text("#!/bin/sh\nexit 99\n")
            (folder / part).chmod(0o755)


def test_nothing_found_outside_a_checkout(no_cli: Path) -> None:
    assert pulumi_cli.obtain(no_cli) is None


def test_an_earlier_install_in_the_project_is_found(no_cli: Path) -> None:
    fake_cli(no_cli / ".pulumi-cli" / "bin")
    assert pulumi_cli.obtain(no_cli) == no_cli / ".pulumi-cli" / "bin"


def test_a_cli_without_its_language_host_is_not_a_cli(no_cli: Path) -> None:
    fake_cli(no_cli / ".pulumi-cli" / "bin", skip="pulumi-language-python")
    assert pulumi_cli.obtain(no_cli) is None
    (no_cli / ".pulumi-cli" / "bin" / "pulumi-language-python").write_text("")  # there, but not executable
    assert pulumi_cli.obtain(no_cli) is None


def test_in_a_checkout_the_install_script_decides(no_cli: Path) -> None:
    script = no_cli / pulumi_cli.INSTALL_SCRIPT
    script.parent.mkdir()
    script.write_text(f"echo progress >&2\necho {no_cli / 'elsewhere'}\n")
    fake_cli(no_cli / "elsewhere")
    assert pulumi_cli.obtain(no_cli) == no_cli / "elsewhere"
    script.write_text("echo 'no CLI' >&2\nexit 2\n")
    fake_cli(no_cli / ".pulumi-cli" / "bin")
    assert pulumi_cli.obtain(no_cli) is None  # the script's verdict, not a second guess


def test_main_exits_2_with_one_sentence(no_cli: Path, capsys: pytest.CaptureFixture[str]) -> None:
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
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "pulumi_chartmogul.commands.demo", "--project-dir", str(no_cli)],
                            cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert time.monotonic() - started < 20
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("No Pulumi CLI is available") and "https://www.pulumi.com/docs/install/" in line


def test_the_demo_emulator_keeps_its_state_in_the_file_between_runs(tmp_path: Path) -> None:
    db, log = tmp_path / "emulator.db", tmp_path / "emulator.log"
    with logged_emulator(["--db", str(db), "--api-key", demo.DEMO_API_KEY], log) as (api_root, _):
        auth = (demo.DEMO_API_KEY, "")
        source = requests.post(f"{api_root}/data_sources", json={"name": "Demo billing"}, auth=auth, timeout=10)
        for n in range(3):
            requests.post(f"{api_root}/plans", auth=auth, timeout=10,
                          json={"data_source_uuid": source.json()["uuid"], "name": f"Plan {n}",
                                "interval_count": 1, "interval_unit": "month", "external_id": f"plan_{n}"})
        rejected = requests.get(f"{api_root}/plans", auth=("another-key", ""), timeout=10)
    assert rejected.status_code == 401  # the demo's emulator accepts only the demo key
    with logged_emulator(["--db", str(db), "--api-key", demo.DEMO_API_KEY], log) as (api_root, _):
        plans = demo.list_plans(api_root, demo.DEMO_API_KEY)
    assert sorted(plan["external_id"] for plan in plans) == ["plan_0", "plan_1", "plan_2"]
    assert "Started server process" in log.read_text()


def test_an_emulator_that_cannot_start_is_reported_with_its_log(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    log = tmp_path / "emulator.log"
    with pytest.raises(EmulatorStartError, match=r"did not start.*emulator\.log"), \
            logged_emulator(["--db", str(not_a_folder / "emulator.db")], log):
        pass
    assert log.read_text(), "the emulator's error is in its log"
