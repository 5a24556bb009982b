"""Our provider host ends when the engine that started it dies (a SIGKILLed CI job), where Pulumi's own host lives
on, serving nobody, until the machine stops."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from testkit.host import IMPORTING_HOST, STOCK_HOST
from testkit.processes import process_alive

# The engine's part: start the host, read the port it serves on, then die without a word.
ENGINE = """
import subprocess, sys
host = subprocess.Popen([sys.executable, "-u", "-m", sys.argv[1]], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
print(host.stdout.readline().decode().strip(), host.pid, flush=True)
"""


alive = process_alive


def orphaned_host(module: str) -> int:
    engine = subprocess.run([sys.executable, "-c", ENGINE, module], capture_output=True, text=True, timeout=60,
                            check=True)
    port, pid = engine.stdout.split()
    assert port.isdigit(), engine.stdout  # it served before its engine died
    return int(pid)


def test_our_host_ends_with_its_engine() -> None:
    pid = orphaned_host(IMPORTING_HOST)
    deadline = time.monotonic() + 10
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive(pid), f"the provider host {pid} outlived its engine"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_pulumis_own_host_outlives_its_engine() -> None:
    """The control: without the watch, the orphan stays (this turns red the day Pulumi's host ends by itself)."""
    pid = orphaned_host(STOCK_HOST)
    try:
        time.sleep(2.5)  # more than twice our host's poll interval
        assert alive(pid)
    finally:
        os.kill(pid, 9)
