"""The export's keys for names that clash (``build_export`` on an account given as data, no API): which source
is keyed, with what key, what it says, and that the result is stable as the account grows and the same on every
run. The round trip through the real CLI is tests/e2e/test_export_clash_cli.py."""

from __future__ import annotations

import random
import uuid
from typing import Any

import pytest

from pulumi_chartmogul.catalog import load_catalog
from pulumi_chartmogul.catalog.export import Account, Export, ExportError, build_export, clash_key, to_python, validate

EXTERNAL_IDS = ("plan_0001", "plan_0073")


def source(number: int, name: str, created_at: str | None, system: str = "Custom") -> dict[str, Any]:
    made: dict[str, Any] = {"uuid": f"ds_{number:08x}-0000-4000-8000-000000000000", "name": name, "system": system}
    if created_at is not None:
        made["created_at"] = created_at
    return made


def plans_of(data_source: dict[str, Any], *external_ids: str) -> list[dict[str, Any]]:
    return [{"uuid": f"pl_{uuid.uuid5(uuid.NAMESPACE_URL, data_source['uuid'] + external_id)}",
             "data_source_uuid": data_source["uuid"], "name": f"Plan {external_id}", "interval_count": 1,
             "interval_unit": "month", "external_id": external_id} for external_id in external_ids]


def account(*sources: dict[str, Any], external_ids: tuple[str, ...] = EXTERNAL_IDS) -> Account:
    return Account(data_sources=list(sources), plans=[p for s in sources for p in plans_of(s, *external_ids)])


def exported(of: Account, **options: Any) -> tuple[Export, list[str]]:
    notes: list[str] = []
    export = build_export(of, adopt=options.pop("adopt", True), note=notes.append, **options)
    validate(export)  # the program's own rules
    return export, [note for note in notes if note.startswith("keyed: ")]


def keys(export: Export) -> dict[str, str | None]:
    return {entry["name"]: entry.get("key") for entry in export.catalog}


EU = source(1, "EU billing", "2023-05-01T10:00:00.000Z")
EU_DASH = source(2, "eu-billing", "2024-02-01T10:00:00.000Z")
NORMAL = source(3, "In-house billing", "2022-01-01T00:00:00.000Z")


def test_the_newer_of_two_clashing_sources_gets_a_key_and_the_export_says_so() -> None:
    export, notes = exported(account(EU_DASH, NORMAL, EU))
    assert keys(export) == {"EU billing": None, "In-house billing": None, "eu-billing": "eu-billing-a557f3"}
    assert notes == [f"keyed: data source 'eu-billing' ({EU_DASH['uuid']}) as 'eu-billing-a557f3': its name makes "
                     f"the resource name 'eu-billing' of the older data source 'EU billing' ({EU['uuid']}), which "
                     "keeps it"]
    assert list(export.catalog[2]) == ["name", "key", "uuid", "plans"]
    # The program and --format python give the same names.
    resource_names = [(s.resource_name, s.plan_resource_name("plan_0073"))
                      for s in load_catalog(export.catalog).data_sources]
    assert resource_names == [("eu-billing", "eu-billing-plan_0073"),
                              ("in-house-billing", "in-house-billing-plan_0073"),
                              ("eu-billing-a557f3", "eu-billing-a557f3-plan_0073")]
    program = to_python(export, "")
    compile(program, "__main__.py", "exec")
    for source_name, plan_name in resource_names:
        assert f"DataSource({source_name!r}, " in program and f"Plan({plan_name!r}, " in program


def test_the_key_is_the_slug_and_a_digest_of_the_name_itself() -> None:
    assert clash_key("eu-billing") == "eu-billing-a557f3"
    assert clash_key("EU billing") == "eu-billing-1eeae7"  # names that clash always differ in their digests
    # The key is the resource name it makes: a slug keeps only the ASCII of a name that has some.
    assert clash_key("請求書 (日本)") == "dbb01a" == load_catalog(
        [{"name": "請求書 (日本)", "key": clash_key("請求書 (日本)")}]).data_sources[0].resource_name


