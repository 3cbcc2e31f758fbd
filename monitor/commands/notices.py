"""``noticewatch notices list|show``: look at what is stored."""

from __future__ import annotations

import argparse
import json
from datetime import date

from rich.table import Table

from monitor import pending
from monitor.commands.common import sessions_of
from monitor.console import console
from monitor.diff import unified
from monitor.plain_text import cell, plain
from storage import queries
from storage.models import Notice, PendingLink


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("notices", help="list and show stored notices")
    actions = parser.add_subparsers(dest="action", required=True)
    listing = actions.add_parser("list", help="newest notices first")
    listing.add_argument("--source", metavar="ID")
    listing.add_argument("--since", type=date.fromisoformat, metavar="YYYY-MM-DD")
    listing.add_argument("--limit", type=int, default=50)
    listing.add_argument("--json", action="store_true", help="JSON lines instead of a table")
    listing.add_argument(
        "--pending",
        action="store_true",
        help="notice links seen on a list but not stored yet (retried, or given up)",
    )
    listing.set_defaults(handler=handle_list)
    show = actions.add_parser("show", help="one notice: fields, text, versions, duplicates")
    show.add_argument("id", type=int)
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=handle_show)
    diff = actions.add_parser("diff", help="what changed between versions (default: the last two)")
    diff.add_argument("id", type=int)
    diff.add_argument(
        "--version", type=int, metavar="N", help="compare version N with the one before it"
    )
    diff.set_defaults(handler=handle_diff)


def notice_summary(notice: Notice) -> dict:
    return {
        "id": notice.id,
        "source": notice.source_id,
        "title": notice.title,
        "published": notice.published.isoformat() if notice.published else None,
        "url": notice.url,
        "page_url": notice.page_url,  # where the link redirects, when it does
        "status": notice.status,
        "first_seen": notice.first_seen.isoformat(timespec="seconds") + "Z",
        "duplicate_of": notice.duplicate_of_id,
    }


def pending_summary(row: PendingLink) -> dict:
    return {
        "source": row.source_id,
        "title": row.list_title,
        "url": row.url,
        "first_seen": row.first_seen.isoformat(timespec="seconds") + "Z",
        "attempts": row.attempts,
        "state": "given up" if row.gave_up_at else "retrying",
        "last_error": row.last_error,
    }


def handle_pending(args: argparse.Namespace) -> int:
    with sessions_of(args)() as session:
        rows = [pending_summary(row) for row in pending.listed(session, args.source)]
    if args.json:
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
        return 0
    table = Table("source", "state", "attempts", "title", "last error", box=None)
    for row in rows:
        table.add_row(
            row["source"],
            row["state"],
            str(row["attempts"]),
            cell(row["title"] or row["url"]),
            cell((row["last_error"] or "")[:60]),
        )
    console.print(table)
    if not rows:
        console.print("no pending notice links: every link seen is stored", markup=False)
    return 0


def handle_list(args: argparse.Namespace) -> int:
    if args.pending:
        return handle_pending(args)
    with sessions_of(args)() as session:
        notices = queries.list_notices(
            session, source_id=args.source, since=args.since, limit=args.limit
        )
        if args.json:
            for notice in notices:
                print(json.dumps(notice_summary(notice), ensure_ascii=False))
            return 0
        table = Table("id", "published", "source", "title", box=None)
        for notice in notices:
            published = notice.published.isoformat() if notice.published else "—"
            table.add_row(str(notice.id), published, notice.source_id, cell(notice.title))
        console.print(table)
    return 0


def handle_show(args: argparse.Namespace) -> int:
    with sessions_of(args)() as session:
        notice = session.get(Notice, args.id)
        if notice is None:
            console.print(f"no notice with id {args.id}")
            return 1
        versions = notice.versions
        latest = versions[-1] if versions else None
        duplicates = queries.duplicates_of(session, notice.id)
        data = notice_summary(notice) | {
            "issuer": latest.issuer if latest else None,
            "doc_number": latest.doc_number if latest else None,
            "attachments": latest.attachments if latest else [],
            "text": latest.text if latest else "",
            "versions": [
                {
                    "number": v.number,
                    "fetched_at": v.fetched_at.isoformat(timespec="seconds") + "Z",
                    "title": v.title,
                }
                for v in versions
            ],
            "also_published_at": [
                {"id": d.id, "source": d.source_id, "url": d.url} for d in duplicates
            ],
        }
        if args.json:
            print(json.dumps(data, ensure_ascii=False, indent=2))
            return 0
        console.print(plain(render_notice(data)), markup=False)
    return 0


def render_notice(data: dict) -> str:
    lines = [
        data["title"],
        f"id {data['id']} · {data['source']} · published {data['published'] or 'unknown'} · {data['status']}",
        data["page_url"] or data["url"],
    ]
    if data["issuer"]:
        lines.append(f"来源: {data['issuer']}")
    if data["doc_number"]:
        lines.append(f"文号: {data['doc_number']}")
    lines += ["", data["text"], ""]
    lines += [f"附件: {a['name']} <{a['url']}>" for a in data["attachments"]]
    lines.append(
        "versions: " + ", ".join(f"#{v['number']} {v['fetched_at']}" for v in data["versions"])
    )
    if data["duplicate_of"]:
        lines.append(f"duplicate of notice {data['duplicate_of']}")
    lines += [f"also published at: {d['url']} ({d['source']})" for d in data["also_published_at"]]
    return "\n".join(lines)


def handle_diff(args: argparse.Namespace) -> int:
    with sessions_of(args)() as session:
        notice = session.get(Notice, args.id)
        if notice is None:
            console.print(f"no notice with id {args.id}")
            return 1
        versions = {v.number: v for v in notice.versions}
        number = args.version or max(versions)
        if number not in versions or number - 1 not in versions:
            console.print(
                f"notice {args.id} has versions {sorted(versions)}: nothing to compare for version {number}"
            )
            return 1
        old, new = versions[number - 1], versions[number]
        console.print(plain(f"{notice.title}\n{notice.page_url or notice.url}"), markup=False)
        if old.title != new.title:
            console.print(plain(f"title: {old.title} → {new.title}"), markup=False)
        console.print(
            unified(
                old.text,
                new.text,
                f"version {old.number} ({old.fetched_at:%Y-%m-%d %H:%M})",
                f"version {new.number} ({new.fetched_at:%Y-%m-%d %H:%M})",
            ),
            markup=False,
        )
        old_files = {a["url"]: a["name"] for a in old.attachments}
        new_files = {a["url"]: a["name"] for a in new.attachments}
        for url in new_files.keys() - old_files.keys():
            console.print(f"+ 附件 {new_files[url]} <{url}>", markup=False)
        for url in old_files.keys() - new_files.keys():
            console.print(f"- 附件 {old_files[url]} <{url}>", markup=False)
    return 0
