"""The full-text index of notices: one document per notice, its latest version in 简体.

Both backends hold the 简体 title and body, so a query converted to 简体 finds notices
published in either script.

SQLite: ``notice_search``, an FTS5 table with the trigram tokenizer (``rowid`` = notice
id), answers terms of three characters or more. Two-character words are common in
Chinese (招生, 中考) and a trigram index cannot answer them, so ``notice_search_pairs``
(FTS5, unicode61) holds the same text as overlapping character pairs (招生考试 →
``招生 生考 考试 试``), other words whole: a one- or two-character Chinese term is a
token (or prefix) query there, a short word (``QQ``) a word prefix. What is neither
(``A班``) is matched by scanning.

PostgreSQL: ``notice_search`` is a plain table with pg_trgm GIN indexes (when the
extension can be had) that ILIKE uses.

:func:`index_version` is called in the transaction that stores a version.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from sqlalchemy import ColumnElement, Connection, Select, and_, column, or_, select, table, text
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ColumnClause, TextClause

from storage.models import AttachmentFile, NoticeVersion

TABLE = "notice_search"
PAIRS = "notice_search_pairs"  # SQLite only
MIN_TRIGRAM_TERM = 3  # shorter terms cannot use a trigram index

_HAN = "\u3400-\u9fff\uf900-\ufaff"
_CJK = re.compile(f"[{_HAN}]+")
_WORD = re.compile(f"[^\\W_{_HAN}]+")  # letters and digits of other scripts: 2025, qq
_TOKEN = re.compile(f"{_CJK.pattern}|{_WORD.pattern}")

notice_search = table(TABLE, column("notice_id"), column("title"), column("body"))

Document = tuple[int, str, str]  # notice id, title, body


FILE_TEXT_LIMIT = 200_000
"""Characters of a notice's attachment text indexed (a 900,000-row spreadsheet is not)."""


def document(
    version: NoticeVersion, file_texts: Mapping[str, str] | None = None
) -> tuple[str, str]:
    """(title, body) to index for a version: the 简体 copies, the attachment names and the
    text read from its files (``file_texts``: sha256 → 简体 text)."""
    files = version.attachments or []
    names = "\n".join(str(a.get("name", "")) for a in files)
    texts = "\n".join((file_texts or {}).get(str(a.get("sha256")), "") for a in files).strip()
    body = version.text_simple or version.text
    return version.title_simple or version.title, "\n".join(
        part for part in (body, names, texts[:FILE_TEXT_LIMIT]) if part
    )


def file_texts(session: Session, version: NoticeVersion) -> dict[str, str]:
    """The 简体 text of the version's attachments that were read, by sha256."""
    digests = {str(a["sha256"]) for a in version.attachments or [] if a.get("sha256")}
    if not digests:
        return {}
    rows = session.execute(
        select(AttachmentFile.sha256, AttachmentFile.text_simple).where(
            AttachmentFile.sha256.in_(digests)
        )
    )
    return {digest: text_ for digest, text_ in rows}


def pairs(text_: str) -> str:
    """The Chinese runs of ``text_`` as overlapping character pairs, each run's last
    character alone too (so a one-character prefix query finds it); other words whole."""
    tokens: list[str] = []
    for run in _TOKEN.findall(text_.lower()):
        if _CJK.match(run):
            tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
        tokens.append(run[-1] if _CJK.match(run) else run)
    return " ".join(tokens)


def _pair_query(term: str) -> str:
    """The ``notice_search_pairs`` query for a short term: a Chinese pair is a token; one
    Chinese character, or a short word (``qq``, ``20``), is a prefix of one."""
    return f'"{term}"' if len(term) == 2 and _CJK.fullmatch(term) else f'"{term.lower()}"*'


def index_version(
    session: Session, notice_id: int, version: NoticeVersion, *, fresh: bool = False
) -> None:
    """Make ``version`` the indexed document of its notice (in the caller's transaction);
    ``fresh``: the notice was just stored, nothing is indexed for it yet."""
    texts = file_texts(session, version)
    document_row = (notice_id, *document(version, texts))
    index_documents(session.connection(), [document_row], fresh=fresh)


def index_documents(
    connection: Connection, rows: Sequence[Document], *, fresh: bool = False
) -> None:
    """Index (notice id, title, body) rows, replacing what is indexed for those notices
    (``fresh``: nothing is, yet)."""
    if not rows:
        return
    sqlite = connection.dialect.name == "sqlite"
    if not fresh:
        _delete(connection, [row[0] for row in rows], sqlite)
    key = "rowid" if sqlite else "notice_id"
    connection.execute(
        text(f"INSERT INTO {TABLE} ({key}, title, body) VALUES (:id, :t, :b)"),
        [{"id": i, "t": t, "b": b} for i, t, b in rows],
    )
    if sqlite:
        connection.execute(
            text(f"INSERT INTO {PAIRS} (rowid, words) VALUES (:id, :w)"),
            [{"id": i, "w": pairs(f"{t}\n{b}")} for i, t, b in rows],
        )


def _delete(connection: Connection, notice_ids: Iterable[int], sqlite: bool) -> None:
    ids = ",".join(str(int(i)) for i in notice_ids)
    for name, key in [(TABLE, "rowid"), (PAIRS, "rowid")] if sqlite else [(TABLE, "notice_id")]:
        connection.execute(text(f"DELETE FROM {name} WHERE {key} IN ({ids})"))


def _phrase(term: str) -> str:
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
    long = [t for t in terms if len(t) >= MIN_TRIGRAM_TERM]
    short = [
        t for t in terms if len(t) < MIN_TRIGRAM_TERM and (_CJK.fullmatch(t) or _WORD.fullmatch(t))
    ]
    scanned = [t for t in terms if t not in long and t not in short]
    conditions: list[ColumnElement[bool] | TextClause] = []
    if long:
        expression = " AND ".join(_phrase(t) for t in long)
        conditions.append(text(f"{TABLE} MATCH :long").bindparams(long=expression))
    if short:
        expression = " AND ".join(_pair_query(t) for t in short)
        conditions.append(
            text(f"rowid IN (SELECT rowid FROM {PAIRS} WHERE {PAIRS} MATCH :short)").bindparams(
                short=expression
            )
        )
    for index, term in enumerate(scanned):
        name = f"scan{index}"
        conditions.append(  # SQLite's trigram LIKE misses terms this short: a full scan
            text(
                f"(instr(lower(title), :{name}) > 0 OR instr(lower(body), :{name}) > 0)"
            ).bindparams(**{name: term.lower()})
        )
    return select(rowid).select_from(notice_search).where(and_(*conditions))
