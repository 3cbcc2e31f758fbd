"""The templates' environment: autoescaping, every shown value made plain text, times in
the config's zone, the Chinese labels of stored vocabularies."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from monitor.commands.views import as_utc, compact_time, full_time, now_utc, span
from monitor.masking import mask_secrets
from monitor.plain_text import plain
from monitor.web.filters import query_string

EVENT_LABELS = {"new": "新", "changed": "有更新", "withdrawn": "已撤回", "duplicate": "转载"}
OUTCOME_LABELS = {
    "ok": "正常",
    "running": "进行中",
    "network_error": "网络错误",
    "http_error": "HTTP 错误",
    "blocked": "被拦截",
    "layout_drift": "页面结构变化",
    "config_error": "配置错误",
    "stale": "长期无更新",
    "interrupted": "被中断",
    "storage_error": "存储错误",
}
DELIVERY_LABELS = {
    "pending": "待发送",
    "sent": "已发送",
    "failed": "失败",
    "digest": "等待摘要",
    "digested": "已并入摘要",
}


def _until(moment: datetime | None) -> str:
    """A time to come, relative, in Chinese: ``25m 后``; ``已晚 3m`` once it has passed."""
    if moment is None:
        return "—"
    seconds = (as_utc(moment) - now_utc()).total_seconds()
    return f"{span(seconds)} 后" if seconds >= 0 else f"已晚 {span(-seconds)}"


def _plain_text(value: Any) -> Any:
    """Every value a template shows, without control and bidi characters (markup that the
    templates build themselves, such as macro output, is left alone)."""
    return plain(value) if isinstance(value, str) and not isinstance(value, Markup) else value


def templates(zone: tzinfo) -> Environment:
    environment = Environment(
        loader=PackageLoader("monitor.web"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_plain_text,
    )
    environment.filters.update(
        when=lambda m: full_time(m, zone) if m else "—",
        short=lambda m: compact_time(m, zone),
        until=_until,
        masked=lambda t: mask_secrets(t or ""),
    )
    environment.globals.update(
        zone=str(zone),
        event_labels=EVENT_LABELS,
        outcome_labels=OUTCOME_LABELS,
        delivery_labels=DELIVERY_LABELS,
        query_string=query_string,
    )
    return environment
