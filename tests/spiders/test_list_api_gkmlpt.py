"""Guangdong gkmlpt: the JSON API behind an empty single-page list, found from the page."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from scrapy import Request
from scrapy.http import TextResponse
from sqlalchemy import select

from monitor.demo import MockSiteServer
from monitor.demo.build import gkmlpt_site, trs_site
from monitor.demo.styles.nfcms import SID
from spiders.encoding import decode_html
from spiders.items import ListPage
from spiders.list_api import recognise_list_api
from spiders.notice_spider import ListSpec, NoticeSpider
from storage.models import CrawlRun
from tests.support.cli import db_rows
from tests.support.faults import crawl
from tests.support.list_api import api_config, check_crawls, mail_alerts, stored

BASE = "http://127.0.0.1:8080"


def page(site, path: str) -> str:
    status, headers, body = site.render("GET", path)
    assert status == 200, path
    return decode_html(body, headers["Content-Type"])[0]


def test_the_shell_and_the_api_url_are_recognised_and_a_plain_list_is_not():
    site = gkmlpt_site()
    shell = page(site, site.list_path)
    assert recognise_list_api(shell, f"{BASE}/gkmlpt/index#1620") == "gkmlpt"
    assert recognise_list_api("", f"{BASE}/gkmlpt/api/all/1620") == "gkmlpt"  # the URL says it
    trs = trs_site()
    assert recognise_list_api(page(trs, trs.list_path), BASE + trs.list_path) is None


def test_the_api_answers_json_articles_with_both_dates():
    site = gkmlpt_site()
    status, headers, body = site.render("GET", site.page_path(1), headers={"Host": "x.example"})
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    assert b'"articles"' in body and b'"created_at"' in body and b'"date"' in body
    _, _, other = site.render("GET", f"/gkmlpt/api/all/1620?page=1&sid={int(SID) + 1}")
    assert b'"articles": []' in other  # another site's id: nothing


def test_column_from_the_fragment_new_notices_alerted_paging_followed(sqlite_url, tmp_path, smtp):
    with MockSiteServer(gkmlpt_site()) as server:
        config = api_config(
            tmp_path / "c.toml",
            sqlite_url,
            [server],
            urls={"nfcms": server.list_url + "#1620"},
            extra=mail_alerts(smtp),
        )
        check_crawls(server, config, sqlite_url, smtp)


def test_a_source_naming_the_api_itself_is_asked_conditionally(sqlite_url, tmp_path: Path):
    with MockSiteServer(gkmlpt_site()) as server:
        site = server.site
        api = server.url(f"/gkmlpt/api/all/1620?sid={SID}")
        config = api_config(tmp_path / "c.toml", sqlite_url, [server], urls={"nfcms": api})
        crawl(config)
        assert len(stored(sqlite_url)) == len(site.notices)
        assert not any(path == site.list_path for _, path, _, _ in site.requests)  # no shell

        site.clear_requests()
        crawl(config)  # unchanged: one conditional request, answered 304
        [(method, path, headers, status)] = [r for r in site.requests if r[1] != "/robots.txt"]
        assert (method, status) == ("GET", 304) and "If-None-Match" in headers, path
        assert db_rows(sqlite_url, select(CrawlRun))[-1].outcome == "ok"
        assert path == f"/gkmlpt/api/all/1620?sid={SID}&page=1"


def test_an_answer_s_off_site_links_are_dropped_and_paging_stays_on_the_api():
    spider = NoticeSpider(ListSpec("gd", f"{BASE}/gkmlpt/api/all/1620?sid=2"), lambda urls: {})
    request = asyncio.run(anext(aiter(spider.start())))
    assert (request.method, request.url) == ("GET", f"{BASE}/gkmlpt/api/all/1620?sid=2&page=1")
    articles = [
        {
            "title": "关于2024年高校毕业生就业工作的通知",
            "url": f"{BASE}/gkmlpt/content/4/4354/post_4354321.html",
            "created_at": "2024-05-10 15:02:11",
        },
        {
            "title": "某省外网站的转载文章标题示例",
            "url": "http://elsewhere.example/post_1.html",
            "created_at": "2024-05-09 10:00:00",
        },
    ]
    body = json.dumps({"total": 250, "articles": articles}, ensure_ascii=False).encode()
    answer = TextResponse(request.url, body=body, request=request, encoding="utf-8")
    outputs = list(spider.parse_list(answer))
    [page] = [o for o in outputs if isinstance(o, ListPage)]
    assert [(e.url, e.title, e.date_text) for e in page.entries] == [
        (articles[0]["url"], articles[0]["title"], "2024-05-10 15:02:11")
    ]
    requests = [o for o in outputs if isinstance(o, Request)]
    assert [r.url for r in requests] == [
        articles[0]["url"],
        f"{BASE}/gkmlpt/api/all/1620?sid=2&page=2",
    ]


def test_a_short_answer_naming_a_captcha_in_a_title_is_data_not_a_block():
    spider = NoticeSpider(ListSpec("gd", f"{BASE}/gkmlpt/api/all/1620"), lambda urls: {})
    request = asyncio.run(anext(aiter(spider.start())))
    title = "关于启用短信验证码登录网上办事系统的通知"
    article = {"title": title, "url": f"{BASE}/gkmlpt/content/4/4354/post_4354322.html"}
    body = json.dumps({"total": 1, "articles": [article]}, ensure_ascii=False).encode()
    outputs = list(spider.parse_list(TextResponse(request.url, body=body, request=request)))
    [page] = [o for o in outputs if isinstance(o, ListPage)]
    assert [e.title for e in page.entries] == [title]
