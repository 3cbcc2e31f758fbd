"""A list table filled by ``fetch()`` from a JSON endpoint (四川省教育厅-style 政策文件库).

The list page is a shell: an empty ``<tbody>`` and a script that reads ``?pageNo=`` from
its own URL, fetches ``/scedu/api/wjList?pageNo=N&pageSize=M`` and writes the rows and a
pager with real links. Detail pages are static ``.shtml`` pages.
"""

from __future__ import annotations

import hashlib
import json
import re

from monitor.demo import responses
from monitor.demo.markup import HTML5, body_paragraphs, esc, ymd
from monitor.demo.model import MockNotice
from monitor.demo.responses import Reply
from monitor.demo.site import MockSite, Route

LIST_PATH = "/scedu/zcwjk/newzfwj.shtml"
API_PATH = "/scedu/api/wjList"
_DETAIL = re.compile(r"^/scedu/c100128/\d{4}/\d{1,2}/\d{1,2}/[0-9a-f]{32}\.shtml$")

_SCRIPT = """<script>
(function () {
  var match = /[?&]pageNo=(\\d+)/.exec(location.search);
  var pageNo = match ? parseInt(match[1], 10) : 1;
  fetch("%(api)s?pageNo=" + pageNo + "&pageSize=%(size)d", {headers: {"X-Requested-With": "XMLHttpRequest"}})
    .then(function (r) { return r.json(); })
    .then(function (res) {
      var rows = res.data.map(function (item, i) {
        return "<tr><td>" + ((pageNo - 1) * %(size)d + i + 1) + "</td><td class=\\"title\\"><a href=\\"" +
          item.url + "\\" target=\\"_blank\\" title=\\"" + item.title + "\\">" + item.title + "</a></td><td>" +
          item.wh + "</td><td>" + item.pubDate + "</td></tr>";
      });
      document.querySelector("#wjTable tbody").innerHTML = rows.join("");
      var pages = Math.ceil(res.total / res.pageSize), pager = "共" + res.total + "条 ";
      if (pageNo > 1) pager += "<a href=\\"?pageNo=" + (pageNo - 1) + "\\">上一页</a> ";
      pager += "<span class=\\"cur\\">" + pageNo + "/" + pages + "</span> ";
      if (pageNo < pages) pager += "<a href=\\"?pageNo=" + (pageNo + 1) + "\\">下一页</a>";
      document.getElementById("pager").innerHTML = pager;
    });
})();
</script>"""


class XhrTableSite(MockSite):
    """List ``/scedu/zcwjk/newzfwj.shtml[?pageNo=N]`` (a shell), data ``/scedu/api/wjList``."""

    style = "xhr_table"
    list_path = LIST_PATH
    first_id = 7301
    default_per_page = 8
    static_lists = False

    def route(self, path: str, query: dict[str, str]) -> Route | None:
        if path == LIST_PATH:
            page = query.get("pageNo", "1")
            return Route("list", int(page)) if page.isdigit() else None
        if path == API_PATH:
            return Route("api")
        if _DETAIL.match(path):
            return next(
                (Route("detail", n.id) for n in self.notices if self.notice_path(n) == path), None
            )
        return None

    def _digest(self, notice: MockNotice) -> str:
        return hashlib.md5(f"{self.source_id}:{notice.id}".encode()).hexdigest()

    def page_path(self, page: int) -> str:
        return LIST_PATH if page == 1 else f"{LIST_PATH}?pageNo={page}"

    def notice_path(self, notice: MockNotice) -> str:
        day = notice.published
        return f"/scedu/c100128/{day.year}/{day.month}/{day.day}/{self._digest(notice)}.shtml"

    def answer_other(
        self,
        route: Route,
        method: str,
        query: dict[str, str],
        headers: dict[str, str],
        body: bytes = b"",
    ) -> Reply:
        if route.kind != "api":
            return self._error(404)
        try:
            page, size = int(query.get("pageNo", "1")), int(query.get("pageSize", "8"))
        except ValueError:
            return self._error(404)
        rows = self.notices[(page - 1) * size : page * size]
        data = {
            "total": len(self.notices),
            "pageNo": page,
            "pageSize": size,
            "data": [
                {
                    "title": n.title,
                    "url": self.notice_path(n),
                    "wh": n.doc_number or "",
                    "pubDate": ymd(n.published),
                }
                for n in rows
            ],
        }
        answer = json.dumps(data, ensure_ascii=False)
        return responses.text_reply(200, answer, "application/json;charset=UTF-8")

    def _page(self, title: str, main: str, head: str = "") -> str:
        return (
            f'{HTML5}\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n<title>{esc(title)}</title>\n'
            f'<link rel="stylesheet" href="/scedu/css/common.css">\n{head}</head>\n<body>\n'
            f'<div class="top"><img src="/scedu/images/logo.png" alt="{esc(self.name)}"></div>\n'
            '<div class="nav"><a href="/scedu/">首页</a><a href="/scedu/jyxw/">教育新闻</a>'
            f'<a href="{LIST_PATH}">政策文件</a><a href="/scedu/bsfw/">办事服务</a></div>\n'
            f"{main}\n"
            f'<div class="footer">主办：{esc(self.name)}　蜀ICP备05005212号</div>\n</body>\n</html>\n'
        )

    def _shell(self) -> str:
        main = (
            '<div class="main"><div class="lm-title">政策文件</div>\n'
            '<table id="wjTable" class="wj-table"><thead><tr><th>序号</th><th>标题</th>'
            "<th>文号</th><th>发布日期</th></tr></thead><tbody></tbody></table>\n"
            '<div id="pager" class="pager"></div></div>\n'
            + _SCRIPT
            % {"api": API_PATH, "size": self.per_page}
        )
        return self._page(f"政策文件_{self.name}", main)

    def render_list(self, page: int, rows: list[MockNotice], pages: int) -> str:
        return self._shell()

    def render_detail(self, notice: MockNotice) -> str:
        doc = f'<p class="wh">{esc(notice.doc_number)}</p>' if notice.doc_number else ""
        main = (
            f'<div class="article"><h1>{esc(notice.title)}</h1>{doc}\n'
            f'<div class="info">{self.dated(f"发布日期：{ymd(notice.published)}　")}'
            f"来源：{esc(notice.issuer or self.name)}</div>\n"
            f'<div class="content" id="content">\n{body_paragraphs(notice)}\n</div></div>'
        )
        return self._page(f"{notice.title}_{self.name}", main)
