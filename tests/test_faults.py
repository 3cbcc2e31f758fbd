"""Fault injection against the guarantee "never miss a notice".

Real processes (``noticewatch crawl`` and ``noticewatch run``), the mock sites
over HTTP with injected faults (``site.fail``, ``site.stall``), a real SMTP
receiver and webhook, SQLite and PostgreSQL (a private throwaway server for
outages). Every wait is bounded; nothing asserts on wall-clock time.
"""

from __future__ import annotations

import random
import signal
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import select

from monitor.demo import MockSite, MockSiteServer
from monitor.demo.model import MockNotice
from monitor.demo.site import STALLED
from storage.db import open_database
from storage.models import CrawlRun, Delivery, Event, Notice, PendingLink
from tests.conftest import CliProcess, _toml_value, db_rows, run_cli, source_toml, wait_for
from tests.receivers import SmtpReceiver, WebhookReceiver, free_port
from tests.test_daemon import http_get, outcomes, posted, subscription
from tests.throwaway_pg import ThrowawayPostgres, throwaway_pg_fixture  # noqa: F401 (fixture)

_CHARS = (
    "教育学校学生教师工作安排通知要求各级部门认真组织落实开展活动管理服务质量安全建设发展"
    "培训考试招生课程评价检查实施方案计划总结报告材料时间地点人员单位负责同志及时上报按照"
    "规定做好有关事项进一步加强提高保障推进完善制度措施家长社会宣传体育卫生心理健康资助"
)
_TOPICS = ("校园安全", "招生入学", "教师培训", "学籍管理", "体育健康", "资助申报", "教学检查")


# -- helpers ------------------------------------------------------------------------
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
        "[crawl]\n" + "".join(f"{key} = {_toml_value(value)}\n" for key, value in settings.items()),
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


# -- a: a detail page failing once ----------------------------------------------------
def test_a_detail_page_failing_once_is_stored_and_alerted_once_on_the_next_crawl(
    sites, db_url, tmp_path, smtp
):
    discuz = sites["discuz"]  # dynamic list: answers 200 every time
    site = discuz.site
    config = config_file(
        tmp_path / "c.toml", db_url, [discuz], extra=subscription("office", [smtp.url], ["new"])
    )
    crawl(config)  # baseline
    [notice] = publish(site, random.Random(1), [1])
    detail = site.detail_path(notice.id)
    site.fail(detail, status=503, times=1)
    crawl(config)
    assert (detail, 503) in paths_logged(site), "the injected 503 never reached the crawler"
    assert smtp.inbox == [], "an alert was sent for a notice whose page failed"

    crawl(config)
    stored = discuz.url(detail) in stored_urls(db_url)
    mails = mails_per_title(smtp, [notice.title])
    assert stored and mails[notice.title] == 1 and len(smtp.inbox) == 1, (
        f"after the page healed: stored={stored}, mails for it={mails[notice.title]}, "
        f"mails in all={len(smtp.inbox)}"
    )


def test_a_the_retry_happens_even_when_the_list_answers_304(sites, sqlite_url, tmp_path, smtp):
    trs = sites["trs"]  # static list with ETag / Last-Modified
    site = trs.site
    config = config_file(
        tmp_path / "c.toml", sqlite_url, [trs], extra=subscription("office", [smtp.url], ["new"])
    )
    crawl(config)
    [notice] = publish(site, random.Random(2), [1])
    detail = site.detail_path(notice.id)
    site.fail(detail, status=503, times=1)
    crawl(config)
    assert (detail, 503) in paths_logged(site), "the injected 503 never reached the crawler"

    site.clear_requests()
    output = crawl(config)
    logged = paths_logged(site)
    assert (site.list_path, 304) in logged, f"precondition: the list should answer 304: {logged}"
    mails = mails_per_title(smtp, [notice.title])
    stored = trs.url(detail) in stored_urls(sqlite_url)
    assert (detail, 200) in logged and stored and mails[notice.title] == 1, (
        f"with the list unchanged (304) the failed notice must still be retried: "
        f"requests {logged}, stored={stored}, mails={mails[notice.title]}; crawl said: {output}"
    )

    crawl(config)
    assert len(smtp.inbox) == 1, (
        f"alerted again on a later crawl: {[m.subject for m in smtp.inbox]}"
    )


