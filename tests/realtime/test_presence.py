"""Presence: a seat is online while any device holds it, and the control cell sees how many devices do."""

from __future__ import annotations

from app.realtime.client import ConsoleClient
from tests.realtime.conftest import LiveServer, seat_token


async def test_a_seat_goes_offline_only_when_its_last_device_leaves(live: LiveServer) -> None:
    exercise = await live.create_exercise()
    exercise_id = exercise["id"]
    seat_id = next(s["id"] for s in exercise["seats"] if s["team"] == "blue" and s["role"] == "leader")
    token = seat_token(exercise, "blue", "leader")
    control = live.control_console(exercise_id)
    await control.connect()
    teammate = live.console(exercise_id, seat_token(exercise, "blue", "defense"))
    await teammate.connect()
    phone, laptop = live.console(exercise_id, token), live.console(exercise_id, token)
    await phone.connect()
    await phone.live.wait()  # its seat online on one device, in the log
    await laptop.connect()
    await laptop.live.wait()

    def changes(seen_by: ConsoleClient = control) -> list[tuple[bool, int]]:
        return [
            (e["payload"]["online"], e["payload"]["devices"])
            for e in seen_by.of_type("presence_changed")
            if e["payload"]["seat_id"] == seat_id
        ]

    await control.wait_type("presence_changed", seat_id=seat_id, online=True)
    seats = {s["id"]: s for s in (await live.http.get(f"/api/exercises/{exercise_id}/seats")).json()}
    assert seats[seat_id]["online"] and seats[seat_id]["devices"] == 2
    watcher = live.control_console(exercise_id)
    hello = await watcher.connect()
    assert seat_id in hello["snapshot"]["online_seats"] and hello["snapshot"]["devices"][seat_id] == 2
    assert "devices" not in (await phone.connect())["snapshot"]  # players do not see other seats

    await laptop.close()
    await phone.close()
    await control.wait_type("presence_changed", seat_id=seat_id, online=False)
    assert changes()[0] == (True, 1) and (True, 2) in changes() and changes()[-1] == (False, 0)
    assert all(online for online, _ in changes()[:-1])  # one device leaving while another stays: still online
    await teammate.wait_type("presence_changed", seat_id=seat_id, online=False)
    assert changes(teammate) == [(True, 1), (False, 0)]  # the team hears of the seat coming and going only
    seats = {s["id"]: s for s in (await live.http.get(f"/api/exercises/{exercise_id}/seats")).json()}
    assert not seats[seat_id]["online"] and seats[seat_id]["devices"] == 0
    for console in (control, watcher, teammate):
        await console.close()
