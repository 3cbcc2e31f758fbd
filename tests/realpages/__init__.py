"""Real notice and list pages from public repositories, labelled by hand.

``manifest.json`` names each page's repository, pinned commit, path, sha256 and licence;
``labels/<id>.json`` says what a careful reader finds on it. The pages themselves are
not committed: ``python tests/realpages/rebuild.py`` writes them into ``pages/``; pages
are also read from ``shared/realpages/pages`` beside the project (where a steering
session can keep the pages of repositories whose licence allows redistribution).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from monitor.extract import ExtractedNotice, extract_notice

REALPAGES_DIR = Path(__file__).resolve().parent
PAGES_DIR = REALPAGES_DIR / "pages"
SHARED_PAGES_DIR = REALPAGES_DIR.parents[2] / "shared" / "realpages" / "pages"
MISSING = "REAL PAGES MISSING: run tests/realpages/rebuild.py"


@dataclass(frozen=True)
class ManifestEntry:
    """Where one page comes from."""

    id: str
    kind: str  # "notice" or "list"
    repo: str
    commit: str
    path: str
    sha256: str
    url: str
    licence: str
    site: str

    @property
    def page_file(self) -> Path:
        """The rebuilt page: in ``pages/``, else in the shared folder (maybe absent)."""
        local = PAGES_DIR / f"{self.id}.html"
        shared = SHARED_PAGES_DIR / f"{self.id}.html"
        return shared if not local.exists() and shared.exists() else local

    @property
    def redistributable(self) -> bool:
        """Whether the repository's licence lets its pages be passed on."""
        return not self.licence.startswith("none")


@dataclass(frozen=True)
class Attachment:
    name: str
    url: str


@dataclass(frozen=True)
class RealNotice:
    """A notice page and its hand label (``date`` is ``YYYY-MM-DD`` or None)."""

    entry: ManifestEntry
    raw: bytes
    title: str
    date: str | None
    body: str
    attachments: tuple[Attachment, ...]
    list_date: str | None = None

    def extract(self) -> ExtractedNotice:
        """What noticewatch extracts, given what the crawler would give it."""
        listed = date.fromisoformat(self.list_date) if self.list_date else None
        return extract_notice(self.raw, self.entry.url, None, list_date=listed)


@dataclass(frozen=True)
class RealList:
    """A list page and its hand label: the notice links and the next page."""

    entry: ManifestEntry
    raw: bytes
    links: tuple[str, ...]
    next_page: str | None


@cache
def load_manifest() -> tuple[ManifestEntry, ...]:
    rows = json.loads((REALPAGES_DIR / "manifest.json").read_text(encoding="utf-8"))
    return tuple(ManifestEntry(**row) for row in rows)


def _label(entry: ManifestEntry) -> dict:
    return json.loads((REALPAGES_DIR / "labels" / f"{entry.id}.json").read_text("utf-8"))


def pages_missing() -> list[str]:
    """Ids of the pages not (yet) rebuilt on this machine."""
    return [entry.id for entry in load_manifest() if not entry.page_file.exists()]


def load_notices() -> list[RealNotice]:
    """Every labelled notice page whose bytes are here."""
    found = []
    for entry in load_manifest():
        if entry.kind != "notice" or not entry.page_file.exists():
            continue
        label = _label(entry)
        attachments = tuple(Attachment(**a) for a in label["attachments"])
        found.append(
            RealNotice(
                entry=entry,
                raw=entry.page_file.read_bytes(),
                title=label["title"],
                date=label["date"],
                body=label["body"],
                attachments=attachments,
                list_date=label.get("list_date"),
            )
        )
    return found


def load_lists() -> list[RealList]:
    """Every labelled list page whose bytes are here."""
    found = []
    for entry in load_manifest():
        if entry.kind != "list" or not entry.page_file.exists():
            continue
        label = _label(entry)
        raw = entry.page_file.read_bytes()
        found.append(RealList(entry, raw, tuple(label["links"]), label["next_page"]))
    return found


def notice(page_id: str) -> RealNotice:
    """One notice page by id (the page must be rebuilt)."""
    return next(page for page in load_notices() if page.entry.id == page_id)


def list_page(page_id: str) -> RealList:
    """One list page by id (the page must be rebuilt)."""
    return next(page for page in load_lists() if page.entry.id == page_id)


def require_licensed_pages() -> None:
    """Skip the calling test, loudly, when no page of a licensed repository is here."""
    import pytest

    licensed = [e for e in load_manifest() if e.redistributable]
    missing = [e.id for e in licensed if not e.page_file.exists()]
    if missing:
        pytest.skip(f"{MISSING} ({len(missing)} of {len(licensed)} licensed pages absent)")


def require_pages() -> None:
    """Skip the calling test, loudly, when the real pages are not rebuilt here."""
    import pytest

    missing = pages_missing()
    if missing:
        pytest.skip(f"{MISSING} ({len(missing)} of {len(load_manifest())} pages absent)")
