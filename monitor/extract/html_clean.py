"""DOM pre-cleaning: what a reader never sees, and blocks that are never the notice."""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import HtmlElement

from .dom import BLOCK_TAGS, class_and_id
from .vocab import BREADCRUMB_LABELS

_INVISIBLE_TAGS = (
    "script", "style", "noscript", "template", "svg", "canvas", "select", "button", "input",
    "textarea", "marquee", "map", "rt", "rp", "link",
)  # fmt: skip
_EMBED_TAGS = ("iframe", "frame", "object", "embed")  # kept (a PDF player's src), emptied
_HIDDEN_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|opacity\s*:\s*0(?:\.0+)?\s*(?:;|$)"
    r"|font-size\s*:\s*0(?:px|pt|em)?\s*(?:;|$)|(?:left|top|text-indent)\s*:\s*-\d{3,}",
    re.IGNORECASE,
)
_FADED = re.compile(r"visibility\s*:\s*hidden|opacity\s*:\s*0(?:\.0+)?\s*(?:;|$)", re.I)
_REMOVED = re.compile(
    r"display\s*:\s*none|font-size\s*:\s*0|(?:left|top|text-indent)\s*:\s*-\d{3,}", re.I
)
_REVEALED_SHARE = 0.3  # a faded-out block with this share of the page's text is the article
_CSS_HIDDEN_RULE = re.compile(
    r"(?:^|[},])\s*([.#])([\w-]+)\s*\{[^}]*?(?:display\s*:\s*none|visibility\s*:\s*hidden)",
    re.IGNORECASE,
)
_STYLED = etree.XPath("//*[@style or @hidden]")
_NAMED = etree.XPath("//*[@class or @id] | //footer | //nav | //header | //aside")
_STYLE_SHEETS = etree.XPath("//style/text()")
_BREADCRUMB_TEXT = etree.XPath(
    "//body//text()[string-length(normalize-space(.)) < 80 and ("
    + " or ".join(f"starts-with(normalize-space(.), '{label}')" for label in BREADCRUMB_LABELS)
    + ")]"
)


def _word_pattern(anywhere: str, tokens: str) -> re.Pattern[str]:
    """Match long words anywhere in class/id text, short ones only as a whole class or id
    token or as its first or last ``-``/``_`` part (``ad-box``, ``top_ad``, ``nav2``), never
    inside one (``non-ad-column`` is no ad, ``caas-click-attached`` no click counter) nor
    in a token naming the content (``yaowen-content-bottom`` is the article's lower half)."""
    short = "|".join(tokens.split())
    token_start = r"(?:^|(?<=\s))(?![\w-]*content)"
    return re.compile(
        rf"(?:{'|'.join(anywhere.split())})"
        rf"|{token_start}(?:{short})(?=$|[\s_\-\d])"
        rf"|{token_start}[\w-]*[_\-](?:{short})\d*(?=$|\s)"
    )


_NOISE_BLOCKS = _word_pattern(
    "footer copyright comment related bdshare jiathis bshare breadcrumb gallery slideshow "
    "controlbar more-news more-posts morenews",
    "foot bottom bq banquan dibu share fenxiang xgwz xgxw xglj relate tuijian recommend "
    "pinglun click prev next prevnext updown sxp sxt sxy print tools toolbar fontsize zihao "
    "ad ads advert controls control-bar control-panel",
)
"""Class/id words of blocks that hold neither the notice nor its metadata line."""

_PAGE_CHROME = _word_pattern(
    "crumb navbar navigation sidebar friendlink",
    "nav menu dh daohang header head top topbar logo banner position location place weizhi dqwz "
    "mbx side aside widget links yqlj search login",
)
"""Class/id words of page furniture around the notice (header, menus, side columns)."""

_NOISE_TAGS = frozenset({"footer"})
_CHROME_TAGS = frozenset({"nav", "header", "aside"})
_MAX_SHARE = 0.4  # never drop a block holding this share of the page's text
_CRUMB_MAX = 200  # a breadcrumb block is short


