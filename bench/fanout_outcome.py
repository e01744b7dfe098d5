"""What one run measured, and the rows that compare Hotline with the baseline."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any, TypeVar

from cpu_meter import CpuUsage
from fanout_commands import AckSummary
from fanout_stats import LatencySummary, LatenessSummary, ratio


@dataclass
class RunOutcome:
    server: str
    """"hotline" or "baseline"."""
    variant: str
    """For Hotline how it was served ("cli" = ``hotline serve``, else uvicorn's --ws); for the baseline, its loop."""
    repeat: int
    latency: LatencySummary
    cpu: CpuUsage
    message_bytes: int
    client_processes: int
    warmup_injects: int
    failed: int = 0
    lateness: LatenessSummary | None = None
    per_inject: list[dict[str, float]] = field(default_factory=list)
    releases: list[dict[str, float]] = field(default_factory=list)
    """Each scheduled inject: seq, planned wall time (epoch seconds) and lateness."""
    heartbeats: list[str] = field(default_factory=list)
    """Wall times of the server heartbeats seen during the run, to line up with late releases."""
    acks: AckSummary | None = None
    """With the command load: how long the players' commands waited for their acknowledgement."""

    @property
    def key(self) -> tuple[int, str, str]:
        return self.latency.consoles, self.server, self.variant

    @property
    def label(self) -> str:
        return f"{self.server} ({self.variant})"

    @property
    def server_us_per_message(self) -> float:
        """Server CPU per delivered message over the run (idle time between injects included)."""
        delivered = self.latency.consoles * (self.latency.injects + self.warmup_injects)
        if self.cpu.server is None or delivered == 0:
            return math.nan
        return self.cpu.server / delivered * 1e6

    @property
    def server_wait_share(self) -> float:
        """Share of the run the server's loop was runnable but had no CPU (interference from elsewhere)."""
        if self.cpu.server_wait is None or self.cpu.window <= 0:
            return math.nan
        return self.cpu.server_wait / self.cpu.window

    @property
    def other_share(self) -> float:
        share = self.cpu.other_share
        return math.nan if share is None else share

    def as_dict(self) -> dict[str, Any]:
        return {
            "server": self.server,
            "variant": self.variant,
            "repeat": self.repeat,
            "consoles": self.latency.consoles,
            "latency": self.latency.as_dict(),
            "timer_lateness": self.lateness.as_dict() if self.lateness else None,
            "message_bytes": self.message_bytes,
            "cpu_seconds": {
                "window": round(self.cpu.window, 3),
                "server": self.cpu.server,
                "clients": self.cpu.clients,
                "other_processes": self.cpu.other,
                "server_run_queue_wait": self.cpu.server_wait,
            },
            "server_us_per_message": rounded(self.server_us_per_message),
            "server_run_queue_wait_share": rounded(self.server_wait_share),
            "other_processes_share": rounded(self.other_share),
            "client_processes": self.client_processes,
            "failed_consoles": self.failed,
            "warmup_injects": self.warmup_injects,
            "per_inject": self.per_inject,
            "releases": self.releases,
            "heartbeats": self.heartbeats,
        }


Summary = TypeVar("Summary", LatencySummary, LatenessSummary)


def _median_of(items: Sequence[Summary]) -> Summary:
    """Field by field median; counts are summed."""
    values: dict[str, Any] = {}
    for item in fields(items[0]):
        column = [getattr(entry, item.name) for entry in items]
        if item.type in ("int", int):
            values[item.name] = sum(column) if item.name in ("samples", "missing", "early") else column[0]
        else:
            values[item.name] = statistics.median(column)
    return replace(items[0], **values)


def combine(outcomes: Sequence[RunOutcome]) -> list[RunOutcome]:
    """One row per (size, server, variant): the median of its repeats (just the run, when there is one)."""
    groups: dict[tuple[int, str, str], list[RunOutcome]] = {}
    for outcome in outcomes:
        groups.setdefault(outcome.key, []).append(outcome)
    rows = []
    for group in groups.values():
        if len(group) == 1:
            rows.append(group[0])
            continue
        latenesses = [o.lateness for o in group if o.lateness is not None]
        cpu = CpuUsage(
            window=statistics.median(o.cpu.window for o in group),
            server=_median_or_none([o.cpu.server for o in group]),
            clients=_median_or_none([o.cpu.clients for o in group]),
            other=_median_or_none([o.cpu.other for o in group]),
            server_wait=_median_or_none([o.cpu.server_wait for o in group]),
        )
        rows.append(
            replace(
                group[0],
                repeat=-1,
                latency=_median_of([o.latency for o in group]),
                lateness=_median_of(latenesses) if latenesses else None,
                cpu=cpu,
                per_inject=[],
                releases=[],
                heartbeats=[],
            )
        )
    return rows


def _median_or_none(values: Sequence[float | None]) -> float | None:
    known = [value for value in values if value is not None]
    return statistics.median(known) if known else None


def comparisons(rows: Sequence[RunOutcome]) -> list[dict[str, Any]]:
    """Each Hotline row against the baseline row of the same size."""
    baselines = {row.latency.consoles: row for row in rows if row.server == "baseline"}
    result = []
    for row in rows:
        base = baselines.get(row.latency.consoles)
        if row.server != "hotline" or base is None:
            continue
        result.append(
            {
                "consoles": row.latency.consoles,
                "variant": row.variant,
                "p50_ratio": rounded(ratio(row.latency.p50_ms, base.latency.p50_ms)),
                "p99_ratio": rounded(ratio(row.latency.p99_ms, base.latency.p99_ms)),
                "last_console_ratio": rounded(ratio(row.latency.last_console_p50_ms, base.latency.last_console_p50_ms)),
                "server_cpu_ratio": rounded(ratio(row.server_us_per_message, base.server_us_per_message)),
                "under_commands": row.acks is not None,
            }
        )
    return result


def rounded(value: float) -> float | None:
    return None if math.isnan(value) else round(value, 3)
