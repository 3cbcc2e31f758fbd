"""A TRS list written by ``document.write`` (湖南省教育厅-style): no row is in the HTML.

Each row is a ``<script>`` that builds its link at load time, as TRS templates do when
a row's URL depends on whether it points to another site; without a browser the list
is empty. Detail pages and paging (``createPageHTML``) are TRS's usual static ones.
"""

from __future__ import annotations

import json

from monitor.demo.markup import ymd
from monitor.demo.model import MockNotice
from monitor.demo.styles.trs import COLUMN_DIR, TrsSite


class ScriptTrsSite(TrsSite):
    """:class:`TrsSite` whose list rows are scripts (``document.write``)."""

    style = "trs_script"

    def __init__(self, name: str, *, third_party: str | None = None, **options) -> None:
        super().__init__(name, **options)
        self.third_party = third_party  # base URL of another site whose script every page loads

    def _chrome(self, title: str, head: str, main: str, trail: str) -> str:
        if self.third_party:  # as gov sites load 网站找错 / statistics scripts from elsewhere
            head += f'\n<script src="{self.third_party}/exposure/jiucuo.js?site_code=4300000010"></script>'
        return super()._chrome(title, head, main, trail)

    def _list_row(self, notice: MockNotice) -> str:
        link = json.dumps(self._relative(notice))
        title = json.dumps(notice.title, ensure_ascii=False)
        shown = json.dumps(self.list_title(notice), ensure_ascii=False)
        flag = '<img src="/images/top.gif" alt="置顶"> ' if notice.pinned else ""
        return (
            f"<script>var str_url = {link}; var str_title = {shown};\n"
            f'if (str_url.indexOf("http") != 0) {{ str_url = "{COLUMN_DIR}" + str_url.substring(2); }}\n'
            f"document.write('<li>{flag}<a href=\"' + str_url + '\" target=\"_blank\" title=' "
            f"+ JSON.stringify({title}) + '>' + str_title + '</a><span>{ymd(notice.published)}"
            "</span></li>');</script>"
        )
