"""Redis stops for a few seconds mid-exercise and starts again: nothing is lost, consoles catch up from the log."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cluster.conftest import Cluster, Consoles, new_exercise
from tests.cluster.streams import assert_same_as, assert_whole_log, releases
from tests.processes import RedisProcess

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis]

COMPRESSION = 1800  # injects fall due every couple of wall seconds


@pytest.fixture
def private_redis(tmp_path: Path, redis_url: str) -> Iterator[RedisProcess]:
    """A redis-server of this test's own, on a free port (the shared one is never stopped)."""
    server = RedisProcess(tmp_path / "redis")
    server.start()
    try:
        yield server
    finally:
        server.stop()


async def test_a_broker_restart_loses_nothing(
    tmp_path: Path, postgres_url: str, private_redis: RedisProcess, consoles: list[Consoles]
) -> None:
    cluster = Cluster(tmp_path, postgres_url, private_redis.url)
    try:
        a, b = cluster.add(2)
        async with cluster.http(a) as http_a:
            group = await new_exercise(http_a, consoles, COMPRESSION)
            exercise_id = group.id
            control_b = await group.join("control-b", b.url)
            blue_b = await group.join("blue-b", b.url, token=group.token("blue"))
            red_a = await group.join("red-a", a.url, token=group.token("red"))
            await http_a.post(f"/api/exercises/{exercise_id}/commands", json={"type": "start", "id": "go"})
            await control_b.wait_type("inject_released", inject_id="I1")

            private_redis.stop()  # the broker goes away mid-exercise
            sent_while_down = [await blue_b.command({"type": "send_chat", "text": f"while down {n}"}) for n in range(3)]
            sent_while_down.append(await red_a.command({"type": "take_action", "action_id": "apologise"}))
            # The owner goes on releasing injects; the other process delivers them from the log meanwhile.
            await control_b.wait_type("inject_released", timeout=10, inject_id="I2")
            await asyncio.sleep(2.0)
            private_redis.start()  # back, empty: whatever was published meanwhile is gone from it

            after = await blue_b.command({"type": "send_chat", "text": "after the restart"})
            await control_b.wait_type("inject_released", timeout=15, inject_id="I4")
            log = (await http_a.get(f"/api/exercises/{exercise_id}/events", params={"limit": 5000})).json()
            head = log[-1]["seq"]
            for client in group.clients.values():
                await client.wait_for(lambda e, head=head: e["seq"] >= head, timeout=10)

            assert_whole_log(control_b, head)
            assert control_b.events[:head] == [e for e in log if e["seq"] <= head]
            seen_by_red = {e["seq"] for e in red_a.events}
            assert {ack["seqs"][0] for ack in sent_while_down[:3]} <= {e["seq"] for e in blue_b.events}
            assert after["seqs"][0] in {e["seq"] for e in blue_b.events}
            assert sent_while_down[3]["seqs"][0] in seen_by_red
            assert len(releases(log)) == len(set(releases(log)))
            for name, replay_at in (("blue-b", a), ("red-a", b)):
                replay = await group.join(f"replay-{name}", replay_at.url, token=group.clients[name].token)
                assert_same_as(group.clients[name], replay, up_to=head)
    finally:
        cluster.stop()
