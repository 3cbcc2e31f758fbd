"""Find a site's notice columns on its home page, and tell a home page from a notice list.

A column is a same-site link whose text names a notice column (通知公告, 公告公示,
招生考试, 工作动态 … in either script): a nav entry, a tab of a tab strip, or the
"更多" link beside a homepage block headed by such a name. Columns are ranked by
the name (notices before exams before news), then by how the page points at them
(a 更多 link beside a block is the strongest sign of a list), then by how often.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import urlsplit

import opencc
from lxml.etree import ParserError

from spiders.html_tree import parse_document
from spiders.items import ListEntry
from spiders.links import discover_links
from spiders.pagination import next_page_url
from spiders.urls import canonical_url, is_file_url, site_key

COLUMN_NAMES: tuple[tuple[str, ...], ...] = (
    (
        "通知公告",
        "公告公示",
        "公示公告",
        "通知通告",
        "文件通知",
        "通知文件",
        "通知",
        "公告",
        "公示",
    ),
    ("招生考试", "招考信息", "考试招生"),
    ("工作动态", "教育动态", "教育要闻", "新闻动态", "教育新闻"),
)
"""Names of notice columns (in 简体; pages in 繁體 are converted before matching), by tier:
notices, exams, news. Within a tier, earlier names rank higher."""

MAX_LABEL_CHARS = 10  # a longer link text is a title that mentions 通知, not a column name
_MORE = re.compile(r"^(?:查看)?(?:更多|more)", re.I)
_DECORATION = re.compile(r"[\s>»›<«‹·•|【】\[\]()（）+＋]+")
_HEADING_CLASS = re.compile(r"tit|head|hd|name|lm|bt", re.I)
_NAV_CLASS = re.compile(r"nav|menu|daohang|dh", re.I)
_TAB_CLASS = re.compile(r"tab", re.I)
_HOME_PATH = re.compile(r"^/?(?:(?:index|default|main|home)\.\w{2,5})?$", re.I)


@dataclass
class Column:
    """A notice column a page links to."""

    label: str  # the column's name as the page shows it
    url: str
    term: str  # the vocabulary name it matched
    places: set[str] = field(default_factory=set)  # "nav", "tab", "more", "link"
    links: int = 0  # how many links on the page point at it
    position: int = 0  # the first link's place in the page

    @property
    def rank(self) -> tuple:
        tier, index = _term_rank(self.term)
        return (tier, index, "more" not in self.places, -self.links, self.position)


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """``text`` in 简体, without spaces and decoration (``>>``, brackets, bullets)."""
    return _t2s().convert(_DECORATION.sub("", text))


def _term_rank(term: str) -> tuple[int, int]:
    for tier, names in enumerate(COLUMN_NAMES):
        if term in names:
            return tier, names.index(term)
    return len(COLUMN_NAMES), 0  # a name the user asked for, outside the vocabulary


def column_term(text: str, names: tuple[str, ...] | None = None) -> str | None:
    """The column name ``text`` (a link or heading text) is, or None. ``names`` narrows the
    vocabulary (already simplified); the first name it contains wins."""
    label = simplified(text)
    if not label or len(label) > MAX_LABEL_CHARS:
        return None
    vocabulary = names or tuple(name for tier in COLUMN_NAMES for name in tier)
    return next((name for name in vocabulary if name in label), None)


def _place(anchor) -> str:
    for ancestor in list(anchor.iterancestors())[:5]:
        marks = f"{ancestor.get('class') or ''} {ancestor.get('id') or ''}"
        if ancestor.tag == "nav" or _NAV_CLASS.search(marks):
            return "nav"
        if _TAB_CLASS.search(marks):
            return "tab"
    return "link"


def _heading_of(more_anchor, names: tuple[str, ...] | None) -> str | None:
    """The column name heading the block a 更多 link sits in (its nearest such ancestor)."""
    for ancestor in list(more_anchor.iterancestors())[:4]:
        for node in ancestor.iter():
            if not isinstance(node.tag, str) or node is more_anchor or node.tag in ("li", "ul"):
                continue
            is_heading = node.tag in ("h1", "h2", "h3", "h4", "h5", "strong", "b") or bool(
                _HEADING_CLASS.search(node.get("class") or "")
            )
            if is_heading and (term := column_term(node.text_content(), names)):
                return term
    return None


def find_columns(
    page_html: str, page_url: str, names: tuple[str, ...] | None = None
) -> list[Column]:
    """The notice columns a page links to, best first. ``names`` (any script) looks for
    those column names instead of the built-in vocabulary."""
    wanted = tuple(simplified(name) for name in names) if names else None
    try:
        root = parse_document(page_html)
    except (ParserError, ValueError):
        return []
    here, home = canonical_url(page_url), site_key(page_url)
    found: dict[str, Column] = {}
    for position, anchor in enumerate(root.iter("a")):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        url = canonical_url(href, page_url)
        if url == here or site_key(url) != home or is_file_url(url):
            continue
        text = " ".join(anchor.text_content().split()) or anchor.get("title") or ""
        term = column_term(text, wanted) or column_term(anchor.get("title") or "", wanted)
        place = _place(anchor)
        if term is None and _MORE.match(simplified(text) or ""):
            term, place = _heading_of(anchor, wanted), "more"
        if term is None:
            continue
        column = found.setdefault(url, Column(text, url, term, position=position))
        if place == "more":
            column.term = term  # the block's heading names it best
        elif not column.label or _MORE.match(simplified(column.label)):
            column.label = text
        column.places.add(place)
        column.links += 1
    for column in found.values():
        if _MORE.match(simplified(column.label)):
            column.label = column.term
    return sorted(found.values(), key=lambda c: c.rank)


def choose_columns(columns: list[Column], names: tuple[str, ...] = ()) -> list[Column]:
    """The columns to follow: the best one of each name in ``names`` (in that order), or
    the best-ranked column when no names are given."""
    if not names:
        return columns[:1]
    chosen: list[Column] = []
    for name in names:
        term = simplified(name)
        best = next((c for c in columns if c.term == term or term in simplified(c.label)), None)
        if best is not None and best not in chosen:
            chosen.append(best)
    return chosen


def is_site_root(url: str) -> bool:
    """True for a site's front door: ``/``, ``/index.html``, ``/default.aspx`` …"""
    return bool(_HOME_PATH.match(urlsplit(url).path))


def is_notice_list(page_html: str, page_url: str, links: Sequence[ListEntry] | None = None) -> bool:
    """Whether the page is itself a notice list (else its columns are looked for).

    It is when it shows notice links (``links``, else :func:`spiders.links.discover_links`)
    and either is not the site's front door or pages on (a next page): a home page's
    latest-notice blocks and tab panels look like a short list, but have no pager.
    """
    if not (discover_links(page_html, page_url) if links is None else links):
        return False
    return not is_site_root(page_url) or next_page_url(page_html, page_url) is not None
