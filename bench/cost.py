"""What a quiet cycle costs: noticewatch (and, with ``--peers``, urlwatch) on N mock list pages.

    python bench/cost.py                          # quiet cycle at N = 100, 500, 2000
    python bench/cost.py --sizes 100 500 --latency 0.05
    python bench/cost.py --sizes 100 500 --peers  # urlwatch in its own venv, same pages
    python bench/cost.py --sizes --daemon 500 --cycles 3 --interval 60 --batches 1 50

Each source is one small mock CMS site (the six styles of ``monitor/demo`` in
turn, three notices each) on a loopback host of its own, ``127.0.X.Y``, all
answered by one thread of this process, optionally ``--latency`` seconds late.
Nothing but loopback addresses is contacted. A quiet cycle is a crawl after
the baseline crawl, with nothing new. Per N it prints, for the quiet crawl's
process (its children included, ``wait4``): CPU seconds, wall seconds, peak
RSS, requests the mock servers saw and requests per list page; then the CPU
per quiet source and the fixed cost per run, a line fitted through the
smallest and largest N, and the ratio to each peer.

``--daemon N`` runs ``noticewatch run`` on N sources every ``--interval``
seconds (after a baseline crawl) for ``--cycles`` cycles, once per
``--batches`` value (``[daemon] batch``; 1 is a child process per source), and
prints the CPU share of one core and the peak RSS of the daemon with its
children over the cycles after the first, and what that comes to for 5,000
sources every 30 minutes.
"""

from __future__ import annotations

import argparse
import os
import selectors
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from monitor.demo import STYLES, MockSite  # noqa: E402
from monitor.demo.server import LocalHTTPServer, _handler_for  # noqa: E402
from storage.db import open_database  # noqa: E402
from storage.models import CrawlRun, Notice  # noqa: E402

NOTICES = (
    "关于做好2024年秋季学期开学工作的通知",
    "关于开展教师培训工作的通知",
    "关于公布评审结果的公告",
)
BODY = ["各县（市、区）教育局，各直属学校：", "现将有关事项通知如下，请认真贯彻落实。"]
PEERS = {"urlwatch": "urlwatch==2.29"}
SKIPPED_PEERS = {
    "changedetection.io": "a resident web app with its own scheduler and no one-shot check "
    "command; this bench drives one-shot checkers only"
}
TARGET_SOURCES, TARGET_PERIOD = 5000, 1800.0  # the daemon goal: 5,000 sources every 30 min


# -- the mock sources ----------------------------------------------------------------
def small_sites(latency: float, notices: int = 0) -> list[MockSite]:
    """One small site per CMS style, each answering ``latency`` seconds late: three notices,
    or ``notices`` of a realistic length (a first crawl's detail pages)."""
    sites = []
    for style, cls in STYLES.items():
        site = cls(f"{style} bench", source_id=f"bench-{style}", per_page=max(20, notices))
        if notices:
            for number in range(notices):
                title = f"关于做好第{number + 1}批{NOTICES[number % 3][2:]}"
                site.add_notice(title, [f"{line}（第{k}条）" for k in range(12) for line in BODY])
        else:
            for title in NOTICES:
                site.add_notice(title, BODY)
        if latency > 0:
            site.render = delayed(site.render, latency)
        sites.append(site)
    return sites


def delayed(render: Callable, latency: float) -> Callable:
    def late(*args, **kwargs):
        time.sleep(latency)
        return render(*args, **kwargs)

    return late


def loopback(index: int) -> str:
    """``127.0.X.Y`` for source ``index`` (never 127.0.0.1, where the test services listen)."""
    return f"127.0.{1 + index // 250}.{1 + index % 250}"


@dataclass
class Sources:
    sites: list[MockSite]
    servers: list[LocalHTTPServer]

    @property
    def list_urls(self) -> list[str]:
        urls = []
        for index, server in enumerate(self.servers):
            host, port = server.server_address[:2]
            urls.append(f"http://{host}:{port}{self.sites[index % len(self.sites)].list_path}")
        return urls

    @property
    def requests(self) -> int:
        return sum(len(site.requests) for site in self.sites)


