"""The rendering download handler and its shared browser (needs the ``browser`` extra).

Scrapy loads this module by name from ``DOWNLOAD_HANDLERS`` (:func:`spiders.rendering.render_settings`)
only in a crawl that renders, so nothing else imports scrapy-playwright.
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlsplit
from weakref import WeakKeyDictionary

from playwright.async_api import Browser, BrowserContext, Page, Playwright, async_playwright
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Request as BrowserRequest
from playwright.async_api import Response as BrowserResponse
from playwright.async_api import Route as BrowserRoute
from playwright.async_api import TimeoutError as PlaywrightTimeoutError
from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotSupported
from scrapy.http import Response
from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler
from scrapy_playwright.page import PageMethod

from spiders.rendering import (
    NetworkQuiet,
    RenderFailed,
    SubresourceGuard,
    render_timeout_message,
    settle_page,
)


class SharedChromium:
    """A scrapy-playwright browser provider: one Playwright driver and one Chromium for every
    crawler of the process, started for the first rendered page, closed with the last crawler."""

    _lock: asyncio.Lock | None = None
    _users = 0
    _playwright: Playwright | None = None
    _browser: Browser | None = None

    def __init__(self, config: Any) -> None:
        self.launch_options: dict = config.launch_options

    async def start(self) -> None:
        SharedChromium._users += 1

    async def launch_browser(self) -> Browser:
        cls = SharedChromium
        cls._lock = cls._lock or asyncio.Lock()
        async with cls._lock:
            if cls._browser is None or not cls._browser.is_connected():
                if cls._playwright is None:
                    cls._playwright = await async_playwright().start()
                cls._browser = await cls._playwright.chromium.launch(**self.launch_options)
            return cls._browser

    async def launch_persistent_context(self, context_kwargs: dict) -> BrowserContext:
        raise NotSupported("noticewatch renders in fresh browser contexts only")

    async def close(self) -> None:
        cls = SharedChromium
        cls._users -= 1
        if cls._users > 0:
            return
        browser, playwright = cls._browser, cls._playwright
        cls._browser = cls._playwright = None
        if browser is not None and browser.is_connected():
            await browser.close()
        if playwright is not None:
            await playwright.stop()


_host_locks: dict[str, asyncio.Semaphore] = {}


def _host_lock(url: str) -> asyncio.Semaphore:
    """The process-wide lock that lets one page per host render at a time."""
    host = (urlsplit(url).hostname or "").lower()
    return _host_locks.setdefault(host, asyncio.Semaphore(1))


class RenderingHandler(ScrapyPlaywrightDownloadHandler):
    """scrapy-playwright's handler with noticewatch's rules (see :mod:`spiders.rendering`)."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.timeout = crawler.settings.getfloat("NOTICEWATCH_RENDER_TIMEOUT", 30.0)
        self.max_bytes = crawler.settings.getint("DOWNLOAD_MAXSIZE")
        self._quiet: WeakKeyDictionary[Page, NetworkQuiet] = WeakKeyDictionary()

    async def download_request(self, request: Request) -> Response:
        if not request.meta.get("playwright"):
            return await super().download_request(request)
        hooks = {
            "playwright_page_init_callback": self._prepare_page,
            "playwright_page_goto_kwargs": {"wait_until": "commit"},
            "playwright_page_methods": [PageMethod(self._settle)],
        }
        request.meta.update(hooks)
        async with _host_lock(request.url):
            try:
                response = await super().download_request(request)
            except PlaywrightTimeoutError:
                raise RenderFailed(render_timeout_message(self.timeout)) from None
            except PlaywrightError as exc:
                first_line = (exc.message or str(exc)).strip().splitlines()[0]
                raise RenderFailed(f"rendering failed: {first_line[:200]}") from None
            finally:  # bound to this handler: a retried request is queued (pickled) without them
                for key in hooks:
                    request.meta.pop(key, None)
        status = request.meta.pop("render_status", None)
        if status and status != response.status:  # the page moved on (a challenge passed)
            response = response.replace(status=status)
        if self.max_bytes and len(response.body) > self.max_bytes:
            raise IgnoreRequest(f"rendered page over DOWNLOAD_MAXSIZE ({self.max_bytes} bytes)")
        return response

    async def close(self) -> None:
        """Close this crawler's browser contexts; the shared browser closes with its last user."""
        browser = self.__dict__.pop("browser", None)
        if browser is not None:
            browser.remove_listener("disconnected", self._browser_disconnected_callback)
        await super().close()

    async def _settle(self, page: Page) -> None:
        await settle_page(page, self.timeout, self._quiet.pop(page))

    async def _prepare_page(self, page: Page, request: Request) -> None:
        """Route the page's requests through the guard, count those in flight, note the
        last document's status."""
        self._quiet[page] = NetworkQuiet(page)
        spec = request.meta.get("spec") or getattr(self._crawler.spider, "spec", None)
        guard = SubresourceGuard(spec)

        async def route(route: BrowserRoute, browser_request: BrowserRequest) -> None:
            if await guard.allows(browser_request.url, browser_request.resource_type):
                await route.fallback()
            else:
                await route.abort("blockedbyclient")

        def note_status(response: BrowserResponse) -> None:
            if response.request.is_navigation_request() and response.frame == page.main_frame:
                request.meta["render_status"] = response.status

        await page.route("**", route)
        page.on("response", note_status)
