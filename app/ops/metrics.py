"""Prometheus metrics of one server process, in a registry of its own (one per application).

Two kinds of source, chosen to keep the hot path free:

- what the engine and the report endpoints report as it happens (commands, appends, commits, timers,
  report renders) goes into counters and histograms here, through ``Instruments``: at most once per
  command, committed batch or timer;
- what is a state or is counted per delivered message (consoles, loaded exercises, queue depths, the
  hub's and the broker's counters) is read only when ``/metrics`` is scraped, from plain integers the
  hub and broker keep (``ProcessState``). Nothing is observed per delivered message.

docs/operations.md lists every metric; docs/grafana-dashboard.json charts them.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, Counter, Histogram, disable_created_metrics, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeHistogramMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from app.engine.events import Event
from app.engine.instruments import Instruments

disable_created_metrics()  # the *_created series only double what a scraper sees; no dashboard needs them

PREFIX = "hotline"
COMMIT = "append"
"""The function every append to an exercise's log runs in, on a database thread (``app.engine.append``)."""
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
COMMAND_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
COMMIT_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)
LATENESS_BUCKETS = (0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
REPORT_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
QUEUE_DEPTH_BUCKETS = (0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)


@dataclass(frozen=True)
class ProcessState:
    """What the process holds now, read at each scrape."""

    consoles: int = 0
    exercises_loaded: int = 0
    exercises_running: int = 0
    exercises_owned: int = 0
    broker_connected: bool = True
    queue_depths: Sequence[int] = ()
    delivery: Mapping[str, int] = field(default_factory=dict)
    """The hub's counters (``DeliveryStats``): joins, fanouts, fanout_events, offers, overflows, resyncs,
    coalesced."""
    broker: Mapping[str, int] = field(default_factory=dict)
    """The broker's counters: published, received, dropped_out, dropped_in, gaps, connects, failures."""
    ownership: Mapping[str, int] = field(default_factory=dict)
    """Lease counters: takeovers, lost, reaped."""


class Metrics(Instruments):
    """The process's metrics; also the engine's ``Instruments``."""

    def __init__(self, state: Callable[[], ProcessState] = ProcessState) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        registry = self.registry
        self.events = Counter(
            f"{PREFIX}_events_appended",
            "Events this process committed to the log, by type.",
            ["type"],
            registry=registry,
        )
        self.commands = Counter(
            f"{PREFIX}_commands", "Commands handled, by type and outcome.", ["type", "outcome"], registry=registry
        )
        self.command_seconds = Histogram(
            f"{PREFIX}_command_seconds",
            "Time from a command's arrival at the engine to its answer, by type.",
            ["type"],
            buckets=COMMAND_BUCKETS,
            registry=registry,
        )
        self.commit_seconds = Histogram(
            f"{PREFIX}_db_commit_seconds",
            "Time of each transaction that appends events to the log.",
            buckets=COMMIT_BUCKETS,
            registry=registry,
        )
        self.timer_lateness = Histogram(
            f"{PREFIX}_timer_lateness_seconds",
            "How late the schedule's timer fired after its deadline.",
            buckets=LATENESS_BUCKETS,
            registry=registry,
        )
        self.report_seconds = Histogram(
            f"{PREFIX}_report_render_seconds",
            "Time to build an after-action report and render it, by format.",
            ["format"],
            buckets=REPORT_BUCKETS,
            registry=registry,
        )
        registry.register(_StateCollector(state))

    # --- Instruments ---

    def command_done(self, kind: str, outcome: str, seconds: float) -> None:
        self.commands.labels(kind, outcome).inc()
        self.command_seconds.labels(kind).observe(seconds)

    def appended(self, events: Sequence[Event]) -> None:
        for event in events:
            self.events.labels(event.type.value).inc()

    def timer_fired(self, lateness: float) -> None:
        self.timer_lateness.observe(max(0.0, lateness))

    def database_call(self, name: str, seconds: float) -> None:
        """``Database.timings``: every function run on a database thread; the appends are the commits."""
        if name == COMMIT:
            self.commit_seconds.observe(seconds)

    # --- the rest ---

    def report_rendered(self, report_format: str, seconds: float) -> None:
        self.report_seconds.labels(report_format).observe(seconds)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


class _StateCollector(Collector):
    def __init__(self, state: Callable[[], ProcessState]) -> None:
        self.state = state

    def describe(self) -> Iterable[Metric]:
        return self._families(ProcessState())

    def collect(self) -> Iterable[Metric]:
        return self._families(self.state())

    def _families(self, state: ProcessState) -> list[Metric]:
        delivery, broker, ownership = state.delivery, state.broker, state.ownership
        families: list[Metric] = [
            GaugeMetricFamily(f"{PREFIX}_consoles_connected", "Consoles connected to this process.", state.consoles),
            GaugeMetricFamily(
                f"{PREFIX}_exercises_loaded", "Exercises this process holds in memory.", state.exercises_loaded
            ),
            GaugeMetricFamily(
                f"{PREFIX}_exercises_running",
                "Exercises loaded here whose clock is running.",
                state.exercises_running,
            ),
            GaugeMetricFamily(
                f"{PREFIX}_exercises_owned",
                "Exercises whose lease this process holds: it arms their timers.",
                state.exercises_owned,
            ),
            GaugeMetricFamily(
                f"{PREFIX}_broker_connected",
                "1 while this process is connected to the broker (always 1 for memory://).",
                1.0 if state.broker_connected else 0.0,
            ),
            _queue_depths(state.queue_depths),
            _counter("console_joins", "Consoles that joined this process.", delivery, "joins"),
            _counter("fanouts", "Batches of committed events handed to this process's consoles.", delivery, "fanouts"),
            _counter("fanout_events", "Events handed to this process's consoles.", delivery, "fanout_events"),
            _counter(
                "delivery_offers",
                "Events offered to consoles (one per console per event; counted per batch).",
                delivery,
                "offers",
            ),
            _counter(
                "delivery_overflows",
                "Consoles whose outgoing queue filled up and were switched to catching up from the log.",
                delivery,
                "overflows",
            ),
        ]
        messages = CounterMetricFamily(
            f"{PREFIX}_broker_messages", "Broker messages, by direction.", labels=["direction"]
        )
        messages.add_metric(["out"], broker.get("published", 0))
        messages.add_metric(["in"], broker.get("received", 0))
        dropped = CounterMetricFamily(
            f"{PREFIX}_broker_dropped", "Broker messages dropped (repaired from the log).", labels=["direction"]
        )
        dropped.add_metric(["out"], broker.get("dropped_out", 0))
        dropped.add_metric(["in"], broker.get("dropped_in", 0))
        families += [
            _counter("delivery_resyncs", "Catch-ups from the log after a queue overflow.", delivery, "resyncs"),
            _counter(
                "delivery_coalesced",
                "Batches that rode with one still waiting for its turn: the loop was behind its fan-out.",
                delivery,
                "coalesced",
            ),
            messages,
            dropped,
            _counter(
                "broker_gaps", "Times broker messages may have been missed and exercises caught up.", broker, "gaps"
            ),
            _counter(
                "lease_takeovers",
                "Exercises this process took over from an owner that stopped.",
                ownership,
                "takeovers",
            ),
            _counter("leases_lost", "Exercises whose lease this process lost to another.", ownership, "lost"),
        ]
        return families


def _counter(name: str, documentation: str, source: Mapping[str, int], key: str) -> CounterMetricFamily:
    return CounterMetricFamily(f"{PREFIX}_{name}", documentation, value=source.get(key, 0))


def _queue_depths(depths: Sequence[int]) -> GaugeHistogramMetricFamily:
    """The outgoing queue depth of every console now, as a distribution (read at the scrape, not per message)."""
    ordered = sorted(depths)
    buckets = [(str(bound), float(bisect_right(ordered, bound))) for bound in QUEUE_DEPTH_BUCKETS]
    buckets.append(("+Inf", float(len(ordered))))
    return GaugeHistogramMetricFamily(
        f"{PREFIX}_delivery_queue_depth",
        "Messages waiting in each console's outgoing queue, now.",
        buckets=buckets,
        gsum_value=float(sum(depths)),
    )