def test_without_a_clash_nothing_is_keyed() -> None:
    export, notes = exported(account(EU, NORMAL, source(4, "Ελληνικά", None)))
    assert set(keys(export).values()) == {None} and notes == []
    assert all("key" not in entry for entry in export.catalog)


def test_keys_are_the_same_whatever_else_the_account_holds() -> None:
    first, _ = exported(account(EU, EU_DASH, NORMAL))
    # An unrelated source, older than all of them, and a third clashing name, newer: the keys already given
    # stay; the newcomer gets its own.
    newcomer = source(5, "Eu Billing", "2025-01-01T00:00:00.000Z")
    grown, notes = exported(account(source(9, "Alpha", "2020-01-01T00:00:00.000Z"), EU, EU_DASH, NORMAL, newcomer))
    assert keys(grown) == {**keys(first), "Alpha": None, "Eu Billing": "eu-billing-1b8606"}
    assert [note.split(" as ")[0] for note in notes] == [f"keyed: data source 'Eu Billing' ({newcomer['uuid']})",
                                                         f"keyed: data source 'eu-billing' ({EU_DASH['uuid']})"]
    # The same bytes, whatever order the API lists the sources and plans in.
    shuffled = account(EU, EU_DASH, NORMAL)
    random.Random(7).shuffle(shuffled.data_sources)
    random.Random(7).shuffle(shuffled.plans)
    assert exported(shuffled)[0] == first


@pytest.mark.parametrize(("older", "newer"), [
    (source(1, "EU billing", "2024-01-01T00:00:00.000Z"), source(2, "eu-billing", "2024-01-01T00:00:00.000Z")),
    (source(1, "eu-billing", "2024-01-01T00:00:00.000Z"), source(2, "EU billing", "2024-01-01T00:00:00.000Z")),
    (source(2, "EU billing", "2024-01-01T00:00:00.000Z"), source(1, "eu-billing", None)),  # no date: newest
])
def test_the_oldest_keeps_its_names_then_the_lower_uuid(older: dict[str, Any], newer: dict[str, Any]) -> None:
    export, _ = exported(account(newer, older))
    assert keys(export) == {older["name"]: None, newer["name"]: clash_key(newer["name"])}


def test_a_clash_of_plan_resource_names_keys_the_newer_source() -> None:
    a = source(1, "a", "2024-01-01T00:00:00.000Z")
    a_b = source(2, "a b", "2024-03-01T00:00:00.000Z")
    of = Account(data_sources=[a, a_b], plans=plans_of(a, "b-c") + plans_of(a_b, "c", "d"))
    export, notes = exported(of)
    assert keys(export) == {"a": None, "a b": "a-b-c8687a"}
    assert notes == [f"keyed: data source 'a b' ({a_b['uuid']}) as 'a-b-c8687a': its plan 'c' makes the resource "
                     f"name 'a-b-c' of plan 'b-c' of the older data source 'a' ({a['uuid']}), which keeps it"]


def test_a_source_s_key_does_not_depend_on_what_is_exported() -> None:
    stripe = source(4, "EU-Billing", "2020-01-01T00:00:00.000Z", system="Stripe")  # never in a catalog: no clash
    of = account(EU, EU_DASH, stripe)
    only_newer, notes = exported(of, only=["eu-billing"])
    assert keys(only_newer) == {"eu-billing": "eu-billing-a557f3"} and len(notes) == 1
    only_older, notes = exported(of, only=["EU billing"])
    assert keys(only_older) == {"EU billing": None} and notes == []
    assert keys(exported(of)[0]) == {"EU billing": None, "eu-billing": "eu-billing-a557f3"}


def test_a_clash_left_after_keying_stops_the_export_naming_both() -> None:
    # A name that is the other's key: the one case a key cannot settle (a digest clash would be another).
    squatter = source(3, "eu billing a557f3", "2020-01-01T00:00:00.000Z")
    with pytest.raises(ExportError, match=r"catalog\[2\]\.key: 'eu-billing-a557f3' gives the same resource name "
                                          r"'eu-billing-a557f3' as 'eu billing a557f3' \(catalog\[1\]\.name\)"):
        exported(account(EU, EU_DASH, squatter))
