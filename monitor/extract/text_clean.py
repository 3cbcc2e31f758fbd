"""Text-level cleaning of extracted body lines.

The body is trimmed at both ends (the head holds breadcrumbs, the repeated title and the
metadata line; the tail holds share bars, previous/next links, comments, footers) and
lines that are never notice text are dropped wherever they are. Lines in the middle
that merely look like metadata (会议时间：…, 联系电话：…) stay: they are notice text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from difflib import SequenceMatcher

from .textutil import CJK, has_cjk, normalize_space, squash
from .vocab import BREADCRUMB_LABELS, META_LABEL, NOT_AFTER_CJK, PAGER_LABELS, PUBLISH_LABELS

# -- pinyin leftovers of ruby annotations: 召開(kāi) -> 召開 ---------------------------
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_PINYIN_GROUP = re.compile(rf"(?<=[{CJK}])[(（]\s*([a-z{_TONED}ü]+(?:\s+[a-z{_TONED}ü]+)*)\s*[)）]")
_UNTONE = str.maketrans("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ", "aaaaeeeeiiiioooouuuuvvvvvnnnm")
_SYLLABLE = re.compile(
    r"(?:[zcs]h|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ueng|ang|eng|ing|ong|iao|ian|uai|uan|van"
    r"|ai|ei|ao|ou|an|en|er|ia|ie|iu|in|ua|uo|ui|un|ue|ve|vn|a|o|e|i|u|v)"
)

# -- line patterns -------------------------------------------------------------------
_PUBLISH_DATE_LINE = re.compile(rf"{NOT_AFTER_CJK}(?:{PUBLISH_LABELS})\s*[:：]?\s*(?:19|20)\d{{2}}")
_TOOLBAR = re.compile(
    r"[大中小]\s*[大中小]\s*[大中小]|[打列]印(?:本|此)[页頁文篇]|打印文章|关闭窗口|關閉窗口|关闭本页"
    r"|【\s*(?:打印|关闭|關閉|收藏)\s*】|返回顶部|加入收藏|收藏本页"
)
_COUNTER = re.compile(
    r"(?:阅读|閱讀|浏览|瀏覽|点击|點擊|访问)(?:量|次数|次數|数|數)?\s*[:：]?\s*\d+\s*次"
)
_DOWNLOAD_COUNTER = re.compile(r"已下载\s*\d*\s*次")
_BREADCRUMB = re.compile(
    rf"(?:{'|'.join(BREADCRUMB_LABELS)})\s*(?:是|为|為)?\s*[:：]"
    r"|^(?:首页|首頁|网站首页|主页)\s*[>＞»›→/]"
)
_LOOSE_BREADCRUMB = re.compile(
    r"^(?:首页|首頁|网站首页)(?:\s+\S{1,12}){1,6}$|(?:\s[>＞»›→]\s?\S+){2}"
)
_FOOTER = re.compile(
    r"版权所有|版權所有|copyright|all rights reserved|icp备|icp證|icp证|公网安备|公網安備"
    r"|网站标识码|網站標識碼|powered by|违法和不良信息举报|processed in [\d.]+ ?s|^gmt[+-]\d",
    re.IGNORECASE,
)
_WEAK_FOOTER = re.compile(
    r"主办单位|主辦單位|承办单位|技术支持|技術支持|网站地图|联系我们|關於我們|关于我们|^主办\s*[:：]"
    r"|地址\s*[:：].*(?:电话|邮编|電話)|(?:(?<![^\s|])[^\s|]++\s*\|\s*){3,}"
)
_CONTACT = re.compile(r"热线|熱線|电话|電話")
_WELCOME = re.compile(
    r"^(?:欢迎|歡迎)(?:进入|進入|访问|訪問|光临|光臨|来到|來到)"
    r"|^.{0,30}(?:欢迎|歡迎)(?:您|你|妳)(?:的(?:光临|光臨|访问|訪問|到来|到來))?\s*[!！。]?$"
)  # 欢迎访问…, and a header's 鞍山市铁东区胜利小学欢迎您！
_SUMMARY = re.compile(r"^[\[【(（]?\s*(?:摘\s*要|内容提要|导读)\s*[\]】)）]?\s*[:：]\s*(.*)$")
_ELLIPSIS = re.compile(r"(?:\.{2,}|…+|。{2,})\s*$")
_SHARE = re.compile(
    r"^(?:分享到|分享至|分享本页|分享：)|^(?:扫一扫|掃一掃).{0,12}(?:分享|关注|關注|手机|手機)"
)
_TAIL_MARKER = re.compile(
    rf"^(?:{PAGER_LABELS})\s*[:：\s]"
    r"|^(?:相关文章|相關文章|相关阅读|相關閱讀|相关新闻|相關新聞|相关链接|相關鏈接|相关推荐|推荐阅读"
    r"|延伸阅读|热点推荐|热门文章)\s*[:：]?\s*$"
    r"|^(?:全部评论|快速评论|发表评论|網友評論|网友评论|我要评论|评论列表|最新评论)"
    r"|^(?:责任编辑|責任編輯|编辑|編輯|审核|審核|审校|審校|校对|校對)\s*[:：]\s*\S{1,12}(?:\s\S{1,6})?$"
)
_DATE_TOKEN = re.compile(
    r"(?:19|20)\d{2}\s*(?:[-/.]|年)\s*\d{1,2}\s*(?:[-/.]|月)\s*\d{1,2}\s*日?"
    r"(?:\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?"
)
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,5}$")
_SAME_NAME = 0.85
_FIGURE = re.compile(r"[-+]?\d+(?:[.,]\d+)*\s*%?")  # a table cell's number: 92.6, 1,200, 85%
_ATTACHMENT_LEFTOVER = re.compile(r"附件|相关附件|下载|[\d.、，,；;：:【】\[\]()（）]")
_REACTIONS = frozenset(["路过", "雷人", "握手", "鲜花", "鸡蛋", "路過", "鮮花", "雞蛋"])
_ACCOUNT = re.compile(r"官方微信|官方微博|微信公众号|公众号|公眾號|微信号|微信號|视频号|視頻號")
_FOLLOW = re.compile(
    r"关注|關注|订阅|訂閱|扫码|掃碼|扫描|掃描|长按|長按|识别|識別|尽在|盡在|欢迎|歡迎|join us",
    re.IGNORECASE,
)
_BARE_ACCOUNT = re.compile(r"^(?:微信号|微信號|公众号|公眾號)\s*[:：]\s*[\w-]+$")
_SENTENCE = re.compile(r"[，。；！？,;!?]")
_SPAM_STRONG = re.compile(
    "人成|乱码|亂碼|无码|無碼|看片|好紧|好湿|秋霞|人妖|一区二区|二区|三区|国产精品|精品国产|亚洲精品"
    "|中文字幕|偷拍|久久国产|久久久"
)
_SPAM_WEAK = re.compile("国产|精品|亚洲|亚汌|免费|视频|在线观看|高清|日韩|欧美|在线播放")

_SHORT = 40
_HEAD_SCAN = 15  # lines searched for the title or metadata line that ends the head
_MARKER_MAX = 80
_METADATA_MAX = 150
_PROSE = 5000  # a line this long is prose (or spam), never a breadcrumb, footer or counter
_SUMMARY_KEY = 10


def strip_pinyin(text: str) -> str:
    """Remove ruby pinyin left in parentheses after a CJK character (召開(kāi) → 召開)."""
    return _PINYIN_GROUP.sub(_pinyin_or_keep, text)


def is_spam(line: str) -> bool:
    """True for injected SEO spam (porn/gambling link-farm phrases)."""
    if not _SPAM_STRONG.search(line):
        return False
    strong = len(set(_SPAM_STRONG.findall(line)))
    return strong >= 2 or len(set(_SPAM_WEAK.findall(line))) >= 2


def clean_body(
    lines: Iterable[str],
    title: str,
    attachment_names: Iterable[str] = (),
    *,
    in_container: bool = False,
) -> list[str]:
    """The notice's own lines: head and tail boilerplate trimmed, noise lines dropped.

    Lines that only list attachments (附件：1.名单.pdf) are dropped too: the attachments
    are reported as such. ``in_container``: the lines come from a CMS body container,
    which holds no menus, so a title repeated below a line of text is text (a table
    cell, an 评估标准： item), not the head's end.
    """
    text = strip_pinyin(_DOWNLOAD_COUNTER.sub("", "\n".join(lines)))
    body = [line for line in map(normalize_space, text.split("\n")) if line]
    body = body[_body_start(body, squash(strip_pinyin(title)), in_container) :]
    body = body[: _body_end(body, in_container)]
    text_key = squash("".join(body))
    names = [key for key in map(squash, attachment_names) if key]
    return [
        line
        for line in body
        if not _is_noise(line)
        and not _is_repeated_summary(line, text_key)
        and not _lists_attachments(line, names)
    ]


def _body_start(lines: list[str], title_key: str, in_container: bool = False) -> int:
    """Index of the notice's first line.

    Short menu-like lines before the repeated title or the metadata line are skipped
    along with it (in a CMS container only head boilerplate is); then head boilerplate
    is trimmed line by line.
    """
    start = 0
    for index, line in enumerate(lines[:_HEAD_SCAN]):
        if _is_head_anchor(line, title_key):
            start = index + 1
        elif _ends_head_scan(line, title_key, in_container):
            break
    while start < len(lines) and _is_head_noise(lines[start], title_key):
        start += 1
    return start


def _ends_head_scan(line: str, title_key: str, in_container: bool) -> bool:
    """Text, not head: a long line or a sentence, or in a container any non-boilerplate."""
    if len(line) > _SHORT or _SENTENCE.search(line):
        return True
    return in_container and not _is_head_noise(line, title_key)


def _body_end(lines: list[str], in_container: bool = False) -> int:
    """Index after the notice's last line: cut at the first tail marker, then trim the tail
    (in a CMS container a table's last rows of figures stay: they are the notice's)."""
    end = _tail_marker_index(lines)
    while end > 0 and _is_tail_noise(lines[end - 1]):
        if in_container and _FIGURE.fullmatch(lines[end - 1]):
            break
        end -= 1
    return end


def is_metadata_line(line: str) -> bool:
    """An unmistakable metadata line: two labels (来源：… 阅读：…) or a labelled publish date."""
    return len(line) <= _METADATA_MAX and (
        len(META_LABEL.findall(line)) >= 2 or _PUBLISH_DATE_LINE.search(line) is not None
    )


def _is_head_anchor(line: str, title_key: str) -> bool:
    """The repeated title or an unmistakable metadata line: the body starts after it."""
    if _is_title_piece(squash(line), title_key) or _BREADCRUMB.search(line):
        return True
    return is_metadata_line(line)


def _pinyin_or_keep(match: re.Match[str]) -> str:
    words = match[1].split()
    toned = any(char in _TONED for char in match[1])
    if toned or all(
        len(word) > 1 and _SYLLABLE.fullmatch(word.translate(_UNTONE)) for word in words
    ):
        return ""
    return match[0]


def _is_noise(line: str) -> bool:
    """Lines that are never notice text, wherever they appear."""
    if len(line) > _PROSE:  # boilerplate is short; only spam comes in such lengths
        return is_spam(line[:_PROSE])
    if is_spam(line) or _BREADCRUMB.search(line) or _REACTIONS.issuperset(line.split()):
        return True
    if _FOOTER.search(line) and "。" not in line:  # a sentence about copyright is text
        return True
    if len(line) <= _SHORT and (
        _TOOLBAR.search(line) or _COUNTER.search(line) or _SHARE.search(line)
    ):
        return True
    if len(line) <= _METADATA_MAX and len(META_LABEL.findall(line)) >= 2:
        return _DATE_TOKEN.search(line) is not None or _COUNTER.search(line) is not None
    return len(line) <= _MARKER_MAX and _PUBLISH_DATE_LINE.search(line) is not None


def _is_head_noise(line: str, title_key: str) -> bool:
    """Lines that are boilerplate when they come before the notice's first line."""
    if len(line) > _PROSE:
        return _is_noise(line)
    if _is_noise(line) or _is_title_piece(squash(line), title_key):
        return True
    if _SUMMARY.match(line) or _WELCOME.match(line) or _TAIL_MARKER.match(line):
        return True
    if len(line) <= _METADATA_MAX and (META_LABEL.search(line) or _WEAK_FOOTER.search(line)):
        return True
    if len(line) <= _SHORT and not _SENTENCE.search(line):
        return (
            not has_cjk(line)
            or _LOOSE_BREADCRUMB.search(line) is not None
            or _CONTACT.search(line) is not None
            or _is_byline(line)
        )
    return False


