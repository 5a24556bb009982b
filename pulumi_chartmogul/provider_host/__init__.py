"""The dynamic-provider host with import: ``python -m pulumi.dynamic`` plus the one thing it cannot do.

Pulumi's engine imports a resource (``ResourceOptions(import_=uuid)``, ``pulumi import``) by calling ``Read``
with nothing but the id: no old state and no inputs. The SDK's host finds the provider to run in the pickle
stored under ``__provider`` in those properties, so every import of a dynamic resource fails with
``KeyError: '__provider'`` (pulumi/pulumi#16175, open). This host runs the SDK's own server unchanged and, for
an import ``Read`` of one of our resource types, first supplies the pickle of that type's provider, which it
can make because our providers carry no state. Everything else, and every other dynamic provider in the same
program, reaches the SDK's code untouched.

The engine runs it when the project's ``Pulumi.yaml`` names this directory as the ``pulumi-python`` provider
(``pulumi-chartmogul provider-host`` prints the lines)::

    plugins:
      providers:
        - name: pulumi-python
          path: <this directory>
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

PLUGIN_NAME = "pulumi-python"
# The directory the engine is pointed at: it holds the executable the engine starts.
PLUGIN_DIRECTORY = Path(__file__).resolve().parent
EXECUTABLE = PLUGIN_DIRECTORY / "pulumi-resource-pulumi-python"


def project_plugin_yaml(path: str | Path = PLUGIN_DIRECTORY) -> str:
    """The ``Pulumi.yaml`` lines that make the engine run this host for the project's dynamic resources."""
    return f"plugins:\n  providers:\n    - name: {PLUGIN_NAME}\n      path: {path}\n"


PROJECT_FILES = ("Pulumi.yaml", "Pulumi.yml")


def find_project_file(start: Path) -> Path | None:
    """The ``Pulumi.yaml`` of the project a program in ``start`` belongs to (the engine runs it from there)."""
    for folder in (start, *start.parents):
        for name in PROJECT_FILES:
            if (folder / name).is_file():
                return folder / name
    return None


def _is_this_host(folder: Path) -> bool:
    if folder.resolve() == PLUGIN_DIRECTORY:
        return True
    executable = folder / EXECUTABLE.name
    try:
        return "pulumi_chartmogul.provider_host" in executable.read_text(errors="replace")
    except OSError:
        return False


def import_problem(start: Path | None = None) -> str | None:
    """Why the engine running the program in ``start`` (default: the working directory) could not import one of
    our resources, or None when its ``Pulumi.yaml`` names this host as the ``pulumi-python`` provider."""
    return _import_problem((start or Path.cwd()).resolve())


@functools.cache  # a program asks once per imported resource: read the project file once
def _import_problem(start: Path) -> str | None:
    import importlib

    yaml: Any = importlib.import_module("yaml")  # PyYAML comes with pulumi; its stubs are not installed

    project = find_project_file(start)
    if project is None:
        return f"no Pulumi.yaml in {start} or above it"
    try:
        document: Any = yaml.safe_load(project.read_text())
    except (OSError, yaml.YAMLError) as exc:
        return f"{project} could not be read ({exc})"
    plugins = document.get("plugins") if isinstance(document, dict) else None
    providers = plugins.get("providers") if isinstance(plugins, dict) else None
    for entry in providers if isinstance(providers, list) else []:
        if isinstance(entry, dict) and entry.get("name") == PLUGIN_NAME:
            folder = Path(str(entry.get("path") or ""))
            folder = folder if folder.is_absolute() else project.parent / folder
            if _is_this_host(folder):
                return None
            return f"{project} runs the {PLUGIN_NAME} provider from {folder}, which is not pulumi_chartmogul's host"
    return f"{project} does not name pulumi_chartmogul's provider host"
