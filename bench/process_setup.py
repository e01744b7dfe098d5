"""Per-process setup for the bench, its console workers and the servers under test.

Every console is a socket, and a thousand of them exceed the usual open-files limit of 1,024. On a shared
machine ``--nice`` (negative: needs root or CAP_SYS_NICE) lets the measured processes win the CPU from
unrelated work, so the figures describe the servers rather than the neighbours. Linux's autogroup
scheduling shares the CPU between sessions first and applies niceness only inside a session, so each
server gets a session of its own and the niceness is set on that session's autogroup too.

The bench and all its console workers share one other session, whose autogroup is at the clients'
niceness. Each worker in a session of its own, as it was before, made every worker an equal of the
server: with four workers and a command process at −15 against one server at −20, the server's session
could claim only 0.76 of a core while they were busy, and its loop waited for a CPU a quarter of a
1,000-console run. Real consoles run on other machines and take nothing from the server.
"""

from __future__ import annotations

import contextlib
import os
import resource
import sys
from pathlib import Path

WANTED_OPEN_FILES = 65536


def raise_open_files_limit(wanted: int = WANTED_OPEN_FILES) -> int:
    """Lift the soft limit towards ``wanted`` (never above the hard limit); returns the new soft limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft == resource.RLIM_INFINITY or soft >= target:
        return soft
    resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return target


def set_niceness(niceness: int, *, own_session: bool = True, session_niceness: int | None = None) -> None:
    """Move this process to ``niceness`` (absolute, -20..19); warn rather than fail when not allowed.

    With ``own_session`` the process leads a new session whose autogroup is set to ``session_niceness``
    (``niceness`` unless given); without, it stays in its parent's session and autogroup."""
    if niceness == 0 and session_niceness is None:
        return
    if own_session:
        with contextlib.suppress(OSError):  # already a session or process-group leader
            os.setsid()
    try:
        os.setpriority(os.PRIO_PROCESS, 0, niceness)
        autogroup = Path("/proc/self/autogroup")
        if own_session and autogroup.exists():
            autogroup.write_text(str(niceness if session_niceness is None else session_niceness))
    except PermissionError:
        print(f"bench: not allowed to set niceness {niceness}; running at the default", file=sys.stderr)


def prepare_process(niceness: int = 0) -> None:
    """A server under test: a session of its own at ``niceness``."""
    raise_open_files_limit()
    set_niceness(niceness)


def prepare_client(niceness: int = 0) -> None:
    """A console worker: in the bench's session (see ``prepare_bench``), at ``niceness`` within it."""
    raise_open_files_limit()
    set_niceness(niceness, own_session=False)


def prepare_bench(niceness: int, client_niceness: int) -> None:
    """The bench's own process: a session for it and its console workers, whose autogroup is at the
    clients' niceness; the bench itself (its facilitator's pings) at ``niceness`` within it."""
    raise_open_files_limit()
    if niceness != 0:
        set_niceness(niceness, session_niceness=client_niceness)


CLIENT_NICE_OFFSET = 5


def client_niceness_for(niceness: int) -> int:
    """A step below the server: real consoles never take CPU from the server, so ours yield to it."""
    return min(19, niceness + CLIENT_NICE_OFFSET) if niceness < 0 else niceness
