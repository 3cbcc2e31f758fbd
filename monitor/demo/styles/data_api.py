"""What the styles whose list comes from a data endpoint share: JSON answers, POST forms,
and broken answers on demand (``break_api``)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from monitor.demo import responses
from monitor.demo.markup import document
from monitor.demo.responses import Reply
from monitor.demo.site import MockSite

API_FAULTS = ("html", "truncated")
"""``html``: a 200 HTML error page instead of data; ``truncated``: the data cut off halfway."""
JSON_TYPE = "application/json;charset=UTF-8"


def form_of(body: bytes) -> dict[str, str]:
    """A urlencoded POST body as a dict."""
    return dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))


def json_of(body: bytes) -> Any:
    """A JSON POST body, or None when it is not JSON."""
    try:
        return json.loads(body.decode("utf-8"))
    except ValueError:
        return None


def json_reply(data: Any) -> Reply:
    """JSON as these endpoints send it (UTF-8, not ASCII-escaped)."""
    return responses.text_reply(200, json.dumps(data, ensure_ascii=False), JSON_TYPE)


class DataApiSite(MockSite):
    """A mock site whose list rows come from a data endpoint."""

    def __init__(self, name: str, **options: Any) -> None:
        super().__init__(name, **options)
        self._api_fault: str | None = None

    def break_api(self, kind: str | None) -> None:
        """Make the data endpoint answer broken (``API_FAULTS``); None mends it."""
        if kind is not None and kind not in API_FAULTS:
            raise ValueError(f"unknown API fault {kind!r}; expected one of {API_FAULTS}")
        with self._lock:
            self._api_fault = kind

    def api_answer(self, make: Callable[[], Reply]) -> Reply:
        """The endpoint's answer: ``make()``, unless the lists or the API are broken."""
        if self._list_status is not None:
            return self._error(self._list_status)
        if self._api_fault == "html":
            page = document(
                title="系统繁忙",
                body="<h2>系统繁忙，请稍后再试</h2><p>The system is busy.</p>",
            )
            return responses.html_reply(200, page, "utf-8", "utf-8")
        reply = make()
        if self._api_fault == "truncated":
            reply.body = reply.body[: len(reply.body) // 2]
        return reply
