"""Every policy plays whole scenarios through the real protocol, and the scores order them (docs/bots.md).

Each policy plays itself once per scenario (a module-scoped fixture); the assertions share the runs.
The ordering is checked on every bundled scenario, so a scenario added to ``injects/`` is covered.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.bots.match import MatchResult
from app.bots.policies import POLICIES
from tests.bots.helpers import BUNDLED, MINI, log_events, play_pairings, shortest_bundled, team_scores

POLICY_NAMES = list(POLICIES)
SPAMMER_TOLERANCE = 2.0


def _play_all(scenario_file: Path, out_dir: Path) -> dict[str, MatchResult]:
    results = play_pairings(scenario_file, [(name, name) for name in POLICY_NAMES], out_dir)
    return dict(zip(POLICY_NAMES, results, strict=True))


@pytest.fixture(scope="module", params=BUNDLED, ids=[path.stem for path in BUNDLED])
def bundled(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict[str, MatchResult]:
    return _play_all(request.param, tmp_path_factory.mktemp(request.param.stem))


@pytest.fixture(scope="module")
def mini(tmp_path_factory: pytest.TempPathFactory) -> dict[str, MatchResult]:
    return _play_all(MINI, tmp_path_factory.mktemp("mini"))


def _check_clean_run(results: dict[str, MatchResult]) -> None:
    for name, result in results.items():
        assert result.refusals() == {team: [] for team in result.journals}, f"{name} had commands refused"
        events = log_events(result.log)
        assert len(events) == result.events
        assert events[-1]["type"] == "exercise_ended"
        assert events[-1]["scenario_time"] == result.scenario.end
        moves = [e for e in events if e["type"] == "action_taken"]
        if name == "null":
            assert moves == [] and not any(
                e["actor"]["kind"] == "player" for e in events if e["type"] != "presence_changed"
            )
        else:
            assert {move["actor"]["team"] for move in moves} == {team.id for team in result.scenario.teams}, name


def test_every_policy_plays_a_bundled_scenario_to_endex_without_a_refused_command(
    bundled: dict[str, MatchResult],
) -> None:
    _check_clean_run(bundled)


def test_every_policy_plays_the_mini_scenario_to_endex_without_a_refused_command(mini: dict[str, MatchResult]) -> None:
    _check_clean_run(mini)


def test_policies_come_out_in_the_intended_order(bundled: dict[str, MatchResult]) -> None:
    """Each team's score when both teams play the policy, on every bundled scenario."""
    scores = {name: team_scores(result) for name, result in bundled.items()}
    for team in scores["tft"]:
        of = {name: by_team[team] for name, by_team in scores.items()}
        assert of["grit"] >= of["tft"] > of["tft-slow"] > of["writer"] > of["dove"] > of["null"], (team, of)
        assert of["tft"] > of["refuser"] > of["dove"], (team, of)  # refusing costs; talking later repairs part
        assert of["tft"] > of["noisy"] > of["hawk"], (team, of)
        assert of["tft"] > of["escalate-agree"] > of["hawk"] > of["null"], (team, of)
        assert abs(of["spammer"] - of["tft"]) <= SPAMMER_TOLERANCE, (team, of)


def test_leader_contact_ranks_calls_letters_refusals_and_silence(bundled: dict[str, MatchResult]) -> None:
    for team in ("blue", "red"):
        lc = {name: result.card.teams[team].metrics["LC"].value or 0.0 for name, result in bundled.items()}
        assert lc["tft"] > lc["writer"] > lc["null"] == 0.0, lc  # a letter counts, below a call
        assert lc["tft"] > lc["refuser"] > lc["hawk"] == 0.0, lc  # refusing then talking beats never talking


def test_a_crisis_that_climbs_and_is_settled_beats_a_spiral(bundled: dict[str, MatchResult]) -> None:
    joint = {name: result.card.joint for name, result in bundled.items()}
    turned, spiral = joint["escalate-agree"], joint["hawk"]
    assert spiral.peak_band == 6 and spiral.final_band >= 5 and spiral.phi < 0.2  # the alert only expires
    assert turned.left_peak_at is not None and turned.final_band < turned.peak_band
    assert joint["tft"].value > turned.value > 3 * spiral.value > 0


def test_scores_between_the_extremes_are_exercised(bundled: dict[str, MatchResult]) -> None:
    """No policy but grit (which does everything the metrics ask) gets 100 on every metric that applies,
    and across the policies every metric takes some value strictly between 0 and 100."""
    between: set[str] = set()
    for name, result in bundled.items():
        for team in result.card.teams.values():
            values = [m.value for m in team.metrics.values() if m.value is not None]
            if name != "grit":
                assert min(values) < 100.0, (name, team.team)
            between |= {metric for metric, m in team.metrics.items() if m.value is not None and 0 < m.value < 100}
    expected = {"LC", "MM", "OV", "MR", "GO", "PC", "OBJ"}
    assert expected <= between, expected - between


