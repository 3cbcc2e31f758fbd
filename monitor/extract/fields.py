"""Issuer (来源) and document number (文号) of a notice."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .textutil import CJK

_ISSUER_META_KEYS = ("contentsource", "source")
_ISSUER = re.compile(
    rf"(?<![{CJK}])(?:信息来源|信息來源|信息来自|信息來自|文章来源|稿件来源|来源|來源"
    r"|发布机构|發布機構|发布单位|發布單位|发文机关|發文機關)\s*[:：]\s*([^\s|｜丨/:：]+)"
)
_NEXT_LABEL = re.compile(
    r"(?:发布|發布|发表|時間|时间|日期|作者|编辑|編輯|审核|審核|浏览|瀏覽|阅读|閱讀|点击|點擊|字号|字體|字体)"
)
_MAX_ISSUER_LEN = 40

_DOC_NUMBER = (
    rf"[{CJK}]{{1,12}}\s*[〔\[［【(（]\s*(?:19|20)\d{{2}}\s*[〕\]］】)）]\s*第?\s*\d{{1,5}}\s*号"
)
_DOC_NUMBER_LABELLED = re.compile(
    rf"(?<![{CJK}])(?:文号|发文字号|發文字號|发文文号|文件字号)\s*[:：]?\s*({_DOC_NUMBER})"
)
_DOC_NUMBER_LINE = re.compile(rf"^\s*({_DOC_NUMBER})\s*$")
_BODY_LINES_FOR_NUMBER = 3


def find_issuer(meta: dict[str, str], head: Sequence[str], tail: Sequence[str]) -> str | None:
    """The issuing body: ``ContentSource`` meta, else a labelled 来源/发布机构 value."""
    for key in _ISSUER_META_KEYS:
        if meta.get(key):
            return meta[key]
    for line in (*head, *tail):
        for match in _ISSUER.finditer(line):
            value = _NEXT_LABEL.split(match[1], maxsplit=1)[0].strip("，,;；。.")
            if value and len(value) <= _MAX_ISSUER_LEN and not value[0].isdigit():
                return value
    return None


def find_doc_number(head: Sequence[str], tail: Sequence[str], body: Sequence[str]) -> str | None:
    """The notice's own 文号 (``豫教招〔2024〕12号``).

    A labelled value (文号：…) outside the body, else a line holding only a document number
    at the top of the body or in the head. Numbers cited inside sentences are other
    documents' numbers and are never taken.
    """
    for line in (*head, *tail):
        match = _DOC_NUMBER_LABELLED.search(line)
        if match:
            return _compact(match[1])
    for line in (*body[:_BODY_LINES_FOR_NUMBER], *reversed(head)):
        match = _DOC_NUMBER_LINE.match(line)
        if match:
            return _compact(match[1])
    return None


def _compact(number: str) -> str:
    return "".join(number.split())
