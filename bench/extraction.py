"""Extraction benchmark: noticewatch vs plain trafilatura on the labelled corpus.

Run from the project root: ``python bench/extraction.py [--repeat N]``. Prints body
character F1 (LCS-based, whitespace removed), title and date exact-match rates, pages
per second and speed ratios (whole corpus and the ``generic-*`` pages alone), a
per-style breakdown, and the pages that need a look (F1 below 0.9, wrong title or date,
pinyin or spam leftovers). Three extractors: noticewatch; its general path alone
("general": CMS containers ignored, so every page is read as an unknown site); plain
trafilatura.

Then the real-page corpus (``tests/realpages``, rebuilt by its ``rebuild.py``): body F1,
title and date exact rates, labelled attachments found (noticewatch vs plain
trafilatura; the same for the pages of licensed repositories alone, the subset the CI
gate holds), and on the real list pages the notice-link F1 and next-page exact rate of
link discovery, with the pages below par.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import trafilatura  # noqa: E402

from monitor.extract.metrics import body_score, leftovers, same_title  # noqa: E402
from spiders.encoding import decode_html  # noqa: E402
from tests.corpus import CorpusPage, load_corpus  # noqa: E402
from tests.realpages import MISSING, load_lists, load_notices, pages_missing  # noqa: E402
from tests.realpages.scoring import (  # noqa: E402
    noticewatch as real_noticewatch,
)
from tests.realpages.scoring import (  # noqa: E402
    plain_trafilatura as real_trafilatura,
)
from tests.realpages.scoring import score_lists, score_notices, summarise  # noqa: E402

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


def noticewatch(page: CorpusPage, cms_containers: bool = True) -> Output:
    """Our extractor, given what the crawler would give it."""
    notice = page.extract(cms_containers)
    published = notice.published.isoformat() if notice.published else None
    return Output(notice.title, published, notice.text)


def general_path(page: CorpusPage) -> Output:
    """Our extractor with the CMS containers ignored: the path unknown sites take."""
    return noticewatch(page, cms_containers=False)


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


def seconds(
    pages: Sequence[CorpusPage], runs: Sequence[Callable[[CorpusPage], object]], repeat: int
) -> list[float]:
    """Seconds each run spends on the pages, rounds interleaved so load changes hit all."""
    for page in pages:  # warm-up: lazy imports, dictionaries, caches
        for run in runs:
            run(page)
    spent = [0.0] * len(runs)
    for _ in range(repeat):
        for index, run in enumerate(runs):
            start = time.perf_counter()
            for page in pages:
                run(page)
            spent[index] += time.perf_counter() - start
    return spent


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
    results = [score(pages, run) for run in (noticewatch, general_path, plain_trafilatura)]

    print(
        f"corpus: {len(pages)} pages, {len({p.style for p in pages})} styles; timing x{args.repeat}"
    )
    print(f"{'':22}{'noticewatch':>14}{'general':>14}{'trafilatura':>14}")
    labels = ("body F1 (mean)", "title exact", "date exact", "pages w/ leftovers")
    for row, label in enumerate(labels):
        fmt = "{:>14d}" if row == len(labels) - 1 else "{:>14.3f}"
        print(f"{label:22}" + "".join(fmt.format(_summary(r)[row]) for r in results))
    _print_speeds(pages, args.repeat)

    print("\nper style            n   F1 nw / gp / tf        title nw / gp / tf  date nw / gp / tf")
    by_style: dict[str, list[tuple[Result, ...]]] = defaultdict(list)
    for row in zip(*results, strict=True):
        by_style[row[0].page.style].append(row)
    for style, rows in sorted(by_style.items()):
        summaries = [_summary(column) for column in zip(*rows, strict=True)]
        f1 = " / ".join(f"{s[0]:.3f}" for s in summaries)
        title = " / ".join(f"{s[1]:.2f}" for s in summaries)
        when = " / ".join(f"{s[2]:.2f}" for s in summaries)
        print(f"{style:18}{len(rows):4}   {f1}   {title}    {when}")

    _print_flagged("noticewatch", results[0])
    _print_flagged("general path", results[1])
    _print_real_pages()
    return 0


def _print_real_pages() -> None:
    """The real-page corpus: notice fields and list links, with the pages below par."""
    missing = pages_missing()
    if missing:
        print(f"\n{MISSING} ({len(missing)} pages absent)")
    notices, lists = load_notices(), load_lists()
    if not notices:
        return
    ours, theirs = (
        score_notices(notices, real_noticewatch),
        score_notices(notices, real_trafilatura),
    )
    sites = len({p.entry.site for p in notices} | {p.entry.site for p in lists})
    print(f"\nreal pages: {len(notices)} notices, {len(lists)} lists, {sites} sites")
    print(f"{'':22}{'noticewatch':>14}{'trafilatura':>14}")
    a, b = summarise(ours), summarise(theirs)
    for label, x, y in (("body F1 (mean)", a.f1, b.f1), ("title exact", a.title, b.title),
                        ("date exact", a.date, b.date)):  # fmt: skip
        print(f"{label:22}{x:>14.3f}{y:>14.3f}")
    found = f"{a.attachments_found}/{a.attachments_total}"
    print(f"{'attachments found':22}{found:>14}{'-':>14}")
    licensed = [i for i, s in enumerate(ours) if s.page.entry.redistributable]
    if licensed:
        la = summarise([ours[i] for i in licensed])
        lb = summarise([theirs[i] for i in licensed])
        print(f"of which licensed ({len(licensed)} notices, the CI gate's subset):")
        for label, x, y in (("  body F1 (mean)", la.f1, lb.f1), ("  title exact", la.title, lb.title),
                            ("  date exact", la.date, lb.date)):  # fmt: skip
            print(f"{label:22}{x:>14.3f}{y:>14.3f}")
    links = score_lists(lists)
    if links:
        print(f"{'list links F1 (mean)':22}{sum(s.f1 for s in links) / len(links):>14.3f}{'-':>14}")
        print(f"{'next page exact':22}{sum(s.next_ok for s in links) / len(links):>14.3f}{'-':>14}")
    print("\nreal pages to look at:")
    for s in ours:
        notes = [f"F1 {s.f1:.3f}"] if s.f1 < LOW_F1 else []
        notes += ["title"] * (not s.title_ok) + ["date"] * (not s.date_ok)
        if s.attachments_found < len(s.page.attachments):
            notes.append(f"attachments {s.attachments_found}/{len(s.page.attachments)}")
        if notes:
            print(f"  {s.page.entry.id}: {', '.join(notes)}")
    for ls in links:
        if ls.f1 < 1 or not ls.next_ok:
            note = f"links P {ls.precision:.2f} R {ls.recall:.2f}" + ", next" * (not ls.next_ok)
            print(f"  {ls.page.entry.id}: {note}")


def _print_speeds(pages: Sequence[CorpusPage], repeat: int) -> None:
    """Pages per second of the three extractors, on the corpus and on its generic pages."""
    # Same pages, same process; trafilatura gets text we decoded for it, we start from bytes.
    decoded = {page.file: decode_html(page.raw, page.content_type)[0] for page in pages}
    runs = (noticewatch, general_path, lambda page: trafilatura.extract(decoded[page.file]))
    subsets = {"corpus": pages, "generic-*": [p for p in pages if p.style.startswith("generic-")]}
    for name, subset in subsets.items():
        if not subset:
            continue
        rates = [repeat * len(subset) / spent for spent in seconds(subset, runs, repeat)]
        print(f"{'pages/s, ' + name:22}" + "".join(f"{rate:>14.1f}" for rate in rates))
        ratios = "".join(f"{rate / rates[2]:>13.2f}x" for rate in rates[:2])
        print(f"{'  speed vs trafilatura':22}{ratios}")


def _print_flagged(name: str, results: Sequence[Result]) -> None:
    flagged = [
        r for r in results if r.f1 < LOW_F1 or not r.title_ok or not r.date_ok or r.leftovers
    ]
    print(f"\n{name} pages to look at ({len(flagged)}):")
    for r in flagged:
        notes = [f"F1 {r.f1:.3f}"] if r.f1 < LOW_F1 else []
        notes += ["title"] * (not r.title_ok) + ["date"] * (not r.date_ok)
        notes += [f"leftovers {r.leftovers}"] * bool(r.leftovers)
        print(f"  {r.page.file}: {', '.join(notes)}")


if __name__ == "__main__":
    raise SystemExit(main())
