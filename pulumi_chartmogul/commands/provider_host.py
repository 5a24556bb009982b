"""``pulumi-chartmogul provider-host``: make a project able to import by uuid, the same way on every machine.

Writes the launcher ``chartmogul-host/pulumi-resource-pulumi-python`` into the project (commit it: it is the same
file on every machine and in CI) and adds the ``plugins:`` lines that name it to ``Pulumi.yaml`` when the file has
no ``plugins:`` section yet; otherwise it prints the lines to add. ``--print`` only prints them.

Exit status: 0 when the project is ready (or with ``--print``), 1 when Pulumi.yaml needs a hand edit, 2 when no
Pulumi.yaml was found.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import TextIO


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--project-dir", type=Path, default=Path("."), metavar="DIR",
                        help="the project folder, where Pulumi.yaml is (default: the current folder)")
    parser.add_argument("--print", action="store_true", dest="print_only",
                        help="only print the Pulumi.yaml lines; write nothing")


def run(args: argparse.Namespace, stdout: TextIO = sys.stdout, stderr: TextIO = sys.stderr) -> int:
    # Here, not at the top: `pulumi-chartmogul review` builds the same parser and must not import Pulumi.
    from ..resources.import_support import (
        HOST_FOLDER,
        LAUNCHER_NAME,
        find_project_file,
        import_problem,
        project_plugin_yaml,
        write_launcher,
    )

    lines = project_plugin_yaml()
    if args.print_only:
        stdout.write(lines)
        return 0
    folder = args.project_dir.resolve()
    project = next((folder / name for name in ("Pulumi.yaml", "Pulumi.yml") if (folder / name).is_file()), None)
    if project is None:
        above = find_project_file(folder)
        hint = f" (the project is {above.parent}: pass --project-dir)" if above else ""
        print(f"provider-host: no Pulumi.yaml in {folder}{hint}", file=stderr)
        return 2
    launcher, written = write_launcher(folder)
    relative = launcher.relative_to(folder)
    print(f"{'Wrote' if written else 'Up to date:'} {relative} (commit it)", file=stdout)
    if import_problem(folder) is None:
        print(f"{project.name} already runs it.", file=stdout)
        return 0
    text = project.read_text(encoding="utf-8")
    if re.search(r"^plugins\s*:", text, flags=re.MULTILINE) is None:
        project.write_text(text + ("" if text.endswith("\n") or not text else "\n") + lines, encoding="utf-8")
        print(f"Added to {project.name}:\n{lines}", end="", file=stdout)
        return 0
    print(f"{project.name} has a plugins: section already; add this entry to it by hand (the path is relative to "
          f"the project folder):\n{lines}", end="", file=stdout)
    print(f"provider-host: {project.name} does not name {HOST_FOLDER}/{LAUNCHER_NAME} yet", file=stderr)
    return 1
