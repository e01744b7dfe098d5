"""The report's two charts as plotly figures (plain ``{"data", "layout"}`` dicts).

Built here once, the same figures are drawn by the live report page, the self-contained HTML export
and the printout: the browser side only calls ``Plotly.newPlot``.

* The **timeline** runs on wall time (bottom axis) with the scenario clock as ticks on the top axis:
  pauses are shaded spans (wall time runs on, scenario time stands still) and jumps are marked
  lines. One lane per kind of event above, both teams' escalation bands below.
* The **escalation chart** runs on scenario time as it was played: the time a jump skipped is cut out
  of the axis and marked as a break, so play fills the chart instead of the left edge of a long jump.

Plotly reads a few HTML-like tags in texts, so everything from the log goes through ``plotly_text``.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from app.reports.describe import clock
from app.reports.formatting import wall_short
from app.reports.model import Report, ReportEvent

Figure = dict[str, Any]

BAND_NAMES = (
    "0 cooperative",
    "1 verbal conflict",
    "2 non-military coercion",
    "3 force posture",
    "4 coercive force",
    "5 use of force",
    "6 nuclear",
)
TEAM_COLORS = ("#1f5fae", "#b3261e")
LANE_COLORS = {
    "inject": "#6b4fa3",
    "contact": "#1b7f5f",
    "message": "#8a6d1d",
    "control": "#555555",
    "evaluation": "#a34f7c",
}
NOT_PLAYED_COLOR = "#b9b3c6"  # injects released by a jump or while paused: there, but never played
HOVER_CHARS = 180
MAX_TOP_TICKS = 10
TICK_STEPS = (300.0, 600.0, 900.0, 1800.0, 3600.0, 7200.0, 10800.0, 21600.0, 43200.0, 86400.0, 172800.0)
FONT = {"family": "system-ui, -apple-system, 'Segoe UI', sans-serif", "size": 12}


def plotly_text(text: str, limit: int | None = None) -> str:
    """Escape what plotly would read as markup; shorten to ``limit`` characters."""
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", " ")


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


@lru_cache(maxsize=4096)
def _short_text(text: str, limit: int) -> str:
    """``plotly_text`` for names and labels, which repeat on every move of a long exercise."""
    return plotly_text(text, limit)


def _hover(row: ReportEvent) -> str:
    wall = wall_short(row.wall_time)
    who = _short_text(row.who, 60)
    return f"#{row.seq} · {clock(row.scenario_time)} · {wall} UTC<br>{who}<br>{plotly_text(row.text, HOVER_CHARS)}"


def _lanes(report: Report) -> list[tuple[str, str, list[ReportEvent]]]:
    """(lane name, color, events) from top to bottom."""
    teams = report.overview.teams
    by_category: dict[str, list[ReportEvent]] = {}
    actions: dict[str, list[ReportEvent]] = {team.id: [] for team in teams}
    for row in report.events:
        if row.category == "action" and row.team in actions:
            actions[row.team].append(row)
        elif row.category in LANE_COLORS:
            by_category.setdefault(row.category, []).append(row)
    lanes = [("Injects", LANE_COLORS["inject"], by_category.get("inject", []))]
    for index, team in enumerate(teams):
        lanes.append((f"{plotly_text(team.name)} actions", TEAM_COLORS[index % 2], actions[team.id]))
    lanes += [
        ("Contacts", LANE_COLORS["contact"], by_category.get("contact", [])),
        ("Cables, statements", LANE_COLORS["message"], by_category.get("message", [])),
        ("Control", LANE_COLORS["control"], by_category.get("control", [])),
        ("Evaluation", LANE_COLORS["evaluation"], by_category.get("evaluation", [])),
    ]
    return lanes


def _wall_range(report: Report) -> tuple[datetime, datetime]:
    events = report.events
    start = report.overview.startex or (events[0].wall_time if events else report.generated_at)
    end = events[-1].wall_time if events else start
    for pause in report.clock.pauses:
        end = max(end, pause.wall_end or report.generated_at)
    if end <= start:
        end = start + timedelta(seconds=60)
    pad = (end - start) * 0.02
    return start - pad, end + pad


def _tick_step(span: float) -> float:
    """The first round step that puts at most ``MAX_TOP_TICKS`` ticks on ``span``; whole days beyond the list."""
    fitting = next((step for step in TICK_STEPS if span / step <= MAX_TOP_TICKS), None)
    return fitting if fitting is not None else math.ceil(span / MAX_TOP_TICKS / 86400) * 86400.0


def _top_ticks(report: Report, start: datetime, end: datetime) -> tuple[list[str], list[str]]:
    """Scenario times at the wall time they were reached: where each stretch of the clock began (STARTEX,
    after each jump or pause) and ended, and round times in between where there is room for them."""
    step = _tick_step(max(report.overview.scenario_reached, 60.0))
    room = (end - start).total_seconds() / 14  # labels closer than this in wall time would overlap
    origin = start
    marks: list[tuple[float, float, int]] = []
    anchors = report.clock.anchors
    for index, anchor in enumerate(anchors):
        if not anchor.running:
            continue
        until = min(anchors[index + 1].wall if index + 1 < len(anchors) else end, end)
        reached = anchor.scenario + max(0.0, (until - anchor.wall).total_seconds()) * anchor.compression
        at = (anchor.wall - origin).total_seconds()
        marks += [(at, anchor.scenario, STARTS), ((until - origin).total_seconds(), reached, ENDS)]
        tick = math.ceil(anchor.scenario / step) * step
        # Bounded however the clock ran: a stretch never gets more round times than the whole axis.
        for _ in range(MAX_TOP_TICKS + 1):
            if tick >= reached:
                break
            marks.append((at + (tick - anchor.scenario) / anchor.compression, tick, ROUND))
            tick += step
    kept = _spaced(marks, room)
    return [_iso(origin + timedelta(seconds=x)) for x, _ in kept], [clock(seconds) for _, seconds in kept]


STARTS, ENDS, ROUND = 0, 1, 2  # which labels give way when two would overlap: round times first, then ends


def _spaced(marks: list[tuple[float, float, int]], room: float) -> list[tuple[float, float]]:
    """(position, scenario time) labels at least ``room`` apart: where a stretch of the clock starts (STARTEX,
    the landing time of a jump) wins over where one ends, and both over round times."""
    kept: list[tuple[float, float]] = []
    # At one instant (a jump) the later scenario time wins: that is where play went on.
    for x, seconds, _ in sorted(marks, key=lambda mark: (mark[2], mark[0], -mark[1])):
        if all(abs(x - other) >= room for other, _ in kept):
            kept.append((x, seconds))
    return sorted(kept)


def _clock_marks(report: Report) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    shapes: list[dict[str, Any]] = []
    notes: list[dict[str, Any]] = []
    for pause in report.clock.pauses:
        until = pause.wall_end or report.generated_at
        shapes.append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "paper",
                "x0": _iso(pause.wall_start),
                "x1": _iso(until),
                "y0": 0,
                "y1": 1,
                "fillcolor": "#9aa0a6",
                "opacity": 0.25,
                "line": {"width": 0},
                "layer": "below",
            }
        )
        notes.append(_note(pause.wall_start, f"Paused at {clock(pause.scenario_time)}: {pause.reason}", "left", 0.34))
    for jump in report.clock.jumps:
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": _iso(jump.wall_time),
                "x1": _iso(jump.wall_time),
                "y0": 0,
                "y1": 1,
                "line": {"color": "#d9822b", "width": 2, "dash": "dash"},
            }
        )
        notes.append(_note(jump.wall_time, f"Jump {clock(jump.from_time)} → {clock(jump.to_time)}", "right", 0.30))
    return shapes, notes


def _note(moment: datetime, text: str, side: str, height: float) -> dict[str, Any]:
    """A label in the gap between the lanes and the bands, so it never covers a point or a tick."""
    return {
        "x": _iso(moment),
        "xref": "x",
        "yref": "paper",
        "y": height,
        "yanchor": "middle",
        "xanchor": side,
        "text": plotly_text(text, 60),
        "showarrow": False,
        "font": {"size": 10, "color": "#444"},
    }


class PlayedAxis:
    """Scenario time with the stretches a jump skipped cut out: x is played hours, plus a small gap at
    each jump where the axis is marked as broken."""

    def __init__(self, report: Report) -> None:
        self.jumps = sorted(
            (jump.from_time, jump.to_time) for jump in report.clock.jumps if jump.to_time > jump.from_time
        )
        self.reached = max(report.overview.scenario_reached, 60.0)
        played = self.reached - sum(to - start for start, to in self.jumps)
        self.gap = max(played, 60.0) / 3600 * 0.03

    def x(self, seconds: float) -> float:
        shift = 0.0
        breaks = 0
        for start, to in self.jumps:
            if seconds >= to:
                shift += to - start
                breaks += 1
            elif seconds > start:
                seconds = start  # inside a skipped stretch: nothing happens there
        return (seconds - shift) / 3600 + breaks * self.gap

    def stretches(self) -> list[tuple[float, float]]:
        """The scenario time that was played, stretch by stretch."""
        edges = [0.0] + [edge for jump in self.jumps for edge in jump] + [self.reached]
        return [(edges[i], edges[i + 1]) for i in range(0, len(edges), 2) if edges[i + 1] >= edges[i]]

    def ticks(self) -> tuple[list[float], list[str]]:
        played = max(sum(to - start for start, to in self.stretches()), 60.0)
        step = _tick_step(played)
        room = self.x(self.reached) / 12
        marks: list[tuple[float, float, int]] = []
        for start, to in self.stretches():
            marks += [(self.x(start), start, STARTS), (self.x(to), to, ENDS)]
            tick = math.ceil(start / step) * step
            while tick < to:
                marks.append((self.x(tick), tick, ROUND))
                tick += step
        kept = _spaced(marks, room)
        return [x for x, _ in kept], [clock(seconds) for _, seconds in kept]


def _band_steps(report: Report, index: int, until: datetime | None, axis: PlayedAxis | None = None) -> dict[str, Any]:
    """A team's band as a step line: over wall time up to ``until``, or over played scenario time if None."""
    series = report.escalation[index]
    by_wall = until is not None
    start_wall = report.overview.startex or until
    place = axis.x if axis is not None else (lambda seconds: seconds / 3600)
    xs: list[Any] = [_iso(start_wall) if by_wall and start_wall is not None else 0.0]
    ys = [0]
    hover = ["STARTEX"]
    for point in series.points:
        xs.append(_iso(point.wall_time) if by_wall else place(point.scenario_time))
        ys.append(point.band)
        hover.append(
            f"#{point.seq} · {clock(point.scenario_time)}<br>{plotly_text(point.label, 80)}: band {point.band}"
        )
    last_scenario = report.overview.scenario_reached
    xs.append(_iso(until) if until is not None else place(last_scenario))
    ys.append(ys[-1])
    hover.append("now" if not report.final else "ENDEX")
    return {
        "type": "scatter",
        "mode": "lines+markers",
        "name": f"{plotly_text(series.name)} band",
        "x": xs,
        "y": ys,
        "line": {"shape": "hv", "color": TEAM_COLORS[index % 2], "width": 2},
        "marker": {"size": 5},
        "hovertext": hover,
        "hoverinfo": "text",
        "customdata": [None] + [point.seq for point in series.points] + [None],
    }


