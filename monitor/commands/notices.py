"""``noticewatch notices list|show``: look at what is stored."""

from __future__ import annotations

import argparse
from datetime import date, datetime, tzinfo
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from monitor import pending
from monitor.attachments.compare import file_changes
from monitor.attachments.report import FileReport, describe, stored_files
from monitor.commands.common import config_of
from monitor.commands.views import (
    Column,
    full_time,
    print_json,
    print_table,
    say,
    utc_iso,
    zone_label,
)
from monitor.config import Config
from monitor.console import console, warn
from monitor.diff import unified
from monitor.plain_text import plain
from storage import queries
from storage.db import open_database
from storage.models import Notice, PendingLink


def register(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True)
    listing = actions.add_parser("list", help="newest notices first")
    listing.add_argument("--source", metavar="ID")
    listing.add_argument("--since", type=date.fromisoformat, metavar="YYYY-MM-DD")
    listing.add_argument(
        "--limit", type=_positive, default=50, metavar="N", help="show N notices (default 50)"
    )
    listing.add_argument("--json", action="store_true", help="a JSON array, one object a row")
    listing.add_argument(
        "--pending",
        action="store_true",
        help="notice links seen on a list but not stored yet (retried, or given up)",
    )
    listing.set_defaults(handler=handle_list)
    show = actions.add_parser("show", help="one notice: fields, text, versions, duplicates")
    show.add_argument("id", type=int)
    show.add_argument("--json", action="store_true")
    show.add_argument(
        "--file", type=_positive, metavar="N", help="print the whole text of attachment N"
    )
    show.set_defaults(handler=handle_show)
    diff = actions.add_parser("diff", help="what changed between versions (default: the last two)")
    diff.add_argument("id", type=int)
    diff.add_argument(
        "--version", type=int, metavar="N", help="compare version N with the one before it"
    )
    diff.set_defaults(handler=handle_diff)


