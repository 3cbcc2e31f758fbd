"""Which list API adapter reads a source's list: the one it forces, or the one its page needs.

The built-in adapters belong to the CMS profiles (``spiders.cms``, ``CmsProfile.list_api``);
a source's ``[sources.api]`` declares one of its own (``spiders.declared_api``).
"""

from __future__ import annotations

from spiders import declared_api
from spiders.cms import LIST_APIS, list_api
from spiders.cms.api import ApiRequest, ListApi
from spiders.links import find_links


def forced_list_api(name: str | None, declared: declared_api.DeclaredApi | None) -> ListApi | None:
    """The adapter a source names: its ``[sources.api]``, or ``list_api = "…"``."""
    if declared is not None:
        return declared_api.list_api(declared)
    return list_api(name) if name else None


def opening_request(url: str, forced: ListApi | None) -> tuple[ListApi, ApiRequest] | None:
    """The first API request when the source's URL is an endpoint itself (a gkmlpt API URL,
    a declared API): then no list page is fetched first."""
    for api in [forced] if forced else LIST_APIS:
        request = api.endpoint(url) if api.endpoint else None
        if request is not None:
            return api, request
    return None


def choose_list_api(page_html: str, page_url: str, has_rows: bool) -> ListApi | None:
    """The adapter a list page needs: one that only pages (ASP.NET PostBack) whenever it
    recognises the page; one that feeds the rows only when the page shows none of its own."""
    return next(
        (
            api
            for api in LIST_APIS
            if (api.first is None or not has_rows) and api.recognise(page_html, page_url)
        ),
        None,
    )


def recognise_list_api(html: str, url: str) -> str | None:
    """The name of the list API adapter a crawl of this page would use (None: plain HTML)."""
    opening = opening_request(url, None)
    if opening is not None:
        return opening[0].name
    api = choose_list_api(html, url, bool(find_links(html, url)))
    return api.name if api else None
