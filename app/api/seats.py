"""REST for seats: list, issue, reissue (a new link for the same seat) and revoke."""

from __future__ import annotations

from fastapi import APIRouter, status

from app.api.deps import Facilitator, ServicesDep, SignedIn, actor_of, command_http_error, exercise_row
from app.api.errors import documented
from app.api.guard import GuardedRoute
from app.engine.commands import CommandError
from app.engine.seats import public
from app.models import SeatCreate, SeatLink, SeatPublic, SeatRow
from app.services import Services

router = APIRouter(
    prefix="/api/exercises/{exercise_id}/seats",
    tags=["seats"],
    dependencies=[Facilitator],
    route_class=GuardedRoute,
    responses=documented(400, 401, 404, 422, 429),
)


def seat_link(services: Services, seat: SeatRow, token: str) -> SeatLink:
    url = f"{services.settings.base_url()}/play/{seat.exercise_id}#token={token}"
    return SeatLink(**public(seat).model_dump(), token=token, url=url)


@router.get("", response_model=list[SeatPublic])
async def list_seats(exercise_id: str, services: ServicesDep) -> list[SeatPublic]:
    await exercise_row(services, exercise_id)
    runtime = await services.manager.runtime(exercise_id)
    await runtime.catch_up()
    state = runtime.state  # who is online, and on how many consoles, over every server process
    return [
        public(seat, online=state.online.get(seat.id, False), devices=state.devices.get(seat.id, 0))
        for seat in await services.manager.seat_rows(exercise_id)
    ]


@router.post("", status_code=status.HTTP_201_CREATED, response_model=SeatLink, responses=documented(409, 413))
async def issue_seat(exercise_id: str, body: SeatCreate, services: ServicesDep, identity: SignedIn) -> SeatLink:
    """Issue one more seat; its link is shown only in this response."""
    await exercise_row(services, exercise_id)
    try:
        issued = await services.manager.issue_seat(
            exercise_id, body.kind, body.team, body.role, body.label, by=actor_of(identity)
        )
    except CommandError as error:
        raise command_http_error(error) from error
    return seat_link(services, issued.seat, issued.token)


@router.post("/{seat_id}/reissue", response_model=SeatLink, responses=documented(409))
async def reissue_seat(exercise_id: str, seat_id: str, services: ServicesDep, identity: SignedIn) -> SeatLink:
    """A new link for the same seat; the old link stops working at once, on every server process."""
    await exercise_row(services, exercise_id)
    try:
        issued = await services.manager.reissue_seat(exercise_id, seat_id, by=actor_of(identity))
    except CommandError as error:
        raise command_http_error(error) from error
    return seat_link(services, issued.seat, issued.token)


@router.delete("/{seat_id}", response_model=SeatPublic)
async def revoke_seat(exercise_id: str, seat_id: str, services: ServicesDep, identity: SignedIn) -> SeatPublic:
    """Revoke a seat: its link stops working and its open consoles are disconnected, on every server process."""
    await exercise_row(services, exercise_id)
    try:
        seat = await services.manager.revoke_seat(exercise_id, seat_id, by=actor_of(identity))
    except CommandError as error:
        raise command_http_error(error) from error
    return public(seat)
