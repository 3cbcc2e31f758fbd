"""The JSON API's documents, in the CLI's ``--json`` convention (``monitor.commands.views``):
snake_case keys always present, times in UTC with a ``Z``, ids as stored."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from monitor.commands.notices import notice_summary
from monitor.commands.views import utc_iso
from monitor.web import queries
from storage.models import Notice


def notice_list(session: Session, result: queries.NoticePage) -> dict[str, Any]:
    badges = queries.badges(session, result.notices)
    reposts = queries.reposts(session, result.notices)
    return {
        "page": result.page,
        "size": result.size,
        "has_next": result.has_next,
        "total": result.total,
        "notices": [
            notice_summary(n)
            | {
                "events": badges[n.id],
                "also_published_at": [_copy(c) for c in reposts[n.id]],
            }
            for n in result.notices
        ],
    }


def _copy(notice: Notice) -> dict[str, Any]:
    return {"id": notice.id, "source": notice.source_id, "url": notice.page_url or notice.url}


def notice_detail(session: Session, notice: Notice) -> dict[str, Any]:
    versions = list(notice.versions)
    latest = versions[-1] if versions else None
    return notice_summary(notice) | {
        "events": queries.badges(session, [notice])[notice.id],
        "issuer": latest.issuer if latest else None,
        "doc_number": latest.doc_number if latest else None,
        "text": latest.text if latest else None,
        "attachments": latest.attachments if latest else [],
        "versions": [
            {"number": v.number, "fetched_at": utc_iso(v.fetched_at), "title": v.title}
            for v in versions
        ],
        "also_published_at": [_copy(c) for c in queries.reposts(session, [notice])[notice.id]],
    }


def source_health(health: queries.SourceHealth) -> dict[str, Any]:
    status, run = health.status, health.status.last_run
    return {
        "id": status.source.id,
        "name": status.source.name,
        "url": status.source.url,
        "tags": list(status.source.tags),
        "enabled": status.source.enabled,
        "last_run": utc_iso(run.started_at) if run else None,
        "outcome": run.outcome if run else None,
        "error": run.error if run else None,
        "consecutive_failures": status.consecutive_failures,
        "next_run": utc_iso(status.next_run),
        "notices": status.notices,
        "last_new_notice": utc_iso(health.last_new),
    }
