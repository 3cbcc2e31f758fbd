"""How garbled a text looks: the share of characters that a wrong decoding leaves behind.

Chinese text read in the wrong charset (UTF-8 as GBK, GBK as UTF-8 or Latin-1)
turns into characters no notice is written in: replacement characters,
control and private-use code points, and Han characters outside both GB2312
and Big5. Real notices, simplified or traditional, have almost none; a
misdecoded one has a fifth or more.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache


@lru_cache(maxsize=65536)
def _is_garble(char: str) -> bool:
    if char == "\ufffd" or unicodedata.category(char) in ("Cc", "Co", "Cs"):
        return True
    for charset in ("gb2312", "big5"):
        try:
            char.encode(charset)
            return False
        except UnicodeEncodeError:
            pass
    return unicodedata.category(char).startswith("L")  # a letter no Chinese charset knows


def garbled_share(text: str) -> float:
    """The share of the non-space characters that look like misdecoding (0.0 to 1.0)."""
    chars = [char for char in text if not char.isspace()]
    if not chars:
        return 0.0
    return sum(1 for char in chars if not char.isascii() and _is_garble(char)) / len(chars)
