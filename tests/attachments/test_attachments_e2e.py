"""Attachments through real crawls of a mock TRS site serving real files: alerts, summaries,
changes inside files, and hostile files that must cost a problem, never the notice."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from storage.models import AttachmentFile, CrawlRun, Event, Notice, NoticeAttachment
from tests.support import attachment_files as files
from tests.support.cli import db_rows, run_cli, write_config

PLAN_LINES = ["关于2024年普通高中招生计划的说明", "一、全市普通高中计划招生12000人。"]
PLAN_ROWS = [["学校", "计划数"], ["第一中学", 600], ["第二中学", 450]]


def recent() -> datetime:
    """A publish time an hour ago in Beijing: the notice is re-checked on every crawl."""
    return datetime.utcnow() + timedelta(hours=7)


def crawl(config) -> None:
    result = run_cli(config, "crawl")
    assert result.returncode == 0, result.stdout + result.stderr


def events_after(url: str, seen: int) -> list[Event]:
    return db_rows(url, select(Event).where(Event.id > seen).order_by(Event.id))


def last_event_id(url: str) -> int:
    return max((e.id for e in db_rows(url, select(Event))), default=0)


@pytest.fixture
def trs(sites):
    return sites["trs"]


def test_keyword_only_in_a_pdf_is_alerted_naming_the_file_and_summarised_from_it(
    trs, db_url, tmp_path, webhook, smtp
):
    extra = (
        f'[[subscriptions]]\nname = "admissions"\nnotify = ["{webhook.url}", "{smtp.url}"]\n'
        'keywords = ["招生"]\n'
    )
    config = write_config(tmp_path / "c.toml", db_url, [trs], extra=extra)
    crawl(config)  # baseline
    trs.site.add_notice(
        "市教育局关于2024年工作安排的通知",
        ["详见附件。"],
        attachments=[("工作安排.pdf", "P020240601.pdf")],
    )
    trs.site.file_bodies["P020240601.pdf"] = files.pdf(
        [PLAN_LINES, ["二、报名时间为6月1日至6月5日。"]]
    )
    trs.site.add_notice("关于开展校园安全检查的通知", ["各学校：请做好校园安全检查。"])
    crawl(config)

    (post,) = webhook.wait_for(1)
    assert "工作安排" in post.body["title"]
    assert "关键词见附件" in post.body["message"] and "工作安排.pdf" in post.body["message"]
    assert "招生计划" in post.body["message"]  # the snippet, and the summary from the PDF
    (mail,) = smtp.wait_for(1)
    assert "全市普通高中计划招生12000人" in mail.text  # summary: the page only says 详见附件
    (stored,) = db_rows(db_url, select(AttachmentFile))
    assert (stored.kind, stored.status, stored.pages) == ("pdf", "text", 2)
    assert "报名时间为6月1日" in stored.text


def test_an_xlsx_row_edited_under_the_same_name_is_one_change_saying_what(trs, db_url, tmp_path):
    config = write_config(tmp_path / "c.toml", db_url, [trs])
    crawl(config)
    notice = trs.site.add_notice(
        "关于下达2024年招生计划的通知",
        ["各校：招生计划见附件。"],
        attachments=[("招生计划表.xlsx", "P0201.xlsx")],
        published=recent(),
    )
    trs.site.file_bodies["P0201.xlsx"] = files.xlsx(PLAN_ROWS)
    crawl(config)
    seen = last_event_id(db_url)
    edited = [row[:] for row in PLAN_ROWS]
    edited[2][1] = 480
    trs.site.file_bodies["P0201.xlsx"] = files.xlsx(edited)  # the page itself is unchanged
    crawl(config)
    (event,) = events_after(db_url, seen)
    assert event.kind == "changed"
    (changed,) = event.details["attachments_changed"]
    assert changed["name"].endswith("招生计划表.xlsx")
    assert "450" in changed["summary"][0]["removed"] and "480" in changed["summary"][0]["added"]
    assert not event.details["attachments_added"] and not event.details["attachments_removed"]
    crawl(config)
    assert events_after(db_url, event.id) == []  # the file answers 304 now: nothing more
    asked = [path for _, path, headers, status in trs.site.requests if "P0201.xlsx" in path]
    assert asked and trs.site.requests[-1][3] in (200, 304)
    statuses = [status for _, path, _, status in trs.site.requests if "P0201.xlsx" in path]
    assert statuses[-1] == 304  # conditional GET on re-checks
    assert notice.id


def test_same_bytes_under_a_new_url_is_no_change(trs, db_url, tmp_path):
    config = write_config(tmp_path / "c.toml", db_url, [trs])
    crawl(config)
    data = files.docx(["关于报名工作的补充说明。"], [["学校", "人数"], ["一中", "30"]])
    notice = trs.site.add_notice(
        "关于报名工作的通知",
        ["各校：详见附件。"],
        attachments=[("报名表.docx", "P0301.docx")],
        published=recent(),
    )
    trs.site.file_bodies["P0301.docx"] = data
    crawl(config)
    seen = last_event_id(db_url)
    trs.site.file_bodies["P0302.docx"] = data
    trs.site.edit_notice(notice.id, attachments=[("报名表.docx", "P0302.docx")])
    crawl(config)
    assert events_after(db_url, seen) == []
    (row,) = db_rows(db_url, select(NoticeAttachment))
    assert row.url.endswith("P0302.docx") and row.sha256 and row.error is None


def test_hostile_files_are_problems_and_the_notice_is_still_stored_and_alerted(
    trs, db_url, tmp_path, webhook
):
    extra = (
        "[attachments]\nread_timeout = 4\n"
        f'[[subscriptions]]\nname = "all"\nnotify = ["{webhook.url}"]\n'
    )
    config = write_config(tmp_path / "c.toml", db_url, [trs], extra=extra)
    crawl(config)
    hostile = {
        "P0401.pdf": ("截断的文件.pdf", files.pdf([PLAN_LINES])[:1500]),
        "P0402.docx": ("压缩炸弹.docx", files.zip_bomb_docx()),
        "P0403.pdf": ("超大文件.pdf", files.huge_stream(200_000_000)),
        "P0404.pdf": ("死循环.pdf", files.busy_pdf()),
        "P0405.ofd": ("正式文件.ofd", files.ofd(["关于印发实施方案的通知", "各县区教育局："])),
    }
    for name, (_, body) in hostile.items():
        trs.site.file_bodies[name] = body
    title = "关于印发2024年实施方案的通知"
    trs.site.add_notice(
        title,
        ["各县区教育局：现将实施方案印发给你们。"],
        attachments=[(n, f) for f, (n, _) in hostile.items()],
    )
    crawl(config)

    (post,) = webhook.wait_for(1)
    assert title in post.body["title"]
    assert db_rows(db_url, select(Notice).where(Notice.title == title))
    run = db_rows(db_url, select(CrawlRun).order_by(CrawlRun.id.desc()))[0]
    problems = {p["url"].rsplit("/", 1)[-1]: p["message"] for p in run.problems}
    assert "truncated" in problems["P0401.pdf"]
    assert "decompression bomb" in problems["P0402.docx"]
    assert "max_bytes" in problems["P0403.pdf"]
    assert "stopped" in problems["P0404.pdf"]
    assert "P0405.ofd" not in problems and run.outcome == "ok"
    ofd = [f for f in db_rows(db_url, select(AttachmentFile)) if f.kind == "ofd"]
    assert "实施方案" in ofd[0].text

    big = [r for r in db_rows(db_url, select(NoticeAttachment)) if r.url.endswith("P0403.pdf")]
    assert big[0].error and big[0].attempts == 1  # pending work: asked for again next crawl
    trs.site.clear_requests()
    crawl(config)
    assert any("P0403.pdf" in path for _, path, _, _ in trs.site.requests)
    assert len(webhook.posts) == 1  # retried, never alerted twice
