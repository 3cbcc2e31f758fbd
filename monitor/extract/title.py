"""Choosing the notice's own title (never the site's or column's name)."""

from __future__ import annotations

import re
from itertools import islice

from lxml import etree
from lxml.html import HtmlElement

from .dom import class_and_id, element_text, render_lines
from .text_clean import is_date_only, is_metadata_line
from .textutil import normalize_space, squash
from .vocab import BREADCRUMB_LABELS, PAGER_LABELS

_META_KEYS = ("articletitle", "dc.title")
_SITE_KEYS = ("sitename", "columnname", "og:site_name", "columntype")
_TITLE_CLASS = "contains(translate(concat(@class, ' ', @id), 'TILE', 'tile'), 'tit')"
_HEADINGS = [
    etree.XPath(f"//body//{path}") for path in ("h1", f"*[{_TITLE_CLASS}]", "h2", "h3", "h4")
]
_OUTSIDE_NOTICE = re.compile(
    r"logo|banner|masthead|brand|sitename|site-(?:title|name|header)|copyright|related|xgwz"
    r"|(?<![a-z])(?:nav|menu|side|sidebar|foot|footer|bottom|links)(?![a-z])"
    r"|(?:^|\s)(?:top|top[-_]?(?:bar|nav|menu|head|header|links?)|(?:site|page|header)[-_]?top)(?:\s|$)"
)  # "top" alone or a top bar is furniture; "content-top" is the article's own head
_MENU_NAME = re.compile(r"(?:nav|menu)\d*")
_FURNITURE_DEPTH = 4  # a site name sits at most this deep inside its logo or header block
_HREFS = etree.XPath(".//a/@href")
_HOME = re.compile(
    r"^(?:https?://[^/?#]+)?/?(?:\./)?(?:(?:index|default|main)\.[a-z]{2,5})?$", re.IGNORECASE
)
_SEPARATORS = "_|｜—–-"
_TITLE_SEPARATOR = re.compile(
    r"\s*(?:[_|｜—–]+|--+|(?<![A-Za-z0-9])-|-(?![A-Za-z0-9])|\s-\s)\s*"
)  # a hyphen inside 8-year-old or 2023-2024 joins; between CJK words it separates
_TRUNCATED = re.compile(r"(?:…+|\.{3,}|。{3,})\s*$")
_OWNER_LINES = etree.XPath(
    "//body//*[contains(text(), '版权') or contains(text(), '版權') or contains(text(), '©')"
    " or contains(text(), 'Copyright') or contains(text(), '主办单位') or contains(text(), '主辦單位')]"
)
_OWNER_LINE_MAX = 200
_LINKS = etree.XPath("//body//a[@href]")
_PAGER = re.compile(rf"^(?:{PAGER_LABELS})")  # 上一篇：… is a link to another notice
_MAX_HEADING_LEN = 200
_MIN_TITLE_LEN = 4
_COLUMN_NAME_MAX = 6  # 通知公告, 行业新闻: a <title> part this short may be a column's name


def pick_title(tree: HtmlElement, meta: dict[str, str], list_title: str | None) -> str:
    """The notice title.

    Order: an ``ArticleTitle``-style meta tag; the heading that ``og:title`` repeats; a
    heading that is a whole part of
    ``<title>``; the list page's title when not truncated; a heading or ``<title>`` part
    that completes a truncated list title; the longest part of a ``<title>`` that has
    several, the site's name (named in the footer's copyright line) never, a column's
    name not over a longer heading; the first heading; the line right
    above the metadata line (a title set in bold ``<font>``); ``<title>`` itself.
    """
    for key in _META_KEYS:
        if meta.get(key):
            return meta[key]
    names = {squash(meta[key]) for key in _SITE_KEYS if meta.get(key)}
    page_title = normalize_space(tree.findtext(".//title") or "")
    headings = [h for h in _heading_texts(tree) if squash(h) not in names]
    shared = squash(meta.get("og:title", ""))
    if shared and shared not in names:
        for heading in headings:
            if squash(heading) == shared:
                return heading  # the heading the page shares as its title, not a column's
    matched = [h for h in headings if _is_title_part(h, page_title)]
    if matched:
        return max(matched, key=len)
    listed = normalize_space(list_title or "")
    prefix = _TRUNCATED.sub("", listed)
    if listed and prefix == listed:
        return listed
    every_part = [p for p in _TITLE_SEPARATOR.split(page_title) if p and squash(p) not in names]
    owner = _owner_text(tree)
    parts = [p for p in every_part if squash(p) not in owner]  # the site's name goes
    if prefix:
        completed = [t for t in headings + parts if squash(t).startswith(squash(prefix))]
        if completed:
            return max(completed, key=len)
    longest = max(parts, key=len, default="")
    if len(every_part) > 1 and len(longest) >= _MIN_TITLE_LEN:
        column = len(longest) <= _COLUMN_NAME_MAX or _is_link_text(tree, longest)
        if column and headings and len(headings[0]) > len(longest):
            return headings[0]  # "site_column": the column's name loses to the heading
        return longest
    return _first_heading(tree, headings) or _above_metadata(tree) or page_title or prefix


