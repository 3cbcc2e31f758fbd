"""robots.txt read once per site for its lifetime, not on every crawl.

Scrapy's ``RobotsTxtMiddleware`` asks each host for robots.txt once per crawl; a
daemon crawling every 30 minutes would double its requests. This one first
looks in the files earlier crawls kept (the source's ``ListSpec.robots``: origin → body,
only those still within their lifetime), and announces a newly fetched file
with the ``robots_fetched`` signal so that the crawl can keep it. Failed
fetches (no answer, 5xx) are never kept: the next crawl asks again.
"""

from __future__ import annotations

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.http import Request, Response
from scrapy.robotstxt import RobotParser
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler

robots_fetched = object()
"""Signal: ``origin`` (``scheme://host:port``) and ``body`` of a robots.txt just read."""


def origin_of(request: Request) -> str:
    parts = urlparse_cached(request)
    return f"{parts.scheme}://{parts.netloc}"


class RememberedRobotsTxtMiddleware(RobotsTxtMiddleware):
    """``RobotsTxtMiddleware`` that starts from the robots.txt files the spider was given."""

    async def robot_parser(self, request: Request) -> RobotParser | None:
        netloc = urlparse_cached(request).netloc
        if netloc not in self._parsers:
            spec = request.meta.get("spec") or getattr(self.crawler.spider, "spec", None)
            remembered = getattr(spec, "robots", {})
            body = remembered.get(origin_of(request))
            if body is not None:
                self._parsers[netloc] = build_from_crawler(self._parserimpl, self.crawler, body)
        return await super().robot_parser(request)

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        await super()._parse_robots(response, netloc, request)
        if response.status < 500:
            await self.crawler.signals.send_catch_log_async(
                signal=robots_fetched, origin=origin_of(request), body=response.body
            )
