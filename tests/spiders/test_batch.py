"""The batch spider's bookkeeping, without a network: a source is finished once every request
it made is answered and every item it yielded is handled, and only then."""

from __future__ import annotations

import asyncio

from scrapy.http import HtmlResponse, Request

from spiders.batch import BatchSpider, SourceItem, SourceStart
from spiders.items import DetailPage, ListPage
from spiders.notice_spider import ListSpec

LIST = "http://127.0.0.1:9/tzgg/index.html"
LIST_PAGE = """<html><body><ul class="list">
<li><a href="/tzgg/1.html">关于开展教师培训工作的通知</a><span>2026-03-01</span></li>
<li><a href="/tzgg/2.html">关于公布评审结果的公告</a><span>2026-02-27</span></li>
</ul></body></html>"""
DETAIL = "<html><body><h1>通知</h1><p>各学校：现将有关事项通知如下。</p></body></html>"


def batch(finished: list[str], *source_ids: str) -> BatchSpider:
    starts = [SourceStart(ListSpec(s, LIST.replace("tzgg", s)), []) for s in source_ids]
    return BatchSpider(starts, known=lambda urls: {}, finished=finished.append)


def started(spider: BatchSpider) -> list:
    async def collect() -> list:
        return [output async for output in spider.start()]

    return asyncio.run(collect())


def answer(request: Request, body: str) -> HtmlResponse:
    return HtmlResponse(request.url, body=body.encode(), encoding="utf-8", request=request)


def test_a_source_is_finished_only_when_its_requests_and_items_are_through():
    finished: list[str] = []
    spider = batch(finished, "a", "b")
    [list_a, list_b] = started(spider)
    assert finished == [] and list_a.meta["source_id"] == "a"
    assert list_a.callback == spider.parse_list  # rebound to the batch spider

    outputs = list(spider.parse_list(answer(list_a, LIST_PAGE)))
    items = [o for o in outputs if isinstance(o, SourceItem)]
    details = [o for o in outputs if isinstance(o, Request)]
    assert [type(i.item) for i in items] == [ListPage] and len(details) == 2
    assert finished == []  # its list page is not stored yet, its notices not fetched
    spider.handled(items[0])
    for request in details:
        [page] = list(spider.parse_detail(answer(request, DETAIL)))
        assert isinstance(page.item, DetailPage)
        assert finished == []  # the page is not stored yet
        spider.handled(page)
    assert finished == ["a"]  # b's list page is still out

    [failed] = list(spider.parse_list(answer(list_b, "<html></html>")))
    spider.handled(failed)
    assert finished == ["a", "b"]


def test_a_callback_that_breaks_still_ends_its_source_and_a_closing_crawl_does_not():
    finished: list[str] = []
    spider = batch(finished, "a")
    [list_a] = started(spider)
    spider.views["a"].parse_list = lambda response: iter([1 / 0])  # a bug in the page logic
    assert list(spider.parse_list(answer(list_a, LIST_PAGE))) == []
    assert finished == ["a"]

    finished.clear()
    spider = batch(finished, "a")
    [list_a] = started(spider)
    outputs = spider.parse_list(answer(list_a, LIST_PAGE))
    next(outputs)
    outputs.close()  # the crawl stops before the page's requests are taken
    assert finished == []  # not finished: the run is closed as interrupted, not as complete
