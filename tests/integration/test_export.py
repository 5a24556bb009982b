"""``pulumi-chartmogul export`` against the emulator seeded with a messy account: what it writes, that the program
accepts it, that it is deterministic, and how it fails (bad key, unreachable endpoint, nothing half-written)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from pulumi_chartmogul.catalog import load_catalog
from pulumi_chartmogul.catalog.export import clash_key
from pulumi_chartmogul.commands.cli import build_parser
from pulumi_chartmogul.commands.export import run
from pulumi_chartmogul.emulator.account import DEFAULT_ACCOUNT_ID
from testkit.accounts import STRIPE_PLANS, seed_messy_account, snapshot
from testkit.emulator import Emulator, running_emulator

KEY = "test-key"


CLASHING = ("EU billing", "eu-billing")  # one resource name, eu-billing, from two names


def seed_clashing_account(emulator: Emulator, plans_each: int = 30, key: str = KEY) -> list[dict[str, Any]]:
    """The account export used to refuse: :data:`CLASHING`, each with ``plans_each`` plans up to ``plan_0073``
    (the same external ids in both, whose resource names would clash too), a source without a clash, and a plan
    group holding ``plan_0073`` of each clashing source and ``gold`` of the other. Returns the two clashing
    sources, oldest first: the order the export keys them by (``created_at``, which one seed call may give both,
    then uuid)."""
    plans = [{"name": f"Plan {i}", "interval_count": 1 + i % 12, "interval_unit": "month",
              "external_id": f"plan_{i:04d}"} for i in range(74 - plans_each, 74)]
    made = emulator.seed([{"name": name, "plans": plans} for name in CLASHING] + [
        {"name": "In-house billing", "plans": [{"name": "Gold", "interval_count": 1, "interval_unit": "year",
                                                "external_id": "gold"}]}])
    sources = {s["uuid"]: s for s in made["data_sources"]}
    members = [p["uuid"] for p in made["plans"] if p["external_id"] in ("plan_0073", "gold")]
    response = emulator.api("POST", "/plan_groups", key=key, json={"name": "Europe", "plans": members})
    response.raise_for_status()
    return sorted((s for s in sources.values() if s["name"] in CLASHING), key=lambda s: (s["created_at"], s["uuid"]))


def export(emulator: Emulator, *args: str, key: str = KEY, endpoint: str | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    environ = {"CHARTMOGUL_API_KEY": key, "CHARTMOGUL_ENDPOINT": endpoint or emulator.api_root}
    code = run(build_parser().parse_args(["export", *args]), stdout=out, stderr=err, environ=environ)
    return code, out.getvalue(), err.getvalue()


def test_a_messy_account_is_exported_as_a_catalog_the_program_accepts(emulator: Emulator) -> None:
    seed_messy_account(emulator, plans=60, data_sources=6)
    account = snapshot(emulator)
    before = emulator.stats()["requests"]
    code, out, err = export(emulator, "--adopt")
    assert code == 0, err
    # The account, 6 data sources (one GET), 60 plans (one page), 2 groups (one page, then one page of members each).
    assert emulator.stats()["requests"] - before == 1 + 1 + 1 + 1 + 2
    config = yaml.safe_load(out)["config"]
    assert config["chartmogul:allowedAccountIds"] == [DEFAULT_ACCOUNT_ID]  # pinned to the exported account
    catalog, groups = config["chartmogul-bootstrap:catalog"], config["chartmogul-bootstrap:plan_groups"]
    load_catalog(catalog, plan_groups=groups)  # the program's own rules

    stripe = next(s for s in account["data_sources"] if s["system"] == "Stripe")
    ours = {s["uuid"]: s["name"] for s in account["data_sources"] if s["system"] == "Custom"}
    assert [entry["name"] for entry in catalog] == sorted(ours.values())  # Stripe left out, sorted by name
    assert f"left out: data source 'Stripe' ({stripe['uuid']}" in err
    assert next(e for e in catalog if e["name"] == "Legacy (empty)")["plans"] == []
    exported = {(e["name"], p["external_id"]): p for e in catalog for p in e["plans"]}
    expected = {(ours[p["data_source_uuid"]], p["external_id"]): p for p in account["plans"]
                if p["data_source_uuid"] in ours}
    assert len(exported) == len(expected) == 60 - STRIPE_PLANS
    for key, plan in expected.items():
        assert exported[key] == {**{f: plan[f] for f in ("name", "interval_count", "interval_unit", "external_id")},
                                 "uuid": plan["uuid"]}
    # What makes the account messy is all there: one external id in several sources, generated ids, Unicode.
    assert sum(1 for _, external_id in exported if external_id == "gold_0") == len(ours) - 1
    assert any(p["external_id"] == p["uuid"].removeprefix("pl_") for p in account["plans"])
    assert "請求書 (日本)" in out and "ünïcødé ✓" in out  # written as UTF-8, not escaped
    # --adopt gives each entry its object's uuid: the program imports it (no create in the preview).
    assert [e["uuid"] for e in catalog] == [next(u for u, n in ours.items() if n == e["name"]) for e in catalog]
    assert {g["uuid"] for g in groups} == {g["uuid"] for g in account["plan_groups"]}
    assert "adopt: " not in out
    mixed = next(g for g in groups if g["name"] == "Everything monthly")
    assert {"uuid": next(p["uuid"] for p in account["plans"] if p["data_source_uuid"] == stripe["uuid"])} in mixed[
        "plans"]
    # Byte-identical on a second run.
    assert export(emulator, "--adopt")[1] == out


def test_without_adopt_and_filtered_by_data_source(emulator: Emulator) -> None:
    seed_messy_account(emulator, plans=30, data_sources=5)
    code, out, err = export(emulator, "--data-source", "In-house billing", "--data-source", "Legacy (empty)")
    assert code == 0, err
    config = yaml.safe_load(out)["config"]
    assert [e["name"] for e in config["chartmogul-bootstrap:catalog"]] == ["In-house billing", "Legacy (empty)"]
    assert "adopt" not in out and "uuid: ds_" not in out and "uuid: plg_" not in out
    # Only the groups with a member in the exported sources; the other members by uuid.
    for group in config["chartmogul-bootstrap:plan_groups"]:
        assert any("data_source" in ref for ref in group["plans"])
    code, out, err = export(emulator, "--data-source", "Nope")
    assert (code, out) == (1, "") and "no data source named 'Nope'" in err


def test_python_format_is_a_program_with_the_same_objects(emulator: Emulator) -> None:
    seed_messy_account(emulator, plans=20, data_sources=4)
    code, out, err = export(emulator, "--format", "python")
    assert code == 0, err
    compile(out, "__main__.py", "exec")
    assert out.count("= Plan(") == 20 - STRIPE_PLANS and out.count("adopt=True)") == 20 - STRIPE_PLANS + 3 + 2
    assert "DataSource('facturacion-espana', name='Facturación España', adopt=True)" in out
    assert export(emulator, "--format", "python")[1] == out
    assert "import_='" not in out
    code, adopted, err = export(emulator, "--format", "python", "--adopt")
    assert code == 0, err
    compile(adopted, "__main__.py", "exec")
    source = next(s for s in snapshot(emulator)["data_sources"] if s["name"] == "Facturación España")
    assert (f"DataSource('facturacion-espana', name='Facturación España', adopt=True, "
            f"opts=pulumi.ResourceOptions(import_={source['uuid']!r}))") in adopted
    assert adopted.count("opts=pulumi.ResourceOptions(import_='pl_") == 20 - STRIPE_PLANS
    assert adopted.count("opts=pulumi.ResourceOptions(import_='plg_") == 2


def test_output_is_written_atomically_and_kept_on_failure(tmp_path: Path) -> None:
    with running_emulator("--api-key", KEY) as emulator:
        _written_then_kept(emulator, tmp_path)


def _written_then_kept(emulator: Emulator, tmp_path: Path) -> None:
    seed_messy_account(emulator, plans=10, data_sources=3)
    target = tmp_path / "Pulumi.prod.yaml"
    code, out, err = export(emulator, "--adopt", "--output", str(target))
    assert (code, out) == (0, "") and f"to {target}" in err
    written = target.read_bytes()
    assert written.startswith(b"# Exported from ") and list(tmp_path.iterdir()) == [target]

    code, out, err = export(emulator, "--output", str(target), key="wrong-key")
    assert code == 1 and "the API key was refused (401)" in err and "was not written" in err
    assert "wrong-key" not in err
    assert target.read_bytes() == written and list(tmp_path.iterdir()) == [target]


def test_an_unreachable_endpoint_is_a_clear_error(emulator: Emulator, tmp_path: Path) -> None:
    code, out, err = export(emulator, "--output", str(tmp_path / "x.yaml"), "--max-retries", "0",
                            endpoint="http://127.0.0.1:9/v1")
    assert (code, out) == (1, "") and "could not reach ChartMogul" in err and "--endpoint" in err
    assert list(tmp_path.iterdir()) == []


def test_an_api_error_is_a_clear_error(emulator: Emulator) -> None:
    emulator.set_faults([{"method": "GET", "path": "/v1/plans", "mode": "respond", "status": 403, "times": None}])
    code, out, err = export(emulator)
    assert (code, out) == (1, "") and "export failed: ChartMogul API error 403" in err


def test_rate_limits_are_waited_out(emulator: Emulator) -> None:
    seed_messy_account(emulator, plans=10, data_sources=3)
    expected = export(emulator)[1]
    emulator.set_faults([{"method": "GET", "path": "/v1/", "mode": "respond", "status": 429, "times": 2,
                          "retry_after": 0}])
    assert export(emulator)[1] == expected
    assert emulator.faults()["rules"][0]["times"] == 0


def test_the_command_line(emulator: Emulator, tmp_path: Path) -> None:
    """``python -m pulumi_chartmogul export`` as a process: the key from the environment, never an argument."""
    seed_messy_account(emulator, plans=10, data_sources=3)
    env = {**os.environ, "CHARTMOGUL_API_KEY": KEY}
    done = subprocess.run([sys.executable, "-m", "pulumi_chartmogul", "export", "--endpoint", emulator.api_root],
                          env=env, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout == export(emulator)[1]
    assert "Reading " in done.stderr and "Exported 2 data sources" in done.stderr
    assert "--api-key" not in build_parser().format_help()
    usage = subprocess.run([sys.executable, "-m", "pulumi_chartmogul"], capture_output=True, text=True,
                           timeout=60, check=False)
    assert usage.returncode == 2 and "export" in usage.stderr
    missing = subprocess.run([sys.executable, "-m", "pulumi_chartmogul", "export"], capture_output=True, text=True,
                             env={k: v for k, v in env.items() if k != "CHARTMOGUL_API_KEY"}, timeout=60, check=False)
    assert missing.returncode == 1 and "CHARTMOGUL_API_KEY" in missing.stderr


def test_what_the_catalog_cannot_express_stops_the_export(emulator: Emulator, tmp_path: Path) -> None:
    emulator.seed([{"name": "A", "plans": [{"name": " Gold", "interval_count": 1, "interval_unit": "month",
                                            "external_id": "gold"}]}])
    code, out, err = export(emulator, "--output", str(tmp_path / "x.yaml"))
    assert (code, out) == (1, "") and "the account holds what the catalog cannot express" in err
    assert "catalog[0].plans[0].name" in err and list(tmp_path.iterdir()) == []


def test_clashing_names_are_exported_with_a_key_for_the_newer_source(emulator: Emulator) -> None:
    older, newer = seed_clashing_account(emulator)
    code, out, err = export(emulator, "--adopt")
    assert code == 0, err
    config = yaml.safe_load(out)["config"]
    catalog = config["chartmogul-bootstrap:catalog"]
    key = clash_key(newer["name"])
    assert {e["name"]: e.get("key") for e in catalog} == {"In-house billing": None, older["name"]: None,
                                                          newer["name"]: key}
    assert [line for line in err.splitlines() if line.startswith("keyed: ")] == [
        f"keyed: data source {newer['name']!r} ({newer['uuid']}) as {key!r}: its name makes the resource name "
        f"'eu-billing' of the older data source {older['name']!r} ({older['uuid']}), which keeps it"]
    loaded = load_catalog(catalog, plan_groups=config["chartmogul-bootstrap:plan_groups"])
    names = {s.name: (s.resource_name, s.plan_resource_name(s.plans[-1].external_id)) for s in loaded.data_sources}
    assert names == {older["name"]: ("eu-billing", "eu-billing-plan_0073"), newer["name"]: (key, f"{key}-plan_0073"),
                     "In-house billing": ("in-house-billing", "in-house-billing-gold")}
    # Members still name their source by name.
    assert {(ref.data_source, ref.external_id) for ref in loaded.plan_groups[0].plans} == {
        ("EU billing", "plan_0073"), ("eu-billing", "plan_0073"), ("In-house billing", "gold")}
    assert export(emulator, "--adopt") == (code, out, err)  # the same bytes, the same notes
    code, program, _ = export(emulator, "--format", "python")
    assert code == 0
    for source_name, plan_name in names.values():
        assert f"DataSource({source_name!r}, " in program and f"Plan({plan_name!r}, " in program
