"""What falls due when: a pure function of the scenario and the state.

Timed injects fall due at their ``at``; contingency injects when their condition is met (plus its
delay); a ringing call falls due for "missed" at its ring deadline; a letter falls due for delivery at
its send time plus its medium's delay; a media reaction at its move's time plus its template's delay, a
silence post when a team under high pressure has said nothing for the silence window, and a team's
pressure report as soon as its pressure has moved (``app.media``); a running exercise falls due at its
planned ENDEX (where it pauses for the facilitator to end or extend it, or ends if auto-end is on). The
runtime arms one timer for the earliest of these and asks again after every change, so the schedule is
never stored anywhere: it is rebuilt from the log after a restart, and what fell due meanwhile is
released in order, marked late.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from app.engine.events import EventDraft
from app.engine.state import ExerciseState
from app.media.pressure import pressure_draft
from app.media.reactions import reaction_draft, silence_draft
from app.scenario.schema import (
    ActionTaken,
    BandReached,
    Inject,
    InjectReleased,
    NoContact,
    PressureReached,
    Scenario,
)

DueKind = Literal["inject", "ring_timeout", "letter_delivery", "media", "silence", "pressure", "endex"]
# At one instant: calls ring out first, then letters arrive (in the order they were sent), then the media
# react (in the order of the moves), then pressure is reported, then injects (in MSEL order), and only then
# the planned end.
_RANK: dict[DueKind, int] = {
    "ring_timeout": 0,
    "letter_delivery": 1,
    "media": 2,
    "silence": 3,
    "pressure": 4,
    "inject": 5,
    "endex": 6,
}


@dataclass(frozen=True, order=True)
class Due:
    at: float
    rank: int
    order: int
    kind: DueKind
    ref: str
    contingency: bool = False


def inject_due_at(inject: Inject, state: ExerciseState) -> float | None:
    """Scenario time at which a pending inject falls due, or None if its condition has not been met."""
    if inject.at is not None:
        return float(inject.at)
    condition = inject.condition
    if isinstance(condition, NoContact):
        return None if condition.channel in state.substantive_contact else float(condition.by)
    if isinstance(condition, ActionTaken):
        move = state.first_move(condition.action, condition.team)
        return None if move is None else move.scenario_time + condition.delay
    if isinstance(condition, BandReached):
        move = state.first_band(condition.band, condition.team)
        return None if move is None else move.scenario_time + condition.delay
    if isinstance(condition, PressureReached):
        reached = state.media.board.first_reached(condition.team, condition.at_least) if state.media else None
        return None if reached is None else reached + condition.delay
    if isinstance(condition, InjectReleased):
        source = state.injects.get(condition.inject)
        if source is None or source.released_at is None:
            return None
        return source.released_at + condition.delay
    return None


def pending(scenario: Scenario, state: ExerciseState) -> list[Due]:
    """Everything that will fall due if nothing else happens, earliest first (MSEL order breaks ties)."""
    items: list[Due] = []
    for order, inject in enumerate(scenario.injects):
        if state.injects[inject.id].status != "pending":
            continue
        at = inject_due_at(inject, state)
        if at is not None:
            contingency = inject.condition is not None
            items.append(Due(at, _RANK["inject"], order, "inject", inject.id, contingency))
    for call in state.calls.values():
        if call.status == "ringing":
            items.append(Due(call.ring_deadline, _RANK["ring_timeout"], 0, "ring_timeout", call.call_id))
    for letter in state.letters.values():
        if not letter.delivered:
            items.append(
                Due(letter.deliver_at, _RANK["letter_delivery"], letter.sent_seq, "letter_delivery", letter.letter_id)
            )
    if state.media is not None:
        media = state.media
        for reaction in media.pending.values():
            items.append(Due(reaction.at, _RANK["media"], reaction.order, "media", reaction.media_id))
        for order, team in enumerate(media.board.teams):
            silence = media.board.silence_due(team)
            if silence is not None:
                items.append(Due(silence, _RANK["silence"], order, "silence", team))
        for order, team in enumerate(media.board.unreported()):
            changed = media.board.teams[team].changed_at
            items.append(Due(changed, _RANK["pressure"], order, "pressure", team))
    if state.status == "running":
        items.append(Due(state.endex, _RANK["endex"], 0, "endex", "endex"))
    items.sort()
    return items


def next_due(scenario: Scenario, state: ExerciseState) -> Due | None:
    items = pending(scenario, state)
    return items[0] if items else None


# A timer armed for a due time can wake with ``now`` a rounding error short of it (9.2 s × 750 is
# 6899.999…); without this tolerance the runtime would re-arm at the same instant forever.
ROUNDING = 1e-6


def first_due_by(scenario: Scenario, state: ExerciseState, now: float) -> Due | None:
    """The earliest item due at or before ``now`` (to within a rounding error)."""
    item = next_due(scenario, state)
    return item if item is not None and item.at <= now + ROUNDING else None


def media_draft(scenario: Scenario, state: ExerciseState, due: Due, *, seed: str) -> EventDraft:
    """The event a media item that fell due records: a reaction, a silence post or a pressure report."""
    media = state.media
    assert media is not None
    if due.kind == "media":
        return reaction_draft(scenario, media, due.ref, seed)
    if due.kind == "silence":
        return silence_draft(scenario, media, due.ref, seed)
    return pressure_draft(media.board, due.ref)
