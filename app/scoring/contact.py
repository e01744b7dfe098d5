"""LC and MM: getting the leaders, and the militaries, into direct contact early — by voice or in writing.

Both are earned only by acting, and judged per team. LC's reach half is the team's own first move
toward the other leader (asking for a call, taking one, sending a letter); a call declined before
any such move costs that half the refusal factor, for good, but no longer erases it. The substance
half is what the team itself told the other side (facts, intent, a proposal) on the line: said on a
call, or in writing at the time the letter was due; a letter counts ``letter_weight`` of a call, and
only hearing the other side's substance earns ``listening_share`` of it. MM's contact part judges the
mil-mil link the same way, timed from the first military incident.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from app.scenario.schema import Curve
from app.scoring.catalog import result
from app.scoring.curves import duration, falloff
from app.scoring.model import MetricResult
from app.scoring.records import Reach, Release, Said
from app.scoring.rules import CUES_SHARE, CUES_TAG, MILMIL_SHARE, REACH_SHARE, SUBSTANCE_SHARE, contact_curve
from app.scoring.rules import letter_weight as medium_weight
from app.scoring.timeline import Timeline


@dataclass(frozen=True)
class Part:
    """One half of a contact metric: its value 0–100, a clause saying why, and the events behind it."""

    value: float
    text: str
    evidence: tuple[int, ...] = ()


def _earliest_per_medium(items: Iterable[Said], channel: str) -> list[Said]:
    """The first item on ``channel`` of each medium: f only falls with time, so the first is the best."""
    firsts: dict[str | None, Said] = {}
    for item in items:
        if item.channel == channel and item.medium not in firsts:
            firsts[item.medium] = item
    return list(firsts.values())


def _in_words(item: Said, since: float, what: str) -> str:
    parts = [
        name
        for name, present in (("facts", item.facts), ("intent", item.intent), ("a proposal", item.proposal))
        if present
    ]
    told = " and ".join(parts) if len(parts) < 3 else "facts, intent and a proposal"
    how = "on a call" if item.medium is None else f"in a {item.medium} that arrived"
    return f"{what} {told} {how} {duration(max(0.0, item.time - since))} in"


def substance(line: Timeline, team: str, channel: str, curve: Curve, since: float) -> Part:
    """What the team itself conveyed on ``channel``, or failing that what it heard, timed from ``since``."""
    params = line.params
    name, log = line.name(team), line.teams[team]
    options: list[tuple[float, Said, str]] = []
    for item in _earliest_per_medium(log.said, channel):
        options.append((medium_weight(params, item.medium) * falloff(max(0.0, item.time - since), curve), item, "own"))
    for item in _earliest_per_medium(log.heard, channel):
        credit = params.listening_share * medium_weight(params, item.medium)
        options.append((credit * falloff(max(0.0, item.time - since), curve), item, "heard"))
    if not options:
        return Part(0.0, f"{name} has not yet told the other side facts, intentions or a proposal")
    value, item, kind = max(options, key=lambda option: (option[0], -option[1].seq))
    if kind == "own":
        text = _in_words(item, since, f"{name} conveyed")
        if item.medium is not None:
            text += f" (writing counts {params.letter_weight:g} of a call)"
    else:
        text = _in_words(item, since, f"{name} only listened: the other side conveyed")
        text += f" (hearing counts {params.listening_share:g} of speaking)"
    return Part(value, text, (item.seq,))


def reach(line: Timeline, team: str, curve: Curve) -> Part:
    """The team's own first move toward the other leader, at the refusal factor after a declined call."""
    params = line.params
    name, log, t0 = line.name(team), line.teams[team], line.t0
    decline = log.declines[0] if log.declines else None
    acted = [mark.seq for mark in log.wrote] + [move.seq for move in log.reach if move.medium is None]
    refused = decline is not None and (not acted or decline.seq < min(acted))
    factor = params.refusal_factor if refused else 1.0
    firsts: dict[str | None, Reach] = {}
    for move in log.reach:
        firsts.setdefault(move.medium, move)
    if not firsts:
        if decline is not None:
            after = duration(decline.time - t0)
            return Part(
                0.0,
                f"{name} declined the other side's call {after} after the trigger and has not reached out since",
                (decline.seq,),
            )
        return Part(0.0, f"{name} has neither asked for nor taken a hotline call, nor written to the other leader")
    scored = [
        (factor * medium_weight(params, move.medium) * falloff(max(0.0, move.time - t0), curve), move)
        for move in firsts.values()
    ]
    value, move = max(scored, key=lambda option: (option[0], -option[1].seq))
    text = f"{name} {move.how} {duration(move.time - t0)} after the trigger"
    if move.medium is not None:
        text += f" (writing counts {params.letter_weight:g} of a call)"
    evidence = [move.seq]
    if refused and decline is not None:
        text += f", after declining a call {duration(decline.time - t0)} in (the refusal keeps {factor:g} of this half)"
        evidence.append(decline.seq)
    return Part(value, text, tuple(evidence))


def leader_contact(line: Timeline, team: str) -> MetricResult:
    if line.hotline is None:
        return result("LC", None, "This scenario has no call channel for the leaders, so there is no hotline to score.")
    if line.trigger is None:
        return result("LC", None, "The trigger inject has not been released yet; leader contact is timed from it.")
    curve = contact_curve(line.scenario, "LC")
    first = reach(line, team, curve)
    said = substance(line, team, line.hotline, curve, line.t0)
    value = REACH_SHARE * first.value + SUBSTANCE_SHARE * said.value
    evidence = [line.trigger.seq, *first.evidence, *said.evidence]
    return result("LC", value, f"{first.text}; {said.text}.", evidence)


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
        said = substance(line, team, line.milmil, contact_curve(line.scenario, "MM"), first.opens)
        parts.append((MILMIL_SHARE, said.value))
        sentences.append(f"on the mil-mil link, after the first military incident: {said.text}")
        evidence += [first.seq, *said.evidence]
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
