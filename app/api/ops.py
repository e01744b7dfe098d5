"""Endpoints for whoever operates the server: readiness and Prometheus metrics.

``/metrics`` is guarded by ``HOTLINE_METRICS``: ``open``, ``secret`` (the facilitator secret as a bearer
token, with the same throttle on wrong guesses as every sign-in) or ``off`` (404).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, Response, status
from fastapi.security import HTTPAuthorizationCredentials
from pydantic import BaseModel, Field

from app.api.deps import ServicesDep, bearer, signed_in
from app.api.errors import documented
from app.ops.metrics import CONTENT_TYPE
from app.ops.readiness import Check, broker_check, database_check

router = APIRouter(tags=["operations"])


class Readiness(BaseModel):
    ready: bool
    checks: dict[str, str] = Field(description="Each check's finding: 'answers', 'at 0003', 'unreachable (…)', …")


@router.get(
    "/api/ready",
    response_model=Readiness,
    responses={503: {"model": Readiness, "description": "Not ready: `checks` says what failed."}},
)
async def ready(services: ServicesDep, response: Response) -> Readiness:
    """Ready for traffic: the database answers at the current schema, the broker (if one is set) is
    connected, and the server is not stopping."""
    checks = await services.database_probe.check(lambda: services.db.run(database_check, services.engine))
    checks.append(broker_check(services.broker))
    if services.stopping:
        checks.append(Check("process", False, "shutting down"))
    ok = all(check.ok for check in checks)
    if not ok:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    return Readiness(ready=ok, checks={check.name: check.detail for check in checks})


async def _metrics_reader(
    request: Request,
    services: ServicesDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> None:
    setting = services.settings.metrics
    if setting == "off":
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Metrics are turned off here (HOTLINE_METRICS=off).")
    if setting == "secret":
        signed_in(request, services, credentials)


@router.get(
    "/metrics",
    dependencies=[Depends(_metrics_reader)],
    response_class=Response,
    responses={
        200: {"content": {CONTENT_TYPE.split(";")[0]: {"schema": {"type": "string"}}}},
        **documented(401, 404, 429),
    },
)
async def metrics(services: ServicesDep) -> Response:
    """Prometheus metrics of this process (text exposition format); docs/operations.md lists them."""
    return Response(services.metrics.exposition(), media_type=CONTENT_TYPE)
