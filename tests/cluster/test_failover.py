"""The owner dies, or freezes: another process takes over, and nothing is lost, repeated or released twice."""

from __future__ import annotations

import asyncio
import signal
import time
from datetime import datetime
from typing import Any

import pytest

from tests.cluster.conftest import Cluster, Consoles, new_exercise
from tests.cluster.streams import assert_no_gap_no_duplicate, assert_whole_log, releases
from tests.processes import wait_until

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis]

COMPRESSION = 1800  # one wall second is 30 scenario minutes: I2 falls due 2 s after STARTEX, I3 4 s after
FAST = 3600  # one wall second is a scenario hour: I2 due 1 s after STARTEX, I3 2 s, I4 6 s
TAKEOVER_SECONDS = 5.0


def anchored(event: dict[str, Any], anchor: dict[str, Any]) -> float:
    """The scenario time the exercise's clock anchor gives for the event's wall time."""
    elapsed = (datetime.fromisoformat(event["wall_time"]) - datetime.fromisoformat(anchor["wall"])).total_seconds()
    return float(anchor["scenario"]) + elapsed * float(anchor["compression"])


async def test_when_the_owner_is_killed_another_process_takes_over_within_five_seconds(
    cluster: Cluster, consoles: list[Consoles]
) -> None:
    cluster.env["HOTLINE_LATE_AFTER_SECONDS"] = "1"
    a, b, c = cluster.add(3)
    async with cluster.http(b) as http_b, cluster.http(a) as http_a:
        group = await new_exercise(http_a, consoles, FAST)
        exercise, exercise_id = group.exercise, group.id
        control_b = await group.join("control-b", b.url)
        control_c = await group.join("control-c", c.url)
        blue_c = await group.join("blue-c", c.url, token=group.token("blue"))
        red_b = await group.join("red-b", b.url, token=group.token("red"))
        await group.join("observer-a", a.url, token=group.token(None, kind="observer"))  # only on the owner
        assert cluster.owner(exercise_id) is a
        await http_b.post(f"/api/exercises/{exercise_id}/commands", json={"type": "start", "id": "go"})
        await control_b.wait_type("inject_released", inject_id="I1")
        a.kill()  # SIGKILL: no goodbye, its lease simply stops being renewed
        killed_at = time.monotonic()

        await red_b.command({"type": "send_chat", "text": "Is anyone still there?"})  # commands go on meanwhile
        wait_until(lambda: cluster.owner(exercise_id) in (b, c), TAKEOVER_SECONDS + 2, "another process to take over")
        took_over_after = time.monotonic() - killed_at
        assert took_over_after <= TAKEOVER_SECONDS
        new_owner = cluster.owner(exercise_id)

        await control_c.wait_type("inject_released", timeout=15, inject_id="I4")  # T+06:00: 6 s after STARTEX
        log = (await http_b.get(f"/api/exercises/{exercise_id}/events", params={"limit": 5000})).json()

    released = releases(log)
    assert len(released) == len(set(released)), f"an inject was released twice: {released}"
    by_id = {e["payload"]["inject_id"]: e for e in log if e["type"] == "inject_released"}
    # Every release is marked late exactly when it went out more than a wall second after its time.
    assert not by_id["I4"]["payload"]["late"]  # due after the takeover
    for event in by_id.values():
        lag = (event["scenario_time"] - event["payload"]["due_at"]) / FAST
        if abs(lag - 1.0) > 0.05:
            assert event["payload"]["late"] == (lag > 1.0), event
    assert [by_id[i]["payload"]["due_at"] for i in released] == sorted(by_id[i]["payload"]["due_at"] for i in released)
    for event in by_id.values():
        assert event["scenario_time"] >= event["payload"]["due_at"] - 1  # never early
    # The new owner's clock is the exercise's: every time it stamped agrees with the clock anchor.
    anchor = next(e for e in log if e["type"] == "exercise_started")["payload"]["clock"]
    for event in log:
        if event["seq"] > by_id["I1"]["seq"]:
            assert abs(event["scenario_time"] - anchored(event, anchor)) <= 1.0

    head = log[-1]["seq"]
    for client in (control_b, control_c, blue_c, red_b):
        await client.wait_for(lambda e: e["seq"] >= head, timeout=10)
        assert_no_gap_no_duplicate(client)
    for client in (control_b, control_c):
        assert_whole_log(client, head)
    # The observer's seat was open only on the dead process: it goes offline once that process is cleaned up.
    observer = next(s["id"] for s in exercise["seats"] if s["kind"] == "observer")
    await control_c.wait_for(
        lambda e: (
            e["type"] == "presence_changed" and e["payload"] == e["payload"] | {"seat_id": observer, "online": False}
        ),
        timeout=10,
    )
    assert new_owner is not None and new_owner.health()["exercises_owned"] == 1


async def test_a_frozen_owner_that_wakes_up_after_the_takeover_cannot_append(
    cluster: Cluster, consoles: list[Consoles]
) -> None:
    cluster.env["HOTLINE_LATE_AFTER_SECONDS"] = "1"
    a, b = cluster.add(2)
    async with cluster.http(a) as http_a, cluster.http(b) as http_b:
        group = await new_exercise(http_a, consoles, FAST)
        exercise_id = group.id
        control_b = await group.join("control-b", b.url)
        await http_a.post(f"/api/exercises/{exercise_id}/commands", json={"type": "start", "id": "go"})
        await control_b.wait_type("inject_released", inject_id="I1")
        a.signal(signal.SIGSTOP)  # frozen with its timers armed: I2 and I3 fall due while it sleeps
        frozen_at = time.monotonic()
        # Its process still exists, so only its lease tells the others: they wait for the lease to run out.
        wait_until(lambda: cluster.owner(exercise_id) is b, TAKEOVER_SECONDS + 2, "the other process to take over")
        assert time.monotonic() - frozen_at <= TAKEOVER_SECONDS
        await control_b.wait_type("inject_released", timeout=10, inject_id="I3")
        a.signal(signal.SIGCONT)  # wakes up believing it owns the exercise, with I2 and I3 overdue

        wait_until(lambda: "lease" in a.output(), 10, "the stale owner to notice")
        await asyncio.sleep(1.0)  # room for any append it might still try
        log = (await http_b.get(f"/api/exercises/{exercise_id}/events", params={"limit": 5000})).json()
        assert a.health()["exercises_owned"] == 0 and b.health()["exercises_owned"] == 1

    released = releases(log)
    assert len(released) == len(set(released)), f"an inject was released twice: {released}"
    i2 = next(e for e in log if e["type"] == "inject_released" and e["payload"]["inject_id"] == "I2")
    assert i2["payload"]["late"]  # overdue at the takeover: released at once, marked late (today's recovery)
    output = a.output()
    assert "refused to append as owner" in output or "its lease was taken over" in output, output
    assert f"exercise {exercise_id}: lease token 1 is stale" in output, output
    assert_no_gap_no_duplicate(control_b)
