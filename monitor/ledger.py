"""A crawl run's bookkeeping: where the counts of its pages add up until the run is closed.

The :class:`~monitor.recorder.Recorder` records every page into the
:class:`RunState` that its ledger hands out, and closes a run from the
ledger's totals. :class:`LocalLedger` keeps each run in this process (a
one-off crawl, a daemon's crawl child). The Redis ledger of
:mod:`monitor.distributed.tally` sums the pages of a run crawled by several
workers.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from typing import Protocol

from monitor.config import Source
from spiders.items import FetchProblem, ListEntry
from storage.models import CrawlRun


@dataclass
class RunState:
    """What one source's crawl has seen so far (or, in a ledger's page, what one page added)."""

    source: Source
    run_id: int
    baseline: bool
    list_pages: int = 0
    list_status: int | None = None
    list_not_modified: bool = False
    entries: dict[str, ListEntry] = field(default_factory=dict)
    details: int = 0
    extract_failures: int = 0
    new: int = 0
    changed: int = 0
    problems: list[FetchProblem] = field(default_factory=list)
    list_etag: str | None = None
    list_modified: str | None = None
    stopped: bool = False  # the crawl was cut short (shutdown, signal)
    deferred: int = 0  # new notices whose page failed this time: pending, fetched again later
    finished: CrawlRun | None = None


class RunLedger(Protocol):
    def open(self, state: RunState) -> None:
        """A run begins: ``state`` is empty."""

    def page(self, source_id: str) -> AbstractContextManager[RunState]:
        """The state to record one page of the source's current run into."""

    def totals(self, source_id: str) -> RunState:
        """Everything the source's current run has recorded (to close it)."""


class LocalLedger:
    """Every run in this process: one state per source, pages recorded straight into it."""

    def __init__(self) -> None:
        self.runs: dict[str, RunState] = {}

    def open(self, state: RunState) -> None:
        self.runs[state.source.id] = state

    @contextmanager
    def page(self, source_id: str) -> Iterator[RunState]:
        yield self.runs[source_id]

    def totals(self, source_id: str) -> RunState:
        return self.runs[source_id]
