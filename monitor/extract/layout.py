"""Layout tables: old sites build the whole page out of nested tables.

A general extractor reads a table as data and joins each row's cells into one line, so
a body cell's paragraphs, the side column and the title run together. Tables that lay
out the page are turned into plain blocks; data tables (a schedule, a list of names)
stay tables.
"""

from __future__ import annotations

from lxml import etree
from lxml.html import HtmlElement

_ROWS = etree.XPath("./tr | ./tbody/tr | ./thead/tr | ./tfoot/tr")
_CELLS = etree.XPath("./td | ./th")
_NESTED = etree.XPath("boolean(.//table)")
_PROSE_CELL = 150  # characters: a cell this long holds prose, not a table value


def unwrap_layout_tables(tree: HtmlElement) -> None:
    """Turn every layout table (and its rows and cells) into ``div`` blocks, in place.

    A layout table holds another table, has at most one cell per row, or has a cell
    with prose in it. Attributes stay, so class and id words still describe the blocks.
    """
    for table in list(tree.iter("table")):  # outer tables first, while they still hold tables
        rows = [(row, _CELLS(row)) for row in _ROWS(table)]
        if _is_layout(table, rows):
            sections = table.findall("tbody") + table.findall("thead") + table.findall("tfoot")
            for part in (table, *sections, *(el for row, cells in rows for el in (row, *cells))):
                part.tag = "div"


def _is_layout(table: HtmlElement, rows: list[tuple[HtmlElement, list[HtmlElement]]]) -> bool:
    if _NESTED(table) or all(len(cells) <= 1 for _, cells in rows):
        return True
    return any(len(cell.text_content().strip()) > _PROSE_CELL for _, cells in rows for cell in cells)
