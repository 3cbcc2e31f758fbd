"""Which bodies defer to their attachments, and keywords found in files with a snippet."""

from __future__ import annotations

import pytest

from monitor.attachments.search import find_in_files
from monitor.attachments.summary import defers_to_attachments
from monitor.simplified import to_simplified


@pytest.mark.parametrize(
    "body",
    [
        "",
        "详见附件。",
        "具体内容详见附件",
        "請見附件",
        "详见附件。\n附件：1.招生计划.pdf\n2.报名表.xls",
    ],
)
def test_a_body_that_only_points_at_its_files_defers_to_them(body):
    assert defers_to_attachments(body, ["1.招生计划.pdf", "2.报名表.xls"])


@pytest.mark.parametrize(
    "body",
    [
        "各县区教育局：现将2024年招生计划下达给你们，详见附件。",
        "报名时间为6月1日至5日。",
    ],
)
def test_a_body_with_its_own_words_does_not(body):
    assert not defers_to_attachments(body)


def test_the_first_file_holding_a_keyword_is_named_with_a_snippet():
    def normalised(text: str) -> str:
        return to_simplified(text).casefold()

    files = [
        ("报名表.docx", "姓名 | 学校"),
        ("实施方案.pdf", "一、总体要求。" * 10 + "二、招生范围：全市。"),
    ]
    found = find_in_files(["招生"], files, normalised)
    assert found is not None and found.file == "实施方案.pdf"
    assert "招生范围" in found.snippet and found.snippet.startswith("…")
    assert len(found.snippet) <= 62
    assert find_in_files(["录取"], files, normalised) is None
