"""How the package grows with the number of resources: the bytes each one leaves in the state, and a program
declaring thousands of them (the SDK alone fails near 320).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bench.rig import PROVIDER_KEY
from testkit.host import ResourceState


@dataclass
class StateSize:
    provider_bytes: int
    outputs_bytes: int
    inputs_bytes: int


def state_size(state: ResourceState) -> StateSize:
    def size(props: Mapping[str, Any]) -> int:
        return len(json.dumps(props, separators=(",", ":")).encode())

    return StateSize(len(str(state.outputs[PROVIDER_KEY]).encode()), size(state.outputs), size(state.inputs))


def program_scale(plans: int, *, stock: bool = False) -> dict[str, Any]:
    """``bench.program`` in its own process: N plans declared under ``pulumi.runtime.set_mocks``."""
    command = [sys.executable, "-m", "bench.program", "--plans", str(plans), *(["--stock"] if stock else [])]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)
    lines = completed.stdout.strip().splitlines()
    if completed.returncode != 0 or not lines:
        return {"completed": False, "error": f"exit {completed.returncode}: {completed.stderr[-2000:]}",
                "failed_at": None}
    result: dict[str, Any] = json.loads(lines[-1])
    return result
