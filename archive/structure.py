"""Storing what a version states (fields, counts, items) beside it, and re-parsing.

These rows are derived from a version's text: a newer parser may replace them, while the
versions themselves stay append-only.
"""

from sqlite_utils import Database

from notice import fields, outline
from notice.derive import Parsed


def spans(text: str, items: list[outline.Item]) -> list[tuple[int, int, str | None]]:
    """Where each item's text is in the version's text: (start, end, None), or (0, 0, text)
    for an item whose text is not one span of it."""
    found, cursor = [], 0
    for item in items:
        start = text.find(item.text, cursor)
        if start < 0:
            start = text.find(item.text)
        if start < 0:
            found.append((0, 0, item.text))
        else:
            found.append((start, start + len(item.text), None))
            cursor = start
    return found


def store(db: Database, version_id: int, found: Parsed, text: str) -> None:
    """(Re)write one version's derived rows (`text` is the version's); call inside the
    caller's transaction."""
    parsed, items = found.fields, found.items
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
        "leaf, text_start, text_end, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                version_id,
                i.position,
                "/".join(i.path),
                i.marker,
                i.number,
                len(i.path) + 1,
                int(i.children == 0),
                *span,
            )
            for i, span in zip(items, spans(text, items), strict=True)
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
