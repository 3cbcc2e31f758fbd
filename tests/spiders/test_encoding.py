"""Decoding: BOM, header, meta, detection; GB labels read as GB18030."""

import codecs

import pytest

from spiders.encoding import decode_html

TITLE = "关于召开家长会的通知：朱镕基中学、王喆老师"  # 镕 and 喆 are outside GB2312


def page(charset_meta: str, text: str = TITLE) -> str:
    return f'<html><head><META http-equiv=Content-Type content="text/html; charset={charset_meta}"><title>{text}</title></head><body><p>{text}</p></body></html>'


@pytest.mark.parametrize(
    "header",
    [
        None,
        "text/html",
        "text/html; charset=utf-8",
        "text/html; charset=ISO-8859-1",
        "text/html; charset=gb2312",
    ],
)
def test_gbk_bytes_decode_whatever_the_header_says(header):
    raw = page("gb2312").encode("gbk")
    text, codec = decode_html(raw, header)
    assert TITLE in text
    assert codec == "gb18030"


def test_gbk_without_any_declaration_is_detected():
    raw = ("<html><body><p>" + TITLE * 5 + "</p></body></html>").encode("gbk")
    text, _ = decode_html(raw, None)
    assert TITLE in text


def test_bom_wins_over_a_wrong_header():
    raw = codecs.BOM_UTF8 + page("gbk").encode("utf-8")
    text, codec = decode_html(raw, "text/html; charset=gbk")
    assert TITLE in text and codec == "utf-8"


def test_utf8_header_is_trusted_when_it_decodes():
    raw = page("utf-8").encode("utf-8")
    assert decode_html(raw, "text/html; charset=UTF-8") == (page("utf-8"), "utf-8")


def test_big5_page():
    text = "新密市召開學校疫情防控模擬演練視頻會議"
    raw = page("big5", text).encode("big5")
    decoded, codec = decode_html(raw, None)
    assert text in decoded and codec == "big5hkscs"


@pytest.mark.parametrize("header", ["text/html; charset=utf-8", "text/html"])
def test_a_utf8_page_with_a_few_bad_bytes_stays_utf8(header):
    page = (
        '<html><head><meta charset="utf-8"><title>关于做好秋季开学工作的通知</title></head>'
        "<body><!-- stray bytes -->"
        + "<p>各县（市、区）教育局：现就做好秋季开学工作有关事项通知如下。</p>" * 20
        + "</body></html>"
    )
    raw = page.encode("utf-8").replace(b"<!-- ", b"<!-- \xff\xfe", 1)
    text, codec = decode_html(raw, header)
    assert codec == "utf-8" and "关于做好秋季开学工作的通知" in text and text.count("\ufffd") == 2


WIDE_PAGE = (
    "<html><head><title>关于做好秋季开学工作的通知</title></head><body>" + "<p>通知内容</p>" * 30
)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_without_a_bom_are_told_by_their_zero_bytes(codec):
    text, found = decode_html(WIDE_PAGE.encode(codec), "text/html")
    assert found == codec and "关于做好秋季开学工作的通知" in text


@pytest.mark.parametrize("codec", ["utf-16", "utf-32"])
def test_utf16_and_utf32_with_a_bom_are_told_by_it(codec):
    text, found = decode_html(WIDE_PAGE.encode(codec), "text/html; charset=gbk")
    assert found.startswith(codec) and text.startswith("<html>") and "通知内容" in text
