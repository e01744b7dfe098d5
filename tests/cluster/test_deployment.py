"""Deployments as an operator sets them up: behind haproxy with no sticky sessions, ``--workers``, and the
refusal of a second process on one SQLite file."""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path

import httpx
import pytest

from tests.cluster.conftest import Cluster, Consoles, new_exercise
from tests.cluster.streams import assert_same_as, assert_whole_log
from tests.processes import HaproxyProcess, HotlineProcess, wait_until

pytestmark = pytest.mark.slow
COMPRESSION = 1800


@pytest.mark.postgres
@pytest.mark.redis
async def test_an_exercise_runs_behind_haproxy_with_no_sticky_sessions(
    cluster: Cluster, consoles: list[Consoles], tmp_path: Path
) -> None:
    cluster.env.update({"HOTLINE_PROXY_HEADERS": "true", "HOTLINE_FORWARDED_ALLOW_IPS": "127.0.0.1"})
    a, b = cluster.add(2)
    proxy = HaproxyProcess(tmp_path / "haproxy", [a, b])
    proxy.start()
    try:
        names = {a.health()["process"], b.health()["process"]}

        def both_serve() -> bool:
            seen = set()
            for _ in range(6):
                try:
                    seen.add(httpx.get(f"{proxy.url}/api/health", timeout=1).json()["process"])
                except (httpx.HTTPError, ValueError):
                    return False
            return seen == names

        wait_until(both_serve, 15, "haproxy to send requests to both processes")
        async with cluster.http(proxy.url) as http:
            group = await new_exercise(http, consoles, COMPRESSION)
            exercise_id = group.id
            for number in range(2):
                await group.join(f"control-{number}", proxy.url)
                await group.join(f"blue-{number}", proxy.url, token=group.token("blue"))
                await group.join(f"red-{number}", proxy.url, token=group.token("red"))
            assert a.health()["consoles"] >= 1 and b.health()["consoles"] >= 1  # spread over both

            started = await http.post(f"/api/exercises/{exercise_id}/commands", json={"type": "start", "id": "go"})
            assert started.status_code == 200
            blue, red = group.clients["blue-0"], group.clients["red-1"]
            await asyncio.gather(*(blue.command({"type": "send_chat", "text": f"via haproxy {n}"}) for n in range(5)))
            await red.command({"type": "take_action", "action_id": "apologise"})
            await group.clients["control-1"].wait_type("inject_released", timeout=10, inject_id="I2")
            log = (await http.get(f"/api/exercises/{exercise_id}/events", params={"limit": 5000})).json()
            head = log[-1]["seq"]
            for client in group.clients.values():
                await client.wait_for(lambda e, head=head: e["seq"] >= head, timeout=10)
            for number in range(2):
                assert_whole_log(group.clients[f"control-{number}"], head)
                assert_same_as(group.clients[f"blue-{number}"], group.clients["blue-0"], up_to=head)
                assert_same_as(group.clients[f"red-{number}"], group.clients["red-0"], up_to=head)
            scores = await http.get(f"/api/exercises/{exercise_id}/scores")
            assert scores.status_code == 200 and scores.json()["last_seq"] >= head - 1
            seats = (await http.get(f"/api/exercises/{exercise_id}/seats")).json()
            assert sum(seat["devices"] for seat in seats) == 4  # two consoles on each team seat
    finally:
        proxy.stop()


@pytest.mark.postgres
@pytest.mark.redis
def test_serve_with_workers_starts_processes_that_share_the_port(cluster: Cluster) -> None:
    server = HotlineProcess(
        cluster.folder / "workers",
        cluster.database_url,
        env={"HOTLINE_BROKER_URL": cluster.broker_url, "HOTLINE_BROKER_PREFIX": cluster.prefix},
    )
    server.start(extra=["--workers", "2"])
    try:
        seen: set[object] = set()

        def both_answer() -> bool:
            seen.add(
                httpx.get(f"{server.url}/api/health", headers={"Connection": "close"}, timeout=2).json()["process"]
            )
            return len(seen) == 2

        wait_until(both_answer, 20, "both worker processes to answer on the one port", interval=0.01)
    finally:
        server.stop()
    assert "processes:       2, sharing port" in server.output()


def test_a_second_process_on_one_sqlite_file_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'hotline.db'}"
    first = HotlineProcess(tmp_path / "first", database)
    second = HotlineProcess(tmp_path / "second", database)
    first.start()
    try:
        second.start(wait=False)
        assert second.process is not None
        try:
            code = second.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            second.kill()
            raise AssertionError(f"the second process did not give up:\n{second.output()}") from None
        output = second.output()
        assert code == 1, output
        assert f"is already served by process {first.pid}" in output and "PostgreSQL" in output, output
        assert first.healthy()  # the first one never noticed
        workers = subprocess.run(
            [*second_command(second), "--workers", "2"], capture_output=True, text=True, timeout=30, env=second.env
        )
        assert workers.returncode == 1 and "needs PostgreSQL" in workers.stderr
    finally:
        first.stop()


def second_command(server: HotlineProcess) -> list[str]:
    import sys

    return [sys.executable, "-m", "app.cli", "serve", "--port", str(server.port), "--db", server.database_url]
