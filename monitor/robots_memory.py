"""robots.txt files kept across crawls (``robots_files``): given to a run at its start,
kept as the crawl reads them (``spiders.robots``)."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import RobotsFile
from storage.upsert import insert_or_replace


def remembered_robots(session: Session, url: str, fresh_since: datetime) -> dict[str, bytes]:
    """The robots.txt of ``url``'s site, when it was read after ``fresh_since``: origin → body."""
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    body = session.scalar(
        select(RobotsFile.body).where(
            RobotsFile.origin == origin, RobotsFile.fetched_at >= fresh_since
        )
    )
    return {} if body is None else {origin: body}


def remember_robots(session: Session, origin: str, body: bytes, now: datetime) -> None:
    """Keep a robots.txt just read (the newest read wins)."""
    values = {"origin": origin, "body": body, "fetched_at": now}
    insert_or_replace(session, RobotsFile, values, ["origin"])
