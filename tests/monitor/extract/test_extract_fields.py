"""Title, attachments, 文号, issuer, encodings, script normalisation and the report helpers."""

from __future__ import annotations

import json
from datetime import date

import pytest

from monitor.extract import Attachment, canonical_kind, extract_notice
from monitor.extract.report import format_notice, notice_as_dict

BODY = (
    "<p>各学院：</p><p>为做好本学期期末考试工作，保证考试工作有序进行，现将考试安排及有关要求通知如下，"
    "请各学院认真组织，确保考试安全平稳。</p><p>教务处</p><p>2023年11月9日</p>"
)


def _page(title: str, heading: str, body: str = BODY, head: str = "", before: str = "") -> bytes:
    return (
        f"<html><head><meta charset='utf-8'><title>{title}</title>{head}</head><body>"
        f"<div class='logo'><h1>某大学教务处</h1></div>{before}"
        f"<div class='article'>{heading}<div class='v_news_content'>{body}</div></div>"
        "</body></html>"
    ).encode()


URL = "https://jwc.example.edu.cn/info/1011/5946.htm"


@pytest.mark.parametrize(
    ("title", "heading", "expected"),
    [
        (
            "关于2023-2024学年第一学期期末考试安排的通知-某大学教务处",
            "<h2>关于2023-2024学年第一学期期末考试安排的通知</h2>",
            "关于2023-2024学年第一学期期末考试安排的通知",
        ),
        (
            "关于期末考试安排的通知_通知公告_某大学教务处",
            "<div class='arti_title'>关于期末考试安排的通知</div>",
            "关于期末考试安排的通知",
        ),
        (
            "某大学教务处 | 关于期末考试安排的通知",
            "<h2>关于期末考试安排的通知</h2>",
            "关于期末考试安排的通知",
        ),
        ("关于期末考试安排的通知 — 某大学教务处", "", "关于期末考试安排的通知"),
        ("某大学教务处", "<h2>关于期末考试安排的通知</h2>", "关于期末考试安排的通知"),
    ],
)
def test_title_is_the_notice_not_the_site(title: str, heading: str, expected: str) -> None:
    assert extract_notice(_page(title, heading), URL).title == expected


def test_article_title_meta_wins() -> None:
    head = "<meta name='ArticleTitle' content='关于期末考试安排的通知（更正）'>"
    page = _page(
        "关于期末考试安排的通知_某大学教务处", "<h2>关于期末考试安排的通知</h2>", head=head
    )
    assert extract_notice(page, URL).title == "关于期末考试安排的通知（更正）"


def test_truncated_list_title_is_completed_from_the_page() -> None:
    page = _page("某大学教务处", "<h2>关于2023-2024学年第一学期期末考试安排的通知</h2>")
    notice = extract_notice(page, URL, list_title="关于2023-2024学年第一学期期末考...")
    assert notice.title == "关于2023-2024学年第一学期期末考试安排的通知"


def test_full_list_title_is_used_when_the_page_has_none() -> None:
    notice = extract_notice(_page("某大学教务处", ""), URL, list_title="关于期末考试安排的通知")
    assert notice.title == "关于期末考试安排的通知"


def test_gbk_bytes_with_a_wrong_utf8_header() -> None:
    page = (
        "<html><head><META http-equiv=Content-Type content='text/html; charset=gb2312'>"
        "<title>关于召开家长会的通知_某县第一中学</title></head><body>"
        "<div class='title'>关于召开家长会的通知</div><div id='zoom'><p>各位家长：</p>"
        "<p>兹定于11月18日召开家长会，请准时参加。朱镕基中学、王喆老师负责接待。</p></div></body></html>"
    ).encode("gbk")
    notice = extract_notice(page, "https://school.example.com/a/1.html", "text/html; charset=utf-8")
    assert notice.encoding == "gb18030"
    assert notice.title == "关于召开家长会的通知"
    assert "朱镕基中学、王喆老师" in notice.text


