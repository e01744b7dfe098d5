"""A comparison of runs as plain text (for a terminal) or Markdown: one column per run, then the differences."""

from __future__ import annotations

from app.reports.compare import Comparison
from app.reports.render_markdown import md

LABEL_WIDTH = 44
COLUMN_WIDTH = 14


def _number(value: float | None) -> str:
    return "N/A" if value is None else f"{value:.1f}"


def _delta(value: float | None) -> str:
    return "—" if value is None else f"{value:+.1f}"


def comparison_text(comparison: Comparison) -> str:
    runs = comparison.runs
    lines = [
        f"{comparison.scenario_title} ({comparison.scenario_id}): {len(runs)} runs; differences are against run 1."
    ]
    lines += [
        f"  run {n}: {run.exercise_id}  {run.title}  ({run.events} events, {run.status})"
        for n, run in enumerate(runs, 1)
    ]
    lines.append("")
    header = f"{'':<{LABEL_WIDTH}}" + "".join(f"{f'run {n}':>{COLUMN_WIDTH}}" for n in range(1, len(runs) + 1))
    header += (
        "".join(f"{f'Δ run {n}':>{COLUMN_WIDTH}}" for n in range(2, len(runs) + 1)) + f"{'spread':>{COLUMN_WIDTH}}"
    )
    lines.append(header)
    for row in comparison.rows:
        label = row.label if len(row.label) <= LABEL_WIDTH - 2 else row.label[: LABEL_WIDTH - 3] + "…"
        cells = "".join(f"{_number(value):>{COLUMN_WIDTH}}" for value in row.values)
        cells += "".join(f"{_delta(delta):>{COLUMN_WIDTH}}" for delta in row.deltas[1:])
        lines.append(f"{label:<{LABEL_WIDTH}}{cells}{_number(row.spread):>{COLUMN_WIDTH}}")
    lines += [f"Note: {warning}" for warning in comparison.warnings]
    return "\n".join(lines) + "\n"


def comparison_markdown(comparison: Comparison) -> str:
    runs = comparison.runs
    lines = [f"# Runs of {md(comparison.scenario_title)} compared", ""]
    lines += [
        f"{n}. {md(run.title)} ({md(run.exercise_id)}, {run.events} events, {run.status})"
        for n, run in enumerate(runs, 1)
    ]
    lines += ["", "Differences (Δ) are against run 1.", ""]
    heads = [f"Run {n}" for n in range(1, len(runs) + 1)] + [f"Δ run {n}" for n in range(2, len(runs) + 1)]
    lines.append("| | " + " | ".join(heads) + " | Spread |")
    lines.append("|---|" + "---:|" * (len(heads) + 1))
    for row in comparison.rows:
        cells = [_number(value) for value in row.values] + [_delta(delta) for delta in row.deltas[1:]]
        lines.append(f"| {md(row.label)} | " + " | ".join(cells) + f" | {_number(row.spread)} |")
    lines += ["", *[f"Note: {md(warning)}" for warning in comparison.warnings]]
    return "\n".join(lines).rstrip() + "\n"
