"""What must hold after every restart of a chaos run, read from the log the server kept."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.engine.events import ClockAnchor
from app.engine.timeline import scenario_at

CLOCK_EVENTS = {
    "exercise_started",
    "exercise_paused",
    "exercise_resumed",
    "clock_jumped",
    "compression_changed",
    "exercise_ended",
}


@dataclass
class Verdict:
    events: int
    seq_gaps: int
    console_gaps: int
    acked: int
    lost: int
    applied_twice: int
    releases: int
    released_twice: int
    overdue_missing: int
    due_while_down: int
    """Injects that fell due while the server was down, each released once at the restart."""
    late: int
    clock_error: float
    """Largest difference, in scenario seconds, between an event's scenario time and the clock the
    server had before it was killed, over the events recorded since."""

    @property
    def ok(self) -> bool:
        counts = (self.seq_gaps, self.console_gaps, self.lost, self.applied_twice, self.released_twice)
        return not any(counts) and not self.overdue_missing and self.clock_error < 1.0


def anchor_of(events: list[dict[str, Any]]) -> ClockAnchor | None:
    clock = next((e["payload"]["clock"] for e in reversed(events) if e["type"] in CLOCK_EVENTS), None)
    return ClockAnchor.model_validate(clock) if clock else None


Acks = dict[tuple[str, str], list[int] | None]
"""(seat, command id) → the seqs its ack carried, None when it has none (yet): a snapshot, taken before
the log is read, so that every ack in it is for an event the log already holds."""


def check(
    log: list[dict[str, Any]],
    control_seqs: list[int],
    acks: Acks,
    due_times: dict[str, float],
    before_kill: int,
    anchor: ClockAnchor | None,
    down: tuple[datetime, datetime],
) -> Verdict:
    """``log`` is the whole event log, read after ``control_seqs`` (what the control console had received)
    and ``acks`` were taken; ``before_kill`` is the last seq before the kill, ``anchor`` the clock then and
    ``down`` the wall times of the kill and of the restart; ``due_times`` the injects' scenario times."""
    seqs = [event["seq"] for event in log]
    applied: dict[tuple[str, str], list[int]] = {}
    for event in log:
        if event.get("command_id"):
            key = (event["actor"].get("seat_id") or event["actor"].get("team") or "", event["command_id"])
            applied.setdefault(key, []).append(event["seq"])
    acked = lost = twice = 0
    for key, answer in acks.items():
        recorded = applied.get(key, [])
        if answer is not None:
            acked += 1
            lost += not set(answer) <= set(recorded)
        twice += len(recorded) > 1 and (answer is None or sorted(recorded) != sorted(answer))
    releases = Counter(e["payload"]["inject_id"] for e in log if e["type"] == "inject_released")
    now = _scenario_now(log, anchor)
    missing = [inject for inject, at in due_times.items() if at < now - 1.0 and inject not in releases]
    after = [e for e in log if e["seq"] > before_kill]
    return Verdict(
        events=len(log),
        seq_gaps=sum(1 for expected, seq in enumerate(seqs, start=1) if seq != expected),
        console_gaps=int(control_seqs != seqs[: len(control_seqs)]),
        acked=acked,
        lost=lost,
        applied_twice=twice,
        releases=sum(releases.values()),
        released_twice=sum(1 for count in releases.values() if count > 1),
        overdue_missing=len(missing),
        due_while_down=_due_between(after, anchor, down),
        late=sum(1 for e in after if e["type"] == "inject_released" and e["payload"].get("late")),
        clock_error=_clock_error(after, anchor),
    )


def _scenario_now(log: list[dict[str, Any]], anchor: ClockAnchor | None) -> float:
    latest = anchor_of(log) or anchor
    return scenario_at(latest, datetime.fromisoformat(log[-1]["wall_time"])) if latest else 0.0


def _clock_error(after: list[dict[str, Any]], anchor: ClockAnchor | None) -> float:
    """Events recorded after the restart, up to the next clock change, against the clock before the kill."""
    if anchor is None:
        return 0.0
    error = 0.0
    for event in after:
        if event["type"] in CLOCK_EVENTS:
            break
        expected = scenario_at(anchor, datetime.fromisoformat(event["wall_time"]))
        error = max(error, abs(event["scenario_time"] - expected))
    return error


def _due_between(after: list[dict[str, Any]], anchor: ClockAnchor | None, down: tuple[datetime, datetime]) -> int:
    if anchor is None:
        return 0
    since, until = (scenario_at(anchor, moment) for moment in down)
    released = [e["payload"] for e in after if e["type"] == "inject_released"]
    return sum(1 for payload in released if payload.get("due_at") is not None and since < payload["due_at"] <= until)
