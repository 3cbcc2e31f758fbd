"""Distributed crawl throughput: 1 and 2 ``noticewatch worker`` processes against PostgreSQL.

Run from the project root, with PostgreSQL and Redis on 127.0.0.1 (as in CI):
``python bench/scale.py [--notices 10000] [--workers 1 2]``.

Serves one generated VSB-style notice site (``--notices`` detail pages, 20 per
list page, pre-rendered so the server is not the bottleneck) on 127.0.0.1,
then, in the same run: plain ``trafilatura.extract`` over every detail page in
one process (the extraction-only ceiling of this machine), and a full first
crawl of the site by N workers into a fresh PostgreSQL schema, fed by the
Redis queue. Prints pages per second (list and detail pages fetched), the
share of the ceiling, and each worker's peak resident memory.
"""

from __future__ import annotations

import argparse
import functools
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import trafilatura  # noqa: E402
from sqlalchemy import create_engine, select, text  # noqa: E402

from monitor.config import load_config  # noqa: E402
from monitor.demo import VsbSite  # noqa: E402
from monitor.demo.model import MockNotice  # noqa: E402
from monitor.demo.texts import KINDS, texts_of  # noqa: E402
from monitor.distributed.launcher import RedisLauncher  # noqa: E402
from monitor.distributed.queue import RedisQueue  # noqa: E402
from storage.db import open_database  # noqa: E402
from storage.models import CrawlRun  # noqa: E402

PG_URL = os.environ.get("NOTICEWATCH_TEST_PG", "postgresql+psycopg://root@127.0.0.1:5432/test")
REDIS_URL = "redis://127.0.0.1:6379/0"
PER_PAGE = 20


class FrozenVsbSite(VsbSite):
    """A VSB site whose notices never change once built: its list order is computed once."""

    @functools.cached_property
    def notices(self) -> list[MockNotice]:
        return super().notices

    def neighbours(self, notice: MockNotice) -> tuple[MockNotice | None, MockNotice | None]:
        ordered, position = self._by_date
        index = position[notice.id]
        newer = ordered[index - 1] if index > 0 else None
        return newer, ordered[index + 1] if index + 1 < len(ordered) else None

    @functools.cached_property
    def _by_date(self) -> tuple[list[MockNotice], dict[int, int]]:
        ordered = sorted(self.notices, key=lambda n: n.published, reverse=True)
        return ordered, {n.id: i for i, n in enumerate(ordered)}


