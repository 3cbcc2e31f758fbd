"""Decode HTML bytes the way Chinese government and school sites need.

Order: BOM, then the HTTP header, then the ``<meta>`` declaration, then
detection. A declared charset that does not decode cleanly is tried again
allowing a few bad bytes (replaced) before it is skipped; UTF-16 is told by its
BOM or its zero bytes; weak server defaults (ISO-8859-1, ASCII) yield to
``<meta>``, and every GB label is read as GB18030, the superset that also holds
GBK-only characters like 镕.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([a-zA-Z0-9_\-]+)", re.IGNORECASE)
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "gb_2312-80", "euc-cn", "hz-gb-2312"}
_WEAK_HEADER = {"iso8859-1", "latin-1", "ascii", "cp1252"}  # codec names of common server defaults
_BOMS = (  # UTF-32 first: its little-endian BOM begins with UTF-16's
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def normalise_charset(label: str | None) -> str | None:
    """Map a declared charset label to a Python codec name, or None if unknown."""
    if not label:
        return None
    label = label.strip().lower()
    if label in _GB_FAMILY:
        return "gb18030"
    if label in {"big5", "big5-hkscs", "cp950"}:
        return "big5hkscs"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def header_charset(content_type: str | None) -> str | None:
    """The charset named in a Content-Type header value, if any."""
    if not content_type:
        return None
    match = _HEADER_CHARSET.search(content_type)
    return match.group(1) if match else None


def meta_charset(raw: bytes) -> str | None:
    """The charset declared by a ``<meta>`` tag in the first 4 KiB."""
    match = _META_CHARSET.search(raw[:4096])
    return match.group(1).decode("ascii", "ignore") if match else None


def _strict(raw: bytes, codec: str) -> str | None:
    try:
        return raw.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _nearly(raw: bytes, codec: str) -> str | None:
    """``raw`` in ``codec`` when only a few bytes (at most 1 in 1,000, at least 8) do not
    decode: they become U+FFFD. A page in another charset fails on most of its text."""
    try:
        text = raw.decode(codec, "replace")
    except LookupError:
        return None
    allowed = max(8, len(raw) // 1000)
    return text if text.count("\ufffd") <= allowed else None


def _wide_without_bom(raw: bytes) -> str | None:
    """UTF-32 or UTF-16 told by where its zero bytes fall (ASCII markup is mostly zeros
    around one byte in every unit), or None."""
    sample = raw[:4096]
    if len(sample) < 64:
        return None
    quarter = [sample[k::4].count(0) for k in range(4)]
    unit = len(sample) // 4
    if min(quarter[1:]) > unit // 2 and quarter[0] < unit // 8:
        return "utf-32-le"
    if min(quarter[:3]) > unit // 2 and quarter[3] < unit // 8:
        return "utf-32-be"
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > len(sample) // 4 and even < odd // 8:
        return "utf-16-le"
    if even > len(sample) // 4 and odd < even // 8:
        return "utf-16-be"
    return None


def decode_html(raw: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Return ``(text, codec)`` for an HTML document's bytes."""
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            return raw[len(bom) :].decode(codec, "replace"), codec

    from_header = normalise_charset(header_charset(content_type))
    from_meta = normalise_charset(meta_charset(raw))
    candidates: list[str] = []
    if from_header and from_header not in _WEAK_HEADER:  # weak server defaults say nothing
        candidates.append(from_header)
    if from_meta:
        candidates.append(from_meta)
    for codec in dict.fromkeys(candidates):
        text = _strict(raw, codec)
        if text is not None:
            return text, codec
    for codec in dict.fromkeys(candidates):  # a few bad bytes do not make the page another charset
        text = _nearly(raw, codec)
        if text is not None:
            return text, codec
    wide = _wide_without_bom(raw)
    if wide:
        return raw.decode(wide, "replace"), wide

    text = _strict(raw, "utf-8")
    if text is not None:
        return text, "utf-8"
    best = from_bytes(raw[:65536], cp_isolation=["gb18030", "big5", "utf_8"]).best()
    guessed = normalise_charset(best.encoding if best else None) or "gb18030"
    return raw.decode(guessed, "replace"), guessed
