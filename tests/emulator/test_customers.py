"""Customers in the emulator: created in a data source, listed per source with the real pagination bodies
(chartmogul-api §9), and deleted with their data source."""

from __future__ import annotations

from testkit.emulator import Emulator
from tests.emulator.expected import MakeSource


def add_customer(emulator: Emulator, source: str, external_id: str) -> dict[str, object]:
    response = emulator.api("POST", "/customers", json={"data_source_uuid": source, "external_id": external_id,
                                                        "name": f"Customer {external_id}", "email": "a@example.com"})
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_created_in_a_source_and_listed_per_source_page_by_page(emulator: Emulator, make_source: MakeSource) -> None:
    source, other = make_source()["uuid"], make_source()["uuid"]
    made = [add_customer(emulator, source, f"c{i}") for i in range(3)]
    add_customer(emulator, other, "c0")  # the same external id in another source is allowed
    assert str(made[0]["uuid"]).startswith("cus_") and made[0]["data_source_uuids"] == [source]

    first = emulator.api("GET", "/customers", params={"data_source_uuid": source, "per_page": 2}).json()
    assert set(first) == {"entries", "current_page", "total_pages", "has_more", "per_page", "page", "cursor"}
    assert (first["current_page"], first["total_pages"], first["has_more"], first["per_page"], first["page"]) == \
        (1, 2, True, 2, 1)
    second = emulator.api("GET", "/customers", params={"data_source_uuid": source, "per_page": 2,
                                                       "cursor": first["cursor"]}).json()
    assert set(second) == {"entries", "cursor", "has_more"} and second["has_more"] is False
    assert [c["uuid"] for c in first["entries"] + second["entries"]] == [c["uuid"] for c in made]


def test_refused_without_a_known_source_or_external_id_or_twice(emulator: Emulator, make_source: MakeSource) -> None:
    source = make_source()["uuid"]
    add_customer(emulator, source, "c0")
    for body in ({"data_source_uuid": "ds_00000000-0000-4000-8000-000000000000", "external_id": "x"},
                 {"data_source_uuid": source}, {"data_source_uuid": source, "external_id": "c0"}):
        assert emulator.api("POST", "/customers", json=body).status_code == 422


def test_deleted_with_their_data_source(emulator: Emulator, make_source: MakeSource) -> None:
    source = make_source()["uuid"]
    add_customer(emulator, source, "c0")
    assert emulator.api("DELETE", f"/data_sources/{source}").status_code == 204
    page = emulator.api("GET", "/customers", params={"data_source_uuid": source, "per_page": 1}).json()
    assert page["entries"] == [] and page["has_more"] is False
    assert emulator.api("GET", "/customers").json()["entries"] == []
