"""MR and GO: two ways a team feeds the crisis in public.

MR, media reflex — answering a news or social-media storm with a hostile public move before checking
anything. Each media inject counts 1 + p/100, p the team's domestic pressure when it arrived: holding
back under pressure earns more than holding back under none. A media inject counts against a team
when, within the media window (60 min from when the team could read it), the team makes a public
move of weight ≤ the media weight (−2) with no ``verification`` move and no private contact with the
other side (a call, a cable, a letter) in between. Media injects released in a burst (a jump, a late
release) are left out: nobody could answer them as they came.

GO, gratuitous offenses — moves that anger the other side for little gain (close-in surveillance,
network probes). Each costs a third of the metric; the scenario's limit (3) of them scores 0.
"""

from __future__ import annotations

from app.scoring.catalog import result
from app.scoring.curves import duration, plural
from app.scoring.model import MetricResult
from app.scoring.records import Move
from app.scoring.rules import pressure_weight
from app.scoring.series import Series
from app.scoring.team import Gate
from app.scoring.timeline import Timeline


def media_reflex(line: Timeline, team: str, gate: Gate) -> MetricResult:
    name, log = line.name(team), line.teams[team]
    reached = [release for release in log.releases if "media" in release.tags]
    media = [release for release in reached if not release.burst]
    skipped = len(reached) - len(media)
    left_out = f" ({plural(skipped, 'media inject')} released in a burst — a jump or a late release — not counted)"
    if not media:
        return result("MR", None, f"No media inject has reached {name} yet{left_out if skipped else ''}.")
    params = line.params
    hostile: Series[Move] = Series()
    for move in log.moves:
        if move.public and move.weight <= params.media_weight:
            hostile.add(move)
    reflexes = 0
    evidence: list[int] = []
    weights = [pressure_weight(line.pressure_at(team, release.seq)) for release in media]
    reflex_weight = 0.0
    for release, weight in zip(media, weights, strict=True):
        reply = hostile.first_after(release.seq, release.opens + params.media_window)
        if reply is None or log.checks.any_between(release.seq, reply.seq):
            continue
        reflexes += 1
        reflex_weight += weight
        evidence += [release.seq, reply.seq]
    count = "none" if reflexes == 0 else str(reflexes)
    raw = 100.0 * (1 - reflex_weight / sum(weights))
    text = (
        f"{name} answered {count} of {plural(len(media), 'media inject')}{left_out if skipped else ''} with a hostile"
        f" public move within {duration(params.media_window)}, before checking the facts or talking privately"
        f"{under_pressure(line, weights)}{gate.note(raw)}."
    )
    return result("MR", raw * gate.value, text, evidence)


def under_pressure(line: Timeline, weights: list[float]) -> str:
    """A clause saying how much pressure the chances counted with, when the scenario has a media world."""
    if not line.pressure or not weights:
        return ""
    mean = (sum(weights) / len(weights) - 1) * 100
    return f" (each chance weighted by the domestic pressure then: 1 + p/100, p {mean:.0f} on average)"


def gratuitous_offenses(line: Timeline, team: str, gate: Gate) -> MetricResult:
    name = line.name(team)
    offenses = [move for move in line.teams[team].moves if "gratuitous" in move.tags]
    limit = line.params.gratuitous_limit
    value = 100.0 * max(0.0, 1 - len(offenses) / limit) if limit > 0 else (0.0 if offenses else 100.0)
    if offenses:
        labels = sorted({move.label for move in offenses})
        what = f"{plural(len(offenses), 'gratuitous offense')} ({', '.join(labels)})"
    else:
        what = "no gratuitous offense"
    text = f"{name} made {what}; {limit} or more score 0{gate.note(value)}."
    return result("GO", value * gate.value, text, [move.seq for move in offenses])
