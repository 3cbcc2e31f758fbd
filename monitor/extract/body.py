"""Body lines found by trafilatura, and locating the body among the page's lines."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from .textutil import squash

_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_LOCATE_KEYS = (40, 12)  # characters of a body line used to find it among the page's lines:
# a long key first (a short one may also match the site name in the header), then a short one


def trafilatura_lines(tree: HtmlElement, url: str) -> list[str]:
    """Main text found by trafilatura in an already cleaned tree (it works on a copy).

    Imported here: most pages have a CMS container or a prose block, and a quiet crawl
    extracts nothing, so a crawl process loads trafilatura (0.2 s) only when it needs it."""
    import trafilatura

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
    head_key, tail_key = squash(body[0]), squash(body[-1])
    first = _find(page, [head_key[:n] for n in _LOCATE_KEYS], range(len(page)))
    if first is None:
        return page, []
    order = range(len(page) - 1, first - 1, -1)
    last = _find(page, [tail_key[-n:] for n in _LOCATE_KEYS], order)
    return page[:first], page[(last if last is not None else first) + 1 :]


def _find(lines: list[str], needles: list[str], order: range) -> int | None:
    """The first line (in ``order``) holding the longest needle that any line holds."""
    for needle in needles:
        found = next((index for index in order if needle in squash(lines[index])), None)
        if found is not None:
            return found
    return None
