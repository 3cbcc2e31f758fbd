"""Database tables: sources, notices and their versions, events, crawl runs, outbox."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from storage.states import DeliveryStatus, NoticeStatus, RunOutcome


class Base(DeclarativeBase):
    type_annotation_map = {datetime: DateTime(), dict: JSON, list: JSON}  # naive UTC


class Source(Base):
    """A watched notice list page, mirrored from the config on every crawl."""

    __tablename__ = "sources"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(Text)
    tags: Mapped[list] = mapped_column(default=list)
    baseline_done: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    failing_since: Mapped[datetime | None]
    error_reported: Mapped[bool] = mapped_column(Boolean, default=False)
    list_etag: Mapped[str | None] = mapped_column(String(200))
    list_last_modified: Mapped[str | None] = mapped_column(String(100))
    due_since: Mapped[datetime | None]  # a due crawl waits for a free slot since then
    # a home-page source: the notice lists found on it, kept until they stop working
    # {"from": home URL, "columns": [names asked for], "lists": [{"label", "url"}]}
    found_lists: Mapped[dict | None]


class Notice(Base):
    """One notice, identified by the canonical URL its list links to.

    ``page_url`` is where the page was read when that link redirects (on the site): the
    address alerts and views point at; the link stays the key, as the list shows it.
    """

    __tablename__ = "notices"
    __table_args__ = (  # for the web UI: a source's newest notice; the list, newest first
        Index("ix_notices_source_first_seen", "source_id", "first_seen"),
        Index("ix_notices_listing", "duplicate_of_id", "published", "first_seen"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"), index=True)
    url: Mapped[str] = mapped_column(Text, unique=True)
    page_url: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    published: Mapped[date | None] = mapped_column(Date, index=True)
    first_seen: Mapped[datetime] = mapped_column(index=True)
    last_seen: Mapped[datetime]
    last_checked: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(20), default=NoticeStatus.ACTIVE)
    missing_checks: Mapped[int] = mapped_column(Integer, default=0)
    quiet_checks: Mapped[int] = mapped_column(Integer, default=0)  # re-checks in a row: unchanged
    fetch_problems: Mapped[int] = mapped_column(Integer, default=0)
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("notices.id"), index=True)
    etag: Mapped[str | None] = mapped_column(String(200))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    list_title: Mapped[str | None] = mapped_column(Text)
    list_date: Mapped[date | None] = mapped_column(Date)
    fingerprint: Mapped[str | None] = mapped_column(String(64), index=True)
    simhash: Mapped[int | None] = mapped_column(BigInteger)

    versions: Mapped[list[NoticeVersion]] = relationship(
        back_populates="notice", order_by="NoticeVersion.number", cascade="all, delete-orphan"
    )


class NoticeVersion(Base):
    """The extracted content of a notice at one point in time."""

    __tablename__ = "notice_versions"
    __table_args__ = (UniqueConstraint("notice_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id"))
    number: Mapped[int] = mapped_column(Integer)
    fingerprint: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text)
    published: Mapped[date | None] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    title_simple: Mapped[str] = mapped_column(Text)
    text_simple: Mapped[str] = mapped_column(Text)
    issuer: Mapped[str | None] = mapped_column(Text)
    doc_number: Mapped[str | None] = mapped_column(String(100))
    attachments: Mapped[list] = mapped_column(default=list)
    fetched_at: Mapped[datetime]

    notice: Mapped[Notice] = relationship(back_populates="versions")


class PendingLink(Base):
    """A notice link seen on a list page and not stored yet: retried until stored or given up."""

    __tablename__ = "pending_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"), index=True)
    url: Mapped[str] = mapped_column(Text, unique=True)
    list_title: Mapped[str] = mapped_column(Text, default="")
    list_date: Mapped[str | None] = mapped_column(String(40))  # the row's date text
    first_seen: Mapped[datetime]
    baseline: Mapped[bool] = mapped_column(Boolean, default=False)  # seen in the silent baseline
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    gave_up_at: Mapped[datetime | None]


class RobotsFile(Base):
    """A site's robots.txt as last read, kept for ``[crawl] robots_lifetime``."""

    __tablename__ = "robots_files"

    origin: Mapped[str] = mapped_column(String(300), primary_key=True)  # scheme://host:port
    body: Mapped[bytes] = mapped_column(LargeBinary)
    fetched_at: Mapped[datetime]


# notice_search, the full-text index of notices' latest versions, is dialect-specific (an FTS5
# table on SQLite): it is created by migration 0007 and written through storage/search.py.


class SimhashBlock(Base):
    """One block of a notice's SimHash: the index for near-duplicate candidates."""

    __tablename__ = "simhash_blocks"
    __table_args__ = (Index("ix_simhash_blocks_lookup", "block", "value"),)

    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id"), primary_key=True)
    block: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(Integer)


