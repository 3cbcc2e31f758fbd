"""How the commands show what is stored: tables that fit the terminal, times, JSON.

Human output
    Tables fit the terminal's width (``COLUMNS`` when set, else the terminal;
    80 when output is piped). Ids (source ids, notice and delivery numbers) are
    never cut: other commands need them whole. Names, titles, URLs and errors are
    cut short with ``…`` to make room. Times are shown in ONE time zone, the
    config's ``timezone`` (default ``Asia/Shanghai``), named once in a footer
    line such as ``times in Asia/Shanghai``: ``12-06 18:40`` for this year,
    ``2025-12-06`` for an older one, and times still to come relative
    (``in 25m``, ``3m late``). Logs stay in UTC. Page text (titles, errors) goes
    through ``monitor.plain_text`` so no control or bidi character reaches the
    terminal.

JSON (every ``--json``)
    * One JSON document on stdout, UTF-8, indented by two spaces; nothing else on
      stdout (hints and warnings go to stderr).
    * A list command (``sources list``, ``notices list``, ``notices list
      --pending``, ``deliveries list``) prints an array of objects, one per row,
      in the order the table shows; an empty result is ``[]``. A command about
      one thing (``status``, ``notices show``) prints one object.
    * Keys are ``snake_case`` and always present: a missing value is ``null``
      (never left out, never ``""``); lists are ``[]`` when empty.
    * Times are ISO 8601 in UTC with a ``Z`` and whole seconds
      (``2026-12-06T10:40:00Z``), whatever the config's time zone; dates that
      pages give (``published``) are ``YYYY-MM-DD``. Durations are numbers of
      seconds in keys ending ``_seconds``.
    * Ids are as in the config or the database (strings for sources,
      integers for notices and deliveries); a key naming another row holds its id
      (``source``: the source id).
    * Text is as stored, not ``\\u``-escaped, except control, bidi-override and
      line-separator characters, which are escaped (``\\u202e``) so the output is
      safe to show in a terminal and still decodes to the stored text.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any, Literal

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text

from monitor.console import console
from monitor.plain_text import cell, plain

# Characters json.dumps(ensure_ascii=False) leaves raw that a terminal must not get.
_UNSAFE_IN_JSON = re.compile(
    "[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


# ── times ────────────────────────────────────────────────────────────────────


def as_utc(moment: datetime) -> datetime:
    """An aware UTC time from a stored naive-UTC or an aware one."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def utc_iso(moment: datetime | None) -> str | None:
    """``2026-12-06T10:40:00Z`` (the JSON convention), or None."""
    if moment is None:
        return None
    return as_utc(moment).strftime("%Y-%m-%dT%H:%M:%SZ")


def now_utc() -> datetime:
    return datetime.now(UTC)


def compact_time(moment: datetime | None, zone: tzinfo, now: datetime | None = None) -> str:
    """``12-06 18:40`` in ``zone`` when in this year (there), else ``2025-12-06``; ``—`` for None."""
    if moment is None:
        return "—"
    local = as_utc(moment).astimezone(zone)
    this_year = as_utc(now or now_utc()).astimezone(zone).year
    return local.strftime("%m-%d %H:%M" if local.year == this_year else "%Y-%m-%d")


def full_time(moment: datetime, zone: tzinfo) -> str:
    """``2026-12-06 18:40`` in ``zone``: for one thing shown in detail, not a list."""
    return as_utc(moment).astimezone(zone).strftime("%Y-%m-%d %H:%M")


def span(seconds: float) -> str:
    """A duration in one short word: ``45s``, ``25m``, ``1h30m``, ``12h``, ``3d``."""
    whole = max(int(seconds), 0)
    if whole < 60:
        return f"{whole}s"
    minutes = whole // 60
    if minutes < 60:
        return f"{minutes}m"
    hours, rest = divmod(minutes, 60)
    if hours < 10:
        return f"{hours}h{rest:02d}m" if rest else f"{hours}h"
    if hours < 48:
        return f"{hours}h"
    return f"{hours // 24}d"


