"""Digest mode: collect a subscription's waiting alerts into one delivery per target, on its cron.

A subscription's digest is due when its ``digest_cron`` (in the config's
timezone) has fired since both its last digest and its oldest waiting alert.
Collecting is one transaction: the digest row is written and the waiting rows
are marked ``digested`` (linked to it) only if no other notifier took them
first; the digest row is then sent like any delivery, with retries.
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from monitor.config import AlertMode, Config, RetryPolicy, Subscription
from monitor.cron import crontab_trigger
from monitor.notify.sender import DrainReport, drain
from storage.db import rows_affected, utcnow
from storage.models import Delivery, DigestState
from storage.states import DeliveryStatus

log = logging.getLogger(f"noticewatch.{__name__}")


class _Taken(Exception):
    """Another notifier collected these rows first."""


def digest_due(subscription: Subscription, since: datetime, now: datetime, timezone: str) -> bool:
    """Whether ``digest_cron`` fired after ``since`` and by ``now`` (both naive UTC)."""
    zone = ZoneInfo(timezone)
    trigger = crontab_trigger(subscription.digest_cron, zone)
    start = since.replace(tzinfo=UTC).astimezone(zone)
    fire = trigger.get_next_fire_time(start, start)
    return fire is not None and fire <= now.replace(tzinfo=UTC)


def _collect(
    session: Session, subscription: Subscription, now: datetime, timezone: str
) -> list[int]:
    """Write this subscription's digest rows if due; returns their ids."""
    state = session.get(DigestState, subscription.name)
    oldest = session.scalar(
        select(func.min(Delivery.created_at)).where(
            Delivery.subscription == subscription.name, Delivery.status == DeliveryStatus.DIGEST
        )
    )
    if oldest is None:
        return []
    since = max(oldest, state.last_digest_at) if state else oldest
    if not digest_due(subscription, since, now, timezone):
        return []
    waiting = session.scalars(
        select(Delivery)
        .where(Delivery.subscription == subscription.name, Delivery.status == DeliveryStatus.DIGEST)
        .order_by(Delivery.id)
    ).all()
    by_target: dict[str, list[Delivery]] = defaultdict(list)
    for row in waiting:
        by_target[row.target].append(row)
    digests = []
    collected_at = utcnow()  # ``now`` only decides what is due
    for target, rows in by_target.items():
        key = hashlib.sha256(
            f"digest|{subscription.name}|{target}|{rows[-1].id}".encode()
        ).hexdigest()
        digest = Delivery(
            key=key,
            subscription=subscription.name,
            target=target,
            target_label=rows[-1].target_label,
            status=DeliveryStatus.PENDING,
            next_attempt_at=collected_at,
            created_at=collected_at,
            payload={
                "since": state.last_digest_at.isoformat() if state else None,
                "events": len(rows),
            },
        )
        session.add(digest)
        session.flush()
        ids = [row.id for row in rows]
        taken = session.execute(
            update(Delivery)
            .where(Delivery.id.in_(ids), Delivery.status == DeliveryStatus.DIGEST)
            .values(status=DeliveryStatus.DIGESTED, digest_id=digest.id)
        )
        if rows_affected(taken) != len(ids):
            raise _Taken
        digests.append(digest.id)
    if state is None:
        session.add(
            DigestState(subscription=subscription.name, last_digest_at=now, last_count=len(waiting))
        )
    else:
        state.last_digest_at, state.last_count = now, len(waiting)
    return digests


def queue_due_digests(
    sessions: sessionmaker[Session], config: Config, now: datetime | None = None
) -> list[int]:
    """Put every due digest (``now``: naive UTC) in the outbox; returns the new delivery ids."""
    now = now or utcnow()
    queued: list[int] = []
    for subscription in config.subscriptions:
        if subscription.mode != AlertMode.DIGEST:
            continue
        try:
            with sessions.begin() as session:
                queued += _collect(session, subscription, now, config.timezone)
        except (_Taken, IntegrityError):
            log.info("digest %s: collected by another notifier", subscription.name)
    return queued


def send_due_digests(
    sessions: sessionmaker[Session],
    config: Config,
    now: datetime | None = None,
    *,
    deadline_seconds: float = 60.0,
    policy: RetryPolicy | None = None,
) -> DrainReport:
    """Queue every due digest and send them; the outbox retries what fails."""
    queued = queue_due_digests(sessions, config, now)
    if not queued:
        return DrainReport()
    return drain(sessions, config, deadline_seconds=deadline_seconds, policy=policy, ids=queued)
