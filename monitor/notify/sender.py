"""Send due deliveries from the outbox: claim, send through apprise, record, back off.

Delivery is at-least-once. A row is claimed with a conditional UPDATE (only a
pending, due, unclaimed row, or one whose claim has expired), so two
notifiers never send the same row. A claim names its process
(:mod:`monitor.owners`): a daemon releases at once the claims of a process
on this host that died (:func:`release_dead_claims`). A row marked ``sent`` is
never sent again; only a process killed between apprise's success and the
UPDATE that marks it sent can have that one row re-sent, which is why the
daemon sends from a child that outlives it (:mod:`monitor.daemon.notifier`).
Failures are retried with
exponential backoff and marked ``failed`` after ``max_attempts``. Each
target is served in order by one worker, so a slow or failing target never
holds up the others.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Collection
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from threading import Event, Lock

from sqlalchemy import and_, case, func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from monitor import masking
from monitor.config import Config, RetryPolicy
from monitor.notify.content import delivery_content
from monitor.notify.targets import TargetIndex
from monitor.notify.transport import Outcome, send
from monitor.owners import is_dead_local, process_owner
from storage.db import rows_affected, utcnow
from storage.models import Delivery
from storage.states import DeliveryStatus

log = logging.getLogger(f"noticewatch.{__name__}")


@dataclass
class DrainReport:
    sent: int = 0
    failed: int = 0  # gave up (now status failed) during this drain
    retrying: int = 0  # failed attempts that will be retried
    pending: int = 0  # still waiting when the drain returned
    _lock: Lock = field(default_factory=Lock, repr=False, compare=False)

    def count(self, outcome: str) -> None:
        with self._lock:
            setattr(self, outcome, getattr(self, outcome) + 1)

    def summary(self) -> str:
        line = f"alerts: {self.sent} sent, {self.failed} failed, {self.pending} pending"
        if self.failed or self.pending:
            line += " (see: noticewatch deliveries list)"
        return line


def _pending(ids: Collection[int] | None):
    condition = Delivery.status == DeliveryStatus.PENDING
    return and_(condition, Delivery.id.in_(ids)) if ids is not None else condition


def _due(session: Session, ids: Collection[int] | None, batch: int) -> dict[str, list[int]]:
    """Due, unclaimed row ids by target, oldest first."""
    now = utcnow()
    rows = session.execute(
        select(Delivery.id, Delivery.target)
        .where(
            _pending(ids),
            Delivery.next_attempt_at <= now,
            or_(Delivery.claimed_until.is_(None), Delivery.claimed_until < now),
        )
        .order_by(Delivery.next_attempt_at, Delivery.id)
        .limit(batch)
    )
    by_target: dict[str, list[int]] = defaultdict(list)
    for row_id, target in rows:
        by_target[target].append(row_id)
    return by_target


def _seconds_until_next(session: Session, ids: Collection[int] | None) -> float | None:
    """How long until some pending row becomes due (None when nothing is pending)."""
    ready = case(
        (
            and_(
                Delivery.claimed_until.is_not(None),
                Delivery.claimed_until > Delivery.next_attempt_at,
            ),
            Delivery.claimed_until,
        ),
        else_=Delivery.next_attempt_at,
    )
    earliest = session.scalar(select(func.min(ready)).where(_pending(ids)))
    return None if earliest is None else max((earliest - utcnow()).total_seconds(), 0.0)


def _claim(sessions: sessionmaker[Session], row_id: int, policy: RetryPolicy) -> Delivery | None:
    """Take the row for this notifier, or None when it is no longer pending and due."""
    with sessions.begin() as session:
        now = utcnow()
        claimed = session.execute(
            update(Delivery)
            .where(
                Delivery.id == row_id,
                Delivery.status == DeliveryStatus.PENDING,
                Delivery.next_attempt_at <= now,
                or_(Delivery.claimed_until.is_(None), Delivery.claimed_until < now),
            )
            .values(
                claimed_until=now + timedelta(seconds=policy.claim_seconds),
                claimed_by=process_owner(),
            )
        )
        if rows_affected(claimed) != 1:
            return None
        row = session.get_one(Delivery, row_id)
        session.expunge(row)
        return row


def _save_progress(sessions: sessionmaker[Session], row: Delivery, parts_sent: int) -> None:
    with sessions.begin() as session:
        payload = {**(row.payload or {}), "parts_sent": parts_sent}
        session.execute(update(Delivery).where(Delivery.id == row.id).values(payload=payload))
        row.payload = payload


def _record(
    sessions: sessionmaker[Session], row: Delivery, outcome: Outcome, policy: RetryPolicy
) -> str:
    """Store the attempt's outcome; returns the report field it counts for."""
    now = utcnow()
    attempts = row.attempts + 1
    values: dict = {"attempts": attempts, "claimed_until": None, "claimed_by": None}
    if outcome.ok:
        values |= {"status": DeliveryStatus.SENT, "sent_at": now, "last_error": None}
        result = "sent"
    elif outcome.permanent or attempts >= policy.max_attempts:
        values |= {"status": DeliveryStatus.FAILED, "last_error": outcome.error}
        result = "failed"
    else:
        values |= {
            "next_attempt_at": now + timedelta(seconds=policy.delay(attempts)),
            "last_error": outcome.error,
        }
        result = "retrying"
    with sessions.begin() as session:
        session.execute(
            update(Delivery)
            .where(Delivery.id == row.id, Delivery.status == DeliveryStatus.PENDING)
            .values(**values)
        )
    return result


