"""``notices show`` lists a notice's files (``--file N``: one whole text); ``extract URL
--attachments`` reads one page's files without storing anything."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from storage.models import Notice
from tests.support import attachment_files as files
from tests.support.cli import db_rows, run_cli, write_config

TITLE = "关于公布2024年招生计划的通知"
PDF_PAGES = [["一、招生范围", "全市初中毕业生。"], ["二、招生计划", "共计12000人。"]]
ROWS = [["学校", "计划数"], ["第一中学", 600], ["第二中学", 450]]


@pytest.fixture
def crawled(sites, sqlite_url, tmp_path):
    trs = sites["trs"]
    config = write_config(tmp_path / "c.toml", sqlite_url, [trs])
    assert run_cli(config, "crawl").returncode == 0
    notice = trs.site.add_notice(
        TITLE,
        ["各县区教育局：详见附件。"],
        published=datetime.utcnow() + timedelta(hours=7),
        attachments=[
            ("招生计划.pdf", "P0501.pdf"),
            ("计划表.xlsx", "P0502.xlsx"),
            ("扫描件.pdf", "P0503.pdf"),
            ("全部材料.zip", "P0504.zip"),
        ],
    )
    trs.site.file_bodies |= {
        "P0501.pdf": files.pdf(PDF_PAGES),
        "P0502.xlsx": files.xlsx(ROWS),
        "P0503.pdf": files.scanned_pdf(3),
        "P0504.zip": files.zip_of({"报名表.docx": b"x", "说明.txt": b"y"}),
    }
    assert run_cli(config, "crawl").returncode == 0
    (stored,) = db_rows(sqlite_url, select(Notice).where(Notice.title == TITLE))
    return config, stored.id, trs.url(trs.site.detail_path(notice.id))


def test_show_lists_each_file_with_kind_size_pages_rows_and_first_lines(crawled):
    config, notice_id, _ = crawled
    shown = run_cli(config, "notices", "show", str(notice_id))
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    pdf = next(i for i, line in enumerate(lines) if line.startswith("附件1 "))
    assert "招生计划.pdf" in lines[pdf] and "(pdf, " in lines[pdf] and "2 页" in lines[pdf]
    assert [line.strip() for line in lines[pdf + 1 : pdf + 4]] == [
        "一、招生范围",
        "全市初中毕业生。",
        "二、招生计划",
    ]
    assert any(line.startswith("附件2 ") and "3 行" in line for line in lines)
    assert any(line.startswith("附件3 ") and "scanned" in line for line in lines)
    assert any(line.startswith("附件4 ") and "listing" in line for line in lines)

    data = json.loads(run_cli(config, "notices", "show", str(notice_id), "--json").stdout)
    sheet = data["attachments"][1]
    assert (sheet["kind"], sheet["rows"], sheet["status"]) == ("xlsx", 3, "text")
    assert sheet["first_lines"] == ["学校 | 计划数", "第一中学 | 600", "第二中学 | 450"]


def test_show_file_prints_one_whole_text(crawled):
    config, notice_id, _ = crawled
    whole = run_cli(config, "notices", "show", str(notice_id), "--file", "1")
    assert whole.returncode == 0, whole.stderr
    assert "共计12000人。" in whole.stdout  # past the first lines
    listing = run_cli(config, "notices", "show", str(notice_id), "--file", "4")
    assert "报名表.docx" in listing.stdout and "说明.txt" in listing.stdout
    missing = run_cli(config, "notices", "show", str(notice_id), "--file", "9")
    assert missing.returncode == 1 and "4 attachments" in missing.stdout


def test_extract_attachments_reads_one_pages_files(crawled):
    _, _, url = crawled
    result = run_cli(None, "extract", url, "--attachments", "--json")
    assert result.returncode == 0, result.stderr
    read = {a["name"].split(".", 1)[-1]: a for a in json.loads(result.stdout)["attachments"]}
    assert "共计12000人。" in read["招生计划.pdf"]["text"]
    assert read["计划表.xlsx"]["rows"] == 3
    assert read["扫描件.pdf"]["status"] == "scanned"
    plain = run_cli(None, "extract", url, "--attachments")
    assert "第二中学 | 450" in plain.stdout
