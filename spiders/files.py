"""Attachments of a notice, downloaded one after another through the same crawl.

The spider does not find attachments itself: extraction (in the recorder) knows
them, and hands the ones to download back to the spider (``NoticeSpider.fetch_files``).
They are requested in a chain, one file after another, so every download goes
through the crawl's politeness, robots.txt, retries and per-host limits; the
chain ends with the detail page again, now carrying every file's outcome
(``DetailPage.files``). A failed file never ends the chain.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import scrapy
from scrapy.http import Response

from spiders.items import DetailPage, FetchedFile, FileWanted


def conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    """``If-None-Match`` / ``If-Modified-Since`` for what is known of a URL."""
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def next_step(
    page: DetailPage,
    wanted: tuple[FileWanted, ...],
    done: tuple[FetchedFile, ...],
    meta: dict,
    callback: Callable,
    errback: Callable,
) -> scrapy.Request | DetailPage:
    """The request for the next file not downloaded yet, or the page with all of them."""
    if len(done) >= len(wanted):
        return dataclasses.replace(page, files=done)
    return file_request(page, wanted, done, meta, callback, errback)


def file_request(
    page: DetailPage,
    wanted: tuple[FileWanted, ...],
    done: tuple[FetchedFile, ...],
    meta: dict,
    callback: Callable,
    errback: Callable,
) -> scrapy.Request:
    """The request for ``wanted[len(done)]``, carrying the chain so far."""
    file = wanted[len(done)]
    return scrapy.Request(
        file.url,
        callback=callback,
        errback=errback,
        headers=conditional_headers(file.etag, file.last_modified),
        meta={**meta, "file_chain": (page, wanted, done)},
        dont_filter=True,
        priority=1,  # finish a notice's files before starting other pages
    )


def fetched(url: str, response: Response, error: str | None) -> FetchedFile:
    """The download of ``url`` (``error`` when the answer is unusable: an error status, a block)."""
    etag, modified = (response.headers.get(h) for h in ("ETag", "Last-Modified"))
    return FetchedFile(
        url=url,
        status=response.status,
        body=None if error or response.status == 304 else response.body,
        etag=etag.decode("latin-1") if etag else None,
        last_modified=modified.decode("latin-1") if modified else None,
        not_modified=response.status == 304,
        error=error,
    )
