"""Guangdong 集约化 NFCMS and its 政府信息公开 directory (gkmlpt): city and county bureaus.

A gkmlpt list page (``/gkmlpt/index#<column>``) is an empty single-page app whose
script names the site (``SID: '2'``); the browser reads the column from
``/gkmlpt/api/all/<column>?page=N&sid=<site>``, JSON ``{"total": …, "articles": [{"title",
"url", "created_at", "date"}]}``. A source may also name that API URL itself.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

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
from spiders.cms.profile import CmsProfile, container

_API_PATH = re.compile(r"^(.*?)/gkmlpt/api/all/(\d+)/?$")
_SHELL_PATH = re.compile(r"^(.*?)/gkmlpt/(?:index|policy|mindex)?(?:\.html?)?$")
_SID = re.compile(r"""\bSID\s*[:=]\s*['"]?(\d+)""")


def _api_request(url: str, page: int, size: str = "") -> ApiRequest:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    query["page"] = str(page)
    address = urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))
    return ApiRequest(address, state=(("size", size),) if size else ())


def endpoint(url: str) -> ApiRequest | None:
    """Page 1 of ``/gkmlpt/api/all/<column>`` when the source names the API itself."""
    if not _API_PATH.match(urlsplit(url).path):
        return None
    return _api_request(url, int(dict(parse_qsl(urlsplit(url).query)).get("page", "1") or 1))


def recognise(page_html: str, page_url: str) -> bool:
    return bool(_SHELL_PATH.match(urlsplit(page_url).path) and _SID.search(page_html))


def first(page_html: str, page_url: str) -> ApiRequest:
    """The API of the shell's column (its URL's ``#<column>``; 0, every column, without one)."""
    sid = _SID.search(page_html)
    if sid is None:
        raise ApiError("the gkmlpt page names no site id (SID)")
    parts = urlsplit(page_url)
    prefix = _SHELL_PATH.match(parts.path)
    column = parts.fragment if parts.fragment.isdigit() else "0"
    base = prefix.group(1) if prefix else ""
    api = urljoin(page_url, f"{base}/gkmlpt/api/all/{column}?page=1&sid={sid.group(1)}")
    return _api_request(api, 1)


def read(answer: ApiAnswer) -> ApiPage:
    data, articles = json_list(answer, "the gkmlpt API", "articles")
    entries = item_entries(
        articles,
        answer.url,
        link=lambda a: a.get("url") or a.get("post_url"),
        title=lambda a: a.get("title"),
        date=lambda a: a.get("created_at") or a.get("date"),
    )
    total = walk(data, "total") or walk(data, "classify.post_count")
    page = int(dict(parse_qsl(urlsplit(answer.request.url).query)).get("page", "1") or 1)
    size = int(answer.request.value("size") or len(articles) or 1)
    more = bool(articles) and (not isinstance(total, int) or page * size < total)
    following = _api_request(answer.request.url, page + 1, str(size)) if more else None
    return ApiPage(entries, following)


GKMLPT = ListApi(name="gkmlpt", recognise=recognise, first=first, read=read, endpoint=endpoint)

PROFILE = CmsProfile(
    name="nfcms",
    label="NFCMS / gkmlpt (广东政务集约化平台)",
    markers=(r"NFCMS_", r"\bnews_cont_d_wrap\b", r"/gkmlpt/"),
    containers=(container(classes="news_cont_d_wrap"),),
    list_api=GKMLPT,
)
