"""ASP.NET PostBack paging: the page's form posted back with its state, page after page."""

from __future__ import annotations

from urllib.parse import urlencode

from monitor.demo import MockSiteServer
from monitor.demo.build import aspnet_site, trs_site
from monitor.demo.styles.aspnet import GENERATOR, PAGER
from spiders.cms import aspnet
from spiders.cms.api import ApiAnswer, ApiRequest
from spiders.encoding import decode_html
from spiders.links import find_links
from spiders.list_api import recognise_list_api
from tests.support.list_api import api_config, check_crawls, mail_alerts

BASE = "http://127.0.0.1:8080"


def answer(site, method: str = "GET", body: bytes = b"", number: int = 1) -> ApiAnswer:
    status, headers, raw = site.render(method, site.list_path, body=body)
    assert status == 200
    text = decode_html(raw, headers["Content-Type"])[0]
    url = BASE + site.list_path
    return ApiAnswer(ApiRequest(url), number, url, text, find_links)


def test_a_postback_pager_is_recognised_a_plain_pager_is_not():
    site = aspnet_site()
    assert recognise_list_api(answer(site).text, BASE + site.list_path) == "aspnet"
    trs = trs_site()
    _, headers, raw = trs.render("GET", trs.list_path)
    plain = decode_html(raw, headers["Content-Type"])[0]
    assert recognise_list_api(plain, BASE + trs.list_path) is None


def test_the_next_page_replays_the_form_state_and_the_last_page_ends():
    site = aspnet_site()
    page = aspnet.read(answer(site))
    assert [e.title for e in page.entries] == [n.title for n in site.notices[: site.per_page]]
    assert page.next is not None
    form = dict(page.next.form)
    assert (page.next.method, page.next.url) == ("POST", BASE + site.list_path)
    assert (form["__EVENTTARGET"], form["__EVENTARGUMENT"]) == (PAGER, "2")
    assert form["__VIEWSTATE"] == site.view_state(1) and form["__VIEWSTATEGENERATOR"] == GENERATOR
    assert form["__EVENTVALIDATION"]
    number, request = 2, page.next
    while request is not None:  # post back until the pager has no next page
        page = aspnet.read(answer(site, "POST", request.body, number))
        titles = [n.title for n in site.notices[(number - 1) * site.per_page :][: site.per_page]]
        assert [e.title for e in page.entries] == titles
        number, request = number + 1, page.next
    assert number - 1 == site.page_count


def test_state_the_server_never_issued_is_refused():
    site = aspnet_site()
    forged = urlencode({"__EVENTTARGET": PAGER, "__EVENTARGUMENT": "2", "__VIEWSTATE": "x"})
    status, headers, body = site.render("POST", site.list_path, body=forged.encode())
    assert (
        status == 500 and "验证视图状态 MAC 失败" in decode_html(body, headers["Content-Type"])[0]
    )


def test_pages_posted_back_new_notices_alerted(sqlite_url, tmp_path, smtp):
    with MockSiteServer(aspnet_site()) as server:
        config = api_config(tmp_path / "c.toml", sqlite_url, [server], extra=mail_alerts(smtp))
        check_crawls(server, config, sqlite_url, smtp)
