"""The lookups' arguments are checked before anything is sent (a client that fails on any use proves it), the
``LOOKUPS`` table agrees with the functions, the resources' outputs and the Python face's result types, and the
core's choices on answers a fake client gives (exact matches only, several found, a missing external id)."""

from __future__ import annotations

import dataclasses
import inspect
import re
from typing import Any, cast

import pulumi
import pytest

from pulumi_chartmogul.api.client import ChartMogulClient
from pulumi_chartmogul.resources import data_source, lookup_functions, lookups, plan, plan_group
from pulumi_chartmogul.resources.lookups import LOOKUPS, LookupArgumentError, NothingFoundError, SeveralFoundError

DS = "ds_1b2c3d4e-0000-4000-8000-000000000000"
PL = "pl_1b2c3d4e-0000-4000-8000-000000000000"
PLG = "plg_1b2c3d4e-0000-4000-8000-000000000000"


class NoRequests:
    """A client double: any use at all fails the test."""

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"the lookup used the client ({name}) for arguments it should have refused")


NO_REQUESTS = cast(ChartMogulClient, NoRequests())

BAD_CALLS: list[tuple[Any, dict[str, Any], list[tuple[str, str]]]] = [
    (lookups.get_data_source, {}, [("", "nothing to look up by: getDataSource takes name alone, or uuid alone")]),
    (lookups.get_data_source, {"name": "Stripe", "uuid": DS},
     [("uuid", "cannot be combined with name: getDataSource takes name alone, or uuid alone")]),
    (lookups.get_data_source, {"uuid": PL},
     [("uuid", f"must be a data source uuid such as ds_1b2c3d4e-0000-4000-8000-000000000000, got '{PL}'")]),
    (lookups.get_data_source, {"name": ""}, [("name", "String should have at least 1 character (got '')")]),
    (lookups.get_data_source, {"name": "Stripe "}, [("name", "must not start or end with whitespace (got 'Stripe ')")]),
    (lookups.get_plan, {"data_source_uuid": DS},
     [("external_id", "is required with data_source_uuid: getPlan takes data_source_uuid and external_id, or uuid "
                      "alone")]),
    (lookups.get_plan, {"external_id": "gold"},
     [("data_source_uuid", "is required with external_id: getPlan takes data_source_uuid and external_id, or uuid "
                           "alone")]),
    (lookups.get_plan, {"uuid": PL, "external_id": "gold"},
     [("external_id", "cannot be combined with uuid: getPlan takes data_source_uuid and external_id, or uuid "
                      "alone")]),
    (lookups.get_plan, {"uuid": PL.upper()},
     [("uuid", f"must be a plan uuid such as pl_1b2c3d4e-0000-4000-8000-000000000000, got '{PL.upper()}'")]),
    (lookups.get_plan, {"data_source_uuid": "Stripe", "external_id": 7},  # every bad value at once
     [("data_source_uuid", "must be a data source uuid such as ds_1b2c3d4e-0000-4000-8000-000000000000, got "
                           "'Stripe'"),
      ("external_id", "Input should be a valid string (got 7)")]),
    (lookups.get_plans, {}, [("data_source_uuid", "is required")]),
    (lookups.get_plans, {"data_source_uuid": DS + " "}, [("data_source_uuid", "must be a data source uuid such as "
                                                         f"ds_1b2c3d4e-0000-4000-8000-000000000000, got '{DS} '")]),
    (lookups.get_plan_group, {"uuid": DS}, [("uuid", "must be a plan group uuid such as "
                                                     f"plg_1b2c3d4e-0000-4000-8000-000000000000, got '{DS}'")]),
    (lookups.get_plan_group, {"name": "x" * 256},
     [("name", f"String should have at most 255 characters (got '{'x' * 256}')")]),
]


@pytest.mark.parametrize(("function", "arguments", "failures"), BAD_CALLS)
def test_bad_arguments_are_refused_before_any_request(function: Any, arguments: dict[str, Any],
                                                      failures: list[tuple[str, str]]) -> None:
    with pytest.raises(LookupArgumentError) as caught:
        function(NO_REQUESTS, **arguments)
    assert list(caught.value.failures) == failures
    token = caught.value.token
    assert str(caught.value) == f"{token}: " + "; ".join(f"{a}: {r}" if a else r for a, r in failures)


