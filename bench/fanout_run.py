"""One benchmark run: a server subprocess, its consoles in worker processes, the samples they bring back."""

from __future__ import annotations

import contextlib
import json
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cpu_meter
from fanout_clients import WorkerPlan
from fanout_commands import Commander
from fanout_options import PROFILE_SUFFIX, Options, Schedule
from fanout_outcome import RunOutcome
from fanout_pool import WorkerPool, split_consoles
from fanout_report import Progress
from fanout_servers import (
    DEFAULT_FACTORY,
    HOST,
    SHIPPED,
    BaselineControl,
    HotlineApi,
    ServerProcess,
    start_baseline,
    start_hotline,
)
from fanout_stats import per_inject_detail, summarize_latency, summarize_lateness, timer_lateness

SETTLE_SECONDS = 1.0
LIVE_TIMEOUT = 120.0
QUIET_TIMEOUT = 90.0


@dataclass(frozen=True)
class Target:
    """Where one run's consoles connect, with which seat tokens, and how its inject schedule is set off."""

    label: str
    server: ServerProcess
    url: str
    tokens: list[str]
    last_seq: int
    start: Callable[[], None]
    more_servers: tuple[int, ...] = ()
    """Pids of further server processes of the same deployment (their CPU counts as the server's)."""
    proxy: tuple[int, ...] = ()
    """Pids of a load balancer in front of the servers (its CPU is counted apart)."""


