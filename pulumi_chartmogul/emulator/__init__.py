"""A local, stateful ChartMogul API (data sources and plans), for tests and for trying a catalog offline.

Run it with ``python -m pulumi_chartmogul.emulator``; needs the ``emulator`` extra (FastAPI, uvicorn).
"""

from importlib.metadata import PackageNotFoundError, version

try:
    EMULATOR_VERSION = version("pulumi-chartmogul")
except PackageNotFoundError:  # running from a source tree that was never installed
    EMULATOR_VERSION = "0.0.0+source"

__all__ = ["EMULATOR_VERSION"]
