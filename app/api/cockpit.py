"""REST for the facilitator's cockpit: the jump preview, seat cards, and archiving or deleting exercises."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Response, status
from pydantic import BaseModel, Field

from app.api.deps import Facilitator, ServicesDep, command_http_error, exercise_row, exercise_row_now
from app.api.errors import documented
from app.api.guard import GuardedRoute
from app.engine.commands import CommandError
from app.engine.housekeeping import delete_exercise, set_archived
from app.engine.preview import JumpPreview, jump_preview
from app.engine.seat_cards import CardRefused, checked_seats, qr_svg
from app.models import ExerciseSummary, StrictInput
from app.scenario.timefmt import TimeFormatError, parse_scenario_time

router = APIRouter(
    prefix="/api/exercises/{exercise_id}",
    tags=["cockpit"],
    dependencies=[Facilitator],
    route_class=GuardedRoute,
    responses=documented(400, 401, 404, 422, 429),
)
MAX_CARDS = 200
MAX_LINK_CHARS = 2000


def _seconds(value: str, name: str) -> float:
    try:
        return float(parse_scenario_time(value))
    except TimeFormatError as exc:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT, {"code": "invalid", "message": f"{name}: {exc}"}
        ) from None


@router.get("/jump-preview", response_model=JumpPreview)
async def preview_jump(
    exercise_id: str,
    services: ServicesDep,
    to: Annotated[str | None, Query(description="Scenario time to jump to, e.g. T+06:00.")] = None,
    by: Annotated[str | None, Query(description="Or: how far to jump, e.g. 02:00 or D+1.")] = None,
) -> JumpPreview:
    """What a jump would release, computed by the engine exactly as the jump would (nothing changes)."""
    await exercise_row(services, exercise_id)
    if (to is None) == (by is None):
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT, {"code": "invalid", "message": "Give exactly one of 'to' or 'by'."}
        )
    runtime = await services.manager.runtime(exercise_id)
    await runtime.catch_up()
    now = runtime.now()
    target = _seconds(to, "to") if to is not None else now + _seconds(by or "", "by")
    return jump_preview(runtime.scenario, runtime.state, now, target)


class CardsRequest(StrictInput):
    links: list[Annotated[str, Field(max_length=MAX_LINK_CHARS)]] = Field(
        min_length=1, max_length=MAX_CARDS, description="Seat links as they were issued."
    )


class SeatCard(BaseModel):
    seat_id: str
    kind: str
    team: str | None
    role: str | None
    label: str
    url: str
    qr_svg: str = Field(description="The link as a QR code, a standalone SVG document.")


@router.post("/seat-cards", response_model=list[SeatCard])
def seat_cards(exercise_id: str, body: CardsRequest, services: ServicesDep) -> list[SeatCard]:
    """A QR code for each seat link (the server keeps no links: the console sends those it was shown)."""
    exercise_row_now(services, exercise_id)
    try:
        seats = checked_seats(services.manager.seats, exercise_id, body.links)
    except CardRefused as refused:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT, {"code": "invalid", "message": str(refused)}
        ) from None
    return [
        SeatCard(
            seat_id=seat.id,
            kind=seat.kind,
            team=seat.team,
            role=seat.role,
            label=seat.label,
            url=url,
            qr_svg=qr_svg(url),
        )
        for seat, url in seats
    ]


class ArchiveRequest(StrictInput):
    archived: bool = True


@router.post("/archive", response_model=ExerciseSummary, responses=documented(409))
async def archive(exercise_id: str, body: ArchiveRequest, services: ServicesDep) -> ExerciseSummary:
    """Archive an ended exercise (it leaves the start page's list) or bring it back."""
    await exercise_row(services, exercise_id)
    try:
        row = await services.db.run(set_archived, services.engine, exercise_id, body.archived, services.clock.wall())
    except CommandError as error:
        raise command_http_error(error) from error
    return ExerciseSummary.model_validate(row, from_attributes=True)


@router.delete("", status_code=status.HTTP_204_NO_CONTENT, responses=documented(409))
async def delete(exercise_id: str, services: ServicesDep) -> Response:
    """Delete an ended exercise with its log, seats and improvement plan. This cannot be undone."""
    await exercise_row(services, exercise_id)
    try:
        await services.db.run(delete_exercise, services.engine, exercise_id)
    except CommandError as error:
        raise command_http_error(error) from error
    services.manager.forget(exercise_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
