"""Concurrent writers never create duplicate notices (insert-or-ignore on the unique URL)."""

from __future__ import annotations

import threading
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.db import make_engine, upgrade
from storage.models import Notice, Source
from storage.upsert import insert_ignore

WRITERS = 8


def test_racing_writers_store_one_notice_and_exactly_one_gets_its_id(db_url):
    engine = make_engine(db_url)
    upgrade(engine)
    now = datetime(2024, 6, 1)
    with Session(engine) as session, session.begin():
        session.add(Source(id="s", name="s", url="http://a/", created_at=now))
    row = {
        "source_id": "s",
        "url": "http://a/t1.html",
        "title": "通知",
        "first_seen": now,
        "last_seen": now,
    }
    barrier = threading.Barrier(WRITERS)
    ids: list[int | None] = []

    def write() -> None:
        with Session(engine) as session, session.begin():
            barrier.wait()
            ids.append(insert_ignore(session, Notice, row, ["url"]))

    threads = [threading.Thread(target=write) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Notice)) == 1
    assert len(ids) == WRITERS and sum(i is not None for i in ids) == 1
    engine.dispose()
