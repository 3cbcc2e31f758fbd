"""Store what the spiders yield: one crawl run per source, notices, events, outbox.

Scrapy-free: :mod:`monitor.pipeline` hands the items over (crawler signals).
A run's counts are kept by a :class:`~monitor.ledger.RunLedger`: in this
process, or summed in Redis over several workers.
Every page is recorded in its own transaction, so a crash loses at most the
page in flight and a broken page never stops the others. Every notice link a
list page shows is stored or pending (:mod:`monitor.pending`) before the list
counts as read; a database error makes the run a ``storage_error``, never "ok".
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from monitor import changes, pending
from monitor.attachments import store as files
from monitor.changes import Fetched, SuspectFetch
from monitor.config import Config, Source
from monitor.events import COUNTED
from monitor.extract import Attachment, ExtractedNotice, canonical_kind, extract_notice
from monitor.extract.dates import parse_cn_date
from monitor.health import classify_run, health_events, stale_error, unreachable_event
from monitor.ledger import LocalLedger, RunLedger, RunState
from monitor.notify.outbox import enqueue
from monitor.owners import process_owner
from monitor.revisit import restart_retitled, revisit_targets
from monitor.robots_memory import origin_of, remember_robots, remembered_robots
from spiders.items import (
    DetailPage,
    FetchProblem,
    FileWanted,
    KnownNotice,
    ListEntry,
    ListPage,
    ListsFound,
    ProblemKind,
)
from spiders.notice_spider import ListSpec
from storage.db import utcnow
from storage.models import CrawlRun, Event, Notice
from storage.models import Source as SourceRow
from storage.states import NoticeStatus, RunOutcome

log = logging.getLogger(f"noticewatch.{__name__}")


@dataclass(frozen=True)
class RunStart:
    """A crawl run just opened: its state, the known notices to re-check, the spider's spec."""

    state: RunState
    recheck: list[KnownNotice]
    spec: ListSpec


