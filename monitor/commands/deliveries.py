"""``noticewatch deliveries list|retry``: the alert outbox, and sending failed alerts again."""

from __future__ import annotations

import argparse
from datetime import datetime, tzinfo

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from monitor.commands.common import config_of
from monitor.commands.views import compact_time, one_line, print_json, say, utc_iso, zone_label
from monitor.masking import redact
from monitor.notify.sender import drain
from storage.db import open_database, utcnow
from storage.models import Delivery, Event, Notice
from storage.states import DeliveryStatus


def register(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True)
    listing = actions.add_parser("list", help="alerts waiting, sent and failed (newest first)")
    which = listing.add_mutually_exclusive_group()
    which.add_argument("--failed", action="store_true", help="only alerts that gave up")
    which.add_argument("--pending", action="store_true", help="only alerts still to send")
    listing.add_argument("--limit", type=int, default=50)
    listing.add_argument("--json", action="store_true", help="a JSON array, one object a row")
    listing.set_defaults(handler=handle_list)
    retry = actions.add_parser("retry", help="send failed (or waiting) alerts again, now")
    retry.add_argument("ids", nargs="*", type=int, metavar="ID")
    retry.add_argument("--all-failed", action="store_true", help="every failed alert")
    retry.add_argument(
        "--wait", type=float, default=30.0, help="seconds to spend sending (default 30)"
    )
    retry.set_defaults(handler=handle_retry)


def _rows(
    session: Session, statuses: tuple[str, ...] | None, limit: int, ids: list[int] | None = None
) -> list[dict]:
    query = (
        select(Delivery, Event.kind, Notice.title)
        .outerjoin(Event, Event.id == Delivery.event_id)
        .outerjoin(Notice, Notice.id == Event.notice_id)
        .order_by(Delivery.id.desc())
        .limit(limit)
    )
    if statuses:
        query = query.where(Delivery.status.in_(statuses))
    if ids is not None:
        query = query.where(Delivery.id.in_(ids))
    return [
        {
            "id": row.id,
            "status": row.status,
            "attempts": row.attempts,
            "subscription": row.subscription,
            "target": row.target_label,
            "event": kind or "digest",
            "title": title
            or (
                f"{(row.payload or {}).get('events', '?')} alerts" if row.event_id is None else None
            ),
            "created_at": utc_iso(row.created_at),
            "next_attempt_at": utc_iso(row.next_attempt_at)
            if row.status == DeliveryStatus.PENDING
            else None,
            "sent_at": utc_iso(row.sent_at),
            "digest_id": row.digest_id,
            "last_error": redact(row.last_error) if row.last_error else None,
        }
        for row, kind, title in session.execute(query)
    ]


def _local(iso: str | None, zone: tzinfo) -> str:
    return compact_time(datetime.fromisoformat(iso), zone) if iso else ""


def _state(row: dict, zone: tzinfo) -> str:
    if row["status"] == DeliveryStatus.PENDING:
        return f"pending, next {_local(row['next_attempt_at'], zone)}"
    if row["status"] == DeliveryStatus.SENT:
        return f"sent {_local(row['sent_at'], zone)}"
    if row["status"] == DeliveryStatus.DIGEST:
        return "waiting for the digest"
    if row["status"] == DeliveryStatus.DIGESTED:
        return f"in digest #{row['digest_id']}"
    return row["status"]


def _print(rows: list[dict], zone: tzinfo) -> None:
    """One line per delivery (and its last error below it), cut to the terminal's width."""
    for row in rows:
        alert = f"{row['event']}: {row['title']}" if row["title"] else row["event"]
        tries = (
            f", {row['attempts']} attempt{'s' if row['attempts'] > 1 else ''}"
            if row["attempts"]
            else ""
        )
        one_line(
            redact(
                f"#{row['id']}  {_state(row, zone)}{tries}  {row['subscription']} → {row['target']}  {alert}"
            )
        )
        if row["last_error"]:
            one_line(redact(f"      last error: {row['last_error']}"))
    if rows:
        say(zone_label(zone))


def handle_list(args: argparse.Namespace) -> int:
    config = config_of(args, need_secrets=False)
    statuses = (
        (DeliveryStatus.FAILED,)
        if args.failed
        else (DeliveryStatus.PENDING,)
        if args.pending
        else None
    )
    with open_database(config.storage_url)() as session:
        rows = _rows(session, statuses, args.limit)
    if args.json:
        print_json(rows)
    elif rows:
        _print(rows, config.zone)
    else:
        say("no alerts" + (" failed" if args.failed else " pending" if args.pending else " yet"))
    return 0


def handle_retry(args: argparse.Namespace) -> int:
    config = config_of(args)
    sessions = open_database(config.storage_url)
    with sessions.begin() as session:
        query = select(Delivery.id, Delivery.status)
        query = (
            query.where(Delivery.status == DeliveryStatus.FAILED)
            if args.all_failed
            else query.where(Delivery.id.in_(args.ids))
        )
        found = dict(session.execute(query).all())
        problems = [f"delivery {i}: no such delivery" for i in args.ids if i not in found]
        problems += [
            f"delivery {i}: already sent (an alert is never sent twice)"
            for i, s in found.items()
            if s == DeliveryStatus.SENT
        ]
        problems += [
            f"delivery {i}: part of a digest; retry the digest row"
            for i, s in found.items()
            if s.startswith("digest")
        ]
        retry = [
            i for i, s in found.items() if s in (DeliveryStatus.FAILED, DeliveryStatus.PENDING)
        ]
        session.execute(
            update(Delivery)
            .where(Delivery.id.in_(retry))
            .values(
                status=DeliveryStatus.PENDING,
                attempts=0,
                next_attempt_at=utcnow(),
                claimed_until=None,
            )
        )
    for problem in problems:
        say(problem)
    if not retry:
        say("nothing to retry")
        return 1
    drain(sessions, config, deadline_seconds=args.wait, ids=retry)
    with sessions() as session:
        rows = _rows(session, None, len(retry), retry)
    _print(rows, config.zone)
    return 0 if all(row["status"] == DeliveryStatus.SENT for row in rows) and not problems else 1
