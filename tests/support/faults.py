"""Fault injection helpers: generated notices, fault-test configs, a supervisor, the kill storm.

Used by ``tests/e2e/test_faults.py``, ``tests/monitor/distributed/test_scale.py`` and
``bench/faults.py``.
"""

from __future__ import annotations

import random
import signal
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from monitor.demo import MockSite, MockSiteServer
from monitor.demo.model import MockNotice
from storage.db import open_database
from storage.models import CrawlRun, Notice
from tests.support.cli import CliProcess, db_rows, run_cli, source_toml, toml_value, wait_for
from tests.support.daemon import http_get, outcomes
from tests.support.receivers import SmtpReceiver

_CHARS = (
    "教育学校学生教师工作安排通知要求各级部门认真组织落实开展活动管理服务质量安全建设发展"
    "培训考试招生课程评价检查实施方案计划总结报告材料时间地点人员单位负责同志及时上报按照"
    "规定做好有关事项进一步加强提高保障推进完善制度措施家长社会宣传体育卫生心理健康资助"
)
_TOPICS = ("校园安全", "招生入学", "教师培训", "学籍管理", "体育健康", "资助申报", "教学检查")


def notice_text(rng: random.Random, number: int) -> tuple[str, list[str]]:
    """A unique title and a body unlike any other (so no notice is a near-duplicate)."""
    title = f"关于做好第{number:03d}批{rng.choice(_TOPICS)}工作的通知"
    sentences = [
        "".join(rng.choice(_CHARS) for _ in range(rng.randint(14, 22))) + "。" for _ in range(6)
    ]
    return title, [
        "各县（市、区）教育局，各直属学校：",
        "".join(sentences[:3]),
        "".join(sentences[3:]),
    ]


def publish(site: MockSite, rng: random.Random, numbers: Iterable[int]) -> list[MockNotice]:
    """Add one generated notice per number, newest last."""
    return [site.add_notice(*notice_text(rng, number)) for number in numbers]


def config_file(
    path: Path,
    url: str,
    servers: list[MockSiteServer],
    *,
    crawl: dict | None = None,
    extra: str = "",
    max_pages: int = 5,
    **source_options,
) -> Path:
    """Sources crawled without delay or retries; ``crawl`` adds ``[crawl]`` settings.

    The schema is created before it returns, so the test can query at once.
    """
    settings = {"download_delay": 0, "retries": 0, "timeout": 10} | (crawl or {})
    body = [
        f'[storage]\nurl = "{url}"\n',
        "[crawl]\n" + "".join(f"{key} = {toml_value(value)}\n" for key, value in settings.items()),
        *(source_toml(server, max_pages=max_pages, **source_options) for server in servers),
    ]
    path.write_text("\n".join(body) + "\n" + extra, encoding="utf-8")
    open_database(url).kw["bind"].dispose()
    return path


def daemon_file(path: Path, url: str, servers: list[MockSiteServer], **options) -> Path:
    """A config for ``noticewatch run``: every source crawled every second."""
    return config_file(path, url, servers, interval="1s", jitter=0, **options)


def crawl(config: Path) -> str:
    """One ``noticewatch crawl`` run (alerts sent before it returns); its output."""
    done = run_cli(config, "crawl")
    assert done.returncode == 0, f"crawl failed ({done.returncode}): {done.stdout}{done.stderr}"
    return done.stdout


def mails_per_title(smtp: SmtpReceiver, titles: Iterable[str]) -> Counter[str]:
    """How many mails name each title in their subject."""
    subjects = [mail.subject for mail in list(smtp.inbox)]
    return Counter({title: sum(title in subject for subject in subjects) for title in titles})


def stored_urls(url: str) -> set[str]:
    return set(db_rows(url, select(Notice.url)))


def unfinished_runs(url: str) -> list[CrawlRun]:
    return db_rows(url, select(CrawlRun).where(CrawlRun.finished_at.is_(None)))


def paths_logged(site: MockSite) -> list[tuple[str, int]]:
    return [(path, status) for _, path, _, status in site.requests]


def health_status(bind: str) -> int:
    """What the daemon's /healthz answers (0: no answer)."""
    try:
        return http_get(f"http://{bind}/healthz")[0]
    except OSError:  # a timeout or a reset while the daemon stops
        return 0


def verdict(titles: list[str], stored: set[str], urls: dict[str, str], mails: Counter) -> str:
    """'' when every title is stored and mailed once, else what went wrong."""
    lost = [t for t in titles if urls[t] not in stored]
    unmailed = [t for t in titles if mails[t] == 0]
    repeated = {t: mails[t] for t in titles if mails[t] > 1}
    if not (lost or unmailed or repeated):
        return ""
    return (
        f"of {len(titles)} notices: not stored {lost}; never mailed {unmailed}; "
        f"mailed more than once {repeated}"
    )


