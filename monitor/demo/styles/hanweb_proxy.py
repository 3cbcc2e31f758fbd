"""Hanweb JCMS (大汉) column whose rows come only from ``dataproxy.jsp`` (浙江-like).

The column page's XML island is empty: ``jpage`` asks ``POST /module/web/jpage/dataproxy.jsp
?startrecord=A&endrecord=B&perpage=N`` with the form ``col, appid, webid, path, columnid,
sourceContentType, unitid, webname, permissiontype``, and the endpoint answers XML records
only for the column and unit it knows. Pages, details and files are those of ``hanweb``.
"""

from __future__ import annotations

from monitor.demo import responses
from monitor.demo.model import MockNotice
from monitor.demo.responses import Reply
from monitor.demo.site import Route
from monitor.demo.styles.data_api import DataApiSite, form_of
from monitor.demo.styles.hanweb import COLUMN_ID, UNIT_ID, HanwebSite


class HanwebProxySite(DataApiSite, HanwebSite):
    """List ``/col/col58320/index.html`` (empty island), rows by ``dataproxy.jsp`` POST."""

    style = "hanweb_proxy"

    def route(self, path: str, query: dict[str, str]) -> Route | None:
        if path == self.list_path and "pageNum" in query:
            return None  # no static pages: jpage asks the endpoint
        return super().route(path, query)

    def page_path(self, page: int) -> str:
        first = (page - 1) * self.per_page + 1
        end = first + self.per_page - 1
        return f"/module/web/jpage/dataproxy.jsp?startrecord={first}&endrecord={end}&perpage={self.per_page}"

    def render_list(self, page: int, rows: list[MockNotice], pages: int) -> str:
        """The column page with its island's record set empty."""
        full = super().render_list(page, rows, pages)
        start, end = full.index("<recordset>") + len("<recordset>"), full.index("</recordset>")
        return full[:start] + "\n" + full[end:]

    def answer_other(
        self,
        route: Route,
        method: str,
        query: dict[str, str],
        headers: dict[str, str],
        body: bytes = b"",
    ) -> Reply:
        if route.kind != "dataproxy":
            return super().answer_other(route, method, query, headers, body)
        form = form_of(body)
        if method != "POST" or (form.get("columnid"), form.get("unitid")) != (
            str(COLUMN_ID),
            UNIT_ID,
        ):
            xml = '<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>0</totalrecord><totalpage>0</totalpage><recordset></recordset></datastore>'
            return self.api_answer(
                lambda: responses.text_reply(200, xml, "text/xml; charset=UTF-8")
            )
        return self.api_answer(
            lambda: HanwebSite.answer_other(self, route, method, query, headers, body)
        )
