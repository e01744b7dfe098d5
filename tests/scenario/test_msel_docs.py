"""docs/msel.md tells the truth: its worked example imports as shown, and it names every column and notation."""

from __future__ import annotations

import re

import pytest

from app.scenario.loader import ScenarioInvalid
from app.scenario.msel import BaseScenario, MselFormat, export_msel, import_msel
from app.scenario.msel_columns import COLUMNS
from app.scenario.msel_condition import USAGE
from app.scenario.validate import load_and_lint
from tests.scenario.helpers import PROJECT

DOC = (PROJECT / "docs" / "msel.md").read_text(encoding="utf-8")
BUNDLED = PROJECT / "injects" / "incident-at-sea.yaml"


def fenced(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DOC, flags=re.DOTALL)


def worked_example(replace: tuple[str, str] | None = None) -> bytes:
    """The bundled scenario's MSEL exported as CSV, with the doc's two example rows added below it."""
    [example] = fenced("csv")
    new_rows = example.split("\n", 1)[1]
    if replace:
        new_rows = new_rows.replace(*replace)
    scenario = load_and_lint(BUNDLED)
    return export_msel(scenario, MselFormat.csv) + new_rows.encode("utf-8")


def test_every_column_and_condition_form_is_documented() -> None:
    for column in COLUMNS:
        assert f"| {column.header} |" in DOC
    for usage in USAGE.values():
        assert usage.split(" (e.g.")[0] in DOC


def test_the_worked_example_imports_into_the_bundled_scenario_as_shown() -> None:
    base = BaseScenario(load_and_lint(BUNDLED), BUNDLED.name, BUNDLED.read_text(encoding="utf-8"))
    assert len(base.scenario.injects) == 32, "the example numbers its rows 33 and 34"
    result = import_msel(
        base,
        worked_example(),
        "msel.csv",
        MselFormat.csv,
        new_id="incident-at-sea-fleet",
        new_title="Incident at Sea (fishing fleet)",
    )
    assert [inject.id for inject in result.scenario.injects[-2:]] == ["fishing-fleet", "fleet-turns-back"]
    [snippet] = [block for block in fenced("yaml") if "fleet-turns-back" in block]
    assert snippet in result.yaml
    assert '"injects": 34' in DOC and '"planned_minutes": 180.0' in DOC
    assert result.scenario.end / result.scenario.default_compression / 60 == 180


def test_the_documented_mistake_gives_the_documented_message() -> None:
    base = BaseScenario(load_and_lint(BUNDLED), BUNDLED.name)
    data = worked_example(("action_taken cues-order by red", "action_taken cues-orders by red"))
    with pytest.raises(ScenarioInvalid) as caught:
        import_msel(base, data, "msel.csv", MselFormat.csv, new_id="incident-at-sea-fleet")
    [problem] = caught.value.problems
    assert f"{str(problem).removeprefix('msel.csv: ')}`" in DOC
