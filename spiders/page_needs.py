"""What a page needs before its notices can be read, told as the setting to use.

Plain HTML crawling finds nothing on a list that a script builds, that an API
feeds, or behind a JavaScript cookie challenge. :func:`page_needs` recognises
those from the raw page and names the source option that handles it
(``render = "browser"`` or ``"challenge"``, ``list_api = "…"``; a list API that a
built-in adapter recognises is said to be handled automatically); ``sources check`` and layout-drift
errors show the hint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spiders.blocking import blocked_reason
from spiders.list_api import recognise_list_api

_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.I | re.S)
_SCRIPT_SRC = re.compile(r"<script\b[^>]*\bsrc\s*=\s*[\"']?([^\"'\s>]+)", re.I)
_WRITES_ROWS = re.compile(r"document\.write(?:ln)?\s*\(", re.I)
_ROW_MARKUP = re.compile(r"<\s*(?:li|tr|dd)\b", re.I)
_FETCHES = re.compile(
    r"\bfetch\s*\(|XMLHttpRequest|\$\.(?:ajax|get|post|getJSON)\s*\(|\baxios\b", re.I
)
_TEMPLATE = re.compile(r"\bv-for\s*=|\{\{\s*[\w.]+\s*\}\}|\bng-repeat\s*=|\bx-for\s*=", re.I)
_POSTBACK_PAGER = re.compile(r"__doPostBack\(\s*['\"][^'\"]*Pager", re.I)

_APIS: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("gkmlpt", re.compile(r"/gkmlpt/(?:api|index)", re.I), "looks like a gkmlpt API"),
    (
        "sudy",
        re.compile(r"/_wp3services/generalQuery", re.I),
        "the list comes from Sudy's generalQuery API",
    ),
    (
        "hanweb",
        re.compile(r"dataproxy\.jsp", re.I),
        "the list comes from Hanweb's dataproxy.jsp",
    ),
)


@dataclass(frozen=True)
class PageNeed:
    """Why plain crawling misses the page's notices, and the option that fixes it."""

    kind: str  # "challenge", "api", "script" or "paging"
    setting: str  # e.g. 'render = "browser"'
    reason: str
    automatic: bool = False  # a built-in list API adapter reads it with no setting

    @property
    def hint(self) -> str:
        if self.automatic:
            return f"{self.reason}: handled automatically ({self.setting} forces it)"
        return f"{self.reason}: set {self.setting}"


def _browser(kind: str, reason: str) -> PageNeed:
    return PageNeed(kind, 'render = "browser"', reason)


def page_needs(status: int, page_html: str, url: str, *, has_list: bool = False) -> PageNeed | None:
    """What the page needs, or None. ``has_list``: plain crawling found its notice links,
    so only a pager it cannot follow (ASP.NET postbacks) is still worth telling."""
    head = page_html[:20000].encode("utf-8", "replace")
    reason = blocked_reason(status, head)
    if reason and ("challenge" in reason or status == 412):
        return PageNeed("challenge", 'render = "challenge"', f"the site answers with a {reason}")
    if adapter := recognise_list_api(page_html, url):
        return PageNeed(
            "api", f'list_api = "{adapter}"', f"the list is read through its {adapter} API", True
        )
    if _POSTBACK_PAGER.search(page_html) and "__VIEWSTATE" in page_html:
        paging = PageNeed(
            "paging", 'list_api = "aspnet"', "the pages after the first are ASP.NET postbacks"
        )
    else:
        paging = None
    if has_list:
        return paging
    scripts = " ".join(_SCRIPT.findall(page_html)) + " " + " ".join(_SCRIPT_SRC.findall(page_html))
    for name, pattern, api_reason in _APIS:
        if pattern.search(url) or pattern.search(scripts) or pattern.search(page_html):
            return PageNeed("api", f'list_api = "{name}"', api_reason)
    if paging:
        return paging
    for script in _SCRIPT.findall(page_html):
        if _WRITES_ROWS.search(script) and _ROW_MARKUP.search(script):
            return _browser("script", "the list is written by document.write")
        if _FETCHES.search(script):
            return _browser("script", "the list is built by script")
    if _TEMPLATE.search(page_html):
        return _browser("script", "the list is built by script")
    return None
