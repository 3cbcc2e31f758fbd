"""ASP.NET WebForms 考试院 site (GBK, table layout) whose list pages by ``__doPostBack``.

``/NewsList.aspx?BCID=1&CID=16`` shows page 1; the ``AspNetPager`` links post the form back
(``__EVENTTARGET=AspNetPager1``, ``__EVENTARGUMENT=N``) with the page's ``__VIEWSTATE`` and
``__EVENTVALIDATION``; a post with state the server never issued gets ASP.NET's error page.
Details are ``NewsInfo.aspx?NewsID=N`` with the body in ``td#ReportIDtext``.
"""

from __future__ import annotations

import base64
import hashlib

from monitor.demo import responses
from monitor.demo.markup import body_paragraphs, esc, ymd
from monitor.demo.model import MockNotice
from monitor.demo.responses import Reply
from monitor.demo.site import MockSite, Route
from monitor.demo.styles.data_api import form_of

LIST_QUERY = "BCID=1&CID=16"
PAGER = "AspNetPager1"
GENERATOR = "C8B1B6D5"


class AspNetSite(MockSite):
    """List ``/NewsList.aspx?BCID=1&CID=16`` (PostBack pages), detail ``/NewsInfo.aspx?NewsID=N``."""

    style = "aspnet"
    list_path = f"/NewsList.aspx?{LIST_QUERY}"
    encoding = "gbk"
    charset_label = "gb2312"
    charset_meta = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
    static_lists = False  # .aspx pages are built per request
    first_id = 5601
    default_per_page = 5

    def route(self, path: str, query: dict[str, str]) -> Route | None:
        if path == "/NewsList.aspx" and (query.get("BCID"), query.get("CID")) == ("1", "16"):
            return Route("postback")
        if path == "/NewsInfo.aspx" and query.get("NewsID", "").isdigit():
            notice_id = int(query["NewsID"])
            return Route("detail", notice_id) if notice_id in self._notices else None
        return None

    def page_path(self, page: int) -> str:
        return self.list_path  # every page: the posted form says which

    def notice_path(self, notice: MockNotice) -> str:
        return f"/NewsInfo.aspx?NewsID={notice.id}"

    def view_state(self, page: int) -> str:
        """The ``__VIEWSTATE`` the server issues with page ``page``."""
        digest = hashlib.sha1(f"{self.source_id}:{page}".encode()).digest()
        return base64.b64encode(b"\xff\x01\x0f\x0f" + bytes([page]) + digest).decode()

    def _validation(self, page: int) -> str:
        digest = hashlib.md5(f"{self.source_id}:valid:{page}".encode()).digest()
        return base64.b64encode(digest).decode()

    # ---------------------------------------------------------------- answers
    def answer_other(
        self,
        route: Route,
        method: str,
        query: dict[str, str],
        headers: dict[str, str],
        body: bytes = b"",
    ) -> Reply:
        if route.kind != "postback":
            return super().answer_other(route, method, query, headers, body)
        if method != "POST":
            return self._list_reply(1, headers)
        form = form_of(body)
        issued = {self.view_state(p): p for p in range(1, self.page_count + 1)}
        posted = issued.get(form.get("__VIEWSTATE", ""))
        argument = form.get("__EVENTARGUMENT", "")
        if (
            posted is None
            or form.get("__EVENTVALIDATION") != self._validation(posted)
            or form.get("__EVENTTARGET") != PAGER
            or not argument.isdigit()
        ):
            return self._invalid_state()
        return self._list_reply(int(argument), headers)

    def _invalid_state(self) -> Reply:
        page = (
            "<html><head><title>Validation of viewstate MAC failed.</title></head><body>"
            "<span><H1>“/”应用程序中的服务器错误。<hr width=100% size=1 color=silver></H1>"
            "<h2><i>验证视图状态 MAC 失败。</i></h2></span></body></html>"
        )
        return responses.html_reply(500, page, "utf-8", "utf-8")

    # ---------------------------------------------------------------- pages
    def _page(self, title: str, main: str) -> str:
        return (
            '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
            '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
            f'<html xmlns="http://www.w3.org/1999/xhtml">\n<head>\n{self.charset_meta}\n'
            f"<title>{esc(title)}</title>\n"
            '<link href="/css/style.css" rel="stylesheet" type="text/css" />\n</head>\n<body>\n'
            f'<table width="1000" align="center"><tr><td class="top">{esc(self.name)}</td></tr>'
            '<tr><td class="nav"><a href="/Default.aspx">网站首页</a> | <a href="/NewsList.aspx?BCID=1&amp;CID=16">通知公告</a> | '
            '<a href="/NewsList.aspx?BCID=2&amp;CID=21">政策法规</a></td></tr></table>\n'
            f"{main}\n"
            f'<table width="1000" align="center"><tr><td class="foot">版权所有：{esc(self.name)}　鲁ICP备05003391号</td></tr></table>\n'
            "</body>\n</html>\n"
        )

    def _pager(self, page: int, pages: int) -> str:
        def link(label: str, target: int, enabled: bool) -> str:
            if not enabled:
                return f'<a disabled="disabled" style="margin-right:5px;">{label}</a>'
            return (
                f"<a href=\"javascript:__doPostBack('{PAGER}','{target}')\" "
                f'style="margin-right:5px;">{label}</a>'
            )

        numbers = "".join(
            f'<span class="cpb" style="margin-right:5px;">{n}</span>'
            if n == page
            else link(str(n), n, True)
            for n in range(1, pages + 1)
        )
        return (
            f'<div id="{PAGER}">{link("首页", 1, page > 1)}{link("上一页", page - 1, page > 1)}'
            f"{numbers}{link('下一页', page + 1, page < pages)}{link('尾页', pages, page < pages)}"
            f"　共{len(self.notices)}条 第{page}/{pages}页</div>"
        )

    def render_list(self, page: int, rows: list[MockNotice], pages: int) -> str:
        items = "\n".join(
            f'<li><a href="NewsInfo.aspx?NewsID={n.id}" title="{esc(n.title)}" target="_blank">'
            f"{esc(self.list_title(n))}</a><span>{ymd(n.published)}</span></li>"
            for n in rows
        )
        main = (
            f'<form method="post" action="./NewsList.aspx?BCID=1&amp;CID=16" id="form1">\n'
            '<div class="aspNetHidden">\n'
            '<input type="hidden" name="__EVENTTARGET" id="__EVENTTARGET" value="" />\n'
            '<input type="hidden" name="__EVENTARGUMENT" id="__EVENTARGUMENT" value="" />\n'
            f'<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="{self.view_state(page)}" />\n'
            "</div>\n"
            "<script type=\"text/javascript\">\n//<![CDATA[\nvar theForm = document.forms['form1'];\n"
            "function __doPostBack(eventTarget, eventArgument) {\n"
            "    if (!theForm.onsubmit || (theForm.onsubmit() != false)) {\n"
            "        theForm.__EVENTTARGET.value = eventTarget;\n"
            "        theForm.__EVENTARGUMENT.value = eventArgument;\n        theForm.submit();\n    }\n}\n//]]>\n</script>\n"
            '<div class="aspNetHidden">\n'
            f'<input type="hidden" name="__VIEWSTATEGENERATOR" id="__VIEWSTATEGENERATOR" value="{GENERATOR}" />\n'
            f'<input type="hidden" name="__EVENTVALIDATION" id="__EVENTVALIDATION" value="{self._validation(page)}" />\n'
            "</div>\n"
            f'<table width="1000" align="center"><tr><td class="laylist-l">{esc(self.column)}</td>'
            f'<td class="laylist-r"><div class="laylist"><ul>\n{items}\n</ul></div>\n'
            f"{self._pager(page, pages)}</td></tr></table>\n</form>"
        )
        return self._page(f"{self.column}-{self.name}", main)

    def render_detail(self, notice: MockNotice) -> str:
        main = (
            '<table width="1000" align="center"><tr><td id="Content1"><div><ul>'
            f"<li><h1>{esc(notice.title)}</h1></li>\n"
            f'<li>{self.dated(f"""<span id="ReportIDIssueTime">{ymd(notice.published)}</span>""")}'
            f'　来源：{esc(notice.issuer or "本院")}　阅读：<span id="hits">{notice.views}</span></li></ul></div></td></tr>\n'
            f'<tr><td id="ReportIDtext" class="txt">{body_paragraphs(notice)}</td></tr></table>'
        )
        return self._page(f"{notice.title}-{self.name}", main)
