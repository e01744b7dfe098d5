"""The self-contained HTML report: one file with every script, style and chart inside, that works offline.

Rendered with the Jinja templates in ``templates/`` (autoescaped: text from the log cannot become
markup). The file carries its own Content-Security-Policy: it loads nothing from anywhere, and runs
only the inline scripts and styles whose hashes the policy lists.
"""

from __future__ import annotations

import json
from functools import cache
from html import escape
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from app import __version__
from app.reports.analysis import IMPROVE_BELOW, STRENGTH_AT
from app.reports.charts import charts
from app.reports.describe import CATEGORY_NAMES, clock
from app.reports.formatting import FILTERS, wall_short
from app.reports.inline import csp_hash, inline_module, stylesheet
from app.reports.model import RATING_NAMES, Report, ReportEvent
from app.reports.vendor import STYLE_MARKER_CLASS, STYLE_MARKER_ID, plotly_css, plotly_js_inline, style_guard_ids
from app.scoring.model import TaskRating

SECTIONS = (
    ("overview", "Overview"),
    ("summary", "Summary"),
    ("objectives", "Objectives"),
    ("scorecard", "Score card"),
    ("timeline", "Timeline"),
    ("escalation", "Escalation"),
    ("events", "Events"),
    ("observations", "Observations"),
    ("hotwash", "Hot wash"),
    ("plan", "Improvement plan"),
)
SOURCE_NAMES = {"log": "from the log", "evaluator": "by an evaluator", "decision": "decision window"}


def how_rated(task: TaskRating) -> str:
    """How a rated task got its rating, in words; an evaluator's override says what the log had said."""
    name = SOURCE_NAMES.get(task.source, task.source)
    if task.source == "evaluator" and task.from_log is not None and task.from_log != task.rating:
        return f"{name} (the log said {task.from_log})"
    return name


REPORT_CSS = "report.css"
STANDALONE_MODULE = "standalone.js"


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("app.reports", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
    )
    env.filters.update(FILTERS)
    return env


def json_for_script(data: Any) -> str:
    """JSON that cannot close or comment out the ``<script>`` element it sits in."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _unplayed(event: ReportEvent) -> str:
    if event.not_played is None:
        return ""
    reason = "released by a jump" if event.not_played == "jump" else "released while paused"
    return f' <span class="not-played">not played: {reason}</span>'


def event_rows(report: Report) -> Markup:
    """The events table's rows. Built here rather than in the template: at 10,000 events a template
    loop is several times slower, and this is the biggest part of the file. ``escape`` keeps log text inert."""
    rows = []
    for event in report.events:
        band = f' data-band="{event.band}"' if event.band is not None else ""
        rows.append(
            f'<tr id="event-{event.seq}" data-category="{event.category}" data-team="{escape(event.team or "")}"{band}>'
            f'<td class="num">{event.seq}</td><td>{clock(event.scenario_time)}</td>'
            f"<td>{wall_short(event.wall_time)}</td><td>{escape(event.type_name or event.type)}{_unplayed(event)}</td>"
            f"<td>{escape(event.who)}</td><td>{escape(event.text)}</td></tr>"
        )
    return Markup("\n".join(rows))


def template_context(report: Report) -> dict[str, Any]:
    """What every report template needs besides the report: names for ids, thresholds."""
    scenario_roles = {(team.id, role.id): role.name for team in report.overview.teams for role in team.roles}
    return {
        "report": report,
        "rating_names": RATING_NAMES,
        "category_names": CATEGORY_NAMES,
        "how_rated": how_rated,
        "role_names": scenario_roles,
        "objective_titles": {objective.id: objective.title for objective in report.objectives},
        "strength_at": f"{STRENGTH_AT:g}",
        "improve_below": f"{IMPROVE_BELOW:g}",
        "sections": SECTIONS,
        "version": __version__,
    }


def render_html(report: Report) -> str:
    plotly_js = plotly_js_inline()
    page_js = inline_module(STANDALONE_MODULE)
    report_css = stylesheet(REPORT_CSS)
    base_css = plotly_css()
    policy = "; ".join(
        [
            "default-src 'none'",
            f"script-src {csp_hash(plotly_js)} {csp_hash(page_js)}",
            f"style-src {csp_hash(base_css)} {csp_hash(report_css)}",
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )
    return (
        environment()
        .get_template("report.html.j2")
        .render(
            **template_context(report),
            csp=policy,
            charts_json=json_for_script(charts(report)),
            event_rows=event_rows(report),
            plotly_js=plotly_js,
            page_js=page_js,
            report_css=report_css,
            plotly_css=base_css,
            plotly_marker_id=STYLE_MARKER_ID,
            plotly_marker_class=STYLE_MARKER_CLASS,
            style_guard_ids=style_guard_ids(),
        )
    )
