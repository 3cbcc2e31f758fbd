"""Recognise answers that block crawlers: JS cookie challenges, captchas, denial pages."""

from __future__ import annotations

import re

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
        return f"JS cookie challenge (HTTP {status})"
    if status in (403, 412, 429, 503) and _CAPTCHA.search(head):
        return f"captcha page (HTTP {status})"
    if status == 412:
        return "HTTP 412 challenge"
    if status in (403, 429):
        return f"access denied (HTTP {status})"
    if status == 200 and len(head) < 3000 and _CAPTCHA.search(head):
        return "captcha page"
    return None
