"""Who is behind a connection or a request, and what that lets them see and do."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from app.engine.events import Actor, ActorKind
from app.engine.visibility import Viewer

PrincipalKind = Literal["control", "observer", "player"]


@dataclass(frozen=True)
class Principal:
    kind: PrincipalKind
    seat_id: str | None = None
    team: str | None = None
    roles: frozenset[str] = frozenset()
    label: str = ""

    @property
    def viewer(self) -> Viewer:
        return Viewer(kind=self.kind, team=self.team, roles=self.roles)

    def actor(self, role: str | None = None) -> Actor:
        kind = {"control": ActorKind.facilitator, "observer": ActorKind.observer, "player": ActorKind.player}[self.kind]
        return Actor(kind=kind, team=self.team, role=role, seat_id=self.seat_id)


FACILITATOR_PRINCIPAL = Principal(kind="control", label="Facilitator")
