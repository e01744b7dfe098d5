"""Export then import gives back the same MSEL, for every bundled scenario, in both formats."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.scenario.msel import BaseScenario, MselFormat, export_msel, import_msel
from app.scenario.schema import Scenario
from app.scenario.validate import load_and_lint, parse_and_lint
from tests.scenario.helpers import FIXTURES, PROJECT

SCENARIO_FILES = [*sorted((PROJECT / "injects").glob("*.yaml")), FIXTURES / "mini.yaml"]


def _base(path: Path) -> BaseScenario:
    return BaseScenario(load_and_lint(path), path.name, path.read_text(encoding="utf-8"))


def test_every_bundled_scenario_is_covered() -> None:
    assert len(SCENARIO_FILES) >= 2
    assert PROJECT / "injects" / "incident-at-sea.yaml" in SCENARIO_FILES


@pytest.mark.parametrize("fmt", list(MselFormat))
@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda path: path.stem)
def test_export_then_import_gives_back_the_same_msel(path: Path, fmt: MselFormat) -> None:
    base = _base(path)
    result = import_msel(base, export_msel(base.scenario, fmt), f"msel.{fmt}", fmt)
    assert result.scenario.injects == base.scenario.injects
    assert result.scenario == base.scenario  # nothing but the MSEL came from the sheet, and it is unchanged
    assert parse_and_lint(result.yaml, "written.yaml") == base.scenario


def test_written_yaml_is_block_style_in_schema_order_with_unicode_kept() -> None:
    base = _base(FIXTURES / "mini.yaml")
    text = import_msel(base, export_msel(base.scenario, MselFormat.csv), "msel.csv", MselFormat.csv).yaml
    top_keys = [line.split(":", 1)[0] for line in text.splitlines() if line[:1].isalpha()]
    schema_order = [name for name in Scenario.model_fields if name in top_keys]
    assert top_keys == schema_order
    assert top_keys[:3] == ["id", "version", "title"]
    assert "小型危机" in text and "\\u" not in text
    assert "{" not in text and "[" not in text  # no flow-style mappings or lists
    assert "  - id: C2\n    condition:\n      type: action_taken\n      action: show-of-force\n" in text
    assert "decision_window: 02:00\n" in text  # durations read as durations, times as T+HH:MM
    assert text.startswith("# Scenario 'mini': MSEL imported from msel.csv, everything else from mini.yaml.\n")


# Texts as facilitators type them: any script, line breaks, tabs, leading and trailing spaces, '=' and quotes.
_texts = st.text(
    alphabet=st.characters(exclude_categories=("Cs", "Cc")) | st.sampled_from(["\n", "\t", " ", "=", "'", '"', ";"]),
    min_size=1,
    max_size=120,
).filter(lambda text: text.strip() != "")


@settings(max_examples=25, deadline=None)
@given(title=_texts.map(lambda text: text.replace("\n", " ")[:200]), text=_texts, notes=_texts | st.just(""))
def test_any_inject_text_survives_the_round_trip(title: str, text: str, notes: str) -> None:
    base = _base(FIXTURES / "mini.yaml")
    first = base.scenario.injects[0].model_copy(update={"title": title, "text": text, "notes": notes})
    scenario = base.scenario.model_copy(update={"injects": [first, *base.scenario.injects[1:]]})
    changed = BaseScenario(scenario, "mini.yaml")
    for fmt in MselFormat:
        result = import_msel(changed, export_msel(scenario, fmt), f"msel.{fmt}", fmt)
        assert result.scenario.injects[0] == first
