"""Whether a project can import our resources by uuid, and what makes it able to.

The engine imports a dynamic resource through the ``pulumi-python`` provider, and Pulumi's own cannot
(pulumi/pulumi#16175); this package's provider host (:mod:`pulumi_chartmogul.provider_host`) can. A project runs
it through a launcher of its own, ``chartmogul-host/pulumi-resource-pulumi-python``, committed with the project:
the engine checks a plugin's path when it loads ``Pulumi.yaml``, before any virtualenv exists, so the path must
be in the project and the same on every machine; the launcher then runs the host in the project's virtualenv.
``pulumi-chartmogul provider-host`` writes it and the ``plugins:`` lines. A program checks here, before it
registers an import, that the project runs our host, so a missing line is one clear message instead of the
engine's ``KeyError: '__provider'``.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pulumi

PLUGIN_NAME = "pulumi-python"
LAUNCHER_NAME = f"pulumi-resource-{PLUGIN_NAME}"
# The launcher's folder in a project, as Pulumi.yaml names it (relative to the project folder).
HOST_FOLDER = "chartmogul-host"
# The installed package's own launcher (the text every project's copy has). A path, not an import: the host
# imports the resources, never the other way round.
PLUGIN_DIRECTORY = Path(__file__).resolve().parent.parent / "provider_host"
EXECUTABLE = PLUGIN_DIRECTORY / LAUNCHER_NAME


def project_plugin_yaml(path: str | Path = f"./{HOST_FOLDER}") -> str:
    """The ``Pulumi.yaml`` lines that make the engine run our host (through the launcher in ``path``) for the
    project's dynamic resources."""
    return f"plugins:\n  providers:\n    - name: {PLUGIN_NAME}\n      path: {path}\n"


def launcher_text() -> str:
    return EXECUTABLE.read_text(encoding="utf-8")


def write_launcher(project_folder: Path) -> tuple[Path, bool]:
    """The launcher in ``project_folder/chartmogul-host``, executable; and whether it was written (False: it was
    there already, unchanged)."""
    launcher = project_folder / HOST_FOLDER / LAUNCHER_NAME
    text = launcher_text()
    unchanged = launcher.is_file() and launcher.read_text(encoding="utf-8") == text
    if not unchanged:
        launcher.parent.mkdir(parents=True, exist_ok=True)
        launcher.write_text(text, encoding="utf-8")
    launcher.chmod(0o755)
    return launcher, not unchanged


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
    executable = folder / LAUNCHER_NAME
    try:
        return "pulumi_chartmogul.provider_host" in executable.read_text(errors="replace")
    except OSError:
        return False


def import_problem(start: Path | None = None) -> str | None:
    """Why the engine running the program in ``start`` (default: the working directory) could not import one of
    our resources, or None when its ``Pulumi.yaml`` names this host as the ``pulumi-python`` provider."""
    folder = (start or Path.cwd()).resolve()
    project = find_project_file(folder)
    if project is None:
        return f"no Pulumi.yaml in {folder} or above it"
    try:
        modified = project.stat().st_mtime_ns
    except OSError as exc:
        return f"{project} could not be read ({exc})"
    named = _named_host(project, modified)
    if isinstance(named, str):
        return named
    if _is_this_host(named):
        return None
    return f"{project} runs the {PLUGIN_NAME} provider from {named}, which is not pulumi_chartmogul's host"


# A program asks once per imported resource: each version of the project file is parsed once.
@functools.cache
def _named_host(project: Path, _modified: int) -> Path | str:
    """The folder ``project`` names as the ``pulumi-python`` provider, or why there is none."""
    import yaml  # only when a program imports by uuid

    try:
        document: Any = yaml.safe_load(project.read_text())
    except (OSError, yaml.YAMLError) as exc:
        return f"{project} could not be read ({exc})"
    plugins = document.get("plugins") if isinstance(document, dict) else None
    providers = plugins.get("providers") if isinstance(plugins, dict) else None
    for entry in providers if isinstance(providers, list) else []:
        if isinstance(entry, dict) and entry.get("name") == PLUGIN_NAME:
            folder = Path(str(entry.get("path") or ""))
            return folder if folder.is_absolute() else project.parent / folder
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
            f"{problem}. Pulumi's own host for dynamic resources cannot import (pulumi/pulumi#16175). Run "
            f"`pulumi-chartmogul provider-host` in the project folder: it writes the launcher "
            f"{HOST_FOLDER}/{LAUNCHER_NAME} (commit it) and adds these lines to Pulumi.yaml:\n"
            f"{project_plugin_yaml()}")
