"""Time-ordered lists of stamped items with the window queries the metrics need, in O(log n) each.

Every metric asks questions like "the first escalation of this team after seq s, if it came within an
hour" or "did this team talk between these two seqs". A ``Series`` answers them with bisection over
seqs, so scoring a long log never scans the whole log once per event.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from typing import Generic, NamedTuple, Protocol, TypeVar


class Stamped(Protocol):
    @property
    def seq(self) -> int: ...

    @property
    def time(self) -> float: ...


class Mark(NamedTuple):
    """A bare point in the log: which event, at what scenario time."""

    seq: int
    time: float


T = TypeVar("T", bound=Stamped)


class Series(Generic[T]):
    """Items in seq order (scenario time never goes backwards along seqs).

    Appending is a plain list append; the seq and time indexes the queries bisect over are built on
    the first query after a change, so digesting a long log stays a single cheap pass.
    """

    __slots__ = ("_indexed", "_items", "_seqs", "_times")

    def __init__(self) -> None:
        self._items: list[T] = []
        self._seqs: list[int] = []
        self._times: list[float] = []
        self._indexed = 0

    def add(self, item: T) -> None:
        self._items.append(item)

    def add_once(self, item: T) -> None:
        """Add unless the last item came from the same event (one event can be a message and a contact)."""
        if not self._items or self._items[-1].seq < item.seq:
            self._items.append(item)

    def _index(self) -> None:
        if self._indexed != len(self._items):
            self._seqs = [item.seq for item in self._items]
            self._times = [item.time for item in self._items]
            self._indexed = len(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[T]:
        return iter(self._items)

    def __getitem__(self, index: int) -> T:
        return self._items[index]

    @property
    def first(self) -> T | None:
        return self._items[0] if self._items else None

    def first_after(self, seq: int, until: float | None = None) -> T | None:
        """The first item after ``seq``, if there is one at or before scenario time ``until``."""
        self._index()
        index = bisect_right(self._seqs, seq)
        if index == len(self._items):
            return None
        item = self._items[index]
        if until is not None and item.time > until:
            return None
        return item

    def any_between(self, after_seq: int, before_seq: int) -> bool:
        """Whether some item lies strictly between two seqs."""
        self._index()
        index = bisect_right(self._seqs, after_seq)
        return index < len(self._seqs) and self._seqs[index] < before_seq

    def window(self, after_seq: int, until: float) -> list[T]:
        """Items after ``after_seq`` up to scenario time ``until`` (inclusive)."""
        self._index()
        start = bisect_right(self._seqs, after_seq)
        end = bisect_right(self._times, until, lo=start)
        return self._items[start:end]

    def before(self, seq: int) -> T | None:
        """The last item before ``seq``."""
        self._index()
        index = bisect_left(self._seqs, seq)
        return self._items[index - 1] if index > 0 else None

    def upto_time(self, until: float) -> list[T]:
        self._index()
        return self._items[: bisect_right(self._times, until)]
