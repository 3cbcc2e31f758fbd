"""Extraction on real pages of real sites (tests/realpages), and the gate on its figures.

The pages are rebuilt from pinned commits of public repositories; without them these
tests skip with "REAL PAGES MISSING: run tests/realpages/rebuild.py".
"""

from __future__ import annotations

import pytest

from tests.realpages import list_page, load_lists, load_notices, notice, require_pages
from tests.realpages.scoring import noticewatch, score_lists, score_notices, summarise

# What the rules reach on the real pages (bench/extraction.py), less a small margin.
GATE_BODY_F1 = 0.99
GATE_TITLE = 0.97
GATE_DATE = 0.97
GATE_ATTACHMENTS = 0.9
GATE_LIST_F1 = 0.98
GATE_NEXT_PAGE = 0.95


@pytest.fixture(scope="module", autouse=True)
def real_pages() -> None:
    require_pages()


def test_real_notice_figures_hold() -> None:
    pages = load_notices()
    summary = summarise(score_notices(pages, noticewatch))
    assert len(pages) >= 40
    assert summary.f1 >= GATE_BODY_F1
    assert summary.title >= GATE_TITLE
    assert summary.date >= GATE_DATE
    assert summary.attachments_found >= GATE_ATTACHMENTS * summary.attachments_total


def test_real_list_figures_hold() -> None:
    scores = score_lists(load_lists())
    assert len(scores) >= 15
    assert sum(s.f1 for s in scores) / len(scores) >= GATE_LIST_F1
    assert sum(s.next_ok for s in scores) / len(scores) >= GATE_NEXT_PAGE


def test_older_vsb_template_body_is_vsb_content_and_its_attachments_follow_it() -> None:
    """2017-2021 VSB college sites put the paragraphs straight into #vsb_content (no
    .v_news_content) and list files below it as 附件【<a>名称.doc</a>】已下载N次."""
    page = notice("nuc-cst-info-1039-2178")
    extracted = page.extract()
    assert [a.name for a in extracted.attachments] == [a.name for a in page.attachments]
    assert {a.kind for a in extracted.attachments} == {"doc", "xls", "docx"}
    assert "已下载" not in extracted.text
    assert extracted.text.startswith("根据教育部及山西省教育厅下达的国家奖助学经费预算")
    assert extracted.text.endswith("大数据学院学生科\n2018年10月11日")


def test_a_title_repeated_inside_the_container_below_text_is_text() -> None:
    """An 评估标准： item that repeats the page title is part of the article, and so are
    the lines above it (a container holds no menus to skip)."""
    page = notice("sz1cz-info-1175-4731")
    lines = page.extract().text.split("\n")
    assert lines[:2] == ["指标编号A-1 B-3 C-7", "评估标准："]
    assert lines[2] == page.title


def test_a_table_whose_cell_repeats_the_title_keeps_its_header_rows() -> None:
    page = notice("sz1cz-info-1196-5561")
    text = page.extract().text
    assert text.split("\n")[0] == "项 目"
    assert "自 评 概 述" in text


def test_list_label_of_a_real_page_is_what_discovery_finds() -> None:
    """Sanity of the list fixtures: a plain VSB list is found whole with its next page."""
    page = list_page("nuc-cst-list-xwzx-tzgg")
    [score] = score_lists([page])
    assert score.f1 == 1.0 and score.next_ok


def test_date_line_under_a_title_that_starts_with_the_site_name() -> None:
    """The body's first words (复旦大学计算机科学技术学院求贤若渴…) also name the site in
    the header: the body is located by its longer opening, so the 2021.07.30 line under
    the title is still the head's date line."""
    page = notice("fudan-cs-13-be-c24260a267198-page")
    assert page.extract().published.isoformat() == page.date == "2021-07-30"


def test_a_line_pointing_to_the_attachment_is_not_body() -> None:
    """附件：河南大学人事档案查询审批表 names the file 河南大学人事档案查阅审批表.docx (one
    character differs, no extension): the notice has no text of its own."""
    page = notice("henu-rsc-info-1023-3502")
    extracted = page.extract()
    assert extracted.text == ""
    assert [a.name for a in extracted.attachments] == ["河南大学人事档案查阅审批表.docx"]
