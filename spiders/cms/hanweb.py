"""Hanweb JCMS (大汉): city and provincial portals whose lists live in an XML island.

A list page carries its rows as CDATA ``<record>``s inside ``<script type="text/xml">``
and pages by ``?uid=<unit>&pageNum=N``; ``jpage`` scripts draw them in the browser.
Where the island is empty, the rows come from ``POST dataproxy.jsp?startrecord=…&endrecord=…
&perpage=…`` (form ``col, appid, webid, path, columnid, sourceContentType, unitid, webname,
permissiontype``), which answers the same records as XML with ``<totalrecord>``.
"""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from spiders.cms.api import ApiAnswer, ApiError, ApiPage, ApiRequest, ListApi
from spiders.cms.profile import DATED_PATH, CmsProfile, container

_XML_ISLAND = re.compile(r"<script[^>]*type=[\"']text/xml[\"'][^>]*>(.*?)</script>", re.S | re.I)
_XML_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S)
_UNIT = re.compile(r"""<div id=["']?(\d+)["']?>\s*<script type=["']text/xml["']""", re.I)
_TOTAL = re.compile(r"totalPage\s*:\s*['\"]?(\d+)")


def unpack_records(page_html: str) -> str:
    """The XML island's records as a ``<ul>`` of rows, in place of the island."""
    return _XML_ISLAND.sub(
        lambda m: "<ul class='nw-records'>" + "".join(_XML_RECORD.findall(m.group(1))) + "</ul>",
        page_html,
    )


def next_page(page_html: str, page_url: str) -> str | None:
    """The list's next ``?uid=<unit>&pageNum=N``, until ``totalPage``."""
    unit = _UNIT.search(page_html)
    if not unit:
        return None
    parts = urlsplit(page_url)
    query = dict(parse_qsl(parts.query))
    current = int(query.get("pageNum", "1") or 1)
    total = _TOTAL.search(page_html)
    if total and current >= int(total.group(1)):
        return None
    query.update(uid=unit.group(1), pageNum=str(current + 1))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


_PROXY = re.compile(r"""([\w/.-]*/jpage/dataproxy\.jsp)(\?[^"'<>\s]*)?""")
_PARAMS = re.compile(r"var\s+param_\w+\s*=\s*\{(.*?)\}", re.S)
_PARAM = re.compile(r"""(\w+)\s*:\s*['"]?([^,'"}]*)['"]?""")
_TOTAL_RECORDS = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>")
_FORM_KEYS = ("appid", "webid", "path", "columnid", "unitid", "webname", "permissiontype")


def recognise(page_html: str, page_url: str) -> bool:
    return bool(_PROXY.search(page_html))


def _proxy_request(url: str, form: tuple[tuple[str, str], ...], start: int, per: int) -> ApiRequest:
    query = urlencode({"startrecord": start, "endrecord": start + per - 1, "perpage": per})
    return ApiRequest(f"{url}?{query}", "POST", form, state=(("perpage", str(per)),))


def first(page_html: str, page_url: str) -> ApiRequest:
    """Records 1 to ``perpage`` of the column the page's jpage settings name."""
    proxy = _PROXY.search(page_html)
    settings = dict(parse_qsl(html.unescape(proxy.group(2) or "")[1:])) if proxy else {}
    params = _PARAMS.search(page_html)
    if params:
        settings |= {k: v.strip() for k, v in _PARAM.findall(params.group(1))}
    if not (proxy and settings.get("columnid") and settings.get("unitid")):
        raise ApiError("the Hanweb page names no columnid and unitid for dataproxy.jsp")
    form = {"col": "1", "sourceContentType": "1", "appid": "1", "path": "/", "permissiontype": "0"}
    form |= {key: settings[key] for key in _FORM_KEYS if settings.get(key)}
    per = int(settings["perpage"]) if settings.get("perpage", "").isdigit() else 15
    return _proxy_request(urljoin(page_url, proxy.group(1)), tuple(form.items()), 1, per)


def read(answer: ApiAnswer) -> ApiPage:
    if "<datastore" not in answer.text:
        raise ApiError("the Hanweb dataproxy.jsp answer holds no <datastore> records")
    rows = "<ul>" + "".join(_XML_RECORD.findall(answer.text)) + "</ul>"
    entries = answer.rows(rows, answer.url)
    query = dict(parse_qsl(urlsplit(answer.request.url).query))
    end, per = int(query.get("endrecord", "0")), int(answer.request.value("perpage", "15"))
    total = _TOTAL_RECORDS.search(answer.text)
    if total is None or end >= int(total.group(1)):
        return ApiPage(entries)
    base = answer.request.url.split("?", 1)[0]
    return ApiPage(entries, _proxy_request(base, answer.request.form, end + 1, per))


DATAPROXY = ListApi(name="hanweb", recognise=recognise, first=first, read=read)

PROFILE = CmsProfile(
    name="hanweb",
    label="Hanweb JCMS (大汉)",
    markers=(
        r"/module/web/jpage/",
        r"<datastore>",
        r"/module/download/downfile\.jsp",
        r"<meta name=[\"']?ContentStart",
        r"大汉网络",
    ),
    list_rewrite=unpack_records,
    paging=next_page,
    containers=(container(ids="zoom", classes="article_zoom"),),
    body_markers=("ContentStart", "ContentEnd"),
    url_dates=(DATED_PATH,),  # /art/2023/11/10/art_58320_11045678.html
    download_endpoints=("downfile",),  # /module/download/downfile.jsp?filename=…
    list_api=DATAPROXY,
)
