"""plotly.js as the installed ``plotly`` Python package ships it: nothing is vendored into the repository.

Plotly injects its base stylesheet through a ``<style>`` element at run time, which a strict
Content-Security-Policy (``style-src 'self'``) refuses. It skips that step when the page already has
an element ``#plotly.js-style-global.no-inline-styles``; ``plotly_css`` rebuilds those same rules
from the bundle so the report pages can serve them as an ordinary stylesheet and keep a strict policy.
The bundle also injects the stylesheet of its map library unless an element with a given id exists;
``style_guard_ids`` finds those ids, and the pages place empty elements with them before plotly loads
(the report draws no maps).
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib.util import find_spec
from pathlib import Path

STYLE_MARKER_ID = "plotly.js-style-global"
STYLE_MARKER_CLASS = "no-inline-styles"
# The bundle keeps its base rules in one object literal whose first key is this selector.
_RULES_START = '"X,X div":'
_RULE = re.compile(r"""(?:"([^"]+)"|([A-Za-z]+)):(?:'([^']*)'|"([^"]*)")""")
_SELECTOR_NAMES = {"X": ".js-plotly-plot .plotly", "Y": ".plotly-notifier"}
_GUARDED_STYLE = re.compile(r'getElementById\("([\w-]+)"\)\)\{var \w+=document\.createElement\("style"\)')


class PlotlyMissing(RuntimeError):
    pass


def plotly_js_path() -> Path:
    spec = find_spec("plotly")
    if spec is None or not spec.submodule_search_locations:
        raise PlotlyMissing("The 'plotly' package is not installed: pip install plotly (it ships plotly.js).")
    path = Path(next(iter(spec.submodule_search_locations))) / "package_data" / "plotly.min.js"
    if not path.is_file():
        raise PlotlyMissing(f"The installed plotly package has no {path.name}; reinstall plotly.")
    return path


@cache
def plotly_js() -> str:
    return plotly_js_path().read_text(encoding="utf-8")


@cache
def plotly_js_inline() -> str:
    """The bundle made safe to place inside an inline ``<script>`` element."""
    return plotly_js().replace("</script", "<\\/script").replace("<!--", "<\\!--")


def _object_literal(source: str, start: int) -> str:
    depth, index = 1, start
    quote: str | None = None
    while depth and index < len(source):
        char = source[index]
        if quote:
            if char == "\\":
                index += 1
            elif char == quote:
                quote = None
        elif char in "\"'":
            quote = char
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        index += 1
    return source[start : index - 1]


@cache
def plotly_css() -> str:
    """plotly.js's base stylesheet; empty if this plotly version keeps its rules elsewhere."""
    source = plotly_js()
    start = source.find(_RULES_START)
    if start < 0:
        return ""
    rules = []
    for match in _RULE.finditer(_object_literal(source, start)):
        selector = match.group(1) or match.group(2) or ""
        body = match.group(3) if match.group(3) is not None else match.group(4)
        for short, full in _SELECTOR_NAMES.items():
            selector = selector.replace(short, full)
        rules.append(f"{selector}{{{body}}}")
    return "\n".join(rules) + "\n"


@cache
def style_guard_ids() -> tuple[str, ...]:
    """Ids whose presence stops the bundle from injecting a ``<style>`` element of its own."""
    return tuple(_GUARDED_STYLE.findall(plotly_js()))


@cache
def style_guard_script() -> str:
    """A classic script, run before plotly.js, that places those guard elements in the page's head."""
    ids = json.dumps(list(style_guard_ids()))
    return (
        "// Generated from the installed plotly.js: keeps it from injecting styles the page's policy refuses.\n"
        f"for (const id of {ids}) {{\n"
        "  if (!document.getElementById(id)) {\n"
        "    const guard = document.createElement('template');\n"
        "    guard.id = id;\n"
        "    document.head.append(guard);\n"
        "  }\n"
        "}\n"
    )
