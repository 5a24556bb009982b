"""Write the golden state of this release: ``python -m tests.compat.make_golden``.

Run once per release, before anything about the providers changes, and commit the file it writes
(``golden/state-<version>.json``). It creates one data source and one plan through the real provider host
against a fresh emulator and records what a Pulumi checkpoint holds for them: each resource's type, URN, id,
inputs and outputs (as ``pulumi stack export`` shows them), ``__provider`` included. The file is never
rewritten: ``test_golden_state.py`` replays every one of them against the current checkout.
"""

from __future__ import annotations

import json
import sys
from importlib.metadata import version
from typing import Any

from pulumi_chartmogul import __version__
from testkit.emulator import running_emulator
from testkit.engine import Engine
from testkit.host import ProviderHost, ResourceState
from testkit.providers import DATA_SOURCE, DATA_SOURCE_PROVIDER, PLAN, PLAN_PROVIDER
from tests.compat.test_golden_state import GOLDEN, KEY


def _plain(value: Any) -> Any:
    """Numbers as a checkpoint writes them: 1, not the 1.0 they are on the gRPC wire."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _entry(state: ResourceState) -> dict[str, Any]:
    return {"urn": state.urn, "custom": True, "id": state.id, "type": state.type_token,
            "inputs": _plain(state.inputs), "outputs": _plain(state.outputs)}


def main() -> int:
    target = GOLDEN / f"state-{__version__}.json"
    if target.exists():
        print(f"{target} exists; golden files are never rewritten", file=sys.stderr)
        return 1
    with running_emulator() as emulator, ProviderHost({"chartmogul:apiKey": KEY,
                                                       "chartmogul:endpoint": emulator.api_root}) as host:
        engine = Engine(host)
        _, source = engine.up(DATA_SOURCE, "billing", {"name": "In-house billing", "adopt": False},
                              provider=DATA_SOURCE_PROVIDER)
        _, plan = engine.up(PLAN, "bronze_monthly", {
            "data_source_uuid": source.id, "name": "Bronze", "interval_count": 1, "interval_unit": "month",
            "external_id": "bronze_monthly", "adopt": False}, provider=PLAN_PROVIDER)
    golden = {"release": __version__, "pulumi_sdk": version("pulumi"), "resources": [_entry(source), _entry(plan)]}
    target.write_text(json.dumps(golden, indent=2, sort_keys=True) + "\n")
    print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
