"""Reading real files of every kind in the limited child process (monitor.attachments.reader)."""

from __future__ import annotations

import io
import zipfile

import pytest

from monitor.attachments.reader import read_file
from monitor.config import AttachmentSettings
from tests.support import attachment_files as files

SETTINGS = AttachmentSettings(read_timeout=20)
ROWS = [["学校", "计划数", "备注"], ["第一中学", 600, None], ["第二中学", 450, "含国际班"]]


def test_a_pdf_gives_its_chinese_text_layer_page_by_page():
    read = read_file(files.pdf([["第一页：招生计划"], ["第二页：报名时间"]]), "pdf", SETTINGS)
    assert (read.status, read.pages) == ("text", 2)
    assert read.text.splitlines() == ["第一页：招生计划", "第二页：报名时间"]


def test_a_scanned_pdf_is_marked_as_such():
    read = read_file(files.scanned_pdf(3), "pdf", SETTINGS)
    assert (read.status, read.pages, read.text) == ("scanned", 3, "")


@pytest.mark.parametrize("kind", ["xlsx", "xls"])
def test_spreadsheets_become_rows_of_cells(kind):
    data = files.xlsx(ROWS) if kind == "xlsx" else files.xls(ROWS)
    read = read_file(data, kind, SETTINGS)
    assert read.rows == 3
    assert read.text.splitlines() == [
        "学校 | 计划数 | 备注",
        "第一中学 | 600",
        "第二中学 | 450 | 含国际班",
    ]


def test_a_docx_gives_paragraphs_then_table_rows():
    read = read_file(files.docx(["报名须知", "请按时报名。"], [["姓名", "学校"]]), "docx", SETTINGS)
    assert read.text.splitlines() == ["报名须知", "请按时报名。", "姓名 | 学校"]


def test_an_ofd_gives_the_text_of_its_pages():
    read = read_file(files.ofd(["关于印发实施方案的通知", "各县区教育局："]), "ofd", SETTINGS)
    assert (read.status, read.pages) == ("text", 1)
    assert read.text.splitlines() == ["关于印发实施方案的通知", "各县区教育局："]


def test_a_zip_is_listed_with_gbk_names_and_never_unpacked():
    gbk_name = "报名表.xls".encode("gbk")
    placeholder = b"A" * (len(gbk_name) - 4) + b".xls"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(placeholder.decode(), b"x")
    # names in GBK bytes, not flagged UTF-8, as Chinese Windows tools write them
    gbk_archive = buffer.getvalue().replace(placeholder, gbk_name)
    archive_bytes = files.zip_of({"附件1.pdf": b"%PDF"})
    assert read_file(gbk_archive, "zip", SETTINGS).text == "报名表.xls"
    listed = read_file(archive_bytes, "zip", SETTINGS)
    assert (listed.status, listed.text) == ("listing", "附件1.pdf")


def test_text_in_gb18030_is_read():
    assert read_file("招生简章".encode("gb18030"), "txt", SETTINGS).text == "招生简章"


def test_legacy_word_is_listed_as_not_readable():
    read = read_file(b"\xd0\xcf\x11\xe0" + b"\0" * 508, "doc", SETTINGS)
    assert read.status == "unreadable" and "desktop office suite" in (read.note or "")


def test_hostile_files_cost_a_note_not_the_process():
    truncated = read_file(files.pdf([["招生"]])[:900], "pdf", SETTINGS)
    assert "truncated" in (truncated.note or "")
    bomb = read_file(files.zip_bomb_docx(), "docx", SETTINGS)
    assert "decompression bomb" in (bomb.note or "")
    looping = read_file(files.busy_pdf(), "pdf", AttachmentSettings(read_timeout=2))
    assert looping.status == "unreadable" and "took over 2 s" in (looping.note or "")
    greedy = read_file(files.greedy_pdf(), "pdf", AttachmentSettings(read_memory_mb=150))
    assert greedy.status == "unreadable" and "memory" in (greedy.note or "")
