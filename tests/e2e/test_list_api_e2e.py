"""Lists fed by data APIs, end to end through the CLI: broken answers, a forced adapter that
does not fit, bad ``[sources.api]`` tables, and the pending-link and deep-crawl guarantees."""

from __future__ import annotations

import random

from sqlalchemy import select

from monitor.config import load_config
from monitor.demo import MockSiteServer
from monitor.demo.build import aspnet_site, gkmlpt_site, jsonapi_site, sudy_site
from monitor.distributed.launcher import RedisLauncher
from storage.db import open_database
from storage.models import CrawlRun, PendingLink
from tests.support.cli import db_rows, run_cli, wait_for
from tests.support.daemon import subscription
from tests.support.faults import publish
from tests.support.list_api import api_config, data_requests, new_titles, stored
from tests.support.services import REDIS_HOST, REDIS_PORT

DECLARED = (
    '[sources.api]\nurl = "/api/cms/article/page"\nmethod = "POST"\n'
    'json = { pageNo = "{page}", pageSize = 4, columnCode = "tzgg" }\n'
    'items = "data.records"\ntitle = "articleTitle"\nlink_template = "/tzgg/{articleId}.html"\n'
)


def runs(db_url: str) -> dict[str, CrawlRun]:
    """The latest run of each source."""
    return {run.source_id: run for run in db_rows(db_url, select(CrawlRun).order_by(CrawlRun.id))}


def with_declared_api(config, source_id: str) -> None:
    """Put ``DECLARED`` under the source ``source_id`` of ``config``."""
    text = config.read_text(encoding="utf-8")
    marker = f'id = "{source_id}"\n'
    head, _, rest = text.partition(marker)
    block, sep, tail = rest.partition("\n[[")
    config.write_text(f"{head}{marker}{block}\n{DECLARED}{sep}{tail}", encoding="utf-8")


def test_broken_api_answers_are_one_clear_problem_each_and_the_others_crawl(sqlite_url, tmp_path):
    servers = [
        MockSiteServer(site).start() for site in (gkmlpt_site(), jsonapi_site(), aspnet_site())
    ]
    try:
        gkmlpt, jsonapi, aspnet = servers
        gkmlpt.site.break_api("html")
        jsonapi.site.break_api("truncated")
        urls = {"nfcms": gkmlpt.list_url + "#1620"}
        config = api_config(tmp_path / "c.toml", sqlite_url, servers, urls=urls)
        with_declared_api(config, "demo-jsonapi")

        done = run_cli(config, "crawl")
        assert done.returncode == 0, done.stdout + done.stderr  # one source crawled fine
        latest = runs(sqlite_url)
        assert latest["demo-aspnet"].outcome == "ok"
        assert len(stored(sqlite_url)) == len(aspnet.site.notices)
        broken = {
            "demo-nfcms": "list API 'gkmlpt': the gkmlpt API answered an HTML page, not JSON"
            " (title '系统繁忙')",
            "demo-jsonapi": "list API 'api': the [sources.api] endpoint answered invalid JSON",
        }
        for source_id, message in broken.items():
            run = latest[source_id]
            assert run.outcome == "layout_drift" and message in (run.error or ""), run.error
            assert [p["kind"] for p in run.problems] == ["content"], run.problems
            line = next(text for text in done.stdout.splitlines() if source_id in text)
            assert message in line, done.stdout

        gkmlpt.site.break_api(None)
        jsonapi.site.break_api(None)
        done = run_cli(config, "crawl")  # mended: read in full, nothing lost
        assert done.returncode == 0, done.stdout + done.stderr
        assert {run.outcome for run in runs(sqlite_url).values()} == {"ok"}
        expected = {s.url(s.site.notice_path(n)) for s in servers for n in s.site.notices}
        assert set(stored(sqlite_url)) == expected
        assert new_titles(sqlite_url) == []  # the sources' first good crawl is their baseline
    finally:
        for server in servers:
            server.stop()


def test_a_forced_adapter_the_page_does_not_fit_is_a_config_problem(sqlite_url, tmp_path):
    with MockSiteServer(sudy_site()) as server:
        config = api_config(tmp_path / "c.toml", sqlite_url, [server], list_api="gkmlpt")
        done = run_cli(config, "crawl")
        assert done.returncode == 1
        run = runs(sqlite_url)["demo-sudy"]
        assert run.outcome == "config_error"
        assert "list API 'gkmlpt': the gkmlpt page names no site id (SID)" in (run.error or "")
        assert data_requests(server.site) == []  # the query it does not know is never sent


def test_a_bad_api_table_is_one_located_line_from_config_check(tmp_path, sqlite_url):
    config = tmp_path / "c.toml"
    config.write_text(
        f'[storage]\nurl = "{sqlite_url}"\n\n[[sources]]\nid = "a"\nurl = "http://127.0.0.1:9/"\n'
        '[sources.api]\nurl = "/list?page={page}"\nmethod = "DELETE"\nitems = "data"\n',
        encoding="utf-8",
    )
    done = run_cli(config, "config", "check")
    assert done.returncode == 2
    assert done.stderr.strip().endswith(
        f'{config}:9: sources[0].api.method: must be "GET" or "POST"'
    )
    assert len(done.stderr.strip().splitlines()) == 1


