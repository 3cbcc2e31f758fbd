"""Regenerate the labelled extraction corpus: ``pages/*.html`` + ``labels.json``.

Run ``python -m tests.corpus.build`` (or ``python tests/corpus/build.py``)
from the project root. The output is deterministic.

Pages come from the mock sites (``monitor.demo``) rendered with variants, and
from the extra renderers in ``tests/corpus/renderers.py``. A label's ``body``
is the notice's own paragraphs (落款 included) joined by newlines; ``date``
is the publish date knowable from the page, its URL or its list row, or null
when there is none.
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
from monitor.demo.texts import NoticeText, load_texts
from tests.corpus.renderers import RENDERERS, UNDATED

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
            fields = notice_fields(text, published, site_name, rng)
            names = fields.pop("attachments")
            notice = MockNotice(id=first_id + index * 7, views=100 + index * 37, **fields)
            notice.attachments = [
                (name, f"{published:%Y%m%d}{notice.id}{i}.{name.rsplit('.', 1)[-1]}")
                for i, name in enumerate(names)
            ]
            page = RENDERERS[style](notice, site_name, variant)
            date = None if undated else ymd(published)
            yield Built(
                page.raw, _label(style, page.url, page.content_type, page.encoding, notice, date)
            )


def generate() -> list[tuple[str, bytes, dict]]:
    """Every corpus page as (file name, raw bytes, label with ``file``), in order."""
    pages = []
    for number, built in enumerate([*mock_pages(), *extra_pages()], 1):
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
