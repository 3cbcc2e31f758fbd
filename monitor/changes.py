"""Turn what a crawl saw into stored notices, versions and events.

NEW: first seen after the source's silent baseline. CHANGED: the content
fingerprint differs from the latest version (a new version, with a summary of
what changed). WITHDRAWN: 404/410 on two consecutive checks. DUPLICATE: the
same notice under another URL or source (compared in 简体), linked to the
first-seen copy and not alerted unless ``alert_reposts``. UNCHANGED makes no
event, and neither does a truncated or empty fetch: that is a fetch problem.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import bindparam, delete, func, insert, or_, select
from sqlalchemy.orm import Session, aliased

from monitor import simhash
from monitor.attachments.compare import file_changes
from monitor.config import ChangePolicy
from monitor.diff import text_changes
from monitor.events import EventKind
from monitor.extract import Attachment, ExtractedNotice
from monitor.garble import garbled_share
from storage import search
from storage.models import Event, Notice, NoticeVersion, SimhashBlock
from storage.states import NoticeStatus
from storage.upsert import insert_ignore

_SPACE = re.compile(r"\s+")
_VOLATILE = re.compile(
    r"(阅读|閱讀|浏览|瀏覽|点击|點擊|访问|訪問|查看|评论|評論|回复|回覆)(次数|次數|量|数|數)?\s*[:：]?\s*\d+\s*次?"
    r"|GMT\+8,?\s*\d{4}-\d{1,2}-\d{1,2}\s*\d{1,2}:\d{2}"
    r"|当前时间[:：]?\s*\S+"
)
_SOFT_404 = re.compile(
    r"页面不存在|頁面不存在|找不到(该|您)?(页面|网页|文章)|文章不存在|已被删除|系统提示|404 Not Found"
)
MIN_DEDUP_CHARS = 60
GARBLED = 0.1  # a share of misdecoded characters this much above the stored version's
DEFAULT_POLICY = ChangePolicy()


@dataclass(frozen=True)
class Fetched:
    """One successfully fetched and extracted detail page."""

    source_id: str
    url: str
    notice: ExtractedNotice
    fetched_at: datetime
    etag: str | None = None
    last_modified: str | None = None
    list_title: str | None = None
    list_date: date | None = None
    page_url: str | None = None  # where the page was read, when a redirect moved it
    contents: Mapping[str, str] = field(default_factory=dict)  # attachment URL -> its sha256

    @property
    def moved_to(self) -> str | None:
        return self.page_url if self.page_url and self.page_url != self.url else None


class SuspectFetch(Exception):
    """The page came back truncated, empty or as an error page: not a change."""


def normalise(text: str) -> str:
    """Comparison form: NFKC, volatile counters and timestamps removed, no whitespace."""
    return _SPACE.sub("", _VOLATILE.sub("", unicodedata.normalize("NFKC", text)))


def fingerprint(notice: ExtractedNotice, contents: Mapping[str, str] | None = None) -> str:
    """Hash of the normalised 简体 title, body and attachment list: each file by its content's
    sha256 when it was downloaded (``contents``), else by its URL."""
    files = [(a.name, (contents or {}).get(a.url) or a.url) for a in notice.attachments]
    return _digest(notice.title_simple or notice.title, notice.text_simple or notice.text, files)


def _digest(title: str, text: str, files: list[tuple[str, str]]) -> str:
    parts = [normalise(title), normalise(text), *sorted(f"{name}|{key}" for name, key in files)]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _only_contents_learned(previous: NoticeVersion, fetched: Fetched, digest: str) -> bool:
    """The only news: contents of files the previous version could not download."""
    files = [
        (a["name"], a.get("sha256") or fetched.contents.get(a["url"]) or a["url"])
        for a in previous.attachments
    ]
    return _digest(previous.title_simple, previous.text_simple, files) == digest


def _attachments_json(attachments: list[Attachment], contents: Mapping[str, str]) -> list[dict]:
    return [
        {"name": a.name, "url": a.url, "kind": a.kind, "sha256": contents.get(a.url)}
        for a in attachments
    ]


def check_plausible(previous: NoticeVersion, notice: ExtractedNotice, policy: ChangePolicy) -> None:
    """Raise :class:`SuspectFetch` when ``notice`` looks like a broken fetch of ``previous``."""
    old, new = normalise(previous.text_simple), normalise(notice.text_simple or notice.text)
    if old and not new:
        raise SuspectFetch("the page came back with no text")
    if len(new) < 200 and _SOFT_404.search(new) and not _SOFT_404.search(old):
        raise SuspectFetch("the page came back as an error page")
    if old.startswith(new) and len(new) < len(old) * policy.min_length_ratio:
        raise SuspectFetch(f"the page came back truncated ({len(new)} of {len(old)} characters)")
    was, now = garbled_share(f"{previous.title}{old}"), garbled_share(f"{notice.title}{new}")
    if now >= GARBLED and now > was + GARBLED:
        raise SuspectFetch(
            f"the page came back garbled ({now:.0%} unreadable characters, was {was:.0%}):"
            " decoded in the wrong charset?"
        )


def change_details(session: Session, previous: NoticeVersion, current: NoticeVersion) -> dict:
    """A compact summary of what changed, for the alert."""
    details: dict = {
        "summary": [
            {"removed": c.removed, "added": c.added}
            for c in text_changes(previous.text, current.text)
        ]
    }
    if previous.title != current.title:
        details["title"] = {"old": previous.title, "new": current.title}
    details |= file_changes(session, previous.attachments, current.attachments)
    return details


def find_notice(session: Session, url: str) -> Notice | None:
    return session.scalars(select(Notice).where(Notice.url == url)).one_or_none()


_FIRST = aliased(Notice)
_FIRST_OF = select(_FIRST.id, _FIRST.url, _FIRST.source_id).join(
    Notice, _FIRST.id == func.coalesce(Notice.duplicate_of_id, Notice.id)
)
"""(id, URL, source) of the notice a notice is a repost of, or of itself."""
_SAME_FINGERPRINT = (
    _FIRST_OF.where(Notice.fingerprint == bindparam("digest")).order_by(Notice.id).limit(1)
)
_FIRST_OF_ID = _FIRST_OF.where(Notice.id == bindparam("notice_id"))
_NEAR = (
    select(Notice.id, Notice.simhash)
    .where(
        Notice.id.in_(
            select(SimhashBlock.notice_id)
            .where(
                or_(
                    *(
                        (SimhashBlock.block == index)
                        & (SimhashBlock.value == bindparam(f"block{index}"))
                        for index in range(simhash.BLOCKS)
                    )
                )
            )
            .distinct()
            .limit(200)
        )
    )
    .order_by(Notice.id)
)
"""Notices sharing a 16-bit block of SimHash with ``block0`` … ``block3``: the candidates."""
_INSERT_VERSION = insert(NoticeVersion).returning(NoticeVersion.id)


def find_duplicate(
    session: Session, value: int, digest: str, policy: ChangePolicy
) -> tuple[int, str, str] | None:
    """The first-seen notice with the same fingerprint or a SimHash within the distance:
    (id, URL, source) of the notice it is itself a repost of, or of itself."""
    same = session.execute(_SAME_FINGERPRINT, {"digest": digest}).first()
    if same is not None:
        return same.tuple()
    blocks = {f"block{index}": block for index, block in enumerate(simhash.blocks(value))}
    for notice_id, stored in session.execute(_NEAR, blocks):
        if (
            stored is not None
            and simhash.distance(simhash.from_signed(stored), value) <= policy.duplicate_distance
        ):
            return session.execute(_FIRST_OF_ID, {"notice_id": notice_id}).one().tuple()
    return None


def _index_simhash(session: Session, notice: Notice, value: int | None) -> None:
    session.execute(delete(SimhashBlock).where(SimhashBlock.notice_id == notice.id))
    notice.simhash = simhash.to_signed(value) if value is not None else None
    if value is not None:
        session.add_all(
            SimhashBlock(notice_id=notice.id, block=i, value=b)
            for i, b in enumerate(simhash.blocks(value))
        )


def _add_version(session: Session, notice: Notice, fetched: Fetched, digest: str) -> NoticeVersion:
    version = NoticeVersion(
        notice=notice, number=len(notice.versions) + 1, **_version_values(fetched, digest)
    )
    session.add(version)
    search.index_version(session, notice.id, version)
    notice.title = fetched.notice.title or notice.title
    notice.published = fetched.notice.published or notice.published
    notice.fingerprint = digest
    return version


def _version_values(fetched: Fetched, digest: str) -> dict:
    extracted = fetched.notice
    return {
        "fingerprint": digest,
        "title": extracted.title,
        "published": extracted.published,
        "text": extracted.text,
        "title_simple": extracted.title_simple or extracted.title,
        "text_simple": extracted.text_simple or extracted.text,
        "issuer": extracted.issuer,
        "doc_number": extracted.doc_number,
        "attachments": _attachments_json(extracted.attachments, fetched.contents),
        "fetched_at": fetched.fetched_at,
    }


def _event(
    session: Session,
    kind: EventKind,
    notice: tuple[int, str],
    version_id: int | None,
    run_id: int | None,
    when: datetime,
    details: dict | None = None,
) -> Event:
    """A stored event about the notice ``(id, source)``."""
    notice_id, source_id = notice
    event = Event(
        kind=kind,
        source_id=source_id,
        notice_id=notice_id,
        version_id=version_id,
        crawl_run_id=run_id,
        created_at=when,
        details=details or {},
    )
    session.add(event)
    session.flush()
    return event


def _text_hash(notice: ExtractedNotice) -> int | None:
    text = notice.text_simple or notice.text
    if len(normalise(text)) < MIN_DEDUP_CHARS:
        return None
    return simhash.simhash(f"{notice.title_simple}\n{text}")


def _record_first_sight(
    session: Session,
    fetched: Fetched,
    digest: str,
    *,
    baseline: bool,
    run_id: int | None,
    policy: ChangePolicy,
) -> list[Event]:
    """A notice never stored: its row, first version, SimHash blocks and search document in
    a few plain inserts (the first crawl of a site stores hundreds of these)."""
    value = _text_hash(fetched.notice)
    original = find_duplicate(session, value, digest, policy) if value is not None else None
    notice_id = insert_ignore(
        session,
        Notice,
        {
            "source_id": fetched.source_id,
            "url": fetched.url,
            "page_url": fetched.moved_to,
            "title": fetched.notice.title or fetched.list_title or fetched.url,
            "published": fetched.notice.published,
            "first_seen": fetched.fetched_at,
            "last_seen": fetched.fetched_at,
            "last_checked": fetched.fetched_at,
            "etag": fetched.etag,
            "last_modified": fetched.last_modified,
            "list_title": fetched.list_title,
            "list_date": fetched.list_date,
            "duplicate_of_id": original[0] if original else None,
            "fingerprint": digest,
            "simhash": simhash.to_signed(value) if value is not None else None,
        },
        ["url"],
    )
    if notice_id is None:  # another writer stored this URL first: it is a known notice now
        return record_fetched(session, fetched, baseline=baseline, run_id=run_id, policy=policy)
    values = {"notice_id": notice_id, "number": 1, **_version_values(fetched, digest)}
    version_id = session.scalar(_INSERT_VERSION, values)
    search.index_version(session, notice_id, NoticeVersion(**values), fresh=True)
    if value is not None:
        session.execute(
            insert(SimhashBlock),
            [
                {"notice_id": notice_id, "block": index, "value": block}
                for index, block in enumerate(simhash.blocks(value))
            ],
        )
    if baseline:
        return []
    notice = (notice_id, fetched.source_id)
    if original is None:
        return [_event(session, EventKind.NEW, notice, version_id, run_id, fetched.fetched_at)]
    first_id, first_url, first_source = original
    details = {"duplicate_of": first_id, "first_url": first_url, "first_source": first_source}
    kind = EventKind.NEW if policy.alert_reposts else EventKind.DUPLICATE
    return [_event(session, kind, notice, version_id, run_id, fetched.fetched_at, details)]


def record_fetched(
    session: Session,
    fetched: Fetched,
    *,
    baseline: bool,
    run_id: int | None,
    policy: ChangePolicy = DEFAULT_POLICY,
) -> list[Event]:
    """Store one fetched notice; return its events. Raises SuspectFetch for a broken fetch."""
    digest = fingerprint(fetched.notice, fetched.contents)
    notice = find_notice(session, fetched.url)
    if notice is None:
        return _record_first_sight(
            session, fetched, digest, baseline=baseline, run_id=run_id, policy=policy
        )

    previous = notice.versions[-1] if notice.versions else None
    if previous is not None and notice.fingerprint != digest:
        check_plausible(previous, fetched.notice, policy)
    notice.last_seen = notice.last_checked = fetched.fetched_at
    notice.etag, notice.last_modified = fetched.etag, fetched.last_modified
    notice.page_url = fetched.moved_to
    notice.missing_checks = notice.fetch_problems = 0
    notice.status = NoticeStatus.ACTIVE
    if notice.fingerprint == digest:
        notice.quiet_checks += 1
        links = _attachments_json(fetched.notice.attachments, fetched.contents)
        if previous is not None and links != previous.attachments:
            previous.attachments = links  # the same files under new URLs: the version keeps them
        return []
    if previous is not None and _only_contents_learned(previous, fetched, digest):
        # files the stored version could not download were read now: the same version
        previous.attachments = _attachments_json(fetched.notice.attachments, fetched.contents)
        previous.fingerprint = notice.fingerprint = digest
        search.index_version(session, notice.id, previous)  # their text is searchable now
        return []
    notice.quiet_checks = 0
    version = _add_version(session, notice, fetched, digest)
    session.flush()
    _index_simhash(session, notice, _text_hash(fetched.notice))
    if previous is None or baseline:
        return []
    details = change_details(session, previous, version)
    return [
        _event(
            session,
            EventKind.CHANGED,
            (notice.id, notice.source_id),
            version.id,
            run_id,
            fetched.fetched_at,
            details,
        )
    ]


def record_not_modified(session: Session, url: str, when: datetime) -> None:
    """A 304 for a known notice: it is still there and unchanged."""
    notice = find_notice(session, url)
    if notice is not None:
        notice.last_checked = notice.last_seen = when
        notice.missing_checks = 0
        notice.quiet_checks += 1


def record_suspect(session: Session, url: str) -> None:
    notice = find_notice(session, url)
    if notice is not None:
        notice.fetch_problems += 1


def record_gone(
    session: Session, url: str, when: datetime, run_id: int | None, *, checks_to_withdraw: int = 2
) -> list[Event]:
    """A 404/410 for a known notice: WITHDRAWN on the second check in a row."""
    notice = find_notice(session, url)
    if notice is None or notice.status == NoticeStatus.WITHDRAWN:
        return []
    notice.missing_checks += 1
    notice.last_checked = when
    if notice.missing_checks < checks_to_withdraw:
        return []
    notice.status = NoticeStatus.WITHDRAWN
    latest = notice.versions[-1] if notice.versions else None
    return [
        _event(
            session,
            EventKind.WITHDRAWN,
            (notice.id, notice.source_id),
            latest.id if latest else None,
            run_id,
            when,
            {"checks": notice.missing_checks},
        )
    ]
