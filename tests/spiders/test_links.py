"""Link discovery on list pages in the CMS styles met on these sites, and pagination."""

import spiders.links
from spiders.links import discover_links, find_links
from spiders.pagination import next_page_url

TRS_LIST = """<html><head><meta charset="utf-8"><title>通知公告_某省教育厅</title></head><body>
<div class="header"><a href="/">首页</a><a href="/zwgk/">政务公开</a><a href="/gate/big5/jyt.example.gov.cn/">繁体</a></div>
<div class="position">当前位置：<a href="../../">首页</a> &gt; <a href="../">政务公开</a> &gt; 通知公告</div>
<div class="NewsList"><ul>
  <li><a href="./202311/t20231110_81234567.html" title="关于做好2023年秋季学期中小学安全工作的通知">关于做好2023年秋季学期中小学安全工作的...</a><span>2023-11-10</span></li>
  <li class="b"></li>
  <li><a href="./202311/t20231108_81234500.html" title="关于公布2023年省级优秀教学成果奖的通知">关于公布2023年省级优秀教学成果奖的通知</a><span>2023-11-08</span></li>
  <li><a href="http://www.moe.gov.cn/srcsite/A06/s3321/202311/t20231106_1089012.html" title="转发教育部关于加强中小学作业管理的通知">转发教育部关于加强中小学作业管理的通知</a><span>2023-11-06</span></li>
  <li><a href="./202311/P020231103512345678901.pdf" title="2023年省级示范高中名单">2023年省级示范高中名单</a><span>2023-11-03</span></li>
</ul></div>
<div class="page"><script>createPageHTML(37, 0, "index", "html");</script></div>
<div class="links"><a href="http://www.gov.cn/">中国政府网欢迎您访问</a><a href="/about/contact.html">联系我们</a></div>
<div class="footer">主办：某省教育厅　网站标识码：5200000012　<a href="https://beian.miit.gov.cn/">黔ICP备05000123号</a></div>
</body></html>"""

VSB_PAGED_LIST = """<html><body><div class="nav"><a href="../index.htm">首页</a><a href="../tzgg.htm">通知公告</a></div>
<div class="list"><ul>
 <li id="line_u8_0"><a href="../info/1011/5946.htm" title="关于2023-2024学年第一学期期末考试安排的通知">关于2023-2024学年第一学期期末考试安排的通知</a><span>2023年11月10日</span></li>
 <li id="line_u8_1"><a href="../info/1011/5945.htm" title="经管学院考试安排">经管学院考试安排</a><span>2023年11月09日</span></li>
</ul></div>
<span class="p_next p_fun"><a href="9.htm">下页</a></span><span class="p_last p_fun"><a href="1.htm">尾页</a></span>
</body></html>"""

HANWEB_LIST = """<html><head><meta charset="utf-8"><title>通知公告 - 某市教育局</title></head><body>
<div class="bt-position">您当前的位置：<a href="/">首页</a> &gt; 通知公告</div>
<div id="396302"><script type="text/xml"><datastore><recordset>
 <record><![CDATA[<li class="cf"><a href="/art/2023/11/10/art_58320_11045678.html" title="关于2023年义务教育学校招生入学工作的通知">关于2023年义务教育学校招生入学工作的通知</a><span class="fr">2023-11-10</span></li>]]></record>
 <record><![CDATA[<li class="cf"><a href="/art/2023/11/8/art_58320_11044012.html" title="关于开展中小学教师继续教育培训的通知">关于开展中小学教师继续教育培训的通知</a><span class="fr">2023- 11- 08</span></li>]]></record>
 <record><![CDATA[ <li><font> · </font><span>（无链接记录）</span></li> ]]></record>
</recordset></datastore></script></div></body></html>"""

TABLE_LIST = """<html><body><table><tr><td><a href="/">首页</a></td><td><a href="/news/">新闻中心</a></td></tr></table>
<table class="list">
<tr><td class="t"><a href="NewsInfo.aspx?NewsID=5678" title="关于2024年普通高校招生考试报名工作的通知">关于2024年普通高校招生考试报名…</a></td><td>2023-11-10</td></tr>
<tr><td class="t"><a href="NewsInfo.aspx?NewsID=5677">2024年艺术类专业统考说明</a></td><td>2023-11-09</td></tr>
<tr><td class="t"><a href="NewsInfo.aspx?NewsID=5676;jsessionid=ABC123#top">2024年体育专业统考报名须知</a></td><td>2023-11-08</td></tr>
</table><div><a href="NewsList.aspx?page=2">下一页</a></div></body></html>"""


def titles(entries):
    return [e.title for e in entries]


def test_trs_list_keeps_notices_and_files_and_drops_navigation_and_off_site():
    entries = discover_links(TRS_LIST, "http://jyt.example.gov.cn/zwgk/tzgg/index.html")
    assert (
        titles(entries)
        == [
            "关于做好2023年秋季学期中小学安全工作的通知",  # full title from @title, not the truncated text
            "关于公布2023年省级优秀教学成果奖的通知",
            "2023年省级示范高中名单",
        ]
    )
    assert entries[0].url == "http://jyt.example.gov.cn/zwgk/tzgg/202311/t20231110_81234567.html"
    assert entries[0].date_text == "2023-11-10"
    assert [e.is_file for e in entries] == [False, False, True]


