"""Find the next list page: each CMS profile's pager in turn (TRS ``createPageHTML``, Hanweb
``pageNum`` …), then a plain "next" link (``spiders.cms.generic``)."""

from __future__ import annotations

from spiders.cms import PAGERS
from spiders.urls import canonical_url


def next_page_url(page_html: str, page_url: str) -> str | None:
    """The URL of the list page after ``page_url``, or None on the last page."""
    found = next((url for pager in PAGERS if (url := pager(page_html, page_url))), None)
    if found and found != canonical_url(page_url):
        return found
    return None
