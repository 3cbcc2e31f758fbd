"""Cost of a rendered list page against a plain one: time, CPU seconds, peak memory.

Run: python bench/render.py [--pages 20]
Serves two mock TRS bureaus on 127.0.0.1 with the same template and row count: one
whose list rows are in the HTML (fetched plainly), one whose rows are written by
``document.write`` (rendered in the system Chromium through the crawl's own settings
and handler). Each mode runs in its own process (one reactor per process): a Scrapy
crawl fetching the list page ``--pages`` times, one at a time. Printed per mode:
seconds per page (the first rendered page, which starts Chromium, apart), CPU seconds
per page of the crawl process and of the browser processes (the Playwright driver and
Chromium), the crawl process's peak RSS and the browser processes' peak PSS (shared pages
split between them); then the ratios rendered / plain.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ROW = re.compile(rb"/t20\d{6}_\d+\.html")  # a TRS notice link
TICKS = os.sysconf("SC_CLK_TCK")


def descendants(root: int) -> list[int]:
    """The pids below ``root`` (the Playwright driver, Chromium and its helpers)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            children.setdefault(int(fields[1]), []).append(int(entry))
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def usage(pid: int) -> tuple[float, int]:
    """CPU seconds (user + system) and proportional set size (PSS: shared pages split
    between the processes sharing them, so Chromium's processes add up) of ``pid``."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0.0, 0
    pss = next((int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:")), 0)
    return (int(fields[11]) + int(fields[12])) / TICKS, pss * 1024


class BrowserWatch(threading.Thread):
    """Samples the browser processes' CPU and memory (PSS) every 50 ms."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.cpu, self.peak_rss, self.stopped = 0.0, 0, threading.Event()
        self.seen: dict[int, float] = {}

    def run(self) -> None:
        while not self.stopped.wait(0.05):
            pids = descendants(os.getpid())
            total_rss = 0
            for pid in pids:
                cpu, rss = usage(pid)
                self.seen[pid] = max(self.seen.get(pid, 0.0), cpu)
                total_rss += rss
            self.cpu = sum(self.seen.values())
            self.peak_rss = max(self.peak_rss, total_rss)


def child(mode: str, url: str, pages: int) -> None:
    """Fetch ``url`` ``pages`` times in one Scrapy crawl; print the figures as JSON."""
    import scrapy
    from scrapy.crawler import CrawlerProcess

    from spiders.notice_spider import ListSpec
    from spiders.rendering import render_meta
    from spiders.settings import crawl_settings

    settings = crawl_settings(
        user_agent="noticewatch-bench",
        concurrency_per_host=1,
        download_delay=0,
        timeout=30,
        retries=0,
        retry_backoff=0,
        obey_robots=False,
        max_response_bytes=8 * 1024 * 1024,
        render=mode == "rendered",
    )
    assert "NOTICEWATCH_RENDER_PROBLEM" not in settings, settings.get("NOTICEWATCH_RENDER_PROBLEM")
    times: list[float] = []
    watch = BrowserWatch()

    class Pages(scrapy.Spider):
        name = "bench"
        spec = ListSpec("bench", url)  # the site guard's view of the source

        async def start(self):
            yield self.next_request()

        def next_request(self) -> scrapy.Request:
            meta = render_meta() if mode == "rendered" else {}
            self.started = time.perf_counter()
            return scrapy.Request(
                url, meta=meta, dont_filter=True, callback=self.parse, errback=self.failed
            )

        def failed(self, failure):
            watch.stopped.set()
            print(f"page failed: {failure.getErrorMessage()}", file=sys.stderr)

        def parse(self, response):
            times.append(time.perf_counter() - self.started)
            rows = len(ROW.findall(response.body))
            if rows < 5 or len(times) >= pages:
                watch.stopped.set()  # before the browser closes
                assert rows >= 5, f"{rows} notice rows in the page"
                return
            yield self.next_request()

    process = CrawlerProcess(settings)
    start_cpu = resource.getrusage(resource.RUSAGE_SELF)
    watch.start()
    process.crawl(Pages)
    process.start()
    watch.stopped.set()
    watch.join()
    end_cpu = resource.getrusage(resource.RUSAGE_SELF)
    own_cpu = (end_cpu.ru_utime + end_cpu.ru_stime) - (start_cpu.ru_utime + start_cpu.ru_stime)
    print(
        json.dumps(
            {
                "first": times[0],
                "per_page": sum(times[1:]) / (len(times) - 1),
                "crawl_cpu": own_cpu / len(times),
                "crawl_rss": end_cpu.ru_maxrss * 1024,
                "browser_cpu": watch.cpu / len(times),
                "browser_rss": watch.peak_rss,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--child", nargs=2, metavar=("MODE", "URL"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], args.pages)
        return
    from monitor.demo import MockSiteServer
    from monitor.demo.build import trs_script_site, trs_site

    figures = {}
    for mode, build in (("plain", trs_site), ("rendered", trs_script_site)):
        with MockSiteServer(build()) as server:
            done = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--pages",
                    str(args.pages),
                    "--child",
                    mode,
                    server.list_url,
                ],
                capture_output=True,
                text=True,
                check=True,
                cwd=ROOT,
            )
        figures[mode] = json.loads(done.stdout.strip().splitlines()[-1])
    plain, rendered = figures["plain"], figures["rendered"]
    mb = 1024 * 1024
    print(f"list page of a TRS bureau, {args.pages} fetches one at a time, per page:")
    print(f"{'':28}{'plain':>10}{'rendered':>10}{'ratio':>8}")
    rows = [
        ("time (s)", plain["per_page"], rendered["per_page"]),
        ("crawl process CPU (s)", plain["crawl_cpu"], rendered["crawl_cpu"]),
        ("browser processes CPU (s)", plain["browser_cpu"], rendered["browser_cpu"]),
    ]
    for label, a, b in rows:
        ratio = f"{b / a:.1f}x" if a > 0.0005 else "-"
        print(f"{label:28}{a:10.3f}{b:10.3f}{ratio:>8}")
    print(
        f"{'crawl process peak RSS (MB)':28}{plain['crawl_rss'] / mb:10.0f}{rendered['crawl_rss'] / mb:10.0f}"
        f"{rendered['crawl_rss'] / plain['crawl_rss']:7.1f}x"
    )
    print(f"{'browser peak PSS (MB)':28}{0:10.0f}{rendered['browser_rss'] / mb:10.0f}{'-':>8}")
    print(
        f"first rendered page (starts Chromium): {rendered['first']:.2f} s; first plain page: {plain['first']:.3f} s"
    )
    total = (rendered["crawl_cpu"] + rendered["browser_cpu"]) / max(plain["crawl_cpu"], 1e-9)
    print(f"CPU per page, all processes: rendered / plain = {total:.1f}x")


if __name__ == "__main__":
    main()
