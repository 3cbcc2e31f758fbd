"""What we know about one CMS family, held in one place: the ``CmsProfile`` record."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from spiders.cms.api import ListApi

ListRewrite = Callable[[str], str]
"""A list page's HTML → the HTML with its rows where link discovery can see them."""

Pager = Callable[[str, str], str | None]
"""``(page_html, page_url)`` → the next list page's URL, or None when this rule does not apply."""

DATED_PATH = r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})/"
"""A date as path segments: ``/2023/11/10/``, ``/2023-11-10/``, ``/2023-06/25/``."""

YEAR_MONTHDAY_PATH = r"/((?:19|20)\d{2})/(\d{2})(\d{2})/"
"""A year segment then a month-and-day segment: ``/2022/0321/``."""


@dataclass(frozen=True)
class Container:
    """An element a template puts the notice body in: any of these ids or classes (on ``tag`` if given)."""

    ids: frozenset[str] = frozenset()
    classes: frozenset[str] = frozenset()
    tag: str | None = None


def container(ids: str = "", classes: str = "", tag: str | None = None) -> Container:
    """A ``Container`` from space-separated ids and classes."""
    return Container(frozenset(ids.split()), frozenset(classes.split()), tag)


@dataclass(frozen=True)
class CmsProfile:
    """One CMS family: how to recognise it and its quirks, as data wherever possible.

    Every field but ``name`` and ``label`` is optional; an empty one means the
    general rules serve that family. The registry (``spiders.cms``) combines the
    fields of all profiles, in its order of preference.
    """

    name: str
    """Short key, also the ``style`` of the mock site that mimics it (``monitor.demo.styles``)."""
    label: str
    """Product and vendor, as people call it."""
    markers: tuple[str, ...] = ()
    """Regexes (case-insensitive) that recognise the CMS in a page's raw HTML: generator
    metas, script and stylesheet paths, template classes."""
    list_rewrite: ListRewrite | None = None
    """Rewrites a list page before link discovery (rows kept outside the DOM)."""
    paging: Pager | None = None
    """Finds the next list page where a plain "next" link does not."""
    containers: tuple[Container, ...] = ()
    """Elements its templates put the notice body in, most preferred first."""
    body_markers: tuple[str, str] | None = None
    """``<meta name>`` pair its templates put around the notice body (start, end)."""
    url_dates: tuple[str, ...] = ()
    """Regexes on an article URL's path; groups: year, month, day."""
    download_endpoints: tuple[str, ...] = ()
    """Words (regex) of download URLs that do not name the file: the link text does."""
    file_players: tuple[tuple[str, str], ...] = ()
    """``(tag, attribute)`` of embedded file viewers: the attribute holds the file's URL."""
    file_titles: tuple[tuple[str, str], ...] = ()
    """``(attribute, regex)`` of viewer settings naming the file; group 1 is the name."""
    list_api: ListApi | None = None
    """Its list data API (``spiders.cms.api``): how a list page fed by it is read."""
