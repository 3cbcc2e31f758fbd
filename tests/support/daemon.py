"""The daemon as tests see it: its runs and outcomes, its config, its HTTP endpoint, alerts posted."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

from sqlalchemy import select

from monitor.demo import MockSiteServer
from monitor.demo.inbox import WebhookReceiver
from storage.db import open_database
from storage.models import CrawlRun
from tests.support.cli import db_rows, write_config


def posted(webhook: WebhookReceiver) -> list[str]:
    """Title and text of every alert the webhook received."""
    return [
        f"{post.body.get('title', '')}\n{post.body.get('message', '')}" for post in webhook.posts
    ]


def runs_of(url: str, source_id: str) -> list[CrawlRun]:
    return db_rows(
        url, select(CrawlRun).where(CrawlRun.source_id == source_id).order_by(CrawlRun.id)
    )


def outcomes(url: str, source_id: str) -> list[str]:
    return [run.outcome for run in runs_of(url, source_id) if run.finished_at]


def daemon_config(
    path: Path, url: str, servers: list[MockSiteServer], extra: str = "", **options
) -> Path:
    """``servers`` crawled every second; the schema is created up front for the test's queries."""
    open_database(url).kw["bind"].dispose()
    defaults = {"interval": "1s", "jitter": 0}
    return write_config(path, url, servers, extra=extra, max_pages=2, **(defaults | options))


def subscription(name: str, targets: list[str], events: list[str]) -> str:
    notify = ", ".join(f'"{target}"' for target in targets)
    kinds = ", ".join(f'"{kind}"' for kind in events)
    return f'[[subscriptions]]\nname = "{name}"\nnotify = [{notify}]\nevents = [{kinds}]\n'


def http_get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()
    except urllib.error.URLError:  # not listening (yet)
        return 0, ""


# -- tests -------------------------------------------------------------------------
