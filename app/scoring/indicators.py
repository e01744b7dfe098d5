"""Shown but not scored: indicators that help a reviewer read the crisis, as docs/scoring.md describes them.

- Richardson reactivity: how strongly a team's hostility follows the other side's. Hostility in an
  hour is the sum of −weight over the team's conflictual moves (weight < 0, acts attributed to it by
  injects included) in that hour, hours
  counted from T0; reactivity is the least-squares slope of the team's hostility in hour h against
  the other side's in hour h−1. None until the other side's hostility has varied.
- Restraint: the share of the other side's escalations that the team did not answer with an
  escalation within the reflex window, whether or not it talked first. None if there were none.
- Public threat share: the share of the team's escalations made in public, where they lock leaders in.
- Resolution time: the start of the first hour after T0 in which, for both teams, cooperative moves
  (weight ≥ +3) outnumber conflictual ones.
"""

from __future__ import annotations

from typing import Any

from app.scoring.timeline import TeamLog, Timeline

HOUR = 3600.0


def _hour(time: float, t0: float) -> int:
    return max(0, int((time - t0) // HOUR))


def _hours(line: Timeline) -> int:
    return _hour(line.now, line.t0) + 1


def hostility_by_hour(log: TeamLog, t0: float, hours: int) -> list[float]:
    hostility = [0.0] * hours
    for move in log.hostile:
        hour = max(0, int((move.time - t0) // HOUR))
        if hour < hours:
            hostility[hour] -= move.weight
    return hostility


def richardson_reactivity(line: Timeline, team: str) -> float | None:
    hours = _hours(line)
    mine = hostility_by_hour(line.teams[team], line.t0, hours)
    theirs = hostility_by_hour(line.other(team), line.t0, hours)
    pairs = list(zip(theirs[:-1], mine[1:], strict=True))
    if len(pairs) < 2:
        return None
    mean_x = sum(x for x, _ in pairs) / len(pairs)
    mean_y = sum(y for _, y in pairs) / len(pairs)
    spread = sum((x - mean_x) ** 2 for x, _ in pairs)
    if spread == 0:
        return None
    return round(sum((x - mean_x) * (y - mean_y) for x, y in pairs) / spread, 3)


def restraint(line: Timeline, team: str) -> float | None:
    mine, theirs = line.teams[team], line.other(team)
    if not theirs.provocations:
        return None
    window = line.params.reflex_window
    unanswered = sum(
        1 for move in theirs.provocations if mine.escalations.first_after(move.seq, move.time + window) is None
    )
    return round(unanswered / len(theirs.provocations), 3)


def public_threat_share(log: TeamLog) -> float | None:
    if not log.escalations:
        return None
    return round(sum(1 for move in log.escalations if move.public) / len(log.escalations), 3)


def team_indicators(line: Timeline, team: str) -> dict[str, Any]:
    log = line.teams[team]
    return {
        "richardson_reactivity": richardson_reactivity(line, team),
        "restraint": restraint(line, team),
        "public_threat_share": public_threat_share(log),
        "escalations": len(log.escalations),
        "cooperative_moves": len(log.cooperative),
        "messages": len(log.messages),
        "peak_band": max((move.band for move in log.moves), default=None),
    }


def resolution_time(line: Timeline) -> float | None:
    hours = _hours(line)
    t0 = line.t0
    balance: dict[str, list[int]] = {}
    for team, log in line.teams.items():
        counts = [0] * hours
        for move in log.moves:
            hour = max(0, int((move.time - t0) // HOUR))
            if hour < hours and (move.cooperative or move.weight < 0):
                counts[hour] += 1 if move.cooperative else -1
        balance[team] = counts
    for hour in range(hours):
        if all(counts[hour] > 0 for counts in balance.values()):
            return line.t0 + hour * HOUR
    return None
