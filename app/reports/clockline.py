"""The exercise clock as it actually ran: anchors, pauses, jumps and compression changes.

Wall time and scenario time part ways at every pause (wall time goes on, scenario time stands
still) and every jump (scenario time leaps, wall time does not); the timeline draws both, so a
reader sees where the two clocks disagree and why.
"""

from __future__ import annotations

from app.engine.events import ClockAnchor, Event, EventType
from app.reports.model import ClockAnchorPoint, ClockJump, ClockRecord, CompressionChange, PauseSpan

_RESUMES = (EventType.exercise_resumed, EventType.exercise_ended)


def clock_record(events: list[Event]) -> ClockRecord:
    anchors: list[ClockAnchorPoint] = []
    pauses: list[PauseSpan] = []
    jumps: list[ClockJump] = []
    changes: list[CompressionChange] = []
    open_pause: PauseSpan | None = None
    for event in events:
        payload = event.payload
        if "clock" in payload:
            anchor = ClockAnchor.model_validate(payload["clock"])
            anchors.append(
                ClockAnchorPoint(
                    seq=event.seq,
                    wall=anchor.wall,
                    scenario=anchor.scenario,
                    compression=anchor.compression,
                    running=anchor.running,
                )
            )
        if event.type is EventType.exercise_paused:
            open_pause = PauseSpan(
                seq=event.seq,
                wall_start=event.wall_time,
                wall_end=None,
                scenario_time=event.scenario_time,
                reason=str(payload.get("reason", "")),
            )
            pauses.append(open_pause)
        elif event.type in _RESUMES and open_pause is not None:
            pauses[-1] = open_pause.model_copy(update={"wall_end": event.wall_time})
            open_pause = None
        elif event.type is EventType.clock_jumped:
            jumps.append(
                ClockJump(
                    seq=event.seq,
                    wall_time=event.wall_time,
                    from_time=float(payload.get("from_time", 0.0)),
                    to_time=float(payload.get("to_time", 0.0)),
                )
            )
        elif event.type is EventType.compression_changed:
            changes.append(
                CompressionChange(
                    seq=event.seq,
                    wall_time=event.wall_time,
                    scenario_time=event.scenario_time,
                    compression=float(payload.get("compression", 1.0)),
                )
            )
    return ClockRecord(anchors=anchors, pauses=pauses, jumps=jumps, compression_changes=changes)
