"""What a console is told in ``hello``: the scenario as its seat may see it and the current state.

Players get their own side of the scenario (teams, their roles and channels, the action catalog their
team may use, translations of those) and never the MSEL, controller notes, expected actions,
objectives' checks or the other team's seats. Control and observers get everything.
"""

from __future__ import annotations

from typing import Any

from app.engine.principal import Principal
from app.engine.runtime import ExerciseRuntime
from app.scenario.schema import Scenario


def scenario_view(scenario: Scenario, principal: Principal) -> dict[str, Any]:
    full = scenario.model_dump(mode="json")
    if principal.kind != "player":
        return full
    team = principal.team
    actions = [
        action
        for action, model in zip(full["actions"], scenario.actions, strict=True)
        if not model.teams or team in model.teams
    ]
    translations = {
        language: {
            key: value
            for key, value in translation.items()
            if key in ("title", "summary", "teams", "channels", "actions")
        }
        for language, translation in full["translations"].items()
    }
    return {
        "id": full["id"],
        "title": full["title"],
        "summary": full["summary"],
        "language": full["language"],
        "end": full["end"],
        "teams": full["teams"],
        "channels": full["channels"],
        "actions": actions,
        "translations": translations,
    }


def snapshot(runtime: ExerciseRuntime, principal: Principal, devices: dict[str, int]) -> dict[str, Any]:
    """``devices``: open consoles per seat over every server process (shown to control and observers)."""
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
            channel_id: {"suspended": channel.suspended, "reason": channel.reason, "active_call": channel.active_call}
            for channel_id, channel in state.channels.items()
        },
        "calls": calls,
        "scores_visible": state.scores_visible,
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
        data["seat_devices"] = dict(sorted(devices.items()))
    return data


def _holds_channel(scenario: Scenario, principal: Principal, channel_id: str) -> bool:
    return any(team == principal.team and role in principal.roles for team, role in scenario.holders(channel_id))
