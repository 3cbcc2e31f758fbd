"""What the notice spider yields: plain dataclasses, consumed by item pipelines."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


@dataclass(frozen=True)
class ListEntry:
    """One notice link found on a list page."""

    url: str
    title: str
    date_text: str | None = None
    is_file: bool = False  # the link is itself a document (pdf, doc ...), not a page


@dataclass(frozen=True)
class KnownNotice:
    """What the store knows of a URL, so the spider can skip it or ask conditionally."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    recheck: bool = False  # fetch the detail page again (conditional GET)
    pending: bool = False  # seen before but not stored yet: unseen for paging, fetched when due


@dataclass
class ListPage:
    source_id: str
    url: str
    number: int
    status: int
    entries: list[ListEntry] = field(default_factory=list)
    not_modified: bool = False
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class FoundList:
    """A notice list found on a home page: the column's name there, and its URL."""

    label: str
    url: str


@dataclass
class ListsFound:
    """The notice lists a home-page source follows, found (again) on ``home_url``."""

    source_id: str
    home_url: str
    lists: tuple[FoundList, ...]


@dataclass(frozen=True)
class FileWanted:
    """An attachment of a notice to download (conditionally when validators are known)."""

    url: str
    name: str
    kind: str
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class FetchedFile:
    """What downloading one attachment gave: its bytes, a 304, or why it failed."""

    url: str
    status: int | None = None
    body: bytes | None = None
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    error: str | None = None


@dataclass
class DetailPage:
    source_id: str
    url: str  # the URL as linked (canonical key)
    final_url: str  # after redirects
    status: int
    body: bytes
    content_type: str | None
    entry: ListEntry | None = None
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    files: tuple[FetchedFile, ...] | None = None  # its attachments, once they were downloaded


class ProblemKind(StrEnum):
    """Why a page did not give what it should (``FetchProblem.kind``)."""

    NETWORK = "network"  # no answer: refused, DNS, timeout, reset
    HTTP = "http"  # an HTTP error status, or an answer over the size limit
    BLOCKED = "blocked"  # a challenge, captcha or denial page
    CONTENT = "content"  # a list page that is not HTML
    CONFIG = "config"  # robots.txt forbids it, or a bad link_selector
    EXTRACT = "extract"  # the page could not be extracted
    STORAGE = "storage"  # the database failed to store it
    SUSPECT = "suspect"  # truncated, empty or an error page: not taken as an edit
    GAVE_UP = "gave_up"  # a new notice's page failed give_up_after times
    NEEDS = "needs"  # a list with no links needs rendering or an API (spiders.page_needs)
    ATTACHMENT = "attachment"  # an attachment could not be downloaded or read (the notice is kept)


@dataclass
class FetchProblem:
    """A request that failed: network error, timeout, HTTP error, blocked, bad content."""

    source_id: str
    url: str
    kind: ProblemKind
    message: str
    status: int | None = None
    is_list: bool = False
