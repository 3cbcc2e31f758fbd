"""The reading child: ``python -m monitor.attachments.child KIND MEMORY_MB SECONDS`` limits
its own address space and CPU time, reads a file on stdin and prints its text as one JSON
object on stdout (``{"error": …}`` when it cannot)."""

from __future__ import annotations

import json
import resource
import sys
from dataclasses import asdict

from monitor.attachments.formats import Unreadable, read


def _limit(memory_mb: int, seconds: float) -> None:
    memory = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = int(seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))


def main() -> None:
    kind, memory_mb, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    data = sys.stdin.buffer.read()
    _limit(memory_mb, seconds)
    try:
        result: dict = asdict(read(data, kind))
    except Unreadable as exc:
        result = {"error": str(exc)}
    except MemoryError:
        result = {"error": "reading it needs more memory than [attachments] read_memory_mb"}
    except Exception as exc:  # a broken file: any parser error is the file's problem
        result = {"error": f"cannot read it: {type(exc).__name__}: {exc}"[:300]}
    sys.stdout.write(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
