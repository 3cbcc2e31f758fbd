"""Scores of noticewatch (and plain trafilatura) on the real pages, shared by the benchmark
and the gate test."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import trafilatura

from monitor.extract.metrics import body_score, same_title
from spiders.encoding import decode_html
from spiders.links import discover_links
from spiders.pagination import next_page_url
from spiders.urls import canonical_url
from tests.realpages import RealList, RealNotice


@dataclass(frozen=True)
class NoticeScore:
    """One extractor's result on one notice page, against its label."""

    page: RealNotice
    f1: float
    title_ok: bool
    date_ok: bool
    attachments_found: int  # labelled attachment URLs the extractor reported


@dataclass(frozen=True)
class ListScore:
    """Link discovery on one list page, against its label."""

    page: RealList
    precision: float
    recall: float
    f1: float
    next_ok: bool


@dataclass(frozen=True)
class Fields:
    title: str | None
    date: str | None
    text: str
    attachment_urls: frozenset[str]


def noticewatch(page: RealNotice) -> Fields:
    notice = page.extract()
    published = notice.published.isoformat() if notice.published else None
    urls = frozenset(canonical_url(a.url) for a in notice.attachments)
    return Fields(notice.title, published, notice.text, urls)


def plain_trafilatura(page: RealNotice) -> Fields:
    html, _ = decode_html(page.raw, None)
    doc = trafilatura.bare_extraction(html, url=page.entry.url, with_metadata=True)
    if doc is None:
        return Fields(None, None, "", frozenset())
    return Fields(doc.title, doc.date, doc.text or "", frozenset())


def score_notices(
    pages: Sequence[RealNotice], extractor: Callable[[RealNotice], Fields]
) -> list[NoticeScore]:
    scores = []
    for page in pages:
        out = extractor(page)
        wanted = {canonical_url(a.url) for a in page.attachments}
        scores.append(
            NoticeScore(
                page=page,
                f1=body_score(out.text, page.body).f1,
                title_ok=same_title(out.title, page.title),
                date_ok=out.date == page.date,
                attachments_found=len(wanted & out.attachment_urls),
            )
        )
    return scores


def score_lists(pages: Sequence[RealList]) -> list[ListScore]:
    scores = []
    for page in pages:
        html, _ = decode_html(page.raw, None)
        found = {canonical_url(e.url) for e in discover_links(html, page.entry.url)}
        wanted = {canonical_url(url) for url in page.links}
        hits = len(found & wanted)
        precision = hits / len(found) if found else 0.0
        recall = hits / len(wanted) if wanted else 1.0
        f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
        nxt = next_page_url(html, page.entry.url)
        want_next = canonical_url(page.next_page) if page.next_page else None
        scores.append(ListScore(page, precision, recall, f1, nxt == want_next))
    return scores


@dataclass(frozen=True)
class Summary:
    """Mean figures of one extractor over the notice pages."""

    f1: float
    title: float
    date: float
    attachments_found: int
    attachments_total: int


def summarise(scores: Sequence[NoticeScore]) -> Summary:
    n = len(scores) or 1
    return Summary(
        f1=sum(s.f1 for s in scores) / n,
        title=sum(s.title_ok for s in scores) / n,
        date=sum(s.date_ok for s in scores) / n,
        attachments_found=sum(s.attachments_found for s in scores),
        attachments_total=sum(len(s.page.attachments) for s in scores),
    )
