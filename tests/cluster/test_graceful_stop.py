"""SIGTERM, as a service manager or ``docker compose stop`` sends it, to the process that owns an exercise.

It finishes the commands it has accepted (each acknowledged one is in the log, once), closes its
consoles with 1012 so they reconnect elsewhere, and frees its leases: another process takes the exercise
over at once, well before the lease would have expired, and counts the takeover in its metrics.
"""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.cluster.conftest import Cluster, Consoles, new_exercise
from tests.processes import wait_until

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis]

COMPRESSION = 60
LEASE_SECONDS = 6.0  # long, so a takeover that came from the lease expiring could not pass for a handover


async def _fire(http: httpx.AsyncClient, exercise_id: str, count: int) -> list[str]:
    """Send ``count`` ad hoc injects one after another; the ids the process acknowledged before it went."""
    acknowledged = []
    for number in range(count):
        body = {"type": "adhoc_inject", "id": f"flash-{number}", "channel": "news", "title": "Flash", "text": "…"}
        try:
            response = await http.post(f"/api/exercises/{exercise_id}/commands", json=body)
        except httpx.HTTPError:
            break  # the process has stopped listening
        if response.status_code != 200:
            break
        acknowledged.append(body["id"])
    return acknowledged


async def test_a_stopping_owner_finishes_its_commands_and_hands_its_exercises_over_at_once(
    cluster: Cluster, consoles: list[Consoles]
) -> None:
    cluster.env.update({"HOTLINE_LEASE_SECONDS": str(LEASE_SECONDS), "HOTLINE_METRICS": "open"})
    a, b = cluster.add(2)
    async with cluster.http(a) as http_a, cluster.http(b) as http_b:
        group = await new_exercise(http_a, consoles, COMPRESSION)
        exercise_id = group.id
        assert cluster.owner(exercise_id) is a
        await http_b.post(f"/api/exercises/{exercise_id}/commands", json={"type": "start", "id": "go"})
        on_a = await group.join("blue-a", a.url, token=group.token("blue"))
        control_b = await group.join("control-b", b.url)

        firing = asyncio.create_task(_fire(http_a, exercise_id, 500))
        await asyncio.sleep(0.5)
        a.signal(15)  # SIGTERM
        stopped_at = time.monotonic()
        acknowledged = await firing
        assert on_a.closed is not None
        code, _reason = await asyncio.wait_for(on_a.closed, 10)
        assert code == 1012  # "service restart": the console reconnects, through the load balancer, elsewhere

        await asyncio.to_thread(
            wait_until, lambda: cluster.owner(exercise_id) is b, LEASE_SECONDS, "the other process to take over"
        )
        handed_over_after = time.monotonic() - stopped_at
        assert handed_over_after < LEASE_SECONDS / 2, f"taken over after {handed_over_after:.1f} s"
        await asyncio.to_thread(a.process.wait, 20)  # type: ignore[union-attr]

        log = (await http_b.get(f"/api/exercises/{exercise_id}/events", params={"limit": 5000})).json()
        metrics = (await http_b.get("/metrics")).text

    committed = [event["command_id"] for event in log if event["type"] == "inject_released" and event["command_id"]]
    assert acknowledged, "the process acknowledged nothing before it stopped"
    assert set(acknowledged) <= set(committed), "an acknowledged command is missing from the log"
    assert len(committed) == len(set(committed))
    takeovers = {
        sample.name: sample.value
        for family in text_string_to_metric_families(metrics)
        for sample in family.samples
        if sample.name == "hotline_lease_takeovers_total"
    }
    assert takeovers["hotline_lease_takeovers_total"] >= 1
    await control_b.wait_for(lambda event: event["seq"] >= log[-1]["seq"], timeout=10)
    assert "Application shutdown complete" in a.output()
