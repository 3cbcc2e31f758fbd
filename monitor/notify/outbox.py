"""The outbox: one delivery row per matching subscription target, written in the event's transaction.

A row holds the event id, the subscription name, the target's hash and a
masked label, never the apprise URL (see :mod:`monitor.notify.targets`).
Digest-mode subscriptions get rows with status ``digest`` that wait for
:func:`monitor.notify.digest.send_due_digests`.
"""

from __future__ import annotations

import fnmatch
import hashlib
from collections.abc import Sequence

from sqlalchemy.orm import Session

from monitor.attachments.search import find_in_files
from monitor.attachments.store import files_of
from monitor.config import AlertMode, Source, Subscription
from monitor.events import KINDS, EventKind
from monitor.notify.targets import subscription_targets
from monitor.simplified import to_simplified
from storage.db import utcnow
from storage.models import Delivery, Event, NoticeVersion
from storage.queries import latest_version
from storage.states import DeliveryStatus
from storage.upsert import insert_ignore


def delivery_key(event_id: int, subscription: str, target: str) -> str:
    return hashlib.sha256(f"{event_id}|{subscription}|{target}".encode()).hexdigest()


def _normalised(text: str) -> str:
    return to_simplified(text).casefold()


def matches(
    subscription: Subscription,
    event: Event,
    source: Source,
    version: NoticeVersion | None,
    files: Sequence[tuple[str, str]] = (),
) -> bool:
    """Whether ``subscription`` wants ``event``.

    Keywords are matched in Simplified script on the title, the body and the text of
    the notice's ``files`` (name, 简体 text), so 招生 also finds a 繁體 page or a notice
    whose PDF alone says it; source health events are not filtered by keywords.
    """
    if event.kind not in subscription.events:
        return False
    if subscription.sources and not any(
        fnmatch.fnmatch(source.id, p) for p in subscription.sources
    ):
        return False
    if subscription.tags and not set(subscription.tags) & set(source.tags):
        return False
    if not KINDS[EventKind(event.kind)].about_notice:
        return True
    haystack = _normalised(f"{version.title_simple}\n{version.text_simple}") if version else ""
    haystack += "".join(f"\n{_normalised(text)}" for _, text in files)
    if subscription.keywords and not any(_normalised(k) in haystack for k in subscription.keywords):
        return False
    return not any(_normalised(k) in haystack for k in subscription.exclude_keywords)


def notice_files(session: Session, version: NoticeVersion | None) -> list[tuple[str, str]]:
    """(name, 简体 text) of the version's attachments that were read."""
    if version is None:
        return []
    return [
        (entry["name"], file.text_simple) for entry, file in files_of(session, version.attachments)
    ]


def _found_in_file(
    subscription: Subscription, version: NoticeVersion | None, files: Sequence[tuple[str, str]]
) -> dict:
    """``{"found_in": {"file", "snippet"}}`` when the subscription's keyword is only in a file."""
    if not subscription.keywords or not files or version is None:
        return {}
    body = _normalised(f"{version.title_simple}\n{version.text_simple}")
    if any(_normalised(k) in body for k in subscription.keywords):
        return {}
    found = find_in_files(subscription.keywords, files, _normalised)
    return {"found_in": {"file": found.file, "snippet": found.snippet}} if found else {}


def _version_of(session: Session, event: Event) -> NoticeVersion | None:
    if event.version_id:
        return session.get(NoticeVersion, event.version_id)
    return latest_version(session, event.notice_id) if event.notice_id else None


def enqueue(
    session: Session, event: Event, source: Source, subscriptions: Sequence[Subscription]
) -> int:
    """Add the deliveries ``event`` needs (flushed, not committed); returns how many were added.

    Never fails on a bad apprise URL: such a target is recorded and fails, visibly, when sent.
    """
    if event.silent:
        return 0
    version = _version_of(session, event)
    files = notice_files(session, version) if KINDS[EventKind(event.kind)].about_notice else []
    wanted = [s for s in subscriptions if matches(s, event, source, version, files)]
    if not wanted:
        return 0
    now = utcnow()
    added = 0
    for subscription in wanted:
        payload = _found_in_file(subscription, version, files)
        for target in subscription_targets(subscription):
            row = {
                "key": delivery_key(event.id, subscription.name, target.hash),
                "event_id": event.id,
                "subscription": subscription.name,
                "target": target.hash,
                "target_label": target.label,
                "status": DeliveryStatus.PENDING
                if subscription.mode == AlertMode.IMMEDIATE
                else DeliveryStatus.DIGEST,
                "next_attempt_at": now,
                "created_at": now,
                "payload": payload,
            }
            if insert_ignore(session, Delivery, row, ["key"]) is not None:  # once per key, ever
                added += 1
    session.flush()
    return added
