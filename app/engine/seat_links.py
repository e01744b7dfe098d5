"""Seat links this process has checked, so a storm of consoles joining on a few links costs a few lookups.

Thousands of consoles join an exercise on a handful of seat links (a team's screen in every room), and
each join used to look its link up in the database: two queries on a database thread, with the GIL taken
from the event loop for each, thousands of times over (docs/performance.md, "Join and reconnect storms").

A link found valid is remembered with the seq of the seat's latest ``seat_issued`` event as this
process's state knew it. It stays good while that state agrees: the seat is not revoked and has not been
given a new link since (either comes as an event in the log, on every process). An entry whose seat has
moved on is dropped and the database asked again. Only exercises that have not ended are remembered: an
ended one may be deleted. The join checks again once its runtime has caught up with the log, so a link
revoked or reissued on another process a moment before is refused even if its event was still on its way.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.engine.principal import Principal
from app.engine.state import ExerciseState
from app.models import SeatRow

MAX_LINKS = 10_000
"""A bound on memory against a flood of distinct valid links (each is a seat someone issued)."""


@dataclass(frozen=True)
class _Known:
    seat: SeatRow
    principal: Principal
    issued_seq: int


class SeatLinks:
    def __init__(self) -> None:
        self._known: dict[str, _Known] = {}

    def principal(self, token_hash: str, exercise_id: str, state: ExerciseState) -> Principal | None:
        """Who this link opens the exercise to, if it was checked before and nothing about its seat has
        changed since."""
        known = self._known.get(token_hash)
        if known is None:
            return None
        seat = known.seat
        if seat.exercise_id != exercise_id or not _current(state, seat.id, known.issued_seq):
            self._known.pop(token_hash, None)
            return None
        return known.principal

    def remember(
        self,
        token_hash: str,
        seat: SeatRow,
        principal: Principal,
        issued_before: dict[str, int],
        state: ExerciseState,
    ) -> None:
        """Remember a link the database found valid. ``issued_before`` is the state's ``links_issued`` as it
        was before the database was asked: a reissue folded while the query ran must make the entry stale,
        since the query may have read the seat before that reissue committed."""
        if state.status == "ended" or seat.id in state.revoked:
            return
        if len(self._known) >= MAX_LINKS:
            self._known.clear()
        self._known[token_hash] = _Known(seat, principal, issued_before.get(seat.id, 0))

    def forget_exercise(self, exercise_id: str) -> None:
        for token_hash in [key for key, known in self._known.items() if known.seat.exercise_id == exercise_id]:
            del self._known[token_hash]


def _current(state: ExerciseState, seat_id: str, issued_seq: int) -> bool:
    return state.status != "ended" and seat_id not in state.revoked and state.links_issued.get(seat_id, 0) == issued_seq
