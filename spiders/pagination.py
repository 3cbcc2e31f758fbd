"""Find the next list page: TRS ``createPageHTML(...)`` scripts, Hanweb ``pageNum``, or a "next" link."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from lxml import html as lxml_html
from lxml.etree import ParserError

from spiders.urls import canonical_url

_NEXT_TEXT = re.compile(r"^\s*(下一页|下页|下一頁|后一页|後一頁|next|›|»|>|>>)\s*$", re.I)
_CREATE_PAGE = re.compile(
    r"createPageHTML\(\s*['\"]?(\d+)['\"]?\s*,\s*['\"]?(\d+)['\"]?\s*,\s*['\"]([\w.-]+)['\"]\s*,\s*['\"](\w+)['\"]"
)


def _script_next(page_html: str, page_url: str) -> str | None:
    """TRS paging: ``createPageHTML(count, current, "index", "html")`` → ``index_{current+1}.html``."""
    match = _CREATE_PAGE.search(page_html)
    if not match:
        return None
    count, current, stem, ext = int(match[1]), int(match[2]), match[3], match[4]
    if current + 1 >= count:
        return None
    return canonical_url(f"{stem}_{current + 1}.{ext}", page_url)


_HANWEB_UNIT = re.compile(r"""<div id=["']?(\d+)["']?>\s*<script type=["']text/xml["']""", re.I)
_HANWEB_TOTAL = re.compile(r"totalPage\s*:\s*['\"]?(\d+)")


def _hanweb_next(page_html: str, page_url: str) -> str | None:
    """Hanweb (大汉) XML-island lists page by ``?uid=<unit>&pageNum=N``."""
    unit = _HANWEB_UNIT.search(page_html)
    if not unit:
        return None
    parts = urlsplit(page_url)
    query = dict(parse_qsl(parts.query))
    current = int(query.get("pageNum", "1") or 1)
    total = _HANWEB_TOTAL.search(page_html)
    if total and current >= int(total.group(1)):
        return None
    query.update(uid=unit.group(1), pageNum=str(current + 1))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def _link_next(page_html: str, page_url: str) -> str | None:
    try:
        root = lxml_html.document_fromstring(page_html)
    except (ParserError, ValueError):
        return None
    for anchor in root.iter("a"):
        href = (anchor.get("href") or "").strip()
        label = " ".join("".join(anchor.itertext()).split()) or anchor.get("title") or ""
        classes = (anchor.get("class") or "").split()
        if not href or href.startswith(("javascript:", "#")):
            continue
        if _NEXT_TEXT.match(label) or "next" in classes:
            return canonical_url(urljoin(page_url, href))
    return None


def next_page_url(page_html: str, page_url: str) -> str | None:
    """The URL of the list page after ``page_url``, or None on the last page."""
    found = (
        _script_next(page_html, page_url)
        or _hanweb_next(page_html, page_url)
        or _link_next(page_html, page_url)
    )
    if found and found != canonical_url(page_url):
        return found
    return None
