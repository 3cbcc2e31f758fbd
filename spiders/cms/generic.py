"""Any site: the rules that hold where no CMS is recognised, tried after every profile."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from lxml.etree import ParserError

from spiders.cms.profile import CmsProfile
from spiders.html_tree import parse_document
from spiders.urls import canonical_url

_NEXT_TEXT = re.compile(r"^\s*(下一页|下页|下一頁|后一页|後一頁|next|›|»|>|>>)\s*$", re.I)


def next_link(page_html: str, page_url: str) -> str | None:
    """The target of the page's "next" link (下一页, ›, ``class="next"`` …)."""
    try:
        root = parse_document(page_html)
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


PROFILE = CmsProfile(
    name="generic",
    label="no recognised CMS",
    paging=next_link,
    download_endpoints=("getfile", "fileid", "filedown"),  # …/getfile.aspx?fileid=…
)