def test_an_incomplete_baseline_goes_on_silently_and_a_failed_notice_is_retried(
    sqlite_url, tmp_path, webhook
):
    with MockSiteServer(gkmlpt_site()) as server:
        site = server.site
        config = api_config(
            tmp_path / "c.toml",
            sqlite_url,
            [server],
            urls={"nfcms": server.list_url + "#1620"},
            extra=subscription("hook", [webhook.url], ["new"]),
        )
        site.fail(site.page_path(3), 503)  # the baseline cannot read the end of the list
        assert run_cli(config, "crawl").returncode == 0
        assert not runs(sqlite_url)["demo-nfcms"].complete
        assert len(stored(sqlite_url)) == len(site.notices) - len(site.notices[10:])

        [late] = publish(site, random.Random(3), [1])
        site.fail(site.notice_path(late), 503)
        site.clear_requests()
        assert run_cli(config, "crawl").returncode == 0  # deep: every page, though page 1 is known
        assert len(data_requests(site)) == site.page_count
        assert set(stored(sqlite_url)) == {
            server.url(site.notice_path(n)) for n in site.notices if n is not late
        }
        assert [row.url for row in db_rows(sqlite_url, select(PendingLink))] == [
            server.url(site.notice_path(late))
        ]

        assert run_cli(config, "crawl").returncode == 0  # the pending notice, fetched again
        assert server.url(site.notice_path(late)) in stored(sqlite_url)
        assert db_rows(sqlite_url, select(PendingLink)) == []
        # the baseline went on until a crawl read every page: nothing it found is alerted,
        # neither the old notices of page 3 nor the one first seen while it went on
        [fresh] = publish(site, random.Random(4), [2])
        assert run_cli(config, "crawl").returncode == 0

        def fresh_posts() -> list:
            return [post for post in webhook.posts if fresh.title in str(post.body)]

        wait_for(fresh_posts, 10, "the fresh notice's alert")
        assert len(fresh_posts()) == 1 and len(webhook.posts) == 1, webhook.posts


def test_redis_workers_read_api_lists_through_the_shared_queue(
    postgres_url, redis_prefix, tmp_path, start_cli
):
    servers = [MockSiteServer(site).start() for site in (sudy_site(), aspnet_site())]
    try:
        queue = f'[queue]\nurl = "redis://{REDIS_HOST}:{REDIS_PORT}/0?prefix={redis_prefix}"\n'
        config = api_config(tmp_path / "c.toml", postgres_url, servers, extra=queue)
        open_database(postgres_url).kw["bind"].dispose()  # the schema, before the workers
        workers = [start_cli(config, "worker", "--id", f"w{n}") for n in (1, 2)]
        launcher = RedisLauncher(load_config(config))
        for server in servers:
            launcher.launch([server.site.source_id])

        def finished() -> bool:
            return sum(bool(r.finished_at) for r in runs(postgres_url).values()) == len(servers)

        wait_for(finished, 60, "both crawls")
        assert {run.outcome for run in runs(postgres_url).values()} == {"ok"}
        expected = {s.url(s.site.notice_path(n)) for s in servers for n in s.site.notices}
        assert set(stored(postgres_url)) == expected  # every POSTed page, from either worker
        assert [worker.stop() for worker in workers] == [0, 0]
    finally:
        for server in servers:
            server.stop()


def test_an_api_answer_over_the_size_limit_is_refused_like_a_page(sqlite_url, tmp_path):
    with MockSiteServer(gkmlpt_site()) as server:
        site = server.site
        _, _, answer = site.render("GET", site.page_path(1), headers={"Host": "127.0.0.1"})
        api = server.url(site.page_path(1))
        config = api_config(tmp_path / "c.toml", sqlite_url, [server], urls={"nfcms": api})
        text = config.read_text(encoding="utf-8")
        limit = f"max_response_bytes = {len(answer) // 2}\n"
        config.write_text(text.replace("[crawl]\n", "[crawl]\n" + limit), encoding="utf-8")
        done = run_cli(config, "crawl")
        assert done.returncode == 1
        run = runs(sqlite_url)["demo-nfcms"]
        assert run.outcome == "http_error" and stored(sqlite_url) == {}
        assert "the answer is larger than max_response_bytes" in (run.error or ""), run.error


def test_sources_check_says_a_list_api_is_read_automatically(sqlite_url, tmp_path):
    with MockSiteServer(sudy_site()) as server:
        config = api_config(tmp_path / "c.toml", sqlite_url, [server])
        check = run_cli(config, "sources", "check", server.site.source_id)
    assert "mode: api:sudy" in check.stdout, check.stdout + check.stderr
    assert "handled automatically" in check.stdout
