"""How many consoles one seat, and one client address, may hold open at once.

Every websocket takes a slot for its client address when it opens, and a slot for its seat once it
has joined; both are given back when it closes. Past either cap the socket is closed with
``CloseCode.TOO_MANY_CONNECTIONS`` and a reason that says which cap and what to do. The facilitator's
control consoles count as one seat.

The counts are this process's own (see docs/security.md on several processes).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass


@dataclass(eq=False)
class Slot:
    """One socket's hold on the counters; ``release`` gives it back exactly once."""

    address: str
    seat: str | None = None
    released: bool = False


class ConnectionLimits:
    def __init__(self, per_seat: int, per_address: int) -> None:
        self.per_seat = per_seat
        self.per_address = per_address
        self._addresses: Counter[str] = Counter()
        self._seats: Counter[str] = Counter()

    def open(self, address: str) -> Slot | str:
        """A slot for a new socket from ``address``, or why it is refused."""
        if self._addresses[address] >= self.per_address:
            return (
                f"Too many consoles are open from this network address (at most {self.per_address}); "
                "close some and reconnect."
            )
        self._addresses[address] += 1
        return Slot(address)

    def join(self, slot: Slot, seat: str) -> str | None:
        """Count ``slot`` against ``seat``; None when it fits, else why it is refused."""
        if self._seats[seat] >= self.per_seat:
            return (
                f"This seat is already open in {self.per_seat} consoles, the most allowed; "
                "close one of them, or ask the facilitator for another seat link."
            )
        self._seats[seat] += 1
        slot.seat = seat
        return None

    def release(self, slot: Slot) -> None:
        if slot.released:
            return
        slot.released = True
        _decrement(self._addresses, slot.address)
        if slot.seat is not None:
            _decrement(self._seats, slot.seat)

    def open_count(self, address: str) -> int:
        return self._addresses[address]


def _decrement(counter: Counter[str], key: str) -> None:
    counter[key] -= 1
    if counter[key] <= 0:
        del counter[key]
