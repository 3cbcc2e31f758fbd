"""The notice search index on SQLite (FTS5 trigram) and PostgreSQL (pg_trgm): filled by
crawls in the transactions that store versions, rebuilt from stored notices by the
migration, queried in either script."""

from __future__ import annotations

from alembic import command
from sqlalchemy import text

from monitor.config import load_config
from monitor.web.filters import notice_filter
from monitor.web.queries import notice_page
from storage.db import alembic_config, open_database
from tests.support.cli import run_cli, write_config
from tests.web.conftest import (
    EXAM_BODY,
    EXAM_TITLE,
    TRADITIONAL_BODY,
    TRADITIONAL_TITLE,
    now_beijing,
)


def found(sessions, config, query: str) -> list[str]:
    with sessions() as session:
        f = notice_filter({"q": query}, config)
        return [n.title for n in notice_page(session, f, 1, 100).notices]


def test_search_index_follows_crawls_and_migrations(sites, db_url, tmp_path) -> None:
    config_path = write_config(tmp_path / "c.toml", db_url, [sites["trs"], sites["big5"]])
    config = load_config(config_path, need_secrets=False)
    assert run_cli(config_path, "crawl").returncode == 0
    trs, big5 = sites["trs"].site, sites["big5"].site
    exam = trs.add_notice(EXAM_TITLE, EXAM_BODY, published=now_beijing())
    big5.add_notice(TRADITIONAL_TITLE, TRADITIONAL_BODY, published=now_beijing())
    assert run_cli(config_path, "crawl").returncode == 0
    sessions = open_database(db_url)
    try:
        both = {EXAM_TITLE, TRADITIONAL_TITLE}
        assert both <= set(found(sessions, config, "招生考试"))
        assert found(sessions, config, "招生考试") == found(sessions, config, "招生考試")
        assert EXAM_TITLE in found(sessions, config, "11月1日")  # body text
        assert TRADITIONAL_TITLE in found(sessions, config, "说明会 派员")  # every word
        assert EXAM_TITLE in found(sessions, config, "报名")  # two characters: the pair index
        assert TRADITIONAL_TITLE in found(sessions, config, "派")  # one character
        assert EXAM_TITLE not in found(sessions, config, "派")
        assert found(sessions, config, "招生考试 没有这个词") == []

        trs.edit_notice(exam.id, paragraphs=[p.replace("11月1日", "11月9日") for p in EXAM_BODY])
        assert run_cli(config_path, "crawl").returncode == 0
        assert EXAM_TITLE in found(sessions, config, "11月9日")
        assert EXAM_TITLE not in found(sessions, config, "11月1日")  # the index is the latest

        engine = sessions.kw["bind"]
        with engine.begin() as connection:
            command.downgrade(alembic_config(engine, connection), "0006")
            assert "notice_search" not in _tables(connection)
        with engine.begin() as connection:
            command.upgrade(alembic_config(engine, connection), "head")
        assert both <= set(found(sessions, config, "招生考試"))  # existing notices indexed
        assert EXAM_TITLE in found(sessions, config, "11月9日")
    finally:
        sessions.kw["bind"].dispose()


def _tables(connection) -> set[str]:
    if connection.dialect.name == "sqlite":
        rows = connection.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))
    else:
        rows = connection.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        )
    return {row[0] for row in rows}
