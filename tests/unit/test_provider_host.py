"""The provider host, in-process: its one servicer class and the SDK server it stands on, which Reads are imports,
and the inputs an older SDK leaves out."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from pulumi.runtime import proto, rpc
from pulumi.runtime.proto import ResourceProviderServicer

from pulumi_chartmogul.provider_host import sdk_server
from pulumi_chartmogul.provider_host.importing import is_import_read, our_providers, provider_blobs
from pulumi_chartmogul.provider_host.server import OVERRIDDEN_RPCS, ChartMogulServer, SdkServicer
from pulumi_chartmogul.resources._base import PROVIDER_KEY
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


def test_the_server_overrides_exactly_the_rpcs_it_lists() -> None:
    rpcs = {name for name in vars(ResourceProviderServicer) if name[:1].isupper()}
    overridden = {name for name in vars(ChartMogulServer) if name[:1].isupper()}
    assert overridden == set(OVERRIDDEN_RPCS)
    assert overridden <= rpcs
    assert all(name in vars(SdkServicer) for name in overridden)  # each replaces the SDK's, which answers the rest


class FakeProvider:
    """Records a read; answers an object with the inputs an import writes."""

    def __init__(self) -> None:
        self.reads: list[tuple[str, dict[str, Any]]] = []

    def read(self, id_: str, props: dict[str, Any]) -> Any:
        from pulumi_chartmogul.resources._base import read_result

        self.reads.append((id_, props))
        return read_result(id_, {"uuid": id_, "name": "Gold"}, {"name": "Gold", "adopt": False})


class Context:
    def abort(self, code: Any, details: str) -> None:
        raise AssertionError(f"aborted with {code}: {details}")


def test_a_read_of_ours_goes_to_its_provider_with_the_pickle_an_import_lacks_and_others_to_the_sdk(
        monkeypatch: pytest.MonkeyPatch) -> None:
    provider, carriers, sdk_reads = FakeProvider(), [], []

    def get_provider(props: dict[str, Any], _config: dict[str, Any]) -> FakeProvider:
        carriers.append(props)
        return provider

    monkeypatch.setattr(sdk_server.module(), "get_provider", get_provider)
    monkeypatch.setattr(SdkServicer, "Read", lambda _self, request, _context: sdk_reads.append(request))
    server = ChartMogulServer()

    imported = server.Read(proto.ReadRequest(id="pl_1", type=PLAN), Context())
    assert carriers[-1] == {PROVIDER_KEY: PLAN_PROVIDER}  # the import's Read carried no pickle: the server's own
    assert rpc.deserialize_properties(imported.properties) == {"uuid": "pl_1", "name": "Gold",
                                                               PROVIDER_KEY: PLAN_PROVIDER}
    assert rpc.deserialize_properties(imported.inputs) == {"name": "Gold", "adopt": False,
                                                           PROVIDER_KEY: PLAN_PROVIDER}

    refresh = proto.ReadRequest(id="pl_1", type=PLAN, properties=struct({"uuid": "pl_1", PROVIDER_KEY: "old blob"}))
    refreshed = server.Read(refresh, Context())
    assert carriers[-1][PROVIDER_KEY] == "old blob"  # the state's own pickle, carried back
    assert rpc.deserialize_properties(refreshed.properties)[PROVIDER_KEY] == "old blob"

    foreign = proto.ReadRequest(id="x", type="pulumi-python:dynamic:Resource")
    server.Read(foreign, Context())
    assert sdk_reads == [foreign] and len(provider.reads) == 2


def test_a_native_read_speaks_camel_case_to_the_engine_and_snake_case_to_the_provider(
        monkeypatch: pytest.MonkeyPatch) -> None:
    provider = FakeProvider()
    server = ChartMogulServer(native=True)
    monkeypatch.setattr(server._native, "get", lambda _token: provider)
    answer = server.Read(proto.ReadRequest(id="pl_1", type="chartmogul:index:Plan",
                                           properties=struct({"uuid": "pl_1", "dataSourceUuid": SOURCE})), Context())
    assert provider.reads == [("pl_1", {"uuid": "pl_1", "data_source_uuid": SOURCE})]
    assert rpc.deserialize_properties(answer.properties) == {"uuid": "pl_1", "name": "Gold"}
    assert PROVIDER_KEY not in rpc.deserialize_properties(answer.inputs)


NATIVE_PLAN = "chartmogul:index:Plan"
PLAN_URN = f"urn:pulumi:dev::catalog::{NATIVE_PLAN}::gold"
DECLARED = {"dataSourceUuid": SOURCE, "name": "Gold", "intervalCount": 1, "intervalUnit": "month"}


def test_a_native_check_names_fields_as_the_program_does_and_defaults_the_external_id_to_the_resource_name() -> None:
    server = ChartMogulServer(native=True)
    checked = server.Check(proto.CheckRequest(urn=PLAN_URN, type=NATIVE_PLAN, news=struct(DECLARED)), Context())
    assert not checked.failures
    assert rpc.deserialize_properties(checked.inputs) == {**DECLARED, "externalId": "gold", "adopt": False}
    bad = server.Check(proto.CheckRequest(urn=PLAN_URN, type=NATIVE_PLAN,
                                          news=struct({**DECLARED, "intervalUnit": "mnth", "intervalCount": 1.5})),
                       Context())
    assert sorted(failure.property for failure in bad.failures) == ["intervalCount", "intervalUnit"]


def test_a_native_diff_is_field_by_field_and_a_new_data_source_replaces() -> None:
    server = ChartMogulServer(native=True)
    olds = {**DECLARED, "externalId": "gold", "adopt": False, "uuid": "pl_1"}
    renamed = server.Diff(proto.DiffRequest(id="pl_1", urn=PLAN_URN, type=NATIVE_PLAN, olds=struct(olds),
                                            news=struct({**olds, "name": "Gold v2"})), Context())
    assert renamed.changes == proto.DiffResponse.DIFF_SOME and list(renamed.replaces) == []
    assert dict(renamed.detailedDiff)["name"].kind == proto.PropertyDiff.UPDATE
    moved = server.Diff(proto.DiffRequest(id="pl_1", urn=PLAN_URN, type=NATIVE_PLAN, olds=struct(olds),
                                          news=struct({**olds, "dataSourceUuid": SOURCE.replace("1", "2")})), Context())
    assert list(moved.replaces) == ["dataSourceUuid"]
    assert dict(moved.detailedDiff)["dataSourceUuid"].kind == proto.PropertyDiff.UPDATE_REPLACE
    same = server.Diff(proto.DiffRequest(id="pl_1", urn=PLAN_URN, type=NATIVE_PLAN, olds=struct(olds),
                                         news=struct(olds)), Context())
    assert same.changes == proto.DiffResponse.DIFF_NONE


def test_a_new_key_or_endpoint_updates_the_provider_and_replaces_nothing() -> None:
    server = ChartMogulServer(native=True)
    olds = {"apiKey": "k1", "endpoint": "http://127.0.0.1:9/v1", "version": "0.2.0"}
    changed = server.DiffConfig(proto.DiffRequest(olds=struct(olds), news=struct({**olds, "apiKey": "k2"})), Context())
    assert changed.changes == proto.DiffResponse.DIFF_SOME
    assert list(changed.diffs) == ["apiKey"] and list(changed.replaces) == []
    unchanged = server.DiffConfig(proto.DiffRequest(olds=struct(olds), news=struct(olds)), Context())
    assert unchanged.changes == proto.DiffResponse.DIFF_NONE


def test_a_bad_setting_fails_the_provider_s_check_naming_it_and_a_missing_key_is_left_to_the_environment() -> None:
    server = ChartMogulServer(native=True)
    bad = server.CheckConfig(proto.CheckRequest(news=struct({"apiKey": "k", "timeoutSeconds": "soon"})), Context())
    assert [(f.property, "timeoutSeconds must be a number" in f.reason) for f in bad.failures] == [
        ("timeoutSeconds", True)]
    assert not server.CheckConfig(proto.CheckRequest(news=struct({"endpoint": "http://127.0.0.1:9/v1"})),
                                  Context()).failures


class FakeClientProvider:
    client = None


def test_a_lookup_that_finds_nothing_names_its_key_and_another_failure_fails_the_call(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from pulumi_chartmogul.api.errors import AccountNotAllowedError
    from pulumi_chartmogul.resources import lookups

    server = ChartMogulServer(native=True)
    monkeypatch.setattr(server._native, "get", lambda _token: FakeClientProvider())
    request = proto.InvokeRequest(tok="chartmogul:index:getPlan",
                                  args=struct({"dataSourceUuid": SOURCE, "externalId": "gold"}))

    def nothing(*_args: Any, **_kwargs: Any) -> Any:
        raise lookups.NothingFoundError("no plan with external_id 'gold'", {"data_source_uuid": SOURCE,
                                                                            "external_id": "gold"})

    monkeypatch.setattr(lookups, "invoke", nothing)
    answer = server.Invoke(request, Context())
    assert [(f.property, f.reason) for f in answer.failures] == [
        ("dataSourceUuid, externalId", "no plan with external_id 'gold'")]

    def refused(*_args: Any, **_kwargs: Any) -> Any:
        raise AccountNotAllowedError("refusing to work on the ChartMogul account acct_x")

    monkeypatch.setattr(lookups, "invoke", refused)
    with pytest.raises(AssertionError, match="refusing to work on the ChartMogul account acct_x"):
        server.Invoke(request, Context())  # Context.abort raises, as gRPC's does
    unknown = server.Invoke(proto.InvokeRequest(tok="chartmogul:index:getNothing"), Context())
    assert [f.reason for f in unknown.failures] == ["unknown function chartmogul:index:getNothing"]