def release_dead_claims(sessions: sessionmaker[Session]) -> int:
    """Free the pending rows claimed by processes on this host that are gone; returns how many."""
    now = utcnow()
    with sessions() as session:
        owners = session.scalars(
            select(Delivery.claimed_by)
            .where(Delivery.status == DeliveryStatus.PENDING, Delivery.claimed_until > now)
            .distinct()
        ).all()
    dead = [owner for owner in owners if is_dead_local(owner)]
    if not dead:
        return 0
    with sessions.begin() as session:
        return rows_affected(
            session.execute(
                update(Delivery)
                .where(Delivery.status == DeliveryStatus.PENDING, Delivery.claimed_by.in_(dead))
                .values(claimed_until=None, claimed_by=None)
                .execution_options(synchronize_session=False)
            )
        )


def _deliver(
    sessions: sessionmaker[Session],
    config: Config,
    targets: TargetIndex,
    row: Delivery,
    policy: RetryPolicy,
) -> str:
    target = targets.find(row.subscription, row.target)
    if target.url is None:
        outcome = Outcome(False, target.problem, permanent=True)
    else:
        try:
            with sessions() as session:
                content = delivery_content(session, config, row)
            outcome = send(
                target.url,
                content,
                done_parts=(row.payload or {}).get("parts_sent", 0),
                on_part=lambda number: _save_progress(sessions, row, number),
                timeout=policy.send_timeout,
            )
        except Exception as exc:  # one broken delivery never stops the others
            outcome = Outcome(False, masking.redact(f"{type(exc).__name__}: {exc}"))
    result = _record(sessions, row, outcome, policy)
    level = logging.INFO if outcome.ok else logging.WARNING
    log.log(
        level,
        "delivery %s (%s → %s): %s%s",
        row.id,
        row.subscription,
        row.target_label,
        result,
        f": {outcome.error}" if outcome.error else "",
    )
    return result


def drain(
    sessions: sessionmaker[Session],
    config: Config,
    *,
    deadline_seconds: float,
    policy: RetryPolicy | None = None,
    ids: Collection[int] | None = None,
    poll_seconds: float = 1.0,
    stop: Event | None = None,
) -> DrainReport:
    """Send due deliveries (only ``ids`` when given) until none will be due before the deadline.

    Waits for retries that fall due before the deadline; sends already started
    finish after it (each bounded by ``policy.send_timeout``; the policy is the
    config's ``[notify]`` unless given). Once ``stop`` is
    set nothing new is claimed: the sends in hand finish and are recorded.
    """
    deadline = time.monotonic() + deadline_seconds
    report = DrainReport()
    targets = TargetIndex(config)
    policy = policy or config.notify
    stop = stop or Event()

    def going_on() -> bool:
        return time.monotonic() < deadline and not stop.is_set()

    def serve(row_ids: list[int]) -> None:
        for row_id in row_ids:
            if not going_on():
                return
            row = _claim(sessions, row_id, policy)
            if row is not None:
                report.count(_deliver(sessions, config, targets, row, policy))

    with ThreadPoolExecutor(policy.workers, thread_name_prefix="notify") as pool:
        while going_on():
            with sessions() as session:
                due = _due(session, ids, policy.batch)
                wait = None if due else _seconds_until_next(session, ids)
            if due:
                list(pool.map(serve, due.values()))
                continue
            if wait is None or time.monotonic() + wait >= deadline:
                break
            stop.wait(min(max(wait, 0.05), poll_seconds))
    with sessions() as session:
        report.pending = (
            session.scalar(select(func.count()).select_from(Delivery).where(_pending(ids))) or 0
        )
    return report
