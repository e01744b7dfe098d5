"""The events an operator wants to see in the server log: an exercise's life, its clock, late injects.

Called for each batch this process committed (never for batches other processes committed and this one
only folded), so with several processes each event is logged once. Lines name ids and states, never what
players or the facilitator wrote (messages, reasons, inject texts stay in the event log, where
information control applies); each carries the exercise id and the event's seq.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from app import logcontext
from app.engine.events import ActorKind, Event, EventType

log = logging.getLogger("app.exercise")

_LIFECYCLE = {
    EventType.exercise_created: "exercise created from scenario {scenario_id}",
    EventType.lobby_opened: "lobby opened",
    EventType.exercise_started: "STARTEX",
    EventType.exercise_paused: "clock paused",
    EventType.exercise_resumed: "clock resumed",
    EventType.clock_jumped: "clock jumped",
    EventType.compression_changed: "compression changed to {compression}",
    EventType.exercise_ended: "ENDEX",
    EventType.seat_revoked: "seat {seat_id} revoked",
}


def log_notable_events(exercise_id: str, events: Sequence[Event]) -> None:
    for event in events:
        line = _line(event)
        if line is None:
            continue
        level, text = line
        seat = "control" if event.actor.kind is ActorKind.facilitator else event.actor.seat_id
        with logcontext.about(exercise_id=exercise_id, seq=event.seq, seat=seat, command_id=event.command_id):
            log.log(level, text)  # the event's own seat: a release a command set off is the system's


def _line(event: Event) -> tuple[int, str] | None:
    payload = event.payload
    if event.type is EventType.inject_released:
        cause = payload.get("cause", "schedule")
        if payload.get("late"):
            return logging.WARNING, f"inject {payload.get('inject_id')} released late ({cause})"
        return logging.INFO, f"inject {payload.get('inject_id')} released ({cause})"
    template = _LIFECYCLE.get(event.type)
    if template is None:
        return None
    return logging.INFO, template.format_map(_Missing(payload))


class _Missing(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "?"
