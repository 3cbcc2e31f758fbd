"""Per-notice cost of change detection with 10k, 100k and 1M notices stored (SQLite).

Run: python bench/changes.py [--sizes 10000,100000,1000000] [--sample 300]
The store is filled with synthetic notices (URLs, fingerprints, SimHash blocks)
in bulk; then, at each size, it times recording ``--sample`` new notices (URL
lookup, exact and near-duplicate candidate search, insert) and re-checking as
many known ones (URL lookup, fingerprint compare), all in the same process.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from monitor import simhash
from monitor.changes import Fetched, record_fetched
from monitor.demo.texts import load_texts
from monitor.extract import ExtractedNotice
from storage.db import make_engine, upgrade
from storage.models import Notice, SimhashBlock, Source

BATCH = 50_000


def fill(engine, start: int, stop: int, rng: random.Random) -> None:
    """Insert synthetic notices ``start``..``stop-1`` with random SimHash values."""
    now = datetime(2024, 1, 1)
    with engine.connect() as connection:
        first_id = (
            connection.execute(select(func.coalesce(func.max(Notice.id), 0))).scalar_one()
            + 1
            - start
        )
    for low in range(start, stop, BATCH):
        high = min(stop, low + BATCH)
        notices, blocks = [], []
        for i in range(low, high):
            value = rng.getrandbits(64)
            notices.append(
                {
                    "id": first_id + i,
                    "source_id": "bench",
                    "url": f"http://bench.example.gov.cn/tzgg/t{i}.html",
                    "title": f"通知{i}",
                    "first_seen": now,
                    "last_seen": now,
                    "status": "active",
                    "missing_checks": 0,
                    "fetch_problems": 0,
                    "fingerprint": f"{rng.getrandbits(128):032x}",
                    "simhash": simhash.to_signed(value),
                }
            )
            blocks += [
                {"notice_id": first_id + i, "block": b, "value": v}
                for b, v in enumerate(simhash.blocks(value))
            ]
        with engine.begin() as connection:
            connection.execute(insert(Notice), notices)
            connection.execute(insert(SimhashBlock), blocks)


def sample_notices(rng: random.Random, count: int, tag: str) -> list[ExtractedNotice]:
    texts = load_texts()
    made = []
    for i in range(count):
        text = rng.choice(texts)
        body = "\n".join(text.paragraphs) + f"\n（编号{tag}-{i}-{rng.getrandbits(32)}）"
        title = f"{text.title}（{tag}{i}）"
        made.append(
            ExtractedNotice(
                title=title, published=None, text=body, title_simple=title, text_simple=body
            )
        )
    return made


def per_notice_ms(engine, notices: list[ExtractedNotice], urls: list[str]) -> tuple[float, float]:
    """(wall, CPU) milliseconds per notice, each recorded in its own transaction."""
    started, cpu = time.perf_counter(), time.process_time()
    for notice, url in zip(notices, urls, strict=True):
        with Session(engine) as session, session.begin():
            record_fetched(
                session,
                Fetched("bench", url, notice, datetime(2024, 6, 1)),
                baseline=False,
                run_id=None,
            )
    count = len(notices)
    return (time.perf_counter() - started) * 1000 / count, (
        time.process_time() - cpu
    ) * 1000 / count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--sample", type=int, default=300)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
        upgrade(engine)
        with Session(engine) as session, session.begin():
            session.add(
                Source(
                    id="bench",
                    name="bench",
                    url="http://bench.example.gov.cn/",
                    created_at=datetime(2024, 1, 1),
                )
            )
        stored = 0
        print(
            f"{'stored':>9}  {'new notice (wall / CPU)':>23}  "
            f"{'known, unchanged (wall / CPU)':>29}  {'fill time':>9}"
        )
        for size in sizes:
            started = time.perf_counter()
            fill(engine, stored, size, rng)
            filled = time.perf_counter() - started
            stored = size
            fresh = sample_notices(rng, args.sample, f"s{size}")
            urls = [f"http://bench.example.gov.cn/new/{size}/{i}.html" for i in range(args.sample)]
            new_wall, new_cpu = per_notice_ms(engine, fresh, urls)
            known_wall, known_cpu = per_notice_ms(engine, fresh, urls)  # again: unchanged
            print(
                f"{size:>9,}  {new_wall:>11.2f} / {new_cpu:.2f} ms  "
                f"{known_wall:>17.2f} / {known_cpu:.2f} ms  {filled:>7.1f} s"
            )
        engine.dispose()


if __name__ == "__main__":
    main()
