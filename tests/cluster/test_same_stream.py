"""Three server processes, consoles of one exercise spread over all three, commands sent to every one of them:
every console gets the same events in the same order, each command is applied once, the log replays."""

from __future__ import annotations

import asyncio

import pytest

from tests.cluster.conftest import Cluster, Consoles, new_exercise
from tests.cluster.streams import assert_same_as, assert_whole_log, releases

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis]

COMPRESSION = 1800  # I2 (T+01:00) falls due 2 s after STARTEX, I3 (T+02:00) 4 s after


async def test_consoles_on_three_processes_get_the_same_stream(cluster: Cluster, consoles: list[Consoles]) -> None:
    a, b, c = cluster.add(3)
    async with cluster.http(a) as http_a, cluster.http(b) as http_b, cluster.http(c) as http_c:
        group = await new_exercise(http_a, consoles, COMPRESSION)
        exercise, exercise_id = group.exercise, group.id
        for name, server in (("control-a", a), ("control-b", b), ("control-c", c)):
            await group.join(name, server.url)
        blue, red = group.token("blue"), group.token("red")
        blue_b = await group.join("blue-b", b.url, token=blue)
        blue_c = await group.join("blue-c", c.url, token=blue)
        await group.join("red-a", a.url, token=red)
        red_c = await group.join("red-c", c.url, token=red)
        await group.join("observer-b", b.url, token=group.token(None, kind="observer"))
        assert cluster.owner(exercise_id) is a  # created there

        started = await http_b.post(f"/api/exercises/{exercise_id}/commands", json={"type": "start", "id": "go"})
        assert started.status_code == 200, started.text  # through a process that does not own the exercise

        # Commands through both other processes at once, while the owner releases injects on its timers.
        chats = [blue_b.command({"type": "send_chat", "text": f"blue via b {n}"}) for n in range(8)]
        chats += [red_c.command({"type": "send_chat", "text": f"red via c {n}"}) for n in range(8)]
        chats += [blue_c.command({"type": "take_action", "action_id": "apologise"})]
        acks = await asyncio.gather(*chats)
        assert all(ack["type"] == "ack" and len(ack["seqs"]) == 1 for ack in acks)
        assert len({ack["seqs"][0] for ack in acks}) == len(acks)  # each its own place in the log

        request = await blue_b.command({"type": "call_request", "channel": "hotline"})
        call = await red_c.wait_for(lambda e: e["type"] == "call_requested" and e["seq"] == request["seqs"][0])
        await red_c.command({"type": "call_accept", "call_id": call["payload"]["call_id"]})
        await blue_c.command(
            {"type": "call_message", "call_id": call["payload"]["call_id"], "facts": "Our crew is safe"}
        )

        # A command resent with the same id through another process is applied once, with the first answer.
        first = await blue_b.command({"type": "send_chat", "id": "resent", "text": "Exactly once"})
        again = await blue_c.command({"type": "send_chat", "id": "resent", "text": "Exactly once"})
        assert again["duplicate"] and again["seqs"] == first["seqs"]
        refused = await blue_c.request({"type": "call_accept", "call_id": "call-99"})
        assert refused["type"] == "error" and refused["code"] == "not_found"  # the same errors as one process

        await group.clients["control-c"].wait_type("inject_released", timeout=15, inject_id="I3")
        log = (await http_c.get(f"/api/exercises/{exercise_id}/events", params={"limit": 5000})).json()
        head = log[-1]["seq"]
        for client in group.clients.values():
            await client.wait_for(lambda e, head=head: e["seq"] >= head, timeout=10)

        for name in ("control-a", "control-b", "control-c"):
            assert_whole_log(group.clients[name], head)
            assert group.clients[name].events[:head] == [e for e in log if e["seq"] <= head]
        assert releases(log)[:3] == ["I1", "I2", "I3"] and len(set(releases(log))) == len(releases(log))
        # An operator reading every process's log sees each event once, from the process that committed it.
        lines = [line for server in (a, b, c) for line in server.output().splitlines() if exercise_id in line]
        for said in ("STARTEX", "inject I1 released", "inject I2 released", "inject I3 released"):
            assert len([line for line in lines if f"app.exercise: {said} " in line]) == 1, said
        assert any("app.exercise: STARTEX " in line for line in b.output().splitlines()), "b applied the start"
        for name, replay_at in (("blue-b", c), ("blue-c", a), ("red-a", b), ("red-c", b), ("observer-b", a)):
            replay = await group.join(f"replay-{name}", replay_at.url, token=group.clients[name].token)
            assert_same_as(group.clients[name], replay, up_to=head)

        # Seats are online over all processes, with the number of devices on each.
        seats = {seat["id"]: seat for seat in (await http_a.get(f"/api/exercises/{exercise_id}/seats")).json()}
        blue_seat = next(s for s in exercise["seats"] if s["team"] == "blue" and s["role"] is None)
        assert (
            seats[blue_seat["id"]]["online"] and seats[blue_seat["id"]]["devices"] == 4
        )  # on b, on c, and replays on c and a

        # The log replays: a process imports the export another one wrote.
        exported = (await http_b.get(f"/api/exercises/{exercise_id}/export")).content
        imported = await http_c.post("/api/exercises/import", content=exported)
        assert imported.status_code == 201, imported.text

        # Revoking a seat on one process closes its consoles on every process.
        red_seat = next(s for s in exercise["seats"] if s["team"] == "red" and s["role"] is None)
        assert (await http_c.delete(f"/api/exercises/{exercise_id}/seats/{red_seat['id']}")).status_code == 200
        for name in ("red-a", "red-c", "replay-red-a", "replay-red-c"):
            closed = group.clients[name].closed
            assert closed is not None
            code, reason = await asyncio.wait_for(closed, 10)
            assert code == 4401 and "revoked" in reason
