"""Finding the body element that a known CMS template puts the notice in (``spiders.cms`` profiles)."""

from __future__ import annotations

from lxml import etree
from lxml.html import HtmlElement

from spiders.cms import BODY_MARKERS, CONTAINERS


def _candidates_xpath() -> etree.XPath:
    """One query for every profile's containers and body markers (one pass over the tree)."""
    tests = [f"@id='{name}'" for template in CONTAINERS for name in template.ids]
    tests += [
        f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"
        for template in CONTAINERS
        for name in template.classes
    ]
    names = [f"@name='{name}'" for pair in BODY_MARKERS for name in pair]
    return etree.XPath(f"//*[{' or '.join(tests)}] | //meta[{' or '.join(names)}]")


_CANDIDATES = _candidates_xpath()


def find_container(tree: HtmlElement) -> HtmlElement | None:
    """The notice's body element from CMS markers, or None when no known template matches.

    Content between a profile's body marker metas (Hanweb's ``ContentStart``/``ContentEnd``)
    wins; otherwise the element of the most preferred container, the one with the most
    text if several (the outermost of nested ones).
    """
    found = _CANDIDATES(tree)
    markers = [el for el in found if el.tag == "meta"]
    for start, end in BODY_MARKERS:
        marked = _between_markers(markers, start, end)
        if marked is not None:
            return marked
    ranked = [(r, el) for el in found if el.tag != "meta" and (r := _rank(el)) is not None]
    if not ranked:
        return None
    best = min(rank for rank, _ in ranked)
    return max((el for rank, el in ranked if rank == best), key=lambda el: len(el.text_content()))


def _rank(element: HtmlElement) -> int | None:
    classes = set(element.get("class", "").split())
    for rank, template in enumerate(CONTAINERS):
        if template.tag and element.tag != template.tag:
            continue
        if element.get("id") in template.ids or not template.classes.isdisjoint(classes):
            return rank
    return None


def _between_markers(
    markers: list[HtmlElement], start_name: str, end_name: str
) -> HtmlElement | None:
    """The parent of the start and end marker metas, trimmed to what lies between them."""
    start = next((el for el in markers if el.get("name") == start_name), None)
    end = next((el for el in markers if el.get("name") == end_name), None)
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
