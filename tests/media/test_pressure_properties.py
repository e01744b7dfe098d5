"""Pressure and reactions are pure functions of (scenario, events): properties over random logs."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from app.engine.events import Actor, ActorKind, Event, EventType
from app.media.pressure import pressure_board
from app.media.reactions import MediaState, apply_media, new_media_state, reaction_draft
from app.scenario.loader import load_scenario
from tests.conftest import FIXTURES

MEDIA = load_scenario(FIXTURES / "media" / "mini-media.yaml")
WALL = datetime(2026, 1, 1, tzinfo=UTC)


def _move(team: str, action_id: str) -> tuple[EventType, Actor, dict[str, object]]:
    action = MEDIA.action(action_id)
    assert action is not None
    payload = {
        "action_id": action.id,
        "label": action.label,
        "weight": action.weight,
        "band": action.band,
        "channel": action.channel,
        "visibility": action.visibility.value,
        "tags": [tag.value for tag in action.tags],
    }
    return EventType.action_taken, Actor(kind=ActorKind.player, team=team, role="leader"), payload


def _statement(team: str) -> tuple[EventType, Actor, dict[str, object]]:
    return EventType.statement_published, Actor(kind=ActorKind.player, team=team, role="press"), {"text": "Calm."}


def _media_inject(_: str) -> tuple[EventType, Actor, dict[str, object]]:
    payload = {"inject_id": "I4", "title": "t", "text": "t", "channel": "news", "originator": "o", "tags": ["media"]}
    return EventType.inject_released, Actor(kind=ActorKind.system), payload


def _call(_: str) -> tuple[EventType, Actor, dict[str, object]]:
    return EventType.call_accepted, Actor(kind=ActorKind.player, team="red"), {"call_id": "c", "channel": "hotline"}


STEPS = st.one_of(
    st.tuples(st.sampled_from(["blue", "red"]), st.sampled_from([a.id for a in MEDIA.actions])).map(
        lambda pair: _move(*pair)
    ),
    st.sampled_from(["blue", "red"]).map(_statement),
    st.just("x").map(_media_inject),
    st.just("x").map(_call),
)
LOGS = st.lists(st.tuples(STEPS, st.floats(min_value=0, max_value=3 * 3600)), max_size=40)


def media_fold(events: list[Event]) -> MediaState:
    state = new_media_state(MEDIA)
    assert state is not None
    for event in events:
        apply_media(state, MEDIA, event)
    return state


def build(steps: list[tuple[tuple[EventType, Actor, dict[str, object]], float]]) -> list[Event]:
    events: list[Event] = []
    now = 0.0
    for seq, ((kind, actor, payload), gap) in enumerate(steps, start=1):
        now += gap
        events.append(
            Event(
                seq=seq,
                exercise_id="x",
                type=kind,
                wall_time=WALL,
                scenario_time=now,
                actor=actor,
                audience=["all"],
                payload=payload,
            )
        )
    return events


@settings(max_examples=150, deadline=None)
@given(LOGS)
def test_pressure_stays_between_0_and_100(
    steps: list[tuple[tuple[EventType, Actor, dict[str, object]], float]],
) -> None:
    board = pressure_board(MEDIA, build(steps))
    assert board is not None
    for team in board.teams.values():
        assert all(0.0 <= value <= 100.0 for _, value in team.history)
        assert 0.0 <= team.value <= 100.0


@settings(max_examples=100, deadline=None)
@given(LOGS)
def test_the_same_log_gives_the_same_reactions_and_pressure(
    steps: list[tuple[tuple[EventType, Actor, dict[str, object]], float]],
) -> None:
    events = build(steps)
    first, second = media_fold(events), media_fold(list(events))
    assert first.pending == second.pending
    for media_id in first.pending:
        assert reaction_draft(MEDIA, first, media_id, "seed") == reaction_draft(MEDIA, second, media_id, "seed")
    assert {t: p.history for t, p in first.board.teams.items()} == {t: p.history for t, p in second.board.teams.items()}


@settings(max_examples=100, deadline=None)
@given(LOGS)
def test_private_moves_never_call_for_a_reaction(
    steps: list[tuple[tuple[EventType, Actor, dict[str, object]], float]],
) -> None:
    events = build(steps)
    state = media_fold(events)
    public = {
        e.seq
        for e in events
        if e.type is EventType.statement_published
        or (e.type is EventType.action_taken and e.payload["visibility"] == "public")
    }
    assert {reaction.voice.seq for reaction in state.pending.values()} <= public
