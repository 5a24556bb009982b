"""Commands run so that nothing they start outlives them: a mark in the environment finds every process a command
started, wherever it now is in the process tree, and kills it (Linux: reads /proc).

The Pulumi CLI starts each plugin (language host, provider host) in a process group of its own (Go's Setpgid), so
killing the CLI's group misses them, and, re-parented to init, they would wait for the dead engine for as long as the
machine runs. Each inherits the environment, so the mark finds them.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import subprocess
import threading
import time
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO

MARK_VARIABLE = "CHARTMOGUL_TEST_MARK"


def new_mark() -> str:
    return uuid.uuid4().hex


def marked(mark: str) -> list[int]:
    """The live processes whose environment carries ``MARK_VARIABLE=mark``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and _carries(int(entry.name), mark):
            found.append(int(entry.name))
    return found


def _carries(pid: int, mark: str) -> bool:
    try:
        # A process that has exited (a zombie) has no environment left: only the living match.
        environ = Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:
        return False  # gone meanwhile, or another user's
    return f"{MARK_VARIABLE}={mark}".encode() in environ.split(b"\0")


def kill_marked(mark: str, timeout: float = 30.0, settle: float = 0.0) -> None:
    """SIGKILL every process that carries ``mark`` and wait until each has exited; then look again, until none is
    left (one may have started a child between the look and its kill). With ``settle``, a look that finds none is
    trusted only when another one ``settle`` seconds later agrees: a process in the middle of an exec shows no
    environment for a moment, so a single look can miss it."""
    deadline = time.monotonic() + timeout
    while True:
        pids = marked(mark)
        if not pids and settle:
            time.sleep(settle)
            pids = marked(mark)
        if not pids:
            return
        assert time.monotonic() < deadline, f"processes {pids} (marked {mark}) outlived SIGKILL for {timeout} s"
        pidfds: list[int] = []
        killed: list[int] = []
        try:
            for pid in pids:
                try:
                    pidfd = os.pidfd_open(pid)
                except ProcessLookupError:
                    continue  # exited since the look
                pidfds.append(pidfd)
                # Looked at again now that the pidfd holds the process: its pid may have been reused since the look,
                # and the signal goes through the pidfd, so only to the process checked.
                if _carries(pid, mark):
                    with contextlib.suppress(ProcessLookupError):
                        signal.pidfd_send_signal(pidfd, signal.SIGKILL)
                    killed.append(pidfd)
            _wait_exited(killed, deadline)
        finally:
            for pidfd in pidfds:
                os.close(pidfd)


def _wait_exited(pidfds: list[int], deadline: float) -> None:
    """Until every pidfd's process has exited (a pidfd turns readable then), or the deadline."""
    poller = select.poll()
    for pidfd in pidfds:
        poller.register(pidfd, select.POLLIN)
    left = len(pidfds)
    while left:
        remaining = deadline - time.monotonic()
        assert remaining > 0, "killed processes did not exit"
        for pidfd, _ in poller.poll(remaining * 1000):
            poller.unregister(pidfd)
            left -= 1


def kill_group(process: subprocess.Popen[str], mark: str) -> None:
    """SIGKILL a command started in its own session with ``MARK_VARIABLE=mark`` and everything it started, and wait
    until all have exited: its process group, then every process carrying the mark."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    kill_marked(mark, settle=0.2)  # it was stopped at any point, maybe while starting a plugin


class CommandTimedOut(subprocess.TimeoutExpired):
    """A command ran past its timeout: it and everything it started were killed; what it printed is kept."""


def run_marked(command: Sequence[str], *, cwd: Path, env: Mapping[str, str], timeout: float,
               merge_output: bool = False) -> subprocess.CompletedProcess[str]:
    """``subprocess.run`` of ``command`` (stdout and stderr read as text, no stdin) in a session of its own, with a
    fresh mark, after which nothing it started is left running: not when it exits (even a child still holding its
    output open), not when it times out (:class:`CommandTimedOut`), and not when the caller is interrupted meanwhile
    (pytest-timeout's signal, Ctrl-C), which is re-raised once all is killed."""
    mark = new_mark()
    process = subprocess.Popen(list(command), cwd=cwd, env={**env, MARK_VARIABLE: mark}, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT if merge_output else subprocess.PIPE, text=True,
                               stdin=subprocess.DEVNULL, start_new_session=True)
    readers = [_Reader(stream) for stream in (process.stdout, process.stderr) if stream is not None]
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_group(process, mark)
        stdout, stderr = _outputs(readers, merge_output)
        raise CommandTimedOut(list(command), timeout, stdout, stderr) from None
    except BaseException:
        kill_group(process, mark)
        raise
    # The command has exited; whatever it started and has not yet ended (a plugin that has not noticed) ends now.
    kill_marked(mark)
    stdout, stderr = _outputs(readers, merge_output)
    return subprocess.CompletedProcess(list(command), process.returncode, stdout, stderr)


class _Reader:
    """One output stream of a command, read to its end in a thread of its own (as ``communicate`` does)."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream
        self._chunks: list[str] = []
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        with self._stream:
            self._chunks.extend(iter(lambda: self._stream.read(65536), ""))

    def text(self) -> str:
        self._thread.join()  # every writer is gone by now, so the stream is at its end
        return "".join(self._chunks)


def _outputs(readers: list[_Reader], merge_output: bool) -> tuple[str, str | None]:
    stdout = readers[0].text()
    return stdout, None if merge_output else readers[1].text()


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (a zombie has ended; only its parent has not looked yet)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")
