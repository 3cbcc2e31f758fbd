"""Turn one notice page into clean fields: title, date, body, attachments.

Pipeline (one lxml parse): decode → parse → find the CMS body container → drop what a
reader never sees (scripts, ruby annotations, hidden spam) → title → drop footers,
related lists, comment and share blocks → body lines: the container, or on pages of no
known CMS (the general path) link-dense blocks and page chrome go and the block holding
the page's prose is read (trafilatura when there is no prose) → text-level cleaning →
date, issuer, 文号 from the lines around the body → Simplified-script copies.
"""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import unquote, urljoin, urlsplit

from lxml.html import HtmlElement

from monitor.simplified import to_simplified
from spiders.encoding import decode_html

from .attachments import canonical_kind, collect_attachments
from .body import split_around, trafilatura_lines
from .budget import Budget, PageTooHeavy
from .container import find_container
from .dates import (
    date_from_url,
    parse_cn_date,
    published_from_lines,
    published_from_meta,
    published_from_stamps,
)
from .dom import meta_map, parse_html, render_lines
from .fields import find_doc_number, find_issuer
from .html_clean import drop_chrome, drop_noise, strip_invisible
from .link_blocks import drop_link_blocks
from .model import Attachment, ExtractedNotice
from .prose import find_prose_block
from .structured import stated_published, time_stamps
from .text_clean import clean_body, strip_pinyin
from .title import pick_title

__all__ = [
    "Attachment",
    "ExtractedNotice",
    "PageTooHeavy",
    "canonical_kind",
    "extract_notice",
    "parse_cn_date",
]

_ATTACHMENT_LEVELS = 3  # the container, its parent and grandparent: blocks after each


def extract_notice(
    raw: bytes,
    url: str,
    content_type: str | None = None,
    *,
    list_title: str | None = None,
    list_date: date | None = None,
    cms_containers: bool = True,
    budget_seconds: float | None = None,
) -> ExtractedNotice:
    """Extract a notice from a detail page's bytes.

    ``list_title``/``list_date`` come from the list page: the title is used when the page
    has no better one (a truncated one only to pick the full title), the date when the
    page shows none. A URL that is itself a file gives a notice with that attachment.
    ``cms_containers=False`` ignores the known CMS body containers, so every page takes
    the general path (to measure that path). Past ``budget_seconds`` it raises
    :class:`PageTooHeavy`.
    """
    budget = Budget(budget_seconds)
    kind = _file_kind(raw, url)
    if kind:
        return _file_notice(url, kind, list_title, list_date)
    html, codec = decode_html(raw, content_type)
    tree = parse_html(html)
    budget.check("parsed")
    meta = meta_map(tree)
    stated = stated_published(tree)
    if stated:
        meta.setdefault("datepublished", stated)
    times = time_stamps(tree)
    container = find_container(tree) if cms_containers else None
    strip_invisible(tree)
    title = strip_pinyin(pick_title(tree, meta, list_title))
    drop_noise(tree, keep=container)
    body_element = tree.body if tree.body is not None else tree  # a frameset has no body
    if container is None:
        drop_link_blocks(body_element)
    page = render_lines(body_element)
    budget.check("noise removed")
    if container is not None:
        lines, scopes = render_lines(container), _attachment_scopes(container)
    else:
        lines, scopes = _general_lines(tree, body_element, url, title), [body_element]
    budget.check("body found")
    attachments = collect_attachments(scopes, _base_url(tree, url))
    names = (a.name for a in attachments)
    body = clean_body(lines, title, names, in_container=container is not None)
    budget.check("body cleaned")
    head, tail = split_around(page, body)
    published, published_at = _published(meta, head, tail, title, times, list_date, url)
    text = "\n".join(body)
    return ExtractedNotice(
        title=title,
        published=published,
        text=text,
        attachments=attachments,
        published_at=published_at,
        issuer=find_issuer(meta, head, tail),
        doc_number=find_doc_number(head, tail, body),
        title_simple=to_simplified(title),
        text_simple=to_simplified(text),
        encoding=codec,
    )


def _general_lines(tree: HtmlElement, body_element: HtmlElement, url: str, title: str) -> list[str]:
    """Body lines of a page of no known CMS: the prose block, else what trafilatura finds."""
    drop_chrome(tree, keep=None)
    block = find_prose_block(body_element, title)
    return render_lines(block) if block is not None else trafilatura_lines(tree, url)


def _published(
    meta: dict[str, str],
    head: list[str],
    tail: list[str],
    title: str,
    times: list[str],
    list_date: date | None,
    url: str,
) -> tuple[date | None, datetime | None]:
    found = (
        published_from_meta(meta)
        or published_from_lines(head, tail, title)
        or published_from_stamps(times)
    )
    if found:
        return found
    return list_date or date_from_url(url), None


def _attachment_scopes(container: HtmlElement) -> list[HtmlElement]:
    """The container and the blocks that follow it, up to its grandparent."""
    scopes = [container]
    node: HtmlElement | None = container
    for _ in range(_ATTACHMENT_LEVELS):
        if node is None:
            break
        scopes.extend(node.itersiblings())
        node = node.getparent()
    return scopes


def _base_url(tree: HtmlElement, url: str) -> str:
    base = tree.find(".//base[@href]")
    return urljoin(url, base.get("href")) if base is not None else url


def _file_kind(raw: bytes, url: str) -> str | None:
    """The file type when the fetched URL is a file rather than a page."""
    if raw.startswith(b"%PDF-"):
        return "pdf"
    looks_like_html = raw.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")
    return None if looks_like_html else canonical_kind(url)


def _file_notice(
    url: str, kind: str, list_title: str | None, list_date: date | None
) -> ExtractedNotice:
    """A list row that links straight to a file: the file is the notice."""
    name = list_title or unquote(urlsplit(url).path.rsplit("/", 1)[-1])
    return ExtractedNotice(
        title=name,
        published=list_date or date_from_url(url),
        text="",
        attachments=[Attachment(name=name, url=url, kind=kind)],
        title_simple=to_simplified(name),
        encoding="binary",
    )
