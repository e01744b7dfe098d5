"""What the control cell may do: the lifecycle, the clock, the MSEL, channels and score visibility.

Handlers check the command against the state and return drafts, or raise ``CommandError`` having
changed nothing. Clock changes carry the new anchor, computed at the one wall time the runtime
stamps the event with.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from app.engine import commands as c
from app.engine.channels import channel_switch
from app.engine.commands import CommandError
from app.engine.events import (
    ALL,
    CONTROL,
    FACILITATOR,
    SYSTEM,
    AutoEndChanged,
    ClockAnchor,
    ClockChange,
    ClockJumped,
    CompressionChanged,
    EndexExtended,
    EventDraft,
    EventType,
    ExerciseEnded,
    ExercisePaused,
    InjectRef,
    InjectReleased,
    ReleaseCause,
    ReleaseInternal,
    ScoresVisibility,
    draft,
    role_audience,
    team_audience,
)
from app.engine.scheduler import ROUNDING
from app.engine.state import ExerciseState
from app.engine.timeline import reanchor
from app.scenario.schema import Attribution, AudienceTarget, ChannelKind, Inject, Scenario
from app.scenario.timefmt import format_scenario_time


@dataclass
class ControlContext:
    scenario: Scenario
    state: ExerciseState
    wall: datetime
    now: float


ControlHandler = Callable[[ControlContext, c.CommandBase], list[EventDraft]]


def audience_of(targets: object) -> list[str]:
    if targets == "all":
        return [ALL]
    assert isinstance(targets, list)
    audience: list[str] = []
    for target in targets:
        assert isinstance(target, AudienceTarget)
        audience.append(team_audience(target.team) if target.role is None else role_audience(target.team, target.role))
    return audience


def release_draft(
    scenario: Scenario, inject: Inject, *, due_at: float | None, late: bool, cause: ReleaseCause
) -> EventDraft:
    """The ``inject_released`` draft that shows an MSEL inject to its audience (player text only)."""
    translations = {
        language: {key: value for key, value in text.model_dump().items() if value}
        for language, translation in scenario.translations.items()
        if (text := translation.injects.get(inject.id)) is not None
    }
    released = InjectReleased(
        inject_id=inject.id,
        title=inject.title,
        text=inject.text,
        channel=inject.channel,
        originator=inject.originator,
        tags=[tag.value for tag in inject.tags],
        due_at=due_at,
        late=late,
        cause=cause,
        decision_window=float(inject.decision_window) if inject.decision_window is not None else None,
        translations=translations,
    )
    actor = FACILITATOR if cause in ("fire", "adhoc") else SYSTEM
    return draft(EventType.inject_released, actor, audience_of(inject.audience), released)


def _clock(kind: EventType, payload: ClockChange) -> EventDraft:
    return draft(kind, FACILITATOR, [ALL], payload)


def _anchor(ctx: ControlContext) -> ClockAnchor:
    if ctx.state.anchor is None:
        raise CommandError("not_running", "The exercise has not started yet.")
    return ctx.state.anchor


def _expect(ctx: ControlContext, allowed: tuple[str, ...], doing: str) -> None:
    if ctx.state.status not in allowed:
        raise CommandError("invalid_state", f"Cannot {doing} while the exercise is {ctx.state.status}.")


def open_lobby(ctx: ControlContext, command: c.CommandBase) -> list[EventDraft]:
    _expect(ctx, ("draft",), "open the lobby")
    return [draft(EventType.lobby_opened, FACILITATOR, [ALL])]


def start(ctx: ControlContext, command: c.CommandBase) -> list[EventDraft]:
    if ctx.state.status == "draft":
        raise CommandError("invalid_state", "Open the lobby first, so players can join before STARTEX.")
    _expect(ctx, ("lobby",), "start")
    anchor = ClockAnchor(wall=ctx.wall, scenario=0.0, compression=ctx.state.compression, running=True)
    return [_clock(EventType.exercise_started, ClockChange(clock=anchor))]


def pause(ctx: ControlContext, command: c.CommandBase) -> list[EventDraft]:
    assert isinstance(command, c.Pause)
    _expect(ctx, ("running",), "pause")
    anchor = reanchor(_anchor(ctx), ctx.wall, running=False)
    return [_clock(EventType.exercise_paused, ExercisePaused(clock=anchor, reason=command.reason))]


def resume(ctx: ControlContext, command: c.CommandBase) -> list[EventDraft]:
    _expect(ctx, ("paused",), "resume")
    if ctx.now >= ctx.state.endex - ROUNDING:
        endex = format_scenario_time(ctx.state.endex)
        raise CommandError(
            "at_endex", f"The planned ENDEX ({endex}) has been reached: extend ENDEX to play on, or end the exercise."
        )
    anchor = reanchor(_anchor(ctx), ctx.wall, running=True)
    return [_clock(EventType.exercise_resumed, ClockChange(clock=anchor))]


def jump(ctx: ControlContext, command: c.CommandBase) -> list[EventDraft]:
    assert isinstance(command, c.Jump)
    _expect(ctx, ("running", "paused"), "jump")
    target = float(command.to) if command.to is not None else ctx.now + float(command.by or 0)
    if target <= ctx.now:
        raise CommandError(
            "invalid",
            f"A jump moves forward: {format_scenario_time(target)} is not after {format_scenario_time(ctx.now)}.",
        )
    if target > ctx.state.endex + ROUNDING:
        raise CommandError(
            "past_endex",
            f"{format_scenario_time(target)} is past the planned ENDEX ({format_scenario_time(ctx.state.endex)}). "
            "Extend ENDEX first if the exercise should run that long.",
        )
    anchor = reanchor(_anchor(ctx), ctx.wall, scenario=target)
    return [_clock(EventType.clock_jumped, ClockJumped(clock=anchor, from_time=ctx.now, to_time=target))]


def set_compression(ctx: ControlContext, command: c.CommandBase) -> list[EventDraft]:
    assert isinstance(command, c.SetCompression)
    _expect(ctx, ("draft", "lobby", "running", "paused"), "change the compression")
    if ctx.state.anchor is None:
        anchor = ClockAnchor(wall=ctx.wall, scenario=0.0, compression=command.compression, running=False)
    else:
        anchor = reanchor(ctx.state.anchor, ctx.wall, compression=command.compression)
    payload = CompressionChanged(clock=anchor, compression=command.compression)
    return [_clock(EventType.compression_changed, payload)]


def end(ctx: ControlContext, command: c.CommandBase) -> list[EventDraft]:
    assert isinstance(command, c.End)
    _expect(ctx, ("lobby", "running", "paused"), "end")
    if ctx.state.anchor is None:
        anchor = ClockAnchor(wall=ctx.wall, scenario=0.0, compression=ctx.state.compression, running=False)
    else:
        anchor = reanchor(ctx.state.anchor, ctx.wall, running=False)
    return [_clock(EventType.exercise_ended, ExerciseEnded(clock=anchor, reason=command.reason))]


def extend_endex(ctx: ControlContext, command: c.CommandBase) -> list[EventDraft]:
    assert isinstance(command, c.ExtendEndex)
    _expect(ctx, ("draft", "lobby", "running", "paused"), "extend ENDEX")
    current = ctx.state.endex
    target = float(command.to) if command.to is not None else current + float(command.by or 0)
    if target <= current:
        raise CommandError(
            "invalid",
            f"ENDEX can only move later: {format_scenario_time(target)} is not after {format_scenario_time(current)}.",
        )
    return [draft(EventType.endex_extended, FACILITATOR, [CONTROL], EndexExtended(from_time=current, to_time=target))]


def set_auto_end(ctx: ControlContext, command: c.CommandBase) -> list[EventDraft]:
    assert isinstance(command, c.SetAutoEnd)
    _expect(ctx, ("draft", "lobby", "running", "paused"), "change how the exercise ends")
    if ctx.state.auto_end == command.enabled:
        raise CommandError("invalid_state", f"Auto-end is already {'on' if command.enabled else 'off'}.")
    return [draft(EventType.auto_end_changed, FACILITATOR, [CONTROL], AutoEndChanged(enabled=command.enabled))]


def endex_reached(state: ExerciseState, wall: datetime) -> EventDraft:
    """What the engine records when the clock reaches the planned ENDEX: the end if auto-end is on, else a
    pause that asks the facilitator to end the exercise or extend ENDEX (the clock never runs on past it)."""
    assert state.anchor is not None
    anchor = reanchor(state.anchor, wall, running=False)
    planned = format_scenario_time(state.endex)
    if state.auto_end:
        return draft(
            EventType.exercise_ended,
            SYSTEM,
            [ALL],
            ExerciseEnded(clock=anchor, reason=f"ENDEX: the planned end ({planned}) was reached"),
        )
    reason = f"Planned ENDEX ({planned}) reached: the facilitator ends the exercise or extends it"
    return draft(EventType.exercise_paused, SYSTEM, [ALL], ExercisePaused(clock=anchor, reason=reason, at_endex=True))


def _msel_inject(ctx: ControlContext, inject_id: str) -> Inject:
    inject = ctx.scenario.inject(inject_id)
    if inject is None:
        raise CommandError("not_found", f"There is no inject '{inject_id}' in the MSEL.")
    return inject


def fire_inject(ctx: ControlContext, command: c.CommandBase) -> list[EventDraft]:
    assert isinstance(command, c.FireInject)
    _expect(ctx, ("lobby", "running", "paused"), "fire an inject")
    inject = _msel_inject(ctx, command.inject_id)
    status = ctx.state.injects[inject.id].status
    if status == "released":
        raise CommandError("invalid_state", f"Inject {inject.id} has already been released.")
    due = float(inject.at) if inject.at is not None else None
    return [release_draft(ctx.scenario, inject, due_at=due, late=False, cause="fire")]


def _mark(kind: EventType, before: tuple[str, ...], doing: str) -> ControlHandler:
    def handler(ctx: ControlContext, command: c.CommandBase) -> list[EventDraft]:
        assert isinstance(command, c.HoldInject | c.UnholdInject | c.SkipInject)
        _expect(ctx, ("draft", "lobby", "running", "paused"), doing)
        inject = _msel_inject(ctx, command.inject_id)
        status = ctx.state.injects[inject.id].status
        if status not in before:
            raise CommandError("invalid_state", f"Cannot {doing} inject {inject.id}: it is {status}.")
        return [draft(kind, FACILITATOR, [CONTROL], InjectRef(inject_id=inject.id))]

    return handler


def adhoc_inject(ctx: ControlContext, command: c.CommandBase) -> list[EventDraft]:
    assert isinstance(command, c.AdhocInject)
    _expect(ctx, ("lobby", "running", "paused"), "send an inject")
    if ctx.scenario.channel(command.channel) is None:
        raise CommandError("not_found", f"There is no channel '{command.channel}' in this scenario.")
    if command.audience != "all":
        for target in command.audience:
            if target.team not in {team.id for team in ctx.scenario.teams}:
                raise CommandError("not_found", f"There is no team '{target.team}'.")
            if target.role is not None and ctx.scenario.role(target.team, target.role) is None:
                raise CommandError("not_found", f"Team '{target.team}' has no role '{target.role}'.")
    released = InjectReleased(
        inject_id=f"adhoc-{ctx.state.adhoc_count + 1}",
        title=command.title,
        text=command.text,
        channel=command.channel,
        originator=command.originator,
        tags=[tag.value for tag in command.tags],
        cause="adhoc",
    )
    internal = None
    if command.attribution is not None:
        _check_attribution(ctx.scenario, command.attribution)
        internal = ReleaseInternal(attribution=command.attribution).model_dump(mode="json")
    return [draft(EventType.inject_released, FACILITATOR, audience_of(command.audience), released, internal)]


def _check_attribution(scenario: Scenario, attribution: Attribution) -> None:
    """An ad hoc inject's attribution names a team, and a standing act lasts a while or names what lifts it,
    as the scenario linter requires of a scenario inject's."""
    if attribution.side not in {team.id for team in scenario.teams}:
        raise CommandError("not_found", f"There is no team '{attribution.side}' whose act this could be.")
    if attribution.duration == 0:
        raise CommandError("invalid", "A standing act needs a duration above zero; leave it out for a one-off act.")
    for action_id in attribution.lifted_by:
        if scenario.action(action_id) is None:
            raise CommandError("not_found", f"There is no action '{action_id}' in this scenario to lift the act.")


