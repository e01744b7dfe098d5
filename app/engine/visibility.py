"""Who sees what (docs/architecture.md, "Who sees what"), enforced on the server for live delivery and replay alike.

A ``Viewer`` is what a connection is allowed to see. Control and observers see every event in full.
A player sees an event if its audience names everyone, the player's team, or one of the roles the
seat holds; fields in ``internal`` reach only the actor's own team, and the account a facilitator or
evaluator signed in with reaches no player.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from app.engine.events import ALL, Event, role_audience, team_audience

ViewerKind = Literal["control", "observer", "player"]


@dataclass(frozen=True)
class Viewer:
    kind: ViewerKind
    team: str | None = None
    roles: frozenset[str] = frozenset()

    @property
    def sees_everything(self) -> bool:
        return self.kind != "player"

    def audience_keys(self) -> frozenset[str]:
        """Audience strings that address this viewer."""
        if self.team is None:
            return frozenset({ALL})
        return frozenset({ALL, team_audience(self.team)} | {role_audience(self.team, role) for role in self.roles})

    @property
    def group(self) -> str:
        """Viewers in the same group see exactly the same events, so a message is encoded once per group."""
        if self.sees_everything:
            return "control"
        return f"{self.team}:{','.join(sorted(self.roles))}"


CONTROL_VIEWER = Viewer(kind="control")


def can_see(viewer: Viewer, event: Event) -> bool:
    return addressed(viewer, event.audience)


def addressed(viewer: Viewer, audience: list[str]) -> bool:
    """Whether an event with this ``audience`` reaches ``viewer``."""
    if viewer.sees_everything:
        return True
    keys = viewer.audience_keys()
    return any(entry in keys for entry in audience)


def view_for(viewer: Viewer, event: Event) -> Event | None:
    """The event as ``viewer`` may see it, or None if it may not see it at all."""
    if not can_see(viewer, event):
        return None
    if viewer.sees_everything:
        return event
    if event.actor.account is not None:  # which facilitator or evaluator acted is the control cell's business
        event = event.model_copy(update={"actor": event.actor.model_copy(update={"account": None})})
    if event.internal is None or event.actor.team == viewer.team:
        return event
    return event.model_copy(update={"internal": None})
