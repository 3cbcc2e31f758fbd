"""Hanweb JCMS (大汉): city and provincial portals whose lists live in an XML island.

A list page carries its rows as CDATA ``<record>``s inside ``<script type="text/xml">``
and pages by ``?uid=<unit>&pageNum=N``; ``jpage`` scripts draw them in the browser.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

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
)
