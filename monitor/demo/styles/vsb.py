"""VSB 博达站群 (Visual SiteBuilder), the usual 教务处 / school site, UTF-8."""

from __future__ import annotations

import re

from monitor.demo.markup import body_paragraphs, esc, ymd
from monitor.demo.model import MockNotice
from monitor.demo.site import MockSite, Route

OWNER = 1470981840
COLUMN_ID = 1011
_DETAIL = re.compile(rf"^/info/{COLUMN_ID}/(\d+)\.htm$")
_PAGED = re.compile(r"^/tzgg/(\d+)\.htm$")
_CHUNK = re.compile(r"[^，。：；、]+[，。：；、]?")


def span_split(text: str) -> str:
    """A paragraph as the editor leaves it: many inline spans, nested at the start."""
    chunks = _CHUNK.findall(text) or [text]
    parts = [f'<span style="font-family: 宋体; font-size: 16px;">{esc(c)}</span>' for c in chunks]
    parts[0] = f'<span style="line-height: 2;">{parts[0]}</span>'
    return "".join(parts)


class VsbSite(MockSite):
    """List ``/tzgg.htm`` then ``/tzgg/N.htm`` counting down; detail ``/info/1011/<id>.htm``."""

    style = "vsb"
    list_path = "/tzgg.htm"
    charset_meta = '<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">'
    first_id = 5901
    default_per_page = 5

    def route(self, path: str, query: dict[str, str]) -> Route | None:
        if path in {"/tzgg.htm", "/tzgg"}:
            return Route("list", 1)
        if match := _PAGED.match(path):
            number = int(match.group(1))
            page = self.page_count - number + 1
            return Route("list", page) if 2 <= page <= self.page_count else None
        if match := _DETAIL.match(path):
            return Route("detail", int(match.group(1)))
        if path == "/system/_content/download.jsp":
            file_id = query.get("wbfileid", "")
            return Route("download", self._filename_for(file_id)) if file_id else None
        return None

    def _filename_for(self, file_id: str) -> str:
        for name in self._file_names():
            if name.split(".", 1)[0] == file_id:
                return name
        return file_id

    def page_path(self, page: int) -> str:
        return "/tzgg.htm" if page == 1 else f"/tzgg/{self.page_count - page + 1}.htm"

    def notice_path(self, notice: MockNotice) -> str:
        return f"/info/{COLUMN_ID}/{notice.id}.htm"

    def attachment_filename(self, notice: MockNotice, index: int, suffix: str) -> str:
        return f"{(notice.id * 2654435761 + index * 97) % 16**16:016X}.{suffix}"

    # ---------------------------------------------------------------- pages
    def _head(self, title: str, prefix: str, jsp: str) -> str:
        return (
            f"<!DOCTYPE html>\n<html>\n<head>\n{self.charset_meta}\n<title>{esc(title)}</title>\n"
            '<meta name="keywords" content="平原大学,教务处">\n'
            "<!--Announced by Visual SiteBuilder 9-->\n"
            f'<link rel="stylesheet" type="text/css" href="{prefix}_sitegray/_sitegray_d.css" />\n'
            f'<script language="javascript" src="{prefix}_sitegray/_sitegray.js"></script>\n'
            "<!-- CustomerNO:7765626265723230697a46545351574200060001 -->\n"
            '<script type="text/javascript" src="/system/resource/js/counter.js"></script>\n'
            f"<script type=\"text/javascript\">_jsq_(1045,'{jsp}',-1,{OWNER})</script>\n"
            '<script type="text/javascript" src="/system/resource/js/dynclicks.js"></script>\n'
            "</head>\n<body>\n"
            f'<div class="top"><img src="{prefix}images/logo.png" alt="{esc(self.name)}">'
            f'<ul class="menu"><li><a href="{prefix}index.htm">首页</a></li><li><a href="{prefix}jwgl.htm">教务管理</a></li>'
            f'<li><a href="{prefix}tzgg.htm">通知公告</a></li><li><a href="{prefix}xzzx.htm">下载中心</a></li></ul></div>\n'
        )

    def _foot(self) -> str:
        return (
            f'<div class="foot">版权所有 © {esc(self.name)}　地址：新乡市华兰大道东段　邮编：453003　'
            "电话：0373-3683210</div>\n</body>\n</html>\n"
        )

    def _page_href(self, current: int, target: int, pages: int) -> str:
        if target == 1:
            return "tzgg.htm" if current == 1 else "../tzgg.htm"
        number = pages - target + 1
        return f"tzgg/{number}.htm" if current == 1 else f"{number}.htm"

    def render_list(self, page: int, rows: list[MockNotice], pages: int) -> str:
        prefix = "" if page == 1 else "../"
        items = "\n".join(
            f'<li id="line_u8_{i}"><a href="{prefix}info/{COLUMN_ID}/{n.id}.htm" target="_blank" title="{esc(n.title)}">'
            f"{'<font color=red>[置顶]</font>' if n.pinned else ''}{esc(n.title)}</a><span>{ymd(n.published)}</span></li>"
            for i, n in enumerate(rows)
        )

        def link(target: int, label: str, css: str) -> str:
            if target == page or not 1 <= target <= pages:
                return f'<span class="{css}_d p_fun_d">{label}</span>'
            return f'<span class="{css} p_fun"><a href="{self._page_href(page, target, pages)}">{label}</a></span>'

        numbers = "".join(
            f'<span class="p_no_d">{p}</span>'
            if p == page
            else f'<span class="p_no"><a href="{self._page_href(page, p, pages)}">{p}</a></span>'
            for p in range(1, pages + 1)
        )
        pager = (
            f'<div class="pb_sys_common pb_sys_normal pb_sys_style1"><span class="p_t">共{len(self.notices)}条</span>'
            f'<span class="p_pages">{link(1, "首页", "p_first")}{link(page - 1, "上页", "p_prev")}{numbers}'
            f"{link(page + 1, '下页', 'p_next')}{link(pages, '尾页', 'p_last')}</span>"
            f'<span class="p_t">{page}/{pages}</span></div>'
        )
        ids = ",".join(str(n.id) for n in rows)
        spans = ",".join(f"'dynclicks_u8_{n.id}'" for n in rows)
        return (
            self._head(f"{self.column}-{self.name}", prefix, "/tzgg.jsp")
            + f'<div class="main"><div class="lm_title">{esc(self.column)}</div>\n<div class="list"><ul>\n{items}\n</ul></div>\n'
            f'{pager}\n<script>_showDynClickBatch([{spans}],[{ids}],"wbnews",{OWNER})</script></div>\n'
            + self._foot()
        )

    def render_detail(self, notice: MockNotice) -> str:
        newer, older = self.neighbours(notice)

        def sibling(label: str, other: MockNotice | None) -> str:
            target = (
                f'<a href="{other.id}.htm" title="{esc(other.title)}">{esc(other.title)}</a>'
                if other
                else "没有了"
            )
            return f"<li><lable>{label}：</lable>{target}</li>"

        files = "".join(
            f'<li>附件【<a href="/system/_content/download.jsp?urltype=news.DownloadAttachUrl&amp;owner={OWNER}'
            f'&amp;wbfileid={filename.split(".")[0]}" target="_blank">{esc(name)}</a>】已下载'
            f'<span id="nattach{notice.id}{i}"><script language="javascript">getClickTimes({notice.id}{i},{OWNER},"wbnewsfile","attach")</script></span>次</li>'
            for i, (name, filename) in enumerate(notice.attachments)
        )
        files_block = f'<ul style="list-style-type:none;">{files}</ul>' if files else ""
        return (
            self._head(f"{notice.title}-{self.name}", "../../", "/content.jsp")
            + '<div class="main"><div class="dqwz">当前位置：<a href="../../index.htm">首页</a> &gt; '
            f'<a href="../../tzgg.htm">{esc(self.column)}</a> &gt; 正文</div>\n'
            '<form name="_newscontent_fromname">\n'
            f'<div class="con_tit"><h2>{esc(notice.title)}</h2>\n'
            f"<p>作者:{esc(notice.issuer or self.name)}{self.dated(f'　　时间：{ymd(notice.published)}')}　　点击数："
            f'<span id="dynclicks_wbnews_{notice.id}_6"></span><script>_showDynClicks("wbnews", {OWNER}, {notice.id})</script></p></div>\n'
            '<div class="con_nr"><div id="vsb_content"><div class="v_news_content">\n'
            + body_paragraphs(notice, text=span_split, attrs=' style="text-indent: 2em;"')
            + f'\n</div></div><div id="div_vote_id"></div></div>\n{files_block}\n'
            f'<div class="main_art"><ul>{sibling("上一条", newer)}{sibling("下一条", older)}</ul></div>\n'
            "</form></div>\n" + self._foot()
        )
