"""Alert texts: what a new, changed, withdrawn notice and a broken source say; fitting byte limits."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from monitor.masking import redact, register
from monitor.notify.layout import HTML, MARKDOWN, TEXT, Item, Limit, Message, Section, fit_to_limit
from monitor.notify.messages import digest_message, notice_message, source_message, summarise
from monitor.notify.targets import masked
from storage.models import Event, Notice, NoticeVersion

SHANGHAI = ZoneInfo("Asia/Shanghai")
URL = "https://jyj.xinxiang.gov.cn/tzgg/2024/0701/12345.html"


def notice(
    text: str = "各县（市、区）教育局：现将有关事项通知如下。", **version_fields
) -> tuple[Notice, NoticeVersion]:
    row = Notice(
        id=7, url=URL, title="关于做好2024年普通高校招生录取工作的通知", published=date(2024, 7, 1)
    )
    fields = {
        "title": row.title,
        "published": row.published,
        "text": text,
        "attachments": [
            {"name": "附件1.pdf", "url": "https://jyj.xinxiang.gov.cn/f/1.pdf", "kind": "pdf"}
        ],
        "doc_number": None,
    } | version_fields
    return row, NoticeVersion(**fields)


def test_new_notice_has_title_date_source_link_summary_and_attachments():
    row, version = notice()
    message = notice_message(Event(kind="new", details={}), row, version, "新乡市教育局")
    assert message.title == "【新乡市教育局】关于做好2024年普通高校招生录取工作的通知"
    text = message.body(TEXT)
    assert (
        "发布日期：2024-07-01" in text and "来源：新乡市教育局" in text and f"链接：{URL}" in text
    )
    assert "摘要：各县（市、区）教育局" in text
    assert "附件1.pdf https://jyj.xinxiang.gov.cn/f/1.pdf" in text
    assert f"[{URL}]({URL})" in message.body(MARKDOWN)
    assert f'<a href="{URL}">' in message.body(HTML) and "<h2" in message.body(HTML)


def test_a_notice_whose_link_redirects_is_linked_where_it_was_read():
    row, version = notice()
    row.page_url = URL.replace("/0701/", "/moved/")
    message = notice_message(Event(kind="new", details={}), row, version, "新乡市教育局")
    assert message.url == row.page_url


def test_changed_notice_says_what_changed_and_reposts_are_listed_once():
    row, version = notice()
    details = {
        "summary": [
            {"removed": "7月8日", "added": "7月10日"},
            {"removed": "", "added": "四、注意事项。"},
        ],
        "title": {"old": "旧标题", "new": row.title},
        "attachments_added": [{"name": "补充.docx", "url": "https://x.cn/b.docx"}],
    }
    reposts = [Item("河南省教育厅", "https://jyt.henan.gov.cn/1.html")]
    message = notice_message(
        Event(kind="changed", details=details), row, version, "新乡市教育局", reposts
    )
    assert message.title.startswith("【新乡市教育局】（更新）")
    text = message.body(TEXT)
    assert "「7月8日」改为「7月10日」" in text and "新增「四、注意事项。」" in text
    assert "标题「旧标题」改为" in text and "新增附件「补充.docx」 https://x.cn/b.docx" in text
    assert text.count("https://jyt.henan.gov.cn/1.html") == 1 and "同时发布于" in text
    assert text.index("变更内容") < text.index("摘要")


def test_missing_details_and_fields_are_tolerated():
    row, version = notice(attachments=[])
    message = notice_message(Event(kind="changed", details=None), row, None, "x")
    assert message.url == URL and "变更内容" not in message.body(TEXT)
    withdrawn = notice_message(Event(kind="withdrawn", details={"checks": 2}), row, version, "x")
    assert "（已撤回）" in withdrawn.title and "撤回" in withdrawn.body(TEXT)


def test_source_error_and_recovery_read_plainly():
    details = {
        "outcome": "blocked",
        "error": "list page: HTTP 403",
        "failures": 3,
        "failing_since": "2024-07-01T02:00:00",
    }
    error = source_message(
        Event(kind="source_error", details=details),
        "新乡市教育局",
        "https://jyj.xinxiang.gov.cn/tzgg/",
        SHANGHAI,
    )
    assert error.title == "【新乡市教育局】信息源异常：被网站拦截（反爬或验证码）"
    assert "连续失败：3 次" in error.body(TEXT) and "开始于：2024-07-01 10:00" in error.body(TEXT)
    assert "HTTP 403" in error.body(TEXT) and "https://jyj.xinxiang.gov.cn/tzgg/" in error.body(
        TEXT
    )
    recovered = source_message(
        Event(kind="source_recovered", details={}, created_at=datetime(2024, 7, 2)),
        "新乡",
        "https://a.cn/",
        SHANGHAI,
    )
    assert "已恢复" in recovered.title


def test_markdown_and_html_escape_page_text():
    message = Message(
        title="t",
        url="https://a.cn/x_(1).html",
        summary="**粗体** <script>alert(1)</script> [链接]",
    )
    assert "\\*\\*粗体\\*\\*" in message.body(MARKDOWN) and "\\[链接\\]" in message.body(MARKDOWN)
    assert "(https://a.cn/x_%281%29.html)" in message.body(MARKDOWN)
    assert "<script>" not in message.body(HTML) and "&lt;script&gt;" in message.body(HTML)


def test_summary_ends_at_a_sentence_when_one_is_near():
    text = "第一句话。" * 10 + "没有句号的长长的一段" * 20
    assert summarise(text, 60).endswith("。…")
    assert summarise("短。") == "短。"


@pytest.mark.parametrize("fmt", [TEXT, MARKDOWN, HTML])
def test_long_chinese_notice_fits_2048_bytes_keeping_title_and_url(fmt):
    long_text = "为进一步做好全市普通高校招生录取工作，确保录取工作公平、公正、有序进行。" * 200
    row, version = notice(
        text=long_text,
        attachments=[{"name": f"附件{i}.pdf", "url": f"https://a.cn/{i}.pdf"} for i in range(40)],
    )
    message = notice_message(Event(kind="new", details={}), row, version, "新乡市教育局")
    [(title, body)] = message.parts(fmt, Limit(max_bytes=2048))
    whole = f"# {title}\r\n{body}".encode()
    assert len(whole) <= 2048
    whole.decode("utf-8")  # never a split character
    assert title == message.title and URL in body
    assert "…" in body


def test_fitting_drops_lists_then_facts_then_shortens_the_title_but_keeps_the_url():
    items = tuple(Item(f"附件{i}.pdf", f"https://a.cn/{i}.pdf") for i in range(30))
    message = Message(
        title="标" * 100,
        url=URL,
        facts=(("来源", "新乡"),),
        summary="摘" * 500,
        sections=(Section("附件", items),),
    )
    small = fit_to_limit(message, 700)
    assert small.summary == "" and small.sections[0].omitted > 0 and URL in small.body(TEXT)
    assert "另有" in small.body(TEXT)
    tiny = fit_to_limit(message, 250)
    assert URL in tiny.body(TEXT) and tiny.title.startswith("标") and tiny.title.endswith("…")
    assert Limit(250).fits(tiny.title, tiny.body(TEXT))


def test_character_limits_count_characters():
    message = Message(title="标题", url=URL, summary="字" * 5000)
    [(title, body)] = message.parts(TEXT, Limit(max_chars=1000))
    assert len(f"# {title}\r\n{body}") <= 1000 and URL in body


def test_digest_lists_every_entry_and_splits_whole_entries_when_too_long():
    entries = [
        Message(
            title=f"【新乡市教育局】第{i}号通知",
            url=f"https://a.cn/{i}.html",
            facts=(("发布日期", "2024-07-01"),),
        )
        for i in range(1, 31)
    ]
    digest = digest_message("office", entries, datetime(2024, 7, 1, 0, 0), SHANGHAI)
    assert digest.title == "【通知摘要】office：30 条（2024-07-01 08:00 以来）"
    [(title, body)] = digest.parts(TEXT, Limit())
    assert title == digest.title and all(f"https://a.cn/{i}.html" in body for i in range(1, 31))
    parts = digest.parts(TEXT, Limit(max_bytes=2048))
    assert len(parts) > 1 and parts[0][0].endswith(f"（1/{len(parts)}）")
    joined = "\n".join(body for _, body in parts)
    assert all(joined.count(f"https://a.cn/{i}.html") == 1 for i in range(1, 31))
    assert all(len(f"# {t}\r\n{b}".encode()) <= 2048 for t, b in parts)
    html_parts = digest.parts(HTML, Limit(max_bytes=4096))
    assert html_parts[1][1].startswith('<ol start="')


def test_labels_and_redaction_hide_secrets():
    assert masked("mailto://user:pw@smtp.qq.com?to=a@b.cn") == "mailto://smtp.qq.com"
    assert masked("wecombot://0a1b2c3d4e5f").startswith("wecombot://*** (")
    assert "12345" not in masked("tgram://12345:AAbbCCdd/-100987")
    url = "tgram://123456789:AAH-secret-TOKEN/-1009876543"
    register(url)
    line = redact(
        f"POST https://api.telegram.org/bot123456789:AAH-secret-TOKEN/sendMessage chat -1009876543 via {url}"
    )
    assert "AAH-secret-TOKEN" not in line and "1009876543" not in line and "123456789" not in line
    register("mailto://me:pa55word@smtp.qq.com?to=office@example.com&mode=insecure")
    assert (
        redact("login me/pa55word failed for office@example.com")
        == "login me/*** failed for office@example.com"
    )


def test_alerts_carry_text_not_markup_links_or_hidden_characters() -> None:
    title = "关于[点我](javascript:alert(1))的通知\u202egpj.exe\x1b[31m"
    attachments = Section(
        "附件",
        (
            Item("报名表.docx", " JavaScript:alert(1)"),
            Item("方案.pdf", "vbscript:msgbox(1)"),
            Item("名单.xls", "https://jyj.xinxiang.gov.cn/a.xls"),
        ),
    )
    message = Message(title=title, url=URL, sections=(attachments,))
    [(md_title, md_body)] = message.parts(MARKDOWN, Limit())
    assert "\u202e" not in md_title and "\x1b" not in md_title
    assert "\\[点我\\]" in md_title, "a Markdown channel must not get a live link in the title"
    assert "- 报名表.docx" in md_body and "- 方案.pdf" in md_body
    assert "javascript" not in md_body.lower() and "vbscript" not in md_body.lower()
    [(_, html_body)] = message.parts(HTML, Limit())
    assert 'href="https://jyj.xinxiang.gov.cn/a.xls"' in html_body
    links = re.findall(r'href="([^"]*)"', html_body)
    assert links and all(link.startswith("https://") for link in links), links
    assert "报名表.docx" in html_body and "方案.pdf" in html_body
