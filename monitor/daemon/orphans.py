"""Release what dead processes held: their crawl runs end ``interrupted``, their alert claims go back.

Called when a daemon takes the lease and then on every lease renewal, so a
SIGKILLed daemon's or crawl's leftovers are cleaned up at once rather than after
a timeout.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from monitor.notify.sender import release_dead_claims
from monitor.owners import is_dead_local
from storage.db import utcnow
from storage.models import CrawlRun
from storage.states import RunOutcome

log = logging.getLogger(f"noticewatch.{__name__}")


def orphaned_runs(session: Session, remote_timeout: float | None) -> list[int]:
    """Unfinished runs no live process can still finish.

    With ``remote_timeout`` (crawls on Redis workers, which hand runs to each
    other) a run is orphaned only once it is that many seconds old; otherwise
    when its owner on this host is gone, or it names no owner.
    """
    rows = session.execute(
        select(CrawlRun.id, CrawlRun.owner, CrawlRun.started_at).where(
            CrawlRun.finished_at.is_(None)
        )
    ).all()
    if remote_timeout is not None:
        cutoff = utcnow() - timedelta(seconds=remote_timeout)
        return [run_id for run_id, _, started in rows if started < cutoff]
    return [run_id for run_id, owner, _ in rows if owner is None or is_dead_local(owner)]


def release_orphans(sessions: sessionmaker[Session], remote_timeout: float | None = None) -> None:
    """Mark orphaned runs interrupted and free alert claims of dead notifiers."""
    with sessions.begin() as session:
        run_ids = orphaned_runs(session, remote_timeout)
        if run_ids:
            session.execute(
                update(CrawlRun)
                .where(CrawlRun.id.in_(run_ids), CrawlRun.finished_at.is_(None))
                .values(
                    outcome=RunOutcome.INTERRUPTED,
                    error="the crawl process ended before the run was closed",
                    finished_at=utcnow(),
                )
                .execution_options(synchronize_session=False)
            )
    if run_ids:
        log.info("%d crawl runs left by stopped processes marked interrupted", len(run_ids))
    released = release_dead_claims(sessions)
    if released:
        log.info("%d alert claims of stopped processes released", released)
