"""Storing what a version states (fields, counts, items) beside it, and re-parsing.

These rows are derived from a version's text: a newer parser may replace them, while the
versions themselves stay append-only.
"""

from sqlite_utils import Database

from . import fields, outline


def store(
    db: Database, version_id: int, title: str | None, text: str, published: str | None
) -> None:
    """Parse one version and (re)write its derived rows; call inside the caller's transaction."""
    parsed = fields.parse(title, text, published)
    items = outline.parse(text)
    for table in ("notice_fields", "notice_counts", "notice_items"):
        db.execute(f"DELETE FROM {table} WHERE version_id = ?", [version_id])
    record = parsed.as_record()
    del record["counts"], record["published"]
    db.execute(
        f"INSERT INTO notice_fields (version_id, parser_version, item_count, {', '.join(record)}) "
        f"VALUES (?, ?, ?, {', '.join('?' * len(record))})",
        [version_id, fields.PARSER_VERSION, len(items), *record.values()],
    )
    db.conn.executemany(
        "INSERT INTO notice_counts (version_id, position, measure, number, unit) "
        "VALUES (?, ?, ?, ?, ?)",
        [
            (version_id, position, c.measure, c.number, c.unit)
            for position, c in enumerate(parsed.counts, 1)
        ],
    )
    db.conn.executemany(
        "INSERT INTO notice_items (version_id, position, section_path, marker, number, depth, "
        "leaf, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                version_id,
                i.position,
                "/".join(i.path),
                i.marker,
                i.number,
                len(i.path) + 1,
                int(i.children == 0),
                i.text,
            )
            for i in items
        ],
    )


def pending(db: Database, *, every: bool = False) -> list[tuple]:
    """Versions to parse: those never parsed, or parsed by another parser version."""
    where = "" if every else "WHERE f.version_id IS NULL OR f.parser_version != ?"
    params = [] if every else [fields.PARSER_VERSION]
    return db.execute(
        "SELECT v.id, v.title, v.text, v.published FROM versions v "
        f"LEFT JOIN notice_fields f ON f.version_id = v.id {where} ORDER BY v.id",
        params,
    ).fetchall()
