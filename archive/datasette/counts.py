"""Table counts without the tables SQLite cannot count.

Datasette counts every table of a database for its home and database pages (hidden ones too).
A contentless FTS5 index without column sizes (the archive's `search_terms`) cannot be
scanned: SQLite refuses `count(*)` on it, and Datasette logs each refusal as an error. Such a
table is given no count (as Datasette shows any table it could not count) without asking.
"""

import re
import sqlite3

from datasette.database import QueryInterrupted

# a contentless FTS5 index (content='') that keeps no column sizes (columnsize=0)
_UNSCANNABLE = re.compile(
    r"\bUSING\s+fts5\s*\((?=.*\bcontent\s*=\s*''(?!'))(?=.*\bcolumnsize\s*=\s*0\b)",
    re.I | re.S,
)


def unscannable(conn: sqlite3.Connection) -> set[str]:
    """The tables of this database that SQLite cannot scan, by their definition."""
    rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall()
    return {name for name, sql in rows if sql and _UNSCANNABLE.search(sql)}


def count_scannable_only(database) -> None:
    """Replace this Datasette database's table_counts: the same counts (each within the
    time limit, None for a table that could not be counted), without trying the tables
    SQLite cannot scan."""

    async def table_counts(limit: int = 10) -> dict:
        if not database.is_mutable and database.cached_table_counts is not None:
            return database.cached_table_counts
        skip = await database.execute_fn(unscannable)
        counts: dict = {}
        for table in await database.table_names():
            if table in skip:
                counts[table] = None
                continue
            try:
                sql = f"select count(*) from [{table}]"
                result = await database.execute(sql, custom_time_limit=limit)
                counts[table] = result.rows[0][0]
            except (QueryInterrupted, sqlite3.OperationalError, sqlite3.DatabaseError):
                counts[table] = None  # too slow to count, as Datasette does
        if not database.is_mutable:
            database._cached_table_counts = counts
        return counts

    database.table_counts = table_counts