def test_the_writer_only_writes_and_the_refuser_talks_late(bundled: dict[str, MatchResult]) -> None:
    written = log_events(bundled["writer"].log)
    assert [e for e in written if e["type"] == "letter_delivered" and e["payload"]["facts"]]
    assert not [e for e in written if e["type"] in ("call_requested", "call_accepted")]
    scenario = bundled["refuser"].scenario
    refused = log_events(bundled["refuser"].log)
    trigger = next(
        e["scenario_time"] for e in refused if e["type"] == "inject_released" and "trigger" in e["payload"]["tags"]
    )
    turn = trigger + 0.4 * (scenario.end - trigger)
    said = [e["scenario_time"] for e in refused if e["type"] in ("call_message", "send_cable", "statement_published")]
    assert said and min(said) >= turn


def test_a_refuser_declines_tft_at_first_then_rings_back_itself(tmp_path: Path) -> None:
    [result] = play_pairings(shortest_bundled(), [("tft", "refuser")], tmp_path)
    events = log_events(result.log)
    declined = [e for e in events if e["type"] == "call_declined" and e["actor"]["team"] == "red"]
    rang = [e for e in events if e["type"] == "call_requested" and e["payload"]["from_team"] == "red"]
    assert declined and rang and declined[0]["seq"] < rang[0]["seq"]
    lc = result.card.teams["red"].metrics["LC"]
    assert lc.value is not None and 0 < lc.value < result.card.teams["blue"].metrics["LC"].value  # type: ignore[operator]
    assert "after declining a call" in lc.explanation


def test_hawks_spiral_and_never_talk(bundled: dict[str, MatchResult]) -> None:
    events = log_events(bundled["hawk"].log)
    bands = [e["payload"]["band"] for e in events if e["type"] == "action_taken"]
    weights = [e["payload"]["weight"] for e in events if e["type"] == "action_taken"]
    assert max(bands) == 6 and all(weight <= -4 for weight in weights)
    said = {"call_message", "cable_sent", "statement_published", "call_requested", "call_accepted", "chat_message"}
    assert not [e for e in events if e["type"] in said]


def test_doves_concede_without_checking_or_proposing(bundled: dict[str, MatchResult]) -> None:
    events = log_events(bundled["dove"].log)
    moves = [e["payload"] for e in events if e["type"] == "action_taken"]
    assert moves and all(move["weight"] >= 3 for move in moves)
    skilful = {"verification", "deliberation", "restraint", "preventive", "proposal"}
    assert not [move for move in moves if skilful & set(move["tags"])]
    assert [e for e in events if e["type"] == "statement_published"], "a dove apologises in public"


def test_tft_calls_the_other_leader_at_the_trigger_and_says_something_of_substance(
    bundled: dict[str, MatchResult],
) -> None:
    events = log_events(bundled["tft"].log)
    trigger = next(e for e in events if e["type"] == "inject_released" and "trigger" in e["payload"]["tags"])
    first_request = next(e for e in events if e["type"] == "call_requested")
    assert first_request["scenario_time"] == trigger["scenario_time"]
    assert first_request["payload"]["channel"] == "hotline" and first_request["seq"] > trigger["seq"]
    substantive = [e for e in events if e["type"] == "call_message" and e["payload"]["facts"]]
    assert {e["actor"]["team"] for e in substantive} == {"blue", "red"}


def test_grit_announces_each_unilateral_step_before_taking_it(bundled: dict[str, MatchResult]) -> None:
    events = log_events(bundled["grit"].log)
    for team in ("blue", "red"):
        announcements = [e for e in events if e["type"] == "statement_published" and e["actor"]["team"] == team]
        steps = [
            e
            for e in events
            if e["type"] == "action_taken"
            and e["actor"]["team"] == team
            and e["payload"]["text"].startswith("As announced")
        ]
        assert steps, f"{team} took no unilateral step"
        for step in steps:
            label = step["payload"]["label"]
            assert any(
                a["scenario_time"] < step["scenario_time"] and label[1:] in a["payload"]["text"] for a in announcements
            ), f"{team} took '{label}' unannounced"
    proposals = [e for e in events if e["type"] == "action_taken" and "proposal" in e["payload"]["tags"]]
    accepted = [e for e in events if e["type"] == "action_taken" and "acceptance" in e["payload"]["tags"]]
    offered = [action for action in bundled["grit"].scenario.actions if "proposal" in action.tags]
    assert bool(proposals) == bool(offered), "grit proposes preventive mechanisms when the catalog has any"
    assert len(accepted) == len(proposals), "the other grit takes up every mechanism offered"
    for proposal in proposals:
        assert any(a["actor"]["team"] != proposal["actor"]["team"] and a["seq"] > proposal["seq"] for a in accepted)


def test_spammer_keeps_ringing_the_hotline(bundled: dict[str, MatchResult]) -> None:
    spam = [e for e in log_events(bundled["spammer"].log) if e["type"] == "call_requested"]
    calm = [e for e in log_events(bundled["tft"].log) if e["type"] == "call_requested"]
    assert len(spam) > 4 * len(calm)
