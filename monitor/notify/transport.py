"""Send one alert to one apprise URL and say plainly (and masked) what happened."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import apprise

from monitor import masking
from monitor.notify.channels import channel_for
from monitor.notify.layout import Digest, Message

SEND_TIMEOUT = 60.0  # seconds for one apprise call


@dataclass(frozen=True)
class Outcome:
    ok: bool
    error: str | None = None
    permanent: bool = False  # retrying cannot help (bad URL, target gone)


def _reason(result: apprise.AppriseResult) -> str:
    lines = [entry.message for entry in result.logs() if entry.level in ("WARNING", "ERROR")]
    reason = lines[-1] if lines else f"apprise reported {result.status.name.lower()}"
    return masking.redact(reason)


def send(
    url: str,
    content: Message | Digest,
    *,
    done_parts: int = 0,
    on_part: Callable[[int], None] | None = None,
    timeout: float = SEND_TIMEOUT,
) -> Outcome:
    """Send ``content`` to ``url``, part by part; parts before ``done_parts`` were sent already.

    ``on_part(n)`` is called after part ``n`` (1-based) was accepted, so a retry resumes there.
    """
    masking.register(url)
    masking.protect_loggers()
    plugin = apprise.Apprise.instantiate(url)
    if plugin is None:
        scheme = urlsplit(url).scheme or url.split(":", 1)[0]
        return Outcome(
            False,
            f"not a valid apprise URL ({masking.redact(scheme)}://…): check the notify list",
            True,
        )
    channel = channel_for(plugin, urlsplit(url).scheme)
    parts = content.parts(channel.fmt, channel.limit)
    for number, (title, body) in enumerate(parts, 1):
        if number <= done_parts:
            continue
        sender = apprise.Apprise()
        sender.add(plugin)
        result = sender.notify(body=body, title=title, body_format=channel.fmt, timeout=timeout)
        if not result:
            return Outcome(False, _reason(result))
        if on_part:
            on_part(number)
    return Outcome(True)
