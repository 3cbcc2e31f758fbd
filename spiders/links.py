"""Find the notice links on a list page, with no per-site code.

The notices are the largest repeated block of same-site links whose anchor
text looks like a title, preferably each beside a date. Navigation, footers,
"more" and paging links and off-site links are not notices. A ``link_selector``
(CSS or XPath) overrides the guess.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass

from cssselect import SelectorError
from lxml.etree import ParserError, XPathError
from parsel import Selector

from spiders.cms import rewrite_list_page
from spiders.html_tree import parse_document
from spiders.items import ListEntry
from spiders.urls import canonical_url, is_file_url, registrable_site

DATE_TOKEN = re.compile(
    r"(?:(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?)"
    r"|(?:(?<!\d)\d{1,2}\s*[-/月]\s*\d{1,2}\s*日?(?!\d))"
)
_NAVIGATION = re.compile(
    r"^(首\s*页|更多|more|下一页|上一页|下页|上页|尾页|末页|前一页|后一页|返回|english|"
    r"网站地图|联系我们|关于我们|登录|注册|繁体|简体|無障礙|无障碍|打印|关闭|收藏)",
    re.IGNORECASE,
)
MIN_TITLE_CHARS = 5
MIN_DATED_TITLE_CHARS = 1  # a dated row may carry a short title (在校证明, 雨)
_ROW_TAGS = ("li", "tr", "dd")  # a natural list row: a single-notice column's row stops here
_MENU_TOKEN = re.compile(r"(?:^|[-_])(?:nav|menu|menus|navbar|subnav)(?:$|[-_\d])", re.I)
_MENU_WEIGHT = 0.2  # rows inside navigation menus rarely are the notices
_ROW_NUMBER = re.compile(r"\d+")
_STRIPES = frozenset(("odd", "even", "first", "last", "alt"))


@dataclass
class _Candidate:
    entry: ListEntry
    group: str
    dated: bool
    in_menu: bool = False


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split())


_MARKERS = re.compile(
    r"^\s*(?:[\[【(（]\s*(?:置顶|置頂|最新|new|hot|荐)\s*[\]】)）]|置顶|置頂)\s*", re.I
)


def _title_of(anchor) -> str:
    """``@title`` when it is the fuller text, else the link text; no [置顶]/[new] markers."""
    title = " ".join((anchor.get("title") or "").split())
    text = _text(anchor)
    if title and (len(title) >= len(text) or text.endswith(("...", "…", ".."))):
        text = title
    return _MARKERS.sub("", text)


def _looks_like_title(title: str, min_chars: int = MIN_TITLE_CHARS) -> bool:
    if len(title) < min_chars or _NAVIGATION.match(title):
        return False
    return not re.fullmatch(r"[\d\s\[\]()<>»«›‹.\-/:]+", title)


def _title_anchor_counts(root) -> dict:
    """How many title-like links each element holds (1, or 2 for "more than one"), in one
    pass over the links (each counts for its ancestors), so finding every link's row stays
    linear in the page. Links to one target count once: a row whose title and summary
    both link to the notice is still one row."""
    counts: dict = {}
    targets: dict = {}
    for anchor in root.iter("a"):
        if not _looks_like_title(_title_of(anchor)):
            continue
        href = anchor.get("href")
        for ancestor in anchor.iterancestors():
            if ancestor not in targets:
                targets[ancestor], counts[ancestor] = href, 1
            elif targets[ancestor] != href:
                counts[ancestor] = 2
    return counts


def _item_element(anchor, title_counts: dict):
    """The row holding the link: its largest ancestor that holds no other title link."""
    node = anchor
    for _ in range(6):
        parent = node.getparent()
        if node.tag in _ROW_TAGS or parent is None or parent.tag in ("body", "html"):
            break
        if title_counts.get(parent, 0) > 1:
            break
        node = parent
    return node


def _row_class(node) -> str:
    """Class names; a row's without its numbering and striping (``li.news.n1``, ``tr.odd``)."""
    names = set((node.get("class") or "").split())
    if node.tag in _ROW_TAGS:
        names = {_ROW_NUMBER.sub("", name) for name in names}
        names = {name for name in names if name and name.lower() not in _STRIPES}
    return ".".join(sorted(names))


def _signature(element) -> str:
    """The element's path of tag.class names, without positions: rows of one list share it."""
    parts = []
    node = element
    while node is not None and isinstance(node.tag, str):
        cls = _row_class(node)
        parts.append(f"{node.tag}.{cls}" if cls else node.tag)
        node = node.getparent()
    return "/".join(reversed(parts))


def _date_text(item, anchor) -> str | None:
    for node in item.iter():
        label = node.get("readlabel") if isinstance(node.tag, str) else None
        if label and DATE_TOKEN.search(label):
            return label.strip()
    anchor_text = _text(anchor)
    rest = _text(item).replace(anchor_text, " ", 1)
    match = DATE_TOKEN.search(rest)
    if match is None:  # a whole-card link: the date sits inside it, beside the title
        match = DATE_TOKEN.search(anchor_text.replace(_title_of(anchor), " ", 1))
    return match.group(0).strip() if match else None


