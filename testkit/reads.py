"""What reads of plans cost since they are list-backed (``pulumi_chartmogul/api/listed_reads.py``): a GET or a share
of a listing page, which one depending on the order the engine's concurrent reads arrive in. Tests count them as
one figure, held to the provider's promise: never more than one request above one GET per plan read (nor fewer
than one request): a listing page fetched before the reads it was for may answer none of them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

PLAN_READ_ROUTES = ("GET /v1/plans/{uuid}", "GET /v1/plans")


def split_plan_reads(requests: Mapping[str, int]) -> tuple[int, Counter[str]]:
    """The requests that read plans (GETs by uuid and listing pages) as one count, and every other route's."""
    rest = Counter({route: count for route, count in requests.items() if route not in PLAN_READ_ROUTES and count})
    return sum(requests.get(route, 0) for route in PLAN_READ_ROUTES), rest


def assert_plans_read(requests: Mapping[str, int], plans: int, others: Mapping[str, int]) -> None:
    """``plans`` plans were read for at most one request each (plus one), and the other routes were exactly
    ``others``."""
    spent, rest = split_plan_reads(requests)
    assert 1 <= spent <= plans + 1, f"{spent} requests read {plans} plans: {dict(requests)}"
    assert rest == Counter({route: count for route, count in others.items() if count}), dict(requests)
