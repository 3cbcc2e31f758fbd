"""Recognise answers that block crawlers: JS cookie challenges, captchas, denial pages."""

from __future__ import annotations

import logging
import re
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
SOLVED = "challenge_solved"  # request meta: a plain request sent with the cookies of a render


class ChallengeMiddleware:
    """Pass a JS cookie challenge by rendering the page once, then fetch it plainly with
    the browser's cookies, which the cookie middleware keeps for the next requests.

    Only for sources that render (``render`` set). A challenge met again later (the
    cookies stopped working) is rendered again, once for that request; a challenge that
    a render does not pass, or that comes back right after one, is reported as blocked.
    Installed with the rendering handler (:func:`spiders.rendering.render_settings`).
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ChallengeMiddleware:
        return cls(crawler)

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get(SOLVING):
            return await self._after_render(request, response)
        spec = request.meta.get("spec") or getattr(self.crawler.spider, "spec", None)
        challenged = response.status == 412 or is_js_challenge(response.body[:20000])
        if not challenged or request.meta.get("playwright") or request.meta.get(SOLVED):
            return response
        if spec is None or not getattr(spec, "render", None):
            return response
        log.info("%s: JS cookie challenge: rendering it once", request.url)
        headers = dict(
            request.headers.to_unicode_dict()
        )  # the browser's replace them in the render
        meta = {
            **request.meta,
            "playwright": True,
            "playwright_include_page": True,
            SOLVING: headers,
        }
        return request.replace(meta=meta, dont_filter=True)

    async def _after_render(self, request: Request, response: Response) -> Request | Response:
        page = request.meta.pop("playwright_page", None)
        cookies: list[dict] = []
        if page is not None:
            host = (urlsplit(request.url).hostname or "").lower()
            cookies = [
                {"name": c["name"], "value": c["value"], "path": c.get("path") or "/"}
                for c in await page.context.cookies()
                if host.endswith(c.get("domain", "").lstrip(".").lower())
            ]
            await page.close()
        if response.status == 412 or is_js_challenge(response.body[:20000]):
            return response  # the render did not pass it: reported as blocked
        meta = {
            key: value
            for key, value in request.meta.items()
            if not key.startswith("playwright") and key != SOLVING
        }
        return request.replace(
            meta={**meta, SOLVED: True},
            headers=request.meta[SOLVING],
            cookies=cookies,
            dont_filter=True,
        )
