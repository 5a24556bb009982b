"""Whether a project can import our resources by uuid, and the ``Pulumi.yaml`` lines that make it able to.

The engine imports a dynamic resource through the ``pulumi-python`` provider, and Pulumi's own cannot
(pulumi/pulumi#16175); this package's provider host (:mod:`pulumi_chartmogul.provider_host`) can. A program
checks here, before it registers an import, that the project runs that host, so a missing line is one clear
message instead of the engine's ``KeyError: '__provider'``; ``pulumi-chartmogul provider-host`` prints the lines.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pulumi

PLUGIN_NAME = "pulumi-python"
# The directory the engine is pointed at: the provider host package, which holds the executable the engine starts.
# A path, not an import: the host imports the resources, never the other way round.
PLUGIN_DIRECTORY = Path(__file__).resolve().parent.parent / "provider_host"
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


def require_import_support(kind: str, resource_name: str, opts: pulumi.ResourceOptions | None) -> None:
    """Stop the program, before anything is registered, if it imports a resource (``import_``) where the engine
    would run Pulumi's own dynamic-provider host, which fails every import (pulumi/pulumi#16175)."""
    if opts is None or not opts.import_:
        return
    problem = import_problem()
    if problem is not None:
        raise pulumi.RunError(
            f"{kind} {resource_name!r} imports {opts.import_!r}, which needs pulumi_chartmogul's provider host: "
            f"{problem}. Pulumi's own host for dynamic resources cannot import (pulumi/pulumi#16175). Add this to "
            f"Pulumi.yaml (`pulumi-chartmogul provider-host` prints it for your installation):\n"
            f"{project_plugin_yaml()}")
