"""Finding a home page's notice columns, and telling a home page from a notice list."""

from __future__ import annotations

from monitor.demo.build import portal_site
from spiders.columns import choose_columns, find_columns, is_notice_list, is_site_root

HOME = "http://jyj.example.gov.cn/"

TRADITIONAL_HOME = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>彭城市教育局</title></head>
<body><div id="menu"><ul>
 <li><a href="/">首頁</a></li><li><a href="/jggk/">機構概況</a></li>
 <li><a href="/col/gzdt/">工作動態</a></li><li><a href="/col/zsks/">招生考試</a></li>
 <li><a href="/col/tzgg/">通知公告</a></li><li><a href="https://www.gov.cn/tzgg/">國務院通知公告</a></li>
</ul></div>
<div class="box"><div class="box-hd"><h3>公示公告</h3><a href="/col/gsgg/index.html">更多&gt;&gt;</a></div>
<ul><li><a href="/art/2024/5/2/art_12_881.html">關於2024年義務教育學校招生入學工作的通知</a><span>2024-05-02</span></li>
<li><a href="/art/2024/4/28/art_12_870.html">關於公布2024年市級優秀教學成果獎獲獎名單的通知</a><span>2024-04-28</span></li></ul></div>
<a href="/col/tzgg/">通知公告</a>
</body></html>"""


def test_columns_in_either_script_are_ranked_notices_first():
    columns = find_columns(TRADITIONAL_HOME, HOME)
    assert [(c.label, c.url) for c in columns] == [
        ("通知公告", HOME + "col/tzgg/"),  # linked twice, and notices rank first
        ("公示公告", HOME + "col/gsgg/index.html"),  # named by the block the 更多 link sits in
        ("招生考試", HOME + "col/zsks/"),
        ("工作動態", HOME + "col/gzdt/"),
    ]
    assert columns[0].links == 2 and columns[1].places == {"more"}
    # off-site columns and notice titles that mention 通知 are not columns
    assert not any("www.gov.cn" in c.url or "art_" in c.url for c in columns)


def test_columns_option_picks_by_name_in_either_script():
    columns = find_columns(TRADITIONAL_HOME, HOME)
    assert [c.label for c in choose_columns(columns)] == ["通知公告"]
    picked = choose_columns(columns, ("招生考试", "工作动态"))
    assert [c.url for c in picked] == [HOME + "col/zsks/", HOME + "col/gzdt/"]
    assert choose_columns(columns, ("人事信息",)) == []
    # a name outside the vocabulary is looked for when asked
    found = find_columns(TRADITIONAL_HOME, HOME, ("機構概況",))
    assert [c.url for c in found] == [HOME + "jggk/"]


def test_each_portal_layout_is_a_home_page_and_its_lists_are_lists():
    for layout in ("nav", "tabs", "block"):
        portal = portal_site(layout)
        _, _, body = portal.render("GET", "/")
        home = body.decode("utf-8")
        assert not is_notice_list(home, HOME), layout
        best = choose_columns(find_columns(home, HOME))
        assert [c.label for c in best] == ["通知公告"], layout
        column = portal.column_named("通知公告")
        _, _, listed = portal.render("GET", column.page_path(1))
        assert is_notice_list(listed.decode("utf-8"), HOME + column.page_path(1)[1:])


def test_a_front_door_that_pages_on_is_a_list():
    portal = portal_site("nav")
    _, _, listed = portal.render("GET", portal.column_named("通知公告").page_path(1))
    page = listed.decode("utf-8")
    assert is_notice_list(page, HOME)  # served at "/" but with a next page: a school's list
    assert not is_notice_list("<html><body><p>维护中</p></body></html>", HOME + "tzgg/")
    assert is_site_root(HOME + "index.html") and is_site_root("http://a.cn")
    assert not is_site_root(HOME + "col/tzgg/index.html")
