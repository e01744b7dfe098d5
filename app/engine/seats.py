"""Seats: join links for one role, a whole team, or an observer.

A seat's token is 32 random bytes (256 bits) shown once in its join link; the database keeps only its
SHA-256, so a leaked database does not leak working links. Revoking a seat stops its token at once.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, Engine, insert, update
from sqlmodel import Session, select

from app.engine.principal import Principal
from app.models import SeatPublic, SeatRow
from app.scenario.schema import Scenario

TOKEN_BYTES = 32
_seats = SeatRow.__table__  # type: ignore[attr-defined]


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


MAX_TOKEN_CHARS = 200
"""Longer than any link this server issues: not worth hashing."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def seat_label(scenario: Scenario, kind: str, team: str | None, role: str | None) -> str:
    if kind == "observer":
        return "Observer"
    assert team is not None
    team_model = scenario.team(team)
    if role is None:
        return f"{team_model.name} — whole team"
    role_model = scenario.role(team, role)
    return f"{team_model.name} — {role_model.name if role_model else role}"


def principal_for(scenario: Scenario, seat: SeatRow) -> Principal:
    if seat.kind == "observer":
        return Principal(kind="observer", seat_id=seat.id, label=seat.label)
    assert seat.team is not None
    roles = (
        frozenset({seat.role})
        if seat.role is not None
        else frozenset(role.id for role in scenario.team(seat.team).roles)
    )
    return Principal(kind="player", seat_id=seat.id, team=seat.team, roles=roles, label=seat.label)


def public(seat: SeatRow, online: bool = False, devices: int = 0) -> SeatPublic:
    return SeatPublic(
        id=seat.id,
        exercise_id=seat.exercise_id,
        kind="observer" if seat.kind == "observer" else "player",
        team=seat.team,
        role=seat.role,
        label=seat.label,
        created_at=seat.created_at,
        revoked_at=seat.revoked_at if seat.revoked_at else None,
        online=online,
        devices=devices,
    )


class SeatStore:
    """Seat rows. Changes that go with an event (issue, reissue, revoke) are written inside the event's
    own transaction through the ``*_in`` functions, so a link starts or stops working exactly when the
    log says so, on every process."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def by_token(self, token: str) -> SeatRow | None:
        if not token or len(token) > MAX_TOKEN_CHARS:
            return None
        with Session(self.engine, expire_on_commit=False) as session:
            seat = session.exec(select(SeatRow).where(SeatRow.token_hash == hash_token(token))).first()
        if seat is None or seat.revoked_at is not None:
            return None
        return seat

    def get(self, seat_id: str) -> SeatRow | None:
        with Session(self.engine, expire_on_commit=False) as session:
            return session.get(SeatRow, seat_id)

    def for_exercise(self, exercise_id: str) -> list[SeatRow]:
        with Session(self.engine, expire_on_commit=False) as session:
            rows = session.exec(select(SeatRow).where(SeatRow.exercise_id == exercise_id).order_by(SeatRow.created_at))  # type: ignore[arg-type]
            return list(rows)


def new_seat(
    exercise_id: str, kind: str, team: str | None, role: str | None, label: str, now: datetime
) -> tuple[SeatRow, str]:
    """A seat row and its token, not stored yet."""
    token = new_token()
    seat = SeatRow(
        id="seat_" + secrets.token_hex(6),
        exercise_id=exercise_id,
        kind=kind,
        team=team,
        role=role,
        label=label,
        token_hash=hash_token(token),
        created_at=now,
    )
    return seat, token


def insert_in(connection: Connection, seats: Sequence[SeatRow]) -> None:
    connection.execute(insert(_seats), [seat.model_dump() for seat in seats])


def rotate_in(connection: Connection, seat_id: str, token: str) -> None:
    """Give a seat a new link (for a player who lost theirs): the old one stops working."""
    connection.execute(
        update(_seats).where(_seats.c.id == seat_id).values(token_hash=hash_token(token), revoked_at=None)
    )


def revoke_in(connection: Connection, seat_id: str, now: datetime) -> None:
    connection.execute(
        update(_seats).where(_seats.c.id == seat_id, _seats.c.revoked_at.is_(None)).values(revoked_at=now)
    )
