"""``pulumi-chartmogul export``: read a ChartMogul account and write it as the bootstrap program's catalog.

The command only: its flags, the settings it reads, where the text goes and what is said on stderr. What is read
and how it becomes a catalog (and what is left out) is :mod:`pulumi_chartmogul.catalog.export`.

Imports nothing of Pulumi until it runs: ``pulumi-chartmogul review`` builds the same parser.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from ..api.client import ChartMogulClient
from ..api.errors import AuthenticationError, ChartMogulError, ConfigurationError, TransportError
from ..api.settings import (
    CONFIG_ALLOWED_ACCOUNT_IDS,
    CONFIG_ENDPOINT,
    CONFIG_MAX_RETRIES,
    CONFIG_TIMEOUT,
    ENV_API_KEY,
    ENV_ENDPOINT,
    load_settings,
)
from ..catalog.export import ExportError, build_export, read_account, to_python, to_yaml, validate


def write_atomically(path: Path, text: str) -> None:
    """``text`` in ``path``, or ``path`` untouched: written to a temporary file beside it, then renamed."""
    directory = path.resolve().parent
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o777)
        else:
            os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise




def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--endpoint", help=f"API root (default: ${ENV_ENDPOINT}, else https://api.chartmogul.com/v1)")
    parser.add_argument("--timeout", metavar="SECONDS", help="read timeout per request (default 30)")
    parser.add_argument("--max-retries", metavar="N",
                        help="retries per request on 429, 5xx and connection errors (default 6; 0 fails fast)")
    parser.add_argument("--output", "-o", type=Path, help="write to this file (atomically) instead of stdout")
    parser.add_argument("--adopt", action="store_true",
                        help="give every data source, plan and plan group its uuid, so that the first preview "
                             "imports it (no create) and `up` records it in the state without a POST")
    parser.add_argument("--data-source", action="append", default=[], metavar="NAME", dest="data_sources",
                        help="export only this data source (repeatable)")
    parser.add_argument("--format", choices=("yaml", "python"), default="yaml",
                        help="yaml: stack config for the bootstrap program (default); python: a Pulumi program")


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def run(args: argparse.Namespace, stdout: TextIO = sys.stdout, stderr: TextIO = sys.stderr,
        environ: dict[str, str] | None = None) -> int:
    """The ``export`` command; 0 on success, 1 with a one-paragraph error on stderr otherwise."""

    def note(message: str) -> None:
        print(message, file=stderr, flush=True)

    env = dict(os.environ if environ is None else environ)
    try:
        options = {CONFIG_ENDPOINT: args.endpoint, CONFIG_TIMEOUT: args.timeout, CONFIG_MAX_RETRIES: args.max_retries}
        settings = load_settings(options.get, env)
        account = read_account(ChartMogulClient(settings), note)
        export = build_export(account, adopt=args.adopt, only=args.data_sources, note=note)
        validate(export)
        plans = sum(len(source["plans"]) for source in export.catalog)
        summary = (f"{_count(len(export.catalog), 'data source')}, {_count(plans, 'plan')}, "
                   f"{_count(len(export.plan_groups), 'plan group')}{' (adopt)' if args.adopt else ''}")
        header = f"# Exported from {settings.endpoint} by pulumi-chartmogul export: {summary}.\n"
        account_id = account.details.get("id") or None
        text = to_python(export, header) if args.format == "python" else to_yaml(export, header, account_id)
        if account_id is None:
            note("note: the account's GET /account answer has no id (an older API), so the stack cannot be pinned "
                 f"to it: no {CONFIG_ALLOWED_ACCOUNT_IDS} written.")
        elif args.format == "python":
            note(f"note: pin the stack to this account: pulumi config set --path '{CONFIG_ALLOWED_ACCOUNT_IDS}[0]' "
                 f"{account_id}")
        from ..catalog.file import STACK_CONFIG_LIMIT  # with the catalog, which imports Pulumi: only here

        if args.format == "yaml" and len(text.encode()) > STACK_CONFIG_LIMIT:
            note(f"note: {len(text.encode()):,} bytes is too large for stack config (Pulumi passes it to the "
                 "program in one environment variable; Linux allows 128 KiB). Keep it as its own file and set "
                 "`pulumi config set chartmogul-bootstrap:catalog_file <file>`.")
        if args.output is not None:
            write_atomically(args.output, text)
            note(f"Wrote {summary} to {args.output}")
        else:
            stdout.write(text)
            stdout.flush()
            note(f"Exported {summary}")
        return 0
    except AuthenticationError:
        note(f"export failed: the API key was refused (401). Check {ENV_API_KEY}.")
    except ConfigurationError as exc:
        note(f"export failed: {exc}")
    except TransportError as exc:
        note(f"export failed: {exc}. Check the endpoint (--endpoint or {ENV_ENDPOINT}).")
    except (ChartMogulError, ExportError, OSError) as exc:
        note(f"export failed: {exc}")
    if args.output is not None:
        note(f"{args.output} was not written.")
    return 1
