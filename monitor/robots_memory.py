"""robots.txt files kept across crawls (``robots_files``): given to a run at its start,
kept as the crawl reads them (``spiders.robots``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import RobotsFile
from storage.upsert import insert_or_replace


def origin_of(url: str) -> str:
    """``scheme://host:port`` of ``url``: what robots.txt files are kept by."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def remembered_robots(
    session: Session, urls: Iterable[str], fresh_since: datetime
) -> dict[str, bytes]:
    """The robots.txt files of the sites of ``urls`` read after ``fresh_since``: origin → body."""
    origins = {origin_of(url) for url in urls}
    rows = session.execute(
        select(RobotsFile.origin, RobotsFile.body).where(
            RobotsFile.origin.in_(origins), RobotsFile.fetched_at >= fresh_since
        )
    )
    return {origin: body for origin, body in rows}


def remember_robots(session: Session, origin: str, body: bytes, now: datetime) -> None:
    """Keep a robots.txt just read (the newest read wins)."""
    values = {"origin": origin, "body": body, "fetched_at": now}
    insert_or_replace(session, RobotsFile, values, ["origin"])
