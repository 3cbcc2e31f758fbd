"""Attachment links of a notice (附件) and their file types."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, unquote, urljoin, urlsplit

from lxml.html import HtmlElement

from spiders.cms import DOWNLOAD_ENDPOINT, FILE_PLAYERS, FILE_TITLES

from .model import Attachment
from .textutil import normalize_space

FILE_KINDS = frozenset((
    "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "wps", "et", "dps", "ofd", "zip", "rar", "7z",
))  # fmt: skip
"""File types reported as attachments (WPS Office's wps/et/dps, OFD e-documents included)."""
_EXTENSION = re.compile(r"\.([A-Za-z0-9]{1,5})\s*$")
_FILE_ID = re.compile(r"(?:^|&)(?:wb)?fileid=\w+", re.IGNORECASE)  # VSB ``wbfileid=``, ``fileid=``
_GENERIC_LINK = re.compile(r"\s*(?:点击|点此|請點擊|点击此处)?\s*(?:下载|下載|查看|打开|浏览|附件)")
UNKNOWN_KIND = "file"  # a download of a file whose type neither its URL nor its name tells
_SOURCE_ATTRIBUTES = (("a", "href"), ("iframe", "src"), ("embed", "src"), ("object", "data"))
_LINK_TAGS = tuple(dict.fromkeys([tag for tag, _ in _SOURCE_ATTRIBUTES + FILE_PLAYERS]))


def canonical_kind(url: str, name: str | None = None) -> str | None:
    """The file type of a link (``pdf``, ``docx`` …), or None for a web page.

    Looks at the URL path, then at query values (``downfile.jsp?filename=x.pdf``), then,
    for the CMS profiles' download endpoints whose URL does not name the file (VSB
    ``download.jsp``), at the link text; a download by file id whose text names no type
    (VSB ``download.jsp?…&wbfileid=…`` under a plain title, not a bare 点击下载) is a
    ``file``.
    """
    parts = urlsplit(url)
    kind = _kind_of(unquote(parts.path))
    if kind:
        return kind
    for _, value in parse_qsl(parts.query):
        kind = _kind_of(value)
        if kind:
            return kind
    if name and DOWNLOAD_ENDPOINT.search(url):
        kind = _kind_of(name)
        if kind or _GENERIC_LINK.match(name) or not _FILE_ID.search(parts.query):
            return kind
        return UNKNOWN_KIND
    return None


def collect_attachments(scopes: Iterable[HtmlElement], base_url: str) -> list[Attachment]:
    """File links (and embedded PDF players) under the given elements, in page order."""
    found: dict[str, Attachment] = {}
    for scope in scopes:
        for element in scope.iter(*_LINK_TAGS):
            link = _link_of(element)
            if not link:
                continue
            url = urljoin(base_url, link.strip())
            name = _name_of(element, url)
            kind = canonical_kind(url, name)
            if kind and url not in found:
                found[url] = Attachment(name=name, url=url, kind=kind)
    return list(found.values())


def _kind_of(text: str) -> str | None:
    match = _EXTENSION.search(text)
    if match and match[1].lower() in FILE_KINDS:
        return match[1].lower()
    return None


def _link_of(element: HtmlElement) -> str | None:
    """The file URL of a link, frame or embed, or of a CMS file player (Sudy ``pdfsrc``)."""
    for tag, attribute in FILE_PLAYERS:
        if element.tag == tag and element.get(attribute):
            return element.get(attribute)
    for tag, attribute in _SOURCE_ATTRIBUTES:
        if element.tag == tag:
            value = element.get(attribute)
            return value if value and not value.startswith(("javascript:", "#")) else None
    return None


def _name_of(element: HtmlElement, url: str) -> str:
    """Link text, else a CMS player's file title (Sudy) or a title attribute, else the file name."""
    text = normalize_space(element.text_content()) if element.tag == "a" else ""
    if text:
        return text
    title = _player_title(element) or element.get("title") or ""
    return normalize_space(title) or unquote(urlsplit(url).path.rsplit("/", 1)[-1])


def _player_title(element: HtmlElement) -> str | None:
    """The file name in a CMS file player's settings (Sudy ``sudyfile-attr``), if any."""
    for attribute, pattern in FILE_TITLES:
        found = pattern.search(element.get(attribute, ""))
        if found:
            return found[1]
    return None