def _is_tail_noise(line: str) -> bool:
    """Lines that are boilerplate when nothing but boilerplate follows them."""
    if len(line) > _PROSE:
        return _is_noise(line)
    if _is_noise(line) or _WEAK_FOOTER.search(line) or _is_promotion(line):
        return True
    if len(line) <= _METADATA_MAX and META_LABEL.search(line):
        return True
    if len(line) <= _SHORT:
        return (
            line.startswith("更多")
            or _LOOSE_BREADCRUMB.search(line) is not None
            or (not has_cjk(line) and not is_date_only(line))
        )
    return False


def _is_promotion(line: str) -> bool:
    """An invitation to follow the site's WeChat/Weibo account (微信号：…, 欢迎关注…公众号)."""
    if not _ACCOUNT.search(line):
        return False
    return _FOLLOW.search(line) is not None or _BARE_ACCOUNT.match(line) is not None


def _tail_marker_index(lines: list[str]) -> int:
    """Index of the first previous/next, related-list or comment marker (len if none)."""
    for index, line in enumerate(lines):
        if len(line) <= _MARKER_MAX and (
            _TAIL_MARKER.match(line) or (len(line) <= _SHORT and _SHARE.search(line))
        ):
            return index
    return len(lines)


def _is_title_piece(key: str, title_key: str) -> bool:
    """The line repeats the title (whole, or a piece of a title split over lines)."""
    if not key or not title_key:
        return False
    return key == title_key or (len(key) >= 4 and (key in title_key or key.startswith(title_key)))


