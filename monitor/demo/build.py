"""Deterministic demo sites filled with the shipped notice texts."""

from __future__ import annotations

import functools
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from monitor.demo.markup import cn_date
from monitor.demo.model import MockNotice
from monitor.demo.site import MockSite
from monitor.demo.styles import (
    AspNetSite,
    Big5Site,
    BureauPortal,
    ChallengeVsbSite,
    ColumnSite,
    DedeSite,
    DiscuzSite,
    EmpireSite,
    GkmlptSite,
    HanwebProxySite,
    HanwebSite,
    JsonApiSite,
    ScriptTrsSite,
    SudyApiSite,
    TrsSite,
    VsbSite,
    XhrTableSite,
)
from monitor.demo.texts import NoticeText, texts_of

# Real dates of the notices cleaned from the reference seed pages.
SEED_DATES = {
    "000": datetime(2021, 11, 10, 10, 42, 36),
    "001": datetime(2022, 3, 17, 9, 15),
    "002": datetime(2020, 2, 2, 10, 20),
    "003": datetime(2022, 3, 21, 16, 32),
    "004": datetime(2023, 1, 20, 13, 37),
}


@functools.cache
def _to_traditional():
    from opencc import OpenCC

    return OpenCC("s2tw").convert


@dataclass(frozen=True)
class Filling:
    """How to fill a site: which texts, over which dates, with which extras."""

    texts: Sequence[NoticeText]
    start: datetime
    end: datetime
    pinned: Sequence[int] = ()  # positions in ``texts`` to pin
    pinyin: dict[int, str] | None = None  # position -> "ruby" / "flat"
    traditional: bool = False
    authors: Sequence[str] = ("admin",)


def spread_dates(rng: random.Random, count: int, start: datetime, end: datetime) -> list[datetime]:
    """``count`` working-hour times spread evenly (with jitter) from start to end, ascending."""
    span = (end - start) / max(1, count)
    moments = []
    for index in range(count):
        day = start + span * index + timedelta(days=rng.uniform(0, span.days * 0.6))
        moments.append(
            day.replace(hour=rng.randint(8, 17), minute=rng.randint(0, 59), second=0, microsecond=0)
        )
    return sorted(moments)


def notice_fields(
    text: NoticeText, published: datetime, site_name: str, rng: random.Random
) -> dict:
    """add_notice keyword arguments for a text published on a site."""
    filled = text.filled(published.year)
    paragraphs = list(filled.paragraphs)
    signoff = 0
    if filled.sign:
        signed = published - timedelta(days=rng.randint(1, 3))
        paragraphs += [site_name if filled.sign == "site" else filled.sign, cn_date(signed)]
        signoff = 2
    return {
        "title": filled.title,
        "paragraphs": paragraphs,
        "published": published,
        "attachments": filled.files,
        "issuer": filled.issuer,
        "doc_number": filled.doc_number,
        "signoff": signoff,
    }


def fill_site(site: MockSite, filling: Filling) -> MockSite:
    """Add the texts as notices, oldest first, so ids grow with dates."""
    rng = random.Random(site.source_id)
    free = [t for t in filling.texts if t.seed not in SEED_DATES]
    dates = iter(spread_dates(rng, len(free), filling.start, filling.end))
    planned = [
        (SEED_DATES[t.seed] if t.seed in SEED_DATES else next(dates), position, t)
        for position, t in enumerate(filling.texts)
    ]
    convert = _to_traditional() if filling.traditional else None
    for published, position, text in sorted(planned, key=lambda item: item[0]):
        fields = notice_fields(text, published, site.name, rng)
        if convert and not text.traditional:
            fields["title"] = convert(fields["title"])
            fields["paragraphs"] = [convert(p) for p in fields["paragraphs"]]
            fields["issuer"] = convert(fields["issuer"]) if fields["issuer"] else None
        site.add_notice(
            **fields,
            pinned=position in filling.pinned,
            author=filling.authors[rng.randrange(len(filling.authors))],
            pinyin=(filling.pinyin or {}).get(position),
        )
    return site


def _pick(kind: str, positions: Sequence[int]) -> list[NoticeText]:
    texts = texts_of(kind)
    return [texts[i] for i in positions]


