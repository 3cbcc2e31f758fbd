"""Kill storm: does the daemon miss or repeat a notice when it is SIGKILLed again and again?

    python bench/faults.py --kills 12 --notices 60 [--seed N] [--db sqlite|postgresql]

A mock TRS site and an SMTP receiver run in this process (127.0.0.1 only);
``noticewatch run`` crawls the site every second. The notices are published in
``--kills`` bursts (two of them longer than two list pages, so notices slide to
pages 2 and 3); after each burst the daemon is SIGKILLed at a random moment
(seeded) and started again. Then it runs until every notice is stored and
mailed (or 120 s pass) and two more crawls end, and is stopped with SIGTERM.
``--db postgresql`` uses a private throwaway PostgreSQL server (needs the
server binaries, see tests/throwaway_pg.py). Prints figures; exits 1 when a
notice was lost or mailed twice. The daemon logs stay in the temporary
directory it names.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the test helpers (tests/) are not an installed package

from monitor.demo import MockSiteServer  # noqa: E402
from monitor.demo.build import trs_site  # noqa: E402
from tests.support.cli import CliProcess  # noqa: E402
from tests.support.daemon import subscription  # noqa: E402
from tests.support.faults import daemon_file, kill_storm  # noqa: E402
from tests.support.receivers import SmtpReceiver  # noqa: E402
from tests.support.throwaway_pg import ThrowawayPostgres, find_bindir  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=12, help="SIGKILLs of the daemon (default 12)")
    parser.add_argument("--notices", type=int, default=60, help="notices published (default 60)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the kill moments and bursts")
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    args = parser.parse_args()
    if args.kills < 1 or args.notices < args.kills:
        parser.error("need --kills >= 1 and --notices >= --kills (one notice per burst at least)")

    work = Path(tempfile.mkdtemp(prefix="nw-faults-"))
    started: list[CliProcess] = []
    postgres: ThrowawayPostgres | None = None
    smtp = SmtpReceiver().start()
    server = MockSiteServer(trs_site()).start()
    try:
        if args.db == "postgresql":
            bindir = find_bindir()
            if bindir is None:
                print("PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin)")
                return 2
            postgres = ThrowawayPostgres(bindir).init().start()
            url = postgres.url
        else:
            url = f"sqlite:///{work / 'notices.db'}"
        config = daemon_file(
            work / "config.toml",
            url,
            [server],
            max_pages=12,
            extra=subscription("office", [smtp.url], ["new"]),
        )

        def launch() -> CliProcess:
            started.append(CliProcess(config, ["run"], work / f"run-{len(started)}.log"))
            return started[-1]

        report = kill_storm(
            launch, server, url, smtp, kills=args.kills, notices=args.notices, seed=args.seed
        )
    finally:
        for process in started:
            if process.proc.poll() is None:
                process.proc.kill()
                process.proc.wait()
        server.stop()
        smtp.stop()
        if postgres is not None:
            postgres.destroy()

    figures = report.figures
    print(f"database: {args.db}, seed {args.seed}, daemon logs in {work}")
    print(f"notices added: {figures['added']}")
    print(f"stored: {figures['stored']}")
    print(f"alerted once: {figures['alerted once']}")
    print(f"alerted twice or more: {figures['alerted twice or more']}")
    print(f"lost (not stored or never alerted): {figures['lost']}")
    print(f"kills: {report.kills}; crawl runs: {report.runs}, interrupted: {report.interrupted}")
    print(f"daemons that exited by themselves (exit codes): {report.exits or 'none'}")
    print(f"clean stop: exit code {report.exit_code}, runs left unfinished: {report.unfinished}")
    print(f"duration: {report.seconds:.1f} s")
    return 0 if figures["lost"] == 0 and figures["alerted twice or more"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
