"""The report's sections hold the right facts for a known exercise."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.reports.assemble import build_report
from app.reports.charts import charts
from app.reports.model import Report
from tests.reports.conftest import ANONYMOUS_TEXT, PAUSE_REASON, KnownLog


@pytest.fixture(scope="module")
def report(known: KnownLog) -> Report:
    return build_report(known.source())


def test_overview_names_scenario_participants_and_objectives(report: Report) -> None:
    overview = report.overview
    assert (overview.scenario_id, overview.title, overview.status) == ("mini", "Known exercise", "ended")
    assert overview.compression == 60
    assert overview.startex is not None and overview.endex is not None
    assert overview.wall_duration == pytest.approx(160)  # 10 s, 2 min of lunch, 30 s
    assert [objective.id for objective in overview.objectives] == ["OBJ1"]
    seats = {seat.label: seat for seat in overview.participants}
    assert len(seats) == 11  # a team seat and a seat per role for each team, and an observer
    assert seats["Washington — President"].events >= 3  # the call, its message, the hot-wash answer
    assert seats["Beijing — Spokesperson"].events == 1
    assert report.final


def test_objective_rating_comes_from_tasks_and_the_evaluator(report: Report, known: KnownLog) -> None:
    objective = next(analysis for analysis in report.objectives if analysis.id == "OBJ1")
    by_team = {rating.team: rating for rating in objective.ratings}
    assert by_team["blue"].rating == "P"  # leaders spoke 10 scenario minutes after the trigger
    assert known.call_message in by_team["blue"].evidence
    assert by_team["red"].rating == "M"  # the evaluator's task_rated overrides the log
    assert (objective.rating, objective.rating_source) == ("S", "evaluator")  # the rated observation
    assert by_team[None].evidence == [known.observation]


def test_strengths_and_areas_for_improvement_cite_their_events(report: Report, known: KnownLog) -> None:
    objective = next(analysis for analysis in report.objectives if analysis.id == "OBJ1")
    strength = next(finding for finding in objective.strengths if finding.team == "blue")
    assert "Leaders speak within six hours" in strength.text and known.call_message in strength.evidence
    improvement = next(finding for finding in objective.improvements if finding.team == "red")
    assert "Red never offered facts." in improvement.text
    noted = next(finding for finding in objective.strengths if finding.source == "observation")
    assert noted.evidence == sorted({known.observation, known.call_message})


def test_a_decision_inject_becomes_an_objective_of_its_own(report: Report, known: KnownLog) -> None:
    decisions = next(analysis for analysis in report.objectives if analysis.id == "decisions")
    rated = {task.team: task.rating for task in decisions.tasks}
    assert rated == {"blue": "U", "red": "P"}  # red moved after the decision inject, blue never did
    assert any(known.show_of_force in finding.evidence for finding in decisions.strengths)


def test_every_cited_seq_is_an_event_of_the_log(report: Report) -> None:
    seqs = {event.seq for event in report.events}
    cited = {
        seq
        for analysis in report.objectives
        for finding in analysis.strengths + analysis.improvements
        for seq in finding.evidence
    }
    cited |= {
        seq for card in report.scorecard.teams.values() for metric in card.metrics.values() for seq in metric.evidence
    }
    assert cited and cited <= seqs


def test_pause_and_jump_are_on_the_record_and_in_the_charts(report: Report, known: KnownLog) -> None:
    (pause,) = report.clock.pauses
    assert (pause.seq, pause.reason) == (known.pause, PAUSE_REASON)
    assert pause.wall_end is not None and pause.wall_end - pause.wall_start == timedelta(seconds=120)
    (jump,) = report.clock.jumps
    assert (jump.seq, jump.from_time, jump.to_time) == (known.jump, 600, 7 * 3600)
    figures = charts(report)
    shapes = figures["timeline"]["layout"]["shapes"]
    assert [shape["type"] for shape in shapes] == ["rect", "line"]  # the pause as a span, the jump as a marker
    notes = " ".join(note["text"] for note in figures["timeline"]["layout"]["annotations"])
    assert "Paused at T+00:10" in notes and "Jump T+00:10 → T+07:00" in notes
    # The escalation chart cuts the skipped hours out: the jump is a narrow break right after T+00:10.
    escalation = figures["escalation"]["layout"]
    cut = escalation["shapes"][0]
    assert cut["type"] == "rect" and cut["x0"] == pytest.approx(1 / 6)
    assert cut["x1"] - cut["x0"] < 0.2, "six hours and fifty minutes skipped take a sliver of the axis"
    assert any("jump T+00:10 → T+07:00" in note["text"] for note in escalation["annotations"])
    labels = dict(zip(escalation["xaxis"]["ticktext"], escalation["xaxis"]["tickvals"], strict=True))
    assert labels["T+00:00"] == 0 and 1 / 6 < labels["T+07:00"] < 1 / 6 + 0.2  # play resumes right after the cut


def test_injects_released_by_a_jump_are_flagged_not_played(report: Report) -> None:
    unplayed = [event for event in report.events if event.not_played]
    assert unplayed and all(event.not_played == "jump" for event in unplayed)
    assert all("not played: released by a jump" in event.text for event in unplayed)
    assert all(event.type_name == "Inject" for event in unplayed)
    played = [event for event in report.events if event.type == "inject_released" and not event.not_played]
    assert played, "injects released on schedule are played"


def test_the_top_axis_reads_the_scenario_clock(report: Report) -> None:
    top = charts(report)["timeline"]["layout"]["xaxis2"]
    assert top["ticktext"][0] == "T+00:00"
    assert "T+07:00" in top["ticktext"]  # the jump's landing time is labelled where the jump happened
    assert len(top["ticktext"]) >= 3, "every stretch of the clock is labelled, not only STARTEX"
    assert len(top["tickvals"]) == len(top["ticktext"]) <= 12


def test_escalation_follows_each_teams_moves(report: Report, known: KnownLog) -> None:
    series = {line.team: line for line in report.escalation}
    assert series["blue"].peak_band is None and not series["blue"].points
    assert [(point.seq, point.band) for point in series["red"].points] == [(known.show_of_force, 3)]


def test_observations_and_hot_wash_answers_appear_and_anonymity_holds(report: Report, known: KnownLog) -> None:
    (note,) = report.observations
    assert (note.seq, note.objective_id, note.rating) == (known.observation, "OBJ1", "S")
    answers = {answer.seq: answer for answer in report.hotwash.answers}
    named, anonymous = answers[known.named_answer], answers[known.anonymous_answer]
    assert (named.who, named.rating, named.worked) == ("Washington — President", 4, "The early hotline call")
    assert anonymous.anonymous and anonymous.who is None and anonymous.team == "red"
    assert anonymous.did_not_work == ANONYMOUS_TEXT
    assert report.hotwash.mean_rating == 3.0
    row = next(event for event in report.events if event.seq == known.anonymous_answer)
    assert row.who == "Beijing"  # the events table names the team only


def test_a_running_exercise_gives_an_interim_report(known: KnownLog) -> None:
    source = known.source()
    cut = next(event.seq for event in source.events if event.type.value == "exercise_ended")
    running = build_report(type(source)(source.exercise, source.scenario, source.events[: cut - 1]))
    assert not running.final and running.overview.endex is None
    assert running.last_seq == cut - 1