# -- b: a detail page that never heals -------------------------------------------------
def test_b_a_page_failing_give_up_after_times_is_reported_once_and_never_stored(
    sites, sqlite_url, tmp_path, webhook: WebhookReceiver
):
    vsb = sites["vsb"]
    site = vsb.site
    config = config_file(
        tmp_path / "c.toml",
        sqlite_url,
        [vsb],
        crawl={"give_up_after": 3, "pending_retry_delay": 0},
        extra=subscription("admin", [webhook.url], ["source_error"]),
    )
    crawl(config)
    [notice] = publish(site, random.Random(3), [1])
    detail = site.detail_path(notice.id)
    url = vsb.url(detail)
    site.fail(detail, status=503, times=None)
    for _ in range(3):
        crawl(config)
    failures = paths_logged(site).count((detail, 503))
    assert failures == 3, f"expected one failed fetch per crawl (3), got {failures}"
    events = [
        (event.kind, event.details.get("outcome"), event.details.get("url"))
        for event in db_rows(sqlite_url, select(Event))
    ]
    assert events == [("source_error", "notice_unreachable", url)], (
        f"giving up must make exactly one source_error/notice_unreachable event: {events}"
    )
    texts = posted(webhook)
    assert len(texts) == 1 and url in texts[0], f"expected one alert naming {url}: {texts}"

    site.clear_requests()
    crawl(config)  # given up: neither fetched nor reported again
    assert detail not in [path for path, _ in paths_logged(site)], "a given-up link was fetched"
    assert len(posted(webhook)) == 1, f"the give-up was alerted again: {posted(webhook)}"
    [pending] = db_rows(sqlite_url, select(PendingLink).where(PendingLink.url == url))
    assert url not in stored_urls(sqlite_url) and pending.gave_up_at is not None, (
        f"a given-up notice must not be stored: stored={url in stored_urls(sqlite_url)}, "
        f"gave_up_at={pending.gave_up_at}"
    )


# -- c: pagination after an interrupted crawl ------------------------------------------
def test_c_notices_sliding_pages_after_a_killed_crawl_are_stored_and_alerted(
    sites, sqlite_url, tmp_path, smtp, start_cli
):
    dede = sites["dede"]  # no pinned rows
    site = dede.site
    site.per_page = 3
    config = config_file(
        tmp_path / "c.toml",
        sqlite_url,
        [dede],
        crawl={"concurrency_per_host": 4},
        extra=subscription("office", [smtp.url], ["new"]),
    )
    crawl(config)
    rng = random.Random(4)
    first = publish(site, rng, range(1, 5))  # N1..N4: page 1 = N4 N3 N2, page 2 = N1 …
    site.stall(site.page_path(2))  # the first crawl never reads page 2
    killed = start_cli(config, "crawl")
    top = {dede.url(site.detail_path(n.id)) for n in first[1:]}
    wait_for(lambda: top <= stored_urls(sqlite_url), 30, "N2..N4 stored by the first crawl")
    wait_for(lambda: site.held, 10, "the first crawl waiting for page 2")
    [slider] = publish(site, rng, [5])  # X: on page 1 now, never read by the first crawl
    killed.proc.kill()
    killed.proc.wait()
    site.clear_faults()

    later = publish(site, rng, range(6, 12))  # six more push X to page 3 and N1 to page 4
    assert (site.page_of(slider.id), site.page_of(first[0].id)) == (3, 4), "precondition"
    crawl(config)
    everything = [*first, slider, *later]
    titles = [n.title for n in everything]
    urls = {n.title: dede.url(site.detail_path(n.id)) for n in everything}
    problem = verdict(titles, stored_urls(sqlite_url), urls, mails_per_title(smtp, titles))
    assert not problem, problem


# -- d: SIGKILL storm on the daemon ----------------------------------------------------
def test_d_kill_storm_on_the_daemon_loses_and_repeats_nothing(
    sites, sqlite_url, tmp_path, smtp, start_cli
):
    trs = sites["trs"]
    config = daemon_file(
        tmp_path / "c.toml",
        sqlite_url,
        [trs],
        max_pages=12,
        extra=subscription("office", [smtp.url], ["new"]),
    )
    report = kill_storm(
        lambda: start_cli(config, "run"), trs, sqlite_url, smtp, kills=12, notices=55, seed=7
    )
    problem = verdict(report.titles, report.stored, report.urls, report.mails)
    assert not problem, f"after {report.kills} kills: {problem}"
    assert report.exit_code == 0 and report.unfinished == 0 and not report.exits, (
        f"clean stop: exit code {report.exit_code}, runs left unfinished {report.unfinished}; "
        f"daemons that exited by themselves: {report.exits}"
    )


# -- d: SIGKILL while a mail is being sent ----------------------------------------------
def test_d_a_daemon_killed_while_a_mail_is_accepted_neither_loses_nor_repeats_it(
    sites, sqlite_url, tmp_path, smtp, start_cli
):
    """The moment a kill used to alert twice: the server has the mail, the outbox does not know."""
    discuz = sites["discuz"]
    site = discuz.site
    patient = smtp.url + "&cto=120"  # apprise waits for the held reply instead of failing
    config = daemon_file(
        tmp_path / "c.toml", sqlite_url, [discuz], extra=subscription("office", [patient], ["new"])
    )
    first = start_cli(config, "run")
    wait_for(lambda: "ok" in outcomes(sqlite_url, site.source_id), 30, "the baseline crawl")
    smtp.holding.set()
    [notice] = publish(site, random.Random(8), [1])
    wait_for(lambda: smtp.inbox, 30, "the alert reaching the SMTP server")
    first.proc.kill()
    first.proc.wait()

    second = start_cli(config, "run")  # takes over: releases what dead processes held
    ended = len(outcomes(sqlite_url, site.source_id))
    wait_for(
        lambda: len(outcomes(sqlite_url, site.source_id)) > ended, 60, "a crawl by the new daemon"
    )
    smtp.holding.clear()
    statuses = lambda: db_rows(sqlite_url, select(Delivery.status))  # noqa: E731
    wait_for(lambda: statuses() == ["sent"], 60, "the held delivery recorded as sent")
    assert second.stop() == 0
    mails = mails_per_title(smtp, [notice.title])
    assert mails[notice.title] == 1 and len(smtp.inbox) == 1, (
        f"one mail expected: {[mail.subject for mail in smtp.inbox]}"
    )


