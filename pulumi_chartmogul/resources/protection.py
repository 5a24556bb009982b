"""Deletion protection for data sources: ChartMogul deletes a data source's customers, invoices, subscriptions,
custom attributes, tags and manual edits with it, immediately and irrevocably. A source that holds customers is
deleted (or replaced) only when the resource sets ``force_destroy=True``; an empty one is deleted as always.

One request (a one-entry page of the source's customers) decides; it is sent only when a delete or a replacement
of the source is planned, never for a preview without changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..api.errors import ChartMogulError

if TYPE_CHECKING:
    from ..api.client import ChartMogulClient

WHAT_IS_LOST = "customers, invoices, subscriptions, custom attributes, tags and manual edits"


class DataSourceHoldsCustomersError(ChartMogulError):
    """A delete or replacement of a data source that holds customers, without ``force_destroy=True``."""

    def __str__(self) -> str:
        return self.message


def forced(props: Mapping[str, Any] | None) -> bool:
    """Whether ``props`` sets ``force_destroy`` (a state written before it existed has none: False)."""
    return bool((props or {}).get("force_destroy"))


def refuse_if_it_holds_customers(client: ChartMogulClient, uuid: str, name: str, action: str, *,
                                 just_set: bool = False) -> None:
    """Raise :class:`DataSourceHoldsCustomersError` if the data source ``uuid`` holds customers.

    ``force_destroy`` counts once it is in the state: the delete of a replaced or removed source sees only the
    state. ``just_set`` says the program sets it in this very run (the message then says to record it first).
    """
    count = client.customers_in(uuid)
    if count == 0:
        return
    holds = "customers" if count is None else f"{count} customer{'s' if count != 1 else ''}"
    how = ("force_destroy=True is set but not yet in the state: run `pulumi up` once with the data source as it "
           "is (the update only records force_destroy), then make this change" if just_set else
           "set force_destroy=True on this DataSource (force_destroy: true in its catalog entry) and run "
           "`pulumi up` once to record it, then make this change")
    raise DataSourceHoldsCustomersError(
        f"Refusing to {action} the data source {name!r} ({uuid}): it holds {holds}. ChartMogul would delete its "
        f"{WHAT_IS_LOST} with it, immediately and irrevocably. To allow it, {how}."
    )