class FanoutBench:
    def __init__(self, options: Options, schedule: Schedule, workdir: Path) -> None:
        self.options = options
        self.schedule = schedule
        self.workdir = workdir
        self.progress = Progress()
        self.templates: dict[int, dict[str, Any]] = {}
        """Hotline's inject messages by seq, as received: the baseline sends these (same size and content)."""

    @property
    def total_injects(self) -> int:
        return self.options.warmup + self.options.injects

    def run_hotline(self, consoles: int, ws: str, repeat: int) -> RunOutcome:
        name = f"hotline-{ws}-{consoles}-{repeat}"
        server = start_hotline(self.workdir, ws, name, factory=self.options.factory, niceness=self.options.niceness)
        api = HotlineApi(server.port)
        try:
            exercise = api.create_exercise()
            # Half the consoles on each team seat: two view groups, as in a real exercise.
            tokens = [exercise.blue_token if index % 2 == 0 else exercise.red_token for index in range(consoles)]
            target = Target(
                label=name,
                server=server,
                url=f"ws://{HOST}:{server.port}/ws/exercises/{exercise.exercise_id}",
                tokens=tokens,
                last_seq=api.head_seq(exercise.exercise_id),
                start=lambda: api.start(exercise.exercise_id),
            )
            variant = (
                ws if self.options.factory == DEFAULT_FACTORY or ws == SHIPPED else f"{ws}, {self.options.factory}"
            )
            commander = None
            if self.options.commands:
                base_url = f"http://{HOST}:{server.port}"
                commander = Commander(
                    base_url,
                    exercise.exercise_id,
                    exercise.role_tokens,
                    self.options.commands,
                    niceness=self.options.niceness,
                )
            outcome = self.measure(
                target,
                kind="hotline",
                variant=variant,
                repeat=repeat,
                during=commander.running() if commander else None,
            )
            if commander is not None:
                outcome.acks = commander.summary()
            # Only the injects released while every console was listening: later ones meet the consoles' exit.
            releases = timer_lateness(api.events(exercise.exercise_id))[: self.total_injects]
            outcome.lateness = summarize_lateness([release.lateness for release in releases])
            outcome.releases = [
                {"seq": r.seq, "planned": round(r.planned, 6), "lateness_ms": round(r.lateness * 1000, 3)}
                for r in releases
            ]
            return outcome
        finally:
            api.close()
            server.stop()

    def run_baseline(self, consoles: int, repeat: int) -> RunOutcome:
        if not self.templates:
            raise RuntimeError("the baseline sends Hotline's inject messages: run Hotline first")
        templates = [self.templates[seq] for seq in sorted(self.templates)]
        name = f"baseline-{consoles}-{repeat}"
        server = start_baseline(self.workdir, name, self.options.baseline_loop, niceness=self.options.niceness)
        control = BaselineControl(server.port)
        try:
            target = Target(
                label=name,
                server=server,
                url=f"ws://{HOST}:{server.port}/ws",
                tokens=["baseline"] * consoles,
                last_seq=0,
                start=lambda: control.start(self.total_injects, self.schedule.interval, templates),
            )
            outcome = self.measure(target, kind="baseline", variant=self.options.baseline_loop, repeat=repeat)
            lateness = control.finish()
            if len(lateness) != self.total_injects:
                self.progress.done(f"{name}: the baseline sent {len(lateness)} messages, not {self.total_injects}")
            outcome.lateness = summarize_lateness(lateness)
            outcome.releases = [
                {"seq": index + 1, "lateness_ms": round(value * 1000, 3)} for index, value in enumerate(lateness)
            ]
            return outcome
        finally:
            control.close()
            server.stop()

    def measure(
        self,
        target: Target,
        *,
        kind: str,
        variant: str,
        repeat: int,
        during: contextlib.AbstractContextManager[None] | None = None,
    ) -> RunOutcome:
        """``during``: more load while the injects go out (the command load)."""
        consoles = len(target.tokens)
        shares = split_consoles(target.tokens, self.options.processes_for(consoles))
        plans = [
            WorkerPlan(
                worker=index,
                url=target.url,
                tokens=share,
                last_seq=target.last_seq,
                injects=self.total_injects,
                interval=self.schedule.interval,
                deflate=self.options.deflate,
                niceness=self.options.client_niceness,
            )
            for index, share in enumerate(shares)
        ]
        pool = WorkerPool(plans)
        try:
            self.wait_live(pool, target.label, consoles, len(plans))
            time.sleep(SETTLE_SECONDS)  # let join-time events (presence) settle before the clock starts
            client_pids = [process.pid for process in pool.processes if process.pid is not None]
            with self.profiler(target, kind):
                servers = [target.server.pid, *target.more_servers]
                with during or contextlib.nullcontext():
                    before = cpu_meter.snapshot(servers, client_pids, target.proxy)
                    target.start()
                    reports = self.collect(pool, target.label, len(plans))
                    after = cpu_meter.snapshot(servers, client_pids, target.proxy)
        finally:
            pool.shutdown()
        latencies: dict[int, list[float]] = {}
        sizes: list[int] = []
        for report in reports:
            for seq, values in report["latencies"].items():
                latencies.setdefault(int(seq), []).extend(values)
            sizes.extend(report["message_bytes"].values())
        return RunOutcome(
            server=kind,
            variant=variant,
            repeat=repeat,
            latency=summarize_latency(latencies, consoles, self.options.warmup),
            cpu=cpu_meter.usage(before, after),
            message_bytes=statistics.median_low(sizes) if sizes else 0,
            client_processes=len(plans),
            warmup_injects=self.options.warmup,
            failed=sum(report["failed"] for report in reports),
            per_inject=per_inject_detail(latencies),
            heartbeats=sorted({stamp for report in reports for stamp in report["heartbeats"]}),
        )

    @contextlib.contextmanager
    def profiler(self, target: Target, kind: str) -> Iterator[None]:
        """With --profile, py-spy samples the Hotline server while the injects go out (not the baseline)."""
        if self.options.profile is None or kind != "hotline":
            yield
            return
        self.options.profile.mkdir(parents=True, exist_ok=True)
        output = self.options.profile / f"{target.label}.{PROFILE_SUFFIX[self.options.profile_format]}"
        command = [_py_spy(), "record", "--nonblocking", "--rate", "250", "--pid", str(target.server.pid)]
        command += ["--format", self.options.profile_format, "--output", str(output)]
        spy = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            yield
        finally:
            spy.send_signal(signal.SIGINT)  # py-spy writes its profile when interrupted
            try:
                spy.wait(timeout=60)
            except subprocess.TimeoutExpired:
                spy.kill()
            self.progress.done(f"{target.label}: profile in {output}")

    def wait_live(self, pool: WorkerPool, label: str, consoles: int, workers: int) -> None:
        live = [0] * workers
        failures: list[str] = []
        for kind, worker, data in pool.messages(
            until=lambda: sum(live) + len(failures) >= consoles, timeout=LIVE_TIMEOUT
        ):
            if kind == "live":
                live[worker] = data
            elif kind == "failed":
                failures.append(data)
            self.progress.show(f"{label}: {sum(live)}/{consoles} consoles live")
        if failures:
            raise RuntimeError(f"{len(failures)} consoles could not join; first: {failures[0]}")
        self.progress.show(f"{label}: {consoles} consoles live; starting", force=True)

    def collect(self, pool: WorkerPool, label: str, workers: int) -> list[dict[str, Any]]:
        reports: dict[int, dict[str, Any]] = {}
        delivered: dict[int, int] = {}
        everywhere = 0
        keep_samples = not self.templates and label.startswith("hotline")
        for kind, worker, data in pool.messages(until=lambda: len(reports) == workers, timeout=QUIET_TIMEOUT):
            if kind == "sample" and keep_samples:
                seq, raw = data
                self.templates[seq] = json.loads(raw)
            elif kind == "delivered":
                delivered[data] = delivered.get(data, 0) + 1
                if delivered[data] == workers:
                    everywhere += 1
            elif kind == "done":
                reports[worker] = data
            self.progress.show(f"{label}: inject {everywhere}/{self.total_injects} delivered to every console")
        self.progress.done(f"{label}: {everywhere}/{self.total_injects} injects delivered to every console")
        return list(reports.values())


def _py_spy() -> str:
    """py-spy from the same virtual environment as the bench, else from PATH."""
    beside = Path(sys.executable).parent / "py-spy"
    return str(beside) if beside.exists() else "py-spy"
