"""Load what an alert needs from the database and build its message."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.attachments.summary import attachment_summary
from monitor.config import Config
from monitor.notify.layout import Digest, Item, Message
from monitor.notify.messages import digest_message, notice_message, source_message
from storage.models import Delivery, Event, Notice, NoticeVersion
from storage.models import Source as SourceRow
from storage.queries import latest_version


def _source_name_and_url(session: Session, config: Config, source_id: str) -> tuple[str, str]:
    try:
        source = config.source(source_id)
        return source.name, source.url
    except KeyError:  # removed from the config since
        row = session.get(SourceRow, source_id)
        return (row.name, row.url) if row else (source_id, "")


def _reposts(session: Session, config: Config, notice: Notice) -> list[Item]:
    """The other URLs the same notice was found at (grouped duplicates)."""
    root = notice.duplicate_of_id or notice.id
    rows = session.scalars(
        select(Notice)
        .where((Notice.duplicate_of_id == root) | (Notice.id == root))
        .order_by(Notice.id)
    )
    return [
        Item(_source_name_and_url(session, config, row.source_id)[0], row.url)
        for row in rows
        if row.id != notice.id
    ]


def event_message(session: Session, config: Config, event: Event) -> Message:
    """The alert for one stored event."""
    name, url = _source_name_and_url(session, config, event.source_id)
    if event.notice_id is None:
        return source_message(event, name, url, config.zone)
    notice = session.get_one(Notice, event.notice_id)
    version = session.get(NoticeVersion, event.version_id) if event.version_id else None
    version = version or latest_version(session, notice.id)
    lead = attachment_summary(session, version.text, version.attachments) if version else None
    return notice_message(event, notice, version, name, _reposts(session, config, notice), lead)


def delivery_content(session: Session, config: Config, delivery: Delivery) -> Message | Digest:
    """What ``delivery`` sends: its event's alert, or for a digest row every event it collected."""
    if delivery.event_id is not None:
        message = event_message(session, config, session.get_one(Event, delivery.event_id))
        found = (delivery.payload or {}).get("found_in")
        if found:  # the subscription's keyword is only in an attachment (notify.outbox)
            fact = ("关键词见附件", f"「{found['file']}」：{found['snippet']}")
            message = replace(message, facts=(*message.facts, fact))
        return message
    events = session.scalars(
        select(Event)
        .join(Delivery, Delivery.event_id == Event.id)
        .where(Delivery.digest_id == delivery.id)
        .order_by(Event.id)
    ).all()
    since = (delivery.payload or {}).get("since")
    return digest_message(
        delivery.subscription,
        [event_message(session, config, event) for event in events],
        datetime.fromisoformat(since) if since else None,
        config.zone,
    )
