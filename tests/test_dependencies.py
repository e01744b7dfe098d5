"""The server's own code imports only what a plain install (`make run`, no test extras) provides."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions, requires

from tests.conftest import PROJECT

OPTIONAL = {"psycopg", "redis"}  # extras `postgres` and `redis`, imported only when configured


def _name(requirement: str) -> str:
    return re.split(r"[\[<>=!~; ]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _installed_by_plain_install() -> set[str]:
    """The declared dependencies and what they in turn require (not their extras)."""
    project = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {_name(requirement) for requirement in project["dependencies"]}
    brought = {
        _name(requirement)
        for package in declared
        for requirement in requires(package) or []
        if "extra ==" not in requirement
    }
    return declared | brought


def _third_party_imports() -> dict[str, str]:
    """Top-level module → a file of app/ that imports it."""
    found: dict[str, str] = {}
    for path in sorted((PROJECT / "app").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top != "app" and top not in sys.stdlib_module_names and top not in OPTIONAL:
                    found.setdefault(top, str(path.relative_to(PROJECT)))
    return found


def test_app_imports_only_declared_dependencies() -> None:
    installed = _installed_by_plain_install()
    owners = packages_distributions()
    missing = {
        module: where
        for module, where in _third_party_imports().items()
        if not {owner.lower().replace("_", "-") for owner in owners.get(module, [module])} & installed
    }
    assert not missing, f"imported by app/ but not installed by `pip install .`: {missing}"
