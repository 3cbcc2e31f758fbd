"""Render pages in headless Chromium (scrapy-playwright) for lists built by script.

A request is rendered when its meta holds ``playwright: True`` (:func:`render_meta`);
every other request goes through Scrapy's plain HTTP handler, which the rendering
handler wraps. Rendering keeps the rules of plain requests: the page request itself
passes the downloader middlewares (robots.txt, :mod:`spiders.site_guard`, politeness);
the page's own subresource requests are routed here, and aborted when they leave the
source's site, reach an internal address the source has no business with, are not
needed to build the list (images, fonts, media, style sheets) or are too many. At most
one page per host renders at a time, a page gets ``render_timeout`` seconds, and the
rendered document is held to ``DOWNLOAD_MAXSIZE``. (Chromium resolves host names itself:
the address a subresource's host is checked at is this process's lookup of it, and an
off-site host is reached at all only with ``allow_offsite``.)

One Chromium serves the whole process (``spiders.render_handler.SharedChromium``): it is
started for the first rendered page, not before, and closed with the last crawler that
used it. The browser is the system's (Debian package ``chromium``), never one Playwright
downloads.
"""

from __future__ import annotations

import asyncio
import importlib
import os
import shutil
import time
from typing import Any
from urllib.parse import urlsplit

from spiders.addresses import AddressKind, address_kind, is_address, may_fetch
from spiders.urls import site_key

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",  # without these Chromium calls home (updates, sync …)
    "--disable-component-update",
    "--disable-sync",
)
SKIPPED_RESOURCES = frozenset({"image", "media", "font", "stylesheet", "manifest"})
MAX_SUBRESOURCES = 60  # requests one page may make, its own document included
SETTLE_SECONDS = 5.0  # at most this long waiting for a page's scripts to stop fetching
HANDLER = "spiders.render_handler.RenderingHandler"


class RenderFailed(Exception):
    """A page that could not be rendered; the message says why, for the user."""


def render_timeout_message(timeout: float) -> str:
    return f"the page did not render within [crawl] render_timeout ({timeout:g} s)"


def find_chromium(configured: str | None = None) -> str | None:
    """The Chromium executable: ``configured`` (a path or a name on PATH), else the first
    of :data:`CHROMIUM_NAMES` on PATH; None when there is none."""
    for name in [configured] if configured else CHROMIUM_NAMES:
        found = shutil.which(name)
        if found and os.access(found, os.X_OK):
            return found
    return None


def browser_extra_installed() -> bool:
    """Whether scrapy-playwright (the ``browser`` extra) can be imported."""
    try:
        importlib.import_module("scrapy_playwright")
    except ImportError:
        return False
    return True


def rendering_problem(configured: str | None = None) -> str | None:
    """Why pages cannot be rendered here, as one line saying what to install; None if they can."""
    if not browser_extra_installed():
        return (
            "rendering needs the browser extra: pip install 'noticewatch[browser]' "
            "(scrapy-playwright), and Chromium (apt-get install chromium)"
        )
    if find_chromium(configured) is None:
        where = configured or " / ".join(CHROMIUM_NAMES) + " on PATH"
        return (
            f"rendering needs Chromium, not found ({where}): apt-get install chromium, "
            "or set [crawl] chromium_path"
        )
    return None


def render_meta() -> dict[str, Any]:
    """Request meta that has the request rendered."""
    return {"playwright": True}


def render_settings(chromium: str, timeout: float) -> dict[str, Any]:
    """Scrapy settings that render the requests marked by :func:`render_meta`."""
    return {
        "DOWNLOAD_HANDLERS": {"http": HANDLER, "https": HANDLER},
        "PLAYWRIGHT_BROWSER_TYPE": "chromium",
        "PLAYWRIGHT_BROWSER_PROVIDER": "spiders.render_handler.SharedChromium",
        "PLAYWRIGHT_LAUNCH_OPTIONS": {
            "executable_path": chromium,
            "headless": True,
            "args": list(CHROMIUM_ARGS),
            "timeout": timeout * 1000,
        },
        "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": timeout * 1000,
        "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": 4,
        "PLAYWRIGHT_PROCESS_REQUEST_HEADERS": "spiders.rendering.browser_headers",
        "NOTICEWATCH_RENDER_TIMEOUT": timeout,
    }


