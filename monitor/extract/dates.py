"""Chinese publish dates: parsing date strings and choosing a page's publish date.

Precedence for a detail page: publication ``<meta>`` tags and the page's stated
``datePublished`` (``structured.py``; a stamp before 1990 is a template's placeholder),
then the page's metadata line (发布时间 …) near the title, then the first ``<time
datetime>``, then the list page's date, then the URL. Footer, related-list and 落款 dates
are never used, and a page without a date gets None, never "today".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, time, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from spiders.cms import URL_DATES

from .textutil import CJK, squash
from .vocab import META_LABEL, PUBLISH_LABELS

SHANGHAI = ZoneInfo("Asia/Shanghai")

_DATE = r"((?:19|20)\d{2})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})(?!\d)\s*日?"
_TIME = r"(?:\s*T?\s*(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?)?"
_FULL_WITH_TIME = re.compile(rf"(?<!\d){_DATE}{_TIME}")
_YEARLESS = re.compile(r"(?<![\d.\-/年])(\d{1,2})\s*(?:[-/]|月)\s*(\d{1,2})(?!\d)")

_WEAK_LABELS = "日期|时间|時間|更新时间|更新日期|更新時間"

_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t|tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_YEAR = r"((?:19|20)\d{2})(?!\d)"
_DAY_MONTH_YEAR = re.compile(rf"(?<![\w])(\d{{1,2}})\s+{_MONTH}(?![a-z]),?\s+{_YEAR}", re.I)
_MONTH_DAY_YEAR = re.compile(
    rf"(?<![\w]){_MONTH}(?![a-z])\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+{_YEAR}", re.I
)
_US_CLOCK = re.compile(
    r"(?<![\d/])(\d{1,2})/(\d{1,2})/((?:19|20)\d{2})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap])\.?m\b",
    re.I,
)
_EARLIEST_YEAR = 1990  # a stamp before the web (0001-01-01) is a template's placeholder


def _labelled(labels: str) -> re.Pattern[str]:
    """A label not glued to a preceding word (会议时间 is no label), then a date."""
    return re.compile(rf"(?<![{CJK}])(?:{labels})\s*[:：]?\s*[\[【(（]?\s*{_DATE}{_TIME}")


_STRONG = _labelled(PUBLISH_LABELS)
_WEAK = _labelled(_WEAK_LABELS)
_NEAR_TITLE_MAX_LEN = 60  # an unlabelled date counts only on a short line …
_NEAR_TITLE_LINES = 4  # … among the first lines under the title
_METADATA_MAX_LEN = 150
_CALENDAR = re.compile(r"星期[一二三四五六日天]|周[一二三四五六日天]|农历|農曆|今天是")
_ISO_TIME = re.compile(r"\d[T ]\d{1,2}:\d{2}")

_META_KEYS = (
    "pubdate",
    "publishdate",
    "publish_date",
    "publishtime",
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "og:release_date",
    "releasedate",
    "firstpublishedtime",
    "dc.date.issued",
    "dc.date",
    "parsely-pub-date",
    "sailthru.date",
)


def parse_cn_date(text: str, *, today: date | None = None) -> date | None:
    """The first date in a list-page or metadata string.

    Accepts ``2023-11-10``, ``[2023-11-10]``, ``2023/11/10``, ``2023.11.10``,
    ``2023年11月10日``, spaced ``2026- 08- 07``, and year-less ``[03-21]``/``3月21日``,
    whose year is the latest that does not put the date after ``today`` (Beijing time).
    """
    found = find_datetime(text)
    if found:
        return found[0]
    match = _YEARLESS.search(text)
    if not match:
        return None
    today = today or datetime.now(SHANGHAI).date()
    return _infer_year(int(match[1]), int(match[2]), today)


def find_datetime(text: str) -> tuple[date, time | None] | None:
    """The first full date in ``text`` and the time of day written right after it.

    Numeric year-first dates (``2023-11-10``, ``2023年11月10日``) come first; then a US
    clock stamp (``7/5/2005 9:23:57 PM``) and English month names (``19 Nov 2019``,
    ``November 19, 2019``).
    """
    return _first_valid(_FULL_WITH_TIME.finditer(text)) or _us_clock(text) or _english_date(text)


def published_from_meta(meta: dict[str, str]) -> tuple[date, datetime | None] | None:
    """Publish date (and time) from publication ``<meta>`` tags."""
    stamps = (meta[key] for key in _META_KEYS if meta.get(key))
    return published_from_stamps(stamps)


def published_from_stamps(stamps: Iterable[str]) -> tuple[date, datetime | None] | None:
    """The first of these machine-written stamps (ISO-8601 or a date in words) that holds a
    plausible date."""
    for value in stamps:
        stamp = _iso_datetime(value)
        if stamp:
            day, moment = stamp
            if day.year >= _EARLIEST_YEAR:
                return day, moment if _has_time(value) else None
            continue
        found = find_datetime(value)
        if found and found[0].year >= _EARLIEST_YEAR:
            return _with_time(*found)
    return None


def published_from_lines(
    head: Sequence[str], tail: Sequence[str], title: str
) -> tuple[date, datetime | None] | None:
    """Publish date from the page's metadata line.

    ``head`` holds the page's lines before the body, ``tail`` those after it. A line with
    a 发布时间-style label wins, then (in the head only) a 日期/时间-style label, then a
    short line right after the title that holds a date, then a date on a metadata line
    (one with 来源：, 阅读：… labels) anywhere in the head. Lines that name a weekday or
    the lunar date are the site header's "today" and never count.
    """
    head = [line for line in head if not _CALENDAR.search(line)]
    after_title = _lines_after_title(head, title)
    for lines, pattern in (
        (after_title, _STRONG),
        (head, _STRONG),
        (tail, _STRONG),
        (after_title, _WEAK),
        (head, _WEAK),
    ):
        found = _labelled_date(lines, pattern)
        if found:
            return found
    near_title = [
        line for line in after_title[:_NEAR_TITLE_LINES] if len(line) <= _NEAR_TITLE_MAX_LEN
    ]
    metadata = [line for line in head if len(line) <= _METADATA_MAX_LEN and META_LABEL.search(line)]
    for line in (*near_title, *metadata):
        moment = find_datetime(line)
        if moment:
            return _with_time(*moment)
    return None


def date_from_url(url: str) -> date | None:
    """A date encoded in a CMS article URL (``t20220321_``, ``/2022/0321/``, ``/art/2023/11/10/``).

    The patterns are the CMS profiles' (``spiders.cms``), tried in their order of preference.
    """
    path = urlsplit(url).path
    for pattern in URL_DATES:
        match = pattern.search(path)
        if match:
            day = _make_date(*match.groups())
            if day:
                return day
    return None


def _labelled_date(
    lines: Sequence[str], pattern: re.Pattern[str]
) -> tuple[date, datetime | None] | None:
    for line in lines:
        found = _first_valid(pattern.finditer(line))
        if found:
            return _with_time(*found)
    return None


def _first_valid(matches: Iterator[re.Match[str]]) -> tuple[date, time | None] | None:
    """The first match (groups: year, month, day, hour, minute, second) that is a real date."""
    for match in matches:
        day = _make_date(match[1], match[2], match[3])
        if day:
            return day, _make_time(match[4], match[5], match[6])
    return None


def _lines_after_title(head: Sequence[str], title: str) -> Sequence[str]:
    """The head lines after the (last) line that shows the title; empty if none does."""
    key = squash(title)
    if not key:
        return ()
    for index in range(len(head) - 1, -1, -1):
        if key in squash(head[index]):
            return head[index + 1 :]
    return ()


def _infer_year(month: int, day: int, today: date) -> date | None:
    """The latest date with this month and day that is not after ``today``."""
    for year in range(today.year, today.year - 8, -1):
        candidate = _make_date(year, month, day)
        if candidate and candidate <= today:
            return candidate
    return None


def _make_date(year: int | str, month: int | str, day: int | str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _make_time(hour: str | None, minute: str | None, second: str | None) -> time | None:
    if hour is None:
        return None
    try:
        return time(int(hour), int(minute or 0), int(second or 0))
    except ValueError:
        return None


def _with_time(day: date, clock: time | None) -> tuple[date, datetime | None]:
    return day, datetime.combine(day, clock, SHANGHAI) if clock else None


def _iso_datetime(value: str) -> tuple[date, datetime] | None:
    """An ISO-8601 stamp's day and its moment as Beijing time.

    The day is Beijing's for a naive or UTC stamp (``Z`` is how scripts write any local
    time), and the stamp's own for another offset: ``-05:00`` is the author's zone, whose
    day the page shows.
    """
    try:
        stamp = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=SHANGHAI)
    moment = stamp.astimezone(SHANGHAI)
    own_zone = stamp.utcoffset() not in (None, timedelta(0))
    return (stamp.date() if own_zone else moment.date()), moment


def _us_clock(text: str) -> tuple[date, time | None] | None:
    """``M/D/YYYY h:mm[:ss] AM|PM``: the month comes first in this clock-stamped form."""
    for match in _US_CLOCK.finditer(text):
        day = _make_date(match[3], match[1], match[2])
        hour = int(match[4]) % 12 + (12 if match[7].lower() == "p" else 0)
        clock = _make_time(str(hour), match[5], match[6])
        if day and clock:
            return day, clock
    return None


def _english_date(text: str) -> tuple[date, time | None] | None:
    """The first ``19 Nov 2019`` or ``November 19, 2019`` in ``text``."""
    candidates = [(m.start(), m[3], m[2], m[1]) for m in _DAY_MONTH_YEAR.finditer(text)] + [
        (m.start(), m[3], m[1], m[2]) for m in _MONTH_DAY_YEAR.finditer(text)
    ]
    for _, year, month, day_of_month in sorted(candidates):
        day = _make_date(year, _month_number(month), day_of_month)
        if day:
            return day, None
    return None


def _month_number(name: str) -> int:
    return _MONTH_NAMES.index(name.lower()[:3]) + 1


def _has_time(value: str) -> bool:
    return _ISO_TIME.search(value) is not None
