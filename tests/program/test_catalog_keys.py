"""A data source's ``key``: the resource names of the source and its plans come from it when given, and from the
name otherwise, exactly as before keys existed; the rules that keep resource names unique; renames with a key and
with ``renamed_from``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from pulumi_chartmogul.catalog import declare, load_catalog

from .mocking import DATA_SOURCE_TYPE, PLAN_TYPE, REPO, Harness, Recorder, mocked
from .test_catalog import plan, problems


@pytest.fixture
def bootstrap() -> Iterator[Harness]:
    with mocked(Recorder(), project="chartmogul-bootstrap", stack="keys") as harness:
        yield harness


def declared(harness: Harness, catalog: list[dict[str, Any]]) -> dict[str, list[str]]:
    """The bootstrap program run on ``catalog``: the resource names it registers, sources then plans."""
    harness.run_path(REPO, {"catalog": catalog})
    return {kind: sorted(r.name for r in harness.mocks.of_type(typ))
            for kind, typ in (("sources", DATA_SOURCE_TYPE), ("plans", PLAN_TYPE))}


def test_a_catalog_without_keys_keeps_the_resource_names_it_always_had(bootstrap: Harness) -> None:
    """Pinned: these are the URNs of existing stacks, made from names only before keys existed (0.2.0)."""
    catalog: list[dict[str, Any]] = [
        {"name": "In-house billing", "plans": [plan("bronze_monthly"), plan("Gold.Yearly")]},
        {"name": "請求書 (日本)", "plans": [plan("gold_0")]},
        {"name": "Facturación España", "plans": [plan("gold_0")]},
        {"name": "Résellers & Co.", "renamed_from": "Partner: EU/US", "plans": [plan("trial_14")]},
        {"name": "Straße 7"},
    ]
    assert declared(bootstrap, catalog) == {
        "sources": ["facturacion-espana", "in-house-billing", "resellers-co", "strae-7", "請求書-日本"],
        "plans": ["facturacion-espana-gold_0", "in-house-billing-Gold.Yearly", "in-house-billing-bronze_monthly",
                  "resellers-co-trial_14", "請求書-日本-gold_0"],
    }
    assert bootstrap.monitor.aliases == {"resellers-co": ["partner-eu-us"],
                                         "resellers-co-trial_14": ["partner-eu-us-trial_14"]}


def test_a_key_makes_the_resource_names_of_the_source_and_its_plans(bootstrap: Harness) -> None:
    catalog = [{"name": "EU billing", "plans": [plan("plan_0073")]},
               {"name": "eu-billing", "key": "EU billing (legacy)", "plans": [plan("plan_0073")]}]
    assert declared(bootstrap, catalog) == {
        "sources": ["eu-billing", "eu-billing-legacy"],  # the slug of the key, as a plan group's
        "plans": ["eu-billing-legacy-plan_0073", "eu-billing-plan_0073"],
    }
    source = load_catalog(catalog).data_sources[1]
    assert (source.resource_name, source.plan_resource_name("gold")) == ("eu-billing-legacy", "eu-billing-legacy-gold")
    assert bootstrap.monitor.aliases == {}


def test_renaming_a_keyed_source_keeps_its_resource_names_without_renamed_from() -> None:
    """The ChartMogul object is still replaced (the API cannot rename: the provider's diff says so, see
    tests/lifecycle/test_adopt_exported.py), but under the same resource names: no alias needed."""
    before = load_catalog([{"name": "EU billing", "key": "eu-billing-1", "plans": [plan("gold")]}])
    after = load_catalog([{"name": "Europe billing", "key": "eu-billing-1", "plans": [plan("gold")]}])
    for catalog in (before, after):
        (source,) = catalog.data_sources
        assert (source.resource_name, source.plan_resource_name("gold"), source.previous_name) == (
            "eu-billing-1", "eu-billing-1-gold", None)


@pytest.mark.parametrize(("entry", "aliases"), [
    # The edit that gives a source its key: renamed_from (here its current name) carries the resource over from
    # the name-derived names, so nothing is replaced.
    ({"name": "EU billing", "key": "eu-billing-1", "renamed_from": "EU billing"},
     {"eu-billing-1": ["eu-billing"], "eu-billing-1-gold": ["eu-billing-gold"]}),
    # A rename and a key in one edit: the same alias, from the previous name's resource names.
    ({"name": "Europe", "key": "eu-billing-1", "renamed_from": "EU billing"},
     {"eu-billing-1": ["eu-billing"], "eu-billing-1-gold": ["eu-billing-gold"]}),
    # renamed_from whose resource name is the key's: the resource already has that name, so no alias.
    ({"name": "Europe", "key": "eu billing", "renamed_from": "EU billing"}, {}),
])
def test_renamed_from_with_a_key(bootstrap: Harness, entry: dict[str, Any], aliases: dict[str, list[str]]) -> None:
    def program() -> None:
        declare(load_catalog([{**entry, "plans": [plan("gold")]}]))

    bootstrap.run(program)
    assert bootstrap.monitor.aliases == aliases


def test_keys_and_names_make_unique_resource_names() -> None:
    assert problems([
        {"name": "EU billing"},
        {"name": "eu-billing", "key": "eu-billing"},       # a key that is another source's name-derived name
        {"name": "B", "key": "shared"},
        {"name": "C", "key": "shared"},                     # a key twice
        {"name": "D", "key": "Shared!"},                    # another key with the same slug
        {"name": "shared"},                                 # a name that makes a key's resource name
        {"name": "E", "key": "---"},
    ]) == [
        "catalog[1].key: 'eu-billing' gives the same resource name 'eu-billing' as 'EU billing' (catalog[0].name); "
        "choose another key",
        "catalog[3].key: 'shared' gives the same resource name 'shared' as 'shared' (catalog[2].key); make the keys "
        "differ in letters or digits",
        "catalog[4].key: 'Shared!' gives the same resource name 'shared' as 'shared' (catalog[2].key); make the keys "
        "differ in letters or digits",
        "catalog[5].name: 'shared' gives the same resource name 'shared' as 'shared' (catalog[2].key); choose "
        "another key",
        "catalog[6].key: '---' has no letters or digits to make a resource name from",
    ]


def test_a_clash_is_one_problem_per_source_that_suggests_a_key() -> None:
    """The account that export used to refuse, written by hand: one problem, not one more per shared external
    id; with a key on either source it loads."""
    catalog: list[dict[str, Any]] = [
        {"name": "EU billing", "plans": [plan(f"plan_{i:04d}") for i in range(80)]},
        {"name": "eu-billing", "plans": [plan(f"plan_{i:04d}") for i in range(75)]},
    ]
    assert problems(catalog) == [
        "catalog[1].name: 'eu-billing' gives the same resource name 'eu-billing' as 'EU billing' (catalog[0].name); "
        "set a key on one of them (a source's resource name, and its plans', are then made from its key), or make "
        "the names differ in letters or digits"]
    for keyed in (0, 1):
        fixed = [dict(entry) for entry in catalog]
        fixed[keyed]["key"] = "eu-billing-2"
        assert [s.resource_name for s in load_catalog(fixed).data_sources] == (
            ["eu-billing-2", "eu-billing"] if keyed == 0 else ["eu-billing", "eu-billing-2"])


def test_a_key_also_settles_a_clash_of_plan_resource_names() -> None:
    catalog: list[dict[str, Any]] = [{"name": "a", "plans": [plan("b-c")]}, {"name": "a b", "plans": [plan("c")]}]
    assert len(problems(catalog)) == 1
    catalog[1]["key"] = "a-b-2"
    (first, second) = load_catalog(catalog).data_sources
    assert (first.plan_resource_name("b-c"), second.plan_resource_name("c")) == ("a-b-c", "a-b-2-c")


def test_group_members_still_name_their_data_source_by_name() -> None:
    catalog = load_catalog([{"name": "eu-billing", "key": "eu-billing-2", "plans": [plan("gold")]}],
                           plan_groups=[{"name": "G", "plans": [{"data_source": "eu-billing", "external_id": "gold"}]}])
    assert catalog.plan_groups[0].plans[0].data_source == "eu-billing"
