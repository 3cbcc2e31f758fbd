"""Scrapy settings for polite crawling of small government and school servers."""

from __future__ import annotations

from typing import Any


def crawl_settings(
    *,
    user_agent: str,
    concurrency_per_host: int = 2,
    download_delay: float = 1.0,
    timeout: float = 30.0,
    retries: int = 2,
    retry_backoff: float = 1.0,
    obey_robots: bool = True,
    max_response_bytes: int = 8 * 1024 * 1024,
    pipelines: dict[str, int] | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Settings for one crawl process; ``extra`` overrides anything."""
    settings: dict[str, Any] = {
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
        "DOWNLOADER_MIDDLEWARES": {
            "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
            "spiders.retry.BackoffRetryMiddleware": 550,
        },
        "DOWNLOAD_MAXSIZE": max_response_bytes,
        "DOWNLOAD_WARNSIZE": max_response_bytes // 2,
        "DEFAULT_REQUEST_HEADERS": {
            "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "Accept-Language": "zh-CN,zh;q=0.9",
        },
        "COOKIES_ENABLED": True,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "WARNING",
        "LOG_INSTALL_ROOT_HANDLER": False,
        "ITEM_PIPELINES": pipelines or {},
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
        "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
    }
    settings.update(extra or {})
    return settings
