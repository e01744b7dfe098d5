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
    account: str | None = None
    """The named account behind a control or evaluator connection (None: the shared secret)."""

    @property
    def viewer(self) -> Viewer:
        return Viewer(kind=self.kind, team=self.team, roles=self.roles)

    def actor(self, role: str | None = None) -> Actor:
        kind = {"control": ActorKind.facilitator, "observer": ActorKind.observer, "player": ActorKind.player}[self.kind]
        return Actor(kind=kind, team=self.team, role=role, seat_id=self.seat_id, account=self.account)


FACILITATOR_PRINCIPAL = Principal(kind="control", label="Facilitator")


def signed_in_principal(account: str | None, role: str) -> Principal:
    """The control console's principal for a sign-in: a facilitator runs the exercise; an evaluator account
    watches everything and records observations and ratings, like an observer seat."""
    label = account or FACILITATOR_PRINCIPAL.label
    if role == "evaluator":
        return Principal(kind="observer", label=label, account=account)
    return Principal(kind="control", label=label, account=account)
