"""Attachments through real crawls of a mock TRS site serving real files: alerts, summaries,
changes inside files, and hostile files that cost a problem, never the notice."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import select

from storage.models import AttachmentFile, CrawlRun, Event, Notice, NoticeAttachment
from storage.search import matching_ids
from tests.support import attachment_files as files
from tests.support.cli import db_rows, run_cli, write_config

PLAN_LINES = ["关于2024年普通高中招生计划的说明", "一、全市普通高中计划招生12000人。"]
PLAN_ROWS = [["学校", "计划数"], ["第一中学", 600], ["第二中学", 450]]
HOSTILE_TITLE = "关于印发2024年招生工作实施方案的通知"


def recent() -> datetime:
    """A publish time an hour ago in Beijing: the notice is re-checked on every crawl."""
    return datetime.utcnow() + timedelta(hours=7)


def crawl(config) -> None:
    result = run_cli(config, "crawl")
    assert result.returncode == 0, result.stdout + result.stderr


def events_after(url: str, seen: int) -> list[Event]:
    return db_rows(url, select(Event).where(Event.id > seen).order_by(Event.id))


def add_hostile_notice(site) -> None:
    """A notice whose files are truncated, a zip bomb, 200 MB, a parser trap, and one OFD."""
    hostile = {
        "P0401.pdf": ("截断的文件.pdf", files.pdf([PLAN_LINES])[:1500]),
        "P0402.docx": ("压缩炸弹.docx", files.zip_bomb_docx()),
        "P0403.pdf": ("超大文件.pdf", files.huge_stream(200_000_000)),
        "P0404.pdf": ("死循环.pdf", files.busy_pdf()),
        "P0405.ofd": ("正式文件.ofd", files.ofd(["关于印发实施方案的通知", "各县区教育局："])),
    }
    site.file_bodies |= {name: body for name, (_, body) in hostile.items()}
    site.add_notice(
        HOSTILE_TITLE,
        ["各县区教育局：现将实施方案印发给你们。"],
        attachments=[(shown, name) for name, (shown, _) in hostile.items()],
    )


def test_files_are_searched_summarised_and_hostile_ones_never_cost_the_notice(
    sites, db_url, tmp_path, webhook, smtp
):
    trs = sites["trs"]
    extra = (
        "[attachments]\nread_timeout = 4\n"
        f'[[subscriptions]]\nname = "admissions"\nnotify = ["{webhook.url}", "{smtp.url}"]\n'
        'keywords = ["招生"]\n'
    )
    config = write_config(tmp_path / "c.toml", db_url, [trs], extra=extra)
    crawl(config)  # baseline
    trs.site.file_bodies["P0101.pdf"] = files.pdf([PLAN_LINES, ["二、报名时间为6月1日至5日。"]])
    trs.site.add_notice(
        "市教育局关于2024年工作安排的通知",
        ["详见附件。"],
        attachments=[("工作安排.pdf", "P0101.pdf")],
    )
    trs.site.add_notice("关于开展校园安全检查的通知", ["各学校：请做好校园安全检查。"])
    add_hostile_notice(trs.site)
    crawl(config)

    posts = {p.body["title"]: p.body["message"] for p in webhook.wait_for(2)}
    assert len(posts) == 2 and not any("安全检查" in title for title in posts)
    (plan,) = [message for title, message in posts.items() if "工作安排" in title]
    assert "关键词见附件" in plan and "工作安排.pdf" in plan and "招生计划" in plan
    mails = {mail.subject: mail.text for mail in smtp.wait_for(2)}
    (plan_mail,) = [text for subject, text in mails.items() if "工作安排" in subject]
    assert "全市普通高中计划招生12000人" in plan_mail  # summary: the page only says 详见附件
    assert any(HOSTILE_TITLE in title for title in posts)  # alerted, its files all broken
    assert db_rows(db_url, select(Notice).where(Notice.title == HOSTILE_TITLE))

    dialect = "sqlite" if db_url.startswith("sqlite") else "postgresql"
    found = db_rows(
        db_url,
        select(Notice.title).where(Notice.id.in_(matching_ids(dialect, ["报名时间为6月1日至5日"]))),
    )
    assert found == ["市教育局关于2024年工作安排的通知"]  # the words are only in its PDF's page 2

    stored = {(f.kind, f.status): f for f in db_rows(db_url, select(AttachmentFile))}
    assert stored["pdf", "text"].pages == 2 and "实施方案" in stored["ofd", "text"].text
    run = db_rows(db_url, select(CrawlRun).order_by(CrawlRun.id.desc()))[0]
    problems = {p["url"].rsplit("/", 1)[-1]: p["message"] for p in run.problems}
    assert "truncated" in problems.pop("P0401.pdf")
    assert "decompression bomb" in problems.pop("P0402.docx")
    assert "max_bytes" in problems.pop("P0403.pdf")
    assert "took over 4 s" in problems.pop("P0404.pdf")
    assert problems == {} and run.outcome == "ok"

    big = [r for r in db_rows(db_url, select(NoticeAttachment)) if r.url.endswith("P0403.pdf")]
    assert big[0].error and big[0].attempts == 1  # pending work: asked for again next crawl
    trs.site.clear_requests()
    crawl(config)
    assert any("P0403.pdf" in path for _, path, _, _ in trs.site.requests)
    assert len(webhook.posts) == 2  # retried, never alerted twice


def test_a_file_edited_under_its_name_is_one_change_and_the_same_bytes_elsewhere_none(
    sites, db_url, tmp_path
):
    trs = sites["trs"]
    extra = '[attachments]\nstore = "files"\n'  # the files themselves too, by content
    config = write_config(tmp_path / "c.toml", db_url, [trs], extra=extra)
    crawl(config)
    plan = trs.site.file_bodies["P0201.xlsx"] = files.xlsx(PLAN_ROWS)
    trs.site.add_notice(
        "关于下达2024年招生计划的通知",
        ["各校：招生计划见附件。"],
        attachments=[("招生计划表.xlsx", "P0201.xlsx")],
        published=recent(),
    )
    form = files.docx(["关于报名工作的补充说明。"], [["学校", "人数"], ["一中", "30"]])
    trs.site.file_bodies["P0301.docx"] = form
    moved = trs.site.add_notice(
        "关于报名工作的通知",
        ["各校：详见附件。"],
        attachments=[("报名表.docx", "P0301.docx")],
        published=recent(),
    )
    crawl(config)
    seen = max(e.id for e in db_rows(db_url, select(Event)))

    edited = [row[:] for row in PLAN_ROWS]
    edited[2][1] = 480
    new_plan = trs.site.file_bodies["P0201.xlsx"] = files.xlsx(edited)  # its page is unchanged
    trs.site.file_bodies["P0302.docx"] = form  # the same bytes under a new link
    trs.site.edit_notice(moved.id, attachments=[("报名表.docx", "P0302.docx")])
    crawl(config)
    (event,) = events_after(db_url, seen)
    assert event.kind == "changed"
    (changed,) = event.details["attachments_changed"]
    assert changed["name"].endswith("招生计划表.xlsx")
    assert "450" in changed["summary"][0]["removed"] and "480" in changed["summary"][0]["added"]
    assert not event.details["attachments_added"] and not event.details["attachments_removed"]
    diff = run_cli(config, "notices", "diff", str(event.notice_id)).stdout
    assert "~ 附件 1.招生计划表.xlsx" in diff and "480" in diff
    form_row = [r for r in db_rows(db_url, select(NoticeAttachment)) if "docx" in r.url]
    assert form_row[0].url.endswith("P0302.docx") and form_row[0].sha256
    kept = {path.name: path.read_bytes() for path in (tmp_path / "files").iterdir()}
    assert kept == {
        f"{hashlib.sha256(body).hexdigest()}.{kind}": body
        for kind, body in [("xlsx", plan), ("xlsx", new_plan), ("docx", form)]
    }

    trs.site.clear_requests()
    crawl(config)
    assert [(e.kind, e.details) for e in events_after(db_url, event.id)] == []
    sheet = [status for _, path, _, status in trs.site.requests if path.endswith("P0201.xlsx")]
    assert sheet == [304]  # re-checked with a conditional GET
