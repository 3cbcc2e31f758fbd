"""Detail-page renderers for CMS styles the mock sites do not serve.

Guangdong 集约化 NFCMS, Sudy WebPlus, PHPCMS v9, a WordPress school blog and
an ASP.NET table-layout 考试院 page. Each takes a notice, the site name and a
variant, and returns the page as served; the variants carry the traps
(title only in ``<title>``, date only as 年月日 / slashes / in the URL, none).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from monitor.demo.markup import (
    HTML5,
    XHTML,
    body_paragraphs,
    cn_date,
    document,
    esc,
    meta_tags,
    slash_date,
    ymd,
    ymd_hms,
)
from monitor.demo.model import MockNotice

GBK_META = '<meta http-equiv="Content-Type" content="text/html; charset=gbk">'


@dataclass(frozen=True)
class Page:
    """A rendered detail page and how it is served."""

    url: str
    html: str
    encoding: str = "utf-8"
    content_type: str = "text/html; charset=utf-8"
    list_title: str | None = None  # what the site's list row shows, when the label has it
    list_date: str | None = None

    @property
    def raw(self) -> bytes:
        return self.html.encode(self.encoding, errors="xmlcharrefreplace")


def attachment_links(notice: MockNotice, href: Callable[[str], str], prefix: str = "附件：") -> str:
    """The attachments as one ``<p>`` of numbered links (empty without attachments)."""
    if not notice.attachments:
        return ""
    links = "<br>".join(
        f'<a href="{esc(href(filename))}">{index}.{esc(name)}</a>'
        for index, (name, filename) in enumerate(notice.attachments, 1)
    )
    return f"<p>{prefix}{links}</p>"


def _footer(site: str, since: int = 2015) -> str:
    return (
        f'<div class="footer"><p>Copyright © {since}-2024 {esc(site)} 版权所有</p>'
        "<p>备案号：ICP备12345678号-1　技术支持：信息中心</p></div>"
    )


# ---------------------------------------------------------------- NFCMS
def nfcms(notice: MockNotice, site: str, variant: str) -> Page:
    """Guangdong 集约化 ``content/post_N.html``; variants full, no-meta, title-only."""
    written = notice.published - timedelta(days=2)
    metas = {}
    if variant == "full":
        metas = {"ArticleTitle": notice.title, "PubDate": ymd_hms(notice.published)}
    if variant != "title-only":
        metas |= {"ContentSource": site, "ArticleId": str(notice.id)}
    head = (
        meta_tags(metas) + f"\n<script>var NFCMS_SITE_ID=12;var NFCMS_POST_ID={notice.id};</script>"
    )
    table = (
        '<table class="xxgk-table"><tr><td>索引号：11445200007265453D/'
        f"{notice.published.year}-{notice.id % 1000:05d}</td><td>分类：通知公告</td></tr>"
        f"<tr><td>发布机构：{esc(site)}</td><td>成文日期：{ymd(written)}</td></tr>"
        f"<tr><td>文号：{esc(notice.doc_number or '')}</td><td>发布日期：{ymd(notice.published)}</td></tr></table>"
    )
    title = "" if variant == "title-only" else f'<h1 class="title">{esc(notice.title)}</h1>'
    body = (
        f'<div class="header"><a href="/">{esc(site)}</a> <a href="/zwgk/">政务公开</a> <a href="/jyzx/">教育资讯</a></div>\n'
        f'<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 通知公告</div>\n'
        f'<div class="news_cont_d">{table}\n{title}\n<div class="news_cont_d_wrap">\n'
        + body_paragraphs(notice)
        + attachment_links(notice, lambda f: f"/attachment/0/{notice.id % 1000}/{f}")
        + '\n</div><div class="share">分享到：微信 微博</div></div>\n'
        + _footer(site, 2016)
    )
    url = f"http://jyj.jieyang.gov.cn/zwgk/tzgg/content/post_{notice.id}.html"
    return Page(url, document(title=f"{notice.title}_{site}", head=head, body=body))


# ---------------------------------------------------------------- Sudy WebPlus
def sudy(notice: MockNotice, site: str, variant: str) -> Page:
    """Sudy ``/YYYY/MMDD/c<col>a<id>/page.htm``; variants full, url-date, pdf."""
    date = (
        ""
        if variant == "url-date"
        else f'<span class="arti_update">发布时间：{ymd(notice.published)}</span>'
    )
    player = ""
    if variant == "pdf":
        player = (
            f'<div class="wp_pdf_player" pdfsrc="/_upload/article/files/{notice.id % 97:02x}/{notice.id}.pdf" '
            "sudyfile-attr=\"{'title':'通知全文.pdf'}\" style=\"width:100%;height:600px;\"></div>"
        )
    body = (
        f'<div class="header"><div class="sitename">{esc(site)}</div><ul class="nav"><li><a href="/main.htm">首页</a></li>'
        '<li><a href="/2981/list.htm">通知公告</a></li><li><a href="/2982/list.htm">教学动态</a></li></ul></div>\n'
        '<div class="col_path">当前位置：<a href="/main.htm">首页</a>&gt;<a href="/2981/list.htm">通知公告</a></div>\n'
        f'<div class="article"><h1 class="arti_title">{esc(notice.title)}</h1>\n'
        f'<p class="arti_metas"><span class="arti_publisher">发布者：{esc(notice.issuer or site)}</span>{date}'
        f'<span class="arti_views">浏览次数：<span class="WP_VisitCount" url="/_visitcountdisplay?siteId=414&type=3&articleId={notice.id}">{notice.views}</span></span></p>\n'
        '<div class="entry"><div class="read"><div class="wp_articlecontent">\n'
        + body_paragraphs(notice, attrs=' style="text-indent:2em;"')
        + f"\n{player}</div></div></div></div>\n"
        + _footer(site, 2013)
    )
    url = f"https://jwc.pyu.edu.cn/{notice.published:%Y/%m%d}/c2981a{notice.id}/page.htm"
    head = '<meta name="sudy-wp-context" content="">\n<meta name="sudy-wp-siteId" content="414">'
    return Page(url, document(title=f"{notice.title}", head=head, body=body))


# ---------------------------------------------------------------- PHPCMS v9
def phpcms(notice: MockNotice, site: str, variant: str) -> Page:
    """PHPCMS v9 ``show-10-<id>-1.html`` in GBK; variants cn-date, title-only, no-date."""
    date = "" if variant == "no-date" else f"发布时间：{cn_date(notice.published)}　"
    title = "" if variant == "title-only" else f"<h1>{esc(notice.title)}</h1>"
    body = (
        f'<div id="header"><div class="logo">{esc(site)}</div><div class="nav"><a href="/">网站首页</a>'
        '<a href="/list-10-1.html">通知公告</a><a href="/list-11-1.html">教育动态</a></div></div>\n'
        '<div class="crumbs"><a href="/">首页</a><span> &gt; </span><a href="/list-10-1.html">通知公告</a> &gt; 正文</div>\n'
        f'<div id="Article">{title}\n<div class="info">{date}来源：{esc(notice.issuer or site)}　'
        f'阅读：<span id="hits">{notice.views}</span>次</div>\n<div class="content">\n'
        + body_paragraphs(notice)
        + "\n</div>\n"
        + attachment_links(notice, lambda f: f"/uploadfile/{notice.published:%Y/%m%d}/{f}")
        + '<div class="pages"></div><p class="f14"><strong>上一篇：</strong><a href="/show-10-'
        f'{notice.id - 1}-1.html">没有了</a><br><strong>下一篇：</strong>没有了</p></div>\n'
        + _footer(site, 2011)
    )
    url = f"http://www.xyjyj.gov.cn/show-10-{notice.id}-1.html"
    html = document(
        title=f"{notice.title}_{site}",
        body=body,
        charset_meta=GBK_META,
        doctype=XHTML,
        html_attrs="",
    )
    return Page(url, html, "gbk", "text/html")


# ---------------------------------------------------------------- WordPress
def wordpress(notice: MockNotice, site: str, variant: str) -> Page:
    """A WordPress school blog ``/YYYY/MM/DD/post-<id>/``; variants full, title-only, comments."""
    moment = notice.published
    time_tag = (
        f'<time class="entry-date published" datetime="{moment:%Y-%m-%dT%H:%M:%S}+08:00">{cn_date(moment)}</time>'
        if variant == "full"
        else f'<span class="posted-on">{slash_date(moment)}</span>'
    )
    header = ""
    if variant != "title-only":
        header = f'<header class="entry-header"><h1 class="entry-title">{esc(notice.title)}</h1><div class="entry-meta">{time_tag} 作者：{esc(notice.issuer or "admin")}</div></header>'
    older = moment - timedelta(days=17)
    comments = ""
    if variant == "comments":
        comments = (
            '<div id="comments" class="comments-area"><h2 class="comments-title">2条评论</h2><ol class="comment-list">'
            f'<li class="comment"><b class="fn">家长李女士</b> <time datetime="{moment + timedelta(days=1):%Y-%m-%dT%H:%M}">{cn_date(moment + timedelta(days=1))}</time><p>收到，谢谢老师！</p></li>'
            f'<li class="comment"><b class="fn">王同学</b> <time>{cn_date(moment + timedelta(days=2))}</time><p>请问需要带什么材料？</p></li></ol>'
            '<div id="respond"><h3>发表评论</h3><textarea name="comment"></textarea></div></div>'
        )
    body = (
        f'<header id="masthead" class="site-header"><p class="site-title"><a href="/">{esc(site)}</a></p>'
        '<nav class="main-navigation"><a href="/">首页</a><a href="/category/tzgg/">通知公告</a><a href="/about/">学校简介</a></nav></header>\n'
        f'<main id="main"><article id="post-{notice.id}" class="post-{notice.id} post type-post status-publish">{header}\n'
        '<div class="entry-content">\n'
        + body_paragraphs(notice)
        + attachment_links(notice, lambda f: f"/wp-content/uploads/{moment:%Y/%m}/{f}")
        + '\n</div><footer class="entry-footer">分类：<a href="/category/tzgg/">通知公告</a></footer></article>\n'
        f"{comments}</main>\n"
        '<aside id="secondary" class="widget-area"><section class="widget"><h2 class="widget-title">近期文章</h2><ul>'
        f'<li><a href="/{older:%Y/%m/%d}/post-{notice.id - 3}/">学校召开期中教学质量分析会</a> <span class="post-date">{cn_date(older)}</span></li></ul></section></aside>\n'
        f'<footer class="site-footer">© 2012-2024 {esc(site)} · 自豪地采用 WordPress</footer>'
    )
    url = f"https://www.pyzx.edu.cn/{moment:%Y/%m/%d}/post-{notice.id}/"
    head = '<meta name="generator" content="WordPress 6.4.2">'
    return Page(
        url, document(title=f"{notice.title} | {site}", head=head, body=body, doctype=HTML5)
    )


# ---------------------------------------------------------------- ASP.NET 考试院
def aspnet(notice: MockNotice, site: str, variant: str) -> Page:
    """A table-layout ASP.NET page ``NewsInfo.aspx?NewsID=N`` in GBK; variants full, title-only, no-date."""
    date = (
        ""
        if variant == "no-date"
        else f'<span id="ReportIDIssueTime">{slash_date(notice.published)}</span>　'
    )
    title = "" if variant == "title-only" else f"<h1>{esc(notice.title)}</h1>"
    body = (
        f'<form method="post" action="./NewsInfo.aspx?NewsID={notice.id}" id="form1">'
        '<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="/wEPDwUKLTk0NjQ3MzQ1NmRk">'
        '<input type="hidden" name="__VIEWSTATEGENERATOR" id="__VIEWSTATEGENERATOR" value="C8B1B6D5">\n'
        f'<table width="1000" align="center"><tr><td class="top"><img src="images/banner.jpg" alt="{esc(site)}"></td></tr>\n'
        '<tr><td class="nav"><a href="Default.aspx">首页</a> | <a href="NewsList.aspx?BCID=1&amp;CID=16">通知公告</a> | '
        '<a href="NewsList.aspx?BCID=1&amp;CID=17">政策法规</a> | <a href="Query.aspx">成绩查询</a></td></tr>\n'
        f'<tr><td id="Content1"><div><ul><li>{title}</li><li>{date}来源：{esc(notice.issuer or "本院")}　'
        f'阅读：<span id="hits">{notice.views}</span></li></ul></div></td></tr>\n'
        '<tr><td id="ReportIDtext" class="txt">\n'
        + body_paragraphs(notice)
        + "\n</td></tr>\n"
        + f"<tr><td>{attachment_links(notice, lambda f: f'UpLoadFile/{f}')}</td></tr>"
        + '<tr><td class="close"><a href="javascript:window.print();">打印本页</a> <a href="javascript:window.close();">关闭窗口</a></td></tr>\n'
        f'<tr><td class="foot">主办：{esc(site)}　地址：省府路6号　版权所有 2008-2024　技术支持：东方网络</td></tr></table></form>'
    )
    html = document(
        title=f"{notice.title}-{site}",
        body=body,
        charset_meta=GBK_META,
        doctype=XHTML,
        html_attrs="",
    )
    url = f"http://www.heao.example.cn/NewsInfo.aspx?NewsID={notice.id}"
    return Page(url, html, "gbk", "text/html; charset=gbk")


Renderer = Callable[[MockNotice, str, str], Page]
RENDERERS: dict[str, Renderer] = {
    "nfcms": nfcms,
    "sudy": sudy,
    "phpcms": phpcms,
    "wordpress": wordpress,
    "aspnet": aspnet,
}
# Variants whose pages carry no publish date at all (label: null).
UNDATED = {("phpcms", "no-date"), ("aspnet", "no-date")}
