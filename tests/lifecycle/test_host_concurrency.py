"""How many calls a provider host serves at once: ours as many as ChartMogul takes in flight (20), Pulumi's own 4.

Each create waits for all the others (a barrier), so a host that serves fewer calls at once than there are creates
never lets any of them finish: the figure is proven by what completes, not by a clock."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from pulumi.dynamic.dynamic import serialize_provider

from pulumi_chartmogul.provider_host.server import HOST_WORKERS
from testkit.host import IMPORTING_HOST, STOCK_HOST, ProviderHost, ProviderHostError
from tests.lifecycle.rendezvous_provider import PROVIDER_KEY, RendezvousProvider

TYPE = "pulumi-python:dynamic/tests:Rendezvous"
PROVIDER = serialize_provider(RendezvousProvider())


def create_together(host: ProviderHost, parties: int, timeout: float) -> list[str | BaseException]:
    def create(index: int) -> str | BaseException:
        props = {"name": f"r{index}", "parties": parties, "timeout": timeout, PROVIDER_KEY: PROVIDER}
        try:
            return host.create(TYPE, f"r{index}", props).id
        except ProviderHostError as exc:
            return exc

    with ThreadPoolExecutor(max_workers=parties) as pool:
        return list(pool.map(create, range(parties)))


def test_our_host_serves_as_many_calls_at_once_as_chartmogul_takes_in_flight() -> None:
    assert HOST_WORKERS == 20
    with ProviderHost(module=IMPORTING_HOST, timeout=90) as host:
        results = create_together(host, HOST_WORKERS, timeout=60)
    assert results == [f"r{index}" for index in range(HOST_WORKERS)]


@pytest.mark.parametrize("parties", [5])
def test_pulumis_own_host_serves_four(parties: int) -> None:
    """What a project without our host's ``plugins:`` lines keeps: 4 at a time, so 5 never meet."""
    with ProviderHost(module=STOCK_HOST, timeout=60) as host:
        results = create_together(host, parties, timeout=3)
    assert all(isinstance(result, ProviderHostError) and "BrokenBarrierError" in result.details
               for result in results), results