@contextmanager
def served(count: int, latency: float, notices: int = 0) -> Iterator[Sources]:
    """``count`` list pages, each on its own loopback host, answered from one selector thread."""
    sites = small_sites(latency, notices)
    servers = [
        LocalHTTPServer((loopback(i), 0), _handler_for(sites[i % len(sites)])) for i in range(count)
    ]
    selector = selectors.DefaultSelector()
    for server in servers:
        server.daemon_threads = True
        selector.register(server, selectors.EVENT_READ)
    stopping = threading.Event()

    def loop() -> None:
        while not stopping.is_set():
            for key, _ in selector.select(0.2):
                key.fileobj._handle_request_noblock()  # type: ignore[union-attr]

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield Sources(sites, servers)
    finally:
        stopping.set()
        thread.join(5)
        for server in servers:
            server.server_close()


# -- measuring a process -------------------------------------------------------------
@dataclass(frozen=True)
class Usage:
    cpu: float  # seconds, user + system, the process and the children it waited for
    wall: float
    rss_mb: float  # peak resident memory of the largest process
    requests: int = 0

    def line(self, list_pages: int) -> str:
        return (
            f"CPU {self.cpu:6.2f} s  wall {self.wall:6.1f} s  peak RSS {self.rss_mb:5.0f} MB  "
            f"requests {self.requests:5d} ({self.requests / list_pages:.2f} per list page)"
        )


def measured(command: list[str], log: Path, sources: Sources | None = None) -> Usage:
    """Run ``command`` to its end; its own resource use (``wait4``: children included)."""
    before = sources.requests if sources else 0
    started = time.monotonic()
    with log.open("ab") as out:
        child = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode not in (0, 1):
        raise SystemExit(f"{Path(command[0]).name} exited {child.returncode}: see {log}")
    return Usage(
        usage.ru_utime + usage.ru_stime,
        time.monotonic() - started,
        usage.ru_maxrss / 1024,
        (sources.requests if sources else 0) - before,
    )


# -- noticewatch ---------------------------------------------------------------------
def noticewatch_config(directory: Path, urls: list[str], daemon: str = "", **source) -> Path:
    lines = [f'[storage]\nurl = "sqlite:///{directory / "nw.db"}"\n', daemon]
    options = "".join(f"{key} = {value}\n" for key, value in source.items())
    for index, url in enumerate(urls):
        lines.append(f'[[sources]]\nid = "s{index:05d}"\nurl = "{url}"\nmax_pages = 1\n{options}')
    path = directory / "nw.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def noticewatch(config: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "monitor", "--config", str(config), *args]


def quiet_noticewatch(sources: Sources, directory: Path) -> Usage:
    config = noticewatch_config(directory, sources.list_urls)
    crawl = noticewatch(config, "crawl", "--alert-wait", "0")
    measured(crawl, directory / "nw.log")  # the baseline
    return measured(crawl, directory / "nw.log", sources)


# -- peers ---------------------------------------------------------------------------
def peer_program(name: str, cache: Path) -> Path | None:
    """The peer's program, installed in its own venv under ``cache`` on first use; None if it cannot be."""
    venv = cache / name
    python = venv / "bin" / "python"
    marker = venv / ".installed"
    if marker.exists():
        return venv / "bin" / name
    try:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", PEERS[name]],
            check=True,
            capture_output=True,
            timeout=600,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        last = detail.decode(errors="replace").strip().splitlines()[-1:] or [str(exc)]
        print(f"  {name}: skipped, cannot be installed: {last[0][:160]}")
        return None
    marker.touch()
    return venv / "bin" / name


def quiet_urlwatch(program: Path, sources: Sources, directory: Path) -> Usage:
    urls = directory / "urls.yaml"
    urls.write_text("".join(f"url: {url}\n---\n" for url in sources.list_urls), encoding="utf-8")
    command = [
        str(program),
        "--urls",
        str(urls),
        "--config",
        str(directory / "urlwatch.yaml"),
        "--cache",
        str(directory / "urlwatch.db"),
    ]
    measured(command, directory / "urlwatch.log")  # the baseline
    return measured(command, directory / "urlwatch.log", sources)


# -- the quiet cycle -----------------------------------------------------------------
def fit(points: dict[int, float]) -> tuple[float, float]:
    """(seconds per source, fixed seconds per run) through the smallest and largest N."""
    low, high = min(points), max(points)
    per_source = (points[high] - points[low]) / (high - low)
    return per_source, points[low] - per_source * low


