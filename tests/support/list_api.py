"""A list fed by a data API, crawled through the CLI: the scenario every adapter's tests share.

Baseline (every page of the API read, nothing alerted), a new notice found and mailed
once with its list date, a crawl with nothing new that asks the API for page 1 only,
and a burst of new notices that pushes the last seen one to page 2 (paging goes on
while the last entry of a page is not stored).
"""

from __future__ import annotations

import random
from pathlib import Path

from sqlalchemy import select

from monitor.demo import MockSiteServer
from monitor.demo.site import MockSite
from storage.models import CrawlRun, Event, Notice
from tests.support.cli import db_rows, source_toml
from tests.support.daemon import subscription
from tests.support.faults import crawl, mails_per_title, publish
from tests.support.receivers import SmtpReceiver


def api_config(
    path: Path,
    db_url: str,
    servers: list[MockSiteServer],
    *,
    extra: str = "",
    urls: dict[str, str] | None = None,
    **source_options,
) -> Path:
    """Sources crawled without delay or retries, each at ``urls[style]`` if given (a URL
    with a ``#column``, an API URL) else at its list page; ``extra`` is appended TOML."""
    body = [
        f'[storage]\nurl = "{db_url}"\n',
        "[crawl]\ndownload_delay = 0\nretries = 0\ntimeout = 10\n",
    ]
    for server in servers:
        table = source_toml(server, max_pages=6, **source_options)
        wanted = (urls or {}).get(server.site.style)
        body.append(
            table.replace(f'url = "{server.list_url}"', f'url = "{wanted}"') if wanted else table
        )
    path.write_text("\n".join(body) + "\n" + extra, encoding="utf-8")
    return path


def mail_alerts(smtp: SmtpReceiver) -> str:
    """A subscription mailing every new notice to ``smtp``."""
    return subscription("office", [smtp.url], ["new"])


def data_requests(site: MockSite) -> list[tuple[str, str]]:
    """(method, path) of the requests for list data (the API's path, whatever page)."""
    api = site.page_path(1).split("?", 1)[0]
    return [(method, path) for method, path, _, _ in site.requests if path.split("?", 1)[0] == api]


def stored(db_url: str) -> dict[str, Notice]:
    return {notice.url: notice for notice in db_rows(db_url, select(Notice))}


def new_titles(db_url: str) -> list[str]:
    events = db_rows(db_url, select(Event).where(Event.kind == "new").order_by(Event.id))
    titles = {n.id: n.title for n in stored(db_url).values()}
    return [titles[event.notice_id] for event in events]


def check_crawls(server: MockSiteServer, config: Path, db_url: str, smtp: SmtpReceiver) -> None:
    """The whole scenario (see the module's docstring) against one site."""
    site = server.site
    assert site.page_count >= 3, "the site's list spans several pages"

    crawl(config)  # baseline: every page of the list read
    assert set(stored(db_url)) == {server.url(site.notice_path(n)) for n in site.notices}
    assert len(data_requests(site)) >= site.page_count, data_requests(site)
    assert new_titles(db_url) == [] and smtp.inbox == []
    assert [run.outcome for run in db_rows(db_url, select(CrawlRun))] == ["ok"]

    rng = random.Random(site.style)
    [added] = publish(site, rng, [1])
    site.clear_requests()
    crawl(config)
    assert new_titles(db_url) == [added.title]
    notice = stored(db_url)[server.url(site.notice_path(added))]
    assert (notice.title, notice.published) == (added.title, added.published.date())
    assert mails_per_title(smtp, [added.title]) == {added.title: 1}

    site.clear_requests()
    crawl(config)  # nothing new: page 1 of the list only, no alert
    assert len(data_requests(site)) == 1, data_requests(site)
    assert new_titles(db_url) == [added.title] and len(smtp.inbox) == 1

    burst = publish(site, rng, range(2, 3 + site.per_page))  # the last seen one slides to page 2
    site.clear_requests()
    crawl(config)
    assert len(data_requests(site)) == 2, data_requests(site)
    assert sorted(new_titles(db_url)) == sorted([added.title, *(n.title for n in burst)])
    titles = [n.title for n in burst]
    assert mails_per_title(smtp, titles) == dict.fromkeys(titles, 1)
    assert [run.outcome for run in db_rows(db_url, select(CrawlRun))] == ["ok"] * 4