def _first_heading(tree: HtmlElement, headings: list[str]) -> str | None:
    """The first heading, unless it is a column's name that the site's menu links to
    (智库动态 over the article's own heading): then the first longer heading."""
    first = next(iter(headings), None)
    if first is None or len(first) > _COLUMN_NAME_MAX:
        return first
    longer = [h for h in headings if len(h) > _COLUMN_NAME_MAX]
    return longer[0] if longer and _is_link_text(tree, first) else first


def _is_link_text(tree: HtmlElement, text: str) -> bool:
    """Whether a link on the page reads ``text`` (a column named in the menu or the
    breadcrumb)."""
    key = squash(text)
    return any(squash(element_text(a)) == key for a in _LINKS(tree))


def _owner_text(tree: HtmlElement) -> str:
    """The footer's copyright and 主办 lines, squashed: a ``<title>`` part named there is the
    site's name, never the notice's title."""
    texts = (squash(element_text(el)) for el in _OWNER_LINES(tree))
    return "\n".join(text for text in texts if len(text) <= _OWNER_LINE_MAX)


def _heading_texts(tree: HtmlElement) -> list[str]:
    """Texts of heading-like elements outside page furniture: h1 first, then others."""
    texts: dict[str, None] = {}
    for xpath in _HEADINGS:
        for element in xpath(tree):
            text = element_text(element)
            if (
                _MIN_TITLE_LEN <= len(text) <= _MAX_HEADING_LEN
                and not _PAGER.match(text)
                and not _in_furniture(element)
            ):
                texts.setdefault(text)
    return list(texts)


def _in_furniture(element: HtmlElement) -> bool:
    """True for a site name, or anything in a logo, menu, side column, footer or related list.

    A heading that links to the home page is the site's name, whatever its classes.
    """
    if any(_HOME.match(href.strip()) for href in _HREFS(element) if href.strip()):
        return True
    nodes = (element, *islice(element.iterancestors(), _FURNITURE_DEPTH))
    return any(_is_furniture_block(node) for node in nodes)


def _is_furniture_block(node: HtmlElement) -> bool:
    """A block named like furniture; one named as a menu must hold links (a VSB detail page
    wraps the article's heading in a link-less ``div.nav01``)."""
    names = class_and_id(node)
    if not _OUTSIDE_NOTICE.search(names):
        return False
    return not _MENU_NAME.fullmatch(names.strip()) or bool(_HREFS(node))


def _above_metadata(tree: HtmlElement) -> str | None:
    """The line right above the first metadata line (dates alone skipped), if title-like."""
    lines = render_lines(tree.body if tree.body is not None else tree)
    first = next((i for i, line in enumerate(lines) if is_metadata_line(line)), 0)
    above = [line for line in lines[:first] if not is_date_only(line)]
    if not above:
        return None
    line = above[-1]
    if not _MIN_TITLE_LEN <= len(line) <= _MAX_HEADING_LEN or line.startswith(BREADCRUMB_LABELS):
        return None
    return line


def _is_title_part(heading: str, page_title: str) -> bool:
    """True when ``heading`` is ``<title>`` or a run of its separator-bounded parts."""
    whole, part = squash(page_title), squash(heading)
    start = whole.find(part)
    if start < 0:
        return False
    end = start + len(part)
    return (start == 0 or whole[start - 1] in _SEPARATORS) and (
        end == len(whole) or whole[end] in _SEPARATORS
    )
