"""The baseline for bench/fanout.py: the least a Python websocket server can do to fan one message out.

It answers a console's join with ``hello`` and ``live`` (so the bench's clients treat both servers alike),
and when the bench's control connection says ``start`` it sends ``count`` messages, one every ``interval``
seconds on absolute deadlines, to every console with ``websockets.asyncio.server.broadcast``: no database,
no queues, no per-console tasks. The messages are Hotline's own inject messages from the Hotline run (in
order), each with its send time in ``event.wall_time``, exactly where Hotline puts the time it recorded
the event, so size and compressibility are the same as Hotline's.

Its timers wait for absolute deadlines the way Hotline's ``SystemClock`` does (a wake-up before the
deadline sleeps again, so nothing is early), and it reports how late each send was: a control for
Hotline's timer lateness, since whatever delays this loop on the same machine is not Hotline's doing.

Run: python bench/baseline_server.py --port 8765
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import signal
import time
from datetime import UTC, datetime
from typing import Any

from process_setup import raise_open_files_limit
from websockets.asyncio.server import ServerConnection, broadcast, serve

CONTROL_TYPE = "bench_start"
SEQ_LAP = 100_000


class BroadcastRoom:
    def __init__(self) -> None:
        self.consoles: set[ServerConnection] = set()
        self.lateness: list[float] = []

    async def handle(self, websocket: ServerConnection) -> None:
        first = json.loads(await websocket.recv())
        if first.get("type") == CONTROL_TYPE:
            await self.run_schedule(first["count"], first["interval"], first["templates"])
            await websocket.send(json.dumps({"type": "bench_done", "lateness": self.lateness}))
            return
        await websocket.send(json.dumps({"type": "hello", "last_seq": 0}))
        await websocket.send(json.dumps({"type": "live", "last_seq": 0}))
        self.consoles.add(websocket)
        try:
            await websocket.wait_closed()
        finally:
            self.consoles.discard(websocket)

    async def run_schedule(self, count: int, interval: float, templates: list[dict[str, Any]]) -> None:
        first_deadline = time.monotonic() + interval
        for index in range(count):
            deadline = first_deadline + index * interval
            # Waiting for a deadline, not an event: a wake-up before it sleeps again, as Hotline's clock does.
            while (remaining := deadline - time.monotonic()) > 0:  # noqa: ASYNC110
                await asyncio.sleep(remaining)
            self.lateness.append(time.monotonic() - deadline)
            template = templates[index % len(templates)]
            message = dict(template)
            # Same ISO format as pydantic's, so the message keeps the template's size to the byte.
            stamp = datetime.now(UTC).isoformat().replace("+00:00", "Z")
            # Hotline's own seqs keep the size too; a second lap over the templates shifts them to stay unique.
            seq = template["event"]["seq"] + SEQ_LAP * (index // len(templates))
            message["event"] = {**template["event"], "seq": seq, "wall_time": stamp}
            broadcast(self.consoles, json.dumps(message, separators=(",", ":"), ensure_ascii=False))


async def serve_forever(host: str, port: int) -> None:
    room = BroadcastRoom()
    stop = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        asyncio.get_running_loop().add_signal_handler(signum, stop.set)
    # The backlog matches uvicorn's default so a thousand consoles connecting at once are not refused.
    async with serve(room.handle, host, port, backlog=2048, max_size=1 << 20):
        print(f"baseline listening on ws://{host}:{port}", flush=True)
        await stop.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--loop", choices=["uvloop", "asyncio"], default="uvloop", help="Event loop (as uvicorn's).")
    args = parser.parse_args()
    raise_open_files_limit()
    if args.loop == "uvloop":
        import uvloop

        uvloop.run(serve_forever(args.host, args.port))
    else:
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(serve_forever(args.host, args.port))


if __name__ == "__main__":
    main()
