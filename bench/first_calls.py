"""Where a fresh provider host spends its first calls: ``python -m bench.first_calls ENDPOINT SOURCE_UUID``.

Loads what ``python -m pulumi.dynamic`` loads, then times, in one fresh process: unpickling and configuring
``PlanProvider`` (what the host does on its first call of any kind), the first and a second ``check``, and
the first and a second ``create`` against the API at ``ENDPOINT``. Each first call minus its second is the
one-off cost (imports, the HTTP session and connection). Prints one JSON object, including which heavy
libraries each step loaded.
"""

from __future__ import annotations

import time

_start = time.perf_counter()

# The host's own imports (pulumi/dynamic/__main__.py), so that only the provider's cost is timed below.
import base64  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import uuid  # noqa: E402

import dill  # noqa: E402
import grpc  # noqa: E402, F401
from pulumi.dynamic import Config, ConfigureRequest  # noqa: E402
from pulumi.runtime import Settings, configure, proto, rpc  # noqa: E402, F401
from pulumi.runtime._grpc_settings import _GRPC_CHANNEL_OPTIONS  # noqa: E402, F401
from pulumi.runtime._serialization import _deserialize  # noqa: E402, F401
from pulumi.runtime.proto import provider_pb2_grpc  # noqa: E402, F401

HEAVY = ("requests", "urllib3", "pydantic", "pydantic_core", "pulumi_chartmogul.resources.specs",
         "pulumi_chartmogul.api.client")


def _loaded() -> list[str]:
    return [name for name in HEAVY if name in sys.modules]


def main(argv: list[str]) -> int:
    provider_blob, endpoint, source = argv
    host_imports = time.perf_counter() - _start
    result: dict[str, object] = {"host_imports_ms": host_imports * 1000, "loaded_by_host": _loaded()}

    def timed(label: str, action: object) -> object:
        assert callable(action)
        start = time.perf_counter()
        value = action()
        result[f"{label}_ms"] = (time.perf_counter() - start) * 1000
        result[f"loaded_after_{label}"] = _loaded()
        return value

    def load() -> object:
        provider = dill.loads(base64.b64decode(provider_blob))
        provider.configure(ConfigureRequest(Config({"chartmogul:apiKey": "sk-first-calls",
                                                    "chartmogul:endpoint": endpoint}, "proj")))
        return provider

    provider: object = timed("load", load)

    def inputs() -> dict[str, object]:
        return {"data_source_uuid": source, "name": "First", "interval_count": 1.0, "interval_unit": "month",
                "external_id": f"first-{uuid.uuid4()}", "adopt": False}

    timed("first_check", lambda: provider.check({}, inputs()))  # type: ignore[attr-defined]
    timed("second_check", lambda: provider.check({}, inputs()))  # type: ignore[attr-defined]
    timed("first_create", lambda: provider.create(inputs()))  # type: ignore[attr-defined]
    timed("second_create", lambda: provider.create(inputs()))  # type: ignore[attr-defined]
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
