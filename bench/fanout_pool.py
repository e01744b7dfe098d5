"""The client worker processes of one run, and the messages they send back to the bench."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any

from fanout_clients import worker_main

Message = tuple[str, int, Any]


def split_consoles(tokens: list[str], processes: int) -> list[list[str]]:
    """Contiguous, nearly equal shares, so each worker holds both teams' consoles."""
    share, extra = divmod(len(tokens), processes)
    shares, start = [], 0
    for index in range(processes):
        end = start + share + (1 if index < extra else 0)
        shares.append(tokens[start:end])
        start = end
    return [chunk for chunk in shares if chunk]


class WorkerPool:
    def __init__(self, plans: Sequence[Any], main: Callable[[Any, Connection], None] = worker_main) -> None:
        """One process per plan (anything with a ``worker`` number), running ``main(plan, pipe)``."""
        # spawn, not fork: a worker starts clean instead of inheriting the bench's sockets and threads.
        context = multiprocessing.get_context("spawn")
        self.pipes: list[Connection] = []
        self.processes: list[BaseProcess] = []
        for plan in plans:
            ours, theirs = context.Pipe()
            process = context.Process(target=main, args=(plan, theirs), name=f"consoles-{plan.worker}")
            process.start()
            theirs.close()
            self.pipes.append(ours)
            self.processes.append(process)

    def messages(self, until: Callable[[], bool], timeout: float) -> Iterator[Message]:
        """Every message from any worker until ``until()`` holds; raises if the workers go quiet."""
        open_pipes = list(self.pipes)
        while not until():
            ready = wait(open_pipes, timeout=timeout)
            if not ready:
                raise TimeoutError(f"no word from the console workers for {timeout:.0f} s")
            for pipe in ready:
                assert isinstance(pipe, Connection)
                try:
                    yield pipe.recv()
                except EOFError:
                    open_pipes.remove(pipe)
                    if not open_pipes:
                        raise RuntimeError("every console worker exited before the run finished") from None

    def release(self) -> None:
        """Let the workers close their sockets and exit."""
        for pipe in self.pipes:
            try:
                pipe.send("close")
            except (BrokenPipeError, OSError):
                continue

    def shutdown(self) -> None:
        self.release()
        for process in self.processes:
            process.join(timeout=15)
            if process.is_alive():
                process.terminate()
                process.join()
        for pipe in self.pipes:
            pipe.close()
