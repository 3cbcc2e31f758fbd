"""Scrapy settings for polite crawling of small government and school servers."""

from __future__ import annotations

from typing import Any

from scrapy.settings import default_settings

from spiders.rendering import find_chromium, render_settings, rendering_problem

UNUSED_EXTENSIONS = tuple(
    f"scrapy.extensions.{name}"
    for name in (
        "corestats.CoreStats",
        "logcount.LogCount",
        "telnet.TelnetConsole",
        "memusage.MemoryUsage",
        "memdebug.MemoryDebugger",
        "closespider.CloseSpider",
        "feedexport.FeedExporter",
        "logstats.LogStats",
        "spiderstate.SpiderState",
        "remote_control.RemoteControl",
    )
)
UNUSED_DOWNLOADER_MIDDLEWARES = tuple(
    f"scrapy.downloadermiddlewares.{name}"
    for name in (
        "offsite.OffsiteMiddleware",  # spiders.site_guard keeps requests on their site
        "httpauth.HttpAuthMiddleware",
        "stats.DownloaderStats",
        "retry.RetryMiddleware",  # replaced: spiders.retry
        "robotstxt.RobotsTxtMiddleware",  # replaced: spiders.robots
    )
)
UNUSED_SPIDER_MIDDLEWARES = tuple(
    f"scrapy.spidermiddlewares.{name}"
    for name in (
        "urllength.UrlLengthMiddleware",
        "depth.DepthMiddleware",
        "metacopy.MetaCopyDetectionMiddleware",
    )
)


def crawl_settings(
    *,
    user_agent: str,
    concurrency_per_host: int,
    download_delay: float,
    timeout: float,
    retries: int,
    retry_backoff: float,
    obey_robots: bool,
    max_response_bytes: int,
    render: bool = False,
    chromium_path: str | None = None,
    render_timeout: float = 30.0,
) -> dict[str, Any]:
    """Settings for one crawl process (the values come from ``[crawl]``, defaults and all).

    With ``render`` (a source renders pages), the rendering handler and the challenge
    middleware, or, when rendering is not possible here, ``NOTICEWATCH_RENDER_PROBLEM``:
    the line that rendering sources fail with.
    """
    settings = {
        "BOT_NAME": "noticewatch",
        "USER_AGENT": user_agent,
        "ROBOTSTXT_OBEY": obey_robots,
        "CONCURRENT_REQUESTS": 16,
        "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency_per_host,
        # With no delay at all, Scrapy 2.19 dispatches a slot's whole queue before it counts
        # a request in flight, so the per-host cap would not hold.
        "DOWNLOAD_DELAY": max(download_delay, 0.001),
        "DOWNLOAD_DELAY_JITTER": 0.5,
        "AUTOTHROTTLE_ENABLED": download_delay > 0,
        "AUTOTHROTTLE_START_DELAY": max(download_delay, 1.0),
        "AUTOTHROTTLE_MAX_DELAY": 30.0,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
        "DOWNLOAD_TIMEOUT": timeout,
        "RETRY_ENABLED": retries > 0,
        "RETRY_TIMES": retries,
        "RETRY_HTTP_CODES": [500, 502, 503, 504, 522, 524, 408],
        "RETRY_BACKOFF": retry_backoff,
        "DOWNLOADER_MIDDLEWARES_BASE": _without(
            default_settings.DOWNLOADER_MIDDLEWARES_BASE, UNUSED_DOWNLOADER_MIDDLEWARES
        ),
        "DOWNLOADER_MIDDLEWARES": {
            "spiders.retry.BackoffRetryMiddleware": 550,
            "spiders.site_guard.SiteGuard": 50,  # before robots.txt and everything else
            "spiders.robots.RememberedRobotsTxtMiddleware": 100,  # robots.txt kept across crawls
        },
        # Nothing reads Scrapy's stats: counting them is work on every request.
        "STATS_CLASS": "scrapy.statscollectors.DummyStatsCollector",
        # only http(s): no file:, ftp:, data: or s3: from a page's links (see site_guard)
        "DOWNLOAD_HANDLERS": {"file": None, "ftp": None, "data": None, "s3": None},
        "REDIRECT_MAX_TIMES": 5,  # redirects stay on the source's site (site_guard)
        "DOWNLOAD_MAXSIZE": max_response_bytes,
        "DOWNLOAD_WARNSIZE": max_response_bytes // 2,
        "DEFAULT_REQUEST_HEADERS": {
            "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "Accept-Language": "zh-CN,zh;q=0.9",
        },
        "COOKIES_ENABLED": True,
        "TELNETCONSOLE_ENABLED": False,
        # What a crawl process has no use for is not even imported (the remote control
        # extension alone imports aiohttp: 0.1 s of every crawl's start). Scrapy imports
        # every component a *_BASE dict names, disabled or not, so they leave the base.
        "EXTENSIONS_BASE": _without(default_settings.EXTENSIONS_BASE, UNUSED_EXTENSIONS),
        # Long URLs are fetched (a source's links are its own), and nothing is depth-limited.
        "SPIDER_MIDDLEWARES_BASE": _without(
            default_settings.SPIDER_MIDDLEWARES_BASE, UNUSED_SPIDER_MIDDLEWARES
        ),
        # A callback's output is a handful of items and requests: 100 at once only makes tasks.
        "CONCURRENT_ITEMS": 8,
        # Scrapy would re-read each callback's source with ``ast`` to warn about ``return x``.
        "WARN_ON_GENERATOR_RETURN_VALUE": False,
        "LOG_LEVEL": "WARNING",
        "LOG_INSTALL_ROOT_HANDLER": False,
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
        "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
    }
    if render:
        settings.update(_rendering(chromium_path, render_timeout, settings))
    return settings


def _without(components: dict[str, int], unused: tuple[str, ...]) -> dict[str, int]:
    return {path: order for path, order in components.items() if path not in unused}


def _rendering(chromium_path: str | None, timeout: float, plain: dict[str, Any]) -> dict[str, Any]:
    problem = rendering_problem(chromium_path)
    chromium = find_chromium(chromium_path)
    if problem or chromium is None:
        return {"NOTICEWATCH_RENDER_PROBLEM": problem}
    rendering = render_settings(chromium, timeout)
    return {
        **rendering,
        "DOWNLOAD_HANDLERS": {**plain["DOWNLOAD_HANDLERS"], **rendering["DOWNLOAD_HANDLERS"]},
        "DOWNLOADER_MIDDLEWARES": {
            **plain["DOWNLOADER_MIDDLEWARES"],
            "spiders.blocking.ChallengeMiddleware": 600,  # after the cookie middleware's 700
        },
    }
