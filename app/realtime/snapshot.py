"""What a console is told in ``hello``: the scenario as its seat may see it and the current state.

Players get their own side of the scenario (teams, their roles and channels, the action catalog their
team may use, their own team's briefing, and the translations of exactly those) and never the MSEL,
the other team's briefing, controller notes, expected actions, objectives' checks, the other team's
restricted actions or the other team's seats. Control and observers get everything.
"""

from __future__ import annotations

import weakref
from typing import Any

from app.engine.principal import Principal
from app.engine.runtime import ExerciseRuntime
from app.engine.state import ExerciseState
from app.scenario.schema import Scenario

# What a player's scenario keeps, English and translated alike; the MSEL, objectives, tasks and
# scoring never reach a player.
PLAYER_FIELDS = ("id", "title", "summary", "language", "end", "teams", "channels", "actions", "translations")
TRANSLATED_TEXTS = ("title", "summary")
TRANSLATED_COLLECTIONS = ("teams", "channels", "actions")


_views: dict[int, tuple[weakref.ref[Scenario], dict[str | None, dict[str, Any]]]] = {}
"""Each scenario's views, by team (None: control and observers): built once, shared by every join."""


def scenario_view(scenario: Scenario, principal: Principal) -> dict[str, Any]:
    """The scenario as ``principal`` may see it (shared between callers: never modify it)."""
    ident = id(scenario)
    entry = _views.get(ident)
    if entry is None or entry[0]() is not scenario:
        entry = _views[ident] = (weakref.ref(scenario, lambda _gone: _views.pop(ident, None)), {})
    team = principal.team if principal.kind == "player" else None
    view = entry[1].get(team)
    if view is None:
        view = entry[1][team] = _scenario_view(scenario, principal)
    return view


def _scenario_view(scenario: Scenario, principal: Principal) -> dict[str, Any]:
    """Every language is cut from the same view: a text is translated for a player only if the player sees
    the thing it translates."""
    full = scenario.model_dump(mode="json")
    if principal.kind != "player":
        return full
    team = principal.team
    view = {key: full[key] for key in PLAYER_FIELDS}
    view["actions"] = [
        action
        for action, model in zip(full["actions"], scenario.actions, strict=True)
        if not model.teams or team in model.teams
    ]
    shown = {collection: {item["id"] for item in view[collection]} for collection in TRANSLATED_COLLECTIONS}
    view["translations"] = {
        language: {
            **{key: translation[key] for key in TRANSLATED_TEXTS},
            **{
                collection: {item: text for item, text in translation[collection].items() if item in shown[collection]}
                for collection in TRANSLATED_COLLECTIONS
            },
            "briefings": _own(translation.get("briefings", {}), team),
        }
        for language, translation in full["translations"].items()
    }
    view["briefings"] = _own(full["briefings"], team)
    if full.get("media") is not None:
        # The cast and the trending tags are public; what draws a reaction, and the pressure rules, are not.
        view["media"] = {key: value for key, value in full["media"].items() if key not in ("reactions", "pressure")}
    return view


def _own(briefings: dict[str, Any], team: str | None) -> dict[str, Any]:
    """Only the seat's own team's briefing: the other side's objectives are theirs alone."""
    return {team_id: briefing for team_id, briefing in briefings.items() if team_id == team}


def snapshot(runtime: ExerciseRuntime, principal: Principal) -> dict[str, Any]:
    """Who is online and on how many consoles comes from the log, so every server process tells the same."""
    state = runtime.state
    scenario = runtime.scenario
    sees_all = principal.kind != "player"
    calls = [
        {
            "call_id": call.call_id,
            "channel": call.channel,
            "from_team": call.from_team,
            "to_team": call.to_team,
            "status": call.status,
            "requested_at": call.requested_at,
            "ring_deadline": call.ring_deadline,
            "substantive": call.substantive,
        }
        for call in state.calls.values()
        if sees_all or _holds_channel(scenario, principal, call.channel)
    ]
    data: dict[str, Any] = {
        "status": state.status,
        "pause_reason": state.pause_reason,
        "clock": state.anchor.model_dump(mode="json") if state.anchor else None,
        "compression": state.compression,
        "scenario_time": runtime.now(),
        "scenario": scenario_view(scenario, principal),
        "channels": {
            channel_id: {
                "suspended": channel.suspended,
                "reason": channel.reason,
                # A call on a channel the seat does not hold is not the seat's to know about (as its events are not).
                "active_call": channel.active_call
                if sees_all or _holds_channel(scenario, principal, channel_id)
                else None,
            }
            for channel_id, channel in state.channels.items()
        },
        "calls": calls,
        "letters": {
            channel.id: media
            for channel in scenario.channels
            if (media := scenario.letter_media(channel.id))
            and (sees_all or _holds_channel(scenario, principal, channel.id))
        },
        "scores_visible": state.scores_visible,
        "pressure": _pressure(state, principal),
    }
    if sees_all:
        data["injects"] = {
            inject_id: {
                "status": inject.status,
                "released_seq": inject.released_seq,
                "released_at": inject.released_at,
                "late": inject.late,
                "cause": inject.cause,
            }
            for inject_id, inject in state.injects.items()
        }
        data["online_seats"] = sorted(seat for seat, online in state.online.items() if online)
        data["devices"] = {seat: count for seat, count in state.devices.items() if count}
        data["endex"] = state.endex
        data["auto_end"] = state.auto_end
        data["at_endex"] = state.at_endex
        data["seen"] = state.seen
    return data


def _pressure(state: ExerciseState, principal: Principal) -> dict[str, float]:
    """Each team's pressure as its ``pressure_changed`` events last told it: a team sees its own only."""
    if state.media is None:
        return {}
    board = state.media.board
    return {
        team: board.params.start if pressure.reported is None else pressure.reported
        for team, pressure in board.teams.items()
        if principal.kind != "player" or team == principal.team
    }


def _holds_channel(scenario: Scenario, principal: Principal, channel_id: str) -> bool:
    return any(team == principal.team and role in principal.roles for team, role in scenario.holders(channel_id))
