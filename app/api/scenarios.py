"""REST for scenarios: the library, one scenario in full (control), and the JSON Schemas."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, status

from app.api.deps import Facilitator, ServicesDep
from app.realtime.protocol import protocol_json_schema
from app.scenario.library import ScenarioSummary
from app.scenario.schema import scenario_json_schema

router = APIRouter(prefix="/api", tags=["scenarios"])


@router.get("/scenarios", response_model=list[ScenarioSummary], dependencies=[Facilitator])
async def list_scenarios(services: ServicesDep) -> list[ScenarioSummary]:
    return services.library.list()


@router.get("/scenarios/{scenario_id}", dependencies=[Facilitator])
async def read_scenario(scenario_id: str, services: ServicesDep) -> dict[str, Any]:
    """The whole scenario, MSEL and controller notes included."""
    scenario = services.library.get(scenario_id)
    if scenario is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"There is no scenario '{scenario_id}'.")
    return scenario.model_dump(mode="json")


@router.get("/schema/scenario")
async def scenario_schema() -> dict[str, Any]:
    """JSON Schema of the scenario format."""
    return scenario_json_schema()


@router.get("/schema/protocol")
async def protocol_schema() -> dict[str, Any]:
    """JSON Schema of every websocket message, both directions."""
    return protocol_json_schema()


@router.get("/health")
async def health(services: ServicesDep) -> dict[str, Any]:
    return {"status": "ok", "version": services.version, "exercises_loaded": len(services.hub.rooms)}
