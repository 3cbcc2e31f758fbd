"""Sudy WebPlus ``generalQuery``: a column drawn from a POSTed JSON query, pinned rows first."""

from __future__ import annotations

from monitor.demo import MockSiteServer
from monitor.demo.build import sudy_site, vsb_site
from monitor.demo.styles.sudy import COLUMN_ID, QUERY_PATH, SITE_ID
from spiders.cms.api import ApiError
from spiders.cms.sudy import first
from spiders.encoding import decode_html
from spiders.list_api import recognise_list_api
from tests.support.list_api import api_config, check_crawls, mail_alerts

BASE = "http://127.0.0.1:8080"


def page(site, path: str) -> str:
    status, headers, body = site.render("GET", path)
    assert status == 200, path
    return decode_html(body, headers["Content-Type"])[0]


def test_the_page_names_the_query_and_its_ids():
    site = sudy_site()
    html = page(site, site.list_path)
    assert recognise_list_api(html, BASE + site.list_path) == "sudy"
    request = first(html, BASE + site.list_path)
    form = dict(request.form)
    assert (request.method, request.url) == ("POST", f"{BASE}{QUERY_PATH}?queryObj=articles")
    assert (form["siteId"], form["columnId"], form["pageIndex"]) == (SITE_ID, COLUMN_ID, "1")
    assert form["rows"] == str(site.per_page) and "publishTime" in form["orders"]
    vsb = vsb_site()  # a list in the HTML: no API
    assert recognise_list_api(page(vsb, vsb.list_path), BASE + vsb.list_path) is None


def test_a_page_without_ids_cannot_start_the_query():
    html = '<script>$.ajax({url: "/_wp3services/generalQuery?queryObj=articles"})</script>'
    try:
        first(html, BASE + "/ggtz/list.htm")
    except ApiError as exc:
        assert "siteId and columnId" in str(exc)
    else:
        raise AssertionError("no ApiError")


def test_the_endpoint_answers_only_posts_for_its_column():
    site = sudy_site()
    status, _, _ = site.render("GET", f"{QUERY_PATH}?queryObj=articles")
    assert status == 405
    form = f"siteId={SITE_ID}&columnId=1&pageIndex=1&rows=4".encode()
    _, headers, body = site.render("POST", f"{QUERY_PATH}?queryObj=articles", body=form)
    assert headers["Content-Type"].startswith("application/json") and b'"data": []' in body


def test_pinned_rows_first_new_notices_alerted_paging_followed(sqlite_url, tmp_path, smtp):
    with MockSiteServer(sudy_site()) as server:
        assert server.site.notices[0].pinned  # 置顶 rows on top of every answer's page 1
        config = api_config(tmp_path / "c.toml", sqlite_url, [server], extra=mail_alerts(smtp))
        check_crawls(server, config, sqlite_url, smtp)
