"""The emulator's command line: its arguments and their types (also used by ``bench``'s command line)."""

from __future__ import annotations

import argparse

from .account import DEFAULT_ACCOUNT_ID, DEFAULT_ACCOUNT_NAME


def positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text}")
    return value


def non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {text}")
    return value


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m pulumi_chartmogul.emulator",
                                     description="A local ChartMogul API (data sources, plans and plan groups).")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=non_negative_int, default=0, help="port; 0 picks a free one (default)")
    parser.add_argument("--db", default=None, help="SQLite file for state; in memory when absent")
    parser.add_argument("--api-key", default=None, help="accept only this key (default: any non-empty key)")
    parser.add_argument("--rate-limit", type=positive_int, default=None,
                        help="requests per second before 429 (the real API allows 40; default off)")
    parser.add_argument("--max-connections", type=positive_int, default=None,
                        help="requests in flight before 503 (the real API allows 20; default off)")
    parser.add_argument("--latency-ms", type=non_negative_int, default=0, help="added to every /v1 request")
    parser.add_argument("--seed", type=int, default=None, help="makes generated uuids reproducible")
    parser.add_argument("--account-id", default=DEFAULT_ACCOUNT_ID,
                        help=f"the id GET /v1/account answers (default {DEFAULT_ACCOUNT_ID}); "
                             "empty: no id, as the older API answered")
    parser.add_argument("--account-name", default=DEFAULT_ACCOUNT_NAME,
                        help=f"the account's name (default {DEFAULT_ACCOUNT_NAME!r})")
    return parser.parse_args(argv)
