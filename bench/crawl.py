"""One-off crawl of the four demo mock sites (~50 notices): time, pages per second, quiet-crawl cost.

Run: python bench/crawl.py [--repeat 3]
Prints, per run: wall time of `noticewatch crawl` (process start included), the
crawl phase alone (first run start to last run end, from the crawl_runs table),
requests served by the mock sites and pages per second; then the requests a
quiet second crawl of the unchanged sites makes.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, func, select

from monitor.demo import build_demo_sites, start_sites, stop_all
from storage.models import CrawlRun, Notice

ROOT = Path(__file__).resolve().parent.parent


def write_config(directory: Path, servers) -> tuple[Path, str]:
    url = f"sqlite:///{directory / 'bench.db'}"
    lines = [f'[storage]\nurl = "{url}"\n[crawl]\ndownload_delay = 0\n']
    for server in servers:
        site = server.site
        lines.append(
            f'[[sources]]\nid = "{site.source_id}"\nurl = "{server.list_url}"\nmax_pages = 10\n'
        )
    path = directory / "bench.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path, url


def crawl(config: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "monitor", "--config", str(config), "crawl"],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    return time.perf_counter() - started


def crawl_phase(url: str) -> tuple[float, int]:
    engine = create_engine(url)
    with engine.connect() as connection:
        first, last = connection.execute(
            select(func.min(CrawlRun.started_at), func.max(CrawlRun.finished_at))
        ).one()
        notices = connection.execute(select(func.count()).select_from(Notice)).scalar_one()
    engine.dispose()
    return (last - first).total_seconds(), notices


def one_run() -> dict:
    servers = start_sites(build_demo_sites())
    try:
        with tempfile.TemporaryDirectory() as tmp:
            config, url = write_config(Path(tmp), servers)
            wall = crawl(config)
            phase, notices = crawl_phase(url)
            requests = sum(len(s.site.requests) for s in servers)
            for server in servers:
                server.site.clear_requests()
            quiet_wall = crawl(config)
            quiet = {s.site.source_id: len(s.site.requests) for s in servers}
    finally:
        stop_all(servers)
    return {
        "wall": wall,
        "phase": phase,
        "notices": notices,
        "requests": requests,
        "quiet_wall": quiet_wall,
        "quiet": quiet,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    runs = [one_run() for _ in range(args.repeat)]
    for index, run in enumerate(runs, 1):
        print(
            f"run {index}: {run['notices']} notices, {run['requests']} requests; wall {run['wall']:.2f} s "
            f"(crawl phase {run['phase']:.2f} s): {run['requests'] / run['wall']:.1f} pages/s wall, "
            f"{run['requests'] / run['phase']:.1f} pages/s in the crawl phase"
        )
    wall = statistics.median(r["wall"] for r in runs)
    phase = statistics.median(r["phase"] for r in runs)
    requests = runs[0]["requests"]
    print(
        f"median: wall {wall:.2f} s, crawl phase {phase:.2f} s, {requests / phase:.1f} pages/s (crawl phase)"
    )
    quiet = runs[0]["quiet"]
    print(
        f"quiet second crawl of the unchanged sites: {sum(quiet.values())} requests "
        f"({', '.join(f'{k} {v}' for k, v in quiet.items())}), wall {statistics.median(r['quiet_wall'] for r in runs):.2f} s"
    )


if __name__ == "__main__":
    main()
