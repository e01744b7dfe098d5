"""Who sees what (docs/architecture.md, "Who sees what"): the filtering rules, as examples and as properties."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from app.engine.events import Actor, ActorKind, Event, EventType
from app.engine.visibility import CONTROL_VIEWER, Viewer, can_see, view_for

TEAMS = ["blue", "red"]
ROLES = ["leader", "defense", "diplomacy", "press"]


def event(audience: list[str], team: str | None = "blue", internal: dict[str, str] | None = None) -> Event:
    return Event(
        seq=1,
        exercise_id="ex",
        type=EventType.action_taken,
        wall_time=datetime(2026, 1, 1, tzinfo=UTC),
        scenario_time=0,
        actor=Actor(kind=ActorKind.player, team=team, role="leader"),
        audience=audience,
        payload={"text": "x"},
        internal=internal,
    )


def player(team: str, *roles: str) -> Viewer:
    return Viewer(kind="player", team=team, roles=frozenset(roles))


def test_team_chat_and_private_actions_stay_in_the_team() -> None:
    private = event(["team:blue"])
    assert can_see(player("blue", "press"), private)
    assert not can_see(player("red", "leader", "defense", "diplomacy", "press"), private)


def test_role_addressed_events_reach_only_that_role_of_that_team() -> None:
    to_blue_leader = event(["role:blue:leader"])
    assert can_see(player("blue", "leader"), to_blue_leader)
    assert not can_see(player("blue", "defense"), to_blue_leader)
    assert not can_see(player("red", "leader"), to_blue_leader)


def test_control_only_events_never_reach_players() -> None:
    held = event(["control"], team=None)
    assert can_see(CONTROL_VIEWER, held)
    assert can_see(Viewer(kind="observer"), held)
    assert not any(can_see(player(team, *ROLES), held) for team in TEAMS)


def test_rationale_of_a_public_action_reaches_only_the_own_team() -> None:
    public = event(["all"], team="blue", internal={"rationale": "Buy time"})
    own = view_for(player("blue", "press"), public)
    other = view_for(player("red", "leader"), public)
    assert own is not None and own.internal == {"rationale": "Buy time"}
    assert other is not None and other.internal is None and other.payload == public.payload


audiences = st.lists(
    st.one_of(
        st.sampled_from(["all", "control"]),
        st.sampled_from(TEAMS).map(lambda team: f"team:{team}"),
        st.tuples(st.sampled_from(TEAMS), st.sampled_from(ROLES)).map(lambda pair: f"role:{pair[0]}:{pair[1]}"),
    ),
    min_size=1,
    max_size=4,
)
viewers = st.tuples(st.sampled_from(TEAMS), st.sets(st.sampled_from(ROLES), min_size=1)).map(
    lambda pair: player(pair[0], *pair[1])
)


@given(audience=audiences, viewer=viewers, actor_team=st.sampled_from([*TEAMS, None]))
def test_a_player_sees_an_event_exactly_when_it_is_addressed_to_them(
    audience: list[str], viewer: Viewer, actor_team: str | None
) -> None:
    addressed = (
        "all" in audience
        or f"team:{viewer.team}" in audience
        or any(f"role:{viewer.team}:{role}" in audience for role in viewer.roles)
    )
    assert can_see(viewer, event(audience, team=actor_team)) is addressed


@given(audience=audiences, viewer=viewers, actor_team=st.sampled_from(TEAMS))
def test_internal_fields_never_leave_the_actors_team(audience: list[str], viewer: Viewer, actor_team: str) -> None:
    seen = view_for(viewer, event(audience, team=actor_team, internal={"rationale": "secret"}))
    if seen is not None and viewer.team != actor_team:
        assert seen.internal is None


@given(audience=audiences)
def test_control_and_observers_see_every_event_whole(audience: list[str]) -> None:
    original = event(audience, internal={"rationale": "why"})
    for viewer in (CONTROL_VIEWER, Viewer(kind="observer")):
        assert view_for(viewer, original) == original


@given(
    audience=audiences,
    viewer=viewers,
    kind=st.sampled_from([ActorKind.facilitator, ActorKind.observer]),
    account=st.from_regex(r"[a-z][a-z0-9._-]{1,20}", fullmatch=True),
)
def test_no_player_learns_which_account_acted_and_the_control_cell_always_does(
    audience: list[str], viewer: Viewer, kind: ActorKind, account: str
) -> None:
    signed = event(audience).model_copy(update={"actor": Actor(kind=kind, account=account)})
    seen = view_for(viewer, signed)
    assert seen is None or (seen.actor.account is None and seen.actor.kind == kind and seen.payload == signed.payload)
    for everything in (CONTROL_VIEWER, Viewer(kind="observer")):
        shown = view_for(everything, signed)
        assert shown is not None and shown.actor.account == account
