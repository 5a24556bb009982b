"""``pulumi-chartmogul policy-pack DIR``: write the ChartMogul guardrails as a ready Pulumi policy pack.

DIR gets:

- ``PulumiPolicy.yaml`` (a Python pack whose virtualenv is ``venv``) and ``requirements.txt`` (only
  ``pulumi-policy``: the pack never imports this package, so it needs no second copy of the provider's
  dependencies, and the rules it runs are exactly the ones of the version that wrote it);
- ``__main__.py``, the pack's program (``policy/pack_main.py``, read as text: it imports ``pulumi_policy``), and
  ``chartmogul_rules.py``, the rules (``policy/rules.py``, copied as they are);
- ``policy-config.example.json``: every policy's config with its defaults, for ``--policy-pack-config``;
- ``run-policy-pack``, an executable launcher: a Pulumi CLI given a file (``--policy-pack DIR/run-policy-pack``,
  since CLI 3.255) runs it with the engine's address, and it runs the pack from DIR's ``venv``. The official CLI
  runs the folder itself (``--policy-pack DIR``).

``--install`` also makes the virtualenv (``python -m venv venv && venv/bin/pip install -r requirements.txt``).
Files of ours in DIR are rewritten; ``venv`` and anything else there is left alone.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import TextIO

from .._version import __version__
from ..policy import rules

POLICY_VERSION = "1.21.0"  # pulumi-policy: needs pulumi>=3.204 and protobuf 5.29, hence a virtualenv of its own
LAUNCHER = "run-policy-pack"
RULES_MODULE = "chartmogul_rules.py"
CONFIG_EXAMPLE = "policy-config.example.json"
FILES = ("PulumiPolicy.yaml", "requirements.txt", "__main__.py", RULES_MODULE, CONFIG_EXAMPLE, LAUNCHER)

LAUNCHER_TEXT = """\
#!/bin/sh
# The ChartMogul guardrails policy pack, for a Pulumi CLI given the pack as a file:
#   pulumi preview --policy-pack {launcher}
# The engine passes its address as the only argument; the pack runs from this folder's venv
# (python3 -m venv venv && venv/bin/pip install -r requirements.txt). Written by pulumi-chartmogul {version}.
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd) || exit 1
if [ ! -x "$here/venv/bin/python" ]; then
  echo "{launcher}: no virtualenv in $here/venv; run: cd $here && python3 -m venv venv && \\
venv/bin/pip install -r requirements.txt" >&2
  exit 1
fi
cd "$here" || exit 1
exec "$here/venv/bin/python" -u -m pulumi.policy "$1" "$here"
"""

POLICY_YAML = """\
version: {version}
description: ChartMogul guardrails (pulumi-chartmogul {version}) - data sources protected, a floor, plan naming and
  intervals, plans in plan groups
runtime:
  name: python
  options:
    virtualenv: venv
"""


def config_example() -> dict[str, dict[str, object]]:
    """Every policy's config with its defaults and its default enforcement level."""
    return {rule.name: {"enforcementLevel": rule.enforcement, **rule.defaults} for rule in rules.RULES}


def pack_files() -> dict[str, str]:
    """File name → text of the pack."""
    return {
        "PulumiPolicy.yaml": POLICY_YAML.format(version=__version__),
        "requirements.txt": f"pulumi-policy=={POLICY_VERSION}\n",
        "__main__.py": Path(rules.__file__).with_name("pack_main.py").read_text(encoding="utf-8"),
        RULES_MODULE: Path(rules.__file__).read_text(encoding="utf-8"),
        CONFIG_EXAMPLE: json.dumps(config_example(), indent=2) + "\n",
        LAUNCHER: LAUNCHER_TEXT.format(launcher=LAUNCHER, version=__version__),
    }


def write_pack(folder: Path) -> list[Path]:
    """The pack's files in ``folder`` (made if needed); the launcher executable."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in pack_files().items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    (folder / LAUNCHER).chmod(0o755)
    return written


def install(folder: Path, python: str, stderr: TextIO) -> int:
    """``python -m venv venv && venv/bin/pip install -r requirements.txt`` in ``folder``; the exit status."""
    steps = [[python, "-m", "venv", "venv"],
             [str(folder / "venv" / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
              "-r", "requirements.txt"]]
    for step in steps:
        done = subprocess.run(step, cwd=folder, check=False)
        if done.returncode != 0:
            print(f"policy-pack: `{' '.join(step)}` failed (exit {done.returncode}) in {folder}", file=stderr)
            return 1
    return 0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", type=Path, metavar="DIR", help="the pack's folder (made if needed)")
    parser.add_argument("--install", action="store_true",
                        help="also make DIR/venv with the pack's requirements (pip; needs the package index)")
    parser.add_argument("--python", default=sys.executable,
                        help="the interpreter that makes the virtualenv with --install (default: this one)")


def run(args: argparse.Namespace, stdout: TextIO = sys.stdout, stderr: TextIO = sys.stderr) -> int:
    folder = args.folder.resolve()
    if folder.exists() and not folder.is_dir():
        print(f"policy-pack: {folder} is not a folder", file=stderr)
        return 2
    for path in write_pack(folder):
        print(f"Wrote {path}", file=stdout)
    if args.install:
        status = install(folder, args.python, stderr)
        if status:
            return status
        print(f"Made {folder / 'venv'} (pulumi-policy {POLICY_VERSION})", file=stdout)
    elif not (folder / "venv" / "bin" / "python").exists():
        print(f"Next: cd {folder} && python3 -m venv venv && venv/bin/pip install -r requirements.txt "
              "(or run this command again with --install)", file=stdout)
    print(f"Run it: pulumi preview --policy-pack {folder}  (the official CLI), or "
          f"pulumi preview --policy-pack {folder / LAUNCHER}  (any CLI since 3.255); "
          f"add --policy-pack-config FILE to configure the rules ({CONFIG_EXAMPLE} has every setting)", file=stdout)
    return 0
