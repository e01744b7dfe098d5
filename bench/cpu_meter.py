"""CPU accounting for one run (Linux /proc): the server's, the clients', and everyone else's.

On a small shared machine a benchmark is only as good as its quiet. "other" is CPU that neither the server
nor the console workers nor the bench used during the run; "server waited" is how long the server's event
loop thread sat runnable but without a CPU (the scheduler's run-queue delay), which is what interference
from other work actually costs the server, so a disturbed run shows up in the results.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


def process_cpu_seconds(pid: int) -> float | None:
    """User plus system CPU time of a process so far, or None when it is gone or /proc is missing."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / TICKS_PER_SECOND


def run_queue_wait_seconds(pid: int) -> float | None:
    """Time the process's main thread has waited for a CPU while runnable, so far."""
    try:
        return int(Path(f"/proc/{pid}/schedstat").read_text().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return None


def machine_busy_seconds() -> float | None:
    """CPU seconds spent not idle, summed over every core, since boot."""
    try:
        first = Path("/proc/stat").read_text().splitlines()[0].split()
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(value) for value in first[1:9])
    return (user + nice + system + irq + softirq + steal) / TICKS_PER_SECOND


@dataclass(frozen=True)
class CpuSnapshot:
    at: float
    machine: float | None
    server: float | None
    server_wait: float | None
    clients: float | None
    bench: float | None
    proxy: float | None = 0.0


def _total(values: list[float | None]) -> float | None:
    return None if any(value is None for value in values) else sum(value or 0.0 for value in values)


def snapshot(server_pids: Iterable[int], client_pids: Iterable[int], proxy_pids: Iterable[int] = ()) -> CpuSnapshot:
    """CPU used so far by the servers (several, summed), their console clients and a proxy in front."""
    servers = list(server_pids)
    return CpuSnapshot(
        at=time.monotonic(),
        machine=machine_busy_seconds(),
        server=_total([process_cpu_seconds(pid) for pid in servers]),
        server_wait=_total([run_queue_wait_seconds(pid) for pid in servers]),
        clients=_total([process_cpu_seconds(pid) for pid in client_pids]),
        bench=process_cpu_seconds(os.getpid()),
        proxy=_total([process_cpu_seconds(pid) for pid in proxy_pids]),
    )


@dataclass(frozen=True)
class CpuUsage:
    """CPU seconds used between two snapshots; ``other`` is the rest of the machine."""

    window: float
    server: float | None
    clients: float | None
    other: float | None
    server_wait: float | None = None
    proxy: float | None = 0.0

    @property
    def other_share(self) -> float | None:
        """Other processes' CPU as a share of the whole machine over the window (0–1)."""
        if self.other is None or self.window <= 0:
            return None
        return self.other / (self.window * len(os.sched_getaffinity(0)))


def usage(before: CpuSnapshot, after: CpuSnapshot) -> CpuUsage:
    def delta(first: float | None, second: float | None) -> float | None:
        return None if first is None or second is None else second - first

    server = delta(before.server, after.server)
    clients = delta(before.clients, after.clients)
    machine = delta(before.machine, after.machine)
    bench = delta(before.bench, after.bench)
    proxy = delta(before.proxy, after.proxy)
    if machine is None or server is None or clients is None or bench is None or proxy is None:
        other = None
    else:
        other = max(0.0, machine - server - clients - bench - proxy)
    return CpuUsage(
        window=after.at - before.at,
        server=server,
        clients=clients,
        other=other,
        server_wait=delta(before.server_wait, after.server_wait),
        proxy=proxy,
    )
