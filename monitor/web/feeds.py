"""Atom 1.0 feeds of notices (RFC 4287), written with ElementTree so every text is escaped."""

from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, tzinfo
from email.utils import format_datetime, parsedate_to_datetime
from xml.etree import ElementTree as ET

from monitor.commands.views import as_utc
from monitor.plain_text import plain
from storage.models import Notice, NoticeVersion

ATOM = "http://www.w3.org/2005/Atom"
SUMMARY_CHARS = 300
ET.register_namespace("", ATOM)


@dataclass(frozen=True)
class Feed:
    title: str
    self_url: str  # this feed
    page_url: str  # the web page showing the same notices
    base_url: str  # the web UI's root, for entry ids and links


def _iso(moment: datetime) -> str:
    return as_utc(moment).strftime("%Y-%m-%dT%H:%M:%SZ")


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    if text is not None:
        element.text = plain(text)
    return element


def published_at(notice: Notice, zone: tzinfo) -> datetime:
    """The publish date at midnight in ``zone``, else when it was first seen."""
    if notice.published is None:
        return as_utc(notice.first_seen)
    return datetime.combine(notice.published, time.min, zone).astimezone(UTC)


def updated_at(notice: Notice, version: NoticeVersion | None) -> datetime:
    return as_utc(version.fetched_at if version else notice.first_seen)


def atom(
    feed: Feed,
    notices: Sequence[Notice],
    versions: Mapping[int, NoticeVersion],
    names: Mapping[str, str],
    zone: tzinfo,
) -> tuple[bytes, datetime]:
    """The feed document and when it last changed."""
    root = ET.Element(f"{{{ATOM}}}feed")
    _sub(root, "title", feed.title)
    _sub(root, "id", feed.self_url)
    _sub(root, "link", rel="self", href=feed.self_url, type="application/atom+xml")
    _sub(root, "link", rel="alternate", href=feed.page_url, type="text/html")
    _sub(root, "generator", "noticewatch")
    updated = max(
        (updated_at(n, versions.get(n.id)) for n in notices),
        default=datetime(2000, 1, 1, tzinfo=UTC),
    )
    _sub(root, "updated", _iso(updated))
    for notice in notices:
        _entry(root, feed, notice, versions.get(notice.id), names, zone)
    body = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return body, updated


def _entry(
    root: ET.Element,
    feed: Feed,
    notice: Notice,
    version: NoticeVersion | None,
    names: Mapping[str, str],
    zone: tzinfo,
) -> None:
    entry = _sub(root, "entry")
    _sub(entry, "id", f"{feed.base_url}notices/{notice.id}")
    _sub(entry, "title", notice.title)
    _sub(entry, "link", rel="alternate", href=notice.page_url or notice.url, type="text/html")
    _sub(entry, "link", rel="related", href=f"{feed.base_url}notices/{notice.id}")
    _sub(entry, "published", _iso(published_at(notice, zone)))
    _sub(entry, "updated", _iso(updated_at(notice, version)))
    author = _sub(entry, "author")
    _sub(author, "name", names.get(notice.source_id, notice.source_id))
    if version is not None:
        text = version.text.strip()
        summary = text[:SUMMARY_CHARS] + ("…" if len(text) > SUMMARY_CHARS else "")
        _sub(entry, "summary", summary, type="text")
        for attachment in version.attachments or []:
            url = str(attachment.get("url", ""))
            if url.startswith(("http://", "https://")):
                kind = mimetypes.guess_type(url)[0] or "application/octet-stream"
                name = str(attachment.get("name") or url)
                _sub(entry, "link", rel="enclosure", href=url, type=kind, title=plain(name))


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def http_date(moment: datetime) -> str:
    return format_datetime(as_utc(moment).replace(microsecond=0), usegmt=True)


def not_modified(headers: Mapping[str, str], etag: str, updated: datetime) -> bool:
    """Whether a conditional GET's validators say the client's copy is current."""
    if_none_match = headers.get("if-none-match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return etag in tags or "*" in tags
    since = headers.get("if-modified-since")
    if since:
        try:
            return as_utc(updated).replace(microsecond=0) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False
