"""HTML building blocks shared by every mock-site style and corpus renderer."""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from datetime import datetime

from monitor.demo.model import MockNotice

HTML5 = "<!DOCTYPE html>"
XHTML = (
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
    '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">'
)
# A style puts this where a cut-off detail page should end (see truncate_detail).
TRUNCATE_MARK = "<!--noticewatch:truncate-->"


def esc(text: str) -> str:
    """Escape text for an HTML element or a double-quoted attribute."""
    return html.escape(text, quote=True)


def ymd(moment: datetime) -> str:
    """2023-11-10"""
    return moment.strftime("%Y-%m-%d")


def ymd_hm(moment: datetime) -> str:
    """2023-11-10 16:32"""
    return moment.strftime("%Y-%m-%d %H:%M")


def ymd_hms(moment: datetime) -> str:
    """2023-11-10 16:32:05"""
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def loose_ymd_hm(moment: datetime) -> str:
    """2023-1-20 13:37 (no zero padding, as Discuz prints it)"""
    return f"{moment.year}-{moment.month}-{moment.day} {moment:%H:%M}"


def slash_date(moment: datetime) -> str:
    """2023/1/20"""
    return f"{moment.year}/{moment.month}/{moment.day}"


def cn_date(moment: datetime) -> str:
    """2023年1月20日"""
    return f"{moment.year}年{moment.month}月{moment.day}日"


def shorten(title: str, limit: int, ellipsis: str = "...") -> str:
    """Cut a list title the way CMS templates do: ``limit`` characters + ``...``."""
    return title if len(title) <= limit else title[:limit] + ellipsis


def meta_tags(pairs: Mapping[str, str | None]) -> str:
    """``<meta name=… content=…>`` lines for the non-empty values."""
    return "\n".join(
        f'<meta name="{esc(name)}" content="{esc(value)}">'
        for name, value in pairs.items()
        if value
    )


def document(
    *,
    title: str,
    body: str,
    head: str = "",
    charset_meta: str = '<meta charset="utf-8">',
    doctype: str = HTML5,
    html_attrs: str = ' lang="zh-CN"',
) -> str:
    """A whole page: doctype, head (charset declaration first) and body."""
    return (
        f"{doctype}\n<html{html_attrs}>\n<head>\n{charset_meta}\n"
        f"<title>{esc(title)}</title>\n{head}\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def body_paragraphs(
    notice: MockNotice,
    *,
    text: Callable[[str], str] = esc,
    attrs: str = "",
    signoff_attrs: str = ' style="text-align: right;"',
    tag: str = "p",
    separator: str = "\n",
) -> str:
    """The notice paragraphs as HTML, 落款 lines right-aligned.

    ``text`` renders one paragraph's inner HTML (escape, split into spans,
    add ruby …). A truncated notice yields its first half plus TRUNCATE_MARK.
    """
    paragraphs = notice.paragraphs
    if notice.truncated:
        paragraphs = paragraphs[: max(1, len(paragraphs) // 2)]
    first_signoff = len(notice.paragraphs) - notice.signoff
    parts = [
        f"<{tag}{signoff_attrs if index >= first_signoff else attrs}>{text(p)}</{tag}>"
        for index, p in enumerate(paragraphs)
    ]
    if notice.truncated:
        parts.append(TRUNCATE_MARK)
    return separator.join(parts)
