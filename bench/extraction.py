"""Extraction benchmark: noticewatch vs plain trafilatura on the labelled corpus.

Run from the project root: ``python bench/extraction.py [--repeat N]``. Prints body
character F1 (LCS-based, whitespace removed), title and date exact-match rates, pages
per second and the speed ratio, a per-style breakdown, and the pages that need a look
(F1 below 0.9, wrong title or date, pinyin or spam leftovers).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import trafilatura  # noqa: E402

from monitor.extract import extract_notice  # noqa: E402
from monitor.extract.metrics import body_score, leftovers, same_title  # noqa: E402
from spiders.encoding import decode_html  # noqa: E402
from tests.corpus import CorpusPage, load_corpus  # noqa: E402

LOW_F1 = 0.9


@dataclass(frozen=True)
class Result:
    """What one extractor produced for one page, scored against its label."""

    page: CorpusPage
    f1: float
    title_ok: bool
    date_ok: bool
    leftovers: list[str]


@dataclass(frozen=True)
class Output:
    """The fields an extractor produced, as the labels spell them."""

    title: str | None
    date: str | None
    text: str


def noticewatch(page: CorpusPage) -> Output:
    """Our extractor, given what the crawler would give it."""
    notice = extract_notice(
        page.raw,
        page.url,
        page.content_type,
        list_title=page.list_title,
        list_date=date.fromisoformat(page.list_date) if page.list_date else None,
    )
    published = notice.published.isoformat() if notice.published else None
    return Output(notice.title, published, notice.text)


def plain_trafilatura(page: CorpusPage) -> Output:
    """trafilatura alone on the decoded page: its text, title and date."""
    html, _ = decode_html(page.raw, page.content_type)
    doc = trafilatura.bare_extraction(html, url=page.url, with_metadata=True)
    if doc is None:
        return Output(None, None, "")
    return Output(doc.title, doc.date, doc.text or "")


def score(pages: Sequence[CorpusPage], extractor: Callable[[CorpusPage], Output]) -> list[Result]:
    """Run an extractor over the pages and score each page against its label."""
    results = []
    for page in pages:
        out = extractor(page)
        results.append(
            Result(
                page=page,
                f1=body_score(out.text, page.body).f1,
                title_ok=same_title(out.title, page.title),
                date_ok=out.date == page.date,
                leftovers=leftovers(out.text),
            )
        )
    return results


def pages_per_second(
    pages: Sequence[CorpusPage], run: Callable[[CorpusPage], object], repeat: int
) -> float:
    for page in pages:  # warm-up: lazy imports, dictionaries, caches
        run(page)
    start = time.perf_counter()
    for _ in range(repeat):
        for page in pages:
            run(page)
    return repeat * len(pages) / (time.perf_counter() - start)


def _summary(results: Sequence[Result]) -> tuple[float, float, float, int]:
    """Mean F1, title and date exact rates, and the count of pages with leftovers."""
    n = len(results) or 1
    return (
        sum(r.f1 for r in results) / n,
        sum(r.title_ok for r in results) / n,
        sum(r.date_ok for r in results) / n,
        sum(bool(r.leftovers) for r in results),
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timing repetitions (default 5)")
    args = parser.parse_args(argv)
    pages = load_corpus()
    ours, theirs = score(pages, noticewatch), score(pages, plain_trafilatura)

    # Same pages, same process; trafilatura gets text we decoded for it, we start from bytes.
    decoded = {page.file: decode_html(page.raw, page.content_type)[0] for page in pages}
    ours_speed = pages_per_second(pages, noticewatch, args.repeat)
    theirs_speed = pages_per_second(
        pages, lambda page: trafilatura.extract(decoded[page.file]), args.repeat
    )

    print(
        f"corpus: {len(pages)} pages, {len({p.style for p in pages})} styles; timing x{args.repeat}"
    )
    print(f"{'':22}{'noticewatch':>14}{'trafilatura':>14}")
    rows = zip(
        ("body F1 (mean)", "title exact", "date exact", "pages w/ leftovers"),
        _summary(ours),
        _summary(theirs),
        strict=True,
    )
    for label, mine, other in rows:
        fmt = "{:>14d}" if isinstance(mine, int) else "{:>14.3f}"
        print(f"{label:22}{fmt.format(mine)}{fmt.format(other)}")
    print(f"{'pages/second':22}{ours_speed:>14.1f}{theirs_speed:>14.1f}")
    print(f"speed ratio (noticewatch / trafilatura): {ours_speed / theirs_speed:.2f}x")

    print("\nper style            n   F1 nw / tf     title nw / tf   date nw / tf")
    by_style: dict[str, list[tuple[Result, Result]]] = defaultdict(list)
    for mine, other in zip(ours, theirs, strict=True):
        by_style[mine.page.style].append((mine, other))
    for style, pairs in sorted(by_style.items()):
        nw, tf = _summary([p[0] for p in pairs]), _summary([p[1] for p in pairs])
        print(
            f"{style:18}{len(pairs):4}   {nw[0]:.3f} / {tf[0]:.3f}   {nw[1]:.2f} / {tf[1]:.2f}"
            f"     {nw[2]:.2f} / {tf[2]:.2f}"
        )

    flagged = [r for r in ours if r.f1 < LOW_F1 or not r.title_ok or not r.date_ok or r.leftovers]
    print(f"\nnoticewatch pages to look at ({len(flagged)}):")
    for r in flagged:
        notes = [f"F1 {r.f1:.3f}"] if r.f1 < LOW_F1 else []
        notes += ["title"] * (not r.title_ok) + ["date"] * (not r.date_ok)
        notes += [f"leftovers {r.leftovers}"] * bool(r.leftovers)
        print(f"  {r.page.file}: {', '.join(notes)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
