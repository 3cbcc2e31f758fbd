"""Guangdong 集约化 NFCMS bureau site with its 政府信息公开 directory (gkmlpt).

The list page ``/gkmlpt/index#1620`` is an empty single-page app whose script names the
site (``SID: '2'``); its rows come from ``GET /gkmlpt/api/all/1620?page=N&sid=2`` (JSON
``articles[]``, with validators); details are NFCMS pages under ``/gkmlpt/content/``.
"""

from __future__ import annotations

import re
from functools import partial

from monitor.demo.markup import body_paragraphs, esc, meta_tags, ymd, ymd_hms
from monitor.demo.model import MockNotice, beijing_to_utc
from monitor.demo.responses import Reply
from monitor.demo.site import Route
from monitor.demo.styles.data_api import DataApiSite, json_reply

COLUMN = 1620
SID = "2"
API_PATH = f"/gkmlpt/api/all/{COLUMN}"
_DETAIL = re.compile(r"^/gkmlpt/content/(\d+)/(\d+)/post_(\d+)\.html$")
_FILE = re.compile(r"^/attachment/0/\d+/\d+/(\w+\.\w+)$")


class GkmlptSite(DataApiSite):
    """Shell ``/gkmlpt/index``, API ``/gkmlpt/api/all/1620?page=N&sid=2``, detail
    ``/gkmlpt/content/<id/10^6>/<id/1000>/post_<id>.html``."""

    style = "nfcms"
    list_path = "/gkmlpt/index"
    first_id = 4354301
    default_per_page = 5  # the real API answers 100 rows a call
    file_pattern = _FILE

    def id_step(self, notice_id: int) -> int:
        return 7 + notice_id % 13

    def route(self, path: str, query: dict[str, str]) -> Route | None:
        if path == self.list_path:
            return Route("shell")
        if path == API_PATH:
            page = query.get("page", "1")
            return Route("api", int(page)) if page.isdigit() else None
        if match := _DETAIL.match(path):
            notice_id = int(match.group(3))
            expected = (notice_id // 1_000_000, notice_id // 1000)
            if tuple(map(int, match.group(1, 2))) == expected and notice_id in self._notices:
                return Route("detail", notice_id)
            return None
        return self.file_route(path)

    def page_path(self, page: int) -> str:
        return f"{API_PATH}?page={page}&sid={SID}"

    def notice_path(self, notice: MockNotice) -> str:
        return f"/gkmlpt/content/{notice.id // 1_000_000}/{notice.id // 1000}/post_{notice.id}.html"

    def _file_href(self, notice: MockNotice, filename: str) -> str:
        return f"/attachment/0/{notice.id // 10000}/{notice.id // 10}/{filename}"

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
            articles = partial(
                self._articles, int(route.value), headers.get("host", ""), query.get("sid", SID)
            )
            return self.list_validated(self.api_answer(lambda: json_reply(articles())), headers)
        return super().answer_other(route, method, query, headers, body)

    def _articles(self, page: int, host: str, sid: str) -> dict:
        listed = self.notices if sid == SID else []  # another site's directory: nothing here
        rows = listed[(page - 1) * self.per_page : page * self.per_page]
        return {
            "classify": {"id": COLUMN, "name": self.column, "post_count": len(listed)},
            "total": len(listed),
            "articles": [
                {
                    "id": n.id,
                    "title": n.title,
                    "identifier": f"006940116/{n.published.year}-{n.id % 100000:05d}",
                    "publisher": n.issuer or self.name,
                    "created_at": ymd_hms(n.published),
                    "date": int(beijing_to_utc(n.published).timestamp()),
                    "url": f"http://{host}{self.notice_path(n)}",
                }
                for n in rows
            ],
        }

    # ---------------------------------------------------------------- pages
    def _shell(self) -> str:
        return (
            '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
            f"<title>政府信息公开 - {esc(self.name)}</title>\n"
            '<link rel="stylesheet" href="/gkmlpt/static/css/app.8c1f2e.css">\n'
            f"<script>window.GKMLPT = {{SID: '{SID}', SITE_NAME: '{esc(self.name)}', "
            "BASE: '/gkmlpt/'};</script>\n</head>\n<body>\n"
            '<div id="app"><div class="loading">加载中…</div></div>\n'
            "<noscript>请启用浏览器的JavaScript以浏览本页。</noscript>\n"
            '<script src="/gkmlpt/static/js/chunk-vendors.5e0a9b.js"></script>\n'
            '<script src="/gkmlpt/static/js/app.41d7c3.js"></script>\n</body>\n</html>\n'
        )

    def render_list(self, page: int, rows: list[MockNotice], pages: int) -> str:
        return self._shell()

    def render_detail(self, notice: MockNotice) -> str:
        head = meta_tags(
            {
                "ArticleTitle": notice.title,
                "PubDate": ymd_hms(notice.published) if self.meta_pubdate else None,
                "ContentSource": notice.issuer or self.name,
                "ArticleId": str(notice.id),
            }
        )
        files = "".join(
            f'<p>附件：<a href="{self._file_href(notice, filename)}">{esc(name)}</a></p>'
            for name, filename in notice.attachments
        )
        number = esc(notice.doc_number or "")
        return (
            f'<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n{head}\n'
            f"<title>{esc(notice.title)}</title>\n"
            f"<script>var NFCMS_SITE_ID={SID}; var NFCMS_POST_ID={notice.id};</script>\n</head>\n<body>\n"
            f'<div class="header"><div class="logo">{esc(self.name)}</div></div>\n'
            '<table class="xxgk-table">'
            f"<tr><td>索引号：006940116/{notice.published.year}-{notice.id % 100000:05d}</td><td>分类：</td></tr>"
            f"<tr><td>发布机构：{esc(notice.issuer or self.name)}</td><td>成文日期：{ymd(notice.published)}</td></tr>"
            f"<tr><td>文号：{number}</td><td>{self.dated(f'发布日期：{ymd(notice.published)}')}</td></tr></table>\n"
            f"<h1>{esc(notice.title)}</h1>\n"
            f'<div class="news_cont_d_wrap">{body_paragraphs(notice)}{files}</div>\n'
            f'<div class="footer">主办：{esc(self.name)}　粤ICP备05070829号</div>\n</body>\n</html>\n'
        )
