"""The report as data: JSON (the ``Report`` model) and a CSV of the events, one row per event."""

from __future__ import annotations

from app.guards.csvcells import write_rows
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
    """One row per event; every cell neutralised (``app.guards.csvcells``), so none opens as a formula."""
    rows = (
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
            row.text,
        )
        for row in report.events
    )
    return write_rows(CSV_COLUMNS, rows)
