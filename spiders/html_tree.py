"""Parse decoded HTML into an lxml document tree.

libxml2 refuses a text node over 10,000,000 bytes unless asked for a "huge
tree": a page whose body is one long line would come out empty. A parser is
made per call: lxml parsers must not be shared between threads.
"""

from __future__ import annotations

import lxml.html
from lxml.html import HtmlElement


def parse_document(text: str) -> HtmlElement:
    """The document tree of ``text`` (raises lxml's ParserError when nothing parses)."""
    return lxml.html.document_fromstring(text, parser=lxml.html.HTMLParser(huge_tree=True))
