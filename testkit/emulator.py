"""Start and stop ``python -m pulumi_chartmogul.emulator`` as a real process on a loopback port."""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from pulumi_chartmogul.emulator.process import logged_emulator


@dataclass
class Emulator:
    """A running emulator: its API root, its process, and helpers for the admin surface."""

    api_root: str
    process: subprocess.Popen[str]
    stderr_path: str

    @property
    def base(self) -> str:
        return self.api_root.removesuffix("/v1")

    def reset(self) -> None:
        requests.post(f"{self.base}/_emulator/reset", timeout=10).raise_for_status()

    def stats(self) -> dict[str, Any]:
        response = requests.get(f"{self.base}/_emulator/stats", timeout=10)
        response.raise_for_status()
        return dict(response.json())

    def advance_clock(self, seconds: float) -> float:
        """``POST /_emulator/clock``: the rate window sees ``seconds`` pass at once; how far it has moved in all."""
        response = requests.post(f"{self.base}/_emulator/clock", json={"seconds": seconds}, timeout=10)
        response.raise_for_status()
        return float(response.json()["advanced_seconds"])

    def set_faults(self, rules: list[dict[str, Any]], seed: int | None = None) -> None:
        response = requests.post(f"{self.base}/_emulator/faults", json={"seed": seed, "rules": rules}, timeout=10)
        response.raise_for_status()

    def faults(self) -> dict[str, Any]:
        """The fault rules in force, each with the uses it has left."""
        response = requests.get(f"{self.base}/_emulator/faults", timeout=10)
        response.raise_for_status()
        return dict(response.json())

    def clear_faults(self) -> None:
        requests.delete(f"{self.base}/_emulator/faults", timeout=10).raise_for_status()

    def api(self, method: str, path: str, key: str = "test-key", **kwargs: Any) -> requests.Response:
        """One raw request to the emulated API (no retries), authenticated with ``key``."""
        return requests.request(method, f"{self.api_root}{path}", auth=(key, ""), timeout=10, **kwargs)

    def seed(self, data_sources: list[dict[str, Any]]) -> dict[str, Any]:
        """``POST /_emulator/seed``: data sources of any ``system`` with their plans, in one admin call."""
        response = requests.post(f"{self.base}/_emulator/seed", json={"data_sources": data_sources}, timeout=120)
        response.raise_for_status()
        return dict(response.json())

    def stderr(self) -> str:
        with open(self.stderr_path, encoding="utf-8", errors="replace") as handle:
            return handle.read()


@contextmanager
def running_emulator(*args: str, env: dict[str, str] | None = None) -> Iterator[Emulator]:
    """The emulator with ``args``, its stderr in a temporary file (removed afterwards)."""
    with tempfile.NamedTemporaryFile("w+", prefix="emulator-", suffix=".log", delete=False) as log:
        stderr_path = log.name
    try:
        with logged_emulator(args, Path(stderr_path), {**os.environ, **(env or {})}) as (api_root, process):
            yield Emulator(api_root, process, stderr_path)
    finally:
        os.unlink(stderr_path)
