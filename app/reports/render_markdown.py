"""The report as Markdown, for wikis, tickets and e-mail.

Text from the log is escaped so it stays text: Markdown punctuation is backslashed, and ``<``, ``>``
and ``&`` become entities because most Markdown renderers pass raw HTML through.
"""

from __future__ import annotations

import re
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined

from app.reports.formatting import FILTERS
from app.reports.model import Report
from app.reports.render_html import template_context

# Enough to keep text literal inline and inside table cells: emphasis, code, links, tables, strike-through.
_PUNCTUATION = re.compile(r"([\\`*_\[\]|~])")


def md(text: object) -> str:
    """One line of Markdown that shows ``text`` as it is (also safe inside a table cell)."""
    escaped = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    escaped = " ".join(_PUNCTUATION.sub(r"\\\1", escaped).split())
    return "\\" + escaped if escaped[:1] in ("#", "-", "+", ">") else escaped


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("app.reports", "templates"),
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=StrictUndefined,
    )
    env.filters.update(FILTERS)
    env.filters["md"] = md
    return env


def render_markdown(report: Report) -> str:
    return environment().get_template("report.md.j2").render(**template_context(report))
