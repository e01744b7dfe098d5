"""The joint score: how well the two teams did together.

√(T_a·T_b) · Φ · (0.8 + 0.2·JT/100) + bonus, capped at 100. The geometric mean means one side cannot
carry the other. Φ falls with the peak band anyone reached, heavily but never to 0, and wins part of
that back when the crisis came down from its peak: soon, and by a jointly agreed de-escalation. JT is
the share of exchanges that did not turn the spiral: walking the two teams' moves in order (acts
attributed by injects included), an *exchange* is a move answered by the other team's next move, a
*spiral turn* an exchange in which both moves are escalations. Bonus: +5 for a jointly agreed
de-escalation, +5 when the leaders were in substantive contact within 12 h of T0 (a call both took, or
substance written each way).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from app.scoring.catalog import shown
from app.scoring.curves import clock, duration, falloff, plural
from app.scoring.model import JointScore
from app.scoring.prevention import Deals
from app.scoring.rules import AGREED_SHARE, BONUS, PHI_BY_PEAK, QUICK_SHARE, RECOVERY_CAP
from app.scoring.series import Mark
from app.scoring.standing import Course, course
from app.scoring.timeline import Timeline


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


def recovery(line: Timeline, crisis: Course, agreed: list[int]) -> tuple[float, str, list[int]]:
    """Φ after what followed the peak, with a clause saying why and the events behind it."""
    peak = crisis.peak
    factor = phi(peak)
    if crisis.peak_move is None or factor >= 1.0:
        return factor, f"peak band {peak} → Φ {factor:g}", []
    peak_move = crisis.peak_move
    evidence = [peak_move.seq]
    if crisis.left_peak_at is None:
        return factor, f"peak band {peak} → Φ {factor:g}, still at the peak", evidence
    held = crisis.left_peak_at - peak_move.time
    quick = falloff(held, line.params.peak_recovery) / 100
    after_peak = bool(agreed) and max(agreed) > peak_move.seq
    share = AGREED_SHARE * after_peak + QUICK_SHARE * quick
    gap = phi(crisis.level_now) - factor
    value = factor + gap * RECOVERY_CAP * share
    text = (
        f"peak band {peak} → Φ {factor:g}, left {duration(held)} after it was reached"
        f"{' and by a jointly agreed de-escalation' if after_peak else ''}, band {crisis.level_now} at"
        f" {clock(line.now)} → Φ {value:.2f}"
    )
    return value, text, evidence + (agreed if after_peak else [])


def leaders_in_contact(line: Timeline) -> Mark | None:
    """When the leaders were first in substantive contact: a call both took in which one spoke with substance,
    or, in writing, once each had conveyed substance to the other. One side writing alone is not contact."""
    call = line.first_substantive(line.hotline)
    moments = [call.first_substantive] if call is not None and call.first_substantive is not None else []
    firsts = [
        min(
            (item for item in log.said if item.channel == line.hotline),
            key=lambda item: (item.time, item.seq),
            default=None,
        )
        for log in line.teams.values()
    ]
    if all(first is not None for first in firsts):
        last = max((first for first in firsts if first is not None), key=lambda item: (item.time, item.seq))
        moments.append(Mark(last.seq, last.time))
    return min(moments, key=lambda mark: (mark.time, mark.seq), default=None)


def joint_score(line: Timeline, team_scores: Mapping[str, float], found: Deals) -> JointScore:
    crisis = course(
        line.moves,
        {team: log.standing for team, log in line.teams.items()},
        line.params.cooperative_weight,
        line.now,
    )
    turns, exchanges, evidence = spiral(line)
    jt = 100.0 * (1 - turns / max(1, exchanges))
    bonus = 0.0
    reasons: list[str] = []
    agreed = de_escalation_agreed(line, found)
    factor, peak_text, peak_evidence = recovery(line, crisis, agreed)
    evidence += peak_evidence
    if agreed:
        bonus += BONUS
        reasons.append("a jointly agreed de-escalation")
        evidence += agreed
    window = line.params.early_contact_bonus_window
    contact = leaders_in_contact(line)
    if line.trigger is not None and contact is not None and contact.time - line.t0 <= window:
        bonus += BONUS
        reasons.append(f"leaders in substantive contact within {duration(window)}")
        evidence.append(contact.seq)
    scores = list(team_scores.values())
    base = math.sqrt(max(0.0, scores[0]) * max(0.0, scores[1]))
    value = min(100.0, base * factor * (0.8 + 0.2 * jt / 100) + bonus)
    names = " × ".join(f"{line.name(team)} {score:.1f}" for team, score in team_scores.items())
    text = (
        f"√({names}) = {base:.1f}; {peak_text}; {plural(turns, 'spiral turn')} in"
        f" {plural(exchanges, 'exchange')} → JT {jt:.0f}"
    )
    text += f"; bonus +{bonus:g} ({', '.join(reasons)})." if bonus else "; no bonus."
    return JointScore(
        value=shown(value),
        phi=round(factor, 3),
        peak_band=crisis.peak,
        jt=round(jt, 1),
        spiral_turns=turns,
        exchanges=exchanges,
        bonus=bonus,
        explanation=text,
        evidence=sorted(set(evidence)),
        left_peak_at=crisis.left_peak_at,
        final_band=crisis.level_now,
    )