def test_attachments_in_and_after_the_body() -> None:
    body = (
        BODY
        + "<p>附件：<a href='/module/download/downfile.jsp?classid=0&amp;filename=6ad2e53b.pdf'>"
        "招生计划表.pdf</a></p><p><a href='../P0201.ofd'>2.名单</a> <a href='/n/2.html'>往期通知</a></p>"
        "<div class='wp_pdf_player' pdfsrc='/_upload/article/files/ab/cd.pdf'"
        " sudyfile-attr=\"{'title':'工作安排.pdf'}\"></div>"
    )
    after = (
        "<ul><li>附件【<a href='/system/_content/download.jsp?urltype=news.DownloadAttachUrl"
        "&amp;owner=1470981840&amp;wbfileid=9607F894'>期末考试安排表.xls</a>】已下载<span>12</span>次</li>"
        "<li><a href='/files/P02023.pdf'>1.学校安全隐患排查表.pdf</a></li>"
        "<li><a href='/files/P02023.pdf'>1.学校安全隐患排查表.pdf</a></li></ul>"
    )
    page = _page("关于期末考试安排的通知_某大学教务处", "<h2>关于期末考试安排的通知</h2>", body)
    page = page.replace(b"</div></div></body>", b"</div>" + after.encode() + b"</div></body>")
    notice = extract_notice(page, "https://jwc.example.edu.cn/info/1011/5946.htm")
    assert notice.attachments == [
        Attachment(
            "招生计划表.pdf",
            "https://jwc.example.edu.cn/module/download/downfile.jsp?classid=0&filename=6ad2e53b.pdf",
            "pdf",
        ),
        Attachment("2.名单", "https://jwc.example.edu.cn/info/P0201.ofd", "ofd"),
        Attachment(
            "工作安排.pdf", "https://jwc.example.edu.cn/_upload/article/files/ab/cd.pdf", "pdf"
        ),
        Attachment(
            "期末考试安排表.xls",
            "https://jwc.example.edu.cn/system/_content/download.jsp?urltype=news.DownloadAttachUrl"
            "&owner=1470981840&wbfileid=9607F894",
            "xls",
        ),
        Attachment(
            "1.学校安全隐患排查表.pdf", "https://jwc.example.edu.cn/files/P02023.pdf", "pdf"
        ),
    ]
    assert "已下载" not in notice.text


@pytest.mark.parametrize(
    ("url", "name", "kind"),
    [
        ("https://a.cn/P020231110.PDF", None, "pdf"),
        ("https://a.cn/files/%E5%90%8D%E5%8D%95.docx", None, "docx"),
        ("https://a.cn/module/download/downfile.jsp?classid=0&filename=abc.xlsx", None, "xlsx"),
        ("https://a.cn/system/_content/download.jsp?wbfileid=1", "安排表.wps", "wps"),
        ("https://a.cn/upload/a.zip?v=2", None, "zip"),
        ("https://a.cn/upload/b.rar", None, "rar"),
        ("https://a.cn/info/1011/5946.htm", "通知.pdf", None),
        ("https://a.cn/system/_content/download.jsp?wbfileid=1", "点击下载", None),
        ("https://a.cn/img/1.jpg", None, None),
    ],
)
def test_canonical_kind(url: str, name: str | None, kind: str | None) -> None:
    assert canonical_kind(url, name) == kind


@pytest.mark.parametrize(
    ("before", "body_top", "expected"),
    [
        ("", "<p>豫教招〔2024〕12号</p>", "豫教招〔2024〕12号"),
        (
            "<table><tr><td>文号：教基〔2023〕5号</td><td>发布日期：2023-11-10</td></tr></table>",
            "",
            "教基〔2023〕5号",
        ),
        ("", "<p>根据《关于做好招生工作的通知》（教学〔2023〕1号）要求，现通知如下。</p>", None),
    ],
)
def test_doc_number(before: str, body_top: str, expected: str | None) -> None:
    page = _page("关于期末考试安排的通知_某大学教务处", "", body_top + BODY, before=before)
    assert extract_notice(page, URL).doc_number == expected


def test_issuer_from_meta_then_labelled_line() -> None:
    head = "<meta name='ContentSource' content='基础教育处'>"
    assert extract_notice(_page("通知_某厅", "", head=head), URL).issuer == "基础教育处"
    line = "<div class='info'>发布日期：2023-11-10 信息来源：招生办 浏览次数：3</div>"
    assert extract_notice(_page("通知_某厅", "", before=line), URL).issuer == "招生办"


