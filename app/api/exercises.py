"""REST for exercises: create, list, read, control commands, the event log, export and import."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request, status
from fastapi.responses import StreamingResponse
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from app.api.deps import (
    Facilitator,
    ServicesDep,
    SignedIn,
    actor_of,
    command_http_error,
    exercise_row,
    open_to_evaluators,
    principal_of,
)
from app.api.errors import documented
from app.api.guard import GuardedRoute, read_json_text, read_limited, refused
from app.api.seats import seat_link
from app.engine.archive import ArchiveInvalid, read_archive
from app.engine.commands import CONTROL_TYPES, EVALUATOR_TYPES, CommandError, command_adapter
from app.engine.events import Event
from app.engine.principal import FACILITATOR_PRINCIPAL
from app.limits import MAX_JSON_BODY_BYTES, MAX_SEQ
from app.models import ExerciseCreate, ExerciseRow, ExerciseSummary, SeatLink
from app.realtime.decode import MessageRefused, decode_command
from app.realtime.snapshot import snapshot

router = APIRouter(
    prefix="/api/exercises",
    tags=["exercises"],
    dependencies=[Facilitator],
    route_class=GuardedRoute,
    responses=documented(400, 401, 422, 429),
)

MAX_IMPORT_BYTES = 50 * 1024 * 1024
REST_COMMANDS = CONTROL_TYPES | EVALUATOR_TYPES


class ExerciseCreated(ExerciseSummary):
    seats: list[SeatLink]


class ExerciseDetail(ExerciseSummary):
    scenario_title: str
    state: dict[str, Any]


class CommandAccepted(BaseModel):
    seqs: list[int]
    duplicate: bool


def summary(row: ExerciseRow) -> ExerciseSummary:
    return ExerciseSummary.model_validate(row, from_attributes=True)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=ExerciseCreated, responses=documented(404, 413))
async def create_exercise(body: ExerciseCreate, services: ServicesDep, identity: SignedIn) -> ExerciseCreated:
    """Create an exercise from a scenario; by default with a seat for every role and the lobby open."""
    scenario = (await services.scenarios()).get(body.scenario_id)
    if scenario is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"There is no scenario '{body.scenario_id}'.")
    by = actor_of(identity)
    row = await services.manager.create(scenario, compression=body.compression, title=body.title, by=by)
    links: list[SeatLink] = []
    if body.seats:
        issued = await services.manager.issue_default_seats(row.id, by=by)
        links = [seat_link(services, item.seat, item.token) for item in issued]
        runtime = await services.manager.runtime(row.id)
        await runtime.execute(principal_of(identity), _command({"type": "open_lobby", "id": "lobby"}))
    return ExerciseCreated(**summary(await services.manager.row(row.id)).model_dump(), seats=links)


@router.get("", response_model=list[ExerciseSummary])
async def list_exercises(services: ServicesDep) -> list[ExerciseSummary]:
    return [summary(row) for row in await services.manager.rows()]


@router.get("/{exercise_id}", response_model=ExerciseDetail, responses=documented(404))
async def read_exercise(exercise_id: str, services: ServicesDep) -> ExerciseDetail:
    row = await exercise_row(services, exercise_id)
    runtime = await services.manager.runtime(exercise_id)
    await runtime.catch_up()
    state = snapshot(runtime, FACILITATOR_PRINCIPAL)
    return ExerciseDetail(**summary(row).model_dump(), scenario_title=runtime.scenario.title, state=state)


def _command(data: dict[str, Any]) -> Any:
    return command_adapter.validate_python(data)


def _command_body() -> dict[str, Any]:
    """The request body of the command endpoint: one control or evaluator command (decoded by hand)."""
    schema = command_adapter.json_schema(ref_template="#/components/schemas/{model}")
    mapping = {kind: ref for kind, ref in schema["discriminator"]["mapping"].items() if kind in REST_COMMANDS}
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "oneOf": [{"$ref": ref} for ref in sorted(set(mapping.values()))],
                        "discriminator": {"propertyName": "type", "mapping": mapping},
                    },
                    "example": {"type": "pause", "id": "c-17", "reason": "Lunch"},
                }
            },
        }
    }


def command_schemas() -> dict[str, Any]:
    """The command models' schemas, for the OpenAPI components the command body refers to."""
    return dict(command_adapter.json_schema(ref_template="#/components/schemas/{model}")["$defs"])


@router.post(
    "/{exercise_id}/commands",
    response_model=CommandAccepted,
    responses=documented(403, 404, 409, 413),
    openapi_extra=_command_body(),
)
@open_to_evaluators
async def run_command(exercise_id: str, request: Request, services: ServicesDep, identity: SignedIn) -> CommandAccepted:
    """Run a control command (the same messages as the control websocket), applied once per ``id``.

    The body is decoded exactly as a websocket message is: strictly, with the same error messages. An
    evaluator account's observations and ratings are accepted; control commands need a facilitator.
    """
    await exercise_row(services, exercise_id)
    try:
        command = decode_command(await read_json_text(request), MAX_JSON_BODY_BYTES, REST_COMMANDS)
    except MessageRefused as exc:
        raise refused(exc.code, exc.message) from None
    try:
        runtime = await services.manager.runtime(exercise_id)
        result = await runtime.execute(principal_of(identity), command)
    except CommandError as error:
        raise command_http_error(error) from error
    return CommandAccepted(seqs=result.seqs, duplicate=result.duplicate)


@router.get("/{exercise_id}/events", response_model=list[Event], responses=documented(404))
async def read_events(
    exercise_id: str,
    services: ServicesDep,
    after: Annotated[int, Query(ge=0, le=MAX_SEQ, description="Events after this seq.")] = 0,
    limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
) -> list[Event]:
    """The event log in seq order (control sees every event in full)."""
    await exercise_row(services, exercise_id)
    return await services.manager.read_log(exercise_id, after, limit)


@router.get("/{exercise_id}/export", response_class=StreamingResponse, responses=documented(404))
async def export_log(exercise_id: str, services: ServicesDep) -> StreamingResponse:
    """The exercise as JSONL: a header line with the scenario, then one event per line."""
    await exercise_row(services, exercise_id)
    return StreamingResponse(
        await services.db.run(services.manager.export, exercise_id),
        media_type="application/x-ndjson",
        headers={"Content-Disposition": f'attachment; filename="{exercise_id}.jsonl"'},
    )


_IMPORT_BODY = {
    "requestBody": {
        "required": True,
        "description": "The JSONL log as 'hotline export' or GET …/export wrote it. At most 50 MB.",
        "content": {"application/x-ndjson": {"schema": {"type": "string"}}},
    }
}


@router.post(
    "/import",
    status_code=status.HTTP_201_CREATED,
    response_model=ExerciseSummary,
    responses=documented(413),
    openapi_extra=_IMPORT_BODY,
)
async def import_log(request: Request, services: ServicesDep) -> ExerciseSummary:
    """Import a JSONL log (as exported) as a new, ended exercise. Nothing is stored if any line is bad."""
    body = await read_limited(request, MAX_IMPORT_BYTES)
    if body is None:
        raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, "Logs over 50 MB cannot be imported here; use the CLI.")
    try:
        archive = await run_in_threadpool(read_archive, body.decode("utf-8").split("\n"))
    except UnicodeDecodeError:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "The log is not UTF-8 text.") from None
    except ArchiveInvalid as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from exc
    return summary(await services.db.run(services.manager.import_archive, archive))
