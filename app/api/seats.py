"""REST for seats: list, issue, reissue (a new link for the same seat) and revoke."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, status

from app.api.deps import Facilitator, ServicesDep, command_http_error
from app.engine.commands import CommandError
from app.engine.manager import ExerciseNotFound
from app.engine.seats import public
from app.models import SeatCreate, SeatLink, SeatPublic, SeatRow
from app.services import Services

router = APIRouter(prefix="/api/exercises/{exercise_id}/seats", tags=["seats"], dependencies=[Facilitator])


def seat_link(services: Services, seat: SeatRow, token: str) -> SeatLink:
    url = f"{services.settings.base_url()}/play/{seat.exercise_id}#token={token}"
    return SeatLink(**public(seat).model_dump(), token=token, url=url)


async def _check(services: Services, exercise_id: str) -> None:
    try:
        await services.manager.row(exercise_id)
    except ExerciseNotFound:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"There is no exercise '{exercise_id}'.") from None


@router.get("", response_model=list[SeatPublic])
async def list_seats(exercise_id: str, services: ServicesDep) -> list[SeatPublic]:
    await _check(services, exercise_id)
    devices = await services.presence.devices(exercise_id)
    return [
        public(seat, devices=0 if seat.revoked_at else devices.get(seat.id, 0))
        for seat in await services.manager.seat_rows(exercise_id)
    ]


@router.post("", status_code=status.HTTP_201_CREATED, response_model=SeatLink)
async def issue_seat(exercise_id: str, body: SeatCreate, services: ServicesDep) -> SeatLink:
    """Issue one more seat; its link is shown only in this response."""
    await _check(services, exercise_id)
    try:
        issued = await services.manager.issue_seat(exercise_id, body.kind, body.team, body.role, body.label)
    except CommandError as error:
        raise command_http_error(error) from error
    return seat_link(services, issued.seat, issued.token)


@router.post("/{seat_id}/reissue", response_model=SeatLink)
async def reissue_seat(exercise_id: str, seat_id: str, services: ServicesDep) -> SeatLink:
    """A new link for the same seat; the old link stops working at once, on every server process."""
    await _check(services, exercise_id)
    try:
        issued = await services.manager.reissue_seat(exercise_id, seat_id)
    except CommandError as error:
        raise command_http_error(error) from error
    return seat_link(services, issued.seat, issued.token)


@router.delete("/{seat_id}", response_model=SeatPublic)
async def revoke_seat(exercise_id: str, seat_id: str, services: ServicesDep) -> SeatPublic:
    """Revoke a seat: its link stops working and its open consoles are disconnected, on every server process."""
    await _check(services, exercise_id)
    try:
        seat = await services.manager.revoke_seat(exercise_id, seat_id)
    except CommandError as error:
        raise command_http_error(error) from error
    return public(seat)
