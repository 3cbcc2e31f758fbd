"""Keep a crawl on its source's site: no other schemes, no off-site redirects or refreshes.

A list page controls where its "next" link, its ``<meta http-equiv=refresh>``
and its redirects point; without this guard a hostile or hijacked page could
make the crawler fetch internal addresses, other local services or files. A
downloader middleware refuses, before anything is sent:

- any scheme but http and https;
- a redirect or refresh that leaves the site of the URL it started from;
- a request of a source's crawl off the source's site (same host and port,
  ``www.`` ignored), unless the source sets ``allow_offsite``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest

from spiders.urls import site_key


class SiteGuard:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SiteGuard:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        scheme = urlsplit(request.url).scheme.lower()
        if scheme not in ("http", "https"):
            raise IgnoreRequest(f"refused {request.url[:200]}: only http(s) is fetched")
        spec = request.meta.get("spec") or getattr(self.crawler.spider, "spec", None)
        if spec is not None and spec.allow_offsite:
            return None
        started = (request.meta.get("redirect_urls") or [request.url])[0]
        if site_key(request.url) != site_key(started):
            raise IgnoreRequest(f"refused {request.url}: a redirect from {started} off its site")
        if spec is None or "source_id" not in request.meta:
            return None
        if site_key(request.url) != site_key(spec.url):
            raise IgnoreRequest(
                f"refused {request.url}: off the site of {spec.url} (allow_offsite = true follows it)"
            )
        return None
