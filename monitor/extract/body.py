"""Body lines found by trafilatura, and locating the body among the page's lines."""

from __future__ import annotations

import re

import trafilatura
from lxml.html import HtmlElement

from .textutil import squash

_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_LOCATE_KEY = 12  # characters of a body line used to find it among the page's lines


def trafilatura_lines(tree: HtmlElement, url: str) -> list[str]:
    """Main text found by trafilatura in an already cleaned tree (it works on a copy)."""
    text = trafilatura.extract(
        tree, url=url, include_comments=False, include_tables=True, deduplicate=False
    )
    return [_untable(line) for line in text.splitlines()] if text else []


def _untable(line: str) -> str:
    """A trafilatura table row ``| a | b |`` as plain cell text ``a b``."""
    stripped = line.strip()
    if not (stripped.startswith("|") and stripped.endswith("|")):
        return line
    cells = _CELL_SPLIT.split(stripped.strip("|"))
    return " ".join(cell.replace("\\|", "|").strip() for cell in cells if cell.strip())


def split_around(page: list[str], body: list[str]) -> tuple[list[str], list[str]]:
    """The page's lines before the body (head) and after it (tail)."""
    if not body:
        return page, []
    first = _find(page, squash(body[0])[:_LOCATE_KEY], range(len(page)))
    if first is None:
        return page, []
    last = _find(page, squash(body[-1])[-_LOCATE_KEY:], range(len(page) - 1, first - 1, -1))
    return page[:first], page[(last if last is not None else first) + 1 :]


def _find(lines: list[str], needle: str, order: range) -> int | None:
    return next((index for index in order if needle in squash(lines[index])), None)
