"""The provider host, in-process: its one servicer class and the SDK server it stands on, which Reads are imports,
and the inputs an older SDK leaves out."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from pulumi.runtime import proto, rpc
from pulumi.runtime.proto import ResourceProviderServicer

from pulumi_chartmogul.provider_host import sdk_server
from pulumi_chartmogul.provider_host.importing import is_import_read, our_providers, provider_blobs, with_inputs
from pulumi_chartmogul.provider_host.server import OVERRIDDEN_RPCS, ChartMogulHostServicer, SdkServicer
from pulumi_chartmogul.resources._base import PROVIDER_KEY
from pulumi_chartmogul.resources.plan import PlanProvider
from testkit.providers import DATA_SOURCE, PLAN, PLAN_GROUP, PLAN_PROVIDER

SOURCE = "ds_11111111-1111-4111-8111-111111111111"


def struct(props: dict[str, Any]) -> Any:
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(rpc.serialize_properties(props, {}))
    finally:
        loop.close()


def test_only_a_read_with_no_provider_anywhere_is_an_import() -> None:
    assert is_import_read(proto.ReadRequest(id="pl_1", type=PLAN))
    assert not is_import_read(proto.ReadRequest(id="pl_1", properties=struct({PROVIDER_KEY: "x"})))
    assert not is_import_read(proto.ReadRequest(id="pl_1", inputs=struct({PROVIDER_KEY: "x"})))


def test_the_blobs_are_what_the_program_stores() -> None:
    assert set(our_providers()) == set(provider_blobs()) == {DATA_SOURCE, PLAN, PLAN_GROUP}
    assert provider_blobs()[PLAN] == PLAN_PROVIDER


def test_the_sdk_server_entry_point_is_the_one_our_serve_mirrors() -> None:
    """``server.serve`` does what the SDK's ``main`` does, with our servicer and pool: when an SDK's ``main`` changes
    (another port, options, a handshake), this fails, and ``serve`` is read against it before anything else."""
    assert sdk_server.entry_point() == sdk_server.SDK_ENTRY_POINT
    assert SdkServicer.__name__ == sdk_server.SERVICER and issubclass(SdkServicer, ResourceProviderServicer)


def test_the_host_servicer_overrides_exactly_the_rpcs_it_lists() -> None:
    rpcs = {name for name in vars(ResourceProviderServicer) if name[:1].isupper()}
    overridden = {name for name in vars(ChartMogulHostServicer) if name[:1].isupper()}
    assert overridden == set(OVERRIDDEN_RPCS)
    assert overridden <= rpcs
    assert all(name in vars(SdkServicer) for name in overridden)  # each is the SDK's, with our addition


def test_an_import_read_of_ours_arrives_with_its_provider_and_other_reads_unchanged(
        monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Any] = []

    def sdk_read(_self: Any, request: Any, _context: Any) -> Any:
        seen.append(request)
        return proto.ReadResponse(id=request.id, properties=struct({"name": "Gold", PROVIDER_KEY: PLAN_PROVIDER}),
                                  inputs=struct({"name": "Gold", PROVIDER_KEY: PLAN_PROVIDER}))

    monkeypatch.setattr(SdkServicer, "Read", sdk_read)
    read = ChartMogulHostServicer().Read
    read(proto.ReadRequest(id="pl_1", type=PLAN), None)
    assert rpc.deserialize_properties(seen[-1].properties) == {PROVIDER_KEY: PLAN_PROVIDER}
    foreign = proto.ReadRequest(id="x", type="pulumi-python:dynamic:Resource")
    read(foreign, None)
    assert seen[-1] is foreign
    refresh = proto.ReadRequest(id="pl_1", type=PLAN, properties=struct({PROVIDER_KEY: "old blob"}))
    read(refresh, None)
    assert seen[-1] is refresh


def test_an_answer_without_inputs_gets_the_inputs_a_later_sdk_would_send() -> None:
    outputs = {"uuid": "pl_1", "data_source_uuid": SOURCE, "name": "Gold", "interval_count": 1.0,
               "interval_unit": "month", "external_id": "gold", PROVIDER_KEY: PLAN_PROVIDER}
    response = with_inputs(proto.ReadResponse(id="pl_1", properties=struct(outputs)), PlanProvider())
    assert rpc.deserialize_properties(response.inputs) == {
        "data_source_uuid": SOURCE, "name": "Gold", "interval_count": 1, "interval_unit": "month",
        "external_id": "gold", "adopt": False, PROVIDER_KEY: PLAN_PROVIDER}
    answered = proto.ReadResponse(id="pl_1", properties=struct(outputs), inputs=struct({"name": "kept"}))
    assert rpc.deserialize_properties(with_inputs(answered, PlanProvider()).inputs) == {"name": "kept"}