def test_traditional_script_is_kept_and_simplified_copies_added() -> None:
    body = "<p>各學校：</p><p>現將有關事項通知如下，請認真組織學習，確保會議精神落實到位。</p>"
    page = _page("關於召開會議的通知_教育網", "<h2>關於召開會議的通知</h2>", body)
    notice = extract_notice(page, URL)
    assert notice.title == "關於召開會議的通知"
    assert notice.title_simple == "关于召开会议的通知"
    assert (
        notice.text_simple
        == "各学校：\n现将有关事项通知如下，请认真组织学习，确保会议精神落实到位。"
    )


def test_a_file_url_is_a_notice_with_that_attachment() -> None:
    url = "https://jyt.example.gov.cn/tzgg/202311/P020231103512345678901.pdf"
    notice = extract_notice(
        b"%PDF-1.7 ...", url, list_title="2023年省级示范高中名单", list_date=date(2023, 11, 3)
    )
    assert notice.title == "2023年省级示范高中名单"
    assert notice.published == date(2023, 11, 3)
    assert notice.attachments == [Attachment("2023年省级示范高中名单", url, "pdf")]


def test_report_helpers() -> None:
    head = "<meta name='PubDate' content='2023-11-10 16:32'>"
    body = BODY + "<p><a href='/f/a.pdf'>附件.pdf</a></p>"
    notice = extract_notice(_page("关于期末考试安排的通知_某大学", "", body, head=head), URL)
    data = notice_as_dict(notice)
    assert json.loads(json.dumps(data)) == data
    assert data["published"] == "2023-11-10"
    assert data["published_at"] == "2023-11-10T16:32:00+08:00"
    assert data["attachments"] == [
        {"name": "附件.pdf", "url": "https://jwc.example.edu.cn/f/a.pdf", "kind": "pdf"}
    ]
    text = format_notice(notice)
    assert text.splitlines()[0] == "关于期末考试安排的通知"
    assert "日期：2023-11-10 16:32" in text
    assert "[pdf] 附件.pdf  https://jwc.example.edu.cn/f/a.pdf" in text


def test_title_in_a_wordpress_theme_is_not_the_site_title() -> None:
    page = """<html><head><meta charset="utf-8"><title>关于期末考试安排的通知 – 某中学</title></head>
<body><div id="page" class="site"><header id="masthead" class="site-header">
<p class="site-title"><a href="/">某中学</a></p></header>
<div id="content" class="site-content"><main id="main" class="site-main"><article>
<header class="entry-header"><h1 class="entry-title">关于期末考试安排的通知</h1></header>
<div class="entry-content"><p>各班：</p><p>期末考试定于下周举行，请做好复习。</p></div>
</article></main></div></div></body></html>"""
    notice = extract_notice(page.encode(), "https://school.example.com/2023/06/01/post-1/")
    assert notice.title == "关于期末考试安排的通知"
    assert notice.text == "各班：\n期末考试定于下周举行，请做好复习。"


def test_title_truncated_with_an_ellipsis_character() -> None:
    page = _page("关于2023-2024学年第一学期期末考试安排的通知_某大学教务处", "")
    notice = extract_notice(page, URL, list_title="关于2023-2024学年第一学期…")
    assert notice.title == "关于2023-2024学年第一学期期末考试安排的通知"


@pytest.mark.parametrize(
    "meta",
    [
        "<meta http-equiv='Content-Type' content='text/html; charset=gbk'>",
        "",
    ],
)
def test_gbk_bytes_with_an_iso_8859_1_header(meta: str) -> None:
    page = (
        f"<html><head>{meta}<title>关于召开家长会的通知</title></head>"
        "<body><div id='zoom'><p>各位家长：请于11月18日上午9时准时参加家长会。</p></div></body></html>"
    ).encode("gbk")
    ctype = "text/html; charset=ISO-8859-1"
    notice = extract_notice(page, "https://school.example.com/a/1.html", ctype)
    assert notice.text == "各位家长：请于11月18日上午9时准时参加家长会。"


def test_a_downloaded_office_file_is_a_file_notice_but_an_html_viewer_is_a_page() -> None:
    url = "https://jyj.example.gov.cn/module/download/downfile.jsp?classid=0&filename=ab12.docx"
    notice = extract_notice(b"PK\x03\x04...", url, list_title="报名表")
    assert notice.attachments == [Attachment("报名表", url, "docx")]
    viewer = "https://jyj.example.gov.cn/pdfjs/web/viewer.html?file=/u/ab12.pdf"
    assert extract_notice(_page("名单_某局", "<h2>名单公示</h2>"), viewer).title == "名单公示"
