"""Write one delivery row per matching subscription target, in the event's transaction."""

from __future__ import annotations

import fnmatch
import hashlib
from collections.abc import Sequence

from sqlalchemy.orm import Session

from monitor.config import Source, Subscription
from storage.db import utcnow
from storage.models import Delivery, Event, NoticeVersion


def target_hash(url: str) -> str:
    return hashlib.sha256(url.encode()).hexdigest()[:32]


def masked(url: str) -> str:
    """``scheme://host`` only: apprise URLs carry secrets in every other part."""
    scheme, _, rest = url.partition("://")
    host = rest.split("/", 1)[0].rsplit("@", 1)[-1].split(":", 1)[0]
    return f"{scheme}://{host}" if rest else scheme


def matches(subscription: Subscription, event: Event, source: Source, version: NoticeVersion | None) -> bool:
    """Whether ``subscription`` wants ``event``."""
    if event.kind not in subscription.events:
        return False
    if subscription.sources and not any(fnmatch.fnmatch(source.id, p) for p in subscription.sources):
        return False
    if subscription.tags and not set(subscription.tags) & set(source.tags):
        return False
    if version is None:
        return not subscription.keywords
    haystack = f"{version.title_simple}\n{version.text_simple}"
    if subscription.keywords and not any(k in haystack for k in subscription.keywords):
        return False
    return not any(k in haystack for k in subscription.exclude_keywords)


def enqueue(session: Session, event: Event, source: Source, subscriptions: Sequence[Subscription]) -> int:
    """Add pending deliveries for ``event``; returns how many were added."""
    version = session.get(NoticeVersion, event.version_id) if event.version_id else None
    now = utcnow()
    added = 0
    for subscription in subscriptions:
        if not matches(subscription, event, source, version):
            continue
        for url in subscription.notify:
            target = target_hash(url)
            session.add(
                Delivery(
                    key=hashlib.sha256(f"{event.id}|{subscription.name}|{target}".encode()).hexdigest(),
                    event_id=event.id,
                    subscription=subscription.name,
                    target=target,
                    target_label=masked(url),
                    status="pending" if subscription.mode == "immediate" else "digest",
                    next_attempt_at=now,
                    created_at=now,
                )
            )
            added += 1
    return added
