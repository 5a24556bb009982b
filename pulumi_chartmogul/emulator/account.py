"""The account the emulator plays: ``GET /v1/account``, set per process (``--account-id``, ``--account-name``), so
that two emulators are two accounts.

The recorded answer (chartmogul-ruby's cassette, 2023) has ``name``, ``currency``, ``time_zone`` and
``week_start_on`` and no ``id``; today's official clients read an ``id`` (``acct_…``) too (chartmogul-python's
``Account`` schema and its test). The id's format beyond the prefix is not documented: the default is a guess
of that shape. ``--account-id ""`` answers as the older API did, without an id.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse

from .wire import JSON

DEFAULT_ACCOUNT_ID = "acct_e0e0e0e0-0000-4000-8000-000000000001"
DEFAULT_ACCOUNT_NAME = "Emulated account"


@dataclass(frozen=True)
class Account:
    id: str = DEFAULT_ACCOUNT_ID
    name: str = DEFAULT_ACCOUNT_NAME
    currency: str = "EUR"
    time_zone: str = "Europe/Berlin"
    week_start_on: str = "sunday"

    def body(self) -> dict[str, Any]:
        answer: dict[str, Any] = {"id": self.id} if self.id else {}
        return {**answer, "name": self.name, "currency": self.currency, "time_zone": self.time_zone,
                "week_start_on": self.week_start_on}


def add_account_route(app: FastAPI, account: Account) -> None:
    @app.get("/v1/account")
    def get_account() -> JSONResponse:
        return JSONResponse(account.body(), media_type=JSON)
