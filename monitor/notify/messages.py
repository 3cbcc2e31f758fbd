"""What an alert says: pure functions from stored events to :class:`~monitor.notify.layout.Message`.

Titles read ``【来源】标题`` (``（更新）`` / ``（已撤回）`` after the source for an edit or a
withdrawal). The body holds the publish date, the source, the link, what changed,
a short summary, the attachments and where else the notice was published.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime, tzinfo

from monitor.events import KINDS, EventKind
from monitor.health import NOTICE_UNREACHABLE
from monitor.notify.layout import Digest, Item, Message, Section, cut_text
from storage.models import Event, Notice, NoticeVersion
from storage.states import RunOutcome

SUMMARY_CHARS = 200
_SPACE = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"[。！？；!?;]")
_OUTCOMES = {
    RunOutcome.NETWORK_ERROR: "无法连接",
    RunOutcome.HTTP_ERROR: "HTTP 错误",
    RunOutcome.BLOCKED: "被网站拦截（反爬或验证码）",
    RunOutcome.LAYOUT_DRIFT: "页面结构变化，找不到通知",
    RunOutcome.CONFIG_ERROR: "配置错误",
    RunOutcome.STALE: "长时间没有新通知",
    NOTICE_UNREACHABLE: "通知页面多次抓取失败",
}


def summarise(text: str, limit: int = SUMMARY_CHARS) -> str:
    """The start of ``text`` on one line, ending at a sentence end when one is near the limit."""
    flat = _SPACE.sub(" ", text).strip()
    if len(flat) <= limit:
        return flat
    ends = [m.end() for m in _SENTENCE_END.finditer(flat, 0, limit)]
    if ends and ends[-1] >= limit * 0.6:
        return flat[: ends[-1]] + "…"
    return cut_text(flat, limit)


def _local(value: str | datetime | None, zone: tzinfo) -> str | None:
    """A stored naive-UTC time (or its ISO text) as ``YYYY-MM-DD HH:MM`` in ``zone``."""
    if not value:
        return None
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.replace(tzinfo=UTC).astimezone(zone).strftime("%Y-%m-%d %H:%M")


def _change_items(details: dict) -> tuple[Item, ...]:
    items = []
    title = details.get("title") or {}
    if title.get("old") and title.get("new"):
        items.append(Item(f"标题「{title['old']}」改为「{title['new']}」"))
    items += [Item(text) for text in map(_change_text, details.get("summary") or []) if text]
    items += [
        Item(f"新增附件「{a.get('name') or a.get('url')}」", a.get("url"))
        for a in details.get("attachments_added") or []
    ]
    items += [
        Item(f"删除附件「{a.get('name') or a.get('url')}」")
        for a in details.get("attachments_removed") or []
    ]
    for changed in details.get("attachments_changed") or []:
        what = "；".join(filter(None, map(_change_text, changed.get("summary") or [])))
        items.append(
            Item(
                f"附件「{changed.get('name')}」内容有变：{what or '文件已更换'}", changed.get("url")
            )
        )
    return tuple(items)


def _change_text(change: dict) -> str:
    removed, added = (change.get("removed") or "").strip(), (change.get("added") or "").strip()
    if removed and added:
        return f"「{removed}」改为「{added}」"
    if added or removed:
        return f"新增「{added}」" if added else f"删除「{removed}」"
    return ""


def notice_message(
    event: Event,
    notice: Notice,
    version: NoticeVersion | None,
    source_name: str,
    reposts: Sequence[Item] = (),
    attachment_text: str | None = None,
) -> Message:
    """The alert for a new, changed or withdrawn notice; ``reposts`` are its copies elsewhere;
    ``attachment_text`` summarises a notice whose page only points at its attachments."""
    title = (version.title if version else None) or notice.title
    published = (version.published if version else None) or notice.published or notice.list_date
    facts = [("发布日期", published.isoformat() if published else "未注明"), ("来源", source_name)]
    if version and version.doc_number:
        facts.append(("文号", version.doc_number))
    details = event.details or {}
    kind = EventKind(event.kind)
    changes = Section("变更内容", _change_items(details)) if kind == EventKind.CHANGED else None
    if kind == EventKind.WITHDRAWN:
        summary = "该通知的页面已无法访问（404/410），可能已被撤回或删除。"
    else:
        summary = summarise(attachment_text or version.text) if version else ""
    attachments = tuple(
        Item(a.get("name") or a.get("url"), a.get("url"))
        for a in (version.attachments if version else [])
    )
    also = [Item(url, url) for url in details.get("also_published_at") or []]
    if details.get("first_url"):
        also.append(Item(details["first_url"], details["first_url"]))
    seen: set[str | None] = {notice.url}
    unique_also = []
    for item in [*reposts, *also]:
        if item.url not in seen:
            seen.add(item.url)
            unique_also.append(item)
    return Message(
        title=f"【{source_name}】{KINDS[kind].title_mark}{title}",
        url=notice.page_url or notice.url,
        facts=tuple(facts),
        changes=changes,
        summary=summary,
        sections=(Section("附件", attachments), Section("同时发布于", tuple(unique_also))),
    )


def source_message(event: Event, source_name: str, source_url: str, zone: tzinfo) -> Message:
    """The alert for a source that stopped working (``source_error``) or works again."""
    details = event.details or {}
    if event.kind == EventKind.SOURCE_RECOVERED:
        return Message(
            title=f"【{source_name}】信息源已恢复",
            url=source_url,
            facts=(("恢复时间", _local(event.created_at, zone) or ""),),
            summary="抓取已恢复正常，此后的新通知会照常提醒。",
        )
    outcome = details.get("outcome") or ""
    facts = [("问题", _OUTCOMES.get(outcome, outcome or "未知"))]
    if details.get("url"):
        facts.append(("通知", details["url"]))
    if details.get("failures"):
        facts.append(("连续失败", f"{details['failures']} 次"))
    since = _local(details.get("failing_since"), zone)
    if since:
        facts.append(("开始于", since))
    return Message(
        title=f"【{source_name}】信息源异常：{_OUTCOMES.get(outcome, '抓取失败')}",
        url=source_url,
        facts=tuple(facts),
        summary=details.get("error") or "",
    )


def digest_message(
    subscription: str, entries: Sequence[Message], since: datetime | None, zone: tzinfo
) -> Digest:
    """One message listing ``entries`` (everything since the last digest)."""
    start = _local(since, zone)
    when = f"（{start} 以来）" if start else ""
    return Digest(
        title=f"【通知摘要】{subscription}：{len(entries)} 条{when}", entries=tuple(entries)
    )


def probe_message(subscription: str, now: datetime, zone: tzinfo) -> Message:
    """What ``noticewatch notify test`` sends."""
    return Message(
        title="【noticewatch】测试消息",
        facts=(("订阅", subscription), ("时间", _local(now, zone) or "")),
        summary="收到这条消息，说明 noticewatch 能通过这个渠道发送通知提醒。",
    )
