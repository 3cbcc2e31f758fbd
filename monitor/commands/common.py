"""What most commands need: the config, a database session factory, one page fetched."""

from __future__ import annotations

import argparse

from sqlalchemy.orm import Session, sessionmaker

from monitor.config import Config, CrawlSettings, load_config
from spiders.fetch import FetchedPage, fetch
from storage.db import open_database


def config_of(args: argparse.Namespace) -> Config:
    return load_config(args.config)


def sessions_of(args: argparse.Namespace) -> sessionmaker[Session]:
    return open_database(config_of(args).storage_url)


def fetch_page(url: str, settings: CrawlSettings) -> FetchedPage:
    """One page, fetched as the crawls would (user agent, timeout, size limit)."""
    return fetch(
        url,
        user_agent=settings.user_agent,
        timeout=settings.timeout,
        max_bytes=settings.max_response_bytes,
    )