def strip_invisible(tree: HtmlElement) -> None:
    """Remove comments, scripts, ruby annotations and elements hidden by style or attribute.

    Embedded frames and objects stay, emptied of their fallback text: their ``src`` may be
    an attachment (a PDF player).
    """
    etree.strip_tags(tree, etree.Comment, etree.ProcessingInstruction)
    hidden_classes, hidden_ids = _stylesheet_hidden(tree)
    etree.strip_elements(tree, *_INVISIBLE_TAGS, with_tail=False)
    for embed in tree.iter(*_EMBED_TAGS):
        embed.text = None
        for child in list(embed):
            embed.remove(child)
    body = tree.body if tree.body is not None else tree
    total = _visible_length(body)
    doomed = [el for el in _STYLED(tree) if _is_hidden(el) and not _revealed_later(el, total)]
    if hidden_classes or hidden_ids:
        doomed.extend(el for el in tree.iter() if _matches(el, hidden_classes, hidden_ids))
    _drop_all(doomed)


def _drop_blocks(
    tree: HtmlElement, words: re.Pattern[str], tags: frozenset[str], keep: HtmlElement | None
) -> None:
    """Drop elements whose tag is in ``tags`` or whose class/id matches ``words``.

    ``keep`` (the notice container) and its ancestors always stay, and so does any block
    holding a large share of the page's text (a layout wrapper with an unlucky name).
    """
    protected = _protected(keep)
    total = len(tree.text_content()) or 1
    doomed = [
        el
        for el in _NAMED(tree)
        if el not in protected
        and (el.tag in tags or words.search(class_and_id(el)))
        and len(el.text_content()) < _MAX_SHARE * total
    ]
    _drop_all(doomed)


def drop_noise(tree: HtmlElement, keep: HtmlElement | None) -> None:
    """Drop footers, related lists, comments, share and tool bars, prev/next links, breadcrumbs."""
    _drop_blocks(tree, _NOISE_BLOCKS, _NOISE_TAGS, keep)
    protected = _protected(keep)
    crumbs = (_block_of(text.getparent()) for text in _BREADCRUMB_TEXT(tree))
    _drop_all([el for el in crumbs if el not in protected and len(el.text_content()) < _CRUMB_MAX])


def drop_chrome(tree: HtmlElement, keep: HtmlElement | None) -> None:
    """Drop navigation, headers, breadcrumbs and side columns."""
    _drop_blocks(tree, _PAGE_CHROME, _CHROME_TAGS, keep)


def _protected(keep: HtmlElement | None) -> set[HtmlElement]:
    """The container and its ancestors, which no cleaning step may drop."""
    return {keep, *keep.iterancestors()} if keep is not None else set()


def _block_of(element: HtmlElement) -> HtmlElement:
    """The nearest block-level element holding ``element`` (itself if it is one)."""
    node = element
    while node.tag not in BLOCK_TAGS and node.getparent() is not None:
        node = node.getparent()
    return node


def _revealed_later(element: HtmlElement, page_text: int) -> bool:
    """True for the article a script fades in (WeChat's ``#js_content`` starts as
    ``visibility: hidden; opacity: 0``): only made invisible, not removed from the layout,
    and holding a large share of the page's text. Hidden spam is a sliver of the page."""
    style = element.get("style", "")
    if element.get("hidden") is not None or not _FADED.search(style) or _REMOVED.search(style):
        return False
    return _visible_length(element) >= _REVEALED_SHARE * page_text


def _visible_length(element: HtmlElement) -> int:
    """Characters of text under ``element``, white space not counted."""
    return sum(len("".join(part.split())) for part in element.itertext())


def _is_hidden(element: HtmlElement) -> bool:
    if element.get("hidden") is not None:
        return True
    return bool(_HIDDEN_STYLE.search(element.get("style", "")))


def _stylesheet_hidden(tree: HtmlElement) -> tuple[set[str], set[str]]:
    """Single-class and single-id selectors that inline ``<style>`` blocks hide."""
    classes: set[str] = set()
    ids: set[str] = set()
    for sheet in _STYLE_SHEETS(tree):
        for kind, name in _CSS_HIDDEN_RULE.findall(sheet):
            (classes if kind == "." else ids).add(name)
    return classes, ids


def _matches(element: HtmlElement, classes: set[str], ids: set[str]) -> bool:
    if not isinstance(element.tag, str):
        return False
    if element.get("id") in ids:
        return True
    return bool(classes.intersection(element.get("class", "").split()))


def _drop_all(elements: list[HtmlElement]) -> None:
    """Drop elements (keeping their tail text); nested ones go with their parent."""
    for element in elements:
        if element.getparent() is not None:
            element.drop_tree()