def timeline_figure(report: Report) -> Figure:
    start, end = _wall_range(report)
    lanes = _lanes(report)
    names = [name for name, _, _ in lanes]
    data: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "mode": "markers",
            "name": name,
            "x": [_iso(row.wall_time) for row in rows],
            "y": [name] * len(rows),
            "customdata": [row.seq for row in rows],
            "hovertext": [_hover(row) for row in rows],
            "hoverinfo": "text",
            "marker": {
                "color": color,
                "size": 9,
                "symbol": "line-ns-open",
                "line": {"width": 2, "color": [NOT_PLAYED_COLOR if row.not_played else color for row in rows]},
            },
            "showlegend": False,
            "xaxis": "x",
            "yaxis": "y",
        }
        for name, color, rows in lanes
    ]
    last_wall = report.events[-1].wall_time if report.events else start
    for index in range(len(report.escalation)):
        steps = _band_steps(report, index, last_wall)
        data.append({**steps, "xaxis": "x", "yaxis": "y2", "showlegend": True})
    tickvals, ticktext = _top_ticks(report, start, end)
    # An invisible trace keeps the top (scenario clock) axis drawn; it carries no information.
    data.append(
        {
            "type": "scatter",
            "x": tickvals,
            "y": [None] * len(tickvals),
            "xaxis": "x2",
            "yaxis": "y",
            "hoverinfo": "skip",
            "showlegend": False,
            "mode": "markers",
        }
    )
    shapes, notes = _clock_marks(report)
    return {
        "data": data,
        "layout": {
            "font": FONT,
            "height": 480,
            "margin": {"l": 150, "r": 20, "t": 70, "b": 90},
            "hovermode": "closest",
            "legend": {"orientation": "h", "y": -0.3},
            "xaxis": {
                "type": "date",
                "range": [_iso(start), _iso(end)],
                "anchor": "y2",
                "title": {"text": "Wall time (UTC)"},
            },
            "xaxis2": {
                "type": "date",
                "overlaying": "x",
                "side": "top",
                "matches": "x",
                "tickvals": tickvals,
                "ticktext": ticktext,
                "title": {"text": "Scenario time", "standoff": 4},
                "showgrid": False,
            },
            "yaxis": {
                "domain": [0.38, 1.0],
                "type": "category",
                "categoryorder": "array",
                "categoryarray": list(reversed(names)),
                "fixedrange": True,
            },
            "yaxis2": {
                "domain": [0.0, 0.26],
                "range": [-0.3, 6.3],
                "tickvals": [0, 2, 4, 6],
                "title": {"text": "Band"},
                "fixedrange": True,
            },
            "shapes": shapes,
            "annotations": notes,
        },
    }


