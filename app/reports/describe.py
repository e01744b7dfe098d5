"""One line of plain text per event, who did it, and which kind of thing it was.

The events table, the timeline's hover texts, the CSV and the Markdown all read these lines, so an
event reads the same wherever it appears. Texts written by players and controllers are kept whole:
escaping them is each renderer's job.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from app.engine.events import ActorKind, Event, EventType
from app.reports.model import EventCategory
from app.scenario.schema import Scenario
from app.scenario.timefmt import format_scenario_time
from app.scoring.curves import duration

CATEGORIES: dict[EventType, EventCategory] = {
    EventType.exercise_created: "control",
    EventType.lobby_opened: "control",
    EventType.exercise_started: "control",
    EventType.exercise_paused: "control",
    EventType.exercise_resumed: "control",
    EventType.clock_jumped: "control",
    EventType.compression_changed: "control",
    EventType.exercise_ended: "control",
    EventType.inject_released: "inject",
    EventType.inject_held: "control",
    EventType.inject_unheld: "control",
    EventType.inject_skipped: "control",
    EventType.seat_issued: "admin",
    EventType.seat_revoked: "admin",
    EventType.presence_changed: "admin",
    EventType.chat_message: "chat",
    EventType.action_taken: "action",
    EventType.statement_published: "message",
    EventType.cable_sent: "message",
    EventType.call_requested: "contact",
    EventType.call_accepted: "contact",
    EventType.call_declined: "contact",
    EventType.call_missed: "contact",
    EventType.call_message: "contact",
    EventType.letter_sent: "contact",
    EventType.letter_delivered: "contact",
    EventType.call_ended: "contact",
    EventType.channel_suspended: "control",
    EventType.channel_restored: "control",
    EventType.channel_refused: "contact",
    EventType.observation_added: "evaluation",
    EventType.task_rated: "evaluation",
    EventType.scores_visibility_changed: "control",
    EventType.hotwash_submitted: "hotwash",
    EventType.endex_extended: "control",
    EventType.auto_end_changed: "control",
    EventType.injects_seen: "admin",
    EventType.media_published: "media",
    EventType.pressure_changed: "media",
}

TYPE_NAMES: dict[EventType, str] = {
    EventType.exercise_created: "Exercise created",
    EventType.lobby_opened: "Lobby opened",
    EventType.exercise_started: "STARTEX",
    EventType.exercise_paused: "Paused",
    EventType.exercise_resumed: "Resumed",
    EventType.clock_jumped: "Clock jumped",
    EventType.compression_changed: "Compression changed",
    EventType.exercise_ended: "ENDEX",
    EventType.inject_released: "Inject",
    EventType.inject_held: "Inject held",
    EventType.inject_unheld: "Hold lifted",
    EventType.inject_skipped: "Inject skipped",
    EventType.seat_issued: "Seat issued",
    EventType.seat_revoked: "Seat revoked",
    EventType.presence_changed: "Joined or left",
    EventType.chat_message: "Team chat",
    EventType.action_taken: "Action",
    EventType.statement_published: "Public statement",
    EventType.cable_sent: "Cable",
    EventType.call_requested: "Call requested",
    EventType.call_accepted: "Call accepted",
    EventType.call_declined: "Call declined",
    EventType.call_missed: "Call missed",
    EventType.call_message: "On the call",
    EventType.letter_sent: "Letter or teletype sent",
    EventType.letter_delivered: "Letter or teletype arrived",
    EventType.call_ended: "Call ended",
    EventType.channel_suspended: "Channel suspended",
    EventType.channel_restored: "Channel restored",
    EventType.channel_refused: "Refused: channel suspended",
    EventType.observation_added: "Observation",
    EventType.task_rated: "Task rated",
    EventType.scores_visibility_changed: "Scores shown or hidden",
    EventType.hotwash_submitted: "Hot-wash answer",
    EventType.endex_extended: "ENDEX extended",
    EventType.auto_end_changed: "Auto-end set",
    EventType.injects_seen: "Injects read",
    EventType.media_published: "Media reaction",
    EventType.pressure_changed: "Pressure",
}
"""Each event type in words, for the events table (the console and report pages translate them)."""

CATEGORY_NAMES: dict[str, str] = {
    "inject": "Injects",
    "action": "Actions",
    "contact": "Contacts",
    "message": "Cables and statements",
    "chat": "Team chat",
    "control": "Control",
    "evaluation": "Evaluation",
    "hotwash": "Hot wash",
    "admin": "Seats and presence",
    "media": "Media and pressure",
}


def clock(seconds: float) -> str:
    return _clock(int(max(0.0, seconds)))


@lru_cache(maxsize=65536)
def _clock(whole_seconds: int) -> str:
    # A long log repeats the same minutes thousands of times; formatting each once keeps reports fast.
    return format_scenario_time(whole_seconds)


class Describer:
    """Names teams, roles, seats and channels as the scenario and the log call them."""

    def __init__(self, scenario: Scenario, events: list[Event]) -> None:
        self.scenario = scenario
        self.teams = {team.id: team.name for team in scenario.teams}
        self.roles = {(team.id, role.id): role.name for team in scenario.teams for role in team.roles}
        self.channels = {channel.id: channel.name for channel in scenario.channels}
        self.seats: dict[str, str] = {
            event.payload.get("seat_id", ""): event.payload.get("label", "")
            for event in events
            if event.type is EventType.seat_issued
        }

    def team(self, team: str | None) -> str:
        return self.teams.get(team or "", team or "")

    def channel(self, channel: str | None) -> str:
        return self.channels.get(channel or "", channel or "")

    def who(self, event: Event) -> str:
        actor = event.actor
        if actor.kind is ActorKind.facilitator:
            return f"Control ({actor.account})" if actor.account else "Control"
        if actor.kind is ActorKind.system:
            return "System"
        if actor.kind is ActorKind.observer:
            return f"{actor.account} (evaluator)" if actor.account else self.seats.get(actor.seat_id or "", "Observer")
        team = self.team(actor.team)
        if actor.role is None:
            return team or "Player"
        return f"{team} — {self.roles.get((actor.team or '', actor.role), actor.role)}"

    def text(self, event: Event) -> str:
        describe = _TEXTS.get(event.type)
        return describe(self, event.payload) if describe is not None else event.type.value.replace("_", " ")


def _ended(d: Describer, p: dict[str, Any]) -> str:
    reason = str(p.get("reason") or "")
    return reason if reason.upper().startswith("ENDEX") else f"ENDEX: {reason}" if reason else "ENDEX"


def _released(d: Describer, p: dict[str, Any]) -> str:
    notes = []
    if p.get("late"):
        notes.append("late")
    cause = p.get("cause", "schedule")
    if cause != "schedule":
        named = {"jump": "at a jump", "fire": "fired by control", "adhoc": "ad hoc", "contingency": "on its condition"}
        notes.append(named.get(cause, cause))
    suffix = f" ({', '.join(notes)})" if notes else ""
    if p.get("not_played"):
        suffix += " — not played: " + ("released by a jump" if p["not_played"] == "jump" else "released while paused")
    return f"{p.get('originator', '')}: {p.get('title', '')}{suffix} — {p.get('text', '')}"


def _action(d: Describer, p: dict[str, Any]) -> str:
    text = f"{p.get('label', p.get('action_id', ''))} (band {p.get('band', 0)}, weight {p.get('weight', 0):+g}"
    text += f", {p.get('visibility', 'public')})"
    return f"{text}: {p['text']}" if p.get("text") else text


def _said(p: dict[str, Any]) -> str:
    parts = [p["text"]] if p.get("text") else []
    fields = (("facts", "Facts"), ("intent", "Intent"), ("proposal", "Proposal"))
    parts += [f"{name}: {p[key]}" for key, name in fields if p.get(key)]
    return " · ".join(parts)


def _call_message(d: Describer, p: dict[str, Any]) -> str:
    return f"{d.channel(p.get('channel'))} — {_said(p)}"


def _letter(sent: bool) -> Callable[[Describer, dict[str, Any]], str]:
    def describe(d: Describer, p: dict[str, Any]) -> str:
        medium, subject = p.get("medium", "letter"), f" “{p['subject']}”" if p.get("subject") else ""
        route = f"{d.team(p.get('from_team'))} → {d.team(p.get('to_team'))}"
        if sent:
            later = duration(float(p.get("delay", 0)))
            return f"{medium.capitalize()}{subject} sent, {route}, arrives {later} later: {_said(p)}"
        late = " (late: the server was down)" if p.get("late") else ""
        return f"{medium.capitalize()}{subject} delivered{late}, {route}: {_said(p)}"

    return describe


def _call(verb: str) -> Callable[[Describer, dict[str, Any]], str]:
    return lambda d, p: f"{d.channel(p.get('channel'))} call {p.get('call_id', '')} {verb}"


def _rated(d: Describer, p: dict[str, Any]) -> str:
    team = f" for {d.team(p.get('team'))}" if p.get("team") else ""
    return f"Task {p.get('task_id', '')}{team} rated {p.get('rating', '')}: {p.get('rationale', '')}"


def _observation(d: Describer, p: dict[str, Any]) -> str:
    tags = [
        f"objective {p['objective_id']}" if p.get("objective_id") else "",
        f"rated {p['rating']}" if p.get("rating") else "",
    ]
    tagged = ", ".join(tag for tag in tags if tag)
    return f"{p.get('text', '')}" + (f" ({tagged})" if tagged else "")


_TEXTS: dict[EventType, Callable[[Describer, dict[str, Any]], str]] = {
    EventType.exercise_created: lambda d, p: (
        f"Exercise created from '{p.get('scenario_title', '')}' at compression {p.get('compression', 1):g}×"
    ),
    EventType.lobby_opened: lambda d, p: "Lobby opened",
    EventType.exercise_started: lambda d, p: "STARTEX",
    EventType.exercise_paused: lambda d, p: f"Paused: {p.get('reason', '')}",
    EventType.exercise_resumed: lambda d, p: "Resumed",
    EventType.clock_jumped: lambda d, p: f"Jump from {clock(p.get('from_time', 0))} to {clock(p.get('to_time', 0))}",
    EventType.compression_changed: lambda d, p: f"Compression set to {p.get('compression', 1):g}×",
    EventType.exercise_ended: _ended,
    EventType.inject_released: _released,
    EventType.inject_held: lambda d, p: f"Inject {p.get('inject_id', '')} held",
    EventType.inject_unheld: lambda d, p: f"Inject {p.get('inject_id', '')} released from hold",
    EventType.inject_skipped: lambda d, p: (
        f"Inject {p.get('inject_id', '')} skipped" + (f": {p['reason']}" if p.get("reason") else "")
    ),
    EventType.seat_issued: lambda d, p: f"Seat issued: {p.get('label', '')}",
    EventType.seat_revoked: lambda d, p: f"Seat revoked: {d.seats.get(p.get('seat_id', ''), p.get('seat_id', ''))}",
    EventType.presence_changed: lambda d, p: (
        f"{d.seats.get(p.get('seat_id', ''), p.get('seat_id', ''))} " + ("joined" if p.get("online") else "left")
    ),
    EventType.chat_message: lambda d, p: str(p.get("text", "")),
    EventType.action_taken: _action,
    EventType.statement_published: lambda d, p: f"Public statement: {p.get('text', '')}",
    EventType.cable_sent: lambda d, p: (
        f"Cable to {d.team(p.get('to_team'))}: {p.get('subject', '')} — {p.get('text', '')}"
    ),
    EventType.call_requested: lambda d, p: (
        f"{d.channel(p.get('channel'))} call {p.get('call_id', '')} requested: "
        f"{d.team(p.get('from_team'))} → {d.team(p.get('to_team'))}"
    ),
    EventType.call_accepted: _call("accepted"),
    EventType.call_declined: _call("declined"),
    EventType.call_missed: _call("missed (nobody answered)"),
    EventType.call_ended: _call("ended"),
    EventType.call_message: _call_message,
    EventType.letter_sent: _letter(sent=True),
    EventType.letter_delivered: _letter(sent=False),
    EventType.channel_suspended: lambda d, p: (
        f"{d.channel(p.get('channel'))} suspended" + (f": {p['reason']}" if p.get("reason") else "")
    ),
    EventType.channel_restored: lambda d, p: (
        f"{d.channel(p.get('channel'))} restored" + (f": {p['reason']}" if p.get("reason") else "")
    ),
    EventType.channel_refused: lambda d, p: (
        f"Refused on {d.channel(p.get('channel'))} ({p.get('attempted', '')}): {p.get('reason', '')}"
    ),
    EventType.observation_added: _observation,
    EventType.task_rated: _rated,
    EventType.scores_visibility_changed: lambda d, p: (
        "Scores shown to the teams" if p.get("visible") else "Scores hidden from the teams"
    ),
    EventType.hotwash_submitted: lambda d, p: f"Hot-wash answer (rating {p.get('rating', '')}/5)",
    EventType.endex_extended: lambda d, p: (
        f"Planned ENDEX moved from {clock(p.get('from_time', 0))} to {clock(p.get('to_time', 0))}"
    ),
    EventType.auto_end_changed: lambda d, p: (
        "The exercise will end by itself at the planned ENDEX"
        if p.get("enabled")
        else "At the planned ENDEX the clock will stop and ask"
    ),
    EventType.injects_seen: lambda d, p: f"Read {', '.join(p.get('inject_ids', []))}",
    EventType.media_published: lambda d, p: (
        f"{p.get('name', '')}"
        + (f" @{p['handle']}" if p.get("handle") else "")
        + f": {p.get('headline') or p.get('text', '')}"
    ),
    EventType.pressure_changed: lambda d, p: (
        f"Pressure on {d.team(p.get('team'))}: {p.get('previous', 0):.0f} → {p.get('value', 0):.0f}"
    ),
}
