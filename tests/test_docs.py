"""The README stays true to the code: every setting is documented, the quick start is two commands."""

from __future__ import annotations

import re

from app.config import Settings
from tests.conftest import PROJECT

README = (PROJECT / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_in_the_configuration_table() -> None:
    documented = set(re.findall(r"^\| `(HOTLINE_[A-Z_]+)` \|", README, flags=re.MULTILINE))
    expected = {f"HOTLINE_{name.upper()}" for name in Settings.model_fields}
    assert documented == expected


def test_quick_start_needs_only_make_run_and_make_test() -> None:
    quick_start = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    first_block = quick_start.split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#", 1)[0].strip() for line in first_block.strip().splitlines()]
    assert commands == ["make run", "make test"]