def test_relative_links_on_paged_vsb_list_resolve_against_the_page():
    entries = discover_links(VSB_PAGED_LIST, "http://jwc.example.edu.cn/tzgg/10.htm")
    assert [e.url for e in entries] == [
        "http://jwc.example.edu.cn/info/1011/5946.htm",
        "http://jwc.example.edu.cn/info/1011/5945.htm",
    ]
    assert entries[1].date_text == "2023年11月09日"


def test_hanweb_rows_inside_the_xml_island_are_found():
    entries = discover_links(HANWEB_LIST, "http://jyj.example.gov.cn/col/col58320/index.html")
    assert [e.url for e in entries] == [
        "http://jyj.example.gov.cn/art/2023/11/10/art_58320_11045678.html",
        "http://jyj.example.gov.cn/art/2023/11/8/art_58320_11044012.html",
    ]
    assert entries[1].date_text == "2023- 11- 08"


def test_table_rows_with_dates_in_a_sibling_cell_and_canonical_urls():
    entries = discover_links(TABLE_LIST, "http://www.example.cn/NewsList.aspx")
    assert len(entries) == 3
    assert entries[0].title == "关于2024年普通高校招生考试报名工作的通知"
    assert entries[2].url == "http://www.example.cn/NewsInfo.aspx?NewsID=5676"
    assert [e.date_text for e in entries] == ["2023-11-10", "2023-11-09", "2023-11-08"]


def test_link_selector_overrides_discovery_css_and_xpath():
    css = find_links(TRS_LIST, "http://jyt.example.gov.cn/zwgk/tzgg/", ".links a")
    assert titles(css) == ["联系我们"]  # selected links stay on the site …
    offsite = find_links(TRS_LIST, "http://jyt.example.gov.cn/zwgk/tzgg/", ".links a", True)
    assert titles(offsite) == ["中国政府网欢迎您访问", "联系我们"]  # … unless allow_offsite
    xpath = find_links(
        TRS_LIST, "http://jyt.example.gov.cn/zwgk/tzgg/", "//div[@class='NewsList']//li[span]"
    )
    assert len(xpath) == 3 and xpath[0].date_text == "2023-11-10"  # not the moe.gov.cn repost


def test_invalid_selector_is_a_clear_error():
    import pytest

    with pytest.raises(ValueError, match="link_selector"):
        find_links(TRS_LIST, "http://x.cn/", "div[[")


def test_a_page_without_a_list_yields_nothing():
    assert (
        discover_links(
            "<html><body><p>系统维护中，请稍后访问。</p><a href='/'>首页</a></body></html>",
            "http://x.cn/",
        )
        == []
    )


def test_pagination_styles():
    base = "http://jyt.example.gov.cn/zwgk/tzgg/index.html"
    assert next_page_url(TRS_LIST, base) == "http://jyt.example.gov.cn/zwgk/tzgg/index_1.html"
    last = TRS_LIST.replace("createPageHTML(37, 0,", "createPageHTML(37, 36,")
    assert next_page_url(last, "http://jyt.example.gov.cn/zwgk/tzgg/index_36.html") is None
    assert (
        next_page_url(VSB_PAGED_LIST, "http://jwc.example.edu.cn/tzgg/10.htm")
        == "http://jwc.example.edu.cn/tzgg/9.htm"
    )
    assert (
        next_page_url(TABLE_LIST, "http://www.example.cn/NewsList.aspx")
        == "http://www.example.cn/NewsList.aspx?page=2"
    )
    dede = '<ul class="pagelist"><li><a href="list_5_2.html">2</a></li><li><a href="list_5_2.html">下一页</a></li></ul>'
    assert (
        next_page_url(dede, "http://www.example.cn/a/tzgg/")
        == "http://www.example.cn/a/tzgg/list_5_2.html"
    )


def test_pinned_and_new_markers_are_not_part_of_the_title():
    page = """<ul class="list">
    <li><a href="a1.htm">[置顶]关于2022年秋季开学报到的通知</a><span>2022-08-20</span></li>
    <li><a href="a2.htm">【最新】关于2024年寒假放假安排的通知</a><span>2024-01-10</span></li>
    <li><a href="a3.htm">关于开展期末教学检查的通知</a><span>2023-12-20</span></li></ul>"""
    entries = discover_links(page, "http://jwc.example.edu.cn/tzgg.htm")
    assert titles(entries) == [
        "关于2022年秋季开学报到的通知",
        "关于2024年寒假放假安排的通知",
        "关于开展期末教学检查的通知",
    ]


