"""A traditional-script (繁體) education portal, UTF-8, hacked with SEO spam.

It mimics the ``generic`` CMS profile: a portal of no CMS we recognise. Its article
box (``div.content#content``) is no known template's, so extraction takes the
general path, which this style exists to exercise. Its URL layout
(``/xwsd/YYYY/MMDD/<id>.html``, uploads under ``/uploadfile/YYYY/MMDD/``) is PHPCMS v9's
static one, but nothing in its markup says PHPCMS, so it is not given that profile.
The ``big5`` key names its script (繁體), not a CMS; it predates the profiles and stays,
as tests and ``demo-big5`` source ids use it.

Some bodies carry pinyin as ``<ruby>`` markup, one as flattened ``開(kāi)``
text; the page hides spam inside the article (``display:none``,
``visibility:hidden``, ``hidden``) and shows a link farm under the footer.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from monitor.demo import pinyin
from monitor.demo.markup import body_paragraphs, esc, shorten, ymd, ymd_hms
from monitor.demo.model import MockNotice
from monitor.demo.site import MockSite, Route

COLUMN_DIR = "/xwsd/"
_DETAIL = re.compile(r"^/xwsd/(\d{4})/(\d{4})/(\d+)\.html$")
_FILE = re.compile(r"^/uploadfile/\d{4}/\d{4}/(\w+\.\w+)$")
SPAM = (
    "澳門新葡京娛樂場", "太陽城娛樂官網", "體育彩票平台註冊送彩金", "線上真人百家樂",
    "免費在線看片", "幸運飛艇計劃網", "六合彩開獎直播", "網上賭場排行",
)  # fmt: skip
WIDGETS = (
    ("官方活動", "ACTIVITY", ("第五屆徐州市中小學生書法大賽啟動", "「書香校園」徵文活動獲獎名單")),
    ("優秀作文", "COMPOSITION", ("我的老師", "家鄉的雲龍湖", "一次難忘的運動會")),
    (
        "視頻中心",
        "VIDEO",
        ("徐州市銅山中學元旦匯演", "幸福100天 家校同心圓——徐州市解放路小學一年級家長開放日"),
    ),
)


def _spam_links(start: int, count: int) -> str:
    words = [SPAM[(start + i) % len(SPAM)] for i in range(count)]
    return "".join(
        f'<a href="http://www.{i}{start}8xj.com/" target="_blank">{w}</a>，'
        for i, w in enumerate(words)
    )


class Big5Site(MockSite):
    """List ``/xwsd/`` (``?page=N``), detail ``/xwsd/YYYY/MMDD/<id>.html``."""

    title_limit = 26
    title_ellipsis = "…"
    file_pattern = _FILE
    style = "big5"
    list_path = COLUMN_DIR
    static_lists = False
    first_id = 3301
    default_per_page = 5

    def __init__(self, name: str, **options) -> None:
        options.setdefault("column", "校聞速遞")
        super().__init__(name, **options)

    def id_step(self, notice_id: int) -> int:
        return 3 + notice_id % 5

    def route(self, path: str, query: dict[str, str]) -> Route | None:
        if path in {COLUMN_DIR, COLUMN_DIR + "index.html"}:
            page = query.get("page", "1")
            return Route("list", int(page)) if page.isdigit() else None
        if match := _DETAIL.match(path):
            year, monthday, notice_id = match.groups()
            return self.dated_detail(notice_id, year + monthday)
        return self.file_route(path)

    def page_path(self, page: int) -> str:
        return COLUMN_DIR + (f"?page={page}" if page > 1 else "")

    def notice_path(self, notice: MockNotice) -> str:
        return f"{COLUMN_DIR}{notice.published:%Y/%m%d}/{notice.id}.html"

    # ---------------------------------------------------------------- pages
    def _page(self, title: str, trail: str, main: str) -> str:
        widgets = "\n".join(
            f'<div class="widget"><div class="wt"><h3>{name}</h3><span>{english}</span><a href="/{english.lower()}/">更多»</a></div>'
            "<ul>"
            + "".join(
                f'<li><a href="/{english.lower()}/{i + 1}.html">{esc(item)}</a></li>'
                for i, item in enumerate(items)
            )
            + "</ul></div>"
            for name, english, items in WIDGETS
        )
        return (
            '<!DOCTYPE html>\n<html lang="zh-Hant">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{esc(title)}</title>\n"
            f'<meta name="keywords" content="{esc(self.name)},徐州教育,校園新聞">\n'
            '<link rel="stylesheet" href="/static/css/main.css">\n</head>\n<body>\n'
            f'<div class="topbar">歡迎進入{esc(self.name)} 徐州校園速遞!</div>\n'
            f'<div class="nav"><a href="/">首頁</a><a href="/xwsd/">{esc(self.column)}</a><a href="/jyzx/">教育資訊</a>'
            '<a href="/yxzw/">優秀作文</a><a href="/video/">視頻中心</a></div>\n'
            f'<div class="weizhi">您現在的位置是:<a href="/">{esc(self.name)}</a> &gt; <a href="/xwsd/">{esc(self.column)}</a>{trail}</div>\n'
            f'<div class="wrap"><div class="left">\n{main}\n</div>\n<div class="right">\n{widgets}\n</div></div>\n'
            f'<div class="footer"><p>Copyright © 2012-2024 {esc(self.name)} 版權所有</p><p>蘇ICP備12034567號-2</p></div>\n'
            f'<div class="friendlink">{_spam_links(0, 8)}</div>\n</body>\n</html>\n'
        )

    def render_list(self, page: int, rows: list[MockNotice], pages: int) -> str:
        items = "\n".join(
            f'<li><span class="time">{ymd(n.published)}</span><a href="{self.notice_path(n)}" target="_blank" title="{esc(n.title)}">'
            f"{esc(self.list_title(n))}</a><p>{esc(shorten(n.paragraphs[0], 50, '…'))}</p></li>"
            for n in rows
        )
        links = [
            f'<a href="{self.page_path(p)}">{p}</a>' if p != page else f"<b>{p}</b>"
            for p in range(1, pages + 1)
        ]
        if page < pages:
            links.append(f'<a href="{self.page_path(page + 1)}">下一頁</a>')
        main = f'<div class="newslist"><ul>\n{items}\n</ul></div>\n<div class="pages">{"".join(links)}</div>'
        return self._page(f"{self.column}_{self.name}", "", main)

    def _paragraph(self, notice: MockNotice) -> Callable[[str], str]:
        def render(text: str) -> str:
            if notice.pinyin == "flat":
                return esc(pinyin.flattened(text))
            html_text = esc(text)
            return pinyin.ruby(html_text) if notice.pinyin == "ruby" else html_text

        return render

    def render_detail(self, notice: MockNotice) -> str:
        paragraphs = body_paragraphs(notice, text=self._paragraph(notice), attrs="", separator="\n")
        hidden = (
            f'<p style="display:none">{_spam_links(notice.id, 3)}</p>\n'
            f'<div hidden><a href="http://www.{notice.id}kj.com/">{SPAM[notice.id % len(SPAM)]}</a></div>\n'
            f'<span style="visibility: hidden">{SPAM[(notice.id + 3) % len(SPAM)]}</span>\n'
        )
        split = paragraphs.find("</p>") + len("</p>")
        files = "".join(
            f'<p><a href="/uploadfile/{notice.published:%Y/%m%d}/{filename}">{esc(name)}</a></p>'
            for name, filename in notice.attachments
        )
        main = (
            f'<div class="article"><h1>{esc(notice.title)}</h1>\n'
            f'<div class="info">信息來自:{esc(notice.issuer or self.name)}&nbsp;&nbsp;&nbsp;&nbsp;'
            + self.dated(f"發布時間:{ymd_hms(notice.published)}&nbsp;&nbsp;&nbsp;&nbsp;")
            + f"閱讀量:{notice.views}次</div>\n"
            f'<div class="zhaiyao">[摘要]:彭城教育:{esc(shorten(notice.paragraphs[0], 70, ""))}</div>\n'
            f'<div class="content" id="content">\n{paragraphs[:split]}\n{hidden}{paragraphs[split:]}\n</div>\n'
            + (f'<div class="fujian">附件：{files}</div>\n' if files else "")
            + f'<div class="bianji"><p>編輯:融媒體中心 {esc(notice.author or "李婉婷")}</p><p>審核:組織宣傳處</p></div>\n'
            '<div class="share">掃一掃,分享本頁<img src="/static/images/qrcode.png" alt=""></div></div>'
        )
        trail = f" &gt; {esc(notice.title)}"
        return self._page(f"{notice.title}_{self.column}_{self.name}", trail, main)
