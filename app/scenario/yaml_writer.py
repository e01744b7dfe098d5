"""Write a scenario as YAML that reads like a hand-written scenario file.

Block style, keys in the order of the schema, unicode as it is, multi-line texts as ``|`` blocks, times as
``T+HH:MM``, and fields left at their default values left out, except the few a reader expects at the top.
The text always loads back (through ``parse_and_lint``) to the same ``Scenario``.
"""

from __future__ import annotations

from typing import Any

import yaml

from app.scenario.schema import Scenario

# Shown even at their default values: an author looks for them at the top of a scenario.
_ALWAYS_WRITTEN = ("version", "language", "default_compression", "ring_timeout")
_WIDTH = 110
_FOLD_OVER = 80
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when installed; same result
_DURATIONS = frozenset({"ring_timeout", "decision_window", "delay", "within"})


class _ScenarioDumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Indent list items under their key, as people write scenario files.
        super().increase_indent(flow, False)


def _loads_back(text: str, style: str) -> bool:
    """PyYAML cannot write every text in every style (trailing spaces, tabs, odd line breaks)."""
    written = yaml.dump(text, Dumper=yaml.SafeDumper, default_style=style, allow_unicode=True, width=_WIDTH)
    return bool(yaml.load(written, Loader=_FAST_LOADER) == text)


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    """Multi-line texts as ``|`` blocks, long ones folded with ``>``, so they read like prose."""
    style = "|" if "\n" in text else ">" if len(text) > _FOLD_OVER else None
    if style is not None and not _loads_back(text, style):
        style = None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_ScenarioDumper.add_representer(str, _represent_text)


def _plain_durations(node: object, key: str = "") -> None:
    """Durations read better as ``00:30`` than as the ``T+00:30`` the schema writes for every time."""
    if isinstance(node, dict):
        for name, value in node.items():
            if isinstance(value, str) and name in _DURATIONS and value.startswith("T+"):
                node[name] = value.removeprefix("T+")
            else:
                _plain_durations(value, name)
    elif isinstance(node, list):
        for item in node:
            _plain_durations(item, key)


def _compact_audience(inject: dict[str, Any]) -> None:
    """``[{team: blue}]`` is written ``blue``, as authors write it; both load to the same audience."""
    audience = inject.get("audience")
    if isinstance(audience, list) and len(audience) == 1 and set(audience[0]) == {"team"}:
        inject["audience"] = audience[0]["team"]


def scenario_data(scenario: Scenario) -> dict[str, Any]:
    """The scenario as plain data in schema order, without fields that only repeat a default."""
    full = scenario.model_dump(mode="json")
    lean = scenario.model_dump(mode="json", exclude_defaults=True)
    data = {
        name: (full if name in _ALWAYS_WRITTEN else lean)[name]
        for name in Scenario.model_fields
        if name in lean or name in _ALWAYS_WRITTEN
    }
    for inject in data["injects"]:
        _compact_audience(inject)
    _plain_durations(data)
    return data


def scenario_yaml(scenario: Scenario, comment: str = "") -> str:
    """YAML text of ``scenario``; ``comment`` lines (if any) head the file as ``#`` comments."""
    body = yaml.dump(
        scenario_data(scenario),
        Dumper=_ScenarioDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=_WIDTH,
    )
    heading = "".join(f"# {line}".rstrip() + "\n" for line in comment.splitlines())
    return heading + body
