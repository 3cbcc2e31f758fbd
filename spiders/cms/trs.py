"""TRS WCM (拓尔思): the usual 教育厅/教育局 and MOE site, published as static pages."""

from __future__ import annotations

import re

from spiders.cms.profile import CmsProfile, container
from spiders.urls import canonical_url

_CREATE_PAGE = re.compile(
    r"createPageHTML\(\s*['\"]?(\d+)['\"]?\s*,\s*['\"]?(\d+)['\"]?\s*,\s*['\"]([\w.-]+)['\"]\s*,\s*['\"](\w+)['\"]"
)


def next_page(page_html: str, page_url: str) -> str | None:
    """``createPageHTML(count, current, "index", "html")`` → ``index_{current+1}.html``."""
    match = _CREATE_PAGE.search(page_html)
    if not match:
        return None
    count, current, stem, ext = int(match[1]), int(match[2]), match[3], match[4]
    if current + 1 >= count:
        return None
    return canonical_url(f"{stem}_{current + 1}.{ext}", page_url)


PROFILE = CmsProfile(
    name="trs",
    label="TRS WCM (拓尔思)",
    markers=(r"createPageHTML\(", r"\bTRS_(?:Editor|UEDITOR)\b", r"\btrs_editor_view\b"),
    paging=next_page,
    containers=(container(classes="trs_editor_view TRS_UEDITOR TRS_Editor"),),
    url_dates=(r"[/_]t((?:19|20)\d{2})(\d{2})(\d{2})_",),  # …/202203/t20220321_123.html
)
