"""Read one attachment in a child process with time and memory limits.

A hostile or broken file (a parser loop, a decompression bomb, a crash in a C
extension) costs one killed child and a problem on the run, never the crawl.
"""

from __future__ import annotations

import json
import subprocess
import sys

from monitor.attachments.formats import FileText
from monitor.config import AttachmentSettings


def child_command(kind: str, settings: AttachmentSettings) -> list[str]:
    """The command of the process that reads one file of ``kind`` within ``settings``' limits."""
    limits = (str(settings.read_memory_mb), str(settings.read_timeout))
    return [sys.executable, "-m", "monitor.attachments.child", kind, *limits]


def read_file(data: bytes, kind: str, settings: AttachmentSettings) -> FileText:
    """The text of ``data``; ``status`` ``unreadable`` with the reason in ``note`` on failure."""
    try:
        done = subprocess.run(
            child_command(kind, settings),
            input=data,
            capture_output=True,
            timeout=settings.read_timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return FileText(
            "unreadable", note=f"reading it took over {settings.read_timeout:g} s: stopped"
        )
    try:
        answer = json.loads(done.stdout)
    except ValueError:
        last = (done.stderr.decode(errors="replace").strip().splitlines() or [""])[-1]
        reason = (
            "reading it needed more memory or time than allowed" if done.returncode < 0 else last
        )
        return FileText("unreadable", note=f"the reader died ({reason or done.returncode})"[:300])
    if "error" in answer:
        return FileText("unreadable", note=answer["error"])
    return FileText(**answer)
