"""Web UI response times with 100,000 notices stored (SQLite).

Run: python bench/web.py [--notices 100000] [--repeat 20]
Fills a fresh SQLite database with synthetic notices built from the demo's notice
texts (20 sources, a version each, their search documents, a NEW event for one in
ten), starts ``noticewatch web`` on it as a real process, and prints p50/p95 over
``--repeat`` requests for each page, search and feed, timed from the client.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import insert

from monitor.demo.texts import load_texts
from monitor.simplified import to_simplified
from storage.db import make_engine, upgrade
from storage.models import Event, Notice, NoticeVersion, Source
from storage.search import index_documents

ROOT = Path(__file__).resolve().parent.parent
SOURCES = 20
BATCH = 10_000
PATHS = [
    "/",
    "/?page=200",
    "/?source=bench-07",
    "/?tag=" + quote("市级"),
    "/?events=new",
    "/?since=2024-01-01&until=2024-03-31",
    "/?q=" + quote("招生考试"),  # an indexed term with many hits
    "/?q=" + quote("招生"),  # two characters: the pair index
    "/?q=" + quote("乒乓"),  # two characters, no hit
    "/?q=" + quote("QQ"),  # short and not Chinese: a scan
    "/?q=" + quote("食品安全"),
    "/?q=" + quote("编号99999"),  # one hit
    "/notices/50000",
    "/sources",
    "/feed.atom",
    "/feed.atom?q=" + quote("招生考试"),
    "/api/notices?size=100",
]


def fill(url: str, count: int, seed: int = 7) -> None:
    """``count`` notices over ``SOURCES`` sources, each with one version and its document."""
    rng = random.Random(seed)
    texts = load_texts()
    engine = make_engine(url)
    upgrade(engine)
    now = datetime(2026, 12, 1)
    with engine.begin() as connection:
        connection.execute(
            insert(Source),
            [
                {
                    "id": f"bench-{i:02d}",
                    "name": f"基准教育局{i:02d}",
                    "url": f"http://bench{i}.example.gov.cn/tzgg/",
                    "tags": ["市级" if i % 2 else "县级"],
                    "created_at": now,
                }
                for i in range(SOURCES)
            ],
        )
    for low in range(0, count, BATCH):
        notices, versions, documents, events = [], [], [], []
        for i in range(low, min(count, low + BATCH)):
            notice_id = i + 1
            day = date(2020, 1, 1) + timedelta(days=rng.randrange(2500))
            template, *more = (texts[rng.randrange(len(texts))].filled(day.year) for _ in range(4))
            title = template.title + f"（编号{i}）"  # a body of about 600 characters:
            body = "\n".join(p for t in (template, *more) for p in t.paragraphs)
            seen = datetime.combine(day, datetime.min.time()) + timedelta(hours=9)
            notices.append(
                {
                    "id": notice_id,
                    "source_id": f"bench-{i % SOURCES:02d}",
                    "url": f"http://bench{i % SOURCES}.example.gov.cn/tzgg/t{i}.html",
                    "title": title,
                    "published": day,
                    "first_seen": seen,
                    "last_seen": seen,
                    "status": "active",
                    "missing_checks": 0,
                    "fetch_problems": 0,
                }
            )
            simple_title, simple_body = to_simplified(title), to_simplified(body)
            versions.append(
                {
                    "notice_id": notice_id,
                    "number": 1,
                    "fingerprint": f"{rng.getrandbits(128):032x}",
                    "title": title,
                    "published": day,
                    "text": body,
                    "title_simple": simple_title,
                    "text_simple": simple_body,
                    "attachments": [],
                    "fetched_at": seen,
                }
            )
            documents.append((notice_id, simple_title, simple_body))
            if i % 10 == 0:
                events.append(
                    {
                        "kind": "new",
                        "source_id": f"bench-{i % SOURCES:02d}",
                        "notice_id": notice_id,
                        "created_at": seen,
                        "silent": False,
                        "details": {},
                    }
                )
        with engine.begin() as connection:
            connection.execute(insert(Notice), notices)
            connection.execute(insert(NoticeVersion), versions)
            index_documents(connection, documents)
            connection.execute(insert(Event), events)
    engine.dispose()  # no ANALYZE: noticewatch never runs it, so neither does the bench


def write_config(path: Path, url: str) -> None:
    sources = "".join(
        f'[[sources]]\nid = "bench-{i:02d}"\nname = "基准教育局{i:02d}"\n'
        f'url = "http://bench{i}.example.gov.cn/tzgg/"\ntags = ["{"市级" if i % 2 else "县级"}"]\n'
        for i in range(SOURCES)
    )
    path.write_text(f'[storage]\nurl = "{url}"\n\n{sources}', encoding="utf-8")


def timed(base: str, path: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(base + path, timeout=60) as response:
        response.read()
        assert response.status == 200, path
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notices", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--port", type=int, default=18399)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        started = time.perf_counter()
        fill(url, args.notices)
        print(f"filled {args.notices} notices in {time.perf_counter() - started:.0f} s")
        config = Path(tmp) / "config.toml"
        write_config(config, url)
        base = f"http://127.0.0.1:{args.port}"
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "monitor",
                "--config",
                str(config),
                "web",
                "--bind",
                base.removeprefix("http://"),
            ],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    timed(base, "/api/sources")
                    break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise SystemExit("noticewatch web did not start") from None
                    time.sleep(0.2)
            print(f"{'request':<44} {'p50 ms':>8} {'p95 ms':>8}")
            for path in PATHS:
                timed(base, path)  # warm
                times = sorted(timed(base, path) * 1000 for _ in range(args.repeat))
                p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
                shown = urllib.parse.unquote(path)
                print(f"{shown:<44} {statistics.median(times):>8.1f} {p95:>8.1f}")
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
