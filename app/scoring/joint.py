"""The joint score: how well the two teams did together.

√(T_a·T_b) · Φ · (0.8 + 0.2·JT/100) + bonus, capped at 100. The geometric mean means one side cannot
carry the other. Φ falls with the peak band anyone reached. JT is the share of exchanges that did not
turn the spiral: walking the two teams' moves in order, an *exchange* is a move answered by the other
team's next move, a *spiral turn* an exchange in which both moves are escalations. Bonus: +5 for a
jointly agreed de-escalation (both teams took a ``de_escalation`` move, or one accepted the other's
proposal and either move is tagged ``de_escalation``), +5 when the leaders had a substantive contact
within 12 h of T0.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from app.scoring.curves import duration, plural
from app.scoring.model import JointScore
from app.scoring.prevention import Deals
from app.scoring.timeline import Timeline

PHI_BY_PEAK = {0: 1.0, 1: 1.0, 2: 1.0, 3: 0.9, 4: 0.7, 5: 0.4, 6: 0.0}
BONUS = 5.0


def phi(peak_band: int) -> float:
    return PHI_BY_PEAK[min(6, max(0, peak_band))]


def spiral(line: Timeline) -> tuple[int, int, list[int]]:
    """(spiral turns, exchanges, seqs of the spiral turns' moves)."""
    exchanges = turns = 0
    evidence: list[int] = []
    previous = None
    for move in line.moves:
        if previous is not None and previous.team != move.team:
            exchanges += 1
            if previous.escalatory and move.escalatory:
                turns += 1
                evidence += [previous.seq, move.seq]
        previous = move
    return turns, exchanges, evidence


def de_escalation_agreed(line: Timeline, found: Deals) -> list[int]:
    """Seqs showing a jointly agreed de-escalation, or [] if there was none."""
    for deal in found.agreements:
        if deal.has_tag("de_escalation"):
            return [deal.proposal.seq, deal.acceptance.seq]
    firsts = [next((m for m in log.moves if "de_escalation" in m.tags), None) for log in line.teams.values()]
    if all(move is not None for move in firsts):
        return [move.seq for move in firsts if move is not None]
    return []


def joint_score(line: Timeline, team_scores: Mapping[str, float], found: Deals) -> JointScore:
    peak = max((move.band for move in line.moves), default=0)
    factor = phi(peak)
    turns, exchanges, evidence = spiral(line)
    jt = 100.0 * (1 - turns / max(1, exchanges))
    bonus = 0.0
    reasons: list[str] = []
    agreed = de_escalation_agreed(line, found)
    if agreed:
        bonus += BONUS
        reasons.append("a jointly agreed de-escalation")
        evidence += agreed
    call = line.first_substantive(line.hotline)
    window = line.params.early_contact_bonus_window
    contact = call.first_substantive if call is not None else None
    if line.trigger is not None and contact is not None and contact.time - line.t0 <= window:
        bonus += BONUS
        reasons.append(f"leaders in substantive contact within {duration(window)}")
        evidence.append(contact.seq)
    scores = list(team_scores.values())
    base = math.sqrt(max(0.0, scores[0]) * max(0.0, scores[1]))
    value = min(100.0, base * factor * (0.8 + 0.2 * jt / 100) + bonus)
    names = " × ".join(f"{line.name(team)} {score:.1f}" for team, score in team_scores.items())
    text = (
        f"√({names}) = {base:.1f}; peak band {peak} → Φ {factor:g}; {plural(turns, 'spiral turn')} in"
        f" {plural(exchanges, 'exchange')}"
        f" → JT {jt:.0f}"
    )
    text += f"; bonus +{bonus:g} ({', '.join(reasons)})." if bonus else "; no bonus."
    return JointScore(
        value=round(value, 1),
        phi=factor,
        peak_band=peak,
        jt=round(jt, 1),
        spiral_turns=turns,
        exchanges=exchanges,
        bonus=bonus,
        explanation=text,
        evidence=sorted(set(evidence)),
    )
