"""ASP.NET WebForms sites: 考试院 portals and 新点 (Epoint) publishing, often table layouts.

Their pagers (``AspNetPager``) are ``javascript:__doPostBack('AspNetPager1','2')`` links:
the next page is a POST of the page's form with its hidden state (``__VIEWSTATE``,
``__VIEWSTATEGENERATOR``, ``__EVENTVALIDATION`` …) and ``__EVENTTARGET``/``__EVENTARGUMENT``.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from lxml.etree import ParserError

from spiders.cms.api import ApiAnswer, ApiPage, ApiRequest, ListApi
from spiders.cms.profile import CmsProfile, container
from spiders.html_tree import parse_document

_POSTBACK = re.compile(r"__doPostBack\(\s*['\"]([^'\"]+)['\"]\s*,\s*['\"]([^'\"]*)['\"]\s*\)")
_NEXT_TEXT = re.compile(r"^\s*(下一页|下页|下一頁|后页|next|›|»|>|>>)\s*$", re.I)


def _postback_links(root) -> list[tuple[str, str, str]]:
    """``(target, argument, label)`` of the page's enabled PostBack links."""
    links = []
    for anchor in root.iter("a"):
        found = _POSTBACK.search(anchor.get("href") or "")
        if found and anchor.get("disabled") is None:
            label = " ".join("".join(anchor.itertext()).split()) or anchor.get("title") or ""
            links.append((found.group(1), found.group(2), label))
    return links


def _next_postback(root, number: int) -> tuple[str, str] | None:
    """The "next" PostBack link, else the one whose argument is the following page number."""
    links = _postback_links(root)
    labelled = next(((t, a) for t, a, label in links if _NEXT_TEXT.match(label)), None)
    found = labelled or next(((t, a) for t, a, _ in links if a == str(number + 1)), None)
    if found and found[1].isdigit() and int(found[1]) <= number:
        return None  # a last page's "next" posting back to itself
    return found


def recognise(page_html: str, page_url: str) -> bool:
    if "__VIEWSTATE" not in page_html or "__doPostBack" not in page_html:
        return False
    try:
        return _next_postback(parse_document(page_html), 1) is not None
    except (ParserError, ValueError):
        return False


def _postback(root, page_url: str, target: str, argument: str) -> ApiRequest:
    """The form holding ``__VIEWSTATE``, posted back as the link would."""
    state = root.xpath("//input[@name='__VIEWSTATE']")
    form = next(state[0].iterancestors("form"), None) if state else None
    scope = form if form is not None else root
    fields = {
        name: field.get("value") or ""
        for field in scope.iter("input")
        if (name := field.get("name")) and (field.get("type") or "text").lower() == "hidden"
    }
    fields |= {"__EVENTTARGET": target, "__EVENTARGUMENT": argument}
    action = (form.get("action") if form is not None else None) or page_url
    return ApiRequest(urljoin(page_url, action.strip()), "POST", tuple(fields.items()))


def read(answer: ApiAnswer) -> ApiPage:
    """The page's rows as on any list page; the next page by PostBack."""
    entries = answer.rows(answer.text, answer.url)
    try:
        root = parse_document(answer.text)
    except (ParserError, ValueError):
        return ApiPage(entries)
    following = _next_postback(root, answer.number)
    if following is None:
        return ApiPage(entries)
    return ApiPage(entries, _postback(root, answer.url, *following))


POSTBACK = ListApi(name="aspnet", recognise=recognise, read=read)  # rows in the page

PROFILE = CmsProfile(
    name="aspnet",
    label="ASP.NET WebForms (考试院 portals, 新点 Epoint)",
    markers=(r"__VIEWSTATE", r"<!--\s*EpointContent\s*-->"),
    # 考试院 NewsInfo.aspx: td#ReportIDtext; Epoint: <!--EpointContent--><div id="ivs_content">
    containers=(container(ids="ReportIDtext ivs_content"),),
    list_api=POSTBACK,
)
