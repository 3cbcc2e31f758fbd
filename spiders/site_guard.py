"""Keep a crawl on its source's site: no other schemes, no off-site redirects or refreshes,
no internal addresses the source has no business with.

A list page controls where its "next" link, its ``<meta http-equiv=refresh>``
and its redirects point; without this guard a hostile or hijacked page could
make the crawler fetch internal addresses, other local services or files. A
downloader middleware refuses, before anything is sent:

- any scheme but http and https;
- a redirect or refresh that leaves the site of the URL it started from;
- a request of a source's crawl off the source's site (same registrable domain and
  port: a university's college hosts are one site, :func:`spiders.urls.registrable_site`),
  unless the source sets ``allow_offsite``;
- a host that resolves to a loopback, private, link-local or reserved address
  unless the source's own address is of the same kind or it sets
  ``allow_private`` (:mod:`spiders.addresses`). The lookup goes through the
  crawler's caching resolver, so the connection uses the address checked.

A request of no source (robots.txt, asked by Scrapy's middleware) passes when a
source's request to the same origin has passed.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.defer import maybe_deferred_to_future

from spiders.addresses import AddressKind, address_kind, is_address, may_fetch
from spiders.notice_spider import ListSpec
from spiders.urls import registrable_site, site_key


class SiteGuard:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self._kinds: dict[str, AddressKind | None] = {}
        self._passed: set[tuple[str, str]] = set()  # (scheme, host:port) a source's request passed

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SiteGuard:
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        scheme = urlsplit(request.url).scheme.lower()
        if scheme not in ("http", "https"):
            raise IgnoreRequest(f"refused {request.url[:200]}: only http(s) is fetched")
        spec = request.meta.get("spec") or getattr(self.crawler.spider, "spec", None)
        parts = urlsplit(request.url)
        origin = (parts.scheme, parts.netloc)
        if spec is None and origin in self._passed:  # robots.txt of a host a source asked
            return
        if spec is None or not spec.allow_offsite:
            self._check_site(request, spec)
        if spec is None or not spec.allow_private:
            await self._check_address(request.url, spec)
        if spec is not None:
            self._passed.add(origin)

    def _check_site(self, request: Request, spec: ListSpec | None) -> None:
        started = (request.meta.get("redirect_urls") or [request.url])[0]
        if site_key(request.url) != site_key(started):
            raise IgnoreRequest(f"refused {request.url}: a redirect from {started} off its site")
        if spec is None or "source_id" not in request.meta:
            return
        if registrable_site(request.url) != registrable_site(spec.url):
            raise IgnoreRequest(
                f"refused {request.url}: off the site of {spec.url} (allow_offsite = true follows it)"
            )

    async def _check_address(self, url: str, spec: ListSpec | None) -> None:
        target = await self._kind(url)
        if target is None:  # not resolvable: the download reports the lookup failure
            return
        source = await self._kind(spec.url) if spec is not None else None
        if not may_fetch(target, source, allow_private=False):
            raise IgnoreRequest(
                f"refused {url}: its host is a {target} address, the source's is "
                f"{source or 'unknown'} (allow_private = true fetches it)"
            )

    async def _kind(self, url: str) -> AddressKind | None:
        """The kind of address ``url``'s host resolves to (None when it does not resolve)."""
        host = (urlsplit(url).hostname or "").lower()
        if host not in self._kinds:
            self._kinds[host] = await self._resolve_kind(host)
        return self._kinds[host]

    async def _resolve_kind(self, host: str) -> AddressKind | None:
        if not host or is_address(host):
            return address_kind(host) if host else None
        from twisted.internet import reactor  # the crawler's, installed by then (not at import)

        try:
            address = await maybe_deferred_to_future(reactor.resolve(host))  # type: ignore[arg-type]
        except Exception:  # the download reports the lookup failure itself
            return None
        return address_kind(address)
