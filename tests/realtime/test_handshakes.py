"""A burst of opening handshakes is worked a slice at a time: whatever fell due meanwhile runs between two
slices, not after the whole burst."""

from __future__ import annotations

import asyncio
import functools

from app.realtime.handshakes import HandshakeTurns, turns_for


async def test_work_that_fell_due_runs_between_slices_of_a_burst() -> None:
    loop = asyncio.get_running_loop()
    turns = HandshakeTurns(loop, slice_seconds=0.0)  # one handshake per slice
    done: list[object] = []
    finished = asyncio.Event()
    for number in range(50):
        turns.add(functools.partial(done.append, number))
    turns.add(finished.set)
    loop.call_soon(done.append, "timer")  # falls due while the burst waits
    await finished.wait()
    assert done.index("timer") <= 2
    assert [item for item in done if item != "timer"] == list(range(50))  # in the order they arrived


async def test_each_loop_has_its_own_queue() -> None:
    loop = asyncio.get_running_loop()
    assert turns_for(loop) is turns_for(loop)
    other = asyncio.new_event_loop()
    try:
        assert turns_for(other) is not turns_for(loop)
    finally:
        other.close()
