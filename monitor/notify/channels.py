"""Which format and which length limit each kind of apprise target gets.

HTML for e-mail, Markdown for chats that render it, plain text for WeCom
(its bot only takes text), Feishu/Lark and generic webhooks. apprise counts
``body_maxlen`` in characters; services that count bytes get a byte limit here.
"""

from __future__ import annotations

from dataclasses import dataclass

from apprise import NotifyFormat
from apprise.plugins.base import NotifyBase

from monitor.notify.layout import HTML, MARKDOWN, TEXT, Limit

_FORMATS = {TEXT: NotifyFormat.TEXT, MARKDOWN: NotifyFormat.MARKDOWN, HTML: NotifyFormat.HTML}


@dataclass(frozen=True)
class Channel:
    fmt: str  # text | markdown | html
    limit: Limit


# scheme: (preferred format, UTF-8 byte limit of the service or None)
_KNOWN: dict[str, tuple[str, int | None]] = {
    "mailto": (HTML, None),
    "mailtos": (HTML, None),
    "wecombot": (TEXT, 2048),  # 企业微信群机器人: text content up to 2048 bytes
    "wechat": (TEXT, 2048),
    "dingtalk": (MARKDOWN, 19_000),  # 钉钉: 20000 bytes
    # 飞书/Lark: the request must stay under 20 KB and apprise sends \\uXXXX escapes (6 bytes a character)
    "feishu": (TEXT, 9_000),
    "lark": (TEXT, 9_000),
    "ntfy": (TEXT, 4_096),  # longer ntfy messages arrive as an attachment
    "ntfys": (TEXT, 4_096),
    "json": (TEXT, None),
    "jsons": (TEXT, None),
    "xml": (TEXT, None),
    "xmls": (TEXT, None),
    "form": (TEXT, None),
    "forms": (TEXT, None),
}


# apprise writes an e-mail Subject as one unfolded quoted-printable line: 80 CJK characters
# (about 9 octets each) stay under SMTP's 998-octet line limit. The body keeps the whole title.
_TITLE_CHARS = {"mailto": 80, "mailtos": 80}


def channel_for(plugin: NotifyBase, scheme: str) -> Channel:
    """The format to render and the limit to fit for this target (a ``?format=`` in its URL wins)."""
    preferred, max_bytes = _KNOWN.get(scheme.lower(), (MARKDOWN, None))
    resolved = plugin.resolve_format(_FORMATS[preferred])
    fmt = next((name for name, value in _FORMATS.items() if value == resolved), TEXT)
    limit = Limit(
        max_bytes=max_bytes,
        max_chars=plugin.body_maxlen or None,
        max_title_chars=_TITLE_CHARS.get(scheme.lower()),
    )
    return Channel(fmt, limit)