def quiet_cycles(sizes: list[int], latency: float, peers: bool, cache: Path) -> None:
    print(f"quiet cycle (a crawl after the baseline, nothing new), latency {latency * 1000:.0f} ms")
    programs = {name: peer_program(name, cache) for name in PEERS} if peers else {}
    if peers:
        for name, why in SKIPPED_PEERS.items():
            print(f"  {name}: skipped: {why}")
    cpu: dict[str, dict[int, float]] = {"noticewatch": {}}
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp, served(size, latency) as sources:
            mine = quiet_noticewatch(sources, Path(tmp))
            print(f"N = {size:5d}  noticewatch  {mine.line(size)}", flush=True)
            cpu["noticewatch"][size] = mine.cpu
            for name, program in programs.items():
                if program is None:
                    continue
                theirs = quiet_urlwatch(program, sources, Path(tmp))
                cpu.setdefault(name, {})[size] = theirs.cpu
                print(
                    f"N = {size:5d}  {name:11}  {theirs.line(size)}  "
                    f"noticewatch/{name} CPU {mine.cpu / theirs.cpu:.1f}x",
                    flush=True,
                )
    if len(sizes) < 2:
        return
    for name, points in cpu.items():
        per_source, fixed = fit(points)
        print(
            f"{name}: {per_source * 1000:.1f} ms CPU per quiet source, "
            f"{fixed:.2f} s fixed per run (fit through N = {min(points)} and {max(points)})"
        )


# -- the first crawl ----------------------------------------------------------------
def detail_pages(sources: Sources) -> list[tuple[bytes, str, str | None]]:
    """Every notice page the sources serve: (body, URL, content type), read from the sites."""
    pages = []
    for site in sources.sites:
        for notice_id in [notice.id for notice in site.notices]:
            path = site.detail_path(notice_id)
            status, headers, body = site.render("GET", path)
            if status == 200:
                pages.append((body, f"http://bench{path}", headers.get("Content-Type")))
    return pages


def extract_all(pages: list[tuple[bytes, str, str | None]]) -> int:
    from monitor.extract import extract_notice

    for body, url, content_type in pages:
        extract_notice(body, url, content_type)
    return len(pages)


def extraction_ceiling(pages: list, workers: int) -> float:
    """Pages per second that extraction alone reaches on ``workers`` processes (no network,
    no storage): each worker extracts its share of the pages, imports and start-up excluded."""
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(extract_all, [pages[:2]] * workers))  # started, imports done
        shares = [pages[i::workers] for i in range(workers)]
        started = time.monotonic()
        done = sum(pool.map(extract_all, shares))
        return done / (time.monotonic() - started)


def first_crawl(size: int, notices: int, latency: float) -> None:
    """A first crawl (the baseline: every notice fetched, extracted and stored) against the
    rate extraction alone reaches on one core and on every core."""
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp, served(size, latency, notices) as sources:
        per_site = detail_pages(sources)
        pages = [per_site[i % len(per_site)] for i in range(size * notices)]
        one, every = extraction_ceiling(pages, 1), extraction_ceiling(pages, cores)
        no_delay = (
            "[crawl]\ndownload_delay = 0\n"  # each site is the bench's own: no politeness wait
        )
        config = noticewatch_config(Path(tmp), sources.list_urls, no_delay)
        usage = measured(noticewatch(config, "crawl", "--alert-wait", "0"), Path(tmp) / "nw.log")
        sessions = open_database(f"sqlite:///{Path(tmp) / 'nw.db'}")
        with sessions() as session:
            stored = session.scalar(select(func.count()).select_from(Notice)) or 0
        rate = stored / usage.wall
        print(
            f"first crawl of {size} sources x {notices} notices: {stored} notices stored in "
            f"{usage.wall:.1f} s ({rate:.0f}/s; CPU {usage.cpu:.1f} s, peak RSS {usage.rss_mb:.0f} MB); "
            f"extraction alone {one:.0f}/s on 1 core, {every:.0f}/s on {cores}: the crawl reaches "
            f"{rate / every:.0%} of the {cores}-core ceiling ({rate / one:.0%} of one core)",
            flush=True,
        )


