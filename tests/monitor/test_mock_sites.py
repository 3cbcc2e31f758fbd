"""The mock sites answer like real CMS sites over real HTTP on 127.0.0.1."""

from __future__ import annotations

import http.client
import re
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from monitor.demo import (
    STYLES,
    MockSite,
    MockSiteServer,
    build_all_sites,
    build_demo_sites,
)
from monitor.demo.site import STALLED
from monitor.demo.styles import HanwebSite, TrsSite
from tests.support.cli import wait_for


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def fetch(
    url: str, headers: dict[str, str] | None = None, method: str = "GET"
) -> tuple[int, dict[str, str], bytes]:
    """GET a URL, returning (status, headers, body) for every status."""
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with _OPENER.open(request, timeout=10) as response:
            return response.status, dict(response.headers.items()), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers.items()), error.read()


@pytest.fixture(scope="module")
def sites() -> list[MockSite]:
    return build_all_sites()


@pytest.fixture
def trs() -> Iterator[tuple[TrsSite, MockSiteServer]]:
    site = build_demo_sites()[0]
    assert isinstance(site, TrsSite)
    with MockSiteServer(site) as server:
        yield site, server


def test_demo_sets_are_deterministic_and_paginate(sites: list[MockSite]) -> None:
    demo = build_demo_sites()
    assert [s.style for s in demo] == ["trs", "vsb", "discuz", "big5"]
    assert sum(len(s.notices) for s in demo) == 50
    assert {s.style for s in sites} == set(STYLES)
    again = build_all_sites()
    for first, second in zip(sites, again, strict=True):
        assert [(n.id, n.title, n.published) for n in first.notices] == [
            (n.id, n.title, n.published) for n in second.notices
        ]
        assert first.page_count >= 2, first
        assert all(2020 <= n.published.year <= 2024 for n in first.notices)
    titles = [n.title for s in sites for n in s.notices]
    assert len(set(titles)) >= 60


@pytest.mark.parametrize("index", range(6))
def test_every_page_and_detail_is_served(sites: list[MockSite], index: int) -> None:
    site = sites[index]
    with MockSiteServer(site) as server:
        assert server.list_url.startswith("http://127.0.0.1:")
        for page in range(1, site.page_count + 1):
            status, _, body = fetch(server.url(site.page_path(page)))
            assert status == 200, (site.style, page)
        status, _, _ = fetch(server.url(site.page_path(site.page_count + 1)))
        assert status == 404
        for notice in site.notices:
            status, headers, body = fetch(server.url(site.notice_path(notice)))
            assert status == 200
            assert headers["ETag"] and headers["Last-Modified"]
            text = body.decode(site.encoding)
            assert notice.title in text or site.style == "big5"
        status, _, body = fetch(server.url("/robots.txt"))
        assert status == 200 and b"User-agent: *" in body


def test_trs_is_gbk_with_meta_charset_and_script_paging(
    trs: tuple[TrsSite, MockSiteServer],
) -> None:
    site, server = trs
    status, headers, body = fetch(server.list_url)
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=gb2312"
    assert b'<meta http-equiv=Content-Type content="text/html; charset=gb2312">' in body
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    text = body.decode("gbk")
    assert f'createPageHTML({site.page_count}, 0, "index", "html")' in text
    assert "下一页" not in text and '<li class="b"></li>' in text
    assert "moe.gov.cn" in text and ".pdf" in text
    status, _, page2 = fetch(server.base_url + "/col/tzgg/index_1.html")
    assert status == 200 and "createPageHTML(3, 1," in page2.decode("gbk")
    link = re.search(r'href="\./(\d{6}/t\d{8}_\d+\.html)"', text).group(1)
    status, _, detail = fetch(server.base_url + "/col/tzgg/" + link)
    assert status == 200 and "TRS_Editor" in detail.decode("gbk")


def test_wrong_or_missing_http_charset() -> None:
    for header, expected in (("utf-8", "text/html; charset=utf-8"), (None, "text/html")):
        site = TrsSite("某市教育局", header_charset=header)
        site.add_notice("关于召开家长会的通知", ["各位家长：", "兹定于本周六召开家长会。"])
        with MockSiteServer(site) as server:
            _, headers, body = fetch(server.list_url)
            assert headers["Content-Type"] == expected
            assert "召开家长会" in body.decode("gbk")


