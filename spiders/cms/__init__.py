"""The CMS profiles in order of preference, and the combined lookups built from them.

Everything the spider and the extractor know about particular CMSs comes from here:
list-page rewrites, pagers, list APIs, body containers, URL date patterns, attachment quirks.
Where the rules of two profiles could both apply, the earlier profile wins: its
container ranks higher, its pager and URL date pattern are tried first. ``generic``
(the rules for any site) stays last.

To add a CMS: a module here declaring ``PROFILE``, its line in ``PROFILES``, a mock-site
style of the same name in ``monitor.demo.styles``, and its tests.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from spiders.cms import (
    aspnet,
    dede,
    discuz,
    empire,
    generic,
    gov,
    hanweb,
    nfcms,
    phpcms,
    sudy,
    trs,
    vsb,
    wordpress,
)
from spiders.cms.api import ListApi
from spiders.cms.profile import CmsProfile, Container, ListRewrite, Pager

PROFILES: tuple[CmsProfile, ...] = (
    trs.PROFILE,
    hanweb.PROFILE,
    vsb.PROFILE,
    sudy.PROFILE,
    nfcms.PROFILE,
    gov.PROFILE,
    aspnet.PROFILE,
    discuz.PROFILE,
    wordpress.PROFILE,
    dede.PROFILE,
    phpcms.PROFILE,
    empire.PROFILE,
    generic.PROFILE,
)
GENERIC = generic.PROFILE
_BY_NAME = {p.name: p for p in PROFILES}


def profile(name: str) -> CmsProfile:
    """The profile called ``name`` (KeyError naming the known ones otherwise)."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(f"no CMS profile {name!r}; known: {', '.join(_BY_NAME)}") from None


_RECOGNISERS = tuple((p, re.compile("|".join(p.markers), re.I)) for p in PROFILES if p.markers)


def recognise(page_html: str) -> CmsProfile:
    """The first profile whose markers the page's HTML shows, else ``GENERIC``."""
    return next((p for p, markers in _RECOGNISERS if markers.search(page_html)), GENERIC)


def _unique(sources: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(sources))


# Every profile's rules combined once, at import, in order of preference.
LIST_REWRITES: tuple[ListRewrite, ...] = tuple(p.list_rewrite for p in PROFILES if p.list_rewrite)
PAGERS: tuple[Pager, ...] = tuple(p.paging for p in PROFILES if p.paging)
LIST_APIS: tuple[ListApi, ...] = tuple(p.list_api for p in PROFILES if p.list_api)
_LIST_API_BY_NAME = {api.name: api for api in LIST_APIS}
CONTAINERS: tuple[Container, ...] = tuple(c for p in PROFILES for c in p.containers)
BODY_MARKERS: tuple[tuple[str, str], ...] = tuple(
    p.body_markers for p in PROFILES if p.body_markers
)
URL_DATES: tuple[re.Pattern[str], ...] = tuple(
    re.compile(source) for source in _unique(s for p in PROFILES for s in p.url_dates)
)
DOWNLOAD_ENDPOINT = re.compile(
    "|".join(_unique(word for p in PROFILES for word in p.download_endpoints)), re.I
)
FILE_PLAYERS: tuple[tuple[str, str], ...] = tuple(pair for p in PROFILES for pair in p.file_players)
FILE_TITLES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (attribute, re.compile(pattern)) for p in PROFILES for attribute, pattern in p.file_titles
)


def list_api(name: str) -> ListApi:
    """The list API adapter called ``name`` (KeyError naming the known ones otherwise)."""
    try:
        return _LIST_API_BY_NAME[name]
    except KeyError:
        known = ", ".join(_LIST_API_BY_NAME)
        raise KeyError(f"no list API {name!r}; known: {known}") from None


def rewrite_list_page(page_html: str) -> str:
    """The list page after every profile's list rewrite (Hanweb's XML island unpacked …)."""
    for rewrite in LIST_REWRITES:
        page_html = rewrite(page_html)
    return page_html


__all__ = [
    "BODY_MARKERS",
    "CONTAINERS",
    "DOWNLOAD_ENDPOINT",
    "FILE_PLAYERS",
    "FILE_TITLES",
    "GENERIC",
    "LIST_APIS",
    "LIST_REWRITES",
    "PAGERS",
    "PROFILES",
    "URL_DATES",
    "CmsProfile",
    "Container",
    "ListApi",
    "list_api",
    "profile",
    "recognise",
    "rewrite_list_page",
]
