"""The report as data: JSON (the ``Report`` model) and a CSV of the events, one row per event."""

from __future__ import annotations

import csv
import io

from app.reports.describe import clock
from app.reports.model import Report

CSV_COLUMNS = (
    "seq",
    "wall_time",
    "scenario_seconds",
    "scenario_time",
    "type",
    "category",
    "team",
    "who",
    "band",
    "weight",
    "text",
)


def render_json(report: Report) -> str:
    return report.model_dump_json(indent=2) + "\n"


def render_csv(report: Report) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in report.events:
        writer.writerow(
            (
                row.seq,
                row.wall_time.isoformat().replace("+00:00", "Z"),
                f"{row.scenario_time:g}",
                clock(row.scenario_time),
                row.type,
                row.category,
                row.team or "",
                row.who,
                "" if row.band is None else row.band,
                "" if row.weight is None else f"{row.weight:g}",
                _no_formula(row.text),
            )
        )
    return buffer.getvalue()


def _no_formula(text: str) -> str:
    # A cell starting with = + - @ runs as a formula when the CSV is opened in a spreadsheet.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