def test_conditional_get_answers_304(trs: tuple[TrsSite, MockSiteServer]) -> None:
    site, server = trs
    notice = site.notices[1]
    url = server.url(site.notice_path(notice))
    _, headers, _ = fetch(url)
    etag, modified = headers["ETag"], headers["Last-Modified"]
    assert fetch(url, {"If-None-Match": etag})[0] == 304
    assert fetch(url, {"If-Modified-Since": modified})[0] == 304
    assert fetch(url, {"If-None-Match": '"other"'})[0] == 200
    _, list_headers, _ = fetch(server.list_url)
    assert fetch(server.list_url, {"If-None-Match": list_headers["ETag"]})[0] == 304
    site.edit_notice(notice.id, paragraphs=["内容已更新。"])
    status, new_headers, _ = fetch(url, {"If-None-Match": etag})
    assert status == 200 and new_headers["ETag"] != etag
    assert fetch(url, {"If-Modified-Since": modified})[0] == 200


def test_volatile_counter_does_not_change_etag(sites: list[MockSite]) -> None:
    site = next(s for s in sites if s.style == "discuz")
    notice = site.notices[0]
    with MockSiteServer(site) as server:
        url = server.url(site.notice_path(notice))
        first = fetch(url)
        second = fetch(url)
    assert first[2] != second[2]
    assert first[1]["ETag"] == second[1]["ETag"]


def test_add_remove_pin_and_truncate(trs: tuple[TrsSite, MockSiteServer]) -> None:
    site, server = trs
    before = site.page_count
    last_on_page1 = site.notices[site.per_page - 1]
    notice = site.add_notice(
        "关于做好2024年暑假安全工作的通知",
        ["各学校：", "暑假将至，请做好安全教育。"],
        attachments=["回执.docx"],
    )
    listed = site.notices
    assert listed[1].id == notice.id  # below the pinned row
    assert site.page_of(last_on_page1.id) == 2
    _, _, body = fetch(server.list_url)
    assert "关于做好2024年暑假安全工作的通知" in body.decode("gbk")
    assert site.page_count >= before
    name, filename = notice.attachments[0]
    detail_dir = server.url(site.notice_path(notice)).rsplit("/", 1)[0]
    status, headers, data = fetch(f"{detail_dir}/{filename}")
    assert status == 200 and data.startswith(b"PK")
    assert headers["Content-Type"].endswith("wordprocessingml.document")

    site.truncate_detail(notice.id)
    status, _, body = fetch(server.url(site.notice_path(notice)))
    text = body.decode("gbk")
    assert status == 200 and "各学校：" in text and "暑假将至" not in text and "</html>" not in text
    site.truncate_detail(notice.id, False)

    site.pin(notice.id)
    site.remove_notice(notice.id)
    assert fetch(server.url(site.notice_path(notice)))[0] == 404
    assert notice.id not in [n.id for n in site.notices]


def test_list_status_and_blocking(trs: tuple[TrsSite, MockSiteServer]) -> None:
    site, server = trs
    detail = server.url(site.notice_path(site.notices[0]))
    site.set_list_status(503)
    assert fetch(server.list_url)[0] == 503
    assert fetch(detail)[0] == 200
    site.set_list_status(None)
    site.set_blocked("412")
    status, headers, body = fetch(server.list_url)
    assert status == 412 and b"$_ts" in body and "Set-Cookie" in headers
    site.set_blocked("captcha")
    status, _, body = fetch(detail)
    assert status == 200 and "验证码" in body.decode("utf-8")
    site.set_blocked(None)
    assert fetch(server.list_url)[0] == 200
    methods = [(m, p, s) for m, p, _, s in site.requests]
    assert ("GET", site.list_path, 503) in methods and ("GET", site.list_path, 412) in methods
    site.clear_requests()
    assert site.requests == []


