"""TRS WCM static publishing (拓尔思), the usual 教育局/教育厅 site, served in GBK."""

from __future__ import annotations

import re
from datetime import datetime

from monitor.demo.markup import XHTML, body_paragraphs, esc, meta_tags, shorten, ymd
from monitor.demo.model import MockNotice
from monitor.demo.site import MockSite, Route

COLUMN_DIR = "/col/tzgg/"
_PAGE = re.compile(r"^/col/tzgg/(?:index(?:_(\d+))?\.html)?$")
_DETAIL = re.compile(r"^/col/tzgg/(\d{6})/t(\d{8})_(\d+)\.html$")
_FILE = re.compile(r"^/col/tzgg/\d{6}/(P0\d+\.\w+)$")
_PAGER_JS = (
    "<script>function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){"
    "if(_nPageCount == null || _nPageCount<=1){return;}"
    "var s='共'+_nPageCount+'页 ';for(var i=0;i<_nPageCount;i++){"
    "var n=(i==0)?_sPageName+'.'+_sPageExt:_sPageName+'_'+i+'.'+_sPageExt;"
    "s+=(i==_nCurrIndex)?'<span>'+(i+1)+'</span> ':\"<a href='\"+n+\"'>\"+(i+1)+'</a> ';}"
    "document.write(s);}</script>"
)
# A row that points to another government site and a row that is a file.
OFFSITE_ROW = (
    "http://www.moe.gov.cn/srcsite/A06/s3321/202311/t20231106_1089012.html",
    "教育部关于进一步加强中小学生睡眠管理工作的通知",
    datetime(2023, 11, 6),
)
PDF_ROW = ("P020231103512345678901.pdf", "2023年市级示范性普通高中名单", datetime(2023, 11, 3))


