"""A reference provider for the overhead figures: the same API requests as ``PlanProvider``, with bare ``requests``.

Run through the same host as ``PlanProvider``, it separates what the host and gRPC cost (this provider's time
minus a bare ``requests`` call) from what the pulumi-chartmogul provider adds on top (``PlanProvider``'s time
minus this provider's). No validation, no retries, no error mapping: a timing reference only.
"""

from __future__ import annotations

import threading
from typing import Any

import requests
from pulumi.dynamic import ConfigureRequest, CreateResult, ReadResult, ResourceProvider, UpdateResult

PROVIDER_KEY = "__provider"
API_FIELDS = ("data_source_uuid", "name", "interval_count", "interval_unit", "external_id")
UPDATE_FIELDS = ("interval_count", "interval_unit", "name")
_local = threading.local()


class PassthroughProvider(ResourceProvider):
    serialize_as_secret_always = False
    endpoint = ""
    api_key = ""

    def configure(self, req: ConfigureRequest) -> None:
        self.endpoint = str(req.config.get("chartmogul:endpoint") or "")
        self.api_key = str(req.config.get("chartmogul:apiKey") or "")

    def __getstate__(self) -> dict[str, Any]:
        return {}

    def _request(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        session: requests.Session | None = getattr(_local, "session", None)
        if session is None:
            session = _local.session = requests.Session()
            session.auth = (self.api_key, "")
            session.headers["Accept"] = "application/json"
            session.trust_env = False
        response = session.request(method, f"{self.endpoint}{path}", json=body, timeout=300)
        response.raise_for_status()
        return response.json() if response.content else None

    @staticmethod
    def _outs(props: dict[str, Any], plan: dict[str, Any]) -> dict[str, Any]:
        return {**{k: v for k, v in props.items() if k != PROVIDER_KEY}, **plan}

    def create(self, props: dict[str, Any]) -> CreateResult:
        body = {f: int(props[f]) if f == "interval_count" else props[f] for f in API_FIELDS}
        plan = self._request("POST", "/plans", body)
        return CreateResult(plan["uuid"], self._outs(props, plan))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        plan = self._request("GET", f"/plans/{id_}")
        return ReadResult(id_, self._outs(props, plan))

    def update(self, id_: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        body = {f: int(news[f]) if f == "interval_count" else news[f] for f in UPDATE_FIELDS}
        return UpdateResult(self._outs(news, self._request("PATCH", f"/plans/{id_}", body)))

    def delete(self, id_: str, _props: dict[str, Any]) -> None:
        self._request("DELETE", f"/plans/{id_}")
