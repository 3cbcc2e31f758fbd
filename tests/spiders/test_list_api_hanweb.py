"""Hanweb ``dataproxy.jsp``: rows POSTed for when the column page's XML island is empty."""

from __future__ import annotations

from sqlalchemy import select

from monitor.demo import MockSiteServer
from monitor.demo.build import hanweb_proxy_site, hanweb_site
from monitor.demo.styles.hanweb import COLUMN_ID, UNIT_ID
from spiders.cms.hanweb import first
from spiders.encoding import decode_html
from spiders.list_api import recognise_list_api
from storage.models import CrawlRun
from tests.support.cli import db_rows
from tests.support.faults import crawl
from tests.support.list_api import api_config, check_crawls, data_requests, mail_alerts, stored

BASE = "http://127.0.0.1:8080"


def page(site, path: str) -> str:
    status, headers, body = site.render("GET", path)
    assert status == 200, path
    return decode_html(body, headers["Content-Type"])[0]


def test_an_empty_island_needs_the_endpoint_a_full_one_does_not():
    empty = hanweb_proxy_site()
    html = page(empty, empty.list_path)
    assert "<recordset>\n</recordset>" in html
    assert recognise_list_api(html, BASE + empty.list_path) == "hanweb"
    full = hanweb_site()
    assert recognise_list_api(page(full, full.list_path), BASE + full.list_path) is None


def test_the_first_request_posts_the_jpage_settings():
    site = hanweb_proxy_site()
    request = first(page(site, site.list_path), BASE + site.list_path)
    form = dict(request.form)
    assert request.method == "POST"
    assert request.url == (
        f"{BASE}/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=4&perpage=4"
    )
    assert (form["columnid"], form["unitid"], form["webid"]) == (str(COLUMN_ID), UNIT_ID, "12")
    assert (form["col"], form["sourceContentType"], form["path"]) == ("1", "1", "/")


def test_records_posted_page_by_page_new_notices_alerted(sqlite_url, tmp_path, smtp):
    with MockSiteServer(hanweb_proxy_site()) as server:
        config = api_config(tmp_path / "c.toml", sqlite_url, [server], extra=mail_alerts(smtp))
        check_crawls(server, config, sqlite_url, smtp)
        assert {method for method, _ in data_requests(server.site)} == {"POST"}


def test_list_api_forces_the_endpoint_on_a_page_that_has_its_rows(sqlite_url, tmp_path):
    with MockSiteServer(hanweb_site()) as server:
        site = server.site
        config = api_config(tmp_path / "c.toml", sqlite_url, [server], list_api="hanweb")
        crawl(config)
        assert set(stored(sqlite_url)) == {server.url(site.notice_path(n)) for n in site.notices}
        asked = [(m, path) for m, path, _, _ in site.requests if "dataproxy.jsp" in path]
        assert len(asked) == site.page_count and {m for m, _ in asked} == {"POST"}, asked
        assert data_requests(site) == [("GET", site.list_path)]  # the column page, once
        assert [r.outcome for r in db_rows(sqlite_url, select(CrawlRun))] == ["ok"]