def _pressure_steps(report: Report, index: int, axis: PlayedAxis) -> dict[str, Any]:
    """A team's domestic pressure (0–100, right-hand axis) as a dashed step line over played scenario time."""
    series = report.pressure[index]
    xs = [axis.x(point.scenario_time) for point in series.points] + [axis.x(report.overview.scenario_reached)]
    ys = [point.value for point in series.points] + [series.points[-1].value]
    hover = [f"{clock(point.scenario_time)} · pressure {point.value:.0f}" for point in series.points] + ["now"]
    return {
        "type": "scatter",
        "mode": "lines",
        "name": f"{plotly_text(series.name)} pressure",
        "x": xs,
        "y": ys,
        "yaxis": "y2",
        "line": {"shape": "hv", "color": TEAM_COLORS[index % 2], "width": 1.5, "dash": "dot"},
        "hovertext": hover,
        "hoverinfo": "text",
    }


def escalation_figure(report: Report) -> Figure:
    axis = PlayedAxis(report)
    data = [_band_steps(report, index, None, axis) for index in range(len(report.escalation))]
    data += [_pressure_steps(report, index, axis) for index in range(len(report.pressure))]
    tickvals, ticktext = axis.ticks()
    shapes: list[dict[str, Any]] = []
    notes: list[dict[str, Any]] = []
    for start, to in axis.jumps:
        left = axis.x(start)
        # The cut: a narrow hatched band where the skipped hours would have been, edged by two lines.
        shapes.append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "paper",
                "x0": left,
                "x1": left + axis.gap,
                "y0": 0,
                "y1": 1,
                "fillcolor": "#d9822b",
                "opacity": 0.25,
                "line": {"color": "#d9822b", "width": 1, "dash": "dot"},
                "layer": "below",
            }
        )
        notes.append(
            {
                "x": left + axis.gap / 2,
                "xref": "x",
                "yref": "paper",
                "y": 1.0,
                "yanchor": "bottom",
                "xanchor": "center",
                "showarrow": False,
                "font": {"size": 10, "color": "#8a4b0f"},
                "text": f"⋯ jump {clock(start)} → {clock(to)}",
            }
        )
    for pause in report.clock.pauses:
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": axis.x(pause.scenario_time),
                "x1": axis.x(pause.scenario_time),
                "y0": 0,
                "y1": 1,
                "line": {"color": "#9aa0a6", "width": 1, "dash": "dot"},
            }
        )
    right = axis.x(axis.reached)
    return {
        "data": data,
        "layout": {
            "font": FONT,
            "height": 340,
            "margin": {"l": 160, "r": 70 if report.pressure else 20, "t": 30, "b": 90},
            "hovermode": "closest",
            "legend": {"orientation": "h", "y": -0.4},
            "xaxis": {
                "title": {"text": "Scenario time (the hours a jump skipped are cut out)"},
                "tickvals": tickvals,
                "ticktext": ticktext,
                "range": [0, right * 1.02],
                "zeroline": False,
            },
            "yaxis": {
                "range": [-0.3, 6.3],
                "tickvals": list(range(7)),
                "ticktext": list(BAND_NAMES),
                "fixedrange": True,
            },
            **(
                {
                    "yaxis2": {
                        "title": {"text": "Domestic pressure"},
                        "range": [-5, 105],
                        "overlaying": "y",
                        "side": "right",
                        "fixedrange": True,
                        "showgrid": False,
                    }
                }
                if report.pressure
                else {}
            ),
            "shapes": shapes,
            "annotations": notes,
        },
    }


def charts(report: Report) -> dict[str, Figure]:
    return {"timeline": timeline_figure(report), "escalation": escalation_figure(report)}