def test_an_argument_a_lookup_does_not_take_is_refused_by_name() -> None:
    with pytest.raises(LookupArgumentError) as caught:
        lookups.invoke(lookups.GET_DATA_SOURCE, NO_REQUESTS, {"name": "Stripe", "system": "Stripe"})
    assert caught.value.failures == (("system", "is not an argument of getDataSource (arguments: name, uuid)"),)
    with pytest.raises(LookupArgumentError, match="x: is not an argument of getAccount"):
        lookups.invoke(lookups.GET_ACCOUNT, NO_REQUESTS, {"x": "1"})


def test_not_given_is_none_and_an_empty_string_is_given() -> None:
    assert lookups.check_arguments(lookups.GET_PLAN, {"uuid": PL, "external_id": None, "data_source_uuid": None}) == {
        "uuid": PL}
    with pytest.raises(LookupArgumentError, match="external_id: String should have at least 1 character"):
        lookups.check_arguments(lookups.GET_PLAN, {"uuid": PL, "external_id": ""})


def test_values_not_known_yet_count_for_the_combination_only() -> None:
    assert lookups.check_arguments(lookups.GET_PLAN, {"data_source_uuid": object(), "external_id": "gold"},
                                   pending=["data_source_uuid"]) == {"external_id": "gold"}
    with pytest.raises(LookupArgumentError, match="external_id: is required with data_source_uuid"):
        lookups.check_arguments(lookups.GET_PLAN, {"data_source_uuid": object()}, pending=["data_source_uuid"])


# -- the table ------------------------------------------------------------------------------------------------


def snake(token: str) -> str:
    return re.sub(r"[A-Z]", lambda m: "_" + m.group(0).lower(), token)


def test_the_table_describes_each_function() -> None:
    assert [lookup.token for lookup in LOOKUPS] == ["getDataSource", "getPlan", "getPlans", "getPlanGroup",
                                                    "getAccount"]
    for lookup in LOOKUPS:
        assert lookup.function.__name__ == snake(lookup.token)
        assert lookups.lookup_named(lookup.token) is lookup
        parameters = list(inspect.signature(lookup.function).parameters.values())
        assert parameters[0].name == "client"
        keywords = parameters[1:]
        assert [p.name for p in keywords] == [a.name for a in lookup.arguments]
        assert all(p.kind is p.KEYWORD_ONLY and p.default is None for p in keywords)
        named = {argument.name for argument in lookup.arguments}
        assert {name for way in lookup.ways for name in way} == named, lookup.token
        assert len(set(lookup.ways)) == len(lookup.ways)
        assert lookup.description and all(a.description for a in lookup.arguments)
        assert all(f.description for f in lookup.result)
    with pytest.raises(KeyError):
        lookups.lookup_named("getCustomer")


def test_required_arguments_are_those_of_every_way() -> None:
    assert lookups.GET_PLAN.required == frozenset()
    assert lookups.GET_PLANS.required == {"data_source_uuid"}
    assert lookups.GET_ACCOUNT.required == frozenset()


def fields(result: tuple[lookups.Field, ...]) -> set[str]:
    return {field.name for field in result}


def test_results_have_the_resources_output_fields() -> None:
    assert fields(lookups.GET_DATA_SOURCE.result) == set(data_source.POLICY.outputs)
    assert fields(lookups.GET_PLAN.result) == set(plan.POLICY.outputs)
    assert fields(lookups.GET_PLAN_GROUP.result) == set(plan_group.POLICY.outputs)
    (items,) = [f.items for f in lookups.GET_PLANS.result if f.name == "plans"]
    assert isinstance(items, lookups.ObjectType) and items.fields == lookups.GET_PLAN.result


def test_the_python_face_s_result_types_have_the_table_s_fields() -> None:
    types = {"getDataSource": lookup_functions.GetDataSourceResult, "getPlan": lookup_functions.GetPlanResult,
             "getPlans": lookup_functions.GetPlansResult, "getPlanGroup": lookup_functions.GetPlanGroupResult,
             "getAccount": lookup_functions.GetAccountResult}
    for lookup in LOOKUPS:
        result_type = types[lookup.token]
        assert [f.name for f in dataclasses.fields(result_type)] == [f.name for f in lookup.result], lookup.token
        function = getattr(lookup_functions, snake(lookup.token))
        signature = inspect.signature(function)
        assert list(signature.parameters) == [a.name for a in lookup.arguments]
        assert signature.return_annotation == f"pulumi.Output[{result_type.__name__}]"
        # A field the API may leave out is Optional in the type; the others are not.
        hints = {f.name: str(f.type) for f in dataclasses.fields(result_type)}
        for field in lookup.result:
            assert hints[field.name].endswith("| None") is (not field.required), (lookup.token, field.name)