async def browser_headers(
    *, browser_type_name: str, playwright_request: Any, scrapy_request_data: dict
) -> dict[str, str]:
    """The browser's own headers (its cookies: a challenge's reload needs them), with the
    crawl's User-Agent and Accept-Language."""
    headers = await playwright_request.all_headers()
    ours = scrapy_request_data["headers"].to_unicode_dict()
    for name in ("user-agent", "accept-language"):
        if ours.get(name):
            headers[name] = ours[name]
    return headers


class SubresourceGuard:
    """Which of a rendered page's own requests may go out (see the module docstring)."""

    def __init__(self, spec: Any) -> None:
        self.spec = spec
        self.count = 0
        self._kinds: dict[str, AddressKind | None] = {}

    async def allows(self, url: str, resource_type: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob"):  # made inside the page: no request goes out
            return True
        if parts.scheme not in ("http", "https") or resource_type in SKIPPED_RESOURCES:
            return False
        self.count += 1
        if self.count > MAX_SUBRESOURCES or self.spec is None:
            return False
        if not self.spec.allow_offsite and site_key(url) != site_key(self.spec.url):
            return False
        if self.spec.allow_private:
            return True
        target = await self._kind(parts.hostname or "")
        source = await self._kind(urlsplit(self.spec.url).hostname or "")
        return target is not None and may_fetch(target, source, allow_private=False)

    async def _kind(self, host: str) -> AddressKind | None:
        if host not in self._kinds:
            self._kinds[host] = await _resolve_kind(host)
        return self._kinds[host]


async def _resolve_kind(host: str) -> AddressKind | None:
    if not host:
        return None
    if is_address(host):
        return address_kind(host)
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, None)
    except OSError:
        return None
    kinds = {address_kind(str(info[4][0])) for info in infos}
    return kinds.pop() if len(kinds) == 1 else None  # mixed answers: refused


class NetworkQuiet:
    """A page's requests in flight, counted from before it navigates."""

    QUIET = 0.2  # seconds without a request in flight that count as done

    def __init__(self, page: Any) -> None:
        self.pending = 0
        self.changed = time.monotonic()
        page.on("request", self._started)
        page.on("requestfinished", self._ended)
        page.on("requestfailed", self._ended)

    def _started(self, _: Any) -> None:
        self.pending += 1
        self.changed = time.monotonic()

    def _ended(self, _: Any) -> None:
        self.pending = max(self.pending - 1, 0)
        self.changed = time.monotonic()

    async def wait(self, seconds: float) -> None:
        """Until nothing has been in flight for :data:`QUIET` seconds, or ``seconds`` passed."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.pending == 0 and time.monotonic() - self.changed >= self.QUIET:
                return
            await asyncio.sleep(0.05)


async def settle_page(page: Any, timeout: float, quiet: NetworkQuiet) -> None:
    """Wait until the page is loaded, past any JS cookie challenge, and its scripts have
    stopped fetching (at most :data:`SETTLE_SECONDS` for that), all within ``timeout``."""
    from playwright.async_api import Error as PlaywrightError

    from spiders.blocking import is_js_challenge

    deadline = time.monotonic() + timeout
    challenged = False
    while True:
        left = deadline - time.monotonic()
        if left <= 0 and challenged:
            raise RenderFailed(
                f"the browser did not pass the JS cookie challenge within [crawl] render_timeout ({timeout:g} s)"
            )
        if left <= 0:
            raise RenderFailed(render_timeout_message(timeout))
        try:
            await page.wait_for_load_state("load", timeout=left * 1000)
            html = await page.content()
        except PlaywrightError:  # navigating (a challenge reloads the page): look again
            await asyncio.sleep(0.1)
            continue
        challenged = is_js_challenge(html.encode("utf-8", "replace")[:20000])
        if not challenged:
            break
        await asyncio.sleep(0.1)
    # a page that keeps fetching still gives the list it has built by then
    await quiet.wait(max(min(deadline - time.monotonic(), SETTLE_SECONDS), 0.1))
