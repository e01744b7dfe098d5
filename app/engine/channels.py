"""Channel helpers shared by player and control commands: who holds a channel, suspend and restore."""

from __future__ import annotations

from app.engine.events import Actor, CallRef, ChannelChange, EventDraft, EventType, draft, role_audience
from app.engine.state import ExerciseState
from app.scenario.schema import Scenario


def channel_audience(scenario: Scenario, channel_id: str) -> list[str]:
    """Audience of a channel's traffic: the roles on both sides that hold it."""
    return [role_audience(team, role) for team, role in scenario.holders(channel_id)]


def channel_switch(
    scenario: Scenario, state: ExerciseState, channel_id: str, suspend: bool, reason: str, actor: Actor
) -> list[EventDraft]:
    """Drafts that suspend (ending any call on it) or restore a channel; none if it is already so."""
    channel = state.channels.get(channel_id)
    if channel is None or channel.suspended == suspend:
        return []
    drafts: list[EventDraft] = []
    call = state.ringing_or_connected(channel_id)
    if suspend and call is not None:
        ended = CallRef(call_id=call.call_id, channel=channel_id)
        drafts.append(draft(EventType.call_ended, actor, channel_audience(scenario, channel_id), ended))
    kind = EventType.channel_suspended if suspend else EventType.channel_restored
    drafts.append(draft(kind, actor, ["all"], ChannelChange(channel=channel_id, reason=reason)))
    return drafts
