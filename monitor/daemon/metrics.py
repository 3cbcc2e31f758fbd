"""``/metrics`` in the Prometheus text format, and the process's resident memory."""

from __future__ import annotations

import os
import resource
from datetime import UTC

from sqlalchemy.orm import Session

from monitor.config import Config
from monitor.daemon.overview import (
    crawl_outcomes,
    pending_by_source,
    pending_deliveries,
    source_statuses,
)
from storage.states import FAILURES, RunOutcome


def resident_memory_bytes(pid: int | str = "self") -> int:
    """Current RSS of a process (Linux /proc); elsewhere this process's peak RSS."""
    try:
        with open(f"/proc/{pid}/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _family(
    lines: list[str], name: str, kind: str, help_text: str, samples: list[tuple[str, float]]
) -> None:
    lines += [f"# HELP {name} {help_text}", f"# TYPE {name} {kind}"]
    lines += [f"{name}{labels} {_number(value)}" for labels, value in samples]


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def render_metrics(
    session: Session, config: Config, *, leader: bool, since_run_id: int, behind: int = 0
) -> str:
    """The daemon's metrics; crawl counters count runs finished since this daemon started."""
    lines: list[str] = []
    statuses = source_statuses(session, config)
    outcomes = dict.fromkeys((RunOutcome.OK, *FAILURES), 0) | crawl_outcomes(session, since_run_id)
    _family(
        lines,
        "noticewatch_leader",
        "gauge",
        "1 while this daemon holds the scheduler lease.",
        [("", leader)],
    )
    _family(
        lines,
        "noticewatch_crawls_behind",
        "gauge",
        "Due crawls waiting for a free crawl slot.",
        [("", behind)],
    )
    _family(
        lines,
        "noticewatch_notices_pending",
        "gauge",
        "Notice links seen and not stored yet (retried), by state.",
        [
            (f'{{state="{state}"}}', sum(counts.values()))
            for state, counts in zip(
                ("retrying", "given_up"), pending_by_source(session), strict=True
            )
        ],
    )
    _family(
        lines,
        "noticewatch_crawls_total",
        "counter",
        "Crawl runs finished since the daemon started, by outcome.",
        [(f'{{outcome="{outcome}"}}', count) for outcome, count in sorted(outcomes.items())],
    )
    _family(
        lines,
        "noticewatch_source_last_run_timestamp_seconds",
        "gauge",
        "When the source's last crawl started (Unix time).",
        [
            (f'{{source="{s.source.id}"}}', s.last_run.started_at.replace(tzinfo=UTC).timestamp())
            for s in statuses
            if s.last_run
        ],
    )
    _family(
        lines,
        "noticewatch_source_consecutive_failures",
        "gauge",
        "Failed crawls of the source in a row.",
        [(f'{{source="{s.source.id}"}}', s.consecutive_failures) for s in statuses],
    )
    _family(
        lines,
        "noticewatch_source_notices",
        "gauge",
        "Notices stored for the source.",
        [(f'{{source="{s.source.id}"}}', s.notices) for s in statuses],
    )
    _family(
        lines,
        "noticewatch_deliveries_pending",
        "gauge",
        "Alerts waiting in the outbox.",
        [("", pending_deliveries(session))],
    )
    _family(
        lines,
        "process_resident_memory_bytes",
        "gauge",
        "Resident memory of the daemon process.",
        [("", resident_memory_bytes())],
    )
    return "\n".join(lines) + "\n"
