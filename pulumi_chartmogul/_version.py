"""The package's version: the one place it is written (pyproject.toml reads it from here).

A literal, not ``importlib.metadata.version()``: that scans every installed distribution, about 6 ms at each
start of the provider host and of every program.
"""

__version__ = "0.3.0"
