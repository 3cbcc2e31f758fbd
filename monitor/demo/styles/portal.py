"""A city bureau's portal: a home page linking to its notice columns, each a list of its own.

The field guide's 集约化 government sites: columns at ``/<dir>/index.html`` paged
``index_2.html`` …, articles at ``/art/YYYY/M/D/art_<column>_<id>.html`` whatever the
column's folder (so a column can move without its notices changing address). The
home page comes in three layouts: ``nav`` (column links in the navigation bar),
``tabs`` (a tab strip over latest-notice panels) and ``block`` (homepage blocks
headed by the column name, each with a 更多 link).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence

from monitor.demo.markup import body_paragraphs, document, esc, ymd, ymd_hm
from monitor.demo.model import MockNotice
from monitor.demo.responses import Reply
from monitor.demo.site import MockSite, Route

LAYOUTS = ("nav", "tabs", "block")
_ARTICLE = re.compile(r"^/art/\d{4}/\d{1,2}/\d{1,2}/art_(\d+)_(\d+)\.html$")
_FOOTER = (
    '<div class="footer"><p>主办：{name}　网站标识码：3701000023　鲁ICP备05001234号</p>'
    "<p>技术支持：某某网络科技有限公司</p></div>"
)


class ColumnSite(MockSite):
    """One column of the portal: list ``<dir>index.html`` (+ ``index_N.html``), articles under /art/."""

    style = "column"
    default_per_page = 5

    def __init__(self, name: str, *, column: str, column_id: int, folder: str, **options) -> None:
        super().__init__(name, column=column, **options)
        self.column_id = column_id
        self.folder = folder

    def move(self, folder: str) -> None:
        """The column moves to another folder (a site rebuild): the old list answers 404."""
        with self._lock:
            self.folder = folder

    def route(self, path: str, query: dict[str, str]) -> Route | None:
        if path.startswith(self.folder):
            match = re.fullmatch(r"(?:index(?:_(\d+))?\.html)?", path[len(self.folder) :])
            if match and match.group(1) != "1":
                return Route("list", int(match.group(1) or 1))
        if (match := _ARTICLE.match(path)) and int(match.group(1)) == self.column_id:
            return Route("detail", int(match.group(2)))
        return None

    def page_path(self, page: int) -> str:
        return self.folder + ("index.html" if page == 1 else f"index_{page}.html")

    def notice_path(self, notice: MockNotice) -> str:
        day = notice.published
        return f"/art/{day.year}/{day.month}/{day.day}/art_{self.column_id}_{notice.id}.html"

    def row(self, notice: MockNotice) -> str:
        """A list row, as the list and the home page's blocks show it."""
        return (
            f'<li><a href="{self.notice_path(notice)}" target="_blank" title="{esc(notice.title)}">'
            f'{esc(notice.title)}</a><span class="time">{ymd(notice.published)}</span></li>'
        )

    def _page(self, title: str, main: str) -> str:
        body = (
            f'<div class="header"><div class="logo">{esc(self.name)}</div>'
            '<div class="nav"><ul><li><a href="/">首页</a></li>'
            f'<li><a href="{self.folder}">{esc(self.column)}</a></li></ul></div></div>\n'
            f'<div class="position">当前位置：<a href="/">首页</a> &gt; '
            f'<a href="{self.folder}">{esc(self.column)}</a></div>\n'
            f"{main}\n{_FOOTER.format(name=esc(self.name))}"
        )
        return document(title=title, body=body)

    def render_list(self, page: int, rows: list[MockNotice], pages: int) -> str:
        pager = [f"<span>共{pages}页</span>", '<a href="index.html">首页</a>']
        if page > 1:
            previous = "index.html" if page == 2 else f"index_{page - 1}.html"
            pager.append(f'<a href="{previous}">上一页</a>')
        if page < pages:
            pager.append(f'<a href="index_{page + 1}.html">下一页</a>')
        main = (
            f'<div class="list-title">{esc(self.column)}</div>\n<div class="list-content"><ul>\n'
            + "\n".join(self.row(n) for n in rows)
            + f'\n</ul></div>\n<div class="page">{" ".join(pager)}</div>'
        )
        return self._page(f"{self.column} - {self.name}", main)

    def render_detail(self, notice: MockNotice) -> str:
        main = (
            f'<div class="article"><h1>{esc(notice.title)}</h1>\n'
            f'<div class="info">发布时间：{ymd_hm(notice.published)}　'
            f"来源：{esc(notice.issuer or self.name)}</div>\n"
            f'<div id="zoom">{body_paragraphs(notice)}</div></div>'
        )
        return self._page(f"{notice.title} - {self.name}", main)


