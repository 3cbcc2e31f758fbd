"""Detail pages in layouts the extractor knows by no class or id name (``generic-*``).

They test the general path that sites of no known CMS take: a county bureau page in
a bare frame, an old GBK table layout, a school site with dated sidebar widgets, a
portal carrying the reference seeds' clutter, a 繁體 ``/gate/big5/`` mirror and an
HTML5 news centre with a Word-pasted body. Class names are generic (``.main``,
``.wz``, ``.nr``, ``.article-body``) or pinyin abbreviations; variants carry the date
and title traps.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

import opencc

from monitor.demo import pinyin
from monitor.demo.markup import (
    XHTML,
    body_paragraphs,
    cn_date,
    document,
    esc,
    loose_ymd_hm,
    shorten,
    slash_date,
    ymd,
    ymd_hm,
    ymd_hms,
)
from monitor.demo.model import MockNotice
from tests.corpus.renderers import GBK_META, Page, Renderer, attachment_links

BUREAU_ITEMS = (
    "关于做好寒假期间学校安全工作的通知",
    "关于公布全县中小学教师职称评审结果的通知",
    "关于开展校园欺凌专项治理工作的通知",
    "关于组织参加全市中小学生艺术展演活动的通知",
    "县教育局召开全县教育系统党风廉政建设工作会议",
)
SCHOOL_ITEMS = (
    "我校举行第十二届校园科技节开幕式",
    "关于高一年级期中考试安排的通知",
    "我校在全县中小学生篮球赛中获佳绩",
    "关于开展防溺水安全教育的通知",
    "学校召开期中教学质量分析会",
)
PORTAL_WIDGETS = (
    ("官方活動", "ACTIVITY", ("第五屆徐州市中小學生書法大賽啟動", "「書香校園」徵文活動獲獎名單")),
    ("優秀作文", "COMPOSITION", ("我的老師", "家鄉的雲龍湖", "一次難忘的運動會")),
    (
        "視頻中心",
        "VIDEO",
        (
            "慶元旦 迎新年——銅山區漢王鎮中心中學元旦匯演",
            "幸福100天 家校同心圓——徐州市解放路小學一年級家長開放日",
            "做自己的英雄，奔向2025！徐州市銅山區泉潤路幼兒園第一屆元旦親子馬拉松活動",
        ),
    ),
    ("圖書推薦", "BOOKS", ()),
)
LINK_FARM = (
    ("精品国产亚洲二区", "免费人成在线观看网站", "久久久国产99久久国产久", "好紧好湿好硬国产在线视频"),
    ("在线看片免费人成视久网", "亚汌国产精品久久久秋霞", "人妖视频一区二区三区", "中文字幕无线精品亚洲乱码一区"),
)  # fmt: skip
"""The SEO spam links seed page 003 shows under its footer."""
REACTIONS = ("路过", "雷人", "握手", "鲜花", "鸡蛋")
WECHAT_PROMO = (
    "“揭阳教育”是揭阳市教育局唯一官方微信，由揭阳市教育局办公室、信息中心负责运行维护，"
    "揭阳市最权威的教育政策发布，最新鲜的教育动态，校园快讯，通知公告，尽在掌握……"
    "Join us!揭阳教育，同行有你~~",
    "感谢您关注揭阳市教育局官方微信",
    "微信号：gdjysjyj",
)


@functools.cache
def _to_traditional() -> Callable[[str], str]:
    return opencc.OpenCC("s2tw").convert


def traditional(notice: MockNotice) -> MockNotice:
    """The notice as a /gate/big5/ gateway serves it: title, body and issuer in 繁體."""
    convert = _to_traditional()
    notice.title = convert(notice.title)
    notice.paragraphs = [convert(p) for p in notice.paragraphs]
    notice.issuer = convert(notice.issuer) if notice.issuer else None
    notice.attachments = [(convert(name), file) for name, file in notice.attachments]
    return notice


def _dated_links(
    items: Sequence[str], before: datetime, stamp: Callable[[datetime], str], href: str
) -> str:
    """``<li>`` rows of other notices, each with an older date (sidebar and related lists)."""
    return "".join(
        f'<li><a href="{href}{index + 11}.html">{esc(item)}</a><span>{stamp(before - timedelta(days=6 * index + 3))}</span></li>'
        for index, item in enumerate(items)
    )


def _menu(labels: str, separator: str = "", item: str = "{}") -> str:
    """Menu links (the first to the home page), each put in ``item``, joined by ``separator``."""
    return separator.join(
        item.format(f'<a href="/{index}/">{label}</a>' if index else f'<a href="/">{label}</a>')
        for index, label in enumerate(labels.split())
    )


# ---------------------------------------------------------------- bare frame
def frame(notice: MockNotice, site: str, variant: str) -> Page:
    """A county bureau page in a bare frame; variants full, url-date, url-trs.

    Every text ends with a 落款 date; url-date and url-trs show no publish date, only
    the URL (``/2023-06/25/content_N.html``, ``/202306/t20230625_N.html``) has it.

    Three layouts by notice id: plain names (``.main``/``.wz``), pinyin abbreviations
    (``.nr-box``/``.nr``, a calendar line in the header) and block names
    (``.article-body``, title in a div, a dated 相关阅读 list).
    """
    moment = notice.published
    stamp = f"发布日期：{ymd_hm(moment)}　" if variant == "full" else ""
    meta = f"{stamp}信息来源：{esc(notice.issuer or site)}　浏览次数：<span>{notice.views}</span>"
    text = body_paragraphs(notice, attrs=' style="text-indent:2em"')
    files = attachment_links(notice, lambda f: f"/uploadfiles/{moment:%Y%m}/{f}")
    title = esc(notice.title)
    layout = notice.id % 3
    if layout == 0:
        page_title = f"{notice.title}_通知公告_{site}"
        body = (
            f'<div class="top"><div class="logo"><img src="/images/logo.png" alt="{esc(site)}"></div>'
            '<div class="search"><input type="text" name="q"><button>搜索</button></div></div>\n'
            f'<div class="nav">{_menu("首页 机构概况 政务公开 通知公告 教育动态 办事服务")}</div>\n'
            '<div class="main">\n<div class="location">您现在的位置：<a href="/">首页</a> &gt; '
            '<a href="/tzgg/">通知公告</a></div>\n'
            f'<h1>{title}</h1>\n<div class="info">{meta}</div>\n<div class="wz">\n{text}\n{files}</div>\n'
            '<div class="print">【<a href="javascript:window.print()">打印本页</a>】'
            '【<a href="javascript:window.close()">关闭窗口</a>】</div>\n</div>\n'
            f'<div class="footer"><p>主办单位：{esc(site)}　版权所有</p>'
            "<p>地址：县城文化路12号　邮编：453200　电话：0373-8221234</p></div>"
        )
    elif layout == 1:
        page_title = f"{site}-{notice.title}"
        body = (
            f'<div class="tou"><img src="/images/banner.jpg" alt="{esc(site)}">'
            '<span class="rq">2024年6月20日 星期四</span></div>\n'
            f'<div class="lm">{_menu("网站首页 教育新闻 通知公告 政策法规 招生考试 联系我们", " | ")}</div>\n'
            '<div class="w1000">\n<div class="lj">您所在的位置：<a href="/">首页</a> » '
            '<a href="/tzgg/">通知公告</a> » 正文</div>\n<div class="nr-box">\n'
            f'<div class="bt"><h2>{title}</h2></div>\n<div class="sj">{meta}</div>\n'
            f'<div class="nr">\n{text}\n{files}</div>\n'
            f'<div class="fy"><p>上一篇：<a href="/tzgg/{notice.id + 1}.html">{BUREAU_ITEMS[0]}</a></p>'
            f'<p>下一篇：<a href="/tzgg/{notice.id - 1}.html">{BUREAU_ITEMS[1]}</a></p></div>\n</div>\n</div>\n'
            f'<div class="db"><p>主办：{esc(site)}　承办：{esc(site)}信息中心</p>'
            "<p>地址：县城文化路12号 邮编：453200 电话：0373-8221234</p>"
            "<p>豫ICP备05012345号　豫公网安备 41072702000123号</p></div>"
        )
    else:
        page_title = notice.title
        related = _dated_links(BUREAU_ITEMS[2:], moment, ymd, "/tzgg/")
        body = (
            f'<div class="g-hd"><div class="g-hd-logo">{esc(site)}</div>'
            f'<div class="g-hd-lm">{_menu("首页 信息公开 通知公告 教育动态 互动交流")}</div></div>\n'
            '<div class="g-crumb"><a href="/">首页</a> / <a href="/tzgg/">通知公告</a> / 正文</div>\n'
            f'<div class="article-wrap">\n<div class="article-title">{title}</div>\n'
            f'<div class="article-meta">{meta}</div>\n'
            f'<div class="article-body">\n{text}\n{files}</div>\n'
            '<div class="article-share">分享到：<a href="#">微信</a> <a href="#">微博</a> <a href="#">QQ空间</a></div>\n'
            f'<div class="article-more"><h3>相关阅读</h3><ul>{related}</ul></div>\n</div>\n'
            f'<div class="g-ft">Copyright © 2016-2024 {esc(site)} 版权所有　网站标识码：4107270001</div>'
        )
    path = {
        "url-date": f"/zwgk/tzgg/{moment:%Y-%m}/{moment:%d}/content_{notice.id}.html",
        "url-trs": f"/tzgg/{moment:%Y%m}/t{moment:%Y%m%d}_{notice.id}.html",
    }.get(variant, f"/tzgg/{notice.id}.html")
    return Page(f"http://jyj.fengqiu.gov.cn{path}", document(title=page_title, body=body))


# ---------------------------------------------------------------- old table layout (GBK)
def _month_day(moment: datetime) -> str:
    return f"{moment.month}月{moment.day}日"


def _table_body(notice: MockNotice) -> str:
    """Paragraphs as ``<br>``-separated lines in ``<font>``, the 落款 right-aligned."""
    own = notice.paragraphs[: len(notice.paragraphs) - notice.signoff]
    lines = "<br>\n".join(
        f'&nbsp;&nbsp;&nbsp;&nbsp;<font face="仿宋_GB2312">{esc(p)}</font>' for p in own
    )
    sign = notice.paragraphs[len(own) :]
    if sign:
        lines += '\n<p align="right">' + "<br>".join(map(esc, sign)) + "</p>"
    return lines


def table(notice: MockNotice, site: str, variant: str) -> Page:
    """An old ASP county bureau page in GBK: nested tables, ``<font>``, ``td.a14`` body.

    Variants: cn-date (``更新时间：2021年3月5日``), cell-date (the date alone in a cell,
    ``<title>`` only the site name, the title a bold ``<font>``), list-date (no date on
    the page, a cut list title), no-date (related-list dates without a year only).
    """
    moment = notice.published
    source = f"作者：{esc(notice.author or 'admin')}　来源：{esc(notice.issuer or '本站')}"
    if variant == "cn-date":
        meta = f'<tr><td align="center"><font color="#666666">{source}　点击数：{notice.views}　更新时间：{cn_date(moment)}</font></td></tr>'
    elif variant == "cell-date":
        meta = (
            f'<tr><td align="center"><font color="#999999">{cn_date(moment)}</font></td></tr>'
            f'<tr><td align="center"><font color="#666666">{source}　点击数：{notice.views}</font></td></tr>'
        )
    else:
        meta = f'<tr><td align="center"><font color="#666666">{source}　点击数：{notice.views}</font></td></tr>'
    latest = "".join(
        f'<tr><td height="22">·<a href="/Article/ShowArticle.asp?ArticleID={notice.id - 5 * (i + 1)}">{esc(shorten(item, 14))}</a>'
        f'<font color="#999999">{(moment - timedelta(days=9 * i + 4)):%m-%d}</font></td></tr>'
        for i, item in enumerate(BUREAU_ITEMS)
    )
    classes = "".join(
        f'<tr><td height="24">&nbsp;·<a href="/Article/ShowClass.asp?ClassID={i}">{label}</a></td></tr>'
        for i, label in enumerate(("教育动态", "通知公告", "政策法规", "招生考试", "党建工作"), 1)
    )
    left = (
        '<td width="230" valign="top" bgcolor="#F5F5F5">'
        f'<table width="100%" border="0" cellpadding="0" cellspacing="0"><tr><td class="lmbt"><b>栏目导航</b></td></tr>{classes}</table>'
        f'<table width="100%" border="0" cellpadding="0" cellspacing="0"><tr><td class="lmbt"><b>最新公告</b></td></tr>{latest}</table></td>'
    )
    related_date = _month_day if variant == "no-date" else cn_date
    related = "".join(
        f'<tr><td>·<a href="/Article/ShowArticle.asp?ArticleID={notice.id - 2 - i}">{esc(item)}</a>（{related_date(moment - timedelta(days=30 + 11 * i))}）</td></tr>'
        for i, item in enumerate(BUREAU_ITEMS[2:])
    )
    files = attachment_links(notice, lambda f: f"/UploadFiles/{moment:%Y%m}/{f}")
    main = (
        '<td width="750" valign="top">'
        '<table width="100%" border="0" cellpadding="0" cellspacing="0"><tr><td height="30" class="dh">'
        '您现在的位置：<a href="/">首页</a> &gt;&gt; <a href="/Article/ShowClass.asp?ClassID=2">通知公告</a> &gt;&gt; 正文</td></tr></table>\n'
        '<table width="96%" border="0" align="center" cellpadding="0" cellspacing="0">'
        f'<tr><td height="50" align="center"><font style="font-size:16pt" color="#CC0000"><b>{esc(notice.title)}</b></font></td></tr>\n'
        f"{meta}\n"
        '<tr><td height="1" bgcolor="#CCCCCC"></td></tr>\n'
        f'<tr><td class="a14" style="line-height:180%">\n{_table_body(notice)}\n{files}</td></tr>\n'
        '<tr><td align="right">【<a href="javascript:window.print()">打印此文</a>】 【<a href="javascript:window.close()">关闭窗口</a>】</td></tr>\n'
        f'<tr><td>上一篇：<a href="/Article/ShowArticle.asp?ArticleID={notice.id - 1}">{BUREAU_ITEMS[3]}</a><br>'
        f'下一篇：<a href="/Article/ShowArticle.asp?ArticleID={notice.id + 1}">{BUREAU_ITEMS[4]}</a></td></tr>\n'
        f"<tr><td><b>相关文章</b></td></tr>{related}</table></td>"
    )
    body = (
        '<table width="980" border="0" align="center" cellpadding="0" cellspacing="0">'
        f'<tr><td><img src="/images/top.jpg" width="980" height="120" alt="{esc(site)}"></td></tr>'
        f'<tr><td background="/images/nav_bg.gif" height="32" align="center"><font color="#FFFFFF">{_menu("网站首页 机构设置 教育动态 通知公告 政策法规 招生考试 党建工作", " | ")}</font></td></tr></table>\n'
        f'<table width="980" border="0" align="center" cellpadding="0" cellspacing="0"><tr>{left}\n{main}</tr></table>\n'
        '<table width="980" border="0" align="center" cellpadding="0" cellspacing="0"><tr><td align="center" height="80" bgcolor="#EEEEEE">'
        f"版权所有：{esc(site)}　地址：获嘉县城关镇东大街8号　电话：0373-4561234<br>豫ICP备09012345号　技术支持：获嘉县教育信息中心</td></tr></table>"
    )
    page_title = {
        "cn-date": f"{notice.title}-{site}",
        "cell-date": site,
        "list-date": notice.title,
    }.get(variant, f"{notice.title}_{site}")
    html = document(
        title=page_title, body=body, charset_meta=GBK_META, doctype=XHTML, html_attrs=""
    )
    url = f"http://www.hjjty.gov.cn/Article/ShowArticle.asp?ArticleID={notice.id}"
    header = "text/html; charset=gb2312" if notice.id % 2 else "text/html"
    listed = {"list_title": shorten(notice.title, 16), "list_date": ymd(moment)}
    return Page(url, html, "gbk", header, **(listed if variant == "list-date" else {}))


# ---------------------------------------------------------------- school site
def school(notice: MockNotice, site: str, variant: str) -> Page:
    """A school site: ``#content`` between two sidebars of dated widget lists.

    Variants: full, static-title (``<title>`` is the school's name, as is the ``<h1>``
    logo), list-date (no date on the page; the list row has it), no-date (widget dates
    without a year only).
    """
    moment = notice.published
    stamp = ""
    if variant in ("full", "static-title"):
        stamp = f"发布日期：{ymd(moment)}　" if notice.id % 2 else f"时间：{slash_date(moment)}　"
    files = attachment_links(notice, lambda f: f"/uploads/{moment:%Y%m}/{f}")
    notices = _dated_links(
        SCHOOL_ITEMS[1::2],
        moment,
        (lambda d: f"{d:%m-%d}") if variant == "no-date" else ymd,
        "/tzgg/",
    )
    news = _dated_links(SCHOOL_ITEMS[::2], moment, lambda d: f"{d:%m-%d}", "/xydt/")
    body = (
        f'<div id="header"><h1><a href="/"><img src="/images/logo.png" alt="">{esc(site)}</a></h1>'
        '<p class="en">PINGYUAN EXPERIMENTAL MIDDLE SCHOOL</p></div>\n'
        f'<div id="nav">{_menu("学校首页 学校概况 校园动态 通知公告 教育教学 德育天地 党建工作")}</div>\n'
        '<div id="container">\n<div class="col-l">'
        f'<div class="box"><div class="box-hd">通知公告</div><ul class="list">{notices}</ul></div>'
        '<div class="box"><div class="box-hd">联系方式</div><p>地址：平原县龙门大街66号</p><p>电话：0534-4211234</p></div></div>\n'
        '<div id="content">\n<div class="path">当前位置：<a href="/">首页</a> &gt; <a href="/tzgg/">通知公告</a></div>\n'
        f"<h2>{esc(notice.title)}</h2>\n"
        f'<div class="art-info">{stamp}发布者：{esc(notice.issuer or "管理员")}　阅读：<span>{notice.views}</span>次</div>\n'
        f'<div class="art-text">\n{body_paragraphs(notice)}\n{files}</div>\n'
        f'<div class="art-page"><p>上一篇：<a href="/tzgg/{notice.id - 1}.html">{SCHOOL_ITEMS[1]}</a></p>'
        f'<p>下一篇：<a href="/tzgg/{notice.id + 1}.html">{SCHOOL_ITEMS[3]}</a></p></div>\n</div>\n'
        f'<div class="col-r"><div class="box"><div class="box-hd">校园动态</div><ul class="list">{news}</ul></div>'
        '<div class="box"><div class="box-hd">热点文章</div><ol>'
        + "".join(
            f'<li><a href="/xydt/{i}.html">{esc(t)}</a></li>' for i, t in enumerate(SCHOOL_ITEMS)
        )
        + "</ol></div></div>\n</div>\n"
        f'<div id="footer"><p>Copyright © 2010-2024 {esc(site)} All Rights Reserved</p>'
        "<p>地址：平原县龙门大街66号　鲁ICP备10012345号-1</p></div>"
    )
    page_title = site if variant == "static-title" else f"{notice.title} - {site}"
    url = f"https://www.pysyzx.net/tzgg/{notice.id}.html"
    listed = {"list_title": notice.title, "list_date": ymd(moment)}
    html = document(title=page_title, body=body)
    return Page(url, html, **(listed if variant == "list-date" else {}))


# ---------------------------------------------------------------- portal with seed clutter
def _portal_widgets() -> str:
    return "\n".join(
        f'<div class="mk"><div class="mk-t"><b>{name}</b><i>{english}</i><a href="/{english.lower()}/">更多»</a></div>'
        + "<ul>"
        + "".join(
            f'<li><a href="/{english.lower()}/{i}.html">{esc(item)}</a></li>'
            for i, item in enumerate(items, 1)
        )
        + "</ul></div>"
        for name, english, items in PORTAL_WIDGETS
    )


def _link_farm() -> str:
    return "\n".join(
        "<p>"
        + separator.join(
            f'<a href="http://www.{i}{row}kx.com/" target="_blank">{esc(word)}</a>'
            for i, word in enumerate(words)
        )
        + "</p>"
        for row, (words, separator) in enumerate(zip(LINK_FARM, (",", " | "), strict=True))
    )


def portal(notice: MockNotice, site: str, variant: str) -> Page:
    """A city education portal carrying seed 003/004 clutter.

    Variants trad / trad-url (繁體, like seed 003: welcome bar, 信息來自 … 閱讀量 line,
    [摘要], 編輯/審核, 掃一掃, 官方活動 widgets, visible link farm; trad-url shows no
    date, only the URL has it), flat-pinyin (trad with ``開(kāi)`` in the heading and body) and
    simp (like seed 004: byline, counters, 摘要, WeChat promo, reactions, comments).
    """
    if variant == "simp":
        return _portal_simplified(notice, site)
    moment = notice.published
    render = pinyin.flattened if variant == "flat-pinyin" else lambda p: p
    heading = render(notice.title)
    stamp = "" if variant == "trad-url" else f"發布時間:{ymd_hms(moment)}&nbsp;&nbsp;&nbsp;&nbsp;"
    summary = esc(shorten(notice.paragraphs[0], 70, ""))
    body = (
        f'<div class="hy">歡迎進入{esc(site)} 徐州校園速遞!</div>\n'
        f'<div class="dh">{_menu("首頁 校聞速遞 教育資訊 優秀作文 視頻中心")}</div>\n'
        f'<div class="wz">您現在的位置是:<a href="/">{esc(site)}</a> &gt; <a href="/xwsd/">校聞速遞</a> &gt; {esc(heading)}</div>\n'
        f'<div class="zw-l">\n<h1>{esc(heading)}</h1>\n'
        f'<div class="xx">信息來自:{esc(notice.issuer or site)}&nbsp;&nbsp;&nbsp;&nbsp;{stamp}閱讀量:{notice.views}次</div>\n'
        f'<div class="zy">[摘要]:彭城教育:{summary}</div>\n'
        f'<div class="zw">\n{body_paragraphs(notice, text=lambda p: esc(render(p)))}\n</div>\n'
        f'<div class="bj"><p>編輯:融媒體中心 {esc(notice.author or "李婉婷")}</p><p>審核:組織宣傳處</p></div>\n'
        '<div class="ewm">掃一掃,分享本頁<img src="/static/qrcode.png" alt=""></div>\n</div>\n'
        f'<div class="zw-r">\n{_portal_widgets()}\n</div>\n'
        f'<div class="db"><p>Copyright © 2012-2024 {esc(site)} 版權所有</p><p>蘇ICP備12034567號-2</p></div>\n'
        f"{_link_farm()}"
    )
    url = f"http://www.xzjyzx.net/xwsd/{moment:%Y/%m%d}/{notice.id}.html"
    return Page(url, document(title=f"{notice.title}_{site}", body=body))


def _portal_simplified(notice: MockNotice, site: str) -> Page:
    moment = notice.published
    reactions = "".join(
        f'<td><a href="/click.php?id={notice.id}&amp;c={i}"><img src="/static/click/{i}.gif" alt=""><br>{label}</a></td>'
        for i, label in enumerate(REACTIONS, 1)
    )
    body = (
        '<div class="toptb">服务热线:0663-8234567 <a href="/login.php">登录</a> <a href="/register.php">注册</a></div>\n'
        f'<div class="hd"><a href="/"><img src="/static/logo.png" alt="{esc(site)}"></a>'
        f"<ul>{_menu('首页 揭阳新闻 揭阳教育 论坛', item='<li>{}</li>')}</ul></div>\n"
        '<div class="pt"><a href="/">首页</a> <em>›</em> <a href="/news/">揭阳新闻</a> <em>›</em> '
        '<a href="/edu/">揭阳教育</a> <em>›</em> 查看内容</div>\n'
        f'<div class="vw">\n<div class="h"><h1>{esc(notice.title)}</h1>\n'
        f'<p class="xg1">{esc(notice.author or "蓝色河畔")} {loose_ymd_hm(moment)}</p>'
        f'<p class="cnt"><em>{notice.views}</em> <em>0</em></p></div>\n'
        f'<div class="s"><strong>摘要</strong>: {esc(shorten(notice.paragraphs[0], 90, " ..."))}</div>\n'
        f'<div class="d">\n{body_paragraphs(notice, separator="<br>")}\n</div>\n'
        '<div class="wx">' + "".join(f"<p>{esc(line)}</p>" for line in WECHAT_PROMO) + "</div>\n"
        f'<table class="atd"><tr>{reactions}</tr></table>\n'
        '<div class="pl"><h3>全部评论</h3><textarea placeholder="快速评论"></textarea><button>评论</button></div>\n</div>\n'
        '<div class="ft"><p><a href="/about.html">关于我们</a>|<a href="/help.html">帮助中心</a>|<a href="/legal.html">法律声明</a>|'
        '<a href="/jobs.html">诚聘英才</a>|<a href="/contact.html">联系我们</a>|<a href="/m/">手机版</a>|<a href="/archiver/">Archiver</a></p>'
        f"<p>Copyright © 2002-2023, {esc(site)}. Powered by Discuz!X3.4 粤ICP备11103827号</p>"
        "<p>GMT+8, 2024-6-20 10:00</p></div>"
    )
    url = f"http://www.jyedu.net/article-{notice.id}-1.html"
    return Page(url, document(title=f"{notice.title} - {site}", body=body))


# ---------------------------------------------------------------- HTML5 news centre
def _word_paragraph(text: str) -> str:
    """A paragraph as pasted from Word: MsoNormal, spans split at digit runs, ``<o:p>``."""
    runs = re.split(r"(\d+)", text)
    spans = "".join(
        f'<span lang="EN-US">{run}</span>'
        if run.isdigit()
        else f'<span style="font-family:仿宋_GB2312">{esc(run)}</span>'
        for run in runs
        if run
    )
    return (
        f'<p class="MsoNormal" style="text-indent:32.0pt;line-height:28pt">{spans}<o:p></o:p></p>'
    )


def news(notice: MockNotice, site: str, variant: str) -> Page:
    """A district education news centre in HTML5 (``article.post``, ``aside.rail``).

    Variants: time (``<time>`` in the byline), og-meta (date only in an
    ``article:published_time`` meta), word (Word-pasted body repeating the title in bold,
    empty paragraphs), list-date (no date on the page, a cut list title with ``…``),
    url-date (``/n1/2023/0518/c1006-N.html``).
    """
    moment = notice.published
    head = ""
    byline = f"<span>来源：{esc(notice.issuer or site)}</span><span>编辑：王晓</span>"
    if variant in ("time", "word"):
        byline = (
            f'<time datetime="{moment:%Y-%m-%dT%H:%M}">{moment:%Y年%m月%d日 %H:%M}</time>' + byline
        )
    if variant == "og-meta":
        head = (
            f'<meta property="article:published_time" content="{moment:%Y-%m-%dT%H:%M:%S}+08:00">'
        )
    if variant == "word":
        text = (
            f'<p class="MsoNormal" align="center" style="text-align:center"><b><span style="font-size:22pt">{esc(notice.title)}</span></b></p>'
            '<p class="MsoNormal"><span lang="EN-US">&nbsp;<o:p></o:p></span></p>'
            + "".join(_word_paragraph(p) for p in notice.paragraphs)
        )
    else:
        text = body_paragraphs(notice)
    hot = "".join(
        f'<li><a href="/xwzx/{i}.html">{esc(t)}</a></li>' for i, t in enumerate(SCHOOL_ITEMS, 1)
    )
    topics = "".join(
        f'<a href="/zt/{i}/"><img src="/zt/{i}.jpg" alt="{t}"></a>'
        for i, t in enumerate(("学习贯彻党的二十大精神", "双减在行动", "平安校园建设"), 1)
    )
    body = (
        f'<header class="site-hd"><div class="brand">{esc(site)}</div>'
        f'<nav class="site-nav">{_menu("首页 新闻中心 通知公告 政务公开 专题专栏 互动交流")}</nav></header>\n'
        '<main class="page">\n<div class="crumbs"><a href="/">首页</a> &gt; <a href="/xwzx/">新闻中心</a> &gt; 正文</div>\n'
        f'<article class="post">\n<h1 class="post-h">{esc(notice.title)}</h1>\n<div class="post-by">{byline}'
        f"<span>阅读：{notice.views}</span></div>\n"
        f'<div class="post-bd">\n{text}\n</div>\n'
        '<div class="post-tags">标签：<a href="/tag/1/">教育</a> <a href="/tag/2/">通知</a> <a href="/tag/3/">校园</a></div>\n'
        f'<div class="post-pn"><a rel="prev" href="/xwzx/{notice.id - 1}.html">上一篇：{SCHOOL_ITEMS[0]}</a>'
        f'<a rel="next" href="/xwzx/{notice.id + 1}.html">下一篇：{SCHOOL_ITEMS[2]}</a></div>\n</article>\n'
        f'<aside class="rail"><section><h2>热门阅读</h2><ol>{hot}</ol></section>'
        f"<section><h2>专题专栏</h2>{topics}</section></aside>\n</main>\n"
        f"<footer><p>{esc(site)} 主办　技术支持：区融媒体中心</p><p>京ICP备12012345号</p></footer>"
    )
    path = (
        f"/n1/{moment:%Y/%m%d}/c1006-{notice.id}.html"
        if variant == "url-date"
        else f"/xwzx/{notice.id}.html"
    )
    listed = {"list_title": shorten(notice.title, 15, "…"), "list_date": ymd(moment)}
    html = document(title=f"{notice.title} - {site}", head=head, body=body)
    return Page(
        f"https://jw.example-qu.gov.cn{path}", html, **(listed if variant == "list-date" else {})
    )


# ---------------------------------------------------------------- 繁體 /gate/big5/ mirror
def big5(notice: MockNotice, site: str, variant: str) -> Page:
    """A provincial bureau page through a ``/gate/big5/`` gateway, converted to 繁體.

    Variants: full (``發布日期：2023-05-18 10:20``), cn-date (``發布日期：2023年5月18日``),
    url-date (only the ``/2023/05-18/`` URL has the date; the 落款 has another), ruby
    (``<ruby>`` pinyin in the body).
    """
    moment = notice.published
    site_trad = _to_traditional()(site)
    stamp = {
        "full": f"發布日期：{ymd_hm(moment)}　",
        "cn-date": f"發布日期：{cn_date(moment)}　",
        "ruby": f"發布日期：{ymd(moment)}　",
    }.get(variant, "")
    render = (lambda p: pinyin.ruby(esc(p))) if variant == "ruby" else esc
    files = attachment_links(notice, lambda f: f"/gate/big5/www.haedu.gov.cn/uploadfile/{f}")
    path = f"/{moment:%Y}/{moment:%m-%d}/{notice.id}.html"
    body = (
        '<div class="gate">您正在訪問的是繁體版　<a href="http://www.haedu.gov.cn/">簡體版</a></div>\n'
        f'<div class="head"><div class="logo"><img src="/gate/big5/www.haedu.gov.cn/images/logo.png" alt="{esc(site_trad)}"></div></div>\n'
        f'<div class="daohang">{_menu("首頁 機構設置 政務公開 通知公告 教育新聞 互動交流")}</div>\n'
        '<div class="wrap">\n<div class="xl-wz">您的位置：<a href="/">首頁</a> &gt; <a href="/tzgg/">通知公告</a></div>\n'
        f'<div class="xl-box">\n<div class="xl-bt">{esc(notice.title)}</div>\n'
        f'<div class="xl-xx">{stamp}來源：{esc(notice.issuer or site_trad)}　瀏覽次數：{notice.views}</div>\n'
        f'<div class="xl-nr">\n{body_paragraphs(notice, text=render)}\n{files}</div>\n'
        '<div class="xl-gb">【<a href="javascript:window.print()">打印本頁</a>】【<a href="javascript:window.close()">關閉窗口</a>】</div>\n'
        "</div>\n</div>\n"
        f'<div class="foot"><p>主辦單位：{esc(site_trad)}　地址：鄭州市金水東路16號</p>'
        f"<p>版權所有：{esc(site_trad)}　豫ICP備05002345號　網站標識碼：4100000023</p></div>"
    )
    url = f"http://www.haedu.gov.cn/gate/big5/www.haedu.gov.cn{path}"
    html = document(title=f"{notice.title}_{site_trad}", body=body, html_attrs=' lang="zh-Hant"')
    return Page(url, html)


GENERIC_RENDERERS: dict[str, Renderer] = {
    "generic-frame": frame,
    "generic-table": table,
    "generic-school": school,
    "generic-portal": portal,
    "generic-big5": big5,
    "generic-news": news,
}
GENERIC_UNDATED = {("generic-table", "no-date"), ("generic-school", "no-date")}
"""Variants whose pages carry no publish date at all (label: null)."""
