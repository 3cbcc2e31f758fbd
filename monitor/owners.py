"""Who holds a claim: ``host:pid[:tag]`` names a process, and tells whether it is gone.

Crawl runs, outbox claims and the scheduler lease record their holder this
way, so a daemon that takes over can release at once what a dead process on
this host held, instead of waiting for a timeout.
"""

from __future__ import annotations

import os
import socket

HOST = socket.gethostname()


def process_owner() -> str:
    """``host:pid`` of this process."""
    return f"{HOST}:{os.getpid()}"


def owner_pid(owner: str | None) -> int | None:
    """The pid of an owner on this host, else None."""
    host, _, rest = (owner or "").partition(":")
    pid = rest.partition(":")[0]
    return int(pid) if host == HOST and pid.isdigit() else None


def is_dead_local(owner: str | None) -> bool:
    """True when ``owner`` names a process on this host that no longer runs."""
    pid = owner_pid(owner)
    if pid is None:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return _is_zombie(pid)


def _is_zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rpartition(")")[2].split()[0] == "Z"
    except OSError:
        return False
