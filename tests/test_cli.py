"""The `hotline` command as a user runs it: validate, schema, export, import and serve."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import time
from pathlib import Path

import httpx
from typer.testing import CliRunner

from app.cli import cli
from app.db import Database, make_engine, migrate
from app.engine.clock import ManualClock
from app.engine.manager import ExerciseManager
from app.scenario.loader import load_scenario
from tests.conftest import FIXTURES, PROJECT, free_port

runner = CliRunner()


def test_validate_accepts_the_bundled_scenarios() -> None:
    files = sorted(str(path) for path in (PROJECT / "injects").glob("*.yaml"))
    result = runner.invoke(cli, ["validate", *files])
    assert result.exit_code == 0, result.output
    assert "valid" in result.output


def test_validate_reports_each_problem_on_one_line_and_exits_1(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    text = (FIXTURES / "mini.yaml").read_text(encoding="utf-8")
    broken.write_text(text.replace("channel: intel, visibility", "channel: radio, visibility"), encoding="utf-8")
    result = runner.invoke(cli, ["validate", str(broken), str(FIXTURES / "mini.yaml")])
    assert result.exit_code == 1
    problem = next(line for line in result.output.splitlines() if line.startswith(str(broken)))
    assert "actions[2].channel" in problem and "radio" in problem
    assert problem.split(":")[1].isdigit()  # the YAML line


def test_schema_prints_the_json_schema() -> None:
    result = runner.invoke(cli, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.output)["title"] == "Hotline scenario"


async def test_export_and_import_through_the_command_line(tmp_path: Path) -> None:
    database = tmp_path / "hotline.db"
    engine = make_engine(f"sqlite:///{database}")
    migrate(engine)
    manager = ExerciseManager(Database(engine), ManualClock(), lambda _exercise, _events: None)
    exercise = await manager.create(load_scenario(FIXTURES / "mini.yaml"))
    manager.db.close()

    log = tmp_path / "log.jsonl"
    exported = runner.invoke(cli, ["export", exercise.id, "--out", str(log), "--db", str(database)])
    assert exported.exit_code == 0, exported.output
    assert len(log.read_text(encoding="utf-8").splitlines()) == 2  # header and exercise_created
    imported = runner.invoke(cli, ["import", str(log), "--db", str(database)])
    assert imported.exit_code == 0, imported.output
    assert imported.output.strip().startswith("ex_") and imported.output.strip() != exercise.id

    missing = runner.invoke(cli, ["export", "ex_nope", "--db", str(database)])
    assert missing.exit_code == 1 and "no exercise 'ex_nope'" in missing.output
    log.write_text("garbage\n", encoding="utf-8")
    refused = runner.invoke(cli, ["import", str(log), "--db", str(database)])
    assert refused.exit_code == 1 and f"{log}:1:" in refused.output


def test_serve_prints_a_generated_secret_once_keeps_it_private_and_shared(tmp_path: Path) -> None:
    port = free_port()
    data = tmp_path / "data"
    env = {key: value for key, value in os.environ.items() if key != "HOTLINE_SECRET"}
    env["HOTLINE_DATA_DIR"] = str(data)
    command = [sys.executable, "-m", "app.cli", "serve", "--port", str(port)]
    outputs = []
    for _ in range(2):
        process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            _wait_for_health(port)
        finally:
            process.terminate()
            outputs.append(process.communicate(timeout=10)[0])
    first, second = outputs
    found = re.search(rf"http://127\.0\.0\.1:{port}/control#secret=(\S+)", first)
    assert found is not None, first
    secret = found.group(1)
    assert "kept in the database" in first  # where every server process finds it
    assert secret not in second and "'hotline secret' prints it" in second, second  # shown once
    shown = subprocess.run([sys.executable, "-m", "app.cli", "secret"], env=env, capture_output=True, text=True)
    assert shown.returncode == 0 and shown.stdout.strip() == secret
    assert not (data / "facilitator-secret").exists()  # in no file of its own
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert stat.S_IMODE((data / "hotline.db").stat().st_mode) == 0o600


def test_serve_refuses_a_short_secret_with_a_clear_message(tmp_path: Path) -> None:
    env = {**os.environ, "HOTLINE_SECRET": "only-sixteen-chr", "HOTLINE_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "app.cli", "serve", "--port", str(free_port())],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert "HOTLINE_SECRET: must have at least 24 characters" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def _wait_for_health(port: int) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=0.5).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise AssertionError("the server did not start")
