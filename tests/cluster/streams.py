"""What every console of an exercise must have received: the log, as its seat may see it, once, in order."""

from __future__ import annotations

from typing import Any

from app.realtime.client import ConsoleClient

Event = dict[str, Any]


def assert_no_gap_no_duplicate(client: ConsoleClient) -> None:
    seqs = [event["seq"] for event in client.events]
    assert client.duplicates == 0, f"{client.duplicates} duplicate event(s)"
    assert seqs == sorted(set(seqs)), "events out of order or repeated"


def assert_same_as(client: ConsoleClient, replay: ConsoleClient, *, up_to: int) -> None:
    """``client`` (live) got exactly what ``replay`` (a fresh console of the same seat, elsewhere) reads
    back from the log, up to seq ``up_to``: same events, same order, same content."""
    assert_no_gap_no_duplicate(client)
    live = [event for event in client.events if event["seq"] <= up_to]
    again = [event for event in replay.events if event["seq"] <= up_to]
    assert [event["seq"] for event in live] == [event["seq"] for event in again]
    assert live == again


def assert_whole_log(client: ConsoleClient, head: int) -> None:
    """A control console sees every event: seqs 1..head, each once."""
    assert_no_gap_no_duplicate(client)
    assert [event["seq"] for event in client.events if event["seq"] <= head] == list(range(1, head + 1))


def releases(events: list[Event]) -> list[str]:
    return [event["payload"]["inject_id"] for event in events if event["type"] == "inject_released"]
