"""Failed sign-ins are throttled per client address: guessing secrets gets slow, and is logged.

Each address has a bucket of ``burst`` failures that refills at ``burst`` per ``window`` seconds.
A wrong facilitator secret, seat token or reviewer key takes one; while the bucket is empty every
attempt from that address is refused with "try again in N s" *before* its credentials are checked,
so a right guess during the pause is not recognised either. The moment an address runs out is
logged once (not every refusal, so an attacker cannot flood the log).

The state lives in this process (see docs/security.md on several processes); it is bounded: at
most ``max_addresses`` addresses are tracked, the oldest forgotten first.
"""

from __future__ import annotations

import logging
import math
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)

MAX_ADDRESSES = 10_000


@dataclass
class _Bucket:
    tokens: float
    updated: float
    announced: bool = False


class FailureThrottle:
    def __init__(
        self, burst: int, window: float, now: Callable[[], float], *, max_addresses: int = MAX_ADDRESSES
    ) -> None:
        self.burst = burst
        self.rate = burst / window
        self.now = now
        self.max_addresses = max_addresses
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    def _refilled(self, address: str) -> _Bucket | None:
        bucket = self._buckets.get(address)
        if bucket is None:
            return None
        now = self.now()
        bucket.tokens = min(float(self.burst), bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        if bucket.tokens >= self.burst:  # fully recovered: nothing to remember
            del self._buckets[address]
            return None
        return bucket

    def retry_after(self, address: str) -> int | None:
        """Whole seconds this address must wait before it may try credentials again; None if it may now."""
        bucket = self._refilled(address)
        if bucket is None or bucket.tokens >= 1.0:
            return None
        return max(1, math.ceil((1.0 - bucket.tokens) / self.rate))

    def failed(self, address: str, what: str) -> None:
        """Count one failed sign-in (``what`` names the credential, for the log)."""
        bucket = self._refilled(address)
        if bucket is None:
            bucket = _Bucket(tokens=float(self.burst), updated=self.now())
            self._buckets[address] = bucket
            while len(self._buckets) > self.max_addresses:
                self._buckets.popitem(last=False)
        bucket.tokens = max(0.0, bucket.tokens - 1.0)
        if bucket.tokens < 1.0 and not bucket.announced:
            bucket.announced = True
            log.warning(
                "refusing sign-ins from %s for a while: %d failed attempts (last: %s) within %.0f s",
                address,
                self.burst,
                what,
                self.burst / self.rate,
            )
        elif bucket.tokens >= 1.0:
            bucket.announced = False
