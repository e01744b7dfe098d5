"""LC and MM: getting the leaders, and the militaries, into direct contact early.

Both are earned only by acting: the leader-contact clock stops when the team itself rings the hotline
or picks up the other side's call, and a substantive contact needs both sides on the line.
"""

from __future__ import annotations

from bisect import bisect_right

from app.scoring.catalog import result
from app.scoring.curves import duration, falloff
from app.scoring.model import MetricResult
from app.scoring.series import Mark
from app.scoring.timeline import Release, TeamLog, Timeline

CUES_TAG = "cues"
MILMIL_SHARE = 0.7
CUES_SHARE = 0.3


def first_move_toward_contact(log: TeamLog) -> tuple[Mark | None, Mark | None]:
    """(the move that starts the team's contact, a decline that came before any move).

    Requesting a call or accepting the other side's counts. A decline before any such move means
    that only the team's own request counts after it: the team has to pick up the phone itself.
    """
    candidates = [marks[0] for marks in (log.hotline_requests, log.hotline_accepts) if marks]
    earliest = min(candidates, key=lambda mark: mark.seq, default=None)
    decline = log.hotline_declines[0] if log.hotline_declines else None
    if decline is None or (earliest is not None and earliest.seq < decline.seq):
        return earliest, None
    request = next((mark for mark in log.hotline_requests if mark.seq > decline.seq), None)
    return request, decline


def leader_contact(line: Timeline, team: str) -> MetricResult:
    name = line.name(team)
    if line.hotline is None:
        return result("LC", None, "This scenario has no call channel for the leaders, so there is no hotline to score.")
    if line.trigger is None:
        return result("LC", None, "The trigger inject has not been released yet; leader contact is timed from it.")
    curve = line.params.leader_contact
    t0 = line.t0
    move, decline = first_move_toward_contact(line.teams[team])
    call = line.first_substantive(line.hotline)
    evidence = [line.trigger.seq]
    if move is not None:
        how = "asked for a call" if move in line.teams[team].hotline_requests else "took the other side's call"
        first = f"{name} {how} {duration(move.time - t0)} after the trigger"
        if decline is not None:
            first += f" (after declining one {duration(decline.time - t0)} in)"
        evidence.append(move.seq)
    elif decline is not None:
        after = duration(decline.time - t0)
        first = f"{name} declined the other side's call {after} after the trigger and has not called since"
    else:
        first = f"{name} has neither asked for nor taken a hotline call"
    if decline is not None:
        evidence.append(decline.seq)
    if call is not None and call.first_substantive is not None:
        reached = call.first_substantive.time - t0
        second = f"the leaders spoke with substance {duration(reached)} in"
        evidence += [call.requested.seq, call.first_substantive.seq]
        if call.accepted is not None:
            evidence.append(call.accepted.seq)
        substance = falloff(max(0.0, reached), curve)
    else:
        second = "the leaders have not yet exchanged facts, intentions or a proposal"
        substance = 0.0
    reach = falloff(max(0.0, move.time - t0), curve) if move is not None else 0.0
    return result("LC", 0.5 * reach + 0.5 * substance, f"{first}; {second}.", evidence)


def encounter_tag(line: Timeline) -> str:
    """Encounters are injects tagged 'encounter'; a scenario with none uses its military incidents."""
    tagged = any("encounter" in inject.tags for inject in line.scenario.injects)
    tagged = tagged or any("encounter" in release.tags for release in line.releases)
    return "encounter" if tagged else "military_incident"


def _answered_encounters(line: Timeline, team: str, encounters: list[Release]) -> tuple[int, list[int]]:
    """Encounters followed by a CUES order of the team before the next encounter reached it."""
    cues = [move for move in line.teams[team].moves if CUES_TAG in move.tags]
    cue_seqs = [move.seq for move in cues]
    answered, evidence = 0, []
    for index, encounter in enumerate(encounters):
        position = bisect_right(cue_seqs, encounter.seq)
        if position == len(cues):
            continue
        answer = cues[position]
        following = encounters[index + 1] if index + 1 < len(encounters) else None
        if following is None or answer.seq < following.seq:
            answered += 1
            evidence += [encounter.seq, answer.seq]
    return answered, evidence


def milmil_contact(line: Timeline, team: str) -> MetricResult:
    name = line.name(team)
    log = line.teams[team]
    incidents = [release for release in log.releases if "military_incident" in release.tags]
    tag = encounter_tag(line)
    encounters = [release for release in log.releases if tag in release.tags]
    if not incidents and not encounters:
        return result("MM", None, f"No military incident has reached {name} yet.")
    parts: list[tuple[float, float]] = []
    sentences: list[str] = []
    evidence: list[int] = []
    if line.milmil is not None and incidents:
        first = incidents[0]
        call = line.first_substantive(line.milmil)
        evidence.append(first.seq)
        if call is not None and call.first_substantive is not None:
            lag = max(0.0, call.first_substantive.time - first.time)
            parts.append((MILMIL_SHARE, falloff(lag, line.params.milmil_contact)))
            sentences.append(
                f"the defense chiefs spoke with substance {duration(lag)} after the first military incident"
            )
            evidence += [call.requested.seq, call.first_substantive.seq]
        else:
            parts.append((MILMIL_SHARE, 0.0))
            sentences.append("the defense chiefs have not had a substantive call since the first military incident")
    if encounters:
        answered, seqs = _answered_encounters(line, team, encounters)
        parts.append((CUES_SHARE, 100.0 * answered / len(encounters)))
        sentences.append(f"{name} answered {answered} of {len(encounters)} encounters with a CUES order")
        evidence += seqs
    if not parts:
        return result("MM", None, "This scenario has no mil-mil link and no encounter has reached the team yet.")
    total = sum(share for share, _ in parts)
    value = sum(share * score for share, score in parts) / total
    text = "; ".join(sentences)
    return result("MM", value, text[0].upper() + text[1:] + ".", evidence)
