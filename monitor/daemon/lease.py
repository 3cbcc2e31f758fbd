"""The scheduler lease: one row in ``scheduler_lock`` says which daemon may schedule crawls.

Taken and renewed with conditional UPDATE/INSERT statements, so it is correct
on SQLite and PostgreSQL and across machines. A holder that stops renewing
loses the lease after ``ttl`` seconds; a holder on this host whose process is
gone loses it at once.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from monitor.owners import is_dead_local, process_owner
from storage.db import rows_affected, utcnow
from storage.models import SchedulerLock

LEASE_NAME = "scheduler"


def new_holder_id() -> str:
    """``host:pid:random``: unique per daemon run, and tells whether the holder runs on this host."""
    return f"{process_owner()}:{uuid.uuid4().hex[:8]}"


class Lease:
    def __init__(
        self, sessions: sessionmaker[Session], ttl: float = 30.0, holder: str | None = None
    ) -> None:
        self.sessions = sessions
        self.ttl = timedelta(seconds=ttl)
        self.holder = holder or new_holder_id()
        self.expires_at: datetime | None = None

    def current(self) -> SchedulerLock | None:
        """The lease row as stored (whoever holds it)."""
        with self.sessions() as session:
            return session.get(SchedulerLock, LEASE_NAME)

    def acquire(self) -> bool:
        """Take or renew the lease; False while another live daemon holds it."""
        now = utcnow()
        expires = now + self.ttl
        with self.sessions.begin() as session:
            taken = rows_affected(
                session.execute(
                    update(SchedulerLock)
                    .where(SchedulerLock.name == LEASE_NAME)
                    .where(or_(SchedulerLock.holder == self.holder, SchedulerLock.expires_at < now))
                    .values(holder=self.holder, expires_at=expires)
                    .execution_options(synchronize_session=False)
                )
            )
        if not taken:
            taken = self._insert(expires) or self._take_from_dead(expires)
        self.expires_at = expires if taken else None
        return bool(taken)

    def release(self) -> None:
        """Give the lease up so a waiting daemon can take over at once."""
        with self.sessions.begin() as session:
            session.execute(
                delete(SchedulerLock)
                .where(SchedulerLock.name == LEASE_NAME, SchedulerLock.holder == self.holder)
                .execution_options(synchronize_session=False)
            )
        self.expires_at = None

    def _insert(self, expires: datetime) -> bool:
        try:
            with self.sessions.begin() as session:
                session.execute(
                    insert(SchedulerLock).values(
                        name=LEASE_NAME, holder=self.holder, expires_at=expires
                    )
                )
        except IntegrityError:
            return False
        return True

    def _take_from_dead(self, expires: datetime) -> bool:
        with self.sessions() as session:
            holder = session.scalar(
                select(SchedulerLock.holder).where(SchedulerLock.name == LEASE_NAME)
            )
        if holder is None or not is_dead_local(holder):
            return False
        with self.sessions.begin() as session:
            return bool(
                rows_affected(
                    session.execute(
                        update(SchedulerLock)
                        .where(SchedulerLock.name == LEASE_NAME, SchedulerLock.holder == holder)
                        .values(holder=self.holder, expires_at=expires)
                        .execution_options(synchronize_session=False)
                    )
                )
            )