def trs_site(**options) -> MockSite:
    """新乡市教育局 (TRS, GBK): 15 notices, 6 per page, one old notice pinned."""
    filling = Filling(
        _pick("bureau", range(15)), datetime(2022, 3, 1), datetime(2024, 5, 20), pinned=(8,)
    )
    return fill_site(TrsSite("新乡市教育局", **options), filling)


def vsb_site(**options) -> MockSite:
    """平原大学教务处 (VSB, UTF-8): 12 notices, 5 per page, one pinned."""
    positions = (0, 3, 5, 6, 7, 9, 10, 11, 12, 13, 16, 18)
    filling = Filling(
        _pick("school", positions), datetime(2022, 2, 20), datetime(2024, 4, 30), pinned=(1,)
    )
    return fill_site(VsbSite("平原大学教务处", **options), filling)


def discuz_site(**options) -> MockSite:
    """揭阳教育资讯网 (Discuz! X3.4): 12 notices, 5 per page."""
    filling = Filling(
        _pick("news", (0, 4, *range(5, 15))),
        datetime(2022, 1, 10),
        datetime(2024, 3, 31),
        authors=("蓝色河畔", "揭阳教育", "admin"),
    )
    return fill_site(DiscuzSite("揭阳教育资讯网", **options), filling)


def big5_site(**options) -> MockSite:
    """彭城教育網 (traditional script): 11 notices, 5 per page, pinyin on three."""
    filling = Filling(
        _pick("news", (1, 2, 3, *range(15, 23))),
        datetime(2022, 4, 1),
        datetime(2024, 5, 31),
        pinyin={0: "flat", 3: "ruby", 6: "ruby"},
        traditional=True,
        authors=("李婉婷", "張明遠", "王曉梅"),
    )
    return fill_site(Big5Site("彭城教育網", **options), filling)


def dede_site(**options) -> MockSite:
    """获嘉县第一中学 (DedeCMS, GBK, no charset in the HTTP header): 10 notices."""
    options.setdefault("header_charset", None)
    filling = Filling(
        _pick("school", (1, 2, 4, 8, 14, 15, 17, 19, 20, 21)),
        datetime(2022, 5, 1),
        datetime(2024, 6, 10),
        authors=("王老师", "政教处", "admin"),
    )
    return fill_site(DedeSite("获嘉县第一中学", **options), filling)


def hanweb_site(repost: MockNotice | None = None, **options) -> MockSite:
    """焦作市教育局 (Hanweb): 9 notices, plus a repost of another bureau's notice."""
    filling = Filling(_pick("bureau", range(15, 24)), datetime(2022, 6, 1), datetime(2024, 5, 31))
    site = fill_site(HanwebSite("焦作市教育局", **options), filling)
    if repost is not None:
        site.add_notice(
            repost.title,
            repost.paragraphs,
            published=repost.published + timedelta(days=1, hours=2),
            issuer=repost.issuer,
            doc_number=repost.doc_number,
            signoff=repost.signoff,
        )
    return site


def empire_site(**options) -> MockSite:
    """鹤壁市教育局 (EmpireCMS, UTF-8, no charset in the HTTP header): 10 notices, 4 per page.

    Not in the shared site set: tests serve it on its own.
    """
    options.setdefault("header_charset", None)
    filling = Filling(
        _pick("bureau", (3, 5, 6, 9, 10, 12, 13, 20, 22, 23)),
        datetime(2022, 9, 1),
        datetime(2024, 5, 31),
        authors=("办公室", "admin"),
    )
    return fill_site(EmpireSite("鹤壁市教育局", **options), filling)


def portal_site(layout: str) -> BureauPortal:
    """济南市教育局's portal (``layout``: nav, tabs or block) with two columns on one site:
    通知公告 (8 notices, 5 a page) and 招生考试 (6 notices).

    Not in the shared site set: tests serve it on its own.
    """
    columns = [
        ColumnSite("济南市教育局", column="通知公告", column_id=3401, folder="/col/col3401/"),
        ColumnSite("济南市教育局", column="招生考试", column_id=3405, folder="/col/col3405/"),
    ]
    fill_site(
        columns[0], Filling(_pick("bureau", range(8)), datetime(2023, 9, 1), datetime(2024, 5, 20))
    )
    fill_site(
        columns[1],
        Filling(_pick("bureau", range(8, 14)), datetime(2023, 9, 1), datetime(2024, 5, 20)),
    )
    return BureauPortal("济南市教育局", columns, layout)


