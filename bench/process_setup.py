"""Per-process setup for the bench, its console workers and the servers under test.

Every console is a socket, and a thousand of them exceed the usual open-files limit of 1,024. On a shared
machine ``--nice`` (negative: needs root or CAP_SYS_NICE) lets the measured processes win the CPU from
unrelated work, so the figures describe the servers rather than the neighbours. Linux's autogroup
scheduling shares the CPU between sessions first and applies niceness only inside a session, so each
measured process gets a session of its own and the niceness is set on that session's autogroup too.
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


def set_niceness(niceness: int) -> None:
    """Move this process to ``niceness`` (absolute, -20..19); warn rather than fail when not allowed."""
    if niceness == 0:
        return
    with contextlib.suppress(OSError):  # already a session leader
        os.setsid()
    try:
        os.setpriority(os.PRIO_PROCESS, 0, niceness)
        autogroup = Path("/proc/self/autogroup")
        if autogroup.exists():
            autogroup.write_text(str(niceness))
    except PermissionError:
        print(f"bench: not allowed to set niceness {niceness}; running at the default", file=sys.stderr)


def prepare_process(niceness: int = 0) -> None:
    raise_open_files_limit()
    set_niceness(niceness)
