"""Sudy WebPlus (苏迪) university office whose column is drawn from ``generalQuery``.

The list page ``/ggtz/list.htm`` holds an empty ``wp_news`` box and the script that fills
it from ``POST /_wp3services/generalQuery?queryObj=articles`` (form ``siteId, columnId,
pageIndex, rows, orders, returnInfos``); the endpoint answers JSON ``{"total", "data"}``,
pinned (置顶) rows first. Articles are ``/YYYY/MMDD/c<col>a<id>/page.htm``.
"""

from __future__ import annotations

import re

from monitor.demo.markup import body_paragraphs, esc, ymd, ymd_hms
from monitor.demo.model import MockNotice
from monitor.demo.responses import Reply
from monitor.demo.site import Route
from monitor.demo.styles.data_api import DataApiSite, form_of, json_reply

SITE_ID = "414"
COLUMN_ID = "26263"
QUERY_PATH = "/_wp3services/generalQuery"
_DETAIL = re.compile(rf"^/(\d{{4}})/(\d{{4}})/c{COLUMN_ID}a(\d+)/page\.htm$")
_FILE = re.compile(r"^/_upload/article/files/\w\w/\w\w/(\w+\.\w+)$")


class SudyApiSite(DataApiSite):
    """List ``/ggtz/list.htm`` (rows from ``generalQuery``), detail ``/YYYY/MMDD/c26263a<id>/page.htm``."""

    style = "sudy"
    list_path = "/ggtz/list.htm"
    first_id = 123401
    default_per_page = 6
    file_pattern = _FILE

    def id_step(self, notice_id: int) -> int:
        return 3 + notice_id % 11

    def route(self, path: str, query: dict[str, str]) -> Route | None:
        if path == self.list_path:
            return Route("shell")
        if path == QUERY_PATH and query.get("queryObj") == "articles":
            return Route("query")
        if match := _DETAIL.match(path):
            return self.dated_detail(match.group(3), match.group(1) + match.group(2))
        return self.file_route(path)

    def page_path(self, page: int) -> str:
        return f"{QUERY_PATH}?queryObj=articles"  # every page: the form says which

    def notice_path(self, notice: MockNotice) -> str:
        return f"/{notice.published:%Y/%m%d}/c{COLUMN_ID}a{notice.id}/page.htm"

    def _file_href(self, filename: str) -> str:
        return f"/_upload/article/files/{filename[:2]}/{filename[2:4]}/{filename}"

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
        if route.kind == "query":
            if method != "POST":
                return self._error(405)
            form = form_of(body)
            return self.api_answer(lambda: json_reply(self._query(form)))
        return super().answer_other(route, method, query, headers, body)

    def _query(self, form: dict[str, str]) -> dict:
        mine = form.get("siteId") == SITE_ID and form.get("columnId") == COLUMN_ID
        listed = self.notices if mine else []
        index = int(form.get("pageIndex", "1") or 1)
        rows = int(form.get("rows", str(self.per_page)) or self.per_page)
        shown = listed[(index - 1) * rows : index * rows]
        return {
            "pageIndex": index,
            "rows": rows,
            "total": len(listed),
            "pageCount": -(-len(listed) // rows),
            "data": [
                {
                    "id": n.id,
                    "title": n.title,
                    "url": self.notice_path(n),
                    "publisher": n.issuer or self.name,
                    "publishTime": ymd_hms(n.published),
                    "top": 1 if n.pinned else 0,
                }
                for n in shown
            ],
        }

    # ---------------------------------------------------------------- pages
    def _page(self, title: str, main: str) -> str:
        return (
            '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="sudy-wp-context" content="">\n<meta name="sudy-wp-siteId" content="{SITE_ID}">\n'
            f"<title>{esc(title)}</title>\n"
            '<link type="text/css" href="/_css/_system/system.css" rel="stylesheet">\n'
            '<script type="text/javascript" src="/_js/jquery.min.js" sudy-wp-context="" sudy-wp-siteId="414"></script>\n'
            "</head>\n<body>\n"
            f'<div class="header"><div class="logo">{esc(self.name)}</div><ul class="nav"><li><a href="/main.htm">首页</a></li>'
            '<li><a href="/ggtz/list.htm">公告通知</a></li><li><a href="/jxdt/list.htm">教学动态</a></li></ul></div>\n'
            f"{main}\n"
            f'<div class="footer">版权所有 © {esc(self.name)}　苏ICP备05007120号</div>\n</body>\n</html>\n'
        )

    def _shell(self) -> str:
        script = (
            "<script>\n$(function(){\n  var query = {siteId: "
            f"{SITE_ID}, columnId: {COLUMN_ID}, pageIndex: 1, rows: {self.per_page},\n"
            '    orders: \'[{"field":"top","type":"desc"},{"field":"publishTime","type":"desc"}]\',\n'
            '    returnInfos: \'[{"field":"title","name":"title"},{"field":"publishTime","name":"publishTime"}]\'};\n'
            f'  $.ajax({{url: "{QUERY_PATH}?queryObj=articles", type: "POST", data: query,\n'
            "    success: function(res){ renderArticles('#wp_news_w6', res.data); renderPaging(res); }});\n"
            "});\n</script>"
        )
        main = (
            f'<div class="col_title"><h2>{esc(self.column)}</h2></div>\n'
            '<div id="wp_news_w6"><ul class="wp_article_list"></ul></div>\n'
            '<div id="wp_paging_w6"></div>\n' + script
        )
        return self._page(f"{self.column} - {self.name}", main)

    def render_list(self, page: int, rows: list[MockNotice], pages: int) -> str:
        return self._shell()

    def render_detail(self, notice: MockNotice) -> str:
        players = "\n".join(
            f'<div class="wp_pdf_player" pdfsrc="{self._file_href(filename)}" '
            f"sudyfile-attr=\"{{'title':'{esc(name)}'}}\"></div>"
            for name, filename in notice.attachments
        )
        main = (
            '<div class="article">\n'
            f'<h1 class="arti_title">{esc(notice.title)}</h1>\n'
            f'<p class="arti_metas"><span class="arti_publisher">发布者：{esc(notice.issuer or self.name)}</span>'
            f'<span class="arti_update">{self.dated(f"发布时间：{ymd(notice.published)}")}</span>'
            f'<span class="arti_views">浏览次数：<span class="WP_VisitCount" url="/_visitcountdisplay?siteId={SITE_ID}&type=3&articleId={notice.id}">{notice.views}</span></span></p>\n'
            f'<div class="entry"><div class="read"><div class="wp_articlecontent">{body_paragraphs(notice)}\n{players}</div></div></div>\n'
            "</div>"
        )
        return self._page(f"{notice.title} - {self.name}", main)