def _positive(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {number}")
    return number


def notice_summary(notice: Notice) -> dict[str, Any]:
    return {
        "id": notice.id,
        "source": notice.source_id,
        "title": notice.title,
        "published": notice.published.isoformat() if notice.published else None,
        "url": notice.url,
        "page_url": notice.page_url,  # where the link redirects, when it does
        "status": notice.status,
        "first_seen": utc_iso(notice.first_seen),
        "duplicate_of": notice.duplicate_of_id,
    }


def pending_summary(row: PendingLink) -> dict[str, Any]:
    return {
        "source": row.source_id,
        "title": row.list_title,
        "url": row.url,
        "first_seen": utc_iso(row.first_seen),
        "attempts": row.attempts,
        "state": "given_up" if row.gave_up_at else "retrying",
        "last_error": row.last_error,
    }


def _warn_unknown_source(session: Session, config: Config, source_id: str | None) -> None:
    """One line on stderr when ``--source`` names no configured source and nothing stored."""
    if not source_id or source_id in config.source_ids:
        return
    stored = session.scalar(
        select(
            exists().where(Notice.source_id == source_id)
            | exists().where(PendingLink.source_id == source_id)
        )
    )
    if not stored:
        warn(f"no source {source_id!r}: not in {config.path} and no notices stored from it")


def handle_pending(args: argparse.Namespace) -> int:
    config = config_of(args, need_secrets=False)
    with open_database(config.storage_url)() as session:
        _warn_unknown_source(session, config, args.source)
        rows = [pending_summary(row) for row in pending.listed(session, args.source)]
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        say("no pending notice links: every link seen is stored")
        return 0
    columns = [
        Column("source"),
        Column("state"),
        Column("tries", justify="right"),
        Column("title", cut=True, min_width=20),
        Column("last error", cut=True),
    ]
    print_table(
        columns,
        [
            [
                row["source"],
                row["state"].replace("_", " "),
                str(row["attempts"]),
                row["title"] or row["url"],
                row["last_error"] or "",
            ]
            for row in rows
        ],
    )
    return 0


def handle_list(args: argparse.Namespace) -> int:
    if args.pending:
        return handle_pending(args)
    config = config_of(args, need_secrets=False)
    with open_database(config.storage_url)() as session:
        _warn_unknown_source(session, config, args.source)
        notices = queries.list_notices(
            session, source_id=args.source, since=args.since, limit=args.limit
        )
        total = (
            queries.count_notices(session, source_id=args.source, since=args.since)
            if len(notices) == args.limit
            else len(notices)
        )
        rows = [notice_summary(notice) for notice in notices]
    more = f"{len(rows)} of {total} notices; use --limit to see more" if total > len(rows) else ""
    if args.json:
        print_json(rows)
        if more:
            warn(more)
        return 0
    if not rows:
        say(
            "no notices"
            + (f" from {args.source}" if args.source else "")
            + (f" published since {args.since}" if args.since else "")
        )
        return 0
    columns = [
        Column("id", justify="right"),
        Column("published"),
        Column("source"),
        Column("title", cut=True),
    ]
    print_table(
        columns,
        [[str(r["id"]), r["published"] or "—", r["source"], r["title"]] for r in rows],
    )
    if more:
        say(more)
    return 0


def handle_show(args: argparse.Namespace) -> int:
    config = config_of(args, need_secrets=False)
    with open_database(config.storage_url)() as session:
        notice = session.get(Notice, args.id)
        if notice is None:
            console.print(f"no notice with id {args.id}", markup=False)
            return 1
        versions = notice.versions
        latest = versions[-1] if versions else None
        duplicates = queries.duplicates_of(session, notice.id)
        files = stored_files(session, notice.id, latest.attachments if latest else [])
        if args.file:
            return _print_file(files, args.file, args.json)
        data = notice_summary(notice) | {
            "issuer": latest.issuer if latest else None,
            "doc_number": latest.doc_number if latest else None,
            "attachments": [f.as_dict(with_text=False) for f in files],
            "text": latest.text if latest else None,
            "versions": [
                {
                    "number": v.number,
                    "fetched_at": utc_iso(v.fetched_at),
                    "title": v.title,
                }
                for v in versions
            ],
            "also_published_at": [
                {"id": d.id, "source": d.source_id, "url": d.url} for d in duplicates
            ],
        }
        if args.json:
            print_json(data)
            return 0
        console.print(plain(render_notice(data, config.zone)), markup=False)
    return 0


def _print_file(files: list[FileReport], number: int, as_json: bool) -> int:
    """``notices show ID --file N``: the whole text of one attachment."""
    if number > len(files):
        console.print(f"the notice has {len(files)} attachments: no attachment {number}")
        return 1
    report = files[number - 1]
    if as_json:
        print_json(report.as_dict())
    else:
        console.print(plain("\n".join([*describe(report)[:2], "", report.text])), markup=False)
    return 0


def render_notice(data: dict[str, Any], zone: tzinfo) -> str:
    """``notices show`` for people; times in ``zone``, named on the versions line."""
    lines = [
        data["title"],
        f"id {data['id']} · {data['source']} · published {data['published'] or 'unknown'} · {data['status']}",
        data["page_url"] or data["url"],
    ]
    if data["issuer"]:
        lines.append(f"来源: {data['issuer']}")
    if data["doc_number"]:
        lines.append(f"文号: {data['doc_number']}")
    lines += ["", data["text"] or "", ""]
    for a in data["attachments"]:
        fields = {key: value for key, value in a.items() if key != "first_lines"}
        lines += describe(FileReport(**fields, text="\n".join(a["first_lines"])))
    fetched = [
        f"#{v['number']} {full_time(datetime.fromisoformat(v['fetched_at']), zone)}"
        for v in data["versions"]
    ]
    lines.append(f"versions: {', '.join(fetched)} ({zone_label(zone)})")
    if data["duplicate_of"]:
        lines.append(f"duplicate of notice {data['duplicate_of']}")
    lines += [f"also published at: {d['url']} ({d['source']})" for d in data["also_published_at"]]
    return "\n".join(lines)


def handle_diff(args: argparse.Namespace) -> int:
    config = config_of(args, need_secrets=False)
    zone = config.zone
    with open_database(config.storage_url)() as session:
        notice = session.get(Notice, args.id)
        if notice is None:
            console.print(f"no notice with id {args.id}", markup=False)
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
                f"version {old.number} ({full_time(old.fetched_at, zone)})",
                f"version {new.number} ({full_time(new.fetched_at, zone)})",
            ),
            markup=False,
        )
        files = file_changes(session, old.attachments, new.attachments)
        for a in files["attachments_added"]:
            console.print(plain(f"+ 附件 {a['name']} <{a['url']}>"), markup=False)
        for a in files["attachments_removed"]:
            console.print(plain(f"- 附件 {a['name']} <{a['url']}>"), markup=False)
        for a in files["attachments_changed"]:
            console.print(plain(f"~ 附件 {a['name']} <{a['url']}>: 内容有变"), markup=False)
            for change in a["summary"]:
                console.print(
                    plain(f"    -「{change['removed']}」 +「{change['added']}」"), markup=False
                )
        say(zone_label(zone))
    return 0
