"""What a command does: a pure function of the scenario, the state, who sent it and the time.

``decide`` reads nothing but its arguments, so any process that has folded the log up to its head
decides exactly as the owner would. The runtime calls it on the event loop, then appends what it
returns only if the log has not moved on meanwhile (docs/architecture.md, "The path of a command").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from app.engine import commands as c
from app.engine.commands import CONTROL_TYPES, CommandError
from app.engine.control_commands import CONTROL_HANDLERS, ControlContext
from app.engine.events import ActorKind, EventDraft
from app.engine.player_commands import HANDLERS, PlayContext, Refused, command_key
from app.engine.principal import Principal
from app.engine.state import ExerciseState
from app.scenario.schema import Scenario

REVOKED_MESSAGE = "This seat was revoked, so it can no longer act. Ask the facilitator for a new link."


@dataclass(frozen=True)
class Decision:
    drafts: list[EventDraft] = field(default_factory=list)
    """What to record, with the command's id."""
    earlier: list[int] | None = None
    """The command was applied before: the seqs it recorded then (nothing is recorded now)."""
    refused: Refused | None = None
    """Refused, but the attempt is recorded: record ``refused.drafts`` without the id, then raise it."""
    command_id: str | None = None
    """The id the events are recorded under (an anonymous answer's is not the client's: see ``command_key``)."""


def decide(
    scenario: Scenario,
    state: ExerciseState,
    principal: Principal,
    command: c.CommandBase,
    wall: datetime,
    now: float,
    ring_min_wall_seconds: float = 0.0,
) -> Decision:
    """Check a command against the state; raises ``CommandError`` when it is refused outright."""
    if principal.seat_id is not None and principal.seat_id in state.revoked:
        raise CommandError("revoked", REVOKED_MESSAGE)
    key = command_key(principal, command)
    earlier = state.commands.get(key)
    if earlier is not None:
        return Decision(earlier=list(earlier))
    kind = getattr(command, "type", "")
    if kind in CONTROL_TYPES:
        if principal.kind != "control":
            raise CommandError("forbidden", "Only the control cell can do that.")
        drafts = CONTROL_HANDLERS[kind](ControlContext(scenario, state, wall, now), command)
        return Decision(drafts=_signed(drafts, principal), command_id=key[1])
    if kind in HANDLERS:
        try:
            drafts = HANDLERS[kind](PlayContext(scenario, state, principal, ring_min_wall_seconds), command)
        except Refused as refused:
            return Decision(refused=refused)
        return Decision(drafts=drafts, command_id=key[1])
    raise CommandError("unknown_command", f"Unknown command type '{kind}'.")


def _signed(drafts: list[EventDraft], principal: Principal) -> list[EventDraft]:
    """The facilitator's events name the account that gave the command (the system's own stay the system's)."""
    if principal.account is None:
        return drafts
    return [
        d.model_copy(update={"actor": principal.actor()}) if d.actor.kind == ActorKind.facilitator else d
        for d in drafts
    ]
