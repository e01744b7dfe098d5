"""RX, OV and AP: how a team answers the other side's escalations.

An escalation is a move of weight ≤ the scenario's escalatory weight (−4 by default). A reply within
the reflex window (60 min) with nothing in between — no call with the other side, no message, no
``deliberation`` move — is a reflex. A reply a band or more above what it answered is an overshoot.
A window after the other side's escalation in which the team does not escalate but does talk or make
a cooperative move is an active pause: slowing down by engaging, not by going quiet.
"""

from __future__ import annotations

from app.scoring.catalog import result
from app.scoring.curves import duration, plural
from app.scoring.model import MetricResult
from app.scoring.team import Gate
from app.scoring.timeline import Move, Timeline

FORCE_BAND = 4
FIRST_INTO_FORCE_PENALTY = 30.0


def reflexive_replies(line: Timeline, team: str) -> dict[int, tuple[Move, Move]]:
    """The other side's escalations that the team answered reflexively: provocation seq → (provocation, reply).

    Each reply answers the other side's latest escalation before it.
    """
    mine, theirs = line.teams[team], line.other(team)
    window = line.params.reflex_window
    answered: dict[int, tuple[Move, Move]] = {}
    for reply in mine.escalations:
        provocation = theirs.escalations.before(reply.seq)
        if provocation is None or reply.time - provocation.time > window:
            continue
        if mine.calm.any_between(provocation.seq, reply.seq):
            continue
        answered.setdefault(provocation.seq, (provocation, reply))
    return answered


def reflexive_escalation(line: Timeline, team: str, gate: Gate) -> MetricResult:
    name, other = line.name(team), line.other(team)
    provocations = len(other.escalations)
    if provocations == 0:
        return result("RX", None, f"{other.name} has not escalated, so {name} had nothing to answer.")
    reflexes = reflexive_replies(line, team)
    window = duration(line.params.reflex_window)
    count = "none" if not reflexes else str(len(reflexes))
    text = (
        f"{name} answered {count} of {other.name}'s {plural(provocations, 'escalation')} with an escalation"
        f" within {window} and without talking or deliberating first{gate.note()}."
    )
    evidence = [seq for pair in reflexes.values() for seq in (pair[0].seq, pair[1].seq)]
    value = 100.0 * (1 - len(reflexes) / max(1, provocations)) * gate.value
    return result("RX", value, text, evidence)


def first_into_force(line: Timeline) -> Move | None:
    """The first move by anyone at band 4 (coercive force) or above."""
    return next((move for move in line.moves if move.band >= FORCE_BAND), None)


def overshoot(line: Timeline, team: str, gate: Gate) -> MetricResult:
    """Excess band of each escalation over the other side's latest conflictual move before it (0 if none)."""
    name, mine, other = line.name(team), line.teams[team], line.other(team)
    excesses: list[int] = []
    evidence: list[int] = []
    for reply in mine.escalations:
        provocation = other.conflicts.before(reply.seq)
        excess = max(0, reply.band - (provocation.band if provocation is not None else 0))
        excesses.append(excess)
        if excess > 0:
            evidence.append(reply.seq)
            if provocation is not None:
                evidence.append(provocation.seq)
    mean = sum(excesses) / len(excesses) if excesses else 0.0
    value = 100.0 * max(0.0, 1 - mean / 2)
    if excesses and mean == 0:
        text = f"None of {name}'s {plural(len(excesses), 'escalation')} went above {other.name}'s latest hostile move"
    elif excesses:
        text = (
            f"{name}'s {plural(len(excesses), 'escalation')} went on average {mean:.1f} bands above"
            f" {other.name}'s latest hostile move before each (band 0 if there was none)"
        )
    else:
        text = f"{name} has not escalated"
    first = first_into_force(line)
    if first is not None and first.team == team:
        value = max(0.0, value - FIRST_INTO_FORCE_PENALTY)
        text += f"; {name} was first to use coercive force (band {first.band}), −{FIRST_INTO_FORCE_PENALTY:g}"
        evidence.append(first.seq)
    return result("OV", value * gate.value, text + gate.note() + ".", evidence)


def active_pauses(line: Timeline, team: str) -> MetricResult:
    name, mine, other = line.name(team), line.teams[team], line.other(team)
    if not other.escalations:
        return result("AP", None, f"{other.name} has not escalated, so there was no pause to take.")
    window = line.params.reflex_window
    pauses = 0
    evidence: list[int] = []
    for provocation in other.escalations:
        until = provocation.time + window
        if mine.escalations.window(provocation.seq, until):
            continue
        message = mine.messages.first_after(provocation.seq, until)
        gesture = mine.cooperative.first_after(provocation.seq, until)
        engaged = [mark.seq for mark in (message, gesture) if mark is not None]
        if engaged:
            pauses += 1
            evidence += [provocation.seq, min(engaged)]
    escalations = len(other.escalations)
    text = (
        f"{name} took an active pause after {pauses} of {other.name}'s {plural(escalations, 'escalation')}:"
        f" no escalation for {duration(window)}, but a message or a cooperative move."
    )
    return result("AP", 100.0 * pauses / escalations, text, evidence)
