"""Options of the fan-out benchmark, and the rhythm of its scenario."""

from __future__ import annotations

import argparse
import itertools
import math
from dataclasses import dataclass
from pathlib import Path

import yaml
from fanout_servers import DEFAULT_FACTORY, SHIPPED, WS_IMPLEMENTATIONS
from process_setup import CLIENT_NICE_OFFSET, client_niceness_for

from app.scenario.timefmt import parse_scenario_time

CONSOLES_PER_PROCESS = 250
MAX_PROCESSES = 4
PROFILE_SUFFIX = {"flamegraph": "svg", "raw": "txt", "speedscope": "json"}
GUARD_CONSOLES, GUARD_INJECTS, GUARD_WARMUP = 300, 10, 2


@dataclass(frozen=True)
class Schedule:
    """The rhythm of the bench scenario: how many timed injects, how far apart in wall seconds."""

    injects: int
    interval: float

    @classmethod
    def of_scenario(cls, path: Path) -> Schedule:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        times = sorted(parse_scenario_time(item["at"]) for item in document["injects"] if "at" in item)
        spacing = times[1] - times[0]
        if any(later - earlier != spacing for earlier, later in itertools.pairwise(times)):
            raise ValueError(f"{path.name}: the injects must be evenly spaced")
        return cls(len(times), spacing / float(document["default_compression"]))


@dataclass(frozen=True)
class Options:
    sizes: list[int]
    injects: int
    warmup: int
    repeat: int
    processes: int
    ws: list[str]
    deflate: bool
    baseline_loop: str
    profile: Path | None
    profile_format: str
    factory: str
    niceness: int
    commands: float = 0.0
    """Players' commands per second during the Hotline runs (0: none)."""
    guard: bool = False
    """The short run CI makes: fail unless Hotline's p99 stays within ``GUARD_P99_RATIO`` of the baseline's."""
    storms: bool = False
    """Instead of the fan-out, the join and reconnect storms of ``bench/storms.py`` at each size."""

    @property
    def client_niceness(self) -> int:
        return client_niceness_for(self.niceness)

    def processes_for(self, consoles: int) -> int:
        if self.processes:
            return self.processes
        return max(1, min(MAX_PROCESSES, math.ceil(consoles / CONSOLES_PER_PROCESS)))


def parse_options(description: str) -> Options:
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,500,1000", help="Console counts, comma-separated.")
    parser.add_argument("--injects", type=int, default=40, help="Measured injects per run (after the warm-up).")
    parser.add_argument("--warmup", type=int, default=5, help="Injects sent first and discarded.")
    parser.add_argument(
        "--repeat", type=int, default=1, help="Runs per size and server, interleaved; tables show medians."
    )
    parser.add_argument("--quick", action="store_true", help="A smoke run: 100 consoles, 10 injects, 2 warm-up.")
    parser.add_argument(
        "--guard",
        action="store_true",
        help=f"CI's regression guard: {GUARD_CONSOLES} consoles, {GUARD_INJECTS} injects; exits 1 when Hotline's "
        "p99 is over the bound times the baseline's, or a message is missing.",
    )
    parser.add_argument(
        "--processes",
        type=int,
        default=0,
        help=f"Client processes (0: one per {CONSOLES_PER_PROCESS} consoles, at most {MAX_PROCESSES}).",
    )
    parser.add_argument(
        "--ws",
        default=SHIPPED,
        help=f"How to serve Hotline, comma-separated: '{SHIPPED}' (hotline serve, as shipped) and/or uvicorn's "
        f"--ws implementations {', '.join(WS_IMPLEMENTATIONS)}; 'all' for every one.",
    )
    parser.add_argument(
        "--commands",
        type=float,
        default=0.0,
        help="Players' chat commands per second, from 20 consoles on the role seats, during the Hotline runs "
        "(the command-load case: --sizes 1000 --commands 50); their acknowledgement times are reported.",
    )
    parser.add_argument(
        "--storms",
        action="store_true",
        help="Instead of the fan-out, the join and reconnect storms (bench/storms.py) at each of --sizes: every "
        "console joining cold at once, then a SIGKILL restart with the consoles resuming with backoff.",
    )
    parser.add_argument("--no-deflate", action="store_true", help="Clients do not offer permessage-deflate.")
    parser.add_argument("--baseline-loop", choices=["uvloop", "asyncio"], default="uvloop")
    parser.add_argument("--profile", type=Path, help="Record a py-spy profile of each Hotline run into this folder.")
    parser.add_argument("--profile-format", choices=sorted(PROFILE_SUFFIX), default="flamegraph")
    parser.add_argument(
        "--factory",
        default=DEFAULT_FACTORY,
        help="App factory for the uvicorn runs (--ws other than cli), e.g. a patched copy on PYTHONPATH.",
    )
    parser.add_argument(
        "--nice",
        type=int,
        default=0,
        help="Niceness of the servers (e.g. -20 on a busy shared machine; negative needs root); "
        f"the console workers run {CLIENT_NICE_OFFSET} steps nicer.",
    )
    args = parser.parse_args()
    ws = [SHIPPED, *WS_IMPLEMENTATIONS] if args.ws == "all" else [item.strip() for item in args.ws.split(",")]
    for item in ws:
        if item not in (SHIPPED, *WS_IMPLEMENTATIONS):
            parser.error(f"unknown --ws value {item!r}")
    sizes = [int(size) for size in args.sizes.split(",")]
    injects, warmup = args.injects, args.warmup
    if args.quick:
        sizes, injects, warmup = [100], 10, 2
    if args.guard:
        sizes, injects, warmup = [GUARD_CONSOLES], GUARD_INJECTS, GUARD_WARMUP
    return Options(
        sizes=sizes,
        injects=injects,
        warmup=warmup,
        repeat=max(1, args.repeat),
        processes=args.processes,
        ws=ws,
        deflate=not args.no_deflate,
        baseline_loop=args.baseline_loop,
        profile=args.profile,
        profile_format=args.profile_format,
        factory=args.factory,
        niceness=args.nice,
        commands=args.commands,
        guard=args.guard,
        storms=args.storms,
    )
