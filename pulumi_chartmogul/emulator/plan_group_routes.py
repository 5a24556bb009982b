"""The ``/v1/plan_groups`` routes (Rails family: ``application/json; charset=utf-8``), over :class:`PlanGroups`."""

from __future__ import annotations

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse

from .plan_groups import PlanGroups
from .wire import RAILS_JSON, json_body, page_body, paging


def add_plan_group_routes(app: FastAPI, groups: PlanGroups) -> None:
    @app.post("/v1/plan_groups")
    async def create_plan_group(request: Request) -> Response:
        # 200, not 201: recorded (chartmogul-ruby, chartmogul-go).
        return JSONResponse(groups.create(await json_body(request)), media_type=RAILS_JSON)

    @app.get("/v1/plan_groups")
    def list_plan_groups(request: Request) -> Response:
        return JSONResponse(page_body("plan_groups", groups.list_groups(**paging(request))), media_type=RAILS_JSON)

    @app.get("/v1/plan_groups/{uuid}")
    def get_plan_group(uuid: str) -> Response:
        return JSONResponse(groups.get(uuid), media_type=RAILS_JSON)

    @app.get("/v1/plan_groups/{uuid}/plans")
    def list_plan_group_plans(uuid: str, request: Request) -> Response:
        return JSONResponse(page_body("plans", groups.list_plans(uuid, **paging(request))), media_type=RAILS_JSON)

    @app.patch("/v1/plan_groups/{uuid}")
    async def update_plan_group(uuid: str, request: Request) -> Response:
        return JSONResponse(groups.update(uuid, await json_body(request)), media_type=RAILS_JSON)

    @app.delete("/v1/plan_groups/{uuid}")
    def delete_plan_group(uuid: str) -> Response:
        groups.delete(uuid)
        return Response(status_code=204)