def until(moment: datetime | None, now: datetime | None = None) -> str:
    """A time to come, relative: ``in 25m``; ``3m late`` once it has passed; ``—`` for None."""
    if moment is None:
        return "—"
    seconds = (as_utc(moment) - as_utc(now or now_utc())).total_seconds()
    return f"in {span(seconds)}" if seconds >= 0 else f"{span(-seconds)} late"


def zone_label(zone: tzinfo) -> str:
    """The footer naming the one time zone of a command's human output."""
    return f"times in {zone}"


# ── JSON ─────────────────────────────────────────────────────────────────────


def to_json(data: Any) -> str:
    """``data`` as the JSON convention writes it (see the module docstring)."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def print_json(data: Any) -> None:
    """Print ``data`` on stdout as the one JSON document of a ``--json`` command."""
    sys.stdout.write(to_json(data) + "\n")
    sys.stdout.flush()


# ── lines and tables ─────────────────────────────────────────────────────────


def say(text: str) -> None:
    """A message line (not page text): wrapped at spaces to the terminal width."""
    console.print(text, markup=False, soft_wrap=False)


def one_line(text: str) -> None:
    """One line, cut short with ``…`` at the terminal width; page text made safe."""
    line = Text(plain(text).replace("\n", " "))
    line.truncate(console.width, overflow="ellipsis")
    console.print(line)


@dataclass(frozen=True)
class Column:
    """A table column. ``cut``: may be cut short (``…``) to fit; otherwise always whole."""

    header: str
    cut: bool = False
    justify: Literal["left", "right"] = "left"
    min_width: int = 10  # a cut column keeps at least this many cells (or its natural width)


GAP = 2  # cells between two columns
LEAST = 4  # a cut column is never narrower (``abc…``)


def _cell_width(value: Text) -> int:
    return max((cell_len(line) for line in value.plain.split("\n")), default=0)


def fit_widths(natural: Sequence[int], columns: Sequence[Column], width: int) -> list[int]:
    """Column widths that fit ``width``: cut columns give up cells, the widest first, down
    to their ``min_width``, then (a narrow terminal) down to ``LEAST`` cells.

    Columns that may not be cut keep their natural width even when the table is
    then wider than ``width``: an id is never cut."""
    widths = list(natural)
    excess = sum(widths) + GAP * (len(widths) - 1) - width
    for floors in (
        [
            min(n, max(c.min_width, cell_len(c.header)))
            for n, c in zip(natural, columns, strict=True)
        ],
        [min(n, LEAST) for n in natural],
    ):
        while excess > 0:
            room = [i for i, c in enumerate(columns) if c.cut and widths[i] > floors[i]]
            if not room:
                break
            widest = max(room, key=lambda i: widths[i])
            widths[widest] -= 1
            excess -= 1
    return widths


def print_table(columns: Sequence[Column], rows: Sequence[Sequence[str | Text]]) -> None:
    """A borderless table fitted to the terminal width (see :func:`fit_widths`).

    ``str`` cells are shown as they are (never read as markup, control characters
    removed); a cell may hold several lines."""
    cells = [[value if isinstance(value, Text) else cell(value) for value in row] for row in rows]
    natural = [
        max([cell_len(column.header), *(_cell_width(row[i]) for row in cells)])
        for i, column in enumerate(columns)
    ]
    widths = fit_widths(natural, columns, console.width)
    table = Table(
        box=None,
        pad_edge=False,
        padding=(0, GAP // 2),
        width=sum(widths) + GAP * (len(widths) - 1),
    )
    for column, width in zip(columns, widths, strict=True):
        table.add_column(
            column.header,
            width=width,
            no_wrap=True,
            overflow="ellipsis" if column.cut else "fold",
            justify=column.justify,
        )
    for row in cells:
        table.add_row(*row)
    console.print(table)
