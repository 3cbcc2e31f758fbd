"""Daemon memory over hundreds of scheduled crawls: child processes (what ``noticewatch run`` does)
against repeated crawls inside one long-lived asyncio reactor (the alternative).

    python bench/daemon.py                      # both strategies, 300 crawl cycles each
    python bench/daemon.py --strategy child --cycles 300

The six mock sites run in this process. Each strategy runs in a process of its
own whose resident memory (RSS) is printed at cycles 10, 100 and 300; a cycle
is one finished crawl of one source. Every 10th cycle a site publishes a
notice, so some crawls fetch, extract and store pages, not only a 304.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import func, select

from monitor.daemon.metrics import resident_memory_bytes
from monitor.demo import MockSite, build_all_sites, start_sites, stop_all
from storage.db import open_database
from storage.models import CrawlRun

CHECKPOINTS = (10, 100, 300)
PUBLISH_EVERY = 10


def write_config(directory: Path, servers) -> Path:
    lines = [
        f'[storage]\nurl = "sqlite:///{directory / "bench.db"}"\n',
        "[crawl]\ndownload_delay = 0\nretries = 0\n",
    ]
    for server in servers:
        lines.append(
            f'[[sources]]\nid = "{server.site.source_id}"\nurl = "{server.list_url}"\n'
            'interval = "1s"\njitter = 0\nmax_pages = 2\n'
        )
    path = directory / "bench.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def publish(sites: list[MockSite], number: int) -> None:
    site = sites[number % len(sites)]
    site.add_notice(
        f"关于做好第{number}批中小学教师培训工作的通知",
        [
            "各县（市、区）教育局，各直属学校：",
            f"现将第{number}批教师培训工作有关事项通知如下，请认真组织实施。",
        ],
    )


def report(strategy: str, samples: dict[int, int], started: float) -> None:
    figures = ", ".join(f"cycle {cycle}: {rss / 2**20:.1f} MB" for cycle, rss in samples.items())
    growth = (samples[max(samples)] - samples[min(samples)]) / 2**20
    print(
        f"{strategy:8} RSS {figures}; growth {growth:+.1f} MB ({time.monotonic() - started:.0f} s)",
        flush=True,
    )


def cycles_of_daemon(config: Path, directory: Path) -> Iterator[tuple[int, int]]:
    """Run ``noticewatch run``; yield (finished crawls, daemon RSS) as crawls finish."""
    log = (directory / "daemon.log").open("wb")
    daemon = subprocess.Popen(
        [sys.executable, "-m", "monitor", "--config", str(config), "run", "--max-crawls", "2"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    sessions = open_database(f"sqlite:///{directory / 'bench.db'}")
    seen = 0
    try:
        while daemon.poll() is None:
            with sessions() as session:
                done = session.scalar(select(func.count()).where(CrawlRun.finished_at.is_not(None)))
            if done > seen:
                seen = done
                yield done, resident_memory_bytes(daemon.pid)
            time.sleep(0.05)
        raise RuntimeError(f"the daemon exited with {daemon.returncode}: see {log.name}")
    finally:
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(30)
        log.close()


def cycles_in_reactor(config: Path, cycles: int) -> Iterator[tuple[int, int]]:
    """Run the in-reactor worker; yield (finished crawls, worker RSS) as it reports them."""
    worker = subprocess.Popen(
        [sys.executable, __file__, "--reactor-worker", str(config), "--cycles", str(cycles)],
        stdout=subprocess.PIPE,
        text=True,
    )
    for line in worker.stdout:
        cycle, rss = map(int, line.split())
        yield cycle, rss
    if worker.wait() != 0:
        raise RuntimeError(f"the reactor worker exited with {worker.returncode}")


def measure(strategy: str, cycles: int) -> None:
    sites = build_all_sites()
    servers = start_sites(sites)
    started = time.monotonic()
    try:
        with tempfile.TemporaryDirectory(prefix="nw-bench-") as tmp:
            directory = Path(tmp)
            config = write_config(directory, servers)
            source = (
                cycles_of_daemon(config, directory)
                if strategy == "child"
                else cycles_in_reactor(config, cycles)
            )
            samples: dict[int, int] = {}
            published = 0
            for done, rss in source:
                for checkpoint in CHECKPOINTS:
                    if done >= checkpoint and checkpoint not in samples and checkpoint <= cycles:
                        samples[checkpoint] = rss
                while published < done // PUBLISH_EVERY:
                    published += 1
                    publish(sites, published)
                if done >= cycles:
                    break
            source.close()
            report(strategy, samples, started)
    finally:
        stop_all(servers)


def reactor_worker(config_path: str, cycles: int) -> None:
    """Crawl the sources round-robin inside one asyncio reactor, ``cycles`` times; print "cycle rss" lines."""
    from scrapy.crawler import AsyncCrawlerRunner
    from scrapy.utils.defer import deferred_from_coro
    from scrapy.utils.reactor import install_reactor

    install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")
    from twisted.internet import reactor

    from monitor.config import load_config
    from monitor.crawl import scrapy_settings
    from monitor.pipeline import connect_recorder, finish_in_recorder_thread
    from monitor.recorder import Recorder
    from spiders.batch import BatchSpider, SourceStart

    config = load_config(config_path)
    sessions = open_database(config.storage_url)

    async def crawl_repeatedly() -> None:
        try:
            for cycle in range(1, cycles + 1):
                source = config.sources[cycle % len(config.sources)]
                recorder = Recorder(sessions, config)
                start = recorder.begin(source)
                runner = AsyncCrawlerRunner(scrapy_settings(config))
                crawler = runner.create_crawler(BatchSpider)
                connect_recorder(crawler, recorder)
                await runner.crawl(
                    crawler,
                    sources=[SourceStart(start.spec, start.recheck)],
                    known=recorder.known,
                    finished=finish_in_recorder_thread(recorder),
                )
                print(cycle, resident_memory_bytes(), flush=True)
                await asyncio.sleep(0.05)
        finally:
            reactor.stop()

    reactor.callWhenRunning(lambda: deferred_from_coro(crawl_repeatedly()))
    reactor.run()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--strategy", choices=("child", "reactor", "both"), default="both")
    parser.add_argument("--cycles", type=int, default=300)
    parser.add_argument("--reactor-worker", metavar="CONFIG", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.reactor_worker:
        reactor_worker(args.reactor_worker, args.cycles)
        return
    for strategy in ("child", "reactor") if args.strategy == "both" else (args.strategy,):
        measure(strategy, args.cycles)


if __name__ == "__main__":
    main()
