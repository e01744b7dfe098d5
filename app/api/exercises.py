"""REST for exercises: create, list, read, control commands, the event log, export and import."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException, Query, Request, status
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, TypeAdapter, ValidationError

from app.api.deps import Facilitator, ServicesDep, command_http_error
from app.api.seats import seat_link
from app.engine.archive import ArchiveInvalid, read_archive
from app.engine.commands import CONTROL_TYPES, EVALUATOR_TYPES, Command, CommandError
from app.engine.events import Event
from app.engine.manager import ExerciseNotFound
from app.engine.principal import FACILITATOR_PRINCIPAL
from app.models import ExerciseCreate, ExerciseRow, ExerciseSummary, SeatLink
from app.realtime.snapshot import snapshot
from app.services import Services

router = APIRouter(prefix="/api/exercises", tags=["exercises"], dependencies=[Facilitator])

MAX_IMPORT_BYTES = 50 * 1024 * 1024


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


async def _row(services: Services, exercise_id: str) -> ExerciseRow:
    try:
        return await services.manager.row(exercise_id)
    except ExerciseNotFound:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"There is no exercise '{exercise_id}'.") from None


@router.post("", status_code=status.HTTP_201_CREATED, response_model=ExerciseCreated)
async def create_exercise(body: ExerciseCreate, services: ServicesDep) -> ExerciseCreated:
    """Create an exercise from a scenario; by default with a seat for every role and the lobby open."""
    scenario = (await services.scenarios()).get(body.scenario_id)
    if scenario is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"There is no scenario '{body.scenario_id}'.")
    row = await services.manager.create(scenario, compression=body.compression, title=body.title)
    links: list[SeatLink] = []
    if body.seats:
        issued = await services.manager.issue_default_seats(row.id)
        links = [seat_link(services, item.seat, item.token) for item in issued]
        runtime = await services.manager.runtime(row.id)
        await runtime.execute(FACILITATOR_PRINCIPAL, _command({"type": "open_lobby", "id": "lobby"}))
    return ExerciseCreated(**summary(await services.manager.row(row.id)).model_dump(), seats=links)


@router.get("", response_model=list[ExerciseSummary])
async def list_exercises(services: ServicesDep) -> list[ExerciseSummary]:
    return [summary(row) for row in await services.manager.rows()]


@router.get("/{exercise_id}", response_model=ExerciseDetail)
async def read_exercise(exercise_id: str, services: ServicesDep) -> ExerciseDetail:
    row = await _row(services, exercise_id)
    runtime = await services.manager.runtime(exercise_id)
    await runtime.catch_up()
    state = snapshot(runtime, FACILITATOR_PRINCIPAL, await services.presence.devices(exercise_id))
    return ExerciseDetail(**summary(row).model_dump(), scenario_title=runtime.scenario.title, state=state)


_command_adapter: TypeAdapter[Any] = TypeAdapter(Command)


def _command(data: dict[str, Any]) -> Any:
    return _command_adapter.validate_python(data)


@router.post("/{exercise_id}/commands", response_model=CommandAccepted)
async def run_command(
    exercise_id: str,
    services: ServicesDep,
    body: Annotated[dict[str, Any], Body(examples=[{"type": "pause", "id": "c-17", "reason": "Lunch"}])],
) -> CommandAccepted:
    """Run a control command (the same messages as the control websocket), applied once per ``id``."""
    await _row(services, exercise_id)
    kind = body.get("type")
    if kind not in CONTROL_TYPES | EVALUATOR_TYPES:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            {"code": "unknown_type", "message": f"'{kind}' is not a control command."},
        )
    try:
        command = _command(body)
    except ValidationError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, {"code": "invalid", "message": str(exc)}) from exc
    try:
        runtime = await services.manager.runtime(exercise_id)
        result = await runtime.execute(FACILITATOR_PRINCIPAL, command)
    except CommandError as error:
        raise command_http_error(error) from error
    return CommandAccepted(seqs=result.seqs, duplicate=result.duplicate)


@router.get("/{exercise_id}/events", response_model=list[Event])
async def read_events(
    exercise_id: str,
    services: ServicesDep,
    after: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
) -> list[Event]:
    """The event log in seq order (control sees every event in full)."""
    await _row(services, exercise_id)
    return await services.db.run(services.manager.store.read, exercise_id, after, limit)


@router.get("/{exercise_id}/export", response_class=StreamingResponse)
async def export_log(exercise_id: str, services: ServicesDep) -> StreamingResponse:
    """The exercise as JSONL: a header line with the scenario, then one event per line."""
    await _row(services, exercise_id)
    return StreamingResponse(
        await services.db.run(services.manager.export, exercise_id),
        media_type="application/x-ndjson",
        headers={"Content-Disposition": f'attachment; filename="{exercise_id}.jsonl"'},
    )


@router.post("/import", status_code=status.HTTP_201_CREATED, response_model=ExerciseSummary)
async def import_log(request: Request, services: ServicesDep) -> ExerciseSummary:
    """Import a JSONL log (as exported) as a new, ended exercise. Nothing is stored if any line is bad."""
    body = await request.body()
    if len(body) > MAX_IMPORT_BYTES:
        raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, "Logs over 50 MB cannot be imported here; use the CLI.")
    try:
        archive = read_archive(body.decode("utf-8").splitlines())
        row = await services.db.run(services.manager.import_archive, archive)
    except UnicodeDecodeError:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "The log is not UTF-8 text.") from None
    except ArchiveInvalid as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from exc
    except ValueError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, f"The log does not replay: {exc}") from exc
    return summary(row)
