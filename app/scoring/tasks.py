"""OBJ: the scenario's tasks and the decisions its injects ask for, rated P/S/M/U = 100/70/35/0.

Automatic ratings from the log, with ``within`` measured from T0:
  done within ``within`` (or done at all when there is no deadline) → P; within twice that → S;
  done later → M; not done by the deadline, or by ENDEX → U; not done while there is still time → open.
``no_band_above``: no move above the band → P (settled at ENDEX or at the deadline); one band above → M;
more → U; a team with no substantive activity at all gets U — staying low by doing nothing earns nothing.
``avoided``: none of the named actions (or none tagged ``tag``) taken → P, settled the same way; taken → U.
``message_parts``: the team itself told the other side each part asked for (facts, intent, a proposal)
on the channel, in calls or letters: timed like the others from when the last part was conveyed; only
some parts by ENDEX → M.
``evaluator`` tasks wait for a rating (open until then). An evaluator's ``task_rated`` overrides any
automatic rating, and its rationale is kept, with what the log said. A task for team ``both`` is rated
for each team.

Every ``decision`` inject adds an implied task for each team it reached: P if the team took any action
within the decision window (from when the team could read it), U once the window has closed without one.

OBJ is the mean over critical tasks and decisions that have a rating; non-critical tasks are rated
and shown but do not count.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.scenario.schema import ChannelKind, Task
from app.scoring.catalog import result
from app.scoring.curves import clock, duration
from app.scoring.model import MetricResult, TaskRating
from app.scoring.records import Move, Rated
from app.scoring.rules import RATING_VALUES
from app.scoring.series import Mark
from app.scoring.timeline import Timeline

PARTS = ("facts", "intent", "proposal")


@dataclass
class Outcome:
    rating: str | None
    explanation: str
    evidence: list[int] = field(default_factory=list)


def _timed(line: Timeline, done: Mark | None, within: float | None, what: str) -> Outcome:
    t0 = line.t0
    if done is not None:
        elapsed = max(0.0, done.time - t0)
        evidence = [done.seq]
        if within is None:
            return Outcome("P", f"{what} at {clock(done.time)}.", evidence)
        if elapsed <= within:
            return Outcome("P", f"{what} {duration(elapsed)} after the trigger, within {duration(within)}.", evidence)
        if elapsed <= 2 * within:
            return Outcome(
                "S", f"{what} {duration(elapsed)} after the trigger: late, but within twice the time.", evidence
            )
        return Outcome(
            "M", f"{what} {duration(elapsed)} after the trigger, long after the {duration(within)} set.", evidence
        )
    if within is not None and line.now >= t0 + within:
        return Outcome("U", f"Not done within {duration(within)} of the trigger.")
    if line.ended:
        return Outcome("U", "Not done by ENDEX.")
    return Outcome(None, "Still open.")


def _contact_on(line: Timeline, team: str, channel: str | None) -> Mark | None:
    if channel is None:
        return None
    definition = line.scenario.channel(channel)
    log = line.teams[team]
    kind = definition.kind if definition is not None else ChannelKind.call
    if kind is ChannelKind.call:
        call = line.first_substantive(channel)
        return call.first_substantive if call is not None else None
    if kind is ChannelKind.cable:
        return log.cables[0] if log.cables else None
    if kind is ChannelKind.statement:
        return log.statements[0] if log.statements else None
    move = next((move for move in log.moves if move.channel == channel), None)
    return Mark(move.seq, move.time) if move is not None else None


def _moves_by_deadline(line: Timeline, team: str, task: Task) -> tuple[list[Move], bool]:
    """The team's moves up to the task's deadline, and whether the question is settled (deadline or ENDEX)."""
    within = task.check.within
    deadline = line.t0 + within if within is not None else None
    log = line.teams[team]
    moves = log.moves.upto_time(deadline) if deadline is not None else list(log.moves)
    return moves, line.ended or (deadline is not None and line.now >= deadline)


def _below_band(line: Timeline, team: str, task: Task) -> Outcome:
    limit = task.check.band if task.check.band is not None else 6
    moves, settled = _moves_by_deadline(line, team, task)
    above = [move for move in moves if move.band > limit]
    if above:
        worst = max(above, key=lambda move: move.band)
        rating = "M" if worst.band - limit == 1 else "U"
        return Outcome(rating, f"Went to band {worst.band} ({worst.label}), above band {limit}.", [worst.seq])
    return _kept_clear(line, team, settled, f"below band {limit}")


def _kept_clear(line: Timeline, team: str, settled: bool, what: str) -> Outcome:
    if not settled:
        return Outcome(None, f"Stayed {what} so far; settled at ENDEX.")
    if not line.teams[team].substantive:
        return Outcome("U", f"Stayed {what} only by doing nothing.")
    return Outcome("P", f"Stayed {what} throughout.")


def _avoided(line: Timeline, team: str, task: Task) -> Outcome:
    check = task.check
    banned = set(check.actions)
    tag = check.tag.value if check.tag is not None else None
    moves, settled = _moves_by_deadline(line, team, task)
    taken = [move for move in moves if move.action_id in banned or (tag is not None and tag in move.tags)]
    what = ", ".join(sorted(banned)) if banned else f"anything tagged {tag}"
    if taken:
        labels = ", ".join(sorted({move.label for move in taken}))
        return Outcome("U", f"Took {labels} at {clock(taken[0].time)}.", [move.seq for move in taken])
    return _kept_clear(line, team, settled, f"clear of {what}")


def _message_parts(line: Timeline, team: str, task: Task) -> Outcome:
    check = task.check
    channel = check.channel or line.hotline
    wanted: list[str] = list(check.parts) or list(PARTS)
    conveyed: dict[str, Mark] = {}
    for item in sorted(line.teams[team].said, key=lambda said: (said.time, said.seq)):
        if item.channel != channel:
            continue
        for part in wanted:
            if getattr(item, part) and part not in conveyed:
                conveyed[part] = Mark(item.seq, item.time)
    evidence = sorted({mark.seq for mark in conveyed.values()})
    if len(conveyed) == len(wanted):
        last = max(conveyed.values(), key=lambda mark: (mark.time, mark.seq))
        outcome = _timed(line, last, check.within, f"Told the other side {_listed(wanted)}")
        outcome.evidence = evidence
        return outcome
    outcome = _timed(line, None, check.within, "")
    missing = _listed([part for part in wanted if part not in conveyed])
    if outcome.rating == "U" and conveyed:
        return Outcome("M", f"Told the other side {_listed(list(conveyed))}, never {missing}.", evidence)
    if outcome.rating is None:
        outcome.explanation = f"Still to tell the other side {missing}."
    return outcome


def _listed(parts: list[str]) -> str:
    words = {"facts": "the facts", "intent": "its intentions", "proposal": "a proposal"}
    named = [words[part] for part in parts]
    return named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]


def _automatic(line: Timeline, team: str, task: Task) -> Outcome:
    check = task.check
    log = line.teams[team]
    if check.kind == "evaluator":
        return Outcome(None, "Waiting for an evaluator's rating.")
    if check.kind == "leader_contact":
        return _timed(line, _contact_on(line, team, line.hotline), check.within, "The leaders spoke with substance")
    if check.kind == "channel_contact":
        channel = check.channel or line.hotline
        return _timed(line, _contact_on(line, team, channel), check.within, f"Substantive contact on {channel}")
    if check.kind in ("action_taken", "tag_used"):
        moves = (
            log.moves
            if check.by == "each"
            else sorted((move for other in line.teams.values() for move in other.moves), key=lambda move: move.seq)
        )
        wanted = set(check.actions)
        tag = check.tag.value if check.tag is not None else ""
        if check.kind == "action_taken":
            move = next((m for m in moves if not wanted or m.action_id in wanted), None)
        else:
            move = next((m for m in moves if tag in m.tags), None)
        mark = Mark(move.seq, move.time) if move is not None else None
        done = f"{move.label}{f' ({tag})' if tag else ''} taken" if move is not None else ""
        return _timed(line, mark, check.within, done)
    if check.kind == "message_parts":
        return _message_parts(line, team, task)
    if check.kind == "avoided":
        return _avoided(line, team, task)
    return _below_band(line, team, task)


def _latest_rating(ratings: list[Rated], task_id: str, team: str) -> Rated | None:
    matching = [r for r in ratings if r.task_id == task_id and r.team in (None, team)]
    return matching[-1] if matching else None


def _decisions(line: Timeline, team: str) -> list[TaskRating]:
    log = line.teams[team]
    rated: list[TaskRating] = []
    for release in log.releases:
        if "decision" not in release.tags:
            continue
        window = release.decision_window
        until = release.opens + window if window is not None else float("inf")
        decision = log.moves.first_after(release.seq, until)
        if decision is not None:
            after = duration(decision.time - release.time)
            outcome = Outcome("P", f"Decided ({decision.label}) {after} after the inject.", [release.seq, decision.seq])
        elif line.ended or line.now > until:
            outcome = Outcome("U", "No decision within the window.", [release.seq])
        else:
            outcome = Outcome(None, "The decision window is still open.", [release.seq])
        rated.append(
            TaskRating(
                task_id=f"decision:{release.inject_id}",
                title=f"Decide: {release.title}",
                critical=True,
                rating=outcome.rating,
                value=RATING_VALUES.get(outcome.rating or ""),
                source="decision",
                automatic=True,
                explanation=outcome.explanation,
                evidence=outcome.evidence,
            )
        )
    return rated


def rate_tasks(line: Timeline, team: str) -> list[TaskRating]:
    """Every task of the scenario that applies to ``team``, then its decisions, each rated."""
    rated: list[TaskRating] = []
    for objective in line.scenario.objectives:
        for task in objective.tasks:
            if task.team not in ("both", team):
                continue
            override = _latest_rating(line.ratings, task.id, team)
            automatic = task.check.kind != "evaluator"
            from_log = _automatic(line, team, task).rating if automatic and override is not None else None
            if override is not None:
                said = f" (the log said {from_log})" if from_log is not None and from_log != override.rating else ""
                outcome = Outcome(override.rating, f"Rated {override.rating} by an evaluator{said}.", [override.seq])
                source, rationale = "evaluator", override.rationale
            else:
                outcome = _automatic(line, team, task)
                source, rationale = "log", None
            rated.append(
                TaskRating(
                    task_id=task.id,
                    title=task.title,
                    objective_id=objective.id,
                    critical=task.critical,
                    rating=outcome.rating,
                    value=RATING_VALUES.get(outcome.rating or ""),
                    source=source,
                    automatic=automatic,
                    from_log=from_log,
                    explanation=outcome.explanation,
                    rationale=rationale,
                    evidence=outcome.evidence,
                )
            )
    return rated + _decisions(line, team)


def objectives(line: Timeline, team: str, rated: list[TaskRating]) -> MetricResult:
    name = line.name(team)
    counted = [task for task in rated if task.critical and task.value is not None]
    open_ = sum(1 for task in rated if task.critical and task.value is None)
    if not counted:
        if open_:
            return result("OBJ", None, f"None of {name}'s {open_} critical tasks and decisions is rated yet.")
        return result("OBJ", None, f"This scenario sets {name} no critical task and no decision has reached it.")
    tally = ", ".join(
        f"{count} {grade}" for grade in "PSMU" if (count := sum(1 for task in counted if task.rating == grade))
    )
    text = f"{name}: {tally} over {len(counted)} rated critical tasks and decisions"
    text += f"; {open_} still open." if open_ else "."
    value = sum(task.value or 0.0 for task in counted) / len(counted)
    return result("OBJ", value, text, [seq for task in counted for seq in task.evidence])
