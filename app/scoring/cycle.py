"""RX, OV and AP: how a team answers the other side's escalations.

An escalation is a move of weight ≤ the scenario's escalatory weight (−4 by default); an act an
attributed inject reports counts as a move of the side it names. A reply within the reflex window
(60 min) with nothing in between — no call with the other side, no message, no ``deliberation``
move — is a reflex; each escalation of the other side counts 1 + p/100, p the team's domestic
pressure just after it. A reply above the highest band the other side has in force (its latest
hostile move, or a standing measure not yet lifted) is an overshoot. A window after the other side's
escalation in which the team does not escalate but does talk or make a cooperative move is an active
pause: slowing down by engaging, not by going quiet. Attributed injects released in a burst (a jump,
a late release) start no window: nobody could answer them as they came.
"""

from __future__ import annotations

from app.scoring.catalog import result
from app.scoring.conduct import under_pressure
from app.scoring.curves import duration, plural
from app.scoring.model import MetricResult
from app.scoring.records import Move
from app.scoring.rules import FIRST_INTO_FORCE_FACTOR, FORCE_BAND, OVERSHOOT_HALVING, pressure_weight
from app.scoring.standing import bands_in_force
from app.scoring.team import Gate
from app.scoring.timeline import Timeline


def reflexive_replies(line: Timeline, team: str) -> dict[int, tuple[Move, Move]]:
    """The other side's escalations that the team answered reflexively: provocation seq → (provocation, reply).

    Each reply answers the other side's latest escalation before it.
    """
    mine, theirs = line.teams[team], line.other(team)
    window = line.params.reflex_window
    answered: dict[int, tuple[Move, Move]] = {}
    for reply in mine.escalations:
        provocation = theirs.provocations.before(reply.seq)
        if provocation is None or reply.time - provocation.time > window:
            continue
        if mine.calm.any_between(provocation.seq, reply.seq):
            continue
        answered.setdefault(provocation.seq, (provocation, reply))
    return answered


def unanswerable(line: Timeline, team: str) -> str:
    """A clause naming the other side's escalatory acts left out because they came in a burst."""
    other = line.other(team)
    count = sum(1 for move in other.hostile if move.escalatory and not move.timed)
    if not count:
        return ""
    return (
        f" ({plural(count, 'escalation')} of {other.name} reported by injects released in a burst"
        " — a jump or a late release — not counted)"
    )


def reflexive_escalation(line: Timeline, team: str, gate: Gate) -> MetricResult:
    name, other = line.name(team), line.other(team)
    provocations = len(other.provocations)
    if provocations == 0:
        return result(
            "RX", None, f"{other.name} has not escalated, so {name} had nothing to answer{unanswerable(line, team)}."
        )
    reflexes = reflexive_replies(line, team)
    window = duration(line.params.reflex_window)
    count = "none" if not reflexes else str(len(reflexes))
    weights = {move.seq: pressure_weight(line.pressure_at(team, move.seq)) for move in other.provocations}
    raw = 100.0 * (1 - sum(weights[seq] for seq in reflexes) / sum(weights.values()))
    text = (
        f"{name} answered {count} of {other.name}'s {plural(provocations, 'escalation')}{unanswerable(line, team)} with"
        f" an escalation within {window} and without talking or deliberating first"
        f"{under_pressure(line, list(weights.values()))}{gate.note(raw)}."
    )
    evidence = [seq for pair in reflexes.values() for seq in (pair[0].seq, pair[1].seq)]
    return result("RX", raw * gate.value, text, evidence)


def first_into_force(line: Timeline) -> Move | None:
    """The first move by anyone at band 4 (coercive force) or above, attributed acts included."""
    return next((move for move in line.moves if move.band >= FORCE_BAND), None)


def overshoot(line: Timeline, team: str, gate: Gate) -> MetricResult:
    """Excess band of each escalation over the highest band the other side had in force before it (0 if none)."""
    name, mine, other = line.name(team), line.teams[team], line.other(team)
    replies = list(mine.escalations)
    excesses: list[int] = []
    evidence: list[int] = []
    for reply, standing in zip(replies, bands_in_force(other.standing, replies), strict=True):
        latest = other.hostile.before(reply.seq)
        excess = max(0, reply.band - max(standing, latest.band if latest is not None else 0))
        excesses.append(excess)
        if excess > 0:
            evidence.append(reply.seq)
            if latest is not None:
                evidence.append(latest.seq)
    mean = sum(excesses) / len(excesses) if excesses else 0.0
    value = 100.0 * 0.5 ** (mean / OVERSHOOT_HALVING)
    if excesses and mean == 0:
        text = f"None of {name}'s {plural(len(excesses), 'escalation')} went above the band {other.name} had in force"
    elif excesses:
        text = (
            f"{name}'s {plural(len(excesses), 'escalation')} went on average {mean:.1f} bands above the highest band"
            f" {other.name} had in force before each (its latest hostile move or a standing measure; 0 if none)"
        )
    else:
        text = f"{name} has not escalated"
    first = first_into_force(line)
    if first is not None and first.team == team and not first.attributed:
        value *= FIRST_INTO_FORCE_FACTOR
        text += f"; {name} was first to use coercive force (band {first.band}), ×{FIRST_INTO_FORCE_FACTOR:g}"
        evidence.append(first.seq)
    return result("OV", value * gate.value, text + gate.note(value) + ".", evidence)


def active_pauses(line: Timeline, team: str) -> MetricResult:
    name, mine, other = line.name(team), line.teams[team], line.other(team)
    if not other.provocations:
        return result(
            "AP", None, f"{other.name} has not escalated, so there was no pause to take{unanswerable(line, team)}."
        )
    window = line.params.reflex_window
    pauses = 0
    evidence: list[int] = []
    for provocation in other.provocations:
        until = provocation.time + window
        if mine.escalations.window(provocation.seq, until):
            continue
        message = mine.messages.first_after(provocation.seq, until)
        gesture = mine.cooperative.first_after(provocation.seq, until)
        engaged = [mark.seq for mark in (message, gesture) if mark is not None]
        if engaged:
            pauses += 1
            evidence += [provocation.seq, min(engaged)]
    escalations = len(other.provocations)
    text = (
        f"{name} took an active pause after {pauses} of {other.name}'s {plural(escalations, 'escalation')}"
        f"{unanswerable(line, team)}: no escalation for {duration(window)}, but a message or a cooperative move."
    )
    return result("AP", 100.0 * pauses / escalations, text, evidence)