# -- the daemon ----------------------------------------------------------------------
def tree(pid: int) -> list[int]:
    """``pid`` and its live descendants (Linux /proc)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                todo += [int(child) for child in (task / "children").read_text().split()]
            except OSError:
                continue
    return found


def tree_usage(pid: int) -> tuple[float, float]:
    """(CPU seconds of the tree, children it reaped included; resident MB of the tree)."""
    tick = os.sysconf("SC_CLK_TCK")
    cpu = rss = 0.0
    for member in tree(pid):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
            status = Path(f"/proc/{member}/status").read_text()
        except OSError:  # ended meanwhile: its CPU shows in its parent's reaped children
            continue
        cpu += sum(int(value) for value in fields[11:15]) / tick  # utime stime cutime cstime
        resident = [line.split()[1] for line in status.splitlines() if line.startswith("VmRSS")]
        rss += int(resident[0]) if resident else 0  # none for a zombie
    return cpu, rss / 1024


def finished_runs(sessions) -> int:
    with sessions() as session:
        return session.scalar(
            select(func.count()).select_from(CrawlRun).where(CrawlRun.finished_at.is_not(None))
        )


def daemon_cycles(size: int, cycles: int, interval: float, batch: int, latency: float) -> None:
    with tempfile.TemporaryDirectory() as tmp, served(size, latency) as sources:
        directory = Path(tmp)
        daemon = f"[daemon]\nbatch = {batch}\n"
        config = noticewatch_config(
            directory, sources.list_urls, daemon, interval=f'"{interval:g}s"', jitter=0
        )
        measured(noticewatch(config, "crawl", "--alert-wait", "0"), directory / "nw.log")
        sessions = open_database(f"sqlite:///{directory / 'nw.db'}")
        baseline = finished_runs(sessions)
        log = (directory / "daemon.log").open("ab")
        child = subprocess.Popen(noticewatch(config, "run"), stdout=log, stderr=log, cwd=ROOT)
        try:
            deadline = time.monotonic() + interval * (cycles + 3) + 120
            while finished_runs(sessions) < baseline + size and time.monotonic() < deadline:
                time.sleep(1)  # the first cycle: start-up and the spread of due crawls
            cpu0, _ = tree_usage(child.pid)
            wall0, peak, runs0 = time.monotonic(), 0.0, finished_runs(sessions)
            while finished_runs(sessions) < runs0 + size * (cycles - 1):
                if time.monotonic() > deadline:
                    print(f"  batch {batch}: cycles not finished in time (see {directory})")
                    break
                peak = max(peak, tree_usage(child.pid)[1])
                time.sleep(1)
            cpu1, _ = tree_usage(child.pid)
            wall = time.monotonic() - wall0
            crawls = finished_runs(sessions) - runs0
        finally:
            child.send_signal(signal.SIGTERM)
            child.wait(60)
            log.close()
        share = (cpu1 - cpu0) / wall
        per_source = (cpu1 - cpu0) / max(1, crawls)
        goal = per_source * TARGET_SOURCES / TARGET_PERIOD
        print(
            f"daemon N = {size}, every {interval:g} s, batch {batch:3d}: {crawls} quiet crawls "
            f"in {wall:.0f} s: {share * 100:.0f}% of one core, peak RSS {peak:.0f} MB "
            f"(daemon and children); {per_source * 1000:.0f} ms CPU per quiet crawl "
            f"-> {goal * 100:.0f}% of a core for {TARGET_SOURCES} sources every "
            f"{TARGET_PERIOD / 60:.0f} min",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 500, 2000])
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added per answer")
    parser.add_argument("--peers", action="store_true", help="also run urlwatch (own venv)")
    parser.add_argument(
        "--cache",
        type=Path,
        default=Path.home() / ".cache" / "noticewatch-bench",
        help="peer venvs",
    )
    parser.add_argument("--first", type=int, metavar="N", help="a first crawl of N sources")
    parser.add_argument("--notices", type=int, default=40, help="notices a source (--first)")
    parser.add_argument("--daemon", type=int, metavar="N", help="then the daemon on N sources")
    parser.add_argument("--cycles", type=int, default=3)
    parser.add_argument("--interval", type=float, default=60.0, help="seconds between crawls")
    parser.add_argument("--batches", type=int, nargs="+", default=[1, 50])
    args = parser.parse_args()
    if args.sizes:
        quiet_cycles(args.sizes, args.latency, args.peers, args.cache)
    if args.first:
        first_crawl(args.first, args.notices, args.latency)
    if args.daemon:
        for batch in args.batches:
            daemon_cycles(args.daemon, max(2, args.cycles), args.interval, batch, args.latency)


if __name__ == "__main__":
    main()
