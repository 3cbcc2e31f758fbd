"""Regenerate the labelled extraction corpus: ``pages/*.html`` + ``labels.json``.

Run ``python -m tests.corpus.build`` (or ``python tests/corpus/build.py``)
from the project root. The output is deterministic.

Pages come from the mock sites (``monitor.demo``) rendered with variants, from
the extra CMS renderers in ``tests/corpus/renderers.py`` and from the
``generic-*`` layouts in ``tests/corpus/generic.py`` (no known body container).
A label's ``body`` is the notice's own paragraphs (落款 included) joined by
newlines; ``date`` is the publish date knowable from the page, its URL or its
list row, or null when there is none.
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

if __package__ in (None, ""):  # run as a script
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from monitor.demo.build import (
    SEED_DATES,
    big5_site,
    dede_site,
    discuz_site,
    hanweb_site,
    notice_fields,
    spread_dates,
    trs_site,
    vsb_site,
)
from monitor.demo.markup import ymd
from monitor.demo.model import MockNotice
from monitor.demo.site import MockSite
from monitor.demo.texts import NoticeText, load_texts, texts_of
from tests.corpus.generic import GENERIC_RENDERERS, GENERIC_UNDATED, traditional
from tests.corpus.renderers import RENDERERS, UNDATED, Page

ROOT = Path(__file__).resolve().parent
PAGES_DIR = ROOT / "pages"
LABELS_FILE = ROOT / "labels.json"
FIXED_NOW = datetime(2024, 6, 20, 10, 0)

HOSTS = {
    "trs": "http://jyj.xinxiang.gov.cn",
    "vsb": "https://jwc.pyu.edu.cn",
    "discuz": "http://www.jyjyzx.com",
    "big5": "http://www.pcjyw.com",
    "dede": "http://www.hjyz.net",
    "hanweb": "http://jyj.jiaozuo.gov.cn",
}


@dataclass(frozen=True)
class MockVariant:
    """Pages from one configured mock site: which notices (by list position)."""

    style: str
    factory: Callable[..., MockSite]
    picks: Sequence[int]
    options: dict = field(default_factory=dict)


MOCK_PLAN = (
    MockVariant("trs", trs_site, (0, 1, 2)),
    MockVariant("trs", trs_site, (3, 4), {"meta_pubdate": False}),
    MockVariant("trs", trs_site, (5, 6), {"meta_pubdate": False, "show_date": False}),
    MockVariant("trs", trs_site, (7,), {"header_charset": "utf-8"}),
    MockVariant("trs", trs_site, (8,), {"header_charset": None}),
    MockVariant("vsb", vsb_site, (0, 1, 2, 3, 4)),
    MockVariant("vsb", vsb_site, (5, 6, 7), {"show_date": False}),
    MockVariant("discuz", discuz_site, (0, 1, 2, 3, 4, 5)),
    MockVariant("discuz", discuz_site, (6, 7), {"show_date": False}),
    MockVariant("big5", big5_site, (4, 7, 8, 9, 10)),
    MockVariant("big5", big5_site, (0, 1, 2), {"show_date": False}),
    MockVariant("dede", dede_site, (0, 1, 2, 3, 4, 5)),
    MockVariant("dede", dede_site, (6, 7), {"show_date": False}),
    MockVariant("hanweb", hanweb_site, (0, 1, 2, 3)),
    MockVariant("hanweb", hanweb_site, (4, 5), {"meta_pubdate": False}),
    MockVariant("hanweb", hanweb_site, (6, 7), {"meta_pubdate": False, "show_date": False}),
)

# style -> (site name, first notice id, variants in page order)
EXTRA_PLAN = {
    "nfcms": (
        "揭阳市教育局",
        4354300,
        ("full", "full", "no-meta", "no-meta", "title-only", "title-only"),
    ),
    "sudy": ("平原大学教务处", 123400, ("full", "full", "full", "url-date", "url-date", "pdf")),
    "phpcms": (
        "新乡市教育局",
        310,
        ("cn-date", "cn-date", "cn-date", "title-only", "no-date", "no-date"),
    ),
    "wordpress": (
        "平原县第一中学",
        820,
        ("full", "full", "title-only", "title-only", "comments", "comments"),
    ),
    "aspnet": (
        "河南省教育考试院",
        5670,
        ("full", "full", "full", "title-only", "no-date", "no-date"),
    ),
}


@dataclass(frozen=True)
class GenericPlan:
    """One generic style: its site, the kind of texts and (variant, text position) per page."""

    site: str
    first_id: int
    kind: str
    picks: tuple[tuple[str, int], ...]
    start: datetime = datetime(2022, 2, 1)
    end: datetime = datetime(2024, 6, 1)
    traditional: bool = False


GENERIC_PLAN = {
    "generic-frame": GenericPlan(
        "封丘县教育局",
        1000,
        "bureau",
        (
            ("full", 2),
            ("full", 6),
            ("url-date", 10),
            ("url-date", 12),
            ("url-trs", 17),
            ("url-trs", 21),
        ),
    ),
    "generic-table": GenericPlan(
        "获嘉县教育体育局",
        2310,
        "bureau",
        (
            ("cn-date", 1),
            ("cn-date", 4),
            ("cell-date", 9),
            ("cell-date", 13),
            ("list-date", 20),
            ("no-date", 15),
        ),
        start=datetime(2020, 3, 1),
        end=datetime(2022, 6, 1),
    ),
    "generic-school": GenericPlan(
        "平原县实验中学",
        640,
        "school",
        (
            ("full", 1),
            ("full", 5),
            ("static-title", 8),
            ("static-title", 14),
            ("list-date", 15),
            ("no-date", 12),
        ),
    ),
    "generic-portal": GenericPlan(
        "彭城教育在線",
        3401,
        "news",
        (
            ("trad", 3),
            ("trad-url", 2),
            ("flat-pinyin", 1),
            ("simp", 4),
            ("simp", 0),
            ("simp", 6),
        ),
    ),
    "generic-big5": GenericPlan(
        "河南省教育厅",
        2750100,
        "bureau",
        (
            ("full", 0),
            ("cn-date", 3),
            ("url-date", 5),
            ("url-date", 14),
            ("ruby", 16),
            ("ruby", 18),
        ),
        traditional=True,
    ),
    "generic-news": GenericPlan(
        "北京市某区教育委员会",
        4560,
        "news",
        (
            ("time", 5),
            ("og-meta", 10),
            ("word", 14),
            ("word", 8),
            ("list-date", 12),
            ("url-date", 17),
        ),
    ),
}


@dataclass
class Built:
    """One corpus page before it is numbered and written."""

    raw: bytes
    label: dict


def _label(
    style: str, url: str, content_type: str, encoding: str, notice: MockNotice, date: str | None
) -> dict:
    return {
        "url": url,
        "content_type": content_type,
        "encoding": encoding,
        "style": style,
        "title": notice.title,
        "date": date,
        "body": notice.body,
    }


def mock_pages() -> Iterator[Built]:
    """Detail pages served by the mock sites, with list title and date."""
    for variant in MOCK_PLAN:
        site = variant.factory(**variant.options)
        site.clock = lambda: FIXED_NOW
        listed = site.notices
        for position in variant.picks:
            notice = listed[position]
            path = site.notice_path(notice)
            status, headers, raw = site.render("GET", path)
            assert status == 200, (variant, path)
            label = _label(
                variant.style,
                HOSTS[variant.style] + path,
                headers["Content-Type"],
                site.encoding,
                notice,
                ymd(notice.published),
            )
            label |= {"list_title": site.list_title(notice), "list_date": ymd(notice.published)}
            yield Built(raw, label)


def _notice(
    text: NoticeText,
    published: datetime,
    site_name: str,
    rng: random.Random,
    first_id: int,
    index: int,
) -> MockNotice:
    """The ``index``-th notice a renderer draws for a site; attachment files named by date."""
    fields = notice_fields(text, published, site_name, rng)
    names = fields.pop("attachments")
    notice = MockNotice(id=first_id + index * 7, views=100 + index * 37, **fields)
    notice.attachments = [
        (name, f"{published:%Y%m%d}{notice.id}{i}.{name.rsplit('.', 1)[-1]}")
        for i, name in enumerate(names)
    ]
    return notice


def _rendered(style: str, page: Page, notice: MockNotice, date: str | None) -> Built:
    label = _label(style, page.url, page.content_type, page.encoding, notice, date)
    if page.list_title is not None:
        label |= {"list_title": page.list_title, "list_date": page.list_date}
    return Built(page.raw, label)


def _text_stream() -> Iterator[NoticeText]:
    texts = [t for t in load_texts() if not t.traditional]
    while True:
        yield from texts


def extra_pages() -> Iterator[Built]:
    """Detail pages of the five extra CMS styles."""
    stream = _text_stream()
    for style, (site_name, first_id, variants) in EXTRA_PLAN.items():
        rng = random.Random(f"corpus-{style}")
        dates = spread_dates(rng, len(variants), datetime(2022, 1, 5), datetime(2024, 6, 1))
        for index, (variant, published) in enumerate(zip(variants, dates, strict=True)):
            undated = (style, variant) in UNDATED
            text = next(stream)
            while undated and (text.sign or text.files):
                text = next(stream)
            notice = _notice(text, published, site_name, rng, first_id, index)
            page = RENDERERS[style](notice, site_name, variant)
            yield _rendered(style, page, notice, None if undated else ymd(published))


def generic_pages() -> Iterator[Built]:
    """Detail pages of the generic layouts (no CMS container the extractor knows)."""
    for style, plan in GENERIC_PLAN.items():
        rng = random.Random(f"corpus-{style}")
        texts = [texts_of(plan.kind)[position] for _, position in plan.picks]
        free = sum(text.seed not in SEED_DATES for text in texts)
        dates = iter(spread_dates(rng, free, plan.start, plan.end))
        for index, ((variant, _), text) in enumerate(zip(plan.picks, texts, strict=True)):
            published = SEED_DATES[text.seed] if text.seed in SEED_DATES else next(dates)
            notice = _notice(text, published, plan.site, rng, plan.first_id, index)
            if plan.traditional:
                notice = traditional(notice)
            page = GENERIC_RENDERERS[style](notice, plan.site, variant)
            undated = (style, variant) in GENERIC_UNDATED
            yield _rendered(style, page, notice, None if undated else ymd(published))


def generate() -> list[tuple[str, bytes, dict]]:
    """Every corpus page as (file name, raw bytes, label with ``file``), in order."""
    pages = []
    for number, built in enumerate([*mock_pages(), *extra_pages(), *generic_pages()], 1):
        name = f"{number:03d}_{built.label['style']}.html"
        pages.append((name, built.raw, {"file": name, **built.label}))
    return pages


def build() -> list[dict]:
    """Write every page and labels.json; returns the labels."""
    PAGES_DIR.mkdir(parents=True, exist_ok=True)
    for old in PAGES_DIR.glob("*.html"):
        old.unlink()
    labels = []
    for name, raw, label in generate():
        (PAGES_DIR / name).write_bytes(raw)
        labels.append(label)
    LABELS_FILE.write_text(
        json.dumps(labels, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return labels


def main() -> None:
    labels = build()
    styles: dict[str, int] = {}
    for label in labels:
        styles[label["style"]] = styles.get(label["style"], 0) + 1
    print(f"{len(labels)} pages in {len(styles)} styles: {styles}")


if __name__ == "__main__":
    main()
