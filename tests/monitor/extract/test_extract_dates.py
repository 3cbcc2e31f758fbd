"""Chinese date parsing and publish-date choice."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from monitor.extract import extract_notice
from monitor.extract.dates import SHANGHAI, date_from_url, find_datetime, parse_cn_date

TODAY = date(2024, 1, 5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-11-10", date(2023, 11, 10)),
        ("[2023-11-10]", date(2023, 11, 10)),
        ("2023/11/10", date(2023, 11, 10)),
        ("2023/3/1", date(2023, 3, 1)),
        ("2023.11.10", date(2023, 11, 10)),
        ("2023年11月10日", date(2023, 11, 10)),
        ("2023 年 1 月 9 日", date(2023, 1, 9)),
        ("2026- 08- 07", date(2026, 8, 7)),
        ("发布时间：2023-1-20 13:37", date(2023, 1, 20)),
        ("（2022-03-21）", date(2022, 3, 21)),
    ],
)
def test_parse_cn_date_formats(text: str, expected: date) -> None:
    assert parse_cn_date(text, today=TODAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7/5/2005 9:23:57 PM", (date(2005, 7, 5), time(21, 23, 57))),
        ("12/1/2019 12:05 am", (date(2019, 12, 1), time(0, 5))),
        ("19 Nov 2019 07:09 GMT", (date(2019, 11, 19), None)),
        ("Mon, 18 Nov 2019 16:07:38 -0600", (date(2019, 11, 18), None)),
        ("November 19, 2019, 07:47 PM EST", (date(2019, 11, 19), None)),
        ("Sept. 3rd, 2018", (date(2018, 9, 3), None)),
        ("更新 2019-11-19，Nov 20, 2019", (date(2019, 11, 19), None)),  # year-first wins
    ],
)
def test_english_and_us_clock_dates(text: str, expected: tuple[date, time | None]) -> None:
    """No real page of ours shows the US clock form yet; the month-name forms come from
    the licensed news pages (test_extract_realpages_licensed.py)."""
    assert find_datetime(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[01-03]", date(2024, 1, 3)),
        ("01-05", date(2024, 1, 5)),
        ("[12-30]", date(2023, 12, 30)),  # early January sees December items
        ("3月21日", date(2023, 3, 21)),
        ("02-29", date(2020, 2, 29)),  # latest past leap day
    ],
)
def test_parse_cn_date_infers_the_year_not_in_the_future(text: str, expected: date) -> None:
    assert parse_cn_date(text, today=TODAY) == expected


@pytest.mark.parametrize("text", ["", "通知公告", "2023-2024学年", "2023-13-45", "第3期"])
def test_parse_cn_date_rejects_non_dates(text: str) -> None:
    assert parse_cn_date(text, today=TODAY) is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://jyt.example.gov.cn/zwgk/tzgg/202203/t20220321_123.html", date(2022, 3, 21)),
        ("https://www.example.edu.cn/2022/0321/c2981a123456/page.htm", date(2022, 3, 21)),
        ("https://jyt.example.gov.cn/art/2023/11/10/art_58320_1.html", date(2023, 11, 10)),
        ("https://jyj.example.gov.cn/art/2023/1/5/art_1_2.html", date(2023, 1, 5)),
        ("https://school.example.com/a/tzgg/20231110/1234.html", date(2023, 11, 10)),
        ("https://jwc.example.edu.cn/info/1011/5946.htm", None),
    ],
)
def test_date_from_url(url: str, expected: date | None) -> None:
    assert date_from_url(url) == expected


def _page(head: str = "", body: str = "") -> bytes:
    html = (
        f"<html><head><meta charset='utf-8'><title>关于开展读书月活动的通知_某区教育局</title>{head}"
        "</head><body><h1>关于开展读书月活动的通知</h1>"
        f"{body}</body></html>"
    )
    return html.encode("utf-8")


_TEXT = (
    "<div class='content'><p>各中小学：</p><p>为营造书香校园氛围，经研究，决定在全区中小学开展读书月活动，"
    "现将有关事项通知如下。请各校认真组织，确保活动取得实效，并及时报送活动总结。</p>"
    "<p>活动时间：2023年4月1日至4月30日。</p>"
    "<p style='text-align:right'>某区教育局</p><p style='text-align:right'>2023年3月20日</p></div>"
)
URL = "https://jyj.example.gov.cn/news/show.php?id=9"


def test_meta_pubdate_wins_and_keeps_beijing_time() -> None:
    notice = extract_notice(
        _page(
            "<meta name='PubDate' content='2023-03-22 16:32'>",
            "<p>发布时间：2023-03-25</p>" + _TEXT,
        ),
        URL,
    )
    assert notice.published == date(2023, 3, 22)
    assert notice.published_at == datetime(2023, 3, 22, 16, 32, tzinfo=SHANGHAI)


def test_iso_meta_is_converted_to_beijing_time() -> None:
    head = "<meta property='article:published_time' content='2023-03-21T20:30:00+00:00'>"
    notice = extract_notice(_page(head, _TEXT), URL)
    assert notice.published == date(2023, 3, 22)
    assert notice.published_at == datetime(2023, 3, 22, 4, 30, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("line", "expected", "stamp"),
    [
        ("发布时间：2022-03-21", date(2022, 3, 21), None),
        ("发布日期：2022/3/21　来源：本站", date(2022, 3, 21), None),
        ("日期:2022年3月21日 浏览次数：12", date(2022, 3, 21), None),
        ("时间：2023-1-20 13:37", date(2023, 1, 20), datetime(2023, 1, 20, 13, 37)),
        (
            "發布時間:2022-03-21 16:32:00 閱讀量:16768次",
            date(2022, 3, 21),
            datetime(2022, 3, 21, 16, 32),
        ),
        ("作者：admin　发表于 2023-11-10 09:05", date(2023, 11, 10), datetime(2023, 11, 10, 9, 5)),
        ("蓝色河畔 2023-1-20 13:37", date(2023, 1, 20), datetime(2023, 1, 20, 13, 37)),
    ],
)
def test_metadata_line_date(line: str, expected: date, stamp: datetime | None) -> None:
    notice = extract_notice(_page(body=f"<div class='info'>{line}</div>{_TEXT}"), URL)
    assert notice.published == expected
    assert notice.published_at == (stamp.replace(tzinfo=SHANGHAI) if stamp else None)


def test_no_date_on_page_is_none_not_luokuan_or_footer_or_related() -> None:
    body = (
        _TEXT + "<div class='xgwz'><h3>相关文章</h3><ul><li><a href='/n/1.html'>旧通知</a>"
        "<span>2023-02-10</span></li></ul></div>"
        "<div class='footer'>Copyright 2005-2024 某区教育局 更新时间：2024-01-01</div>"
    )
    assert extract_notice(_page(body=body), URL).published is None


def test_meeting_time_inside_the_body_is_not_the_publish_date() -> None:
    body = "<div class='content'><p>各中小学：</p><p>会议时间：2023年4月1日上午9:00</p></div>"
    assert extract_notice(_page(body=body), URL).published is None


def test_list_date_then_url_date() -> None:
    assert extract_notice(_page(body=_TEXT), URL, list_date=date(2023, 3, 21)).published == date(
        2023, 3, 21
    )
    url = "https://jyt.example.gov.cn/tzgg/202303/t20230321_99.html"
    assert extract_notice(_page(body=_TEXT), url).published == date(2023, 3, 21)


def test_header_today_line_is_never_the_publish_date() -> None:
    page = _page(body="<div class='k'>日期：2024年6月20日 星期四 农历五月十五</div>" + _TEXT)
    assert extract_notice(page, URL).published is None
