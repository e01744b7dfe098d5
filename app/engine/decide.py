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
from app.engine.events import EventDraft
from app.engine.player_commands import HANDLERS, PlayContext, Refused
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


def decide(
    scenario: Scenario, state: ExerciseState, principal: Principal, command: c.CommandBase, wall: datetime, now: float
) -> Decision:
    """Check a command against the state; raises ``CommandError`` when it is refused outright."""
    if principal.seat_id is not None and principal.seat_id in state.revoked:
        raise CommandError("revoked", REVOKED_MESSAGE)
    earlier = state.commands.get((principal.actor().key, command.id))
    if earlier is not None:
        return Decision(earlier=list(earlier))
    kind = getattr(command, "type", "")
    if kind in CONTROL_TYPES:
        if principal.kind != "control":
            raise CommandError("forbidden", "Only the control cell can do that.")
        return Decision(drafts=CONTROL_HANDLERS[kind](ControlContext(scenario, state, wall, now), command))
    if kind in HANDLERS:
        try:
            return Decision(drafts=HANDLERS[kind](PlayContext(scenario, state, principal), command))
        except Refused as refused:
            return Decision(refused=refused)
    raise CommandError("unknown_command", f"Unknown command type '{kind}'.")
