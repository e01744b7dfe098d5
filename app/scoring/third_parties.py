"""TP: managing third parties — restrain the partner in private, reassure the other side, and do not
hand the partner an unconditional public endorsement.

For each third-party inject that reached the team, within the third-party window (6 h, from when the
team could read it: for an inject released while paused, from the resumption): 0.6 for a
private ``restraint`` move, 0.2 for a ``reassurance`` move, and 0.2 for making no public
``endorsement``. The last part is earned only together with one of the first two: staying silent is
not managing anyone.
"""

from __future__ import annotations

from app.scoring.catalog import result
from app.scoring.curves import duration, plural
from app.scoring.model import MetricResult
from app.scoring.rules import NO_ENDORSEMENT_SHARE, REASSURANCE_SHARE, RESTRAINT_SHARE
from app.scoring.timeline import Timeline


def third_party_management(line: Timeline, team: str) -> MetricResult:
    name, log = line.name(team), line.teams[team]
    injects = [release for release in log.releases if "third_party" in release.tags]
    if not injects:
        return result("TP", None, f"No third-party inject has reached {name} yet.")
    window = line.params.third_party_window
    total = 0.0
    restrained = reassured = endorsed = 0
    evidence: list[int] = []
    for release in injects:
        moves = log.moves.window(release.seq, release.opens + window)
        restraint = [m for m in moves if not m.public and "restraint" in m.tags]
        reassurance = [m for m in moves if "reassurance" in m.tags]
        endorsement = [m for m in moves if m.public and "endorsement" in m.tags]
        engaged = bool(restraint or reassurance)
        total += (
            RESTRAINT_SHARE * bool(restraint)
            + NO_ENDORSEMENT_SHARE * (engaged and not endorsement)
            + REASSURANCE_SHARE * bool(reassurance)
        )
        restrained += bool(restraint)
        reassured += bool(reassurance)
        endorsed += bool(endorsement)
        evidence += [release.seq] + [m.seq for m in (restraint[:1] + reassurance[:1] + endorsement)]
    other = line.other(team).name
    text = (
        f"{name} restrained its partner in private within {duration(window)} after {restrained} of"
        f" {plural(len(injects), 'third-party inject')}, reassured {other} after {reassured}"
        f" and backed the partner in public after {endorsed}."
    )
    return result("TP", 100.0 * total / len(injects), text, evidence)