class TrsSite(MockSite):
    """List ``/col/tzgg/index.html`` (+ ``index_N.html``), detail ``./YYYYMM/tYYYYMMDD_<id>.html``."""

    style = "trs"
    list_path = COLUMN_DIR + "index.html"
    encoding = "gbk"
    charset_label = "gb2312"
    charset_meta = '<meta http-equiv=Content-Type content="text/html; charset=gb2312">'
    first_id = 81234500
    default_per_page = 6
    title_limit = 24
    file_pattern = _FILE

    def __init__(self, name: str, **options) -> None:
        super().__init__(name, **options)
        self.extra_files[PDF_ROW[0]] = PDF_ROW[1] + ".pdf"

    def id_step(self, notice_id: int) -> int:
        return 7 + notice_id % 31

    # ---------------------------------------------------------------- URLs
    def route(self, path: str, query: dict[str, str]) -> Route | None:
        if match := _PAGE.match(path):
            return Route("list", int(match.group(1) or 0) + 1)
        if match := _DETAIL.match(path):
            month, day, notice_id = match.groups()
            notice = self._notices.get(int(notice_id))
            if notice and notice.published.strftime("%Y%m%d") == day and day.startswith(month):
                return Route("detail", notice.id)
            return None
        return self.file_route(path)

    def page_path(self, page: int) -> str:
        return COLUMN_DIR + ("index.html" if page == 1 else f"index_{page - 1}.html")

    def _relative(self, notice: MockNotice) -> str:
        return f"./{notice.published:%Y%m}/t{notice.published:%Y%m%d}_{notice.id}.html"

    def notice_path(self, notice: MockNotice) -> str:
        return COLUMN_DIR + self._relative(notice)[2:]

    def attachment_filename(self, notice: MockNotice, index: int, suffix: str) -> str:
        stamp = notice.published.strftime("%Y%m%d%H%M%S")
        return f"P0{stamp}{(notice.id * 7 + index) % 10**7:07d}.{suffix}"

    # ---------------------------------------------------------------- pages
    def _chrome(self, title: str, head: str, main: str, trail: str) -> str:
        return (
            f"{XHTML}\n"
            f'<html xmlns="http://www.w3.org/1999/xhtml">\n<head>\n{self.charset_meta}\n'
            f"<title>{esc(title)}</title>\n{head}\n"
            '<link href="/images/style.css" rel="stylesheet" type="text/css">\n</head>\n<body>\n'
            f'<div class="header"><div class="logo"><img src="/images/logo.png" alt="{esc(self.name)}"></div>'
            '<div class="nav"><a href="/">首页</a><a href="/col/jyyw/">教育要闻</a>'
            '<a href="/col/zwgk/">政务公开</a><a href="/col/tzgg/">通知公告</a><a href="/col/bsfw/">办事服务</a>'
            '<a href="/gate/big5/">繁体</a></div></div>\n'
            f'<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/col/zwgk/">政务公开</a> &gt; {trail}</div>\n'
            f"{main}\n"
            f'<div class="footer"><p>主办：{esc(self.name)}　承办：{esc(self.name)}信息中心　'
            "地址：人民路88号　邮编：453000</p>"
            "<p>网站标识码：4107000012　豫ICP备05012345号-1　豫公网安备 41070202000123号</p>"
            f"<p>版权所有 © 2014-2024 {esc(self.name)}</p></div>\n</body>\n</html>\n"
        )

    def _list_row(self, notice: MockNotice) -> str:
        flag = '<img src="/images/top.gif" alt="置顶"> ' if notice.pinned else ""
        return (
            f'<li>{flag}<a href="{self._relative(notice)}" target="_blank" title="{esc(notice.title)}">'
            f"{esc(self.list_title(notice))}</a><span>{ymd(notice.published)}</span></li>"
        )

    def render_list(self, page: int, rows: list[MockNotice], pages: int) -> str:
        items = [self._list_row(n) for n in rows]
        if page == 1:
            href, title, when = OFFSITE_ROW
            items.insert(
                min(2, len(items)),
                f'<li><a href="{href}" target="_blank" title="{esc(title)}">{esc(title)}</a><span>{ymd(when)}</span></li>',
            )
            name, title, when = PDF_ROW
            items.insert(
                min(4, len(items)),
                f'<li><a href="./{when:%Y%m}/{name}" target="_blank" title="{esc(title)}">{esc(title)}</a><span>{ymd(when)}</span></li>',
            )
        rows_html: list[str] = []
        for index, item in enumerate(items, 1):
            rows_html.append(item)
            if index % 5 == 0 and index < len(items):
                rows_html.append('<li class="b"></li>')
        head = (
            meta_tags({"SiteName": self.name, "ColumnName": self.column, "ColumnType": self.column})
            + "\n"
            + _PAGER_JS
        )
        main = (
            f'<div class="main"><div class="list-title">{esc(self.column)}</div>'
            '<div class="NewsList"><ul>\n' + "\n".join(rows_html) + "\n</ul></div>\n"
            f'<div class="page"><script>createPageHTML({pages}, {page - 1}, "index", "html");</script></div></div>'
        )
        return self._chrome(f"{self.column}_{self.name}", head, main, esc(self.column))

    def render_detail(self, notice: MockNotice) -> str:
        head = self.article_meta(notice, Keywords=notice.title[:10])
        doc = f'<div class="wh">{esc(notice.doc_number)}</div>' if notice.doc_number else ""
        files = ""
        if notice.attachments:
            links = "<br>\n".join(
                f'<a href="./{filename}" target="_blank">{index}.{esc(name)}</a>'
                for index, (name, filename) in enumerate(notice.attachments, 1)
            )
            files = f'<div class="fj">附件：<br>\n{links}</div>'
        related = "\n".join(
            f'<li><a href="../{o.published:%Y%m}/t{o.published:%Y%m%d}_{o.id}.html" title="{esc(o.title)}">'
            f"{esc(shorten(o.title, 20))}</a><span>{ymd(o.published)}</span></li>"
            for o in self.other_notices(notice, 4)
        )
        main = (
            f'<div class="article"><h1>{esc(notice.title)}</h1>{doc}\n'
            f'<div class="info">{self.dated(f"发布时间：{ymd(notice.published)}　")}来源：{esc(notice.issuer or self.name)}　'
            '【字号：<a href="javascript:doZoom(18)">大</a> <a href="javascript:doZoom(16)">中</a> '
            '<a href="javascript:doZoom(14)">小</a>】 <a href="javascript:window.print()">打印</a> '
            '<a href="javascript:window.close()">关闭</a></div>\n'
            '<div class="TRS_Editor"><style type="text/css">.TRS_Editor P{margin-top:5px;margin-bottom:5px;'
            "line-height:2;font-family:宋体;font-size:12pt;}</style>\n"
            + body_paragraphs(notice, attrs=' style="text-indent: 2em;"')
            + f"\n</div>\n{files}</div>\n"
            f'<div class="xgwz"><h3>相关文章</h3><ul>\n{related}\n</ul></div>'
        )
        trail = f'<a href="../">{esc(self.column)}</a>'
        return self._chrome(f"{notice.title}_{self.name}", head, main, trail)
