"""EmpireCMS 7.5 (帝国CMS, UTF-8 edition) city-bureau site, static pages from its default templates.

Static ``.html`` files served as ``text/html`` with no charset in the HTTP header (the
page's ``<meta>`` says UTF-8); table layout; the list paged by EmpireCMS's
``index_N.html`` pager; the body in the default template's ``td#text``.
"""

from __future__ import annotations

import hashlib
import re

from monitor.demo.markup import XHTML, body_paragraphs, esc, ymd, ymd_hms
from monitor.demo.model import MockNotice
from monitor.demo.site import MockSite, Route

CLASS_ID = 12
COLUMN_DIR = "/news/tzgg/"
_PAGE = re.compile(r"^/news/tzgg/(?:index(?:_(\d+))?\.html)?$")
_DETAIL = re.compile(r"^/news/tzgg/(\d{4})-(\d{2})-(\d{2})/(\d+)\.html$")
_FILE = re.compile(r"^/d/file/news/tzgg/\d{4}-\d{2}-\d{2}/(\w+\.\w+)$")


class EmpireSite(MockSite):
    """List ``/news/tzgg/`` (+ ``index_N.html``), detail ``/news/tzgg/YYYY-MM-DD/<id>.html``."""

    style = "empire"
    list_path = COLUMN_DIR
    charset_meta = '<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />'
    first_id = 2318
    default_per_page = 4
    title_limit = 24
    file_pattern = _FILE

    def id_step(self, notice_id: int) -> int:
        return 1 + notice_id % 5

    def route(self, path: str, query: dict[str, str]) -> Route | None:
        if match := _PAGE.match(path):
            page = int(match.group(1) or 1)
            return Route("list", page) if page != 1 or not match.group(1) else None
        if match := _DETAIL.match(path):
            year, month, day, notice_id = match.groups()
            return self.dated_detail(notice_id, year + month + day)
        return self.file_route(path)

    def page_path(self, page: int) -> str:
        return COLUMN_DIR + ("index.html" if page == 1 else f"index_{page}.html")

    def notice_path(self, notice: MockNotice) -> str:
        return f"{COLUMN_DIR}{notice.published:%Y-%m-%d}/{notice.id}.html"

    def attachment_filename(self, notice: MockNotice, index: int, suffix: str) -> str:
        digest = hashlib.md5(f"{self.source_id}:{notice.id}:{index}".encode()).hexdigest()
        return f"{digest}.{suffix}"

    def _file_href(self, notice: MockNotice, filename: str) -> str:
        return f"/d/file{COLUMN_DIR}{notice.published:%Y-%m-%d}/{filename}"

    # ---------------------------------------------------------------- pages
    def _page(self, title: str, trail: str, main: str) -> str:
        nav = "".join(
            f'<li><a href="{href}">{label}</a></li>'
            for href, label in (
                ("/", "首页"),
                ("/news/jyyw/", "教育要闻"),
                (COLUMN_DIR, "通知公告"),
                ("/zwgk/", "政务公开"),
                ("/bsfw/", "办事服务"),
            )
        )
        return (
            f'{XHTML}\n<html xmlns="http://www.w3.org/1999/xhtml">\n<head>\n{self.charset_meta}\n'
            f"<title>{esc(title)}</title>\n"
            f'<meta name="keywords" content="{esc(self.name)},{esc(self.column)}" />\n'
            '<link href="/skin/default/css/style.css" rel="stylesheet" type="text/css" />\n'
            '<script type="text/javascript" src="/skin/default/js/tabs.js"></script>\n'
            '<script type="text/javascript" src="/e/data/js/ajax.js"></script>\n</head>\n<body>\n'
            '<table width="960" border="0" align="center" cellpadding="0" cellspacing="0" class="nav">'
            f'<tr><td class="nav_global"><span id="logo"><a href="/"><img src="/skin/default/images/logo.gif" alt="{esc(self.name)}" /></a></span>'
            f"<ul>{nav}</ul></td></tr></table>\n"
            '<table width="960" border="0" align="center" cellspacing="0" cellpadding="0" class="position">'
            f'<tr><td>您当前的位置：<a href="/">首页</a>&nbsp;>&nbsp;<a href="{COLUMN_DIR}">{esc(self.column)}</a>{trail}</td></tr></table>\n'
            f"{main}\n"
            '<table width="960" border="0" align="center" cellpadding="0" cellspacing="0"><tr><td class="search">'
            '<form action="/e/search/index.php" method="post" name="searchform" id="searchform"><strong>站内搜索：</strong>'
            '<input name="keyboard" type="text" size="32" id="keyboard" /><input type="hidden" name="show" value="title" />'
            '<input type="hidden" name="tempid" value="1" /><input type="submit" value="搜索" /></form></td></tr>\n'
            f'<tr><td class="copyright">主办：{esc(self.name)}　地址：淇滨大道168号　邮编：458030<br />'
            f"豫ICP备08003456号　版权所有 © 2010-2024 {esc(self.name)}</td></tr></table>\n"
            "</body>\n</html>\n"
        )

    def render_list(self, page: int, rows: list[MockNotice], pages: int) -> str:
        items = "\n".join(
            f'<li><span>{ymd(n.published)}</span><a href="{self.notice_path(n)}" target="_blank" '
            f'title="{esc(n.title)}">{esc(self.list_title(n))}</a></li>'
            for n in rows
        )
        main = (
            '<table width="960" border="0" align="center" cellspacing="0" cellpadding="0" class="box">'
            f'<tr><td class="title_main">{esc(self.column)}</td></tr>\n'
            f'<tr><td><ul class="list">\n{items}\n</ul></td></tr></table>\n'
            '<table width="960" border="0" align="center" cellspacing="0" cellpadding="0" class="list_page">'
            f'<tr><td><div class="page">{self._pager(page, pages)}</div></td></tr></table>'
        )
        return self._page(f"{self.column}_{self.name}", "", main)

    def _pager(self, page: int, pages: int) -> str:
        """EmpireCMS's list pager: record count, 首页/上一页, page numbers, 下一页/尾页."""
        parts = [f'<a title="Total record">&nbsp;<b>{len(self.notices)}</b> </a>&nbsp;&nbsp;']
        if page > 1:
            parts.append(f'<a href="{self.page_path(1)}">首页</a>&nbsp;')
            parts.append(f'<a href="{self.page_path(page - 1)}">上一页</a>')
        parts += [
            f"&nbsp;<b>{number}</b>"
            if number == page
            else f'&nbsp;<a href="{self.page_path(number)}">{number}</a>'
            for number in range(1, pages + 1)
        ]
        if page < pages:
            parts.append(f'&nbsp;<a href="{self.page_path(page + 1)}">下一页</a>')
            parts.append(f'&nbsp;<a href="{self.page_path(pages)}">尾页</a>')
        return "".join(parts)

    def render_detail(self, notice: MockNotice) -> str:
        newer, older = self.neighbours(notice)

        def sibling(other: MockNotice | None) -> str:
            if other is None:
                return "没有了"
            return f'<a href="{self.notice_path(other)}">{esc(other.title)}</a>'

        files = "<br />".join(
            f'<a href="{self._file_href(notice, filename)}" target="_blank">{esc(name)}</a>'
            for name, filename in notice.attachments
        )
        related = "".join(
            f'<li><a href="{self.notice_path(other)}" title="{esc(other.title)}">{esc(self.list_title(other))}</a></li>'
            for other in self.other_notices(notice, 5)
        )
        clicks = f"/e/public/ViewClick/?classid={CLASS_ID}&id={notice.id}&addclick=1"
        main = (
            '<table width="960" border="0" align="center" cellspacing="0" cellpadding="0" class="box"><tr><td>\n'
            '<table width="100%" border="0" cellpadding="0" cellspacing="0" class="title_info">'
            f"<tr><td><h1>{esc(notice.title)}</h1></td></tr>\n"
            f'<tr><td class="info_text">{self.dated(f"时间：{ymd_hms(notice.published)}&nbsp;&nbsp;")}'
            f"来源：{esc(notice.issuer or self.name)}&nbsp;&nbsp;作者：{esc(notice.author or 'admin')}&nbsp;&nbsp;"
            f"点击：<script src={clicks}></script>次</td></tr></table>\n"
            '<table width="100%" border="0" cellspacing="0" cellpadding="0"><tr><td id="text">\n'
            + body_paragraphs(notice, attrs=' style="text-indent: 2em;"')
            + (f"\n<p>附件：{files}</p>" if files else "")
            + '\n<p align="center" class="pageLink"></p></td></tr></table>\n'
            f'<table width="100%" class="info_pre_next"><tr><td>上一篇：{sibling(newer)}<br />下一篇：{sibling(older)}</td></tr></table>\n'
            "</td></tr></table>\n"
            '<table width="960" border="0" align="center" cellspacing="0" cellpadding="0" class="box">'
            f'<tr><td class="title_main">相关信息</td></tr><tr><td><ul class="list_text">{related}</ul></td></tr></table>'
        )
        trail = "&nbsp;>&nbsp;正文"
        return self._page(f"{notice.title}_{self.name}", trail, main)
