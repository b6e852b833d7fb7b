"""What each table and index of an archive file takes, from SQLite's dbstat virtual table."""

import sqlite3
from pathlib import Path


def table_sizes(path: Path) -> dict[str, int]:
    """Bytes of pages each table and index holds, largest first; an FTS5 table's shadow
    tables (search_index_data, _idx, _docsize …) are counted under the FTS5 table's name."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall()
        virtual = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL%'"
            )
        ]
    finally:
        conn.close()
    sizes: dict[str, int] = {}
    for name, size in rows:
        owner = next((v for v in virtual if name.startswith(v + "_")), name)
        sizes[owner] = sizes.get(owner, 0) + size
    return dict(sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0])))