def gkmlpt_site(**options) -> MockSite:
    """广东省教育厅 政府信息公开 (gkmlpt JSON API): 12 notices, 5 per API page.

    Like the other list API sites, not in the shared site set: tests serve it on its own.
    """
    filling = Filling(
        _pick("bureau", (0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22)),
        datetime(2022, 8, 1),
        datetime(2024, 5, 31),
    )
    return fill_site(GkmlptSite("广东省教育厅", **options), filling)


def sudy_site(**options) -> MockSite:
    """南京大学本科生院 (Sudy ``generalQuery``): 11 notices, 4 per page, two pinned."""
    options.setdefault("per_page", 4)
    filling = Filling(
        _pick("school", (0, 1, 2, 4, 6, 8, 10, 12, 14, 16, 18)),
        datetime(2022, 3, 1),
        datetime(2024, 4, 30),
        pinned=(2, 5),
    )
    return fill_site(SudyApiSite("南京大学本科生院", **options), filling)


def hanweb_proxy_site(**options) -> MockSite:
    """浙江省教育厅 (Hanweb, rows only from ``dataproxy.jsp``): 10 notices, 4 per page."""
    options.setdefault("per_page", 4)
    filling = Filling(_pick("bureau", range(1, 11)), datetime(2022, 7, 1), datetime(2024, 5, 31))
    return fill_site(HanwebProxySite("浙江省教育厅", **options), filling)


def aspnet_site(**options) -> MockSite:
    """山东省教育招生考试院 (ASP.NET PostBack paging, GBK): 11 notices, 4 per page."""
    options.setdefault("per_page", 4)
    filling = Filling(
        _pick("bureau", (1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21)),
        datetime(2022, 9, 1),
        datetime(2024, 5, 31),
    )
    return fill_site(AspNetSite("山东省教育招生考试院", **options), filling)


def jsonapi_site(**options) -> MockSite:
    """平原市教育局 (a single-page portal with its own JSON API): 12 notices, 4 per page."""
    filling = Filling(
        _pick("news", (0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22)),
        datetime(2022, 5, 1),
        datetime(2024, 5, 31),
    )
    return fill_site(JsonApiSite("平原市教育局", **options), filling)


def trs_script_site(**options) -> MockSite:
    """湖南省教育厅-style TRS list written by ``document.write``: 14 notices, 6 per page."""
    filling = Filling(_pick("bureau", range(1, 15)), datetime(2022, 4, 1), datetime(2024, 5, 20))
    return fill_site(ScriptTrsSite("湖南省教育厅", **options), filling)


def xhr_table_site(**options) -> MockSite:
    """四川省教育厅-style 政策文件 table filled by ``fetch()``: 12 notices, 5 per page."""
    options.setdefault("per_page", 5)
    filling = Filling(_pick("bureau", range(10, 22)), datetime(2022, 7, 1), datetime(2024, 5, 31))
    return fill_site(XhrTableSite("四川省教育厅", **options), filling)


def vsb_412_site(**options) -> MockSite:
    """北京邮电大学教务处-style VSB site behind a 412 JS cookie challenge: 8 notices."""
    filling = Filling(
        _pick("school", (0, 2, 4, 6, 8, 10, 12, 14)), datetime(2022, 3, 1), datetime(2024, 4, 30)
    )
    return fill_site(ChallengeVsbSite("北京邮电大学教务处", **options), filling)


def build_demo_sites() -> list[MockSite]:
    """The four crawl sites of the demo (trs, vsb, discuz, big5): 50 notices."""
    return [trs_site(), vsb_site(), discuz_site(), big5_site()]


def build_all_sites() -> list[MockSite]:
    """The demo sites plus dede and hanweb (hanweb reposts one trs notice)."""
    sites = build_demo_sites()
    enrolment = next(n for n in sites[0].notices if "招生入学" in n.title)
    return [*sites, dede_site(), hanweb_site(repost=enrolment)]