def _in_menu(item) -> bool:
    """The row sits inside a navigation menu (an ancestor's class or id says nav/menu)."""
    for node in item.iterancestors():
        names = f"{node.get('class') or ''} {node.get('id') or ''}".split()
        if any(_MENU_TOKEN.search(name) for name in names):
            return True
    return False


def _parse(page_html: str):
    """Parse the page after the CMS profiles' list rewrites (rows kept outside the DOM)."""
    return parse_document(rewrite_list_page(page_html))


def _base_url(root, url: str) -> str:
    base = root.xpath("//base/@href")
    return canonical_url(base[0], url) if base else url


def _entry(anchor, base: str) -> ListEntry | None:
    href = (anchor.get("href") or "").strip()
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
        return None
    url = canonical_url(href, base)
    if not url.startswith(("http://", "https://")):
        return None
    return ListEntry(url=url, title=_title_of(anchor), is_file=is_file_url(url))


def _candidates(root, page_url: str) -> list[_Candidate]:
    base = _base_url(root, page_url)
    home = registrable_site(page_url)
    title_counts = _title_anchor_counts(root)
    found = []
    for anchor in root.iter("a"):
        entry = _entry(anchor, base)
        if entry is None or registrable_site(entry.url) != home:
            continue
        if not _looks_like_title(entry.title, MIN_DATED_TITLE_CHARS):
            continue
        item = _item_element(anchor, title_counts)
        date_text = _date_text(item, anchor)
        if date_text is None and not _looks_like_title(entry.title):
            continue
        entry = ListEntry(entry.url, entry.title, date_text, entry.is_file)
        found.append(_Candidate(entry, _signature(item), date_text is not None, _in_menu(item)))
    return found


def _score(group: list[_Candidate]) -> float:
    """Rows, dated rows and title-length rows count; the row count with diminishing returns,
    so a huge tag cloud of short undated anchors never beats a short dated list."""
    dated = sum(c.dated for c in group) / len(group)
    mean_length = sum(min(len(c.entry.title), 40) for c in group) / len(group)
    menu = _MENU_WEIGHT if all(c.in_menu for c in group) else 1.0
    return math.log2(1 + len(group)) * (0.3 + dated) * (mean_length / 40) * menu


def _unique(entries: list[ListEntry], page_url: str) -> list[ListEntry]:
    page = canonical_url(page_url)
    seen: dict[str, ListEntry] = {}
    for entry in entries:
        if entry.url != page and entry.url not in seen:
            seen[entry.url] = entry
    return list(seen.values())


def discover_links(page_html: str, page_url: str) -> list[ListEntry]:
    """The notice links of a list page, in page order, found automatically."""
    try:
        root = _parse(page_html)
    except (ParserError, ValueError):
        return []
    groups: dict[str, list[_Candidate]] = defaultdict(list)
    for candidate in _candidates(root, page_url):
        groups[candidate.group].append(candidate)
    if not groups:
        return []
    best = max(groups.values(), key=_score)
    if len(best) < 2 and not best[0].dated:
        return []
    return _unique([c.entry for c in best], page_url)


def select_links(
    page_html: str, page_url: str, selector: str, allow_offsite: bool = False
) -> list[ListEntry]:
    """The links matched by a CSS or XPath ``selector`` (rows or ``<a>`` elements), on the
    page's site unless ``allow_offsite``."""
    is_xpath = selector.lstrip().startswith(("/", "(", "./"))
    try:
        root = _parse(page_html)
        sel = Selector(root=root, type="html")
        nodes = sel.xpath(selector) if is_xpath else sel.css(selector)
    except (ParserError, ValueError, XPathError, SelectorError) as exc:
        raise ValueError(f"link_selector {selector!r} is not valid: {exc}") from exc
    base = _base_url(root, page_url)
    title_counts = _title_anchor_counts(root)
    entries = []
    for node in nodes:
        element = node.root
        if not hasattr(element, "tag"):
            continue
        anchor = element if element.tag == "a" else next(iter(element.iter("a")), None)
        entry = _entry(anchor, base) if anchor is not None else None
        if entry is not None and (
            allow_offsite or registrable_site(entry.url) == registrable_site(page_url)
        ):
            item = element if element is not anchor else _item_element(anchor, title_counts)
            date_text = _date_text(item, anchor)
            entries.append(ListEntry(entry.url, entry.title, date_text, entry.is_file))
    return _unique(entries, page_url)


def find_links(
    page_html: str, page_url: str, selector: str | None = None, allow_offsite: bool = False
) -> list[ListEntry]:
    """Notice links by ``selector`` when given, else by discovery (always on the page's site)."""
    if selector:
        return select_links(page_html, page_url, selector, allow_offsite)
    return discover_links(page_html, page_url)