class BureauPortal(MockSite):
    """The home page at ``/`` in one of :data:`LAYOUTS`; every other path is a column's."""

    style = "portal"

    def __init__(self, name: str, columns: Sequence[ColumnSite], layout: str, **options) -> None:
        if layout not in LAYOUTS:
            raise ValueError(f"unknown layout {layout!r}; expected one of {LAYOUTS}")
        super().__init__(name, source_id=f"demo-portal-{layout}", **options)
        self.columns = list(columns)
        self.layout = layout

    def column_named(self, label: str) -> ColumnSite:
        return next(c for c in self.columns if c.column == label)

    def route(self, path: str, query: dict[str, str]) -> Route | None:
        return Route("home") if path in ("/", "/index.html") else None

    def answer_other(
        self,
        route: Route,
        method: str,
        query: dict[str, str],
        headers: dict[str, str],
        body: bytes = b"",
    ) -> Reply:
        return self.page_reply(200, self.render_home())

    def render(
        self,
        method: str,
        path: str,
        query: str | Mapping[str, str] = "",
        headers: Mapping[str, str] | None = None,
        body: bytes = b"",
    ) -> tuple[int, dict[str, str], bytes | Iterator[bytes]]:
        """A column's pages are the column's answers (its own log, faults and validators)."""
        bare = path.split("?", 1)[0]
        for column in self.columns:
            if column.route(bare, {}) is not None:
                return column.render(method, path, query, headers, body)
        return super().render(method, path, query, headers, body)

    # ---------------------------------------------------------------- the home page
    def _block_rows(self, column: ColumnSite) -> str:
        return "\n".join(column.row(n) for n in column.notices[:5])

    def _nav(self, with_columns: bool) -> str:
        entries = [("/", "首页"), ("/jggk/", "机构概况")]
        if with_columns:
            entries += [(c.folder, c.column) for c in self.columns]
        entries += [("/zwgk/", "政务公开"), ("/hdjl/", "互动交流")]
        items = "".join(f'<li><a href="{href}">{esc(label)}</a></li>' for href, label in entries)
        return f'<div class="nav"><ul>{items}</ul></div>'

    def _layout_body(self) -> str:
        if self.layout == "nav":
            return self._nav(with_columns=True) + (
                '\n<div class="banner"><a href="/zt/2024/"><img src="/images/banner.jpg" '
                'alt="学习贯彻党的二十大精神"></a></div>'
            )
        if self.layout == "tabs":
            on, hidden = ' class="on"', ' style="display:none"'
            tabs = "".join(
                f'<li{on if i == 0 else ""}><a href="{c.folder}index.html" '
                f'target="_blank">{esc(c.column)}</a></li>'
                for i, c in enumerate(self.columns)
            )
            panels = "\n".join(
                f'<div class="tab-con"{"" if i == 0 else hidden}><ul>\n'
                f"{self._block_rows(c)}\n</ul></div>"
                for i, c in enumerate(self.columns)
            )
            return (
                self._nav(with_columns=False)
                + f'\n<div class="tab-box"><div class="tab-title"><ul>{tabs}</ul></div>\n{panels}</div>'
            )
        blocks = "\n".join(
            f'<div class="box"><div class="box-hd"><h3>{esc(c.column)}</h3>'
            f'<a class="more" href="{c.folder}index.html" target="_blank">更多&gt;&gt;</a></div>\n'
            f"<ul>\n{self._block_rows(c)}\n</ul></div>"
            for c in reversed(self.columns)  # the notice column is not the first block
        )
        return self._nav(with_columns=False) + "\n" + blocks

    def render_home(self) -> str:
        topics = "".join(
            f'<li><a href="/zt/{slug}/">{esc(title)}</a></li>'
            for slug, title in (
                ("2024", "学习贯彻党的二十大精神专题"),
                ("sjhd", "“双减”工作专栏——减负提质在行动"),
                ("aqjy", "中小学校园安全教育专题"),
            )
        )
        body = (
            f'<div class="header"><div class="logo">{esc(self.name)}</div></div>\n'
            f"{self._layout_body()}\n"
            f'<div class="zt"><h3>专题专栏</h3><ul>{topics}</ul></div>\n'
            '<div class="links">友情链接：<a href="http://www.moe.gov.cn/">中华人民共和国教育部</a> '
            '<a href="http://edu.shandong.gov.cn/">山东省教育厅</a></div>\n'
            f"{_FOOTER.format(name=esc(self.name))}"
        )
        return document(title=f"{self.name}", body=body)
