"""The emulator as a child process: started on a free loopback port, stopped cleanly (used by ``make demo``,
the tests and ``bench``)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO


class EmulatorStartError(RuntimeError):
    """The child exited or printed something other than its API root."""


@contextmanager
def emulator_process(args: Sequence[str], stderr: IO[str],
                     env: Mapping[str, str] | None = None) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """Run ``python -m pulumi_chartmogul.emulator --port 0 ARGS``; yield its API root and the process.

    The root is the first line of the child's stdout, printed once it accepts connections. On exit the child
    gets SIGTERM (it flushes its state and exits 0), and is killed if it has not stopped within 10 s.
    """
    process = subprocess.Popen(
        [sys.executable, "-m", "pulumi_chartmogul.emulator", "--port", "0", *args],
        stdout=subprocess.PIPE, stderr=stderr, text=True, env=None if env is None else dict(env),
    )
    try:
        assert process.stdout is not None
        api_root = process.stdout.readline().strip()
        if not api_root.startswith("http://"):
            raise EmulatorStartError(f"the emulator did not start (its first line was {api_root!r})")
        yield api_root, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def logged_emulator(args: Sequence[str], log: Path,
                    env: Mapping[str, str] | None = None) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """:func:`emulator_process` with its stderr appended to ``log``; a failed start names the log and quotes it."""
    with open(log, "a", encoding="utf-8") as stderr:
        try:
            with emulator_process(args, stderr, env) as running:
                yield running
        except EmulatorStartError as exc:
            raise EmulatorStartError(f"{exc}; its log is {log}:\n{log.read_text(errors='replace')}") from None
