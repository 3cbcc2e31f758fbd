"""The generic list API adapter, declared in a source's ``[sources.api]`` table.

For a JSON list endpoint no built-in adapter knows: the request (URL, method, a form or
JSON body, ``{page}`` standing for the page number), where the items are (a dotted path)
and which of their fields hold the title, the link (or a link template such as
``https://x/art/{id}.html``) and the date.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from spiders.cms.api import (
    ApiAnswer,
    ApiPage,
    ApiRequest,
    ListApi,
    item_entries,
    json_list,
    walk,
)

PAGE = "{page}"
_PLACEHOLDER = re.compile(r"\{([\w.]+)\}")


@dataclass(frozen=True)
class DeclaredApi:
    """What ``[sources.api]`` says (validated by ``monitor.config``)."""

    url: str  # may hold {page}
    items: str  # dotted path to the list of items; "" when the answer is the list
    title: str = "title"
    link: str | None = "url"  # the item field holding the link …
    link_template: str | None = None  # … or a template of item fields: "https://x/art/{id}.html"
    date: str | None = None
    method: str = "GET"
    form: tuple[tuple[str, str], ...] = ()  # values may hold {page}
    json_body: str | None = None  # JSON text; the string "{page}" becomes the number
    first_page: int = 1


def _fill(value: Any, page: int) -> Any:
    """A body template with the page number in: ``"{page}"`` alone becomes the number."""
    if value == PAGE:
        return page
    if isinstance(value, str):
        return value.replace(PAGE, str(page))
    if isinstance(value, list):
        return [_fill(v, page) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, page) for k, v in value.items()}
    return value


def page_request(api: DeclaredApi, page: int, size: int = 0) -> ApiRequest:
    """The request for page ``page``; ``size`` (items on the first page) rides along."""
    body = None
    if api.json_body is not None:
        body = json.dumps(_fill(json.loads(api.json_body), page), ensure_ascii=False)
    return ApiRequest(
        url=api.url.replace(PAGE, str(page)),
        method=api.method,
        form=tuple((k, v.replace(PAGE, str(page))) for k, v in api.form),
        json_body=body,
        headers=(("Accept", "application/json, text/javascript, */*; q=0.01"),),
        state=(("page", str(page)), ("size", str(size))),
    )


def _link(api: DeclaredApi, item: dict) -> Any:
    if api.link_template is None:
        return walk(item, api.link or "")
    values = {name: walk(item, name) for name in _PLACEHOLDER.findall(api.link_template)}
    if any(value in (None, "") for value in values.values()):
        return None
    return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), api.link_template)


def list_api(api: DeclaredApi) -> ListApi:
    """The adapter reading the declared endpoint, from ``first_page`` until a page is empty
    or shorter than the first one."""

    def read(answer: ApiAnswer) -> ApiPage:
        _, items = json_list(answer, "the [sources.api] endpoint", api.items)
        entries = item_entries(
            items,
            answer.url,
            link=lambda item: _link(api, item),
            title=lambda item: walk(item, api.title),
            date=lambda item: walk(item, api.date) if api.date else None,
        )
        page = int(answer.request.value("page", str(api.first_page)))
        size = int(answer.request.value("size", "0")) or len(items)
        if not items or len(items) < size:
            return ApiPage(entries)
        return ApiPage(entries, page_request(api, page + 1, size))

    return ListApi(
        name="api",
        recognise=lambda page_html, page_url: False,
        read=read,
        endpoint=lambda url: page_request(api, api.first_page),
    )