# -- e: SIGTERM in the middle of a crawl ----------------------------------------------
def test_e_sigterm_during_a_crawl_exits_0_and_leaves_no_run_unfinished(
    sites, sqlite_url, tmp_path, smtp, start_cli
):
    hanweb = sites["hanweb"]
    site = hanweb.site
    config = daemon_file(
        tmp_path / "c.toml", sqlite_url, [hanweb], extra=subscription("office", [smtp.url], ["new"])
    )
    daemon = start_cli(config, "run")
    wait_for(lambda: "ok" in outcomes(sqlite_url, site.source_id), 30, "the baseline crawl")
    [notice] = publish(site, random.Random(5), [1])
    detail = site.detail_path(notice.id)
    site.stall(detail, times=None)
    wait_for(lambda: site.held, 20, "a crawl held on the new notice's page")
    try:
        code = daemon.stop(signal.SIGTERM, timeout=20)
    finally:
        site.clear_faults()
    left = [(run.id, run.outcome) for run in unfinished_runs(sqlite_url)]
    assert code == 0 and not left, f"SIGTERM mid-crawl: exit code {code}, unfinished runs {left}"
    assert outcomes(sqlite_url, site.source_id)[-1] == "interrupted", (
        f"the crawl cut short should end interrupted: {outcomes(sqlite_url, site.source_id)}"
    )
    assert (detail, STALLED) in paths_logged(site)

    again = start_cli(config, "run")  # the notice seen on the list is not lost
    wait_for(lambda: mails_per_title(smtp, [notice.title])[notice.title], 30, "the alert")
    assert again.stop() == 0
    assert len(smtp.inbox) == 1, f"expected one alert: {[m.subject for m in smtp.inbox]}"


# -- f: PostgreSQL outage --------------------------------------------------------------
@pytest.mark.parametrize(
    "outage", [15, pytest.param(60, marks=pytest.mark.slow, id="60-slow")], ids=str
)
def test_f_a_postgresql_outage_loses_and_repeats_no_notice(
    sites,
    throwaway_pg: ThrowawayPostgres,
    tmp_path,
    smtp,
    start_cli,
    outage,
):
    vsb = sites["vsb"]
    site, url = vsb.site, throwaway_pg.url
    bind = f"127.0.0.1:{free_port()}"
    extra = subscription("office", [smtp.url], ["new"]) + f'[daemon]\nstatus_bind = "{bind}"\n'
    config = daemon_file(tmp_path / "c.toml", url, [vsb], extra=extra)
    supervisor = Supervisor(lambda: start_cli(config, "run"))
    wait_for(lambda: "ok" in outcomes(url, site.source_id), 30, "the baseline crawl")
    rng = random.Random(6)
    added: list[MockNotice] = []
    statuses: set[int] = set()  # what /healthz answered during the outage
    throwaway_pg.stop()
    try:
        down = time.monotonic()
        while time.monotonic() - down < outage:
            if len(added) < 3 and time.monotonic() - down >= len(added) * outage / 3:
                added += publish(site, rng, [len(added) + 1])
            supervisor.check()
            statuses.add(health_status(bind))
            time.sleep(0.2)
    finally:
        throwaway_pg.start()
    titles = [n.title for n in added]
    urls = {n.title: vsb.url(site.detail_path(n.id)) for n in added}

    def settled() -> bool:
        supervisor.check()
        return not verdict(titles, stored_urls(url), urls, mails_per_title(smtp, titles))

    wait_for(settled, 90, "every notice stored and alerted after the outage")
    ended = len(outcomes(url, site.source_id))
    wait_for(lambda: len(outcomes(url, site.source_id)) > ended, 30, "one more crawl")
    problem = verdict(titles, stored_urls(url), urls, mails_per_title(smtp, titles))
    assert not problem, problem
    assert 0 not in supervisor.exits, f"a daemon exited 0 during the outage: {supervisor.exits}"
    after = health_status(bind)
    assert 503 in statuses and after == 200, (
        f"/healthz should answer 503 while the database is down, 200 after: "
        f"during the outage {sorted(statuses)}, after {after}"
    )
    assert supervisor.stop() == 0
