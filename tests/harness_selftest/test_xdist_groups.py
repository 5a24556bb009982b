"""The suite's grouping holds: tests marked with one ``xdist_group`` run on one pytest-xdist worker, in order.

Tests that share a module fixture (the fault matrix's hosts, a built wheel) or must not overlap (the killed-up runs)
rely on it; pytest 9.2 with pytest-xdist 3.8 silently dropped the marks (pytest-dev/pytest-xdist#1386), which this
catches: the second test must find the first one's note, written by the same worker."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.xdist_group("grouping-self-test")


def _note(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # The folder every worker of this run shares (each worker's base temp is a sibling inside it).
    return tmp_path_factory.getbasetemp().parent / "xdist-grouping-note"


def test_first_of_the_group_leaves_its_worker(tmp_path_factory: pytest.TempPathFactory) -> None:
    _note(tmp_path_factory).write_text(os.environ.get("PYTEST_XDIST_WORKER", "main"), encoding="utf-8")


def test_second_of_the_group_runs_on_the_same_worker_after_it(tmp_path_factory: pytest.TempPathFactory) -> None:
    note = _note(tmp_path_factory)
    assert note.exists(), "the group's first test has not run before it: the xdist_group mark was ignored"
    assert note.read_text(encoding="utf-8") == os.environ.get("PYTEST_XDIST_WORKER", "main"), (
        "the group's tests ran on different workers: the xdist_group mark was ignored")