def _is_byline(line: str) -> bool:
    """A short 'who and when' line: a date or time with at most a name around it."""
    return _DATE_TOKEN.search(line) is not None and len(squash(_DATE_TOKEN.sub("", line))) <= 12


def is_date_only(line: str) -> bool:
    """The line is a date (and time) and nothing else."""
    return not squash(_DATE_TOKEN.sub("", line))


def _lists_attachments(line: str, names: list[str]) -> bool:
    """A line made only of an 附件 label, numbering and attachment names (if any exist)."""
    if not names:
        return False
    key = squash(line)
    rest = key
    for name in names:
        rest = rest.replace(name, "")
    if (rest != key or "附件" in key) and not _ATTACHMENT_LEFTOVER.sub("", rest):
        return True
    return key.startswith("附件") and _names_a_file(_ATTACHMENT_LEFTOVER.sub("", key), names)


def _names_a_file(text: str, names: list[str]) -> bool:
    """``附件：河南大学人事档案查询审批表`` for the file 河南大学人事档案查阅审批表.docx: the
    name without its extension, give or take a character."""
    stems = (_EXTENSION.sub("", name) for name in names)
    return bool(text) and any(
        SequenceMatcher(None, text, stem).ratio() >= _SAME_NAME for stem in stems
    )


def _is_repeated_summary(line: str, text_key: str) -> bool:
    """A 摘要 line whose text (maybe cut with …) reappears in the body."""
    match = _SUMMARY.match(line)
    if not match:
        return False
    summary = squash(_ELLIPSIS.sub("", match[1]))
    key = summary[-_SUMMARY_KEY:]
    return not key or text_key.count(key) > 1