def get_with_timeout(server: MockSiteServer, path: str, timeout: float) -> int:
    """The status of a GET that gives up after ``timeout`` seconds (TimeoutError)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def test_fail_answers_the_status_for_exactly_that_path_and_times(sites: list[MockSite]) -> None:
    site = next(s for s in sites if isinstance(s, HanwebSite))
    with MockSiteServer(site) as server:
        site.clear_requests()
        detail = site.detail_path(site.notices[0].id)
        other = site.detail_path(site.notices[1].id)
        page2 = site.page_path(2)
        assert "?" in page2  # a list page named by its query
        site.fail(detail)  # once, 503 by default
        site.fail(page2, status=500, times=2)
        statuses = [fetch(server.url(path))[0] for path in (detail, detail, other)]
        assert statuses == [503, 200, 200]
        body = fetch(server.url(page2))[2].decode("utf-8")
        assert "500" in body and "服务器内部错误" in body  # the site's own error page
        assert [fetch(server.url(page2))[0] for _ in range(2)] == [500, 200]
        assert fetch(server.list_url)[0] == 200  # page 1 (same path, no query) untouched

        site.fail(detail, status=404, times=None)  # until cleared
        assert [fetch(server.url(detail))[0] for _ in range(3)] == [404, 404, 404]
        site.clear_faults()
        assert fetch(server.url(detail))[0] == 200
    logged = [(path, status) for _, path, _, status in site.requests]
    assert logged[:3] == [(detail, 503), (detail, 200), (other, 200)]
    assert logged.count((page2, 500)) == 2 and logged.count((detail, 404)) == 3


def test_fail_and_stall_reject_nonsense(trs: tuple[TrsSite, MockSiteServer]) -> None:
    site, _ = trs
    with pytest.raises(ValueError, match="error status"):
        site.fail(site.list_path, status=200)
    with pytest.raises(ValueError, match="at least 1"):
        site.fail(site.list_path, times=0)
    with pytest.raises(ValueError, match="positive"):
        site.stall(site.list_path, seconds=0)


def test_stall_holds_the_request_until_cleared_then_serves_again(
    trs: tuple[TrsSite, MockSiteServer],
) -> None:
    site, server = trs
    detail = site.detail_path(site.notices[0].id)
    site.stall(detail, times=None)
    with pytest.raises(TimeoutError):
        get_with_timeout(server, detail, timeout=0.5)
    assert site.held == [detail]  # still held after the client gave up
    assert (detail, STALLED) in [(path, status) for _, path, _, status in site.requests]
    assert fetch(server.list_url)[0] == 200  # other paths are served meanwhile

    late: list[int] = []
    waiting = threading.Thread(target=lambda: late.append(get_with_timeout(server, detail, 10)))
    waiting.start()
    wait_for(lambda: len(site.held) == 2, 5, "the second request to be held")
    site.clear_faults()
    waiting.join(10)
    assert late == [200]  # a held request still waiting gets its page once released
    assert site.held == []
    assert get_with_timeout(server, detail, 5) == 200


def test_stall_for_seconds_answers_late_and_stop_releases_holds(
    trs: tuple[TrsSite, MockSiteServer],
) -> None:
    site, server = trs
    site.stall(site.list_path, seconds=0.5)  # once
    assert get_with_timeout(server, site.list_path, 10) == 200  # answered after the hold
    assert get_with_timeout(server, site.list_path, 0.5) == 200  # the fault was used up

    site.stall(site.list_path, times=None)
    with pytest.raises(TimeoutError):
        get_with_timeout(server, site.list_path, 0.3)
    assert site.held == [site.list_path]
    server.stop()
    wait_for(lambda: not site.held, 5, "stopping the server to let every held request go")


def test_vsb_counts_pages_down_with_relative_links(sites: list[MockSite]) -> None:
    site = next(s for s in sites if s.style == "vsb")
    with MockSiteServer(site) as server:
        _, _, first = fetch(server.list_url)
        text = first.decode("utf-8")
        top = site.page_count - 1
        assert f'href="tzgg/{top}.htm"' in text and 'href="info/1011/' in text
        _, _, second = fetch(server.url(f"/tzgg/{top}.htm"))
        assert 'href="../info/1011/' in second.decode("utf-8")
        notice = next(n for n in site.notices if n.attachments)
        _, _, detail = fetch(server.url(site.notice_path(notice)))
        html = detail.decode("utf-8")
        assert 'form name="_newscontent_fromname"' in html and "<lable>" in html
        href = re.search(r'href="(/system/_content/download\.jsp\?[^"]+)"', html).group(1)
        status, headers, _ = fetch(server.url(href.replace("&amp;", "&")))
        assert status == 200 and "filename*=UTF-8''" in headers["Content-Disposition"]


def test_hanweb_xml_island_paging_and_redirecting_download(sites: list[MockSite]) -> None:
    site = next(s for s in sites if isinstance(s, HanwebSite))
    with MockSiteServer(site) as server:
        _, _, body = fetch(server.list_url)
        text = body.decode("utf-8")
        assert '<script type="text/xml"><datastore>' in text and "<![CDATA[<li" in text
        _, _, page2 = fetch(server.list_url + "?uid=396302&pageNum=2")
        assert page2 != body and "<record>" in page2.decode("utf-8")
        status, _, xml = fetch(
            server.url("/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=3&perpage=3"),
            method="POST",
        )
        assert status == 200 and xml.count(b"<record>") == 3
        notice = next(n for n in site.notices if n.attachments)
        filename = notice.attachments[0][1]
        status, headers, _ = fetch(
            server.url(f"/module/download/downfile.jsp?classid=0&filename={filename}")
        )
        assert status == 302 and headers["Location"] == f"/attach/0/{filename}"
        assert fetch(server.url(headers["Location"]))[0] == 200


def test_big5_has_ruby_spam_and_query_paging(sites: list[MockSite]) -> None:
    site = next(s for s in sites if s.style == "big5")
    with MockSiteServer(site) as server:
        assert fetch(server.list_url + "?page=2")[0] == 200
        pages = [fetch(server.url(site.notice_path(n)))[2].decode("utf-8") for n in site.notices]
    joined = "\n".join(pages)
    assert "<rt>" in joined and "開(kāi)" in joined
    assert "display:none" in joined and "visibility: hidden" in joined and "<div hidden>" in joined
    assert "閱讀量:" in joined and "您現在的位置是:" in joined and "發布時間:" in joined


# ---------------------------------------------------------------- corpus
_DATE_TOKEN = re.compile(r"20\d\d(?:[-/.年]\s*\d{1,2}[-/.月]\s*\d{1,2}|[01]\d[0-3]\d)")
_PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔù]+\)")


def _visible_text(html: str) -> str:
    import lxml.html

    doc = lxml.html.fromstring(html)
    hidden = "//rt|//rp|//script|//style|//*[@hidden]|//*[contains(@style,'none') or contains(@style,'hidden')]"
    for element in doc.xpath(hidden):
        element.drop_tree()
    return re.sub(r"\s+", "", _PINYIN.sub("", doc.text_content()))


def test_corpus_is_regenerated_identically() -> None:
    from tests.corpus import CORPUS_DIR, load_corpus
    from tests.corpus.build import generate

    pages = load_corpus()
    fresh = generate()
    assert [p.file for p in pages] == [name for name, _, _ in fresh]
    for page, (_, raw, label) in zip(pages, fresh, strict=True):
        assert page.raw == raw, page.file
        assert label == {
            k: v for k, v in page.__dict__.items() if k != "raw" and (v is not None or k == "date")
        }
    assert sorted(p.name for p in (CORPUS_DIR / "pages").iterdir()) == [p.file for p in pages]


def test_corpus_labels_match_pages() -> None:
    from tests.corpus import load_corpus

    pages = load_corpus()
    styles = {p.style for p in pages}
    assert len(pages) >= 70 and len(styles) >= 8
    assert sum(p.date is None for p in pages) >= 2
    assert {p.encoding for p in pages} == {"utf-8", "gbk"}
    for page in pages:
        html = page.raw.decode(page.encoding)
        text = _visible_text(html)
        assert page.title in html, page.file
        for paragraph in page.body.split("\n"):
            assert re.sub(r"\s+", "", paragraph) in text, (page.file, paragraph)
        if page.date is None:
            assert not _DATE_TOKEN.search(html + page.url), page.file
        else:
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", page.date)
