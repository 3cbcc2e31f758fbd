"""Words Chinese notice pages use for their own furniture, shared by the cleaners."""

from __future__ import annotations

import re

from .textutil import CJK

NOT_AFTER_CJK = rf"(?<![{CJK}])"
"""Look-behind: a label must not be the end of a longer word (会议时间 is no 时间 label)."""

PUBLISH_LABELS = (
    "发布时间|发布日期|发布于|發布時間|發布日期|發佈時間|發佈日期|发表时间|发表于|發表於|发文日期"
    "|发稿时间|公布日期|上传时间"
)
"""Labels that name a publish date outright (regex alternatives)."""

META_LABEL = re.compile(
    NOT_AFTER_CJK + r"(?:发布时间|发布日期|發布時間|發佈時間|發布日期|发表于|发表时间|發表於"
    r"|更新时间|更新日期|日期|时间|時間|信息来源|信息來源|信息来自|信息來自|文章来源|来源|來源"
    r"|责任编辑|責任編輯|编辑|編輯|审核|審核|初审|复审|终审|撰稿|供稿|摄影|攝影|作者|发布者"
    r"|发布人|录入|发布机构|阅读量|閱讀量|阅读次数|阅读|閱讀|浏览次数|瀏覽次數|浏览量|浏览|瀏覽"
    r"|点击数|點擊數|点击量|点击|點擊|访问量|查看|评论|評論|字号|字號|字体|字體)\s*[:：]"
)
"""A label of the metadata line around a notice (发布时间：, 来源：, 阅读：…)."""

PAGER_LABELS = "上一篇|下一篇|上一条|下一条|上一條|下一條|上篇|下篇"
"""Labels of the links to the previous and next notice (regex alternatives)."""

BREADCRUMB_LABELS = (
    "当前位置", "當前位置", "您的位置", "您现在的位置", "您現在的位置", "您当前的位置",
    "您當前的位置", "所在位置", "现在位置",
)  # fmt: skip
"""Words that open a breadcrumb trail (当前位置：首页 > 通知公告)."""
