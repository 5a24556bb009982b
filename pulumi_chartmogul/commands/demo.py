"""``make demo``: the bootstrap program (``__main__.py`` + ``Pulumi.demo.yaml``) against the local emulator.

Run from the repository root as ``python -m pulumi_chartmogul.commands.demo``. It

1. gets a Pulumi CLI as ``make pulumi-cli`` does (``tools/pulumi-cli.sh``: on ``PATH``, in ``.pulumi-cli/``, the
   official installer, or a build from pulumi's Go modules). Without one it says so in one sentence and exits
   with status 2;
2. starts the emulator with its state in ``.demo/emulator.db`` and the demo key as the only accepted key;
3. selects (or creates) stack ``demo`` on a local file backend in ``.demo/state`` (passphrase ``demo``), sets
   ``chartmogul:apiKey`` as a secret, and runs ``pulumi up --refresh`` with the emulator's root in
   ``CHARTMOGUL_ENDPOINT``, showing the CLI's output as it comes (the refresh notices a deleted
   ``.demo/emulator.db``, and the up rebuilds it);
4. prints the exported uuids and the plans as the emulator's API lists them, and stops the emulator (also when
   something failed).

State lives in ``.demo/`` (git-ignored) and the CLI in ``.pulumi-cli/`` (git-ignored). The first run
also adds ``encryptionsalt`` and the encrypted demo key to ``Pulumi.demo.yaml``, as ``pulumi stack init`` and
``pulumi config set --secret`` always do. A second run finds everything in place and changes nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

import requests

from ..emulator.process import EmulatorStartError, logged_emulator
from . import pulumi_cli

DEMO_DIR = ".demo"
STACK = "demo"
DEMO_PASSPHRASE = "demo"
DEMO_API_KEY = "demo-key-not-a-secret"
EXIT_NO_CLI = 2

NO_CLI_MESSAGE = (
    "No Pulumi CLI is available (none on PATH or in {cli_dir}, and `make pulumi-cli` could not get one): install "
    "it as described at https://www.pulumi.com/docs/install/, or install Go, and re-run `make demo`."
)

# The folder that holds this package: the program, the provider host and the emulator import it from here.
PACKAGE_ROOT = Path(__file__).resolve().parent.parent


def _python_path() -> str:
    return os.pathsep.join(filter(None, [str(PACKAGE_ROOT), os.environ.get("PYTHONPATH")]))


def default_project_dir() -> Path:
    """The repository root (where ``Pulumi.yaml`` is), else the current directory."""
    root = Path(__file__).resolve().parent.parent
    return root if (root / "Pulumi.yaml").is_file() else Path.cwd()


def list_plans(api_root: str, api_key: str) -> list[dict[str, Any]]:
    """Every plan, as ``GET /v1/plans`` lists them, following the cursor."""
    plans: list[dict[str, Any]] = []
    params: dict[str, Any] = {"per_page": 200}
    while True:
        response = requests.get(f"{api_root}/plans", params=params, auth=(api_key, ""), timeout=10)
        response.raise_for_status()
        page = response.json()
        plans.extend(page.get("plans", []))
        if not page.get("has_more") or not page.get("cursor"):
            return plans
        params["cursor"] = page["cursor"]


def run_demo(project_dir: Path, cli_dir: Path) -> int:
    from pulumi import automation as auto
    from semver import VersionInfo

    demo_dir = project_dir / DEMO_DIR
    state_dir = demo_dir / "state"
    state_dir.mkdir(parents=True, exist_ok=True)
    command = auto.PulumiCommand(root=str(cli_dir.parent), version=VersionInfo.parse(pulumi_cli.MINIMUM_VERSION))
    emulator_args = ["--db", str(demo_dir / "emulator.db"), "--api-key", DEMO_API_KEY]
    emulator_env = {**os.environ, "PYTHONPATH": _python_path()}
    with logged_emulator(emulator_args, demo_dir / "emulator.log", emulator_env) as (api_root, _):
        print(f"Emulator: {api_root} (state in {demo_dir / 'emulator.db'})", flush=True)
        env = pulumi_cli.offline_env(cli_dir, state_dir, DEMO_PASSPHRASE, {
            "CHARTMOGUL_ENDPOINT": api_root,
            # The program and the provider host import this pulumi_chartmogul, whatever the venv holds.
            "PYTHONPATH": _python_path(),
        })
        stack = auto.create_or_select_stack(
            stack_name=STACK,
            work_dir=str(project_dir),
            opts=auto.LocalWorkspaceOptions(pulumi_command=command, env_vars=env),
        )
        try:
            current: auto.ConfigValue | None = stack.get_config("chartmogul:apiKey")
        except auto.CommandError:
            current = None
        if current is None or current.value != DEMO_API_KEY:
            stack.set_config("chartmogul:apiKey", auto.ConfigValue(value=DEMO_API_KEY, secret=True))
        # refresh first: if .demo/emulator.db was deleted, the state learns that and `up` recreates everything.
        result = stack.up(on_output=print, refresh=True)
        counts = {str(getattr(op, "value", op)): n for op, n in (result.summary.resource_changes or {}).items()}
        changed = ", ".join(f"{op} {n}" for op, n in sorted(counts.items()) if op != "same" and n)
        print(f"\nChanges: {changed or 'none'} ({counts.get('same', 0)} unchanged)")
        data_sources = result.outputs["data_sources"].value if "data_sources" in result.outputs else {}
        plans = result.outputs["plans"].value if "plans" in result.outputs else {}
        print("\nData sources (exported):")
        for name, uuid in sorted(data_sources.items()):
            print(f"  {uuid}  {name}")
        print("\nPlans (exported, by data source, then external id):")
        for source, in_source in sorted(plans.items()):
            for external_id, uuid in sorted(in_source.items()):
                print(f"  {uuid}  {source} / {external_id}")
        groups = result.outputs["plan_groups"].value if "plan_groups" in result.outputs else {}
        if groups:
            print("\nPlan groups (exported):")
            for name, uuid in sorted(groups.items()):
                print(f"  {uuid}  {name}")
        print(f"\nPlans as GET {api_root}/plans lists them:")
        for plan in list_plans(api_root, DEMO_API_KEY):
            print(
                f"  {plan['uuid']}  {plan['external_id']:<20} {plan['name']:<22} "
                f"every {plan['interval_count']} {plan['interval_unit']}(s)  in {plan['data_source_uuid']}"
            )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pulumi_chartmogul.commands.demo",
        description="Run the bootstrap program (Pulumi.demo.yaml) against the local ChartMogul emulator.",
    )
    parser.add_argument("--project-dir", type=Path, default=None,
                        help="the folder with Pulumi.yaml (default: this repository)")
    args = parser.parse_args(argv)
    project_dir: Path = (args.project_dir or default_project_dir()).resolve()
    cli_dir = pulumi_cli.obtain(project_dir)
    if cli_dir is None:
        print(NO_CLI_MESSAGE.format(cli_dir=project_dir / pulumi_cli.CLI_DIR), file=sys.stderr)
        return EXIT_NO_CLI
    from pulumi.automation import CommandError

    try:
        return run_demo(project_dir, cli_dir)
    except (CommandError, EmulatorStartError) as exc:
        # The CLI's own output was shown as it came; this adds its error stream and exit code.
        print(f"\nThe demo failed: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
