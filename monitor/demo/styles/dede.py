"""DedeCMS county school site in GBK with an upper-case, unquoted META charset."""

from __future__ import annotations

import re

from monitor.demo.markup import XHTML, body_paragraphs, esc, ymd, ymd_hm
from monitor.demo.model import MockNotice
from monitor.demo.site import MockSite, Route

TYPE_ID = 5
COLUMN_DIR = "/a/tzgg/"
_PAGE = re.compile(rf"^/a/tzgg/(?:index\.html|list_{TYPE_ID}_(\d+)\.html)?$")
_DETAIL = re.compile(r"^/a/tzgg/(\d{8})/(\d+)\.html$")
_FILE = re.compile(r"^/uploads/soft/\d{6}/([\w-]+\.\w+)$")


class DedeSite(MockSite):
    """List ``/a/tzgg/`` (+ ``list_5_N.html``), detail ``/a/tzgg/YYYYMMDD/<id>.html``."""

    style = "dede"
    list_path = COLUMN_DIR
    encoding = "gbk"
    charset_label = "gb2312"
    charset_meta = '<META http-equiv=Content-Type content="text/html; charset=gb2312">'
    first_id = 1201
    default_per_page = 5
    title_limit = 18
    file_pattern = _FILE

    def route(self, path: str, query: dict[str, str]) -> Route | None:
        if match := _PAGE.match(path):
            return Route("list", int(match.group(1) or 1))
        if match := _DETAIL.match(path):
            return self.dated_detail(match.group(2), match.group(1))
        return self.file_route(path)

    def page_path(self, page: int) -> str:
        return COLUMN_DIR + (f"list_{TYPE_ID}_{page}.html" if page > 1 else "")

    def notice_path(self, notice: MockNotice) -> str:
        return f"{COLUMN_DIR}{notice.published:%Y%m%d}/{notice.id}.html"

    def attachment_filename(self, notice: MockNotice, index: int, suffix: str) -> str:
        return f"1-{notice.published:%y%m%d%H%M}{index}{notice.id % 100:02d}.{suffix}"

    # ---------------------------------------------------------------- pages
    def _page(self, title: str, main: str) -> str:
        nav = " | ".join(
            f'<a href="{href}">{label}</a>'
            for href, label in (
                ("/", "首页"),
                ("/a/xxgk/", "学校概况"),
                (COLUMN_DIR, "通知公告"),
                ("/a/jxky/", "教学科研"),
                ("/a/dyzl/", "德育之窗"),
            )
        )
        return (
            f"{XHTML}\n<html>\n<head>\n{self.charset_meta}\n<title>{esc(title)}</title>\n"
            f'<meta name="keywords" content="{esc(self.name)}">\n<link href="/templets/default/style/dedecms.css" rel="stylesheet" media="screen" type="text/css" />\n'
            "</head>\n<body>\n"
            f'<table width="980" border="0" align="center" cellpadding="0" cellspacing="0"><tr><td class="logo"><img src="/templets/default/images/logo.gif"></td></tr>\n'
            f'<tr><td class="dh">{nav}</td></tr>\n'
            '<tr><td><marquee scrollamount="3" class="gg">热烈祝贺我校在市中小学生田径运动会上取得团体总分第一名！</marquee></td></tr>\n'
            f"<tr><td>\n{main}\n</td></tr></table>\n"
            f'<div class="foot">Copyright &copy; 2009-2024 {esc(self.name)} 版权所有 地址：县城人民路18号 电话：0373-4456789<br>'
            '豫ICP备10023456号 Powered by <a href="http://www.dedecms.com" target="_blank"><strong>DedeCms</strong></a></div>\n'
            "</body>\n</html>\n"
        )

    def render_list(self, page: int, rows: list[MockNotice], pages: int) -> str:
        items = "\n".join(
            f'<li><span class="date">[{ymd(n.published)}]</span><a href="{self.notice_path(n)}">{esc(self.list_title(n))}</a></li>'
            for n in rows
        )
        cells = [
            "<li><a>首页</a></li>" if page == 1 else f'<li><a href="{self._href(1)}">首页</a></li>'
        ]
        if page > 1:
            cells.append(f'<li><a href="{self._href(page - 1)}">上一页</a></li>')
        cells += [
            f'<li class="thisclass">{p}</li>'
            if p == page
            else f'<li><a href="{self._href(p)}">{p}</a></li>'
            for p in range(1, pages + 1)
        ]
        if page < pages:
            cells.append(f'<li><a href="{self._href(page + 1)}">下一页</a></li>')
        cells.append(
            f'<li><span class="pageinfo">共 <strong>{pages}</strong>页<strong>{len(self.notices)}</strong>条</span></li>'
        )
        main = (
            f'<div class="place"><strong>当前位置:</strong> <a href="/">主页</a> &gt; <a href="{COLUMN_DIR}">{esc(self.column)}</a> &gt; </div>\n'
            f'<ul class="e2">\n{items}\n</ul>\n<ul class="pagelist">{"".join(cells)}</ul>'
        )
        return self._page(f"{self.column}_{self.name}", main)

    def _href(self, page: int) -> str:
        return f"list_{TYPE_ID}_{page}.html"

    def render_detail(self, notice: MockNotice) -> str:
        newer, older = self.neighbours(notice)

        def sibling(label: str, other: MockNotice | None) -> str:
            target = (
                f'<a href="{self.notice_path(other)}">{esc(other.title)}</a>'
                if other
                else "没有了 "
            )
            return f"<li>{label}：{target}</li>"

        files = "".join(
            f'<p><a href="/uploads/soft/{notice.published:%y%m%d}/{filename}" target="_blank">{esc(name)}</a></p>'
            for name, filename in notice.attachments
        )
        main = (
            f'<div class="place"><strong>当前位置:</strong> <a href="/">主页</a> &gt; <a href="{COLUMN_DIR}">{esc(self.column)}</a> &gt; </div>\n'
            f'<div class="viewbox"><div class="title"><h2>{esc(notice.title)}</h2></div>\n'
            f'<div class="info">{self.dated(f"时间：{ymd_hm(notice.published)}　")}来源：{esc(notice.issuer or "本站")}　'
            f"作者：{esc(notice.author or 'admin')}　点击：{notice.views} 次</div>\n"
            '<div class="content"><table width="100%"><tr><td>\n'
            + body_paragraphs(notice, attrs="")
            + "\n</td></tr></table></div>\n"
            + (f'<div class="fj">附件下载：{files}</div>\n' if files else "")
            + f'<div class="context"><ul>{sibling("上一篇", newer)}{sibling("下一篇", older)}</ul></div></div>'
        )
        return self._page(f"{notice.title}_{self.column}_{self.name}", main)
