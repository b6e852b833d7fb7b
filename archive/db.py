"""Opening an archive file safely: refuse foreign or newer files, migrate older ones."""

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from .copies import basis_sql
from .errors import ArchiveWriteError, NoArchive, NotAnArchive, SchemaTooNew, SchemaTooOld
from .schema import APPLICATION_ID, LATEST, MIGRATIONS
from .search import index_text

SQLITE_HEADER = b"SQLite format 3\x00"
WAL_CHECKPOINT_PAGES = 16_000  # 64 MB of 4 KB pages


def _check_header(path: Path, *, readonly: bool) -> None:
    """Refuse a file that is not a SQLite database; an empty file may become an archive only
    when it is opened to be written."""
    with path.open("rb") as fh:
        head = fh.read(16)
    if head and head != SQLITE_HEADER:
        raise NotAnArchive(f"{path} is not an archive (not a SQLite database); it was not modified")
    if not head and readonly:
        raise NotAnArchive(f"{path} is an empty file, not an archive; it was not modified")


def _inspect(conn: sqlite3.Connection, path: Path, *, readonly: bool = False) -> int:
    """Return the file's schema version, refusing foreign and newer files before any write
    (and, to a reader, older ones: reading never migrates)."""
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise NotAnArchive(f"{path} is not an archive ({exc}); it was not modified") from exc
    if app_id != APPLICATION_ID and (app_id != 0 or tables):
        raise NotAnArchive(
            f"{path} is a SQLite database but not a notice archive; it was not modified"
        )
    if version > LATEST:
        raise SchemaTooNew(
            f"{path} has schema version {version}, newer than this program's {LATEST}; "
            "upgrade the program. The file was not modified"
        )
    if readonly and not tables:
        raise NotAnArchive(f"{path} is an empty database, not an archive; it was not modified")
    if readonly and version < LATEST:
        raise SchemaTooOld(
            f"{path} has schema version {version}, older than this program's {LATEST}: upgrade "
            f"it with `python -m archive --db {path} migrate` (a crawl upgrades it too). The file "
            "was not modified"
        )
    return version


def open_database(path: str | Path, *, create: bool = True, readonly: bool = False) -> Database:
    """Open (and if allowed create) an archive file, migrated to the latest schema.

    `readonly`: open it to read only. Nothing is ever created or changed, not even by SQLite
    (a missing, empty, foreign or older file is refused; the connection is query-only)."""
    path = Path(path)
    if path.exists():
        _check_header(path, readonly=readonly)
    elif not create or readonly:
        raise NoArchive(f"no archive at {path}")
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=30, isolation_level=None)
    try:
        version = _inspect(conn, path, readonly=readonly)
        # what migrations that (re)build derived data compute, as SQL functions
        register_functions(conn)
        db = Database(conn)
        if readonly:
            conn.execute("PRAGMA query_only = ON")
            return db
        if version < LATEST or db.journal_mode != "wal":
            _migrate(db, version)
    except sqlite3.OperationalError as exc:
        conn.close()
        raise ArchiveWriteError(f"cannot write archive {path}: {exc}") from exc
    except Exception:
        conn.close()
        raise
    conn.execute("PRAGMA foreign_keys = ON")
    # In WAL mode NORMAL is safe from corruption and keeps every commit across a crash of the
    # process; only a power cut may lose the last commits. FULL would fsync every fetch.
    conn.execute("PRAGMA synchronous = NORMAL")
    # A checkpoint (WAL into the file) syncs the disk twice: one every WAL_CHECKPOINT_PAGES
    # pages written, not SQLite's default 1,000 (a new version writes about 100 pages, so a
    # crawl synced every tenth fetch and waited for the disk).
    conn.execute(f"PRAGMA wal_autocheckpoint = {WAL_CHECKPOINT_PAGES}")
    return db


def register_functions(conn: sqlite3.Connection) -> None:
    """The SQL functions migrations use: what the search index holds for a version, and why
    two pages are the same notice."""
    conn.create_function("search_tokens", 2, index_text, deterministic=True)
    conn.create_function("copy_basis", 2, basis_sql, deterministic=True)


def _migrate(db: Database, version: int) -> None:
    db.enable_wal()  # readers (CLI, Datasette) keep working while a crawl writes
    for number in range(version + 1, LATEST + 1):
        with db.atomic():
            for statement in _statements(MIGRATIONS[number - 1]):
                db.execute(statement)
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            db.execute(f"PRAGMA user_version = {number}")


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (trigger bodies stay whole)."""
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements


def where_equal(**columns) -> tuple[str, list]:
    """A WHERE clause (empty when no condition) and its parameters: each column equal to its
    value, for the columns given a value other than None."""
    given = {column: value for column, value in columns.items() if value is not None}
    clause = " AND ".join(f"{column} = ?" for column in given)
    return (f"WHERE {clause}" if clause else ""), list(given.values())