class Supervisor:
    """Keeps one ``noticewatch run`` going as systemd would: restarted when it exits or is killed."""

    def __init__(self, launch: Callable[[], CliProcess], restart_delay: float = 1.0) -> None:
        self.launch = launch
        self.restart_delay = restart_delay
        self.daemon = launch()
        self.exits: list[int] = []  # exit codes of daemons that stopped by themselves
        self.kills = 0

    def kill(self) -> None:
        """SIGKILL the daemon (noting it if it had exited by itself), then start a new one at once."""
        if (code := self.daemon.proc.poll()) is not None:
            self.exits.append(code)
        else:
            self.daemon.proc.kill()
            self.daemon.proc.wait()
            self.kills += 1
        self.daemon = self.launch()

    def check(self) -> None:
        """Restart the daemon if it has exited (after ``restart_delay``), noting its exit code."""
        code = self.daemon.proc.poll()
        if code is None:
            return
        self.exits.append(code)
        time.sleep(self.restart_delay)
        self.daemon = self.launch()

    def stop(self) -> int:
        """SIGTERM the daemon and return its exit code."""
        return self.daemon.stop(signal.SIGTERM, timeout=30)


@dataclass
class StormReport:
    """What a kill storm added, stored and mailed."""

    titles: list[str]
    urls: dict[str, str]  # title -> notice URL
    stored: set[str] = field(default_factory=set)
    mails: Counter = field(default_factory=Counter)
    kills: int = 0
    seconds: float = 0.0
    exit_code: int | None = None
    unfinished: int = 0  # crawl runs left without an end after the clean stop
    runs: int = 0
    interrupted: int = 0  # crawl runs cut short (by a kill or the stop)
    exits: list[int] = field(default_factory=list)  # codes of daemons that exited by themselves

    @property
    def figures(self) -> dict[str, int]:
        counts = [self.mails[t] for t in self.titles]
        return {
            "added": len(self.titles),
            "stored": sum(self.urls[t] in self.stored for t in self.titles),
            "alerted once": counts.count(1),
            "alerted twice or more": sum(c > 1 for c in counts),
            "lost": sum(self.urls[t] not in self.stored or self.mails[t] == 0 for t in self.titles),
        }


def burst_sizes(total: int, count: int, big: int, rng: random.Random) -> list[int]:
    """``count`` bursts adding up to ``total``, two of them ``big`` or more (when total allows)."""
    sizes = [1] * count
    for index in rng.sample(range(count), min(2, count)):
        if sum(sizes) + big - 1 <= total:
            sizes[index] += big - 1
    for _ in range(total - sum(sizes)):
        sizes[rng.randrange(count)] += 1
    return sizes


def kill_storm(
    launch: Callable[[], CliProcess],
    server: MockSiteServer,
    url: str,
    smtp: SmtpReceiver,
    *,
    kills: int,
    notices: int,
    seed: int,
    settle_timeout: float = 120,
) -> StormReport:
    """Publish ``notices`` in ``kills`` bursts, SIGKILLing the daemon at a random moment after each.

    Returns once every notice is stored and mailed (or ``settle_timeout`` has
    passed) and two more crawls ended, after a clean SIGTERM stop.
    """
    site, rng = server.site, random.Random(seed)
    started = time.monotonic()
    supervisor = Supervisor(launch)
    wait_for(lambda: "ok" in outcomes(url, site.source_id), 60, "the baseline crawl")
    added: list[MockNotice] = []
    for size in burst_sizes(notices, kills, big=2 * site.per_page + 1, rng=rng):
        added += publish(site, rng, range(len(added) + 1, len(added) + size + 1))
        time.sleep(rng.uniform(0.3, 4.0))
        supervisor.kill()
    titles = [notice.title for notice in added]
    report = StormReport(titles, {n.title: server.url(site.detail_path(n.id)) for n in added})

    def settled() -> bool:
        supervisor.check()
        report.stored, report.mails = stored_urls(url), mails_per_title(smtp, titles)
        return not verdict(titles, report.stored, report.urls, report.mails)

    deadline = time.monotonic() + settle_timeout
    while not settled() and time.monotonic() < deadline:
        time.sleep(0.5)
    ended = len(outcomes(url, site.source_id))
    wait_for(lambda: len(outcomes(url, site.source_id)) >= ended + 2, 30, "two more crawls")
    report.stored, report.mails = stored_urls(url), mails_per_title(smtp, titles)
    report.exit_code = supervisor.stop()
    report.unfinished = len(unfinished_runs(url))
    runs = db_rows(url, select(CrawlRun.outcome).where(CrawlRun.source_id == site.source_id))
    report.runs, report.interrupted = len(runs), runs.count("interrupted")
    report.kills, report.exits = supervisor.kills, supervisor.exits
    report.seconds = time.monotonic() - started
    return report
