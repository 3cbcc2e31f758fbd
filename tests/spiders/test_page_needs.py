"""What a page without notice links needs: rendering, an API adapter, or nothing we know."""

from __future__ import annotations

from monitor.demo.build import trs_site
from monitor.demo.responses import challenge_page
from spiders.page_needs import page_needs

URL = "https://edu.example.gov.cn/col/tzgg/index.html"

GKMLPT_SHELL = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>政府信息公开</title>
<script>var NFCMS_SITE_ID = 2;</script></head><body><div id="app"></div>
<script src="/gkmlpt/static/js/manifest.js"></script>
<script>window.API_ROOT = '/gkmlpt/api/all/';</script></body></html>"""

SUDY_COLUMN = """<html><head><meta charset="utf-8"><title>公告通知</title></head><body>
<div id="wp_news_w6"><ul class="wp_article_list"></ul></div>
<script>$.ajax({url: "/_wp3services/generalQuery?queryObj=articles", type: "POST",
 data: {siteId: 414, columnId: 26263, pageIndex: 1, rows: 24}});</script></body></html>"""

HANWEB_EMPTY = """<html><head><meta charset="utf-8"></head><body>
<div id="396302"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=12&columnid=58320&unitid=396302"></a>]]></nextgroup>
<recordset></recordset></datastore></script></div></body></html>"""

ASPNET_LIST = """<form method="post" action="./NewsList.aspx?BCID=1&amp;CID=16" id="form1">
<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="/wEPDwUKLTk">
<div class="laylist"><ul><li><a href="NewsInfo.aspx?NewsID=5678" title="关于2024年普通高校招生考试报名工作的通知">关于2024年普通高校招生考试报名…</a></li></ul></div>
<div id="AspNetPager1"><a href="javascript:__doPostBack('AspNetPager1','2')">下一页</a></div></form>"""

DOCUMENT_WRITE = """<html><head><meta charset="utf-8"><title>通知公告</title></head><body>
<div class="NewsList"><ul><script>
var rows = [["./202311/t20231110_81234567.html", "关于做好秋季学期中小学安全工作的通知", "2023-11-10"]];
for (var i = 0; i < rows.length; i++) { document.write('<li><a href="' + rows[i][0] + '">' + rows[i][1] + '</a><span>' + rows[i][2] + '</span></li>'); }
</script></ul></div></body></html>"""

XHR_TABLE = """<html><head><meta charset="utf-8"><title>政策文件库</title></head><body>
<table id="zcwj"><thead><tr><th>标题</th><th>日期</th></tr></thead><tbody></tbody></table>
<script>fetch('/api/zcwj/list?pageNo=1&pageSize=15').then(r => r.json()).then(fill);</script></body></html>"""

SPA = """<div id="app"><div class="news-list" v-cloak><ul><li v-for="item in list">
<a :href="item.url">{{ item.title }}</a><span>{{ item.publishTime }}</span></li></ul></div></div>
<script src="/static/js/app.4d5e6f.js"></script>"""


def test_a_challenge_needs_a_render():
    need = page_needs(412, challenge_page("demo"), URL)
    assert need is not None and need.kind == "challenge"
    assert need.hint.endswith('set render = "challenge"') and "412" in need.hint


def test_api_endpoints_in_the_scripts_name_their_adapter():
    assert page_needs(200, GKMLPT_SHELL, URL).setting == 'list_api = "gkmlpt"'  # type: ignore[union-attr]
    gkmlpt_url = page_needs(200, "<html><body></body></html>", "https://a.gov.cn/gkmlpt/index")
    assert (
        gkmlpt_url is not None
        and gkmlpt_url.hint == 'looks like a gkmlpt API: set list_api = "gkmlpt"'
    )
    assert page_needs(200, SUDY_COLUMN, URL).setting == 'list_api = "sudy"'  # type: ignore[union-attr]
    assert page_needs(200, HANWEB_EMPTY, URL).setting == 'list_api = "hanweb"'  # type: ignore[union-attr]


def test_a_postback_pager_is_told_even_when_the_first_page_has_links():
    need = page_needs(200, ASPNET_LIST, URL, has_list=True)
    assert need is not None and need.kind == "api" and need.automatic
    assert need.hint == (
        'the list is read through its aspnet API: handled automatically (list_api = "aspnet" forces it)'
    )


def test_script_built_lists_need_a_browser():
    for page, reason in (
        (DOCUMENT_WRITE, "the list is written by document.write"),
        (XHR_TABLE, "the list is built by script"),
        (SPA, "the list is built by script"),
    ):
        need = page_needs(200, page, URL)
        assert need is not None and need.hint == f'{reason}: set render = "browser"'


def test_plain_pages_need_nothing():
    site = trs_site()  # its pager is written by document.write, but not its rows
    _, _, body = site.render("GET", site.page_path(1))
    assert page_needs(200, body.decode("gbk"), URL, has_list=True) is None
    assert page_needs(200, body.decode("gbk"), URL) is None
    assert page_needs(200, "<html><body><p>暂无内容</p></body></html>", URL) is None
