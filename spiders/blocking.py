"""Recognise answers that block crawlers: JS cookie challenges, captchas, denial pages."""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response

log = logging.getLogger(f"noticewatch.{__name__}")

_CHALLENGE = re.compile(
    rb"\$_ts\s*=|__jsl_clearance|__jsluid|wzws_cid|WZWSREL|acw_sc__v2|_0x[0-9a-f]{4}\(",
    re.I,
)
_CAPTCHA = re.compile(
    "(验证码|驗證碼|captcha|人机验证|安全验证|访问验证|请完成验证)".encode(), re.I
)


def blocked_reason(status: int, head: bytes) -> str | None:
    """Why an answer is a block, or None. ``head`` is the start of the body."""
    if _CHALLENGE.search(head):
        return f'JS cookie challenge (HTTP {status}; render = "challenge" passes it)'
    if status in (403, 412, 429, 503) and _CAPTCHA.search(head):
        return f"captcha page (HTTP {status})"
    if status == 412:
        return 'HTTP 412 challenge (render = "challenge" passes a JS cookie challenge)'
    if status in (403, 429):
        return f"access denied (HTTP {status})"
    if status == 200 and len(head) < 3000 and _CAPTCHA.search(head):
        return "captcha page"
    return None


def is_js_challenge(head: bytes) -> bool:
    """Whether a page (its first bytes) is a JavaScript cookie challenge (瑞数, 加速乐, WZWS …)."""
    return bool(_CHALLENGE.search(head))


SOLVING = "challenge_solving"  # request meta: this render passes a challenge (the plain headers)
GENERATION = "challenge_generation"  # request meta: the cookies it was sent with (renders so far)


@dataclass
class _Site:
    """A host's challenge: the cookies of the last render that passed it, and the render in hand."""

    generation: int = 0  # renders that passed the challenge
    cookies: list[Any] = field(default_factory=list)
    worked: bool = False  # a plain request got through with them
    solving: asyncio.Event | None = None  # set when the render under way ends


class ChallengeMiddleware:
    """Pass a JS cookie challenge by rendering the page once, then fetch plainly with the
    browser's cookies, which every later request of the host carries.

    Only for sources that render (``render`` set). One render per host at a time: requests
    challenged meanwhile wait for it and go again with its cookies. When the cookies stop
    working (a request sent with the newest ones is challenged after they let one through)
    the host is rendered once more. A challenge that a render does not pass, or whose
    cookies let no plain request through, is reported as blocked. Installed with the
    rendering handler (:func:`spiders.rendering.render_settings`).
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.sites: dict[str, _Site] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ChallengeMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        """Give a plain request the newest cookies (before the cookie middleware, 700, reads them)."""
        site = self.sites.get(_host(request.url))
        if site is None or not site.cookies or request.meta.get("playwright"):
            return
        if request.meta.get(GENERATION) != site.generation:
            request.cookies = site.cookies
            request.meta[GENERATION] = site.generation

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get(SOLVING):
            return await self._after_render(request, response)
        spec = request.meta.get("spec") or getattr(self.crawler.spider, "spec", None)
        if request.meta.get("playwright") or not getattr(spec, "render", None):
            return response
        site = self.sites.setdefault(_host(request.url), _Site())
        if not (response.status == 412 or is_js_challenge(response.body[:20000])):
            site.worked = site.worked or request.meta.get(GENERATION) == site.generation
            return response
        if site.solving is not None:  # another request's render is under way
            await site.solving.wait()
        if request.meta.get(GENERATION, 0) != site.generation:  # newer cookies since it was sent
            return self._again(request, site)
        if site.generation and not site.worked:
            return response  # the cookies of the last render let nothing through: blocked
        log.info("%s: JS cookie challenge: rendering it once", request.url)
        site.solving = asyncio.Event()
        # kept for the plain request after the render: the browser's replace them in it
        headers = dict(request.headers.to_unicode_dict())
        meta = {**request.meta, "playwright": True, "playwright_include_page": True}
        return request.replace(meta={**meta, SOLVING: headers}, dont_filter=True)

    async def process_exception(self, request: Request, exception: Exception) -> None:
        """A render that failed ends the host's solving (its waiters go on); the error is
        the request's."""
        if request.meta.get(SOLVING):
            await self._end_solving(request, passed=False, cookies=[])

    async def _end_solving(self, request: Request, *, passed: bool, cookies: list[Any]) -> None:
        site = self.sites[_host(request.url)]
        solving, site.solving = site.solving, None
        if passed:
            site.cookies, site.generation, site.worked = cookies, site.generation + 1, False
        if solving is not None:
            solving.set()
        page = request.meta.pop("playwright_page", None)
        if page is not None:
            await page.close()

    async def _after_render(self, request: Request, response: Response) -> Request | Response:
        page = request.meta.get("playwright_page")
        passed = not (response.status == 412 or is_js_challenge(response.body[:20000]))
        cookies: list[Any] = []
        try:
            cookies = await _cookies_of(page, request.url) if passed and page else []
        except Exception:
            passed = False
            raise
        finally:
            await self._end_solving(request, passed=passed, cookies=cookies)
        if not passed:
            return response  # the render did not pass it: reported as blocked
        return self._again(request, self.sites[_host(request.url)])

    def _again(self, request: Request, site: _Site) -> Request:
        """The request once more, plainly, with the host's newest cookies."""
        meta = {
            key: value
            for key, value in request.meta.items()
            if not key.startswith("playwright") and key != SOLVING
        }
        return request.replace(
            meta={**meta, GENERATION: site.generation},
            headers=request.meta.get(SOLVING) or request.headers,
            cookies=site.cookies,
            dont_filter=True,
        )


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


async def _cookies_of(page: Any, url: str) -> list[Any]:
    """The browser's cookies for ``url``'s host, as Scrapy takes them."""
    host = _host(url)
    return [
        {"name": c["name"], "value": c["value"], "path": c.get("path") or "/"}
        for c in await page.context.cookies()
        if host.endswith(c.get("domain", "").lstrip(".").lower())
    ]