class Recorder:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        config: Config,
        observer: Callable[[RunState], None] | None = None,
        ledger: RunLedger | None = None,
        fetch_files: bool = False,
    ) -> None:
        self.sessions = sessions
        self.config = config
        self.observer = observer
        self.ledger = ledger or LocalLedger()
        # attachments are handed back to the spider (monitor.pipeline) before a page is stored
        self.fetch_files = fetch_files and bool(config.attachments.kinds)

    def _notify_observer(self, state: RunState) -> None:
        if self.observer:
            self.observer(state)

    # -- before the crawl ---------------------------------------------------
    def begin(self, source: Source) -> RunStart:
        """Mirror the source into the database and open its crawl run."""
        return self.begin_all([source])[0]

    def begin_all(self, sources: Sequence[Source]) -> list[RunStart]:
        """Mirror the sources into the database and open their crawl runs: a few statements
        for every ``BEGIN_CHUNK`` sources, each chunk in one transaction."""
        starts: list[RunStart] = []
        for first in range(0, len(sources), BEGIN_CHUNK):
            with self.sessions.begin() as session:
                starts += self._begin_chunk(session, sources[first : first + BEGIN_CHUNK])
        for start in starts:
            self.ledger.open(start.state)
        return starts

    def _begin_chunk(self, session: Session, sources: Sequence[Source]) -> list[RunStart]:
        ids = [source.id for source in sources]
        rows = {
            row.id: row for row in session.scalars(select(SourceRow).where(SourceRow.id.in_(ids)))
        }
        now = utcnow()
        for source in sources:
            row = rows.get(source.id)
            if row is None:
                row = rows[source.id] = SourceRow(id=source.id, created_at=now)
                session.add(row)
            if row.url != source.url:
                row.list_etag = row.list_last_modified = None
            row.name, row.url = source.name, source.url
            if row.tags != list(source.tags):
                row.tags = list(source.tags)
        session.flush()
        complete = _last_run_complete(session, ids)
        owner = process_owner()
        runs = [CrawlRun(source_id=source.id, started_at=now, owner=owner) for source in sources]
        session.add_all(runs)
        session.flush()
        crawl = self.config.crawl
        recheck = revisit_targets(session, sources, crawl, now)
        if self.fetch_files:  # notices with a file to download again: read unconditionally
            for source_id, again in files.due(session, ids, now).items():
                urls = {known.url for known in again}
                recheck[source_id] = [
                    k for k in recheck.get(source_id, []) if k.url not in urls
                ] + again
        retry = pending.due(session, ids, now)
        fresh_since = now - timedelta(seconds=crawl.robots_lifetime)
        robots = remembered_robots(session, (source.url for source in sources), fresh_since)
        starts = []
        for source, run in zip(sources, runs, strict=True):
            row = rows[source.id]
            spec = ListSpec(
                source_id=source.id,
                url=source.url,
                link_selector=source.link_selector,
                allow_offsite=source.allow_offsite,
                allow_private=source.allow_private,
                max_pages=source.max_pages,
                encoding=source.encoding,
                obey_robots=source.obey_robots,
                list_etag=row.list_etag,
                list_last_modified=row.list_last_modified,
                deep=not complete.get(source.id, False),
                retry=tuple(retry.get(source.id, ())),
                columns=source.columns,
                found_lists=found_lists_of(row, source),
                list_api=source.list_api,
                api=source.api,
                render=source.render,
                render_details=source.render_details,
                robots=_robots_of(robots, source.url),
                file_max_bytes=self.config.attachments.max_bytes,
            )
            state = RunState(source, run.id, baseline=not row.baseline_done)
            starts.append(RunStart(state, recheck.get(source.id, []), spec))
        return starts

    def known(self, urls: list[str]) -> dict[str, KnownNotice]:
        """Which of ``urls`` are stored already or pending (the spider's lookup)."""
        with self.sessions() as session:
            rows = session.execute(
                select(Notice.url, Notice.etag, Notice.last_modified, Notice.status).where(
                    Notice.url.in_(urls)
                )
            )
            known = {
                url: KnownNotice(url, etag, modified, recheck=status == NoticeStatus.WITHDRAWN)
                for url, etag, modified, status in rows
            }
            waiting = pending.lookup(session, set(urls) - known.keys(), utcnow())
        known |= {url: KnownNotice(url, recheck=due, pending=True) for url, due in waiting.items()}
        return known

    def keep_robots(self, origin: str, body: bytes) -> None:
        """A robots.txt the crawl just read: kept for the next crawls (``robots_lifetime``)."""
        try:
            with self.sessions.begin() as session:
                remember_robots(session, origin, body, utcnow())
        except SQLAlchemyError as exc:  # a cache: the next crawl asks the site again
            log.warning("robots.txt of %s not kept: %s", origin, exc)

    # -- items ----------------------------------------------------------------
    def on_list_page(self, item: ListPage) -> None:
        with self.ledger.page(item.source_id) as state:
            self._record_list_page(state, item)
        self._notify_observer(state)

    def _record_list_page(self, state: RunState, item: ListPage) -> None:
        state.list_pages += 1
        if item.number == 1:
            state.list_status = item.status
            state.list_not_modified = item.not_modified
        for entry in item.entries:
            state.entries.setdefault(entry.url, entry)
        with self._storing(state, item.url):
            with self.sessions.begin() as session:
                pending.remember(
                    session, item.source_id, item.entries, utcnow(), baseline=state.baseline
                )
                restart_retitled(session, item.entries)
            if item.number == 1:  # kept only once every entry of the page is stored or pending
                state.list_etag, state.list_modified = item.etag, item.last_modified
            for entry in item.entries:
                if entry.is_file:
                    self._record_file(state, entry)

    def on_lists_found(self, item: ListsFound) -> None:
        """Keep the lists found on a home-page source until they stop working."""
        with self.ledger.page(item.source_id) as state, self._storing(state, item.home_url):
            found = {
                "from": state.source.url,
                "columns": list(state.source.columns),
                "lists": [{"label": f.label, "url": f.url} for f in item.lists],
            }
            with self.sessions.begin() as session:
                row = session.get_one(SourceRow, item.source_id)
                if row.found_lists != found:
                    log.info(
                        "%s: notice lists found on %s: %s",
                        item.source_id,
                        item.home_url,
                        ", ".join(f"{f.label} {f.url}" for f in item.lists),
                    )
                    row.found_lists = found

    def on_detail(self, item: DetailPage) -> tuple[FileWanted, ...]:
        """Record a detail page; or, when its attachments are to be downloaded first, return
        them (the page comes back with ``files`` once they are)."""
        wanted: tuple[FileWanted, ...] = ()
        with self.ledger.page(item.source_id) as state:
            state.details += item.files is None
            with self._storing(state, item.url):
                wanted = self._record_detail(state, item)
        self._notify_observer(state)
        return wanted

    def _record_detail(self, state: RunState, item: DetailPage) -> tuple[FileWanted, ...]:
        if item.not_modified:
            return self._record_not_modified(state, item)
        entry = item.entry
        list_date = self._list_date(entry)
        try:
            notice = extract_notice(
                item.body,
                item.final_url,
                item.content_type,
                list_title=entry.title if entry else None,
                list_date=list_date,
                budget_seconds=self.config.crawl.extract_budget,
            )
        except Exception as exc:  # one broken page (or one too heavy) never stops the others
            state.extract_failures += 1
            problem = FetchProblem(
                item.source_id, item.url, ProblemKind.EXTRACT, f"{type(exc).__name__}: {exc}"
            )
            state.problems.append(problem)
            log.warning("%s: cannot extract %s: %s", item.source_id, item.url, exc)
            self._pending_failed(state, problem)
            return ()
        if self.fetch_files and item.files is None and not state.baseline:
            with self.sessions() as session:
                wanted = files.wanted(
                    session, item.url, notice.attachments, self.config.attachments
                )
            if wanted:
                return wanted
        fetched = Fetched(
            source_id=item.source_id,
            url=item.url,
            notice=notice,
            fetched_at=utcnow(),
            etag=item.etag,
            last_modified=item.last_modified,
            list_title=entry.title if entry else None,
            list_date=list_date,
            page_url=item.final_url,
        )
        self._store(state, fetched, self._read_files(item, notice))
        return ()

    def _record_not_modified(self, state: RunState, item: DetailPage) -> tuple[FileWanted, ...]:
        """An unchanged (304) page; its files are checked again (conditionally): a file
        replaced under the same link is a change of the notice."""
        stored = None
        if self.fetch_files:
            with self.sessions() as session:
                stored = files.stored_notice(session, item.url)
                if stored is not None and item.files is None:
                    settings = self.config.attachments
                    wanted = files.wanted(session, item.url, stored.attachments, settings)
                    if wanted:
                        return wanted
        outcomes = self._read_files(item, stored) if stored is not None else ()
        if stored is not None and any(not outcome.not_modified for outcome in outcomes):
            fetched = Fetched(
                item.source_id,
                item.url,
                stored,
                utcnow(),
                item.etag,
                item.last_modified,
                page_url=item.final_url,
            )
            self._store(state, fetched, outcomes)
            return ()
        with self.sessions.begin() as session:
            changes.record_not_modified(session, item.url, utcnow())
        return ()

    def _read_files(
        self, item: DetailPage, notice: ExtractedNotice
    ) -> tuple[files.FileOutcome, ...]:
        if not item.files:
            return ()
        try:
            with self.sessions() as session:
                settings = self.config.attachments
                return files.read_all(session, item.files, notice.attachments, settings)
        except SQLAlchemyError:
            raise
        except Exception as exc:  # a fault of ours in reading files never costs the notice
            log.exception("%s: cannot read the files of %s", item.source_id, item.url)
            reason = f"cannot read it: {type(exc).__name__}: {exc}"[:300]
            return tuple(files.FileOutcome(f.url, f.url, "file", error=reason) for f in item.files)

    def on_problem(self, item: FetchProblem) -> None:
        log.info("%s: %s %s: %s", item.source_id, item.kind, item.url, item.message)
        with self.ledger.page(item.source_id) as state:
            self._record_problem(state, item)

    def _record_problem(self, state: RunState, item: FetchProblem) -> None:
        state.problems.append(item)
        if item.is_list:
            return
        with self._storing(state, item.url):
            self._pending_failed(state, item)
            if item.status in (404, 410):
                with self.sessions.begin() as session:
                    for event in changes.record_gone(session, item.url, utcnow(), state.run_id):
                        self._publish(session, state, event)

    def stopped(self, source_id: str) -> None:
        """The crawl is being cut short: its run ends ``interrupted``, whatever it read."""
        with self.ledger.page(source_id) as state:
            state.stopped = True

    # -- after the crawl ------------------------------------------------------
    def finish(self, source_id: str) -> CrawlRun:
        """Close the source's crawl run with its outcome; end its baseline when healthy.

        When the run cannot be recorded (the database is locked or full), nothing of it is
        (the source keeps its validators and baseline state) and the run returned, not
        stored, is a ``storage_error`` saying so; the next crawl takes the run as cut short.
        """
        state = self.ledger.totals(source_id)
        try:
            return self._record_finish(state)
        except SQLAlchemyError as exc:
            reason = f"the run could not be recorded: {_first_line(exc)}"
            log.error("%s: %s", source_id, reason)
            run = CrawlRun(source_id=source_id, outcome=RunOutcome.STORAGE_ERROR, error=reason)
            run.http_status, run.list_pages = state.list_status, state.list_pages
            run.links_found, run.requests = len(state.entries), state.list_pages + state.details
            run.new_count = run.changed_count = 0  # nothing of this run was kept
            state.finished = run
            self._notify_observer(state)
            return run

    def finish_all(self, source_ids: Sequence[str]) -> None:
        """Close the runs of sources finished together in one transaction (a quiet batch
        closes hundreds); when that fails, each on its own, as :meth:`finish` does."""
        states = [self.ledger.totals(source_id) for source_id in source_ids]
        states = [state for state in states if state.finished is None]
        try:
            with self.sessions.begin() as session:
                runs = session.scalars(
                    select(CrawlRun).where(CrawlRun.id.in_([s.run_id for s in states]))
                )
                rows = session.scalars(
                    select(SourceRow).where(SourceRow.id.in_([s.source.id for s in states]))
                )
                by_run, by_source = {r.id: r for r in runs}, {r.id: r for r in rows}
                closed = [
                    self._close_run(session, s, by_run[s.run_id], by_source[s.source.id])
                    for s in states
                ]
        except SQLAlchemyError:
            for state in states:
                self.finish(state.source.id)
            return
        for state, run in zip(states, closed, strict=True):
            state.finished = run
            self._notify_observer(state)

    def _record_finish(self, state: RunState) -> CrawlRun:
        with self.sessions.begin() as session:
            run = session.get_one(CrawlRun, state.run_id)
            source = session.get_one(SourceRow, state.source.id)
            run = self._close_run(session, state, run, source)
        state.finished = run
        self._notify_observer(state)
        return run

    def _close_run(
        self, session: Session, state: RunState, run: CrawlRun, source: SourceRow
    ) -> CrawlRun:
        """Write the run's outcome and counts, the source's baseline, validators and failure
        streak, and its health events (in the caller's transaction)."""
        source_id = state.source.id
        outcome, error = classify_run(state)
        run.finished_at = utcnow()
        run.outcome, run.error = outcome, error
        run.http_status = state.list_status
        run.list_pages = state.list_pages
        run.links_found = len(state.entries)
        run.details_fetched = state.details
        run.requests = state.list_pages + state.details + len(state.problems)
        run.new_count, run.changed_count = state.new, state.changed
        run.problems = [
            {"url": p.url, "kind": p.kind, "status": p.status, "message": p.message}
            for p in state.problems
        ][:50]
        run.complete = outcome == RunOutcome.OK and not any(p.is_list for p in state.problems)
        if outcome == RunOutcome.OK:
            if not source.baseline_done:
                done = run.complete or _ok_runs(session, source_id) >= BASELINE_RUNS
                source.baseline_done = done
            if state.list_etag or state.list_modified:
                source.list_etag, source.list_last_modified = state.list_etag, state.list_modified
            stale = stale_error(session, source_id, state.source.stale_days, utcnow())
            if stale:
                run.outcome, run.error = RunOutcome.STALE, stale
        for event in health_events(source, run, state.source.failure_threshold):
            session.add(event)
            session.flush()
            enqueue(session, event, state.source, self.config.subscriptions)
        return run

    # -- helpers --------------------------------------------------------------
    def _list_date(self, entry: ListEntry | None) -> date | None:
        if entry is None or not entry.date_text:
            return None
        return parse_cn_date(entry.date_text)

    def _record_file(self, state: RunState, entry: ListEntry) -> None:
        with self.sessions() as session:
            if session.scalar(select(Notice.id).where(Notice.url == entry.url)):
                return
        kind = canonical_kind(entry.url, entry.title) or "file"
        notice = ExtractedNotice(
            title=entry.title,
            published=self._list_date(entry),
            text="",
            attachments=[Attachment(entry.title, entry.url, kind)],
            title_simple=entry.title,
        )
        self._store(
            state, Fetched(state.source.id, entry.url, notice, utcnow(), list_title=entry.title)
        )

    @contextmanager
    def _storing(self, state: RunState, url: str) -> Iterator[None]:
        """Record a database failure as the run's problem: the page is read again next time."""
        try:
            yield
        except SQLAlchemyError as exc:
            message = f"cannot store: {_first_line(exc)}"
            first = not any(p.kind == ProblemKind.STORAGE for p in state.problems)
            state.problems.append(FetchProblem(state.source.id, url, ProblemKind.STORAGE, message))
            # once per run: a full disk or a lock fails every page alike, the summary counts them
            log.log(
                logging.ERROR if first else logging.DEBUG,
                "%s: %s: %s",
                state.source.id,
                url,
                message,
            )

    def _pending_failed(self, state: RunState, problem: FetchProblem) -> None:
        """Count a failed fetch of a pending link; report it once when it is given up."""
        crawl = self.config.crawl
        with self.sessions.begin() as session:
            row = pending.record_failure(
                session,
                problem.url,
                f"{problem.kind}: {problem.message}",
                utcnow(),
                give_up_after=crawl.give_up_after,
                first_delay=crawl.pending_retry_delay,
            )
            if row is None:
                return
            if row.gave_up_at is None:
                state.deferred += 1
                return
            state.problems.append(
                FetchProblem(
                    state.source.id,
                    row.url,
                    ProblemKind.GAVE_UP,
                    f"given up after {row.attempts} failed fetches: {row.last_error}",
                )
            )
            event = unreachable_event(row, state.run_id)
            session.add(event)
            session.flush()
            enqueue(session, event, state.source, self.config.subscriptions)

    def _store(
        self,
        state: RunState,
        fetched: Fetched,
        outcomes: tuple[files.FileOutcome, ...] = (),
        attempts: int = 2,
    ) -> None:
        try:
            with self.sessions.begin() as session:
                seen_in_baseline = pending.resolve(session, fetched.url)
                now = utcnow()
                if outcomes:
                    found = files.contents(
                        session, fetched.url, outcomes, self.config.attachments, now
                    )
                    fetched = replace(fetched, contents=found)
                events = changes.record_fetched(
                    session,
                    fetched,
                    baseline=state.baseline or bool(seen_in_baseline),
                    run_id=state.run_id,
                    policy=self.config.changes,
                )
                if outcomes:
                    notice_id = session.scalar(select(Notice.id).where(Notice.url == fetched.url))
                    assert notice_id is not None
                    attachments = fetched.notice.attachments
                    files.remember(
                        session, notice_id, attachments, outcomes, found, now, self.config.crawl
                    )
                for event in events:
                    self._publish(session, state, event)
        except IntegrityError:
            # Another worker stored the same URL first: the retry sees it as known.
            if attempts <= 1:
                raise
            self._store(state, fetched, outcomes, attempts - 1)
        except SuspectFetch as exc:
            state.problems.append(
                FetchProblem(state.source.id, fetched.url, ProblemKind.SUSPECT, str(exc))
            )
            with self.sessions.begin() as session:
                changes.record_suspect(session, fetched.url)
            return
        for outcome in outcomes:  # the notice is stored: its files' problems are the run's
            if outcome.problem:
                message = f"attachment {outcome.name}: {outcome.problem}"
                log.warning("%s: %s: %s", state.source.id, outcome.url, message)
                state.problems.append(
                    FetchProblem(state.source.id, outcome.url, ProblemKind.ATTACHMENT, message)
                )

    def _publish(self, session: Session, state: RunState, event: Event) -> None:
        """Count the event and write its outbox rows in the same transaction."""
        if event.kind in COUNTED:
            setattr(state, event.kind, getattr(state, event.kind) + 1)
        enqueue(session, event, state.source, self.config.subscriptions)


