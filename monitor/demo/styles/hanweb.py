"""Hanweb JCMS (大汉) city-bureau site: list rows live in an XML island.

The raw list page carries its rows as CDATA records inside
``<script type="text/xml"><datastore>``; ``dataproxy.jsp`` answers the same
records as XML; attachments go through ``downfile.jsp``, which 302-redirects.
"""

from __future__ import annotations

import re

from monitor.demo import responses
from monitor.demo.markup import body_paragraphs, esc, ymd, ymd_hm
from monitor.demo.model import MockNotice
from monitor.demo.responses import Reply
from monitor.demo.site import MockSite, Route

COLUMN_ID = 58320
UNIT_ID = "396302"
_DETAIL = re.compile(rf"^/art/(\d{{4}})/(\d{{1,2}})/(\d{{1,2}})/art_{COLUMN_ID}_(\d+)\.html$")
_ATTACH = re.compile(r"^/attach/0/(\w+\.\w+)$")
DIRTY_RECORD = "<li><font> · </font><span>（无链接记录）</span></li>"


class HanwebSite(MockSite):
    """List ``/col/col58320/index.html`` (``?uid=396302&pageNum=N``), detail ``/art/Y/M/D/art_58320_<id>.html``."""

    style = "hanweb"
    list_path = f"/col/col{COLUMN_ID}/index.html"
    first_id = 11045601
    default_per_page = 5

    def id_step(self, notice_id: int) -> int:
        return 11 + notice_id % 47

    def route(self, path: str, query: dict[str, str]) -> Route | None:
        if path in {self.list_path, f"/col/col{COLUMN_ID}/"}:
            page = query.get("pageNum", "1") if query.get("uid") == UNIT_ID else "1"
            return Route("list", int(page)) if page.isdigit() else None
        if path == "/module/web/jpage/dataproxy.jsp":
            return Route("dataproxy")
        if path == "/module/download/downfile.jsp" and query.get("filename"):
            return Route("redirect", f"/attach/0/{query['filename']}")
        if match := _DETAIL.match(path):
            year, month, day, notice_id = map(int, match.groups())
            notice = self._notices.get(notice_id)
            when = notice.published if notice else None
            if when and (when.year, when.month, when.day) == (year, month, day):
                return Route("detail", notice_id)
            return None
        if match := _ATTACH.match(path):
            return Route("file", match.group(1))
        return None

    def page_path(self, page: int) -> str:
        return self.list_path + (f"?uid={UNIT_ID}&pageNum={page}" if page > 1 else "")

    def notice_path(self, notice: MockNotice) -> str:
        when = notice.published
        return f"/art/{when.year}/{when.month}/{when.day}/art_{COLUMN_ID}_{notice.id}.html"

    def attachment_filename(self, notice: MockNotice, index: int, suffix: str) -> str:
        return f"{(notice.id * 0x9E3779B97F4A7C15 + index) % 16**32:032x}.{suffix}"

    # ---------------------------------------------------------------- pages
    def _record(self, notice: MockNotice, spaced: bool = False) -> str:
        date = ymd(notice.published)
        if spaced:
            date = date.replace("-", "- ")
        return (
            f'<record><![CDATA[<li class="cf"><a href="{self.notice_path(notice)}" target="_blank" '
            f'title="{esc(notice.title)}">{esc(notice.title)}</a><span class="fr">{date}</span></li>]]></record>'
        )

    def _page(self, title: str, main: str, head: str = "") -> str:
        return (
            f'<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n<title>{esc(title)}</title>\n{head}\n'
            '<script type="text/javascript" src="/script/jquery.js"></script>\n</head>\n<body>\n'
            f'<div class="top"><div class="logo">{esc(self.name)}</div><div class="nav"><a href="/">首页</a>'
            '<a href="/col/col58310/index.html">教育动态</a><a href="/col/col58320/index.html">通知公告</a>'
            '<a href="/col/col58330/index.html">政策文件</a></div></div>\n'
            f"{main}\n"
            f'<div class="bt-foot"><p>主办单位：{esc(self.name)}　地址：解放中路1号　邮编：454000</p>'
            "<p>网站标识码：4108000009　豫ICP备06001234号　技术支持：大汉网络</p></div>\n</body>\n</html>\n"
        )

    def render_list(self, page: int, rows: list[MockNotice], pages: int) -> str:
        records = [self._record(n, spaced=page == 1 and i == 1) for i, n in enumerate(rows)]
        if page == 1:
            records.insert(min(3, len(records)), f"<record><![CDATA[ {DIRTY_RECORD} ]]></record>")
        total = len(self.notices)
        main = (
            f'<div class="bt-position">您当前的位置：<a href="/">首页</a> &gt; {esc(self.column)}</div>\n'
            f'<div class="list_main_content"><div id="{UNIT_ID}"><script type="text/xml"><datastore>\n'
            f'<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=12&path=/&columnid={COLUMN_ID}'
            f'&unitid={UNIT_ID}&webname={self.name}&permissiontype=0"></a>]]></nextgroup>\n'
            "<recordset>\n" + "\n".join(records) + "\n</recordset></datastore></script></div>\n"
            f"<script>var param_{UNIT_ID}={{col:1,appid:1,webid:12,path:'/',columnid:{COLUMN_ID},sourceContentType:1,"
            f"unitid:'{UNIT_ID}',webname:'{self.name}',permissiontype:0,perpage:{self.per_page},totalRecord:{total},"
            f"currentPage:{page},totalPage:{pages}}};</script>\n"
            '<script type="text/javascript" src="/module/web/jpage/jpage.js"></script></div>'
        )
        return self._page(f"{self.column} - {self.name}", main)

    def answer_other(
        self,
        route: Route,
        method: str,
        query: dict[str, str],
        headers: dict[str, str],
        body: bytes = b"",
    ) -> Reply:
        if route.kind != "dataproxy":
            return super().answer_other(route, method, query, headers, body)
        listed = self.notices
        per_page = int(query.get("perpage", self.per_page) or self.per_page)
        start = max(1, int(query.get("startrecord", 1) or 1))
        end = int(query.get("endrecord", start + per_page - 1) or start + per_page - 1)
        records = "\n".join(self._record(n) for n in listed[start - 1 : end])
        pages = -(-len(listed) // per_page)
        xml = (
            f'<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>{len(listed)}</totalrecord>'
            f"<totalpage>{pages}</totalpage>\n<recordset>\n{records}\n</recordset></datastore>"
        )
        return responses.text_reply(200, xml, "text/xml; charset=UTF-8")

    def render_detail(self, notice: MockNotice) -> str:
        head = self.article_meta(notice)
        files = "<br>".join(
            f'<a href="/module/download/downfile.jsp?classid=0&amp;filename={filename}">{esc(name)}</a>'
            for name, filename in notice.attachments
        )
        main = (
            f'<div class="bt-position">您当前的位置：<a href="/">首页</a> &gt; <a href="{self.list_path}">{esc(self.column)}</a></div>\n'
            f'<div class="main-txt"><h1 class="title">{esc(notice.title)}</h1>\n'
            f'<div class="xxgk_info">{self.dated(f"<span>发布日期：{ymd_hm(notice.published)}</span>")}'
            f"<span>信息来源：{esc(notice.issuer or self.name)}</span><span>浏览次数：{notice.views}</span>"
            '<span>字体：[<a href="javascript:doZoom(20)">大</a> <a href="javascript:doZoom(16)">中</a> '
            '<a href="javascript:doZoom(12)">小</a>]</span></div>\n'
            '<div id="zoom"><meta name="ContentStart">\n'
            + body_paragraphs(notice, attrs=' style="text-indent: 2em;"')
            + (f"\n<p>附件：{files}</p>" if files else "")
            + '\n<meta name="ContentEnd"></div>\n'
            '<div class="btn"><a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div></div>'
        )
        return self._page(f"{notice.title}", main, head)
