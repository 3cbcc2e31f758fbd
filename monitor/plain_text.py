"""Text from pages made safe to show: no bidi overrides, no control characters, no markup.

A title can carry U+202E (right-to-left override, which makes ``exe.pdf`` read
as ``fdp.exe``), terminal escape codes or rich markup; none of that may reach
an alert or a terminal.
"""

from __future__ import annotations

import re

from rich.text import Text

_HIDDEN = re.compile(
    "[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def plain(text: str) -> str:
    """``text`` without control characters (tab and line breaks stay) and bidi controls."""
    return _HIDDEN.sub("", text)


def cell(text: str | None) -> Text:
    """A terminal table cell showing ``text`` as it is: never read as rich markup."""
    return Text(plain(text or ""))
