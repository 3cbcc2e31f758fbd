"""Change detection without a network: fingerprints, plausibility, diffs, SimHash."""

from datetime import datetime

import opencc
import pytest

from monitor.changes import SuspectFetch, check_plausible, fingerprint, normalise
from monitor.config import ChangePolicy
from monitor.demo.texts import load_texts
from monitor.diff import sentences, text_changes
from monitor.extract import Attachment, ExtractedNotice
from monitor.simhash import blocks, distance, from_signed, simhash, to_signed
from spiders.urls import canonical_url
from storage.models import NoticeVersion

BODY = (
    "各县（市、区）教育局：为切实做好校园安全工作，防范各类安全事故发生，决定在全市中小学开展校园安全隐患排查工作。"
    "一、排查范围。全市各级各类中小学校、幼儿园，重点排查校舍、消防、食品、交通等方面的安全隐患。"
    "二、工作要求。各单位要高度重视，明确责任，建立台账，对排查发现的问题限期整改到位。"
)


def notice(
    text: str, title: str = "关于开展校园安全隐患排查工作的通知", attachments=()
) -> ExtractedNotice:
    return ExtractedNotice(
        title=title,
        published=None,
        text=text,
        attachments=list(attachments),
        title_simple=title,
        text_simple=text,
    )


def version(text: str) -> NoticeVersion:
    return NoticeVersion(
        text=text,
        text_simple=text,
        title="t",
        title_simple="t",
        attachments=[],
        fetched_at=datetime(2024, 1, 1),
    )


def test_fingerprint_ignores_volatile_counters_and_whitespace():
    base = fingerprint(notice(BODY + "\n阅读次数：1532"))
    assert fingerprint(notice(BODY + "\n阅读次数：1533")) == base
    assert fingerprint(notice(BODY.replace("。", "。\n  ") + "\n阅读次数：9")) == base
    assert fingerprint(notice(BODY + "\n閱讀量:16768次")) == fingerprint(
        notice(BODY + "\n閱讀量:16769次")
    )


def test_fingerprint_sees_real_edits_and_attachments():
    base = fingerprint(notice(BODY))
    assert fingerprint(notice(BODY.replace("限期", "按期"))) != base
    assert (
        fingerprint(notice(BODY, attachments=[Attachment("表.xls", "http://a/1.xls", "xls")]))
        != base
    )
    assert fingerprint(notice(BODY, title="关于开展校园安全隐患排查工作的通知（更正）")) != base


@pytest.mark.parametrize(
    ("new_text", "reason"),
    [
        ("", "no text"),
        (BODY[:40], "truncated"),
        ("系统提示：您访问的页面不存在或已被删除。", "error page"),
    ],
)
def test_broken_fetches_are_suspect(new_text, reason):
    with pytest.raises(SuspectFetch, match=reason):
        check_plausible(version(BODY), notice(new_text), ChangePolicy())


@pytest.mark.parametrize(
    "misread",
    [
        BODY.encode("utf-8").decode("gb18030", "replace"),  # UTF-8 read as GBK
        BODY.encode("gbk").decode("utf-8", "replace"),  # GBK read as UTF-8
        BODY.encode("utf-8").decode("latin-1"),  # UTF-8 read as Latin-1
    ],
)
def test_a_version_in_the_wrong_charset_is_suspect_not_a_change(misread):
    with pytest.raises(SuspectFetch, match="garbled"):
        check_plausible(version(BODY), notice(misread), ChangePolicy())


def test_traditional_script_ruby_and_a_few_odd_characters_are_not_garbled():
    traditional = opencc.OpenCC("s2t").convert(BODY)
    check_plausible(version(traditional), notice(traditional + "請準時參加。"), ChangePolicy())
    check_plausible(
        version(BODY), notice(BODY.replace("召开", "召開(kāi)") + "⑴ ①"), ChangePolicy()
    )
    check_plausible(version(BODY), notice(BODY + "联系人：李珺、王堃 °C ×"), ChangePolicy())


def test_a_real_shortening_edit_is_plausible():
    shorter = BODY[:60] + "（本条已删减，以正式文件为准。）"
    check_plausible(
        version(BODY), notice(BODY.replace("二、工作要求。", "二、要求。")), ChangePolicy()
    )
    check_plausible(version(BODY), notice(shorter + BODY[60:]), ChangePolicy())


def test_diff_works_on_unspaced_chinese():
    old = "兹定于2023年11月18日上午召开家长会。请准时参加。地点在报告厅。"
    new = "兹定于2023年11月25日上午召开家长会。请准时参加。地点在报告厅。另请携带成绩单。"
    assert sentences(old) == [
        "兹定于2023年11月18日上午召开家长会。",
        "请准时参加。",
        "地点在报告厅。",
    ]
    changes = text_changes(old, new)
    assert "18日" in changes[0].removed and "25日" in changes[0].added
    assert changes[1].removed == "" and changes[1].added == "另请携带成绩单。"


def test_simhash_links_scripts_and_small_edits_but_not_other_notices():
    simplified = simhash(BODY)
    traditional = opencc.OpenCC("s2t").convert(BODY)
    back = opencc.OpenCC("t2s").convert(traditional)
    assert distance(simplified, simhash(back)) == 0
    long_body = max(
        ("".join(t.paragraphs) for t in load_texts()), key=len
    )  # a real notice, ~2000 characters
    middle = len(long_body) // 2
    edited = long_body[:middle] + "某某" + long_body[middle + 2 :]
    assert distance(simhash(long_body), simhash(edited)) <= 3
    other = "为做好2024年普通高校招生录取工作，现将有关事项通知如下。各地要严格执行招生政策，确保录取工作公平公正，做好考生咨询服务。"
    assert distance(simplified, simhash(other)) > 10


def test_simhash_blocks_and_signed_storage_roundtrip():
    value = simhash(BODY)
    assert from_signed(to_signed(value)) == value
    assert -(2**63) <= to_signed(value) < 2**63
    assert sum(b << (16 * i) for i, b in enumerate(blocks(value))) == value


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "HTTP://Jyj.Example.gov.cn:80/a/../tzgg/./t1.html#top",
            "http://jyj.example.gov.cn/tzgg/t1.html",
        ),
        ("https://x.cn:443/a.jsp;jsessionid=ABC?id=3&utm_source=wx", "https://x.cn/a.jsp?id=3"),
        ("http://x.cn/list/?page=2&spm=1.2", "http://x.cn/list/?page=2"),
        ("http://x.cn:8080/a.html", "http://x.cn:8080/a.html"),
    ],
)
def test_canonical_urls(url, expected):
    assert canonical_url(url) == expected
    assert normalise("阅读：12 次") == ""
