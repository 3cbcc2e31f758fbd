"""The labelled extraction corpus: raw detail pages plus what should come out.

``load_corpus()`` reads ``labels.json`` and the bytes of each page in
``pages/``. Regenerate both with ``python -m tests.corpus.build``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from monitor.extract import ExtractedNotice, extract_notice

CORPUS_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class CorpusPage:
    """One labelled page.

    ``raw`` holds the bytes as served (GBK or UTF-8) and ``content_type`` the
    HTTP header they came with (its charset may be missing or wrong;
    ``encoding`` is the true one). ``body`` is the expected clean text,
    paragraphs joined by "\\n"; ``date`` is "YYYY-MM-DD" or None.
    ``list_title``/``list_date`` are what the site's list row shows, if known.
    """

    file: str
    url: str
    content_type: str
    encoding: str
    style: str
    title: str
    date: str | None
    body: str
    raw: bytes
    list_title: str | None = None
    list_date: str | None = None

    def extract(self, cms_containers: bool = True) -> ExtractedNotice:
        """What noticewatch extracts, given what the crawler would give it."""
        return extract_notice(
            self.raw,
            self.url,
            self.content_type,
            list_title=self.list_title,
            list_date=date.fromisoformat(self.list_date) if self.list_date else None,
            cms_containers=cms_containers,
        )


def load_corpus(directory: Path = CORPUS_DIR) -> list[CorpusPage]:
    """Every labelled page, in file order."""
    labels = json.loads((directory / "labels.json").read_text(encoding="utf-8"))
    return [
        CorpusPage(raw=(directory / "pages" / label["file"]).read_bytes(), **label)
        for label in labels
    ]
