"""The general path (pages of no known CMS): link blocks, the prose block, tail
promotions and counters, titles above the metadata line."""

from __future__ import annotations

from datetime import date

import lxml.html
import pytest

from monitor.extract import extract_notice
from monitor.extract.link_blocks import drop_link_blocks
from monitor.extract.prose import find_prose_block
from monitor.extract.text_clean import clean_body

TITLE = "关于开展校园安全隐患排查整治专项行动的通知"
PARAGRAPHS = [
    "各中小学、幼儿园：",
    "为进一步加强校园安全管理，切实保障广大师生生命财产安全，经研究，决定在全区开展校园安全隐患排查整治专项行动。",
    "一、各校要成立以校长为组长的排查工作领导小组，对校舍、消防、食堂、校车等重点部位开展拉网式排查。",
    "二、排查中发现的问题要立即整改，并于11月30日前将排查整改情况报区教育局安全科。",
    "某区教育局",
    "2023年11月9日",
]


def _body(html: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(f"<html><body>{html}</body></html>").body


def _paragraphs(lines: list[str] = PARAGRAPHS) -> str:
    return "".join(f"<p>{line}</p>" for line in lines)


# ---------------------------------------------------------------- link blocks
def test_menus_and_dated_widget_lists_go() -> None:
    widget = "".join(
        f"<li><a href='/tz/{i}.html'>关于开展第{i}项工作的通知</a><span>2024-05-1{i}</span></li>"
        for i in range(4)
    )
    body = _body(
        "<div id='m'><a href='/'>首页</a> | <a href='/a/'>通知公告</a> | <a href='/b/'>教育动态</a></div>"
        f"<div id='w'><b>最新公告</b><ul>{widget}</ul></div><div id='c'>{_paragraphs()}</div>"
    )
    drop_link_blocks(body)
    assert [el.get("id") for el in body] == ["c"]


def test_attachment_lists_and_paragraphs_with_links_stay() -> None:
    files = "".join(f"<a href='/f/{i}.pdf'>附件{i}</a>" for i in range(3))
    links = "，".join(f"<a href='/p/{i}.html'>第{i}号文件</a>" for i in range(3))
    body = _body(
        f"<div id='f'>{files}</div><p id='p'>根据{links}的要求，现将有关事项通知如下，请各单位认真贯彻落实。</p>"
        f"<div id='c'>{_paragraphs()}</div>"
    )
    drop_link_blocks(body)
    assert [el.get("id") for el in body] == ["f", "p", "c"]


# ---------------------------------------------------------------- the prose block
def test_prose_block_is_the_body_not_its_wrapper_nor_a_paragraph() -> None:
    body = _body(
        f"<div id='main'><h1>{TITLE}</h1><div id='info'>发布时间：2023-11-10 来源：安全科</div>"
        f"<div id='wz'>{_paragraphs()}</div><div id='fy'>上一篇：无</div></div>"
        "<div id='r'><p>本站建议使用1024×768分辨率浏览。</p></div>"
    )
    assert find_prose_block(body).get("id") == "wz"


def test_prose_spread_over_siblings_keeps_their_parent() -> None:
    body = _body(
        f"<div id='c'><div id='s1'>{_paragraphs(PARAGRAPHS[:3])}</div>"
        f"<div id='s2'>{_paragraphs(PARAGRAPHS[3:])}</div></div>"
    )
    assert find_prose_block(body).get("id") == "c"


def test_a_single_sentence_keeps_its_salutation_and_signature() -> None:
    lines = ["各位家长：", "兹定于11月18日召开家长会，请准时参加。", "某校", "2023年11月9日"]
    body = _body(f"<div id='c'>{_paragraphs(lines)}</div><div>某校</div>")
    assert find_prose_block(body).get("id") == "c"


def test_the_column_showing_the_title_wins_over_a_side_paragraph() -> None:
    side = "<p>某区第一中学始建于1956年，是一所历史悠久、文化底蕴深厚的省级示范性高中，现有教学班48个。</p>"
    body = _body(
        f"<div id='l'><h1>{TITLE}</h1><div id='c'>{_paragraphs(PARAGRAPHS[:3])}</div></div>"
        f"<div id='r'><h3>学校简介</h3>{side}</div>"
    )
    assert find_prose_block(body) is body
    assert find_prose_block(body, TITLE).get("id") == "c"


def test_no_prose_means_no_block() -> None:
    assert find_prose_block(_body("<div><p>某区教育局</p><p>2023年11月9日</p></div>")) is None


# ---------------------------------------------------------------- text-level rules
@pytest.mark.parametrize(
    "tail",
    [
        ["路过 雷人 握手 鲜花 鸡蛋"],
        ["“揭阳教育”是揭阳市教育局官方微信，最新鲜的教育动态尽在掌握……", "微信号：gdjysjyj"],
        ["欢迎关注学校微信公众号"],
        ["【 打印此文 】 【 关闭窗口 】"],
        ["GMT+8, 2024-06-20 10:00, Processed in 0.010 second(s), 12 queries."],
    ],
)
def test_tail_reactions_promotions_toolbars_and_debug_lines_go(tail: list[str]) -> None:
    assert clean_body([*PARAGRAPHS[1:4], *tail], TITLE) == PARAGRAPHS[1:4]


def test_a_sentence_about_an_account_inside_the_body_stays() -> None:
    lines = [PARAGRAPHS[1], "报名结果将通过学校微信公众号公布，欢迎关注。", PARAGRAPHS[2]]
    assert clean_body(lines, TITLE) == lines


def test_a_portal_byline_with_counters_is_head_noise() -> None:
    lines = [TITLE, "蓝色河畔 2023-11-21 08:28|查看: 8197|评论: 0", *PARAGRAPHS[1:3]]
    assert clean_body(lines, TITLE) == PARAGRAPHS[1:3]


# ---------------------------------------------------------------- titles
def test_a_heading_linking_home_is_the_site_name() -> None:
    page = (
        f"<html><head><meta charset='utf-8'><title>平原县实验中学</title></head><body>"
        f"<div id='hd'><h1><a href='/'>平原县实验中学</a></h1></div>"
        f"<div id='content'><h2>{TITLE}</h2><div>发布日期：2023-11-10 阅读：12次</div>"
        f"<div>{_paragraphs()}</div></div></body></html>"
    )
    assert extract_notice(page.encode(), "https://www.pysyzx.net/tzgg/1.html").title == TITLE


def test_a_bold_font_title_above_the_metadata_line() -> None:
    page = (
        "<html><head><title>获嘉县教育体育局</title></head><body><table width='980'><tr>"
        "<td><table><tr><td><b>栏目导航</b></td></tr></table></td><td><table>"
        f"<tr><td align='center'><font size='4'><b>{TITLE}</b></font></td></tr>"
        "<tr><td align='center'>2021年3月5日</td></tr>"
        "<tr><td>作者：admin　来源：本站　点击数：236</td></tr>"
        f"<tr><td class='a14'>{'<br>'.join(PARAGRAPHS)}</td></tr></table></td></tr></table>"
        "</body></html>"
    )
    notice = extract_notice(
        page.encode("gbk"), "http://www.hjjty.gov.cn/ShowArticle.asp?ArticleID=9", "text/html"
    )
    assert notice.title == TITLE
    assert notice.published == date(2021, 3, 5)
    assert notice.text.splitlines() == PARAGRAPHS


# ---------------------------------------------------------------- whole pages
def _school_page(info: str) -> bytes:
    widget = "".join(
        f"<li><a href='/x/{i}.html'>我校举行第{i}届校园科技节开幕式</a><span>2024-0{i + 1}-12</span></li>"
        for i in range(4)
    )
    return (
        f"<html><head><meta charset='utf-8'><title>{TITLE} - 平原县实验中学</title></head><body>"
        f"<div id='nav'><a href='/'>学校首页</a><a href='/a/'>学校概况</a></div>"
        f"<div class='col-l'><div class='box-hd'>通知公告</div><ul>{widget}</ul></div>"
        f"<div id='content'><h2>{TITLE}</h2><div class='art-info'>{info}阅读：<span>9</span>次</div>"
        f"<div class='art-text'>{_paragraphs()}</div></div>"
        f"<div class='col-r'><div class='box-hd'>校园动态</div><ul>{widget}</ul></div></body></html>"
    ).encode()


def test_widget_dates_are_never_the_publish_date() -> None:
    notice = extract_notice(_school_page(""), "https://www.pysyzx.net/tzgg/5.html")
    assert notice.text.splitlines() == PARAGRAPHS
    assert notice.published is None


def test_a_side_column_with_a_paragraph_and_a_dated_list_stays_out() -> None:
    widget = "".join(
        f"<li><a href='/x/{i}.html'>我校举行第{i}届校园科技节开幕式</a> 2024-0{i + 1}-12</li>"
        for i in range(5)
    )
    page = (
        f"<html><head><meta charset='utf-8'><title>{TITLE}_某区教育局</title></head><body>"
        f"<div class='w'><div class='l'><h1>{TITLE}</h1><div>来源：安全科 阅读：5</div>"
        f"<div>{_paragraphs()}</div></div><div class='r'><h3>学校简介</h3>"
        "<p>某区第一中学始建于1956年，是一所历史悠久、文化底蕴深厚的省级示范性高中。</p>"
        f"<h3>最新动态</h3><ul>{widget}</ul></div></div></body></html>"
    )
    notice = extract_notice(page.encode(), "http://jyj.example.gov.cn/tzgg/8.html")
    assert notice.text.splitlines() == PARAGRAPHS
    assert notice.published is None


def test_a_link_list_between_body_and_promotion_stays_out() -> None:
    likes = "".join(
        f"<li><a href='/article-{i}-1.html'>揭阳市第{i}中学举行开学典礼暨表彰大会</a></li>"
        for i in range(4)
    )
    page = (
        f"<html><head><meta charset='utf-8'><title>{TITLE}</title></head><body><div>"
        f"<h1>{TITLE}</h1><p>蓝色河畔 2023-1-20 13:37</p>"
        f"<div><strong>摘要</strong>: {PARAGRAPHS[1][:40]} ...</div><div>{_paragraphs()}</div>"
        f"<div><b>猜你喜欢</b><ul>{likes}</ul></div>"
        "<div><p>感谢您关注揭阳市教育局官方微信，扫码获取最新动态、校园快讯和通知公告。</p></div>"
        "</div></body></html>"
    )
    notice = extract_notice(page.encode(), "http://www.jyedu.net/article-9-1.html")
    assert notice.text.splitlines() == PARAGRAPHS
    assert notice.published == date(2023, 1, 20)


def test_luokuan_date_yields_to_the_url_date() -> None:
    url = "http://jyj.fengqiu.gov.cn/zwgk/tzgg/2023-11/10/content_1014.html"
    notice = extract_notice(_school_page("发布者：安全科　"), url)
    assert notice.published == date(2023, 11, 10)


def test_general_path_can_be_forced_on_a_known_cms() -> None:
    page = (
        f"<html><head><meta charset='utf-8'><title>{TITLE}_某省教育厅</title></head><body>"
        f"<div class='nav'><a href='/'>首页</a></div><h1>{TITLE}</h1>"
        f"<div class='info'>发布时间：2023-11-10 来源：基础教育处</div>"
        f"<div class='TRS_Editor'>{_paragraphs()}</div></body></html>"
    ).encode()
    url = "https://jyt.example.gov.cn/tzgg/202311/t20231110_1.html"
    known = extract_notice(page, url)
    general = extract_notice(page, url, cms_containers=False)
    assert general.text == known.text and general.text.splitlines() == PARAGRAPHS
    assert general.published == known.published == date(2023, 11, 10)


def test_a_pipe_separated_link_row_goes_and_a_long_unbroken_paragraph_stays() -> None:
    """The link-row rule matches ``a | b | c |`` rows by token, so a long paragraph with no
    spaces or pipes is read once, not once per character (that was quadratic)."""
    long_paragraph = "各校要认真组织落实校园安全工作并及时报送有关材料。" * 4000
    lines = [*PARAGRAPHS[1:3], long_paragraph, "首页 | 机构设置 | 政务公开 | 办事服务 |"]
    assert clean_body(lines, TITLE) == [*PARAGRAPHS[1:3], long_paragraph]
