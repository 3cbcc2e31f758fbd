"""A newer portal built as a single-page app, its notices from a JSON API of its own.

No CMS of ours knows it: the list page ``/tzgg/index.html`` is an empty ``#app`` and
the browser posts ``{"pageNo": N, "pageSize": S, "columnCode": "tzgg"}`` as JSON to
``/api/cms/article/page``, which answers ``{"code": 200, "data": {"total", "records":
[{"articleId", "articleTitle", "publishTime" (epoch ms)}]}}``. Details are server-built
``/tzgg/<articleId>.html`` pages. Sources read it through a declared ``[sources.api]``.
"""

from __future__ import annotations

import re

from monitor.demo.markup import body_paragraphs, esc, ymd_hm
from monitor.demo.model import MockNotice, beijing_to_utc
from monitor.demo.responses import Reply
from monitor.demo.site import Route
from monitor.demo.styles.data_api import DataApiSite, json_of, json_reply

API_PATH = "/api/cms/article/page"
COLUMN_CODE = "tzgg"
_DETAIL = re.compile(r"^/tzgg/([0-9a-f]{12})\.html$")
_FILE = re.compile(r"^/upload/files/(\w+\.\w+)$")


class JsonApiSite(DataApiSite):
    """Shell ``/tzgg/index.html``, API ``POST /api/cms/article/page``, detail ``/tzgg/<hex id>.html``."""

    style = "jsonapi"
    list_path = "/tzgg/index.html"
    first_id = 880001
    default_per_page = 4
    file_pattern = _FILE

    def article_id(self, notice: MockNotice) -> str:
        """The API's id of a notice: 12 hex digits."""
        return f"{notice.id * 2654435761 % 16**12:012x}"

    def route(self, path: str, query: dict[str, str]) -> Route | None:
        if path in {self.list_path, "/tzgg/"}:
            return Route("shell")
        if path == API_PATH:
            return Route("api")
        if match := _DETAIL.match(path):
            found = next((n for n in self.notices if self.article_id(n) == match.group(1)), None)
            return Route("detail", found.id) if found else None
        return self.file_route(path)

    def page_path(self, page: int) -> str:
        return API_PATH  # every page: the JSON body says which

    def notice_path(self, notice: MockNotice) -> str:
        return f"/tzgg/{self.article_id(notice)}.html"

    # ---------------------------------------------------------------- answers
    def answer_other(
        self,
        route: Route,
        method: str,
        query: dict[str, str],
        headers: dict[str, str],
        body: bytes = b"",
    ) -> Reply:
        if route.kind == "shell":
            return self.page_reply(200, self._shell())
        if route.kind == "api":
            asked = json_of(body) if method == "POST" else None
            return self.api_answer(lambda: json_reply(self._page_of(asked)))
        return super().answer_other(route, method, query, headers, body)

    def _page_of(self, asked: object) -> dict:
        if not isinstance(asked, dict) or asked.get("columnCode") != COLUMN_CODE:
            return {"code": 500, "msg": "栏目不存在", "data": None}
        number, size = asked.get("pageNo"), asked.get("pageSize")
        if not isinstance(number, int) or not isinstance(size, int) or number < 1 or size < 1:
            return {"code": 400, "msg": "参数错误", "data": None}
        listed = self.notices
        shown = listed[(number - 1) * size : number * size]
        records = [
            {
                "articleId": self.article_id(n),
                "articleTitle": n.title,
                "columnCode": COLUMN_CODE,
                "publishTime": int(beijing_to_utc(n.published).timestamp() * 1000),
                "isTop": n.pinned,
            }
            for n in shown
        ]
        pages = -(-len(listed) // size)
        return {
            "code": 200,
            "msg": "success",
            "data": {"total": len(listed), "pages": pages, "current": number, "records": records},
        }

    # ---------------------------------------------------------------- pages
    def _shell(self) -> str:
        return (
            '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width,initial-scale=1">\n'
            f"<title>{esc(self.column)} - {esc(self.name)}</title>\n"
            '<link href="/static/css/app.2b6f1c.css" rel="stylesheet">\n</head>\n<body>\n'
            "<noscript><strong>本站需要启用 JavaScript。</strong></noscript>\n"
            '<div id="app"></div>\n'
            '<script src="/static/js/chunk-vendors.9a1e0d.js"></script>\n'
            '<script src="/static/js/app.c47f21.js"></script>\n</body>\n</html>\n'
        )

    def render_list(self, page: int, rows: list[MockNotice], pages: int) -> str:
        return self._shell()

    def render_detail(self, notice: MockNotice) -> str:
        files = "".join(
            f'<li><a href="/upload/files/{filename}" download>{esc(name)}</a></li>'
            for name, filename in notice.attachments
        )
        return (
            '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{esc(notice.title)} - {esc(self.name)}</title>\n</head>\n<body>\n"
            f'<header class="site-header"><a href="/">{esc(self.name)}</a></header>\n'
            '<main class="article">\n'
            f'<h1 class="article-title">{esc(notice.title)}</h1>\n'
            f'<div class="article-meta">{self.dated(f"<span>发布时间：{ymd_hm(notice.published)}</span>")}'
            f"<span>来源：{esc(notice.issuer or self.name)}</span></div>\n"
            f'<div class="article-content">{body_paragraphs(notice)}</div>\n'
            + (f'<ul class="article-files">{files}</ul>\n' if files else "")
            + f"</main>\n<footer>© {esc(self.name)}</footer>\n</body>\n</html>\n"
        )