class CrawlRun(Base):
    """One crawl of one source: when, how it ended, what it found."""

    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"), index=True)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    outcome: Mapped[str] = mapped_column(String(30), default=RunOutcome.RUNNING)
    error: Mapped[str | None] = mapped_column(Text)
    http_status: Mapped[int | None] = mapped_column(Integer)
    requests: Mapped[int] = mapped_column(Integer, default=0)
    list_pages: Mapped[int] = mapped_column(Integer, default=0)
    links_found: Mapped[int] = mapped_column(Integer, default=0)
    details_fetched: Mapped[int] = mapped_column(Integer, default=0)
    new_count: Mapped[int] = mapped_column(Integer, default=0)
    changed_count: Mapped[int] = mapped_column(Integer, default=0)
    problems: Mapped[list] = mapped_column(default=list)
    owner: Mapped[str | None] = mapped_column(String(200))  # host:pid of the recording process
    complete: Mapped[bool] = mapped_column(
        Boolean, default=False
    )  # read every list page it meant to


class Event(Base):
    """Something a user may be told about: new, changed, withdrawn, source health."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"), index=True)
    notice_id: Mapped[int | None] = mapped_column(ForeignKey("notices.id"), index=True)
    version_id: Mapped[int | None] = mapped_column(ForeignKey("notice_versions.id"), index=True)
    crawl_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(index=True)
    silent: Mapped[bool] = mapped_column(Boolean, default=False)
    details: Mapped[dict] = mapped_column(default=dict)


class Delivery(Base):
    """Outbox row: one event for one subscription target, sent at least once."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("key"),
        Index("ix_deliveries_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id"), index=True)
    subscription: Mapped[str] = mapped_column(String(100))
    target: Mapped[str] = mapped_column(String(64))  # hash of the apprise URL, never the URL
    target_label: Mapped[str] = mapped_column(String(200))  # masked: scheme and host only
    status: Mapped[str] = mapped_column(String(20), default=DeliveryStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    claimed_until: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(200))  # host:pid of the notifier
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    payload: Mapped[dict] = mapped_column(default=dict)
    # status "digest": waits for its subscription's digest; "digested": sent inside the digest row
    # ``digest_id`` (a digest row has no event_id and lists its events through that link)
    digest_id: Mapped[int | None] = mapped_column(ForeignKey("deliveries.id"), index=True)


class SchedulerLock(Base):
    """Who holds the right to schedule crawls on this database (one daemon at a time)."""

    __tablename__ = "scheduler_lock"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))
    expires_at: Mapped[datetime]


class ScheduledJob(Base):
    """The daemon's schedule (APScheduler's SQLAlchemy job store): next run times survive a restart."""

    __tablename__ = "scheduled_jobs"

    id: Mapped[str] = mapped_column(
        String(191), primary_key=True
    )  # "crawl:<source id>", "digest:<cron>"
    next_run_time: Mapped[float | None] = mapped_column(Float(25), index=True)  # UTC epoch seconds
    job_state: Mapped[bytes] = mapped_column(LargeBinary)  # pickled by APScheduler


class DigestState(Base):
    """When a digest-mode subscription last had its digest collected."""

    __tablename__ = "digest_state"

    subscription: Mapped[str] = mapped_column(String(100), primary_key=True)
    last_digest_at: Mapped[datetime]
    last_count: Mapped[int] = mapped_column(Integer, default=0)


class AttachmentFile(Base):
    """One attachment content, identified by its sha256 and stored once whoever links it.

    ``status`` says what reading it gave: ``text``, ``scanned`` (a PDF without a text
    layer), ``listing`` (an archive's file names), ``unreadable`` (``note`` says why).
    ``path`` is where the file itself is kept when ``[attachments] store`` is a directory.
    """

    __tablename__ = "attachment_files"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    size: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text, default="")
    text_simple: Mapped[str] = mapped_column(Text, default="")
    pages: Mapped[int | None] = mapped_column(Integer)
    rows: Mapped[int | None] = mapped_column(Integer)
    path: Mapped[str | None] = mapped_column(Text)
    first_seen: Mapped[datetime]


class NoticeAttachment(Base):
    """A file a notice links now: what was last fetched from its URL, or why it failed.

    A row with ``error`` and no ``gave_up_at`` is pending work: its notice is read again
    (with its attachments) on the source's later crawls until the file is read.
    """

    __tablename__ = "notice_attachments"
    __table_args__ = (UniqueConstraint("notice_id", "url"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    url: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(10))
    sha256: Mapped[str | None] = mapped_column(ForeignKey("attachment_files.sha256"), index=True)
    etag: Mapped[str | None] = mapped_column(String(200))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    fetched_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(index=True)
    gave_up_at: Mapped[datetime | None]
