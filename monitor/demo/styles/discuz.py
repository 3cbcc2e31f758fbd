"""Discuz! X3.4 portal (门户) of a city news site, UTF-8, dynamic pages."""

from __future__ import annotations

import re

from monitor.demo.markup import XHTML, body_paragraphs, esc, loose_ymd_hm, shorten
from monitor.demo.model import MockNotice
from monitor.demo.site import MockSite, Route

CATID = "2"
_DETAIL = re.compile(r"^/article-(\d+)-1\.html$")
_FILE = re.compile(r"^/data/attachment/portal/\d{6}/\d{2}/(\w+\.\w+)$")
REACTIONS = (
    ("luguo", "路过"),
    ("leiren", "雷人"),
    ("woshou", "握手"),
    ("xianhua", "鲜花"),
    ("jidan", "鸡蛋"),
)


class DiscuzSite(MockSite):
    """List ``/portal.php?mod=list&catid=2`` (``&page=N``), detail ``/article-<id>-1.html``."""

    file_pattern = _FILE
    style = "discuz"
    list_path = f"/portal.php?mod=list&catid={CATID}"
    static_lists = False
    first_id = 1180
    default_per_page = 5
    hotline = "0663-8234567"

    def route(self, path: str, query: dict[str, str]) -> Route | None:
        if path == "/portal.php" and query.get("mod") == "list" and query.get("catid") == CATID:
            page = query.get("page", "1")
            return Route("list", int(page)) if page.isdigit() else None
        if match := _DETAIL.match(path):
            return Route("detail", int(match.group(1)))
        return self.file_route(path)

    def page_path(self, page: int) -> str:
        return self.list_path + (f"&page={page}" if page > 1 else "")

    def notice_path(self, notice: MockNotice) -> str:
        return f"/article-{notice.id}-1.html"

    def _file_href(self, notice: MockNotice, filename: str) -> str:
        return f"data/attachment/portal/{notice.published:%Y%m/%d}/{filename}"

    def attachment_filename(self, notice: MockNotice, index: int, suffix: str) -> str:
        return f"{notice.published:%H%M%S}{notice.id:x}{index}a{notice.id % 97:02d}.{suffix}"

    # ---------------------------------------------------------------- pages
    def _page(self, title: str, main: str) -> str:
        now = self.clock()
        return (
            f"{XHTML}\n"
            '<html xmlns="http://www.w3.org/1999/xhtml">\n<head>\n'
            '<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />\n'
            f"<title>{esc(title)} - {esc(self.name)} - Powered by Discuz!</title>\n"
            '<meta name="generator" content="Discuz! X3.4" />\n'
            '<meta name="copyright" content="2001-2023 Tencent Cloud." />\n'
            "<script type=\"text/javascript\">var STYLEID = '1', STATICURL = 'static/', IMGDIR = 'static/image/common', "
            "VERHASH = 'Xr6', charset = 'utf-8', discuz_uid = '0';</script>\n"
            '<script src="data/cache/common.js?Xr6" type="text/javascript"></script>\n</head>\n<body id="nv_portal" class="pg_list">\n'
            f'<div id="toptb" class="cl"><div class="wp"><div class="z">服务热线:{self.hotline}</div>'
            '<div class="y"><a href="member.php?mod=register">立即注册</a> <a href="member.php?mod=logging&amp;action=login">登录</a></div></div></div>\n'
            f'<div id="hd"><div class="wp"><h2><a href="./" title="{esc(self.name)}"><img src="static/image/common/logo.png" alt="{esc(self.name)}" /></a></h2>'
            '<ul id="nv"><li><a href="portal.php">首页</a></li><li><a href="portal.php?mod=list&amp;catid=1">揭阳新闻</a></li>'
            '<li class="a"><a href="portal.php?mod=list&amp;catid=2">揭阳教育</a></li><li><a href="forum.php">论坛</a></li></ul></div></div>\n'
            f'<div id="wp" class="wp">\n{main}\n</div>\n'
            '<div id="ft" class="wp cl"><div id="flk" class="y"><p><a href="about.html">关于我们</a><span class="pipe">|</span>'
            '<a href="help.html">帮助中心</a><span class="pipe">|</span><a href="legal.html">法律声明</a><span class="pipe">|</span>'
            '<a href="contact.html">联系我们</a><span class="pipe">|</span><a href="forum.php?mobile=yes">手机版</a>'
            '<span class="pipe">|</span><a href="forum.php?mod=misc&amp;action=showdarkroom">小黑屋</a><span class="pipe">|</span>'
            '<a href="archiver/">Archiver</a></p>'
            f'<p class="xs0">GMT+8, {now:%Y-%m-%d %H:%M}<span id="debuginfo">, Processed in 0.0{now.second + 10} second(s), {12 + now.second % 7} queries.</span></p></div>'
            '<div id="frt"><p>Powered by <strong><a href="http://www.discuz.net" target="_blank">Discuz!</a></strong> <em>X3.4</em></p>'
            f'<p class="xs0">Copyright &copy; 2002-2023, {esc(self.name)}.</p><p>粤ICP备11103827号 粤公网安备 44520202000123号</p></div></div>\n'
            "</body>\n</html>\n"
        )

    def render_list(self, page: int, rows: list[MockNotice], pages: int) -> str:
        entries = "\n".join(
            f'<dl class="bbda cl"><dt class="xs2"><a href="article-{n.id}-1.html" target="_blank" class="xi2">{esc(n.title)}</a>'
            f'{" <em>[置顶]</em>" if n.pinned else ""}</dt>\n<dd class="xs2 cl">{esc(shorten(n.paragraphs[0], 60, " ..."))}</dd>\n'
            f'<dd><label>发布者: {esc(n.author or "admin")}</label><span class="xg1"> {loose_ymd_hm(n.published)}</span></dd></dl>'
            for n in rows
        )
        base = f"portal.php?mod=list&amp;catid={CATID}"
        numbers = "".join(
            f"<strong>{p}</strong>" if p == page else f'<a href="{base}&amp;page={p}">{p}</a>'
            for p in range(1, pages + 1)
        )
        prev = (
            f'<a href="{base}&amp;page={page - 1}" class="prev">&nbsp;&nbsp;</a>'
            if page > 1
            else ""
        )
        following = (
            f'<a href="{base}&amp;page={page + 1}" class="nxt">下一页</a>' if page < pages else ""
        )
        main = (
            '<div id="pt" class="bm cl"><div class="z"><a href="./" class="nvhm" title="首页">首页</a> <em>&rsaquo;</em> '
            '<a href="portal.php?mod=list&amp;catid=1">揭阳新闻</a> <em>&rsaquo;</em> 揭阳教育</div></div>\n'
            f'<div class="bm"><div class="bm_h cl"><h1 class="xs2">揭阳教育</h1></div><div class="bm_c xld">\n{entries}\n</div></div>\n'
            f'<div class="pgs cl"><div class="pg">{prev}{numbers}<label><span title="共 {pages} 页"> / {pages} 页</span></label>{following}</div></div>'
        )
        return self._page("揭阳教育", main)

    def render_detail(self, notice: MockNotice) -> str:
        summary = shorten(notice.paragraphs[0], 90, " ...")
        files = "".join(
            f'<li><a href="{self._file_href(notice, filename)}" target="_blank">{esc(name)}</a></li>'
            for name, filename in notice.attachments
        )
        clicks = "".join(
            f'<td><a href="home.php?mod=spacecp&amp;ac=click&amp;op=add&amp;clickid={i}&amp;idtype=aid&amp;id={notice.id}">'
            f'<img src="static/image/click/{key}.gif" alt="" /><br />{label}</a></td>'
            for i, (key, label) in enumerate(REACTIONS, 1)
        )
        main = (
            '<div id="pt" class="bm cl"><div class="z"><a href="./" class="nvhm" title="首页">首页</a> <em>&rsaquo;</em> '
            '<a href="portal.php?mod=list&amp;catid=1">揭阳新闻</a> <em>&rsaquo;</em> '
            '<a href="portal.php?mod=list&amp;catid=2">揭阳教育</a> <em>&rsaquo;</em> 查看内容</div></div>\n'
            '<div id="ct" class="ct2 wp cl"><div class="mn"><div class="bm vw">\n'
            f'<div class="h hm"><h1 class="ph">{esc(notice.title)}</h1>\n'
            f'<p class="xg1">{esc(notice.author or "admin")}{self.dated(" " + loose_ymd_hm(notice.published))}<span class="pipe">|</span>'
            f'查看: {notice.views}<span class="pipe">|</span>评论: 0</p></div>\n'
            f'<div class="s"><div><strong>摘要</strong>: {esc(summary)}</div></div>\n'
            '<div class="d"><table cellpadding="0" cellspacing="0" class="vwtb"><tr><td id="article_content">\n'
            + body_paragraphs(notice, attrs=' style="text-indent: 2em;"', separator="\n<br />\n")
            + "\n</td></tr></table>\n"
            + (f'<ul class="attach">{files}</ul>' if files else "")
            + '<div class="wx-promo"><p>“揭阳教育”是揭阳市教育局官方微信，最权威的教育政策发布，最新鲜的教育动态，尽在掌握……</p>'
            "<p>微信号：gdjysjyj</p></div></div>\n"
            f'<div id="click_div"><table cellpadding="0" cellspacing="0" class="atd"><tr>{clicks}</tr></table></div>\n'
            '<div id="comment" class="bm"><div class="bm_h cl"><h3 class="ph">全部评论</h3></div>'
            '<div id="comment_ul" class="bm_c"></div>'
            '<form id="cform" name="cform" action="portal.php?mod=portalcp&amp;ac=comment" method="post">'
            '<div class="tedt"><div class="area"><textarea name="message" rows="3" class="pt" id="message" placeholder="快速评论"></textarea></div></div>'
            '<p class="pns mtn"><button type="submit" name="commentsubmit_btn" class="pn"><strong>评论</strong></button></p></form></div>\n'
            "</div></div></div>"
        )
        return self._page(notice.title, main)
