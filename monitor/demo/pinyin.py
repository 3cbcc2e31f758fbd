"""Pinyin annotations as Chinese primary-school and portal pages carry them.

Two forms: ``<ruby>`` markup (``<ruby>開<rp>(</rp><rt>kāi</rt><rp>)</rp></ruby>``)
and the flattened text a naive extractor or a copy-paste leaves (``開(kāi)``).
The readings below were taken from the reference seed page 001.
"""

from __future__ import annotations

READINGS = {
    "召": "zhào", "開": "kāi", "學": "xué", "會": "huì", "機": "jī", "關": "guān",
    "長": "zhǎng", "實": "shí", "驗": "yàn", "區": "qū", "進": "jìn", "書": "shū",
    "國": "guó", "務": "wù", "統": "tǒng", "戰": "zhàn", "堅": "jiān", "個": "gè",
    "認": "rèn", "預": "yù", "強": "qiáng", "環": "huán", "節": "jié", "細": "xì",
    "萬": "wàn", "無": "wú", "級": "jí", "類": "lèi", "準": "zhǔn", "對": "duì",
    "點": "diǎn", "責": "zé", "擔": "dān", "項": "xiàng", "規": "guī", "嚴": "yán",
    "錯": "cuò", "時": "shí", "報": "bào", "協": "xié", "導": "dǎo", "發": "fā",
    "現": "xiàn", "質": "zhì", "習": "xí", "動": "dòng", "衛": "wèi", "聯": "lián",
    "設": "shè", "訓": "xùn", "險": "xiǎn", "網": "wǎng", "問": "wèn", "門": "mén",
    "場": "chǎng", "醫": "yī", "領": "lǐng", "結": "jié", "經": "jīng", "鎮": "zhèn",
}  # fmt: skip


def ruby(html_text: str) -> str:
    """Wrap every character with a known reading in ``<ruby>`` markup."""
    return "".join(
        f"<ruby>{c}<rp>(</rp><rt>{READINGS[c]}</rt><rp>)</rp></ruby>" if c in READINGS else c
        for c in html_text
    )


def flattened(text: str) -> str:
    """Put the reading in brackets after every annotated character: ``開(kāi)``."""
    return "".join(f"{c}({READINGS[c]})" if c in READINGS else c for c in text)