def build_site(count: int) -> FrozenVsbSite:
    """``count`` notices made of the shipped texts, each with its own numbered sentence."""
    site = FrozenVsbSite("平原大学教务处", source_id="bench", per_page=PER_PAGE)
    texts = [text for kind in KINDS for text in texts_of(kind) if not text.traditional]
    start = datetime(2015, 1, 5, 9, 0)
    for index in range(count):
        filled = texts[index % len(texts)].filled(2015 + index * 10 // count)
        extra = f"本通知为第{index + 1}号，请于{index % 28 + 1}日前将材料报送至教务处第{index % 9 + 1}办公室。"
        site.add_notice(
            f"{filled.title}（第{index + 1}号）",
            [*filled.paragraphs, extra],
            published=start + timedelta(hours=7 * index),
            issuer=filled.issuer,
            doc_number=filled.doc_number,
        )
    return site


@dataclass(frozen=True)
class Page:
    status: int
    headers: dict[str, str]
    body: bytes


def render_all(site: FrozenVsbSite) -> dict[str, Page]:
    """Every list and detail page, rendered once."""
    paths = [site.page_path(n) for n in range(1, site.page_count + 1)]
    paths += [site.notice_path(n) for n in site.notices]
    pages = {path: Page(*site.render("GET", path)) for path in [*paths, "/robots.txt"]}
    return pages


def serve(pages: dict[str, Page]) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 (http.server hook name)
            page = pages.get(self.path.split("?", 1)[0])
            if page is None:
                self.send_error(404)
                return
            self.send_response(page.status)
            for name, value in page.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(page.body)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def extraction_ceiling(pages: list[Page]) -> float:
    """Pages per second of plain trafilatura over the detail pages, one process."""
    documents = [page.body.decode("utf-8") for page in pages]
    started = time.perf_counter()
    for document in documents:
        trafilatura.extract(document)
    return len(documents) / (time.perf_counter() - started)


@dataclass(frozen=True)
class CrawlResult:
    workers: int
    pages: int
    notices: int
    seconds: float
    peak_rss_mb: list[float]

    @property
    def rate(self) -> float:
        return self.pages / self.seconds


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def crawl(list_url: str, page_count: int, workers: int, directory: Path) -> CrawlResult:
    """A full first crawl of the site by ``workers`` workers into a fresh schema."""
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    url = f"{PG_URL}?options=-csearch_path%3D{schema}"
    prefix = f"bench-{uuid.uuid4().hex[:8]}"
    config_path = directory / f"scale-{workers}.toml"
    config_path.write_text(
        f'[storage]\nurl = "{url}"\n[queue]\nurl = "{REDIS_URL}?prefix={prefix}"\n'
        "[crawl]\ndownload_delay = 0\nconcurrency_per_host = 8\n"
        f'[[sources]]\nid = "bench"\nurl = "{list_url}"\nmax_pages = {page_count}\n',
        encoding="utf-8",
    )
    config = load_config(config_path)
    engine = open_database(url).kw["bind"]
    queue = RedisQueue.from_config(config)
    server = queue.connect()
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "monitor", "--config", str(config_path), "worker"],
            stdout=subprocess.DEVNULL,
            stderr=(directory / f"worker-{workers}-{n}.log").open("wb"),
            cwd=ROOT,
        )
        for n in range(workers)
    ]
    try:
        while server.scard(queue.keys.workers) < workers:
            time.sleep(0.1)
        RedisLauncher(config).launch(["bench"])
        run = None
        while run is None or run.finished_at is None:
            time.sleep(0.5)
            with engine.connect() as connection:
                run = connection.execute(select(CrawlRun)).first()
        with engine.connect() as connection:
            notices = connection.execute(text("SELECT count(*) FROM notices")).scalar_one()
        rss = [peak_rss_mb(p.pid) for p in processes]
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(30)
        engine.dispose()
        for key in server.scan_iter(f"{prefix}:*"):
            server.delete(key)
        with admin.connect() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()
    seconds = (run.finished_at - run.started_at).total_seconds()
    return CrawlResult(workers, run.list_pages + run.details_fetched, notices, seconds, rss)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notices", type=int, default=10_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()

    started = time.perf_counter()
    site = build_site(args.notices)
    pages = render_all(site)
    http = serve(pages)
    list_url = f"http://127.0.0.1:{http.server_address[1]}{site.list_path}"
    print(
        f"site: {args.notices} notices, {site.page_count} list pages, "
        f"built and rendered in {time.perf_counter() - started:.0f} s"
    )
    details = [pages[site.notice_path(n)] for n in site.notices]
    ceiling = extraction_ceiling(details)
    print(f"extraction only (plain trafilatura, 1 process): {ceiling:.1f} pages/s")
    with_workers = []
    with tempfile.TemporaryDirectory() as tmp:
        for workers in args.workers:
            result = crawl(list_url, site.page_count, workers, Path(tmp))
            with_workers.append(result)
            memory = ", ".join(f"{mb:.0f} MB" for mb in result.peak_rss_mb)
            print(
                f"{workers} worker{'s' if workers > 1 else ' '}: {result.pages} pages in "
                f"{result.seconds:.1f} s = {result.rate:.1f} pages/s "
                f"({result.rate / ceiling:.0%} of the ceiling); {result.notices} notices stored; "
                f"peak RSS per worker: {memory}"
            )
    http.shutdown()
    print(f"total bench time {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
