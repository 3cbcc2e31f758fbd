"""Alert tests' data: a config, a stored notice with its event (enqueued like the recorder does)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from monitor.config import Config, RetryPolicy, Source, Subscription
from monitor.notify.outbox import enqueue
from monitor.simplified import to_simplified
from storage.db import utcnow
from storage.models import Delivery, Event, Notice, NoticeVersion
from storage.models import Source as SourceRow

XINXIANG = Source(
    id="xinxiang-jyj",
    name="新乡市教育局",
    url="https://jyj.xinxiang.gov.cn/tzgg/",
    tags=("province:河南",),
)
TAIPEI = Source(
    id="taipei-edu",
    name="臺北市教育局",
    url="https://www.doe.gov.taipei/news/",
    tags=("region:台湾",),
)
FAST = RetryPolicy(
    max_attempts=4, first_delay=0.2, max_delay=1.0, claim_seconds=5.0, send_timeout=10.0
)

TITLE = "关于做好2024年普通高校招生录取工作的通知"
URL = "https://jyj.xinxiang.gov.cn/tzgg/2024/0701/12345.html"
TEXT = (
    "各县（市、区）教育局，各普通高中：\n"
    "为做好我市2024年普通高校招生录取工作，现将有关事项通知如下。"
    "一、录取工作自7月8日开始，按批次进行。二、各校要做好考生志愿填报指导。"
    "三、录取结果以省教育考试院公布为准。\n新乡市教育局\n2024年7月1日"
)
ATTACHMENTS = [
    {
        "name": "附件1：录取工作日程安排.pdf",
        "url": "https://jyj.xinxiang.gov.cn/files/rc.pdf",
        "kind": "pdf",
    }
]


def make_config(
    storage_url: str,
    subscriptions: Sequence[Subscription],
    sources: Sequence[Source] = (XINXIANG, TAIPEI),
    path: Path = Path("noticewatch.toml"),
) -> Config:
    return Config(
        path=path,
        storage_url=storage_url,
        sources=tuple(sources),
        subscriptions=tuple(subscriptions),
    )


def store_event(
    sessions: sessionmaker[Session],
    config: Config,
    *,
    source: Source = XINXIANG,
    kind: str = "new",
    title: str = TITLE,
    text: str = TEXT,
    url: str = URL,
    published: date | None = date(2024, 7, 1),
    attachments: Sequence[dict] = ATTACHMENTS,
    details: dict | None = None,
) -> int:
    """Store a notice version and its event, enqueue its deliveries in the same transaction; the event id."""
    now = utcnow()
    with sessions.begin() as session:
        if session.get(SourceRow, source.id) is None:
            session.add(
                SourceRow(
                    id=source.id,
                    name=source.name,
                    url=source.url,
                    created_at=now,
                    baseline_done=True,
                )
            )
        notice = session.scalars(select(Notice).where(Notice.url == url)).one_or_none()
        if notice is None:
            notice = Notice(
                source_id=source.id,
                url=url,
                title=title,
                published=published,
                first_seen=now,
                last_seen=now,
            )
            session.add(notice)
        version = NoticeVersion(
            notice=notice,
            number=len(notice.versions) + 1,
            fingerprint=f"fp{len(notice.versions)}",
            title=title,
            published=published,
            text=text,
            title_simple=to_simplified(title),
            text_simple=to_simplified(text),
            attachments=list(attachments),
            fetched_at=now,
        )
        session.add(version)
        session.flush()
        event = Event(
            kind=kind,
            source_id=source.id,
            notice_id=notice.id,
            version_id=version.id,
            created_at=now,
            details=details or {},
        )
        session.add(event)
        session.flush()
        enqueue(session, event, source, config.subscriptions)
        return event.id


def store_source_event(
    sessions: sessionmaker[Session],
    config: Config,
    kind: str,
    details: dict,
    source: Source = XINXIANG,
) -> int:
    with sessions.begin() as session:
        if session.get(SourceRow, source.id) is None:
            session.add(
                SourceRow(id=source.id, name=source.name, url=source.url, created_at=utcnow())
            )
            session.flush()
        event = Event(kind=kind, source_id=source.id, created_at=utcnow(), details=details)
        session.add(event)
        session.flush()
        enqueue(session, event, source, config.subscriptions)
        return event.id


def deliveries(sessions: sessionmaker[Session]) -> list[Delivery]:
    with sessions() as session:
        return list(session.scalars(select(Delivery).order_by(Delivery.id)))
