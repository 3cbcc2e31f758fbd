"""Sudy WebPlus (苏迪): university sites, articles under ``/YYYY/MMDD/c<col>a<id>/page.htm``.

Some columns are drawn in the browser from ``POST /_wp3services/generalQuery?queryObj=articles``
(form ``siteId, columnId, pageIndex, rows, orders, returnInfos``), which answers JSON
``{"total": …, "data": [{"title", "url", "publishTime"}]}``; the page's script names the ids.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from spiders.cms.api import (
    ApiAnswer,
    ApiError,
    ApiPage,
    ApiRequest,
    ListApi,
    item_entries,
    json_list,
    walk,
)
from spiders.cms.profile import YEAR_MONTHDAY_PATH, CmsProfile, container

_QUERY = re.compile(r"""["']([^"'\s]*/_wp3services/generalQuery[^"'\s]*)["']""")
_SITE = re.compile(
    r"""sudy-wp-siteId["']?\s+content=["'](\d+)|\bsiteId["']?\s*[:=]\s*["']?(\d+)""", re.I
)
_COLUMN = re.compile(r"""\bcolumnId["']?\s*[:=]\s*["']?(\d+)""", re.I)
_ROWS = re.compile(r"""\brows["']?\s*[:=]\s*["']?(\d+)""")
ORDERS = (
    '[{"field":"top","type":"desc"},{"field":"new","type":"desc"},'
    '{"field":"publishTime","type":"desc"}]'
)
RETURN_INFOS = (
    '[{"field":"title","name":"title"},{"field":"publishTime","pattern":[{"name":"d",'
    '"value":"yyyy-MM-dd HH:mm:ss"}],"name":"publishTime"},{"field":"link","name":"link"}]'
)


def recognise(page_html: str, page_url: str) -> bool:
    return bool(_QUERY.search(page_html))


def _query(url: str, form: dict[str, str]) -> ApiRequest:
    return ApiRequest(url, "POST", tuple(form.items()))


def first(page_html: str, page_url: str) -> ApiRequest:
    """Page 1 of the column the page's script asks ``generalQuery`` for."""
    site, column = _SITE.search(page_html), _COLUMN.search(page_html)
    if site is None or column is None:
        raise ApiError("the Sudy page names no siteId and columnId for /_wp3services/generalQuery")
    query = _QUERY.search(page_html)
    path = query.group(1) if query else "/_wp3services/generalQuery?queryObj=articles"
    rows = _ROWS.search(page_html)
    form = {
        "siteId": site.group(1) or site.group(2),
        "columnId": column.group(1),
        "pageIndex": "1",
        "rows": rows.group(1) if rows else "20",
        "orders": ORDERS,
        "returnInfos": RETURN_INFOS,
    }
    return _query(urljoin(page_url, path), form)


def read(answer: ApiAnswer) -> ApiPage:
    data, items = json_list(answer, "Sudy generalQuery", "data")
    entries = item_entries(
        items,
        answer.url,
        link=lambda i: i.get("url") or i.get("link"),
        title=lambda i: i.get("title"),
        date=lambda i: i.get("publishTime"),
    )
    form = dict(answer.request.form)
    index, rows = int(form.get("pageIndex", "1")), int(form.get("rows", "20"))
    total = walk(data, "total")
    if not items or (isinstance(total, int) and index * rows >= total):
        return ApiPage(entries)
    return ApiPage(entries, _query(answer.request.url, {**form, "pageIndex": str(index + 1)}))


GENERAL_QUERY = ListApi(name="sudy", recognise=recognise, first=first, read=read)

PROFILE = CmsProfile(
    name="sudy",
    label="Sudy WebPlus (苏迪)",
    markers=(r"sudy-wp-", r"\bwp_articlecontent\b", r"sudyfile-attr", r"WP_VisitCount"),
    containers=(container(classes="wp_articlecontent"),),
    url_dates=(YEAR_MONTHDAY_PATH,),  # /2022/0321/c12a345/page.htm
    # <div class="wp_pdf_player" pdfsrc="….pdf" sudyfile-attr="{'title':'通知.pdf'}">
    file_players=(("div", "pdfsrc"),),
    file_titles=(("sudyfile-attr", r"""['"]title['"]\s*:\s*['"]([^'"]+)['"]"""),),
    list_api=GENERAL_QUERY,
)
