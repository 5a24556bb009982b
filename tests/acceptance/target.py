"""Which ChartMogul account the acceptance suite may work on, and the names it gives everything it makes there.

The suite runs against two targets through one code path: the local emulator (``make test``) and the account of
``CHARTMOGUL_API_KEY`` (``make acceptance``). Only the endpoint, the key and the account id differ, so each is a
:class:`Target`. A real account is a target only when all of these are set (:func:`account_target` refuses
otherwise, naming each one that is missing):

- ``CHARTMOGUL_ACCEPTANCE=1``: the explicit "yes, make and delete objects in an account";
- ``CHARTMOGUL_API_KEY``: the account's key;
- ``CHARTMOGUL_ALLOWED_ACCOUNT_IDS``: the id(s) the key must belong to (``acct_...``, comma-separated). Before
  anything is made the account is looked up once and refused if its id is not listed (:func:`check_account`), and
  the stacks the suite makes carry the same pin (``chartmogul:allowedAccountIds``), so the provider refuses every
  operation on another account too;
- ``CHARTMOGUL_ENDPOINT`` (optional): the API root, default ``https://api.chartmogul.com/v1``.

Every object a run makes is named with the run's prefix, ``pcm-acc-<UTC time>-<random>-``
(:func:`new_run_prefix`), so that what a run leaves behind is found by its name and nothing else
(``tests/acceptance/sweep.py``).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pulumi_chartmogul.api.client import ChartMogulClient, account_problem
from pulumi_chartmogul.api.errors import ChartMogulError, ConfigurationError
from pulumi_chartmogul.api.settings import (
    DEFAULT_ENDPOINT,
    ENV_ALLOWED_ACCOUNT_IDS,
    ENV_API_KEY,
    ENV_ENDPOINT,
    Settings,
    validate_endpoint,
)

ENV_ACCEPTANCE = "CHARTMOGUL_ACCEPTANCE"
# Every name a run gives starts with this; the sweep touches nothing else.
PREFIX_FAMILY = "pcm-acc-"
EMULATOR = "emulator"
ACCOUNT = "account"


class Refused(Exception):
    """The suite may not work on this account; the message says why and what to set."""


@dataclass(frozen=True)
class Target:
    """Where a run sends its requests: the emulator or a real account, with the only things that differ."""

    kind: str  # EMULATOR or ACCOUNT
    endpoint: str
    api_key: str = field(repr=False)
    allowed_account_ids: tuple[str, ...]

    def settings(self) -> Settings:
        return Settings(api_key=self.api_key, endpoint=self.endpoint, allowed_account_ids=self.allowed_account_ids)

    def client(self) -> ChartMogulClient:
        """The package's own client (its retries and its pace under ChartMogul's rate limit), pinned to the
        allowed accounts: every request it sends is refused on another account."""
        return ChartMogulClient(self.settings())


def account_target(environ: Mapping[str, str]) -> Target:
    """The real account the environment names, or :class:`Refused` with every reason it may not be used."""
    problems: list[str] = []
    flag = environ.get(ENV_ACCEPTANCE, "")
    if flag.strip() != "1":
        problems.append(f"{ENV_ACCEPTANCE} is {'not set' if not flag else repr(flag)}; set it to 1 to agree that the "
                        f"suite makes and deletes objects named {PREFIX_FAMILY}... in the account")
    api_key = environ.get(ENV_API_KEY, "").strip()
    if not api_key:
        problems.append(f"{ENV_API_KEY} is not set (the key of the account to test against)")
    allowed = tuple(part.strip() for part in environ.get(ENV_ALLOWED_ACCOUNT_IDS, "").split(",") if part.strip())
    if not allowed:
        problems.append(f"{ENV_ALLOWED_ACCOUNT_IDS} is not set (the id of the account the key belongs to, acct_...; "
                        "`curl -u $CHARTMOGUL_API_KEY: https://api.chartmogul.com/v1/account` shows it)")
    try:
        endpoint = validate_endpoint(environ.get(ENV_ENDPOINT) or DEFAULT_ENDPOINT)
    except ConfigurationError as exc:
        problems.append(f"{ENV_ENDPOINT}: {exc}")
        endpoint = ""
    if problems:
        raise Refused("refusing to run against a real ChartMogul account: " + "; ".join(problems) + ".")
    return Target(ACCOUNT, endpoint, api_key, allowed)


def check_account(client: ChartMogulClient) -> dict[str, Any]:
    """``GET /account`` once, before anything is made: the account, or :class:`Refused` if it is not one of the
    client's allowed accounts (or cannot be asked)."""
    try:
        account = client.get_account()
    except ChartMogulError as exc:
        raise Refused(f"cannot look up the account at {client.settings.endpoint}: {exc}") from None
    problem = account_problem(account, client.settings)
    if problem is not None:
        raise Refused(problem)
    return account


def new_run_prefix(now: datetime | None = None, token: str | None = None) -> str:
    """``pcm-acc-20251207-081500-3f9a1c-``: the family, the run's UTC start and a random part (two runs started in
    the same second, by two maintainers, still differ)."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    return f"{PREFIX_FAMILY}{moment:%Y%m%d-%H%M%S}-{token or secrets.token_hex(3)}-"


def require_acceptance_prefix(prefix: str) -> str:
    """``prefix`` if it is the family or lies within it (a run's prefix); anything else is refused, so that no
    listing by name can reach objects the suite did not make."""
    if not prefix.startswith(PREFIX_FAMILY):
        raise Refused(f"the prefix {prefix!r} is not an acceptance prefix: it must start with {PREFIX_FAMILY!r}")
    return prefix