def _switch(suspend: bool) -> ControlHandler:
    def handler(ctx: ControlContext, command: c.CommandBase) -> list[EventDraft]:
        assert isinstance(command, c.SuspendChannel | c.RestoreChannel)
        _expect(ctx, ("lobby", "running", "paused"), "change a channel")
        channel = ctx.scenario.channel(command.channel)
        if channel is None or channel.kind in (ChannelKind.chat, ChannelKind.feed):
            raise CommandError("not_found", f"'{command.channel}' is not a channel between the teams.")
        drafts = channel_switch(ctx.scenario, ctx.state, channel.id, suspend, command.reason, FACILITATOR)
        if not drafts:
            raise CommandError("invalid_state", f"The {channel.name} is already {'suspended' if suspend else 'open'}.")
        return drafts

    return handler


def set_scores_visible(ctx: ControlContext, command: c.CommandBase) -> list[EventDraft]:
    assert isinstance(command, c.SetScoresVisible)
    if ctx.state.scores_visible == command.visible:
        raise CommandError(
            "invalid_state", f"Scores are already {'shown to' if command.visible else 'hidden from'} teams."
        )
    return [draft(EventType.scores_visibility_changed, FACILITATOR, [ALL], ScoresVisibility(visible=command.visible))]


CONTROL_HANDLERS: dict[str, ControlHandler] = {
    "open_lobby": open_lobby,
    "start": start,
    "pause": pause,
    "resume": resume,
    "jump": jump,
    "set_compression": set_compression,
    "end": end,
    "fire_inject": fire_inject,
    "hold_inject": _mark(EventType.inject_held, ("pending",), "hold"),
    "unhold_inject": _mark(EventType.inject_unheld, ("held",), "release the hold on"),
    "skip_inject": _mark(EventType.inject_skipped, ("pending", "held"), "skip"),
    "adhoc_inject": adhoc_inject,
    "suspend_channel": _switch(True),
    "restore_channel": _switch(False),
    "set_scores_visible": set_scores_visible,
    "extend_endex": extend_endex,
    "set_auto_end": set_auto_end,
}
