"""A local, stateful ChartMogul API (data sources, plans and plan groups), for tests and for trying a catalog offline.

Run it with ``python -m pulumi_chartmogul.emulator``; needs the ``emulator`` extra (FastAPI, uvicorn).
"""

from .._version import __version__ as EMULATOR_VERSION

__all__ = ["EMULATOR_VERSION"]
