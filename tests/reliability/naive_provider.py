"""Negative control for the fault matrix: a Plan provider that does what the official SDK does.

It re-sends its POST whenever the answer is lost, without looking first, and sends no ``external_id`` (so the
server has no natural key to refuse the second copy with). Under a lost response it must produce a duplicate;
the matrix runs it once to prove that its accounting would see one. It runs inside the provider host, which
imports it by reference (the host's working directory is the repository root).
"""

from __future__ import annotations

from typing import Any

from pulumi.dynamic import CreateResult

from pulumi_chartmogul.api.errors import ChartMogulError
from pulumi_chartmogul.resources.plan import PlanProvider

ATTEMPTS = 3


class NaivePlanProvider(PlanProvider):
    def create(self, props: dict[str, Any]) -> CreateResult:
        body = {"data_source_uuid": props["data_source_uuid"], "name": props["name"],
                "interval_count": int(props["interval_count"]), "interval_unit": props["interval_unit"]}
        for attempt in range(ATTEMPTS):
            try:
                plan = self.client.create_plan(body)
            except ChartMogulError:
                if attempt == ATTEMPTS - 1:
                    raise
                continue
            return CreateResult(plan["uuid"], self._outputs(plan, props))
        raise AssertionError("unreachable")
