"""The emulator as a process: ``--db`` persistence across restarts, SIGTERM, ``--seed``, the stdout contract."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from testkit.emulator import Emulator, running_emulator
from tests.emulator.expected import DS_UUID, PL_UUID


def _populate(emulator: Emulator) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    source = emulator.api("POST", "/data_sources", json={"name": "persistent"}).json()
    plan = emulator.api("POST", "/plans", json={"data_source_uuid": source["uuid"], "name": "Gold",
                                                "interval_count": 1, "interval_unit": "month",
                                                "external_id": "gold"}).json()
    updated = emulator.api("PATCH", f"/plans/{plan['uuid']}", json={"interval_count": 12}).json()
    return source, plan, updated


def _terminate(emulator: Emulator) -> tuple[int, float]:
    """SIGTERM the process; its exit code and how long it took to exit."""
    started = time.monotonic()
    emulator.process.terminate()
    try:
        code = emulator.process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pytest.fail("the emulator did not exit within 5 s of SIGTERM")
    return code, time.monotonic() - started


def test_state_survives_a_restart_with_the_same_db(tmp_path: Path) -> None:
    db = tmp_path / "state.sqlite"
    with running_emulator("--db", str(db)) as first:
        source, plan, updated = _populate(first)
        deleted = first.api("POST", "/data_sources", json={"name": "deleted before restart"}).json()
        assert first.api("DELETE", f"/data_sources/{deleted['uuid']}").status_code == 204
        code, elapsed = _terminate(first)
    assert code == 0
    assert elapsed < 3

    with running_emulator("--db", str(db)) as second:
        assert second.api_root != ""
        assert second.api("GET", "/data_sources").json() == {"data_sources": [source]}
        assert second.api("GET", f"/plans/{plan['uuid']}").json() == updated
        # Constraints survive too: the name is still taken, the external_id still used.
        assert second.api("POST", "/data_sources", json={"name": "persistent"}).status_code == 422
        again = second.api("POST", "/plans", json={"data_source_uuid": source["uuid"], "name": "Gold",
                                                   "interval_count": 1, "interval_unit": "month",
                                                   "external_id": "gold"})
        assert again.status_code == 422
        # Deleting after the restart cascades to plans created before it.
        assert second.api("DELETE", f"/data_sources/{source['uuid']}").status_code == 204
        assert second.api("GET", f"/plans/{plan['uuid']}").status_code == 404
        code, _ = _terminate(second)
    assert code == 0


def test_sigterm_checkpoints_the_wal_into_the_db_file(tmp_path: Path) -> None:
    # Until the store is closed, committed writes may live only in state.sqlite-wal. After SIGTERM the WAL is
    # folded into the file and removed, so the file alone (copied, backed up) holds everything.
    db = tmp_path / "state.sqlite"
    with running_emulator("--db", str(db)) as emulator:
        source, plan, _ = _populate(emulator)
        assert Path(f"{db}-wal").exists()
        code, _ = _terminate(emulator)
    assert code == 0
    assert not Path(f"{db}-wal").exists()
    copy = tmp_path / "copy.sqlite"
    shutil.copyfile(db, copy)  # without its -wal and -shm
    with closing(sqlite3.connect(copy)) as connection:
        assert connection.execute("SELECT uuid FROM data_sources").fetchall() == [(source["uuid"],)]
        assert connection.execute("SELECT uuid, interval_count FROM plans").fetchall() == [(plan["uuid"], 12)]


def test_sigterm_exits_zero_promptly_even_with_an_in_memory_store() -> None:
    with running_emulator() as emulator:
        _populate(emulator)
        code, elapsed = _terminate(emulator)
    assert code == 0
    assert elapsed < 3


def _seeded_run(seed: str) -> tuple[str, str, str, str]:
    with running_emulator("--seed", seed) as emulator:
        source, plan, _ = _populate(emulator)
        generated = emulator.api("POST", "/plans", json={"data_source_uuid": source["uuid"], "name": "Auto",
                                                         "interval_count": 1, "interval_unit": "year"}).json()
        return source["uuid"], plan["uuid"], generated["uuid"], generated["external_id"]


def test_seed_makes_uuids_reproducible() -> None:
    with ThreadPoolExecutor(max_workers=3) as pool:  # three fresh processes, started side by side
        runs = list(pool.map(_seeded_run, ["42", "42", "43"]))
    assert runs[0] == runs[1]
    assert runs[0] != runs[2]
    for source_uuid, plan_uuid, generated_uuid, external_id in runs:
        assert DS_UUID.match(source_uuid)
        assert PL_UUID.match(plan_uuid)
        assert PL_UUID.match(generated_uuid)
        assert external_id == generated_uuid.removeprefix("pl_")


def test_stdout_holds_only_the_api_root() -> None:
    # A parent reads one line and then ignores the pipe; anything more (e.g. an access log) would eventually
    # fill the pipe and freeze the server.
    with running_emulator() as emulator:
        for _ in range(5):
            assert emulator.api("GET", "/ping").status_code == 200
        assert emulator.api("GET", "/nowhere").status_code == 404
        _terminate(emulator)
        assert emulator.process.stdout is not None
        assert emulator.process.stdout.read() == ""
        assert '"GET /v1/ping HTTP/1.1" 200' in emulator.stderr()
