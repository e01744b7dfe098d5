"""Terminal progress, the results tables and the JSON file of the fan-out benchmark."""

from __future__ import annotations

import json
import math
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from fanout_outcome import RunOutcome, combine, comparisons, rounded

TARGETS = ((1000, 1.3, 1.3, 2.0), (3000, 1.5, 1.3, 5.0), (None, 2.0, 1.5, 5.0))
"""The issue's targets by size: up to so many consoles, delivery p99 and server CPU per message as ratios to
the baseline's, and timer lateness p99 in ms."""
GUARD_P99_RATIO = 3.0
"""Generous: CI machines are shared and a 300-console run is short, so only a real regression trips it."""
ACK_P99_TARGET_MS = 20.0
CPU_JUDGED_FROM = 1000
"""The issue's targets start at 1,000 consoles. Below that, an inject's fixed cost (its commit, its timer) is
shared by so few consoles that server CPU per message says little about the fan-out: shown, not judged."""
NOISY_WAIT_SHARE = 0.01
"""A server kept off the CPU for more than this share of a run had its figures disturbed by other work."""


class Progress:
    """One status line, redrawn in place on a terminal; on a pipe, a line every few seconds."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.last_print = 0.0
        self.width = 0

    def show(self, text: str, *, force: bool = False) -> None:
        if self.tty:
            sys.stderr.write("\r" + text.ljust(self.width))
            self.width = len(text)
        elif force or time.monotonic() - self.last_print > 5:
            sys.stderr.write(text + "\n")
            self.last_print = time.monotonic()
        sys.stderr.flush()

    def done(self, text: str) -> None:
        if self.tty:
            sys.stderr.write("\r" + text.ljust(self.width) + "\n")
            self.width = 0
        else:
            sys.stderr.write(text + "\n")
        sys.stderr.flush()


def render_table(rows: Sequence[RunOutcome], repeats: int) -> str:
    title = "Inject delivery latency: receive time − event wall_time, ms"
    if repeats > 1:
        title += f" (median of {repeats} runs)"
    header = ["consoles", "server", "first", "p50", "p99", "max", "last p50", "last max", "srv µs/msg", "srv waited"]
    header += ["other cpu", "samples", "missing"]
    table: list[list[str]] = []
    ratios = {(row["consoles"], row["variant"]): row for row in comparisons(rows)}
    for size in sorted({row.latency.consoles for row in rows}):
        group = [row for row in rows if row.latency.consoles == size]
        for row in group:
            lat = row.latency
            table.append(
                [
                    str(size),
                    row.label,
                    f"{lat.first_console_p50_ms:.1f}",
                    f"{lat.p50_ms:.1f}",
                    f"{lat.p99_ms:.1f}",
                    f"{lat.max_ms:.1f}",
                    f"{lat.last_console_p50_ms:.1f}",
                    f"{lat.last_console_max_ms:.1f}",
                    f"{row.server_us_per_message:.1f}",
                    f"{row.server_wait_share:.1%}",
                    f"{row.other_share:.0%}",
                    str(lat.samples),
                    str(lat.missing),
                ]
            )
        for row in group:
            ratio_row = ratios.get((size, row.variant))
            if row.server == "hotline" and ratio_row is not None:
                table.append(
                    [
                        str(size),
                        f"ratio {row.variant} / baseline",
                        "",
                        _times(ratio_row["p50_ratio"]),
                        _times(ratio_row["p99_ratio"]),
                        "",
                        _times(ratio_row["last_console_ratio"]),
                        "",
                        _times(ratio_row["server_cpu_ratio"]),
                        *[""] * 4,
                    ]
                )
        table.append([])
    notes = (
        "first / last = the fastest / slowest console of an inject (median over injects; last max = worst inject).\n"
        "srv µs/msg = server CPU per delivered message. srv waited = share of the run the server was runnable but\n"
        "had no CPU. other cpu = share of the machine used by unrelated processes."
    )
    return "\n".join([title, _grid(header, table), "", notes])


def render_lateness(rows: Sequence[RunOutcome]) -> str:
    header = ["consoles", "server", "injects", "p50 ms", "p99 ms", "max ms", "min ms", "early"]
    table = [
        [
            str(row.latency.consoles),
            row.label,
            str(late.injects),
            f"{late.p50_ms:.2f}",
            f"{late.p99_ms:.2f}",
            f"{late.max_ms:.2f}",
            f"{late.min_ms:.3f}",
            str(late.early),
        ]
        for row in rows
        if (late := row.lateness) is not None
    ]
    title = "Timer lateness of scheduled injects: event wall_time − planned wall time (baseline: its own timers)"
    return "\n".join([title, _grid(header, table)])


def _times(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}×"


def _grid(header: list[str], table: list[list[str]]) -> str:
    """Columns as wide as their widest cell; the second (a label) left-aligned, the rest right-aligned."""
    widths = [max(len(cells[i]) for cells in [header, *table] if cells) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        if not cells:
            return ""
        parts = [
            cell.ljust(width) if i == 1 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    rule = "-" * (sum(widths) + 2 * (len(widths) - 1))
    return "\n".join([line(header), rule, *(line(cells) for cells in table)]).rstrip()


def targets_for(consoles: int) -> tuple[float, float, float]:
    """(delivery p99 ratio, server CPU ratio, timer lateness p99 ms) a run of this many consoles must meet."""
    for most, p99_ratio, cpu_ratio, lateness_ms in TARGETS:
        if most is None or consoles <= most:
            return p99_ratio, cpu_ratio, lateness_ms
    raise AssertionError("the last target has no bound")


def render_verdict(rows: Sequence[RunOutcome]) -> str:
    lines = []
    for row in rows:
        if row.acks is not None:
            acks = row.acks
            verdict = "met" if acks.p99_ms <= ACK_P99_TARGET_MS and not acks.refused else "MISSED"
            lines.append(
                f"command acks at {row.latency.consoles} consoles: {acks.commands} commands, p50 {acks.p50_ms:.1f} ms, "
                f"p99 {acks.p99_ms:.1f} ms, max {acks.max_ms:.1f} ms, {acks.refused} refused "
                f"(target p99 ≤ {ACK_P99_TARGET_MS:.0f} ms): {verdict}"
            )
    for comparison in comparisons(rows):
        consoles = comparison["consoles"]
        p99_target, cpu_target, _ = targets_for(consoles)
        judged = [("p99", comparison["p99_ratio"], p99_target)]
        if comparison["under_commands"]:
            lines.append(
                f"server CPU per message at {consoles} consoles: not judged under the command load (Hotline also "
                "delivered the players' chats, the baseline only the injects)"
            )
        elif consoles < CPU_JUDGED_FROM:
            lines.append(
                f"server CPU per message at {consoles} consoles: {comparison['server_cpu_ratio']}× the baseline's, "
                f"not judged below {CPU_JUDGED_FROM:,} consoles (each inject's commit and timer are shared by few)"
            )
        else:
            judged.append(("server CPU per message", comparison["server_cpu_ratio"], cpu_target))
        for name, value, target in judged:
            verdict = "met" if value is not None and value <= target else "MISSED"
            lines.append(
                f"{name} at {consoles} consoles, hotline ({comparison['variant']}): {value}× the baseline's "
                f"(target ≤ {target}×): {verdict}"
            )
    for row in rows:
        late = row.lateness
        if late is None or row.server != "hotline":
            continue
        lateness_target = targets_for(row.latency.consoles)[2]
        verdict = "met" if late.p99_ms <= lateness_target and late.early == 0 else "MISSED"
        lines.append(
            f"timer lateness at {row.latency.consoles} consoles, {row.variant}: p99 {late.p99_ms:.2f} ms, "
            f"{late.early} early (target p99 ≤ {lateness_target:.0f} ms, none early): {verdict}"
        )
    noisy = [row for row in rows if row.server_wait_share > NOISY_WAIT_SHARE]
    if noisy:
        lines.append(
            f"warning: in {len(noisy)} of {len(rows)} rows the server waited for a CPU over "
            f"{NOISY_WAIT_SHARE:.0%} of the run: other work disturbed it (rerun when the machine is quieter, "
            "or with --nice -20)"
        )
    return "\n".join(lines)


def guard_failures(rows: Sequence[RunOutcome]) -> list[str]:
    """Why the regression guard fails (nothing: it passes)."""
    failures = [
        f"{row.label} at {row.latency.consoles} consoles: {row.latency.missing} messages missing"
        for row in rows
        if row.latency.missing or row.failed
    ]
    for comparison in comparisons(rows):
        p99_ratio = comparison["p99_ratio"]
        if p99_ratio is None or p99_ratio > GUARD_P99_RATIO:
            failures.append(
                f"p99 at {comparison['consoles']} consoles: {p99_ratio}× the baseline (bound {GUARD_P99_RATIO:.0f}×)"
            )
    return failures


def write_json(
    path: Path, machine: dict[str, Any], options: dict[str, Any], runs: Sequence[RunOutcome], repeats: int
) -> None:
    rows = combine(runs) if repeats > 1 else list(runs)
    document = {
        "machine": machine,
        "options": options,
        "summary": [_summary(row) for row in rows],
        "comparisons": comparisons(rows),
        "runs": [run.as_dict() for run in runs],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(_without_nan(document), indent=2, allow_nan=False) + "\n", encoding="utf-8")


def _summary(row: RunOutcome) -> dict[str, Any]:
    return {
        "consoles": row.latency.consoles,
        "server": row.server,
        "variant": row.variant,
        "latency": asdict(row.latency),
        "timer_lateness": asdict(row.lateness) if row.lateness else None,
        "server_us_per_message": rounded(row.server_us_per_message),
        "server_run_queue_wait_share": rounded(row.server_wait_share),
        "other_processes_share": rounded(row.other_share),
        "command_acks": asdict(row.acks) if row.acks else None,
    }


def _without_nan(value: Any) -> Any:
    """NaN (a statistic of no samples) is not JSON; write null instead."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {key: _without_nan(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_without_nan(item) for item in value]
    return value
