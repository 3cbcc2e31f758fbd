"""An alert's structure, its three renderings (text, Markdown, HTML) and fitting it to a length limit.

Limits are in UTF-8 bytes and/or characters (a Chinese character is 3
bytes). Fitting shortens the summary first, then drops list items, then the
fact lines, then shortens the title; the URL always stays, and text is only
ever cut between characters.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from urllib.parse import quote, urlsplit

from monitor.plain_text import plain

TEXT, MARKDOWN, HTML = "text", "markdown", "html"
ELLIPSIS = "…"
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")
# apprise may put the title in front of the body ("# title\r\n" for Markdown): count it
_TITLE_JOIN = "# {title}\r\n{body}"


@dataclass(frozen=True)
class Item:
    text: str
    url: str | None = None


@dataclass(frozen=True)
class Section:
    heading: str
    items: tuple[Item, ...]
    omitted: int = 0  # items dropped to fit a limit

    def without_last(self) -> Section:
        return replace(self, items=self.items[:-1], omitted=self.omitted + 1)


@dataclass(frozen=True)
class Limit:
    """What one channel accepts: at most ``max_bytes`` UTF-8 bytes and ``max_chars`` characters."""

    max_bytes: int | None = None
    max_chars: int | None = None
    max_title_chars: int | None = None  # a title longer than this is cut (the body has it whole)

    def fits(self, title: str, body: str) -> bool:
        text = _TITLE_JOIN.format(title=title, body=body)
        if self.max_chars is not None and len(text) > self.max_chars:
            return False
        return self.max_bytes is None or len(text.encode("utf-8")) <= self.max_bytes

    def cut(self, title: str, body: str) -> str:
        """``body`` cut (between characters) so that it fits with ``title``: the last resort."""
        length = _largest(len(body), lambda n: self.fits(title, cut_text(body, n)))
        return cut_text(body, length or 0)


@dataclass(frozen=True)
class Message:
    """One alert: title, link, fact lines (date, source …), what changed, a summary, lists."""

    title: str
    url: str | None = None
    facts: tuple[tuple[str, str], ...] = ()
    changes: Section | None = None
    summary: str = ""
    sections: tuple[Section, ...] = ()

    def body(self, fmt: str) -> str:
        return {TEXT: _text, MARKDOWN: _markdown, HTML: _html}[fmt](self)

    def parts(self, fmt: str, limit: Limit) -> list[tuple[str, str]]:
        """``[(title, body)]`` fitted to ``limit``: a message is always sent whole, in one part."""
        fitted = fit_to_limit(self, limit.max_bytes, fmt, limit.max_chars)
        title, body = sendable_title(fitted.title, fmt, limit), plain(fitted.body(fmt))
        if not limit.fits(title, body):
            body = limit.cut(title, body)
        return [(title, body)]


@dataclass(frozen=True)
class Digest:
    """Several alerts in one message; split into numbered parts only when a channel is too small."""

    title: str
    entries: tuple[Message, ...]

    def parts(self, fmt: str, limit: Limit) -> list[tuple[str, str]]:
        lines = [_digest_entry(entry, number, fmt) for number, entry in enumerate(self.entries, 1)]
        longest_title = f"{self.title}（{len(lines)}/{len(lines)}）"
        chunks: list[list[int]] = []
        for index in range(len(lines)):
            if chunks and limit.fits(longest_title, _digest_body([*chunks[-1], index], lines, fmt)):
                chunks[-1].append(index)
            else:
                chunks.append([index])
        parts = []
        for number, chunk in enumerate(chunks, 1):
            title = self.title if len(chunks) == 1 else f"{self.title}（{number}/{len(chunks)}）"
            title, body = sendable_title(title, fmt, limit), plain(_digest_body(chunk, lines, fmt))
            parts.append((title, body if limit.fits(title, body) else limit.cut(title, body)))
        return parts


def sendable_title(title: str, fmt: str, limit: Limit) -> str:
    """The title as a channel gets it: plain, cut to its length, escaped for Markdown."""
    title = plain(title).replace("\n", " ")
    if limit.max_title_chars:
        title = cut_text(title, limit.max_title_chars)
    return md_escape(title) if fmt == MARKDOWN else title


def cut_text(text: str, length: int) -> str:
    """``text`` cut to ``length`` characters plus an ellipsis ("" for 0)."""
    if length >= len(text):
        return text
    return text[:length].rstrip() + ELLIPSIS if length > 0 else ""


def _largest(size: int, fits: Callable[[int], bool]) -> int | None:
    """The largest ``n`` in ``0..size`` for which ``fits(n)`` (None if not even 0 fits)."""
    if not fits(0):
        return None
    low, high = 0, size
    while low < high:
        middle = (low + high + 1) // 2
        if fits(middle):
            low = middle
        else:
            high = middle - 1
    return low


def fit_to_limit(
    message: Message, max_bytes: int | None, fmt: str = TEXT, max_chars: int | None = None
) -> Message:
    """``message`` made small enough for the limit, keeping its title and URL whenever possible."""
    limit = Limit(max_bytes, max_chars)

    def fits(candidate: Message) -> bool:
        return limit.fits(candidate.title, candidate.body(fmt))

    if fits(message):
        return message
    summary = message.summary
    length = _largest(len(summary), lambda n: fits(replace(message, summary=cut_text(summary, n))))
    if length:
        return replace(message, summary=cut_text(summary, length))
    current = replace(message, summary="")
    sections = list(current.sections)
    for index in reversed(range(len(sections))):
        while sections[index].items and not fits(current):
            sections[index] = sections[index].without_last()
            current = replace(current, sections=tuple(sections))
    while current.changes and current.changes.items and not fits(current):
        current = replace(current, changes=current.changes.without_last())
    if fits(current):
        return current
    current = replace(current, facts=())
    title = current.title
    length = _largest(len(title), lambda n: fits(replace(current, title=cut_text(title, n))))
    return replace(current, title=cut_text(title, length or 0))


# -- text -----------------------------------------------------------------------


def _text_section(section: Section) -> str:
    lines = [f"{section.heading}："]
    lines += [
        f"· {item.text}" + (f" {item.url}" if item.url and item.url != item.text else "")
        for item in section.items
    ]
    if section.omitted:
        lines.append(f"· ……另有 {section.omitted} 项")
    return "\n".join(lines)


def _text(message: Message) -> str:
    head = [f"{label}：{value}" for label, value in message.facts]
    if message.url:
        head.append(f"链接：{message.url}")
    blocks = ["\n".join(head)]
    if message.changes and (message.changes.items or message.changes.omitted):
        blocks.append(_text_section(message.changes))
    if message.summary:
        blocks.append(f"摘要：{message.summary}")
    blocks += [_text_section(s) for s in message.sections if s.items or s.omitted]
    return "\n\n".join(block for block in blocks if block)


# -- Markdown (CommonMark; apprise turns it into each chat's dialect) --------------


def md_escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def web_url(url: str) -> str | None:
    """``url`` as a link target when it is http(s) (controls and spaces removed first, so
    `` JavaScript:`` is caught too), else None: then it is shown as text, not linked."""
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", plain(url))
    return cleaned if urlsplit(cleaned).scheme.lower() in ("http", "https") else None


def _md_link(text: str, url: str) -> str:
    target = web_url(url)
    if target is None:
        return md_escape(text)
    return f"[{md_escape(text)}]({quote(target, safe=':/?#@!$&*+,;=%~.-_')})"


def _md_section(section: Section) -> str:
    lines = [f"**{md_escape(section.heading)}**"]
    lines += [
        f"- {_md_link(item.text, item.url) if item.url else md_escape(item.text)}"
        for item in section.items
    ]
    if section.omitted:
        lines.append(f"- ……另有 {section.omitted} 项")
    return "\n".join(lines)


def _markdown(message: Message) -> str:
    head = [" · ".join(f"{md_escape(label)}：{md_escape(value)}" for label, value in message.facts)]
    if message.url:
        head.append(f"链接：{_md_link(message.url, message.url)}")
    blocks = ["\n\n".join(line for line in head if line)]
    if message.changes and (message.changes.items or message.changes.omitted):
        blocks.append(_md_section(message.changes))
    if message.summary:
        blocks.append(f"> {md_escape(message.summary)}")
    blocks += [_md_section(s) for s in message.sections if s.items or s.omitted]
    return "\n\n".join(block for block in blocks if block)


# -- HTML (e-mail) ----------------------------------------------------------------


def _html_link(text: str, url: str) -> str:
    target = web_url(url)
    if target is None:
        return html.escape(text)
    return f'<a href="{html.escape(target)}">{html.escape(text)}</a>'


def _html_section(section: Section) -> str:
    items = [
        f"<li>{_html_link(item.text, item.url) if item.url else html.escape(item.text)}</li>"
        for item in section.items
    ]
    if section.omitted:
        items.append(f"<li>……另有 {section.omitted} 项</li>")
    return f'<p style="margin:12px 0 4px"><b>{html.escape(section.heading)}</b></p><ul style="margin:0;padding-left:20px">{"".join(items)}</ul>'


def _html(message: Message) -> str:
    parts = [f'<h2 style="font-size:18px;margin:0 0 8px">{html.escape(message.title)}</h2>']
    facts = "<br>".join(
        f"{html.escape(label)}：{html.escape(value)}" for label, value in message.facts
    )
    if facts:
        parts.append(f'<p style="margin:0 0 8px;color:#555">{facts}</p>')
    if message.url:
        parts.append(f'<p style="margin:0 0 8px">链接：{_html_link(message.url, message.url)}</p>')
    if message.changes and (message.changes.items or message.changes.omitted):
        parts.append(_html_section(message.changes))
    if message.summary:
        parts.append(f'<p style="margin:12px 0;color:#333">{html.escape(message.summary)}</p>')
    parts += [_html_section(s) for s in message.sections if s.items or s.omitted]
    return (
        f'<div style="font-size:15px;line-height:1.6;word-break:break-all">{"".join(parts)}</div>'
    )


# -- digests ------------------------------------------------------------------------


def _digest_entry(entry: Message, number: int, fmt: str) -> str:
    """One compact numbered entry: title, first fact, first change, link."""
    facts = [f"{label}：{value}" for label, value in entry.facts[:1]]
    if entry.changes and entry.changes.items:
        facts.append(entry.changes.items[0].text)
    detail = " · ".join(facts)
    if fmt == TEXT:
        return "\n".join(
            line
            for line in (
                f"{number}. {entry.title}",
                detail and f"   {detail}",
                entry.url and f"   {entry.url}",
            )
            if line
        )
    if fmt == MARKDOWN:
        title = _md_link(entry.title, entry.url) if entry.url else md_escape(entry.title)
        return f"{number}. {title}" + (f"  \n   {md_escape(detail)}" if detail else "")
    title = _html_link(entry.title, entry.url) if entry.url else html.escape(entry.title)
    return (
        f"<li>{title}"
        + (f'<br><span style="color:#555">{html.escape(detail)}</span>' if detail else "")
        + "</li>"
    )


def _digest_body(indexes: list[int], lines: list[str], fmt: str) -> str:
    chosen = [lines[i] for i in indexes]
    if fmt == HTML:
        return f'<ol start="{indexes[0] + 1}" style="font-size:15px;line-height:1.6;padding-left:24px">{"".join(chosen)}</ol>'
    return "\n\n".join(chosen)
