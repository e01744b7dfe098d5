"""``hotline backup`` while a real server writes, and ``hotline restore`` refused until it has stopped."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import httpx
import pytest

from tests.conftest import PROJECT
from tests.ops.conftest import SECRET, Served

pytestmark = pytest.mark.slow


def hotline(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "app.cli", *args]
    return subprocess.run(command, cwd=PROJECT, capture_output=True, text=True, timeout=60)


async def hotline_async(*args: str) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "app.cli", *args, cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    output, _ = await process.communicate()
    return process.returncode or 0, output.decode()


def seqs_by_exercise(database: Path) -> dict[str, list[int]]:
    with closing(sqlite3.connect(database)) as connection:  # closed: an open connection is a database in use
        rows = connection.execute("SELECT exercise_id, seq FROM events ORDER BY exercise_id, seq").fetchall()
    found: dict[str, list[int]] = {}
    for exercise_id, seq in rows:
        found.setdefault(exercise_id, []).append(seq)
    return found


async def _write_while_backing_up(server: Served, exercise_id: str, backups: list[Path]) -> list[str]:
    """Fire ad hoc injects as fast as the server takes them while the backups are taken."""
    outputs: list[str] = []
    done = asyncio.Event()

    async def fire() -> None:
        async with httpx.AsyncClient(base_url=server.url, headers={"Authorization": f"Bearer {SECRET}"}) as http:
            number = 0
            while not done.is_set():
                number += 1
                body = {"type": "adhoc_inject", "id": f"flash-{number}", "channel": "news", "title": "Flash"}
                response = await http.post(f"/api/exercises/{exercise_id}/commands", json={**body, "text": "…"})
                assert response.status_code == 200, response.text

    writer = asyncio.create_task(fire())
    try:
        for backup in backups:
            await asyncio.sleep(0.3)
            code, output = await hotline_async("backup", "--out", str(backup), "--db", str(server.database))
            assert code == 0, output
            outputs.append(output)
    finally:
        done.set()
        await writer
    return outputs


async def test_backups_of_a_busy_server_are_consistent_and_restore_waits_for_it_to_stop(tmp_path: Path) -> None:
    server = Served(tmp_path / "server")
    try:
        server.start()
        exercise_id = server.create_exercise("mini")["id"]
        server.control(exercise_id, "start")
        backups = [tmp_path / f"backup-{number}.db" for number in range(3)]
        outputs = await _write_while_backing_up(server, exercise_id, backups)
        assert all("Backed up" in output and "events" in output for output in outputs)
        taken = [seqs_by_exercise(backup)[exercise_id] for backup in backups]
        for seqs in taken:  # each a snapshot: the log from seq 1 without a gap, never half a command
            assert seqs == list(range(1, len(seqs) + 1))
        assert len(taken[0]) < len(taken[1]) < len(taken[2])

        again = hotline("backup", "--out", str(backups[0]), "--db", str(server.database))
        assert again.returncode == 1 and "--force" in again.stderr

        refused = hotline("restore", str(backups[0]), "--db", str(server.database))
        assert refused.returncode == 1
        assert "in use by a running server" in refused.stderr and "Stop the server first" in refused.stderr
        assert server.http.get("/api/ready").status_code == 200
    finally:
        server.stop()
    latest = len(seqs_by_exercise(server.database)[exercise_id])
    assert latest > len(taken[2])

    restored = hotline("restore", str(backups[1]), "--db", str(server.database))
    assert restored.returncode == 0, restored.stderr
    kept = sorted(server.data_dir.glob("hotline.db.before-restore-*"))
    assert len(kept) == 1 and len(seqs_by_exercise(kept[0])[exercise_id]) == latest  # nothing lost by mistake
    assert (kept[0].stat().st_mode & 0o077) == 0

    server = Served(server.data_dir)  # the restored database serves as it was at the backup
    try:
        server.start()
        events = server.http.get(f"/api/exercises/{exercise_id}/events", params={"limit": 5000}).json()
        assert [event["seq"] for event in events] == taken[1]
        assert server.control(exercise_id, "pause", reason="after the restore")["seqs"] == [len(taken[1]) + 1]
    finally:
        server.stop()


def test_restore_refuses_what_is_not_a_hotline_backup(tmp_path: Path) -> None:
    not_sqlite = tmp_path / "notes.db"
    not_sqlite.write_text("hello", encoding="utf-8")
    other = tmp_path / "other.db"
    with closing(sqlite3.connect(other)) as connection:
        connection.execute("CREATE TABLE things (id INTEGER)")
    target = tmp_path / "hotline.db"
    refusals = ((tmp_path / "missing.db", "no such file"), (not_sqlite, "not a SQLite"), (other, "not a Hotline"))
    for backup, says in refusals:
        result = hotline("restore", str(backup), "--db", str(target))
        assert result.returncode == 1 and says in result.stderr, result.stderr
    assert not target.exists()
