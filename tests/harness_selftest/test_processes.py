"""testkit/processes.py: a command run by ``run_marked`` leaves nothing running, whether it exits, runs past its
timeout, or its caller is interrupted (pytest-timeout raises from a SIGALRM handler). The command here starts a
child in a session of its own, as the Pulumi CLI starts its plugins, so killing the command's process group alone
would leave it behind."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from types import FrameType

import pytest

from testkit.processes import CommandTimedOut, process_alive, run_marked

alive = process_alive


def plugin_starter(pid_file: Path, then: str) -> list[str]:
    """A command that starts a long sleeper in a session of its own, writes its pid, then does ``then``."""
    return ["sh", "-c", f"setsid sleep 600 & echo $! > {pid_file}; {then}"]


def started(pid_file: Path) -> int:
    text = pid_file.read_text().strip()
    assert text.isdigit(), text
    return int(text)


def test_a_plugin_still_running_when_the_command_exits_is_ended(tmp_path: Path) -> None:
    pid_file = tmp_path / "pid"
    done = run_marked(plugin_starter(pid_file, "echo finished"), cwd=tmp_path, env=os.environ, timeout=60)
    assert (done.returncode, done.stdout) == (0, "finished\n")
    assert not alive(started(pid_file))


def test_a_command_past_its_timeout_is_killed_with_everything_it_started(tmp_path: Path) -> None:
    pid_file = tmp_path / "pid"
    began = time.monotonic()
    with pytest.raises(CommandTimedOut) as caught:
        run_marked(plugin_starter(pid_file, "echo waiting; sleep 600"), cwd=tmp_path, env=os.environ, timeout=1)
    assert time.monotonic() - began < 30
    assert caught.value.timeout == 1 and caught.value.output == "waiting\n"  # what it printed is kept
    assert not alive(started(pid_file))


class Interrupted(Exception):
    """What pytest-timeout's SIGALRM handler raises in the test's thread (there: ``pytest.fail``)."""


def test_an_interrupted_caller_leaves_nothing_running(tmp_path: Path) -> None:
    pid_file = tmp_path / "pid"

    def interrupt(signum: int, frame: FrameType | None) -> None:
        if pid_file.exists() and pid_file.read_text().strip():
            raise Interrupted
        signal.setitimer(signal.ITIMER_REAL, 0.05)  # not started yet: look again shortly

    previous = signal.signal(signal.SIGALRM, interrupt)
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.05)
        with pytest.raises(Interrupted):
            run_marked(plugin_starter(pid_file, "sleep 600"), cwd=tmp_path, env=os.environ, timeout=120)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert not alive(started(pid_file))
