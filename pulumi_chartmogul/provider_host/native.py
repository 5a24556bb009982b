"""``pulumi-resource-chartmogul``: the native ``chartmogul`` provider plugin, for YAML, TypeScript, Go and every other
Pulumi language. The same server as the dynamic resources' host (``server.py``), serving the ``chartmogul:index:*``
types and lookups with its schema; it ends with the engine that started it (``orphan.py``)."""

from __future__ import annotations

from .orphan import exit_with_parent
from .server import serve


def main() -> None:
    exit_with_parent()
    serve(native=True)


if __name__ == "__main__":
    main()
