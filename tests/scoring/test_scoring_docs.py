"""docs/scoring.md stays true to the code: a section per metric with its default weight and name."""

from __future__ import annotations

import re

import pytest
import yaml

from app.scenario.schema import METRIC_IDS, ScoringParams
from app.scoring.catalog import NAMES
from tests.conftest import PROJECT

GUIDE = (PROJECT / "docs" / "scoring.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("metric", METRIC_IDS)
def test_each_metric_has_a_section_with_its_default_weight(metric: str) -> None:
    heading = re.search(rf"^### {metric} — (.+) \(weight ([0-9.]+)(, gated)?\)$", GUIDE, flags=re.MULTILINE)
    assert heading is not None, f"docs/scoring.md has no section for {metric}"
    assert heading.group(1) == NAMES[metric]
    assert float(heading.group(2)) == ScoringParams().weights[metric]
    assert (heading.group(3) is not None) == (metric in {"RX", "OV", "MR", "GO"})


def test_the_override_example_is_a_valid_scoring_block() -> None:
    block = GUIDE.split("```yaml", 1)[1].split("```", 1)[0]
    params = ScoringParams.model_validate(yaml.safe_load(block)["scoring"])
    assert sum(params.weights.values()) == pytest.approx(1.0)
    assert params.leader_contact.a == 30 * 60
