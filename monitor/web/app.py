"""The read-only web UI, Atom feeds and JSON API as one Starlette application.

Handlers are plain (sync) functions: Starlette runs them in its thread pool, each with
its own short database session, so a crawl writing meanwhile (SQLite WAL) never blocks
a page. Every route only reads; :mod:`monitor.web.guard` refuses other methods.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from monitor.config import Config
from monitor.web import api, feeds, queries
from monitor.web.diffview import diff_rows
from monitor.web.filters import (
    PAGE_SIZE,
    BadRequest,
    filter_params,
    notice_filter,
    page_of,
    query_string,
)
from monitor.web.guard import Guard
from monitor.web.render import templates
from monitor.web.snippets import highlight, snippet
from storage.db import open_database
from storage.models import Notice
from storage.states import DeliveryStatus

FEED_ENTRIES = 50
SOURCE_SORTS: dict[str, Callable[[queries.SourceHealth], Any]] = {
    "id": lambda h: h.status.source.id,
    "last_run": lambda h: h.status.last_run.started_at if h.status.last_run else datetime.min,
    "outcome": lambda h: h.status.last_run.outcome if h.status.last_run else "",
    "failures": lambda h: h.status.consecutive_failures,
    "next_run": lambda h: (
        h.status.next_run.replace(tzinfo=None) if h.status.next_run else datetime.max
    ),
    "notices": lambda h: h.status.notices,
    "last_new": lambda h: h.last_new or datetime.min,
}


class WebApp:
    """The handlers, sharing the config, a session factory and the templates."""

    def __init__(self, config: Config, sessions: sessionmaker[Session]) -> None:
        self.config, self.sessions, self.zone = config, sessions, config.zone
        self.templates = templates(self.zone)

    # -- helpers ------------------------------------------------------------------------

    def page(self, request: Request, name: str, code: int = 200, **context: Any) -> Response:
        feed = context.pop("feed", "/feed.atom")
        body = self.templates.get_template(name).render(request=request, feed=feed, **context)
        return Response(body, code, media_type="text/html; charset=utf-8")

    def _filter(self, request: Request):
        params = request.query_params
        return notice_filter(params, self.config), *page_of(params)

    # -- pages --------------------------------------------------------------------------

    def index(self, request: Request) -> Response:
        f, page, size = self._filter(request)
        with self.sessions() as session:
            result = queries.notice_page(session, f, page, size)
            versions = queries.latest_versions(session, result.notices) if f.terms else {}
            context: dict[str, Any] = {
                "f": f,
                "result": result,
                "badges": queries.badges(session, result.notices),
                "reposts": queries.reposts(session, result.notices),
                "originals": queries.originals(session, result.notices),
                "names": queries.source_names(session, self.config),
                "tags": sorted({t for s in self.config.sources for t in s.tags}),
                "params": filter_params(f),
                "pager": filter_params(f) | ({"size": str(size)} if size != PAGE_SIZE else {}),
                "titles": {
                    n.id: highlight(n.title, versions[n.id].title_simple, f.terms)
                    for n in result.notices
                    if n.id in versions and len(versions[n.id].title_simple) == len(n.title)
                },
                "snippets": {
                    i: snippet(v.text, v.text_simple, f.terms) for i, v in versions.items()
                },
            }
        feed = "/feed.atom" + query_string(filter_params(f))
        return self.page(request, "index.html", feed=feed, **context)

    def notice(self, request: Request) -> Response:
        notice_id = request.path_params["notice_id"]
        with self.sessions() as session:
            notice = session.get(Notice, notice_id)
            if notice is None:
                raise HTTPException(404, f"没有编号为 {notice_id} 的通知")
            versions = list(notice.versions)
            original = (
                session.get(Notice, notice.duplicate_of_id) if notice.duplicate_of_id else None
            )
            first = original or notice
            copies = [n for n in queries.reposts(session, [first])[first.id] if n.id != notice.id]
            context: dict[str, Any] = {
                "notice": notice,
                "latest": versions[-1] if versions else None,
                "versions": versions,
                "diffs": [
                    (old, new, diff_rows(old.text, new.text))
                    for old, new in zip(versions, versions[1:], strict=False)
                ],
                "original": original,
                "copies": copies,
                "events": queries.notice_events(session, notice.id),
                "badges": queries.badges(session, [notice])[notice.id],
                "names": queries.source_names(session, self.config),
            }
        return self.page(request, "notice.html", **context)

    def sources(self, request: Request) -> Response:
        sort = request.query_params.get("sort", "id")
        if sort not in SOURCE_SORTS:
            raise BadRequest(f"sort: one of {', '.join(SOURCE_SORTS)}")
        descending = request.query_params.get("order") == "desc"
        with self.sessions() as session:
            health = queries.source_health(session, self.config)
        health.sort(key=SOURCE_SORTS[sort], reverse=descending)
        return self.page(request, "sources.html", health=health, sort=sort, descending=descending)

    def source(self, request: Request) -> Response:
        source_id = request.path_params["source_id"]
        if source_id not in self.config.source_ids:
            raise HTTPException(404, f"配置中没有信息源 {source_id}")
        with self.sessions() as session:
            health = next(
                h
                for h in queries.source_health(session, self.config)
                if h.status.source.id == source_id
            )
            runs = queries.recent_runs(session, source_id)
        return self.page(
            request,
            "source.html",
            health=health,
            runs=runs,
            feed=f"/sources/{source_id}/feed.atom",
        )

    def deliveries(self, request: Request) -> Response:
        status = request.query_params.get("status") or None
        if status is not None and status not in set(DeliveryStatus):
            raise BadRequest(f"status: one of {', '.join(DeliveryStatus)}")
        page, size = page_of(request.query_params)
        with self.sessions() as session:
            rows, has_next = queries.recent_deliveries(session, status, page, size)
            events = queries.delivery_events(session, rows)
        return self.page(
            request,
            "deliveries.html",
            rows=rows,
            events=events,
            status=status,
            statuses=list(DeliveryStatus),
            page=page,
            has_next=has_next,
        )

    # -- feeds --------------------------------------------------------------------------

    def feed(self, request: Request) -> Response:
        f, _, _ = self._filter(request)
        title = "noticewatch 通知" + (f" · 搜索：{f.query}" if f.query else "")
        return self._atom(request, f, title, "/" + query_string(filter_params(f)))

    def source_feed(self, request: Request) -> Response:
        source_id = request.path_params["source_id"]
        if source_id not in self.config.source_ids:
            raise HTTPException(404, f"配置中没有信息源 {source_id}")
        f = notice_filter({"source": source_id}, self.config)
        name = self.config.source(source_id).name
        return self._atom(request, f, f"{name} · noticewatch", f"/?source={source_id}")

    def _atom(self, request: Request, f: queries.NoticeFilter, title: str, page: str) -> Response:
        base = str(request.base_url)
        with self.sessions() as session:
            result = queries.notice_page(session, f, 1, FEED_ENTRIES)
            versions = queries.latest_versions(session, result.notices)
            names = queries.source_names(session, self.config)
        about = feeds.Feed(title, str(request.url), base.rstrip("/") + page, base)
        body, updated = feeds.atom(about, result.notices, versions, names, self.zone)
        etag = feeds.etag_of(body)
        headers = {
            "ETag": etag,
            "Last-Modified": feeds.http_date(updated),
            "Cache-Control": "max-age=300",
        }
        if feeds.not_modified(request.headers, etag, updated):
            return Response(status_code=304, headers=headers)
        return Response(body, media_type="application/atom+xml; charset=utf-8", headers=headers)

    # -- API ----------------------------------------------------------------------------

    def api_notices(self, request: Request) -> Response:
        f, page, size = self._filter(request)
        with self.sessions() as session:
            result = queries.notice_page(session, f, page, size)
            body = api.notice_list(session, result)
        return JSONResponse(body)

    def api_notice(self, request: Request) -> Response:
        notice_id = request.path_params["notice_id"]
        with self.sessions() as session:
            notice = session.get(Notice, notice_id)
            if notice is None:
                raise HTTPException(404, f"no notice with id {notice_id}")
            body = api.notice_detail(session, notice)
        return JSONResponse(body)

    def api_sources(self, request: Request) -> Response:
        with self.sessions() as session:
            health = queries.source_health(session, self.config)
        return JSONResponse([api.source_health(h) for h in health])

    # -- errors -------------------------------------------------------------------------

    def error(self, request: Request, status: int, message: str) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": message}, status)
        if request.url.path.endswith(".atom"):
            return Response(message + "\n", status, media_type="text/plain; charset=utf-8")
        return self.page(request, "error.html", status, status=status, message=message)


def create_app(config: Config, sessions: sessionmaker[Session] | None = None) -> Starlette:
    """The web application for ``config`` (its database opened unless ``sessions`` given)."""
    web = WebApp(config, sessions or open_database(config.storage_url))

    def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return web.error(request, exc.status_code, str(exc.detail))

    def bad_request(request: Request, exc: Exception) -> Response:
        return web.error(request, 400, str(exc))

    app = Starlette(
        routes=[
            Route("/", web.index),
            Route("/notices/{notice_id:int}", web.notice),
            Route("/sources", web.sources),
            Route("/sources/{source_id}", web.source),
            Route("/sources/{source_id}/feed.atom", web.source_feed),
            Route("/deliveries", web.deliveries),
            Route("/feed.atom", web.feed),
            Route("/api/notices", web.api_notices),
            Route("/api/notices/{notice_id:int}", web.api_notice),
            Route("/api/sources", web.api_sources),
            Mount("/static", StaticFiles(packages=[("monitor.web", "static")]), name="static"),
        ],
        exception_handlers={HTTPException: http_error, BadRequest: bad_request},
    )
    app.add_middleware(Guard, web=config.web)
    return app
