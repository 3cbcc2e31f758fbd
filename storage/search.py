"""The full-text index of notices: one document per notice, its latest version in 简体.

SQLite keeps it in an FTS5 table with the trigram tokenizer (``rowid`` = notice id);
PostgreSQL in a plain table with pg_trgm GIN indexes (when the extension can be had).
Both hold the 简体 title and body, so a query converted to 简体 finds notices published
in either script. A term of three characters or more uses the index; shorter terms
(two-character words such as 招生 are common) are matched by scanning the documents.
:func:`index_version` is called in the transaction that stores a version.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import ColumnElement, Connection, Select, and_, column, or_, select, table, text
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ColumnClause, TextClause

from storage.models import NoticeVersion

TABLE = "notice_search"
MIN_INDEXED_TERM = 3  # trigram: shorter terms cannot use the index

notice_search = table(TABLE, column("notice_id"), column("title"), column("body"))


def document(version: NoticeVersion) -> tuple[str, str]:
    """(title, body) to index for a version: the 简体 copies and the attachment names."""
    names = "\n".join(str(a.get("name", "")) for a in version.attachments or [])
    body = version.text_simple or version.text
    return version.title_simple or version.title, f"{body}\n{names}" if names else body


def index_version(session: Session, notice_id: int, version: NoticeVersion) -> None:
    """Make ``version`` the indexed document of its notice (in the caller's transaction)."""
    title, body = document(version)
    connection = session.connection()
    _delete(connection, [notice_id])
    _insert(connection, [(notice_id, title, body)])


def index_documents(connection: Connection, rows: Sequence[tuple[int, str, str]]) -> None:
    """Index (notice id, title, body) rows, replacing what is indexed for those notices."""
    _delete(connection, [row[0] for row in rows])
    _insert(connection, rows)


def _key(connection: Connection) -> str:
    return "rowid" if connection.dialect.name == "sqlite" else "notice_id"


def _delete(connection: Connection, notice_ids: Iterable[int]) -> None:
    ids = list(notice_ids)
    if ids:
        connection.execute(
            text(f"DELETE FROM {TABLE} WHERE {_key(connection)} IN ({','.join(map(str, ids))})")
        )


def _insert(connection: Connection, rows: Sequence[tuple[int, str, str]]) -> None:
    if rows:
        connection.execute(
            text(f"INSERT INTO {TABLE} ({_key(connection)}, title, body) VALUES (:id, :t, :b)"),
            [{"id": i, "t": t, "b": b} for i, t, b in rows],
        )


def _fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def matching_ids(dialect: str, terms: Sequence[str]) -> Select:
    """Ids of the notices whose indexed title or body holds every one of ``terms``
    (already in 简体; matched ignoring ASCII case)."""
    if dialect == "sqlite":
        return _sqlite_matches(terms)
    conditions: list[ColumnElement[bool]] = []
    for term in terms:
        pattern = _like(term)
        conditions.append(
            or_(
                notice_search.c.title.ilike(pattern, escape="\\"),
                notice_search.c.body.ilike(pattern, escape="\\"),
            )
        )
    return select(notice_search.c.notice_id).where(and_(*conditions))


def _sqlite_matches(terms: Sequence[str]) -> Select:
    rowid: ColumnClause[int] = column("rowid")
    long_terms = [t for t in terms if len(t) >= MIN_INDEXED_TERM]
    conditions: list[ColumnElement[bool] | TextClause] = []
    if long_terms:
        expression = " AND ".join(_fts_phrase(t) for t in long_terms)
        conditions.append(text(f"{TABLE} MATCH :fts").bindparams(fts=expression))
    for index, term in enumerate(t for t in terms if len(t) < MIN_INDEXED_TERM):
        name = f"short{index}"
        conditions.append(  # a full scan: SQLite's trigram LIKE misses terms this short
            text(
                f"(instr(lower(title), :{name}) > 0 OR instr(lower(body), :{name}) > 0)"
            ).bindparams(**{name: term.lower()})
        )
    return select(rowid).select_from(notice_search).where(and_(*conditions))
