"""Summaries for the fan-out benchmark: delivery latency per run and timer lateness of released injects."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

# Float timestamps near 1.7e9 s carry about 0.2 µs of precision; anything earlier than this is truly early.
EARLY_TOLERANCE_SECONDS = 2e-6


def percentile(values: Sequence[float], fraction: float) -> float:
    """Linear interpolation between closest ranks (numpy's default), on a list that need not be sorted."""
    if not values:
        return math.nan
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True)
class LatencySummary:
    """Delivery latency of the measured injects, in milliseconds."""

    consoles: int
    injects: int
    samples: int
    missing: int
    p50_ms: float
    p99_ms: float
    max_ms: float
    mean_ms: float
    first_console_p50_ms: float
    last_console_p50_ms: float
    last_console_max_ms: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def summarize_latency(per_inject: Mapping[int, Sequence[float]], consoles: int, warmup: int) -> LatencySummary:
    """Drop the first ``warmup`` injects (in seq order), then summarise every (console, inject) sample.

    "Last console" is, for each inject, the latency of the slowest console: the time until everyone has it.
    "First console" is the fastest one: what a release costs before the first byte goes out.
    """
    measured = [per_inject[seq] for seq in sorted(per_inject)[warmup:]]
    samples = [value * 1000 for latencies in measured for value in latencies]
    slowest = [max(latencies) * 1000 for latencies in measured if latencies]
    fastest = [min(latencies) * 1000 for latencies in measured if latencies]
    return LatencySummary(
        consoles=consoles,
        injects=len(measured),
        samples=len(samples),
        missing=consoles * len(measured) - len(samples),
        p50_ms=percentile(samples, 0.50),
        p99_ms=percentile(samples, 0.99),
        max_ms=max(samples, default=math.nan),
        mean_ms=sum(samples) / len(samples) if samples else math.nan,
        first_console_p50_ms=percentile(fastest, 0.50),
        last_console_p50_ms=percentile(slowest, 0.50),
        last_console_max_ms=max(slowest, default=math.nan),
    )


def per_inject_detail(per_inject: Mapping[int, Sequence[float]]) -> list[dict[str, float]]:
    """Median and slowest console for each inject (warm-up included), to spot a bad inject in the JSON."""
    return [
        {
            "seq": seq,
            "consoles": len(values),
            "min_ms": round(min(values) * 1000, 3),
            "p50_ms": round(percentile(values, 0.5) * 1000, 3),
            "max_ms": round(max(values) * 1000, 3),
        }
        for seq, values in sorted(per_inject.items())
        if values
    ]


@dataclass(frozen=True)
class LatenessSummary:
    """How late scheduled injects were released relative to their planned wall time, in milliseconds."""

    injects: int
    p50_ms: float
    p99_ms: float
    max_ms: float
    min_ms: float
    early: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Release:
    """One scheduled inject as released: its seq, planned wall time (epoch seconds) and lateness (seconds)."""

    seq: int
    planned: float
    lateness: float


def timer_lateness(events: Iterable[Mapping[str, Any]]) -> list[Release]:
    """Each scheduled ``inject_released`` event with how late it was relative to its planned wall time.

    Planned wall = anchor.wall + (due_at − anchor.scenario) / compression, with the clock anchor of the
    ``exercise_started`` event (the bench never pauses, jumps or changes compression, so it stays valid).
    """
    anchor: Mapping[str, Any] | None = None
    lateness: list[Release] = []
    for event in events:
        if event["type"] == "exercise_started":
            anchor = event["payload"]["clock"]
        elif event["type"] == "inject_released" and event["payload"].get("cause") == "schedule":
            if anchor is None:
                raise ValueError(f"inject_released at seq {event['seq']} before exercise_started")
            offset = (event["payload"]["due_at"] - anchor["scenario"]) / anchor["compression"]
            planned = _timestamp(anchor["wall"]) + offset
            lateness.append(Release(event["seq"], planned, _timestamp(event["wall_time"]) - planned))
    return lateness


def summarize_lateness(lateness: Sequence[float]) -> LatenessSummary:
    millis = [value * 1000 for value in lateness]
    return LatenessSummary(
        injects=len(millis),
        p50_ms=percentile(millis, 0.50),
        p99_ms=percentile(millis, 0.99),
        max_ms=max(millis, default=math.nan),
        min_ms=min(millis, default=math.nan),
        early=sum(1 for value in lateness if value < -EARLY_TOLERANCE_SECONDS),
    )


def _timestamp(iso: str) -> float:
    return datetime.fromisoformat(iso).timestamp()


def ratio(hotline: float, baseline: float) -> float:
    return hotline / baseline if baseline > 0 else math.nan
