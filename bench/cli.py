"""The command line under trouble: how loud, how fast to give up, how fast to stop.

    python bench/cli.py [--skip-dead]

Prints, with nothing sent off this machine:
- an all-unreachable crawl: every enabled bundled seed, each host name made not to
  resolve by the audited crawl's test resolver: sources, stdout and stderr lines;
- seconds to give up on one dead server (accepts TCP, never answers) with the default
  [crawl] timeout and retries, and the connections it was sent;
- seconds from Ctrl-C (and SIGTERM) to exit on a crawl stalled on such a server;
- start-up of `noticewatch --version`, `--help` and `notices list` (wall and CPU seconds).
"""

from __future__ import annotations

import argparse
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the test helpers (tests/) are not an installed package

from monitor.config import load_config  # noqa: E402
from tests.support.audited import audited_crawl  # noqa: E402
from tests.support.hostile_site import StallingServer  # noqa: E402

CLI = [sys.executable, "-m", "monitor"]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def unreachable_seeds(work: Path) -> None:
    config = write(
        work / "seeds.toml",
        f'include = ["{ROOT}/seeds/*.toml"]\n[storage]\nurl = "sqlite:///{work}/seeds.db"\n',
    )
    sources = [s for s in load_config(config, need_secrets=False).sources if s.enabled]
    hosts = {urlsplit(s.url).hostname or "": "" for s in sources}
    started = time.monotonic()
    crawl = audited_crawl(config, hosts)
    seconds = time.monotonic() - started
    out, err = crawl.stdout.strip().splitlines(), crawl.stderr.strip().splitlines()
    print(
        f"all-unreachable crawl: {len(sources)} sources, {len(out)} stdout lines, "
        f"{len(err)} stderr lines, exit {crawl.returncode}, {seconds:.1f} s"
    )


def dead_server(work: Path) -> None:
    with StallingServer() as dead:
        config = write(
            work / "dead.toml",
            f'[storage]\nurl = "sqlite:///{work}/dead.db"\n'
            f'[[sources]]\nid = "dead"\nurl = "{dead.url("/list.html")}"\n',
        )
        started = time.monotonic()
        subprocess.run([*CLI, "--config", str(config), "crawl"], capture_output=True, cwd=ROOT)
        seconds = time.monotonic() - started
        print(
            f"one dead server, default timeout and retries: gave up after {seconds:.1f} s, "
            f"{len(dead.connections)} connections (robots.txt, the page)"
        )


def stop_on(signum: int, work: Path) -> None:
    with StallingServer() as dead:
        config = write(
            work / f"stall{signum}.toml",
            f'[storage]\nurl = "sqlite:///{work}/stall{signum}.db"\n'
            f'[[sources]]\nid = "dead"\nurl = "{dead.url("/list.html")}"\n',
        )
        crawl = subprocess.Popen(
            [*CLI, "--config", str(config), "crawl"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=ROOT,
        )
        while not dead.connections:
            time.sleep(0.05)
        time.sleep(1)
        sent = time.monotonic()
        crawl.send_signal(signum)
        code = crawl.wait(timeout=300)
        seconds = time.monotonic() - sent
        print(
            f"{signal.Signals(signum).name} on a stalled crawl: exit {code} after {seconds:.2f} s"
        )


def start_up(work: Path, runs: int = 5) -> None:
    """Median wall and CPU seconds (user + system, from the children's rusage) of short commands."""
    config = write(work / "views.toml", f'[storage]\nurl = "sqlite:///{work / "views.db"}"\n')
    subprocess.run([*CLI, "--config", str(config), "status"], capture_output=True, cwd=ROOT)
    commands = (["--version"], ["--help"], ["--config", str(config), "notices", "list"])
    for args in commands:
        walls, cpus = [], []
        for _ in range(runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.monotonic()
            subprocess.run([*CLI, *args], capture_output=True, cwd=ROOT)
            walls.append(time.monotonic() - started)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        shown = " ".join(a for a in args if not a.startswith("/") and a != "--config")
        print(
            f"noticewatch {shown}: {statistics.median(walls):.2f} s wall, "
            f"{statistics.median(cpus):.2f} s CPU (median of {runs})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip-dead", action="store_true", help="skip the ~40 s dead-server run")
    parser.add_argument("--start-up-only", action="store_true", help="only the start-up figures")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        work = Path(directory)
        if not args.start_up_only:
            unreachable_seeds(work)
            if not args.skip_dead:
                dead_server(work)
            for signum in (signal.SIGINT, signal.SIGTERM):
                stop_on(signum, work)
        start_up(work)


if __name__ == "__main__":
    main()