# -- the core's choices, on a fake client's answers -----------------------------------------------------------


class Answers:
    """A client double answering from fixed lists, recording each call."""

    def __init__(self, **answers: Any) -> None:
        self.answers = answers
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def __getattr__(self, name: str) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            self.calls.append((name, kwargs or {"args": args}))
            answer = self.answers[name]
            if isinstance(answer, Exception):
                raise answer
            return iter(answer) if isinstance(answer, list) and name.startswith("list_") else answer
        return call


def source(uuid: str, name: str) -> dict[str, Any]:
    return {"uuid": uuid, "name": name, "system": "Stripe", "status": "idle", "created_at": "2024-01-01T00:00:00Z"}


def test_only_exact_matches_count() -> None:
    client = Answers(list_data_sources=[source(DS, "stripe"), source(DS, "Stripe")],
                     list_plans=[{"uuid": PL, "data_source_uuid": DS, "name": "G", "interval_count": 1.0,
                                  "interval_unit": "month", "external_id": "GOLD"}],
                     get_data_source=source(DS, "Stripe"))
    found = lookups.get_data_source(cast(ChartMogulClient, client), name="Stripe")
    assert found == source(DS, "Stripe")
    with pytest.raises(NothingFoundError, match="no plan with external_id 'gold' in data source"):
        lookups.get_plan(cast(ChartMogulClient, client), data_source_uuid=DS, external_id="gold")
    assert client.calls[1] == ("list_plans", {"data_source_uuid": DS, "external_id": "gold"})


def test_several_data_sources_with_one_name_are_an_error() -> None:
    other = DS.replace("1b2c", "9999")
    client = Answers(list_data_sources=[source(DS, "Stripe"), source(other, "Stripe")])
    with pytest.raises(SeveralFoundError) as caught:
        lookups.get_data_source(cast(ChartMogulClient, client), name="Stripe")
    assert caught.value.uuids == (DS, other)
    assert str(caught.value) == f"2 data sources are named 'Stripe': {DS}, {other}"


def test_a_plan_s_count_is_an_int_and_a_missing_external_id_is_none() -> None:
    client = Answers(read_plan_via_listing={"uuid": PL, "data_source_uuid": DS, "name": "Old", "interval_count": 12.0,
                                            "interval_unit": "month"})
    found = lookups.get_plan(cast(ChartMogulClient, client), uuid=PL)
    assert found["interval_count"] == 12 and isinstance(found["interval_count"], int)
    assert found["external_id"] is None


# -- the Python face checks what it can at the call ---------------------------------------------------------


def test_the_python_face_refuses_a_bad_call_at_its_line() -> None:
    with pytest.raises(LookupArgumentError, match="external_id: is required with data_source_uuid"):
        lookup_functions.get_plan(data_source_uuid=pulumi.Output.from_input(DS))
    with pytest.raises(LookupArgumentError, match="uuid: must be a plan group uuid"):
        lookup_functions.get_plan_group(uuid=PL)
    with pytest.raises(LookupArgumentError, match="uuid: cannot be combined with name"):
        lookup_functions.get_data_source(uuid=pulumi.Output.from_input(DS), name="Stripe")


def test_reasons_can_spell_argument_names_as_the_caller_does() -> None:
    def camel(name: str) -> str:
        head, *rest = name.split("_")
        return head + "".join(part.title() for part in rest)

    with pytest.raises(LookupArgumentError) as caught:
        lookups.invoke(lookups.GET_PLAN, NO_REQUESTS, {"data_source_uuid": DS}, spell=camel)
    assert caught.value.failures == (
        ("external_id", "is required with dataSourceUuid: getPlan takes dataSourceUuid and externalId, or uuid alone"),)
    with pytest.raises(LookupArgumentError) as unknown:
        lookups.invoke(lookups.GET_PLANS, NO_REQUESTS, {"data_source_uuid": DS, "x": "1"}, spell=camel)
    assert unknown.value.failures == (("x", "is not an argument of getPlans (arguments: dataSourceUuid)"),)