def test_discovery_judges_each_link_a_bounded_number_of_times(monkeypatch):
    """Finding each link's row must not look at the whole list again (that was quadratic)."""
    judged = []
    looks_like_title = spiders.links._looks_like_title

    def counting(title: str, *limits: int) -> bool:
        judged.append(title)
        return looks_like_title(title, *limits)

    monkeypatch.setattr(spiders.links, "_looks_like_title", counting)
    rows = "".join(
        f'<li><a href="/tzgg/{n}.html">关于做好校园安全工作的通知第{n}号</a><span>2024-03-01</span></li>'
        for n in range(2000)
    )
    found = discover_links(f"<ul class='list'>{rows}</ul>", "http://jyj.example.cn/tzgg/")
    assert len(found) == 2000
    assert len(judged) <= 3 * 2000, f"{len(judged)} title checks for 2,000 links"


# Real list pages (tests/realpages; skipped with "REAL PAGES MISSING" when not rebuilt).


def _real_list(page_id: str):
    from spiders.encoding import decode_html
    from tests.realpages import list_page, require_pages

    require_pages()
    page = list_page(page_id)
    html, _ = decode_html(page.raw, None)
    return page, html


def test_real_card_list_beats_the_mega_menu():
    """Whole-card links (date, heading and summary inside one <a>) on a VSB school site
    win over the site's two-level navigation menu; one-character titles (雨) count."""
    page, html = _real_list("sz1cz-list-jyky-xsjz")
    found = discover_links(html, page.entry.url)
    assert [e.url for e in found] == list(page.links)
    assert "雨" in titles(found)
    assert all(e.date_text for e in found)


def test_real_single_notice_columns_are_found_beside_longer_ones():
    """A column overview: columns of one notice each belong to the same list."""
    page, html = _real_list("sz1cz-list-djzc-ghzj")
    found = discover_links(html, page.entry.url)
    assert sorted(e.url for e in found) == sorted(page.links)
    assert "苏州市第一初级中学第八届工会委员名单" in titles(found)


def test_real_short_dated_titles_are_notices():
    page, html = _real_list("nuc-cst-list-xzzq-3")
    found = discover_links(html, page.entry.url)
    assert {"在校证明", "学籍证明"} <= set(titles(found))
    assert [e.url for e in found] == list(page.links)


def test_a_tag_cloud_of_short_anchors_never_beats_a_dated_list():
    """A real VSB list page with a 10,000-link tag cloud of short undated anchors added
    (the layout users reported): the ten dated notices still win."""
    page, html = _real_list("nuc-cst-list-xwzx-tzgg")
    cloud = "".join(f'<a href="/tag/{n}.htm">标签词{n}</a> ' for n in range(10_000))
    html = html.replace("</body>", f'<div class="tags">{cloud}</div></body>')
    found = discover_links(html, page.entry.url)
    assert [e.url for e in found] == list(page.links)


def test_college_hosts_and_www_of_one_university_are_one_site():
    rows = (
        '<li><a href="http://www.nuc.edu.cn/info/1013/53873.htm">关于2021年春季学期开学安排的通知</a>'
        "<span>2021-02-20</span></li>"
        '<li><a href="/info/1039/5248.htm">关于2021年春季国家助学金审核发放工作结果公示</a>'
        "<span>2021-03-25</span></li>"
        '<li><a href="http://nuc.edu.cn.example.org/x.htm">关于开展2021年春季学期教学检查的通知</a>'
        "<span>2021-03-01</span></li>"
    )
    found = discover_links(f"<ul>{rows}</ul>", "http://cst.nuc.edu.cn/xwzx/tzgg.htm")
    assert [e.url for e in found] == [
        "http://www.nuc.edu.cn/info/1013/53873.htm",
        "http://cst.nuc.edu.cn/info/1039/5248.htm",
    ]


def test_real_numbered_rows_with_title_and_summary_links_are_one_list():
    """Sudy WebPlus rows: li.news.n1, li.news.n2 … each with the title, the date and a
    summary linking to the same notice; a dated sidebar box must not win."""
    page, html = _real_list("fudan-cs-list-24257-list")
    found = discover_links(html, page.entry.url)
    assert [e.url for e in found] == list(page.links)
    assert all(e.date_text for e in found)


def test_real_sidebar_columns_are_not_the_single_notice_list():
    """Column nav (div.nei1b) beside a list showing one notice (div.nei2b; the rest of
    its rows are commented out): only the notice is found."""
    page, html = _real_list("henu-rsc-list-bsh-tzgg")
    found = discover_links(html, page.entry.url)
    assert (
        [e.url for e in found] == list(page.links) == ["https://rsc.henu.edu.cn/info/1031/3084.htm"]
    )


def test_registrable_site_keeps_ports_addresses_and_public_suffixes_apart():
    from spiders.urls import registrable_site

    assert registrable_site("http://cst.nuc.edu.cn/x") == registrable_site(
        "https://www.nuc.edu.cn/"
    )
    assert registrable_site("http://jyj.xinxiang.gov.cn/") == "xinxiang.gov.cn"
    assert registrable_site("http://nuc.edu.cn.example.org/") == "example.org"
    assert registrable_site("http://127.0.0.1:8001/") != registrable_site("http://127.0.0.1:8002/")
    assert registrable_site("http://10.1.2.3/") == "10.1.2.3"
