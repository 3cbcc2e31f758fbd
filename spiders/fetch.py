"""A single blocking page fetch, for interactive tools (not for crawls, which use Scrapy)."""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass


@dataclass(frozen=True)
class FetchedPage:
    url: str
    status: int
    content_type: str | None
    body: bytes


def fetch(url: str, *, user_agent: str, timeout: float, max_bytes: int) -> FetchedPage:
    """GET ``url``; HTTP errors are returned as statuses, network errors raise OSError."""
    request = urllib.request.Request(
        url, headers={"User-Agent": user_agent, "Accept-Language": "zh-CN,zh;q=0.9"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return FetchedPage(
                response.url,
                response.status,
                response.headers.get("Content-Type"),
                response.read(max_bytes),
            )
    except urllib.error.HTTPError as exc:
        return FetchedPage(url, exc.code, exc.headers.get("Content-Type"), exc.read(max_bytes))
