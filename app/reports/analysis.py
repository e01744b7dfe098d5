"""Analysis of objectives (HSEEP): a P/S/M/U rating, strengths and areas for improvement per objective.

Each team's rating of an objective comes from its critical tasks as scoring rated them (automatically
from the log, or by an evaluator's ``task_rated``): the mean of the rated tasks' values
(P/S/M/U = 100/70/35/0) read back to the nearest letter, as OBJ counts them. An evaluator's
observation that rates the objective itself is the headline rating when there is one. Tasks rated
P or S are strengths, M or U areas for improvement; rated observations join them. Decisions that
injects asked for form an objective of their own.

The executive summary draws on the score card: metrics at or above ``STRENGTH_AT`` are major
strengths, those below ``IMPROVE_BELOW`` primary areas for improvement.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from app.reports.model import (
    RATING_NAMES,
    ExecutiveSummary,
    Finding,
    ObjectiveAnalysis,
    ObjectiveRating,
    Observation,
    Rating,
    TeamTask,
)
from app.scenario.schema import Scenario
from app.scoring.model import ScoreCard

DECISIONS_ID = "decisions"
STRENGTH_AT = 75.0
IMPROVE_BELOW = 40.0
SUMMARY_LIMIT = 6
_STRONG = ("P", "S")


def letter(value: float) -> Rating:
    """The rating whose value (100/70/35/0) is nearest."""
    if value >= 85:
        return "P"
    if value >= 52.5:
        return "S"
    if value >= 17.5:
        return "M"
    return "U"


def _team_rating(team: str, name: str, tasks: list[TeamTask]) -> ObjectiveRating:
    counted = [task for task in tasks if task.team == team and task.critical]
    rated = [task for task in counted if task.value is not None]
    open_ = len(counted) - len(rated)
    if not rated:
        waiting = f"; {open_} not rated yet" if open_ else ""
        text = f"{name}: no rated critical task{waiting}."
        return ObjectiveRating(team=team, rating=None, source="none", explanation=text)
    mean = sum(task.value or 0.0 for task in rated) / len(rated)
    grades = ", ".join(f"{task.rating}" for task in rated)
    text = f"{name}: {len(rated)} rated critical task(s) ({grades}), mean {mean:.0f}"
    text += f"; {open_} not rated yet." if open_ else "."
    evidence = sorted({seq for task in rated for seq in task.evidence})
    return ObjectiveRating(team=team, rating=letter(mean), source="tasks", explanation=text, evidence=evidence)


def _task_finding(task: TeamTask, team_name: str) -> Finding:
    rationale = f" Evaluator: {task.rationale}" if task.rationale else ""
    return Finding(
        text=f"{team_name} — {task.title}: {task.rating} ({RATING_NAMES[task.rating or 'U']}). "
        f"{task.explanation}{rationale}",
        team=task.team,
        source="task",
        evidence=list(task.evidence),
    )


def _observation_finding(note: Observation) -> Finding:
    return Finding(
        text=f"{note.author}: {note.text}",
        source="observation",
        evidence=sorted({note.seq, *note.linked_seqs}),
    )


def _analyse(
    objective_id: str,
    title: str,
    description: str,
    tasks: list[TeamTask],
    notes: list[Observation],
    team_names: dict[str, str],
) -> ObjectiveAnalysis:
    ratings = [_team_rating(team, name, tasks) for team, name in team_names.items()]
    rated_notes = [note for note in notes if note.rating is not None]
    headline: Rating | None
    source: Literal["tasks", "evaluator", "none"]
    if rated_notes:
        last = rated_notes[-1]
        ratings.append(
            ObjectiveRating(
                team=None,
                rating=last.rating,
                source="evaluator",
                explanation=f"Rated {last.rating} by {last.author}: {last.text}",
                evidence=[last.seq],
            )
        )
        headline, source = last.rating, "evaluator"
    else:
        values = [task.value for task in tasks if task.critical and task.value is not None]
        headline = letter(sum(values) / len(values)) if values else None
        source = "tasks" if values else "none"
    strengths = [_task_finding(task, team_names[task.team]) for task in tasks if task.rating in _STRONG]
    improvements = [_task_finding(task, team_names[task.team]) for task in tasks if task.rating in ("M", "U")]
    strengths += [_observation_finding(note) for note in rated_notes if note.rating in _STRONG]
    improvements += [_observation_finding(note) for note in rated_notes if note.rating in ("M", "U")]
    return ObjectiveAnalysis(
        id=objective_id,
        title=title,
        description=description,
        rating=headline,
        rating_source=source,
        ratings=ratings,
        tasks=tasks,
        strengths=strengths,
        improvements=improvements,
        notes=[note for note in notes if note.rating is None],
    )


def analyse_objectives(scenario: Scenario, card: ScoreCard, notes: list[Observation]) -> list[ObjectiveAnalysis]:
    team_names = {team.id: team.name for team in scenario.teams}
    tasks = [TeamTask(team=team, **task.model_dump()) for team, scores in card.teams.items() for task in scores.tasks]
    analyses = [
        _analyse(
            objective.id,
            objective.title,
            objective.description,
            [task for task in tasks if task.objective_id == objective.id],
            [note for note in notes if note.objective_id == objective.id],
            team_names,
        )
        for objective in scenario.objectives
    ]
    decisions = [task for task in tasks if task.objective_id is None]
    if decisions:
        analyses.append(
            _analyse(
                DECISIONS_ID,
                "Decisions called for by injects",
                "Each decision inject gives the teams a window to decide; a decision taken in it is P, none is U.",
                decisions,
                [],
                team_names,
            )
        )
    return analyses


def _metric_findings(card: ScoreCard, team_names: dict[str, str]) -> Iterable[tuple[float, Finding]]:
    for team, scores in card.teams.items():
        for metric in scores.metrics.values():
            if metric.id == "OBJ" or metric.value is None:
                continue
            finding = Finding(
                text=f"{team_names.get(team, team)} — {metric.name} ({metric.value:.0f}/100, {metric.theme}): "
                f"{metric.explanation}",
                team=team,
                source="metric",
                evidence=list(metric.evidence),
            )
            yield metric.value, finding


def executive_summary(scenario: Scenario, card: ScoreCard) -> ExecutiveSummary:
    team_names = {team.id: team.name for team in scenario.teams}
    findings = list(_metric_findings(card, team_names))
    strong = sorted((item for item in findings if item[0] >= STRENGTH_AT), key=lambda item: -item[0])
    weak = sorted((item for item in findings if item[0] < IMPROVE_BELOW), key=lambda item: item[0])
    return ExecutiveSummary(
        strengths=[finding for _, finding in strong[:SUMMARY_LIMIT]],
        improvements=[finding for _, finding in weak[:SUMMARY_LIMIT]],
    )
