"""A child process that must not outlive its parent (the daemon's crawl children)."""

from __future__ import annotations

import ctypes
import os
import signal

ORPHANED = 75  # exit code of a child whose parent was already gone when it started
_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """SIGKILL this process when ``parent`` exits (Linux); exit now if it is already gone.

    Called before anything heavy is imported; checking the parent after setting
    the signal leaves no moment in which the parent can die unnoticed.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the daemon's shutdown still ends its children
        pass
    if os.getppid() != parent:
        os._exit(ORPHANED)