def found_lists_of(row: SourceRow, source: Source) -> tuple[str, ...]:
    """The list URLs found on the source's page before, while the source still asks for them."""
    found = row.found_lists or {}
    if found.get("from") != source.url or found.get("columns") != list(source.columns):
        return ()
    return tuple(entry["url"] for entry in found.get("lists", ()))


BEGIN_CHUNK = 500
"""Sources opened per transaction (and per ``IN (…)`` list) by ``Recorder.begin_all``."""


def _last_run_complete(session: Session, source_ids: list[str]) -> dict[str, bool]:
    """Whether each source's latest run ended complete (no run yet: absent)."""
    latest = (
        select(func.max(CrawlRun.id))
        .where(CrawlRun.source_id.in_(source_ids))
        .group_by(CrawlRun.source_id)
        .scalar_subquery()
    )
    rows = session.execute(
        select(CrawlRun.source_id, CrawlRun.complete).where(CrawlRun.id.in_(latest))
    )
    return {source_id: bool(complete) for source_id, complete in rows}


def _robots_of(robots: dict[str, bytes], url: str) -> dict[str, bytes]:
    """The remembered robots.txt of ``url``'s origin, as ``ListSpec.robots`` takes it."""
    origin = origin_of(url)
    return {origin: robots[origin]} if origin in robots else {}


BASELINE_RUNS = 3
"""A baseline that could not read every list page goes on (silently) through the next crawls,
which read deeper, until one reads them all, or this many have run: the notices found
meanwhile are old ones the first crawl missed, not new ones."""


def _ok_runs(session: Session, source_id: str) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(CrawlRun)
            .where(CrawlRun.source_id == source_id, CrawlRun.outcome == RunOutcome.OK)
        )
        or 0
    )


def _first_line(exc: SQLAlchemyError) -> str:
    """``OperationalError: (sqlite3.OperationalError) database is locked``, without the SQL."""
    cause = getattr(exc, "orig", None) or exc
    return f"{type(exc).__name__}: {(str(cause).splitlines() or [''])[0]}"[:300]
