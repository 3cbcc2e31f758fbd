"""Finding the body element that a known CMS template puts the notice in."""

from __future__ import annotations

from typing import NamedTuple

from lxml import etree
from lxml.html import HtmlElement


class _Family(NamedTuple):
    """One CMS's body element: any of these ids or classes (on ``tag`` if given)."""

    ids: frozenset[str] = frozenset()
    classes: frozenset[str] = frozenset()
    tag: str | None = None


def _family(ids: str = "", classes: str = "", tag: str | None = None) -> _Family:
    return _Family(frozenset(ids.split()), frozenset(classes.split()), tag)


_FAMILIES = (  # in order of preference
    _family(classes="trs_editor_view TRS_UEDITOR TRS_Editor"),  # TRS WCM (拓尔思)
    _family(ids="zoom", classes="article_zoom"),  # Hanweb JCMS (大汉)
    _family(classes="v_news_content"),  # VSB (博达), inside #vsb_content
    _family(classes="wp_articlecontent"),  # Sudy WebPlus (苏迪)
    _family(classes="news_cont_d_wrap"),  # Guangdong NFCMS
    _family(ids="UCAP-CONTENT"),  # gov.cn
    _family(classes="moe-detail-box"),  # 教育部
    _family(ids="ReportIDtext ivs_content"),  # 考试院 portals
    _family(ids="article_content", tag="td"),  # Discuz portal
    _family(classes="entry-content"),  # WordPress
)


def _candidates_xpath() -> etree.XPath:
    """One query for every family's elements (one pass over the tree)."""
    tests = [f"@id='{name}'" for family in _FAMILIES for name in family.ids]
    tests += [
        f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"
        for family in _FAMILIES
        for name in family.classes
    ]
    return etree.XPath(
        f"//*[{' or '.join(tests)}] | //meta[@name='ContentStart' or @name='ContentEnd']"
    )


_CANDIDATES = _candidates_xpath()


def find_container(tree: HtmlElement) -> HtmlElement | None:
    """The notice's body element from CMS markers, or None when no known template matches.

    Content between ``ContentStart``/``ContentEnd`` metas wins; otherwise the element of
    the most preferred family, the one with the most text if several (the outermost of
    nested ones).
    """
    found = _CANDIDATES(tree)
    markers = [el for el in found if el.tag == "meta"]
    marked = _between_markers(markers)
    if marked is not None:
        return marked
    ranked = [(r, el) for el in found if el.tag != "meta" and (r := _rank(el)) is not None]
    if not ranked:
        return None
    best = min(rank for rank, _ in ranked)
    return max((el for rank, el in ranked if rank == best), key=lambda el: len(el.text_content()))


def _rank(element: HtmlElement) -> int | None:
    classes = set(element.get("class", "").split())
    for rank, family in enumerate(_FAMILIES):
        if family.tag and element.tag != family.tag:
            continue
        if element.get("id") in family.ids or not family.classes.isdisjoint(classes):
            return rank
    return None


def _between_markers(markers: list[HtmlElement]) -> HtmlElement | None:
    """The parent of the ContentStart/ContentEnd metas, trimmed to what lies between them."""
    start = next((el for el in markers if el.get("name") == "ContentStart"), None)
    end = next((el for el in markers if el.get("name") == "ContentEnd"), None)
    if start is None or end is None:
        return None
    parent = start.getparent()
    if parent is None or end.getparent() is not parent:
        return parent
    children = list(parent)
    first, last = children.index(start), children.index(end)
    if first > last:
        return parent
    parent.text = None
    for child in children[:first] + children[last:]:
        parent.remove(child)  # takes its tail text along
    start.drop_tree()  # keeps its tail, the first text of the notice
    return parent
