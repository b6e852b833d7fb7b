"""The exported record types (versions, notices, items), each described by a JSON Schema in
archive/schemas/, read from the archive in one query each."""

import json
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from hashlib import sha1
from pathlib import Path

from sqlite_utils import Database

from . import dates, events

SCHEMAS = Path(__file__).parent / "schemas"
RECORD_TYPES = ("versions", "notices", "items")
_SCHEMA_FILES = {"versions": "version", "notices": "notice", "items": "item"}
# WARC-Record-IDs are UUIDs derived from the fetch, so a version cites the same record in
# every export of the archive.
WARC_NAMESPACE = uuid.UUID("6f1d2c1e-6b0c-4f55-9a51-2f9a3c7e0b11")
_NAMESPACE_BYTES = WARC_NAMESPACE.bytes


@cache
def schema(record_type: str) -> dict:
    """The JSON Schema of a record type."""
    return json.loads((SCHEMAS / f"{_SCHEMA_FILES[record_type]}.schema.json").read_text("utf-8"))


def fields(record_type: str) -> list[str]:
    """A record type's fields, in schema order (the CSV and Parquet columns)."""
    return list(schema(record_type)["properties"])


def warc_record_id(fetch_id: int, url: str, fetched_at: str) -> str:
    """The WARC-Record-ID a fetch's response is written under: `uuid.uuid5(WARC_NAMESPACE,
    ...)`, made without its UUID objects (an export makes one per record)."""
    digest = bytearray(sha1(_NAMESPACE_BYTES + f"{fetch_id} {fetched_at} {url}".encode()).digest())
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = digest[:16].hex()
    return f"<urn:uuid:{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}>"


# A page is a notice unless a notice links it as a file (a file published on its own, with no
# notice page, is the notice itself).
NOT_AN_ATTACHMENT = "p.id NOT IN (SELECT attachment_page_id FROM attachments)"


def published_filter(since: str | None, until: str | None) -> tuple[list[str], list[str]]:
    """SQL conditions on `v.published` (inclusive bounds; undated versions never match)."""
    where, params = [], []
    if since:
        where.append("v.published >= ?")
        params.append(dates.publication_date(since, "published_since"))
    if until:
        where.append("v.published <= ?")
        params.append(dates.publication_date(until, "published_until"))
    return where, params


# The version-making event of a version, and a page's latest event.
_MADE = (
    "(SELECT min(id) FROM events WHERE version_id = v.id "
    "AND kind IN ('new', 'changed', 'revert', 'reextract'))"
)
_LATEST = "(SELECT max(id) FROM events WHERE page_id = p.id)"
# The event columns every record ends with (schema order).
EVENT_COLUMNS = "p.delisted_since, e.id, e.kind, e.at"


def _filter(
    since: str | None,
    all_versions: bool,
    published_since: str | None = None,
    published_until: str | None = None,
    notices_only: bool = False,
    after: int | None = None,
) -> tuple[str, str, list, str]:
    """The FROM clause, WHERE clause, parameters and order of an export.

    With `after` (an event id) or `since` (a crawl time, inclusive), one record per event of
    the log after that id and at or after that time, in event order (archive.events): a new or
    changed version, and also a notice gone, delisted … with the version it concerns. Else one
    record per page (its current version and latest event) or, with all_versions, per version
    (and the event that made it). The published bounds are publication dates; `notices_only`
    leaves out the files notices link."""
    where, params = published_filter(published_since, published_until)
    if notices_only:
        where.append(NOT_AN_ATTACHMENT)
    if since is not None or after is not None:
        source = "events e JOIN pages p ON p.id = e.page_id JOIN versions v ON v.id = e.version_id"
        window, bounds = events.window(after, dates.crawl_time(since) if since else None)
        where.insert(0, window)
        params[:0] = bounds
        if notices_only:
            where.append("e.notice_id IS NULL")
        order = "e.id"
    else:
        join = "v.page_id = p.id" + ("" if all_versions else " AND v.number = p.current_version")
        source = (
            f"pages p JOIN versions v ON {join} "
            f"LEFT JOIN events e ON e.id = {_MADE if all_versions else _LATEST}"
        )
        order = "p.url, v.number"
    return source, f"WHERE {' AND '.join(where)}" if where else "", params, order


@contextmanager
def snapshot(db: Database) -> Iterator[None]:
    """One read transaction: every query inside sees the archive as of its first, whatever a
    crawl commits meanwhile (an export's records and the events it names agree)."""
    if db.conn.in_transaction:
        yield
        return
    db.execute("BEGIN")
    try:
        yield
    finally:
        if db.conn.in_transaction:
            db.execute("COMMIT")


@contextmanager
def _rows(db: Database, sql: str, params: list) -> Iterator[sqlite3.Cursor]:
    """The cursor of an export's query, closed however the export ends."""
    cursor = db.execute(sql, params)
    try:
        yield cursor
    finally:
        cursor.close()


def _dicts(db: Database, sql: str, params: list) -> Iterator[dict]:
    """An export's rows as dicts keyed by column name."""
    with _rows(db, sql, params) as cursor:
        names = [column[0] for column in cursor.description]
        for row in cursor:
            yield dict(zip(names, row, strict=True))


def versions(
    db: Database,
    *,
    since: str | None = None,
    all_versions: bool = False,
    published_since: str | None = None,
    published_until: str | None = None,
    after: int | None = None,
) -> Iterator[dict]:
    """One record per page (its current version) or, with all_versions, per version; with
    `after` or `since`, one per event (see _filter)."""
    source, where, params, order = _filter(
        since, all_versions, published_since, published_until, after=after
    )
    with snapshot(db):
        yield from _dicts(
            db,
            "SELECT p.url, p.portal_id AS portal, v.title, v.published, v.source, "
            "v.number AS version, v.kind, v.fetched_at, v.content_hash, p.state, v.extractor, "
            "v.extractor_version, v.text, p.delisted_since, e.id AS event, e.kind AS change, "
            f"e.at AS changed_at FROM {source} {where} ORDER BY {order}",
            params,
        )


# The notice record's columns in schema order; counts, attachments and warc_record_id are
# filled in per record (NULL here), and the ids they are made from follow.
_NOTICE_SQL = """
SELECT p.url, p.portal_id, po.region, po.level, v.number, v.fetched_at, v.title, v.published,
    f.issuer, f.kind, f.report_type, f.inspection_body, f.inspection_round, f.period_start,
    f.period_end, f.feedback_date, f.phone, f.email, f.postal_address, NULL,
    coalesce(f.item_count, 0), p.content_kind, p.state, NULL, v.content_hash, NULL, v.text,
    p.delisted_since, e.id, e.kind, e.at,
    p.id, v.id, fe.id, fe.url, fe.fetched_at
FROM {source}
LEFT JOIN portals po ON po.id = p.portal_id
LEFT JOIN notice_fields f ON f.version_id = v.id
LEFT JOIN fetches fe ON fe.id = coalesce(
    (SELECT min(id) FROM fetches WHERE version_id = v.id),  -- its first page, not a part
    (SELECT min(id) FROM fetches WHERE page_id = p.id AND blob_sha256 = v.blob_sha256)
)
{where} ORDER BY {order}
"""


def notices(
    db: Database,
    *,
    since: str | None = None,
    all_versions: bool = False,
    published_since: str | None = None,
    published_until: str | None = None,
    after: int | None = None,
) -> Iterator[dict]:
    """One notice record per page (current version) or per version, or with `after` or `since`
    per event (see _filter), with what it states (one query per table: the counts and
    attachments of every exported record are read at once, in one snapshot of the archive;
    rows are read as tuples and each record is built once, in schema order)."""
    source, where, params, order = _filter(
        since, all_versions, published_since, published_until, notices_only=True, after=after
    )
    with snapshot(db):
        yield from _notices(db, source, where, params, order)


def _notices(db: Database, source: str, where: str, params: list, order: str) -> Iterator[dict]:
    counts: dict[int, list[dict]] = {}
    for version_id, _, *count in db.execute(
        f"SELECT DISTINCT c.version_id, c.position, c.measure, c.number, c.unit FROM {source} "
        f"CROSS JOIN notice_counts c ON c.version_id = v.id {where} "
        "ORDER BY c.version_id, c.position",
        params,
    ):
        counts.setdefault(version_id, []).append(_count(*count))
    attachments: dict[int, list[tuple]] = {}
    for page_id, url, label, content_kind, version, _ in db.execute(_ATTACHMENTS.format(where="")):
        attachments.setdefault(page_id, []).append((url, label, content_kind, version))
    names = fields("notices")
    sql = _NOTICE_SQL.format(source=source, where=where, order=order)
    with _rows(db, sql, params) as cursor:
        for row in cursor:
            record = dict(zip(names, row, strict=False))  # the ids follow the fields
            page_id, version_id, fetch_id, fetch_url, fetch_at = row[-5:]
            record["counts"] = counts.get(version_id) or []
            record["attachments"] = [
                dict(zip(_ATTACHMENT_FIELDS, a, strict=True)) for a in attachments.get(page_id, ())
            ]
            if fetch_id is not None:
                record["warc_record_id"] = warc_record_id(fetch_id, fetch_url, fetch_at)
            yield record


def _count(measure: str, number: float, unit: str) -> dict:
    return {
        "measure": measure,
        "number": int(number) if float(number).is_integer() else number,
        "unit": unit,
    }


def counts_of(db: Database, version_id: int) -> list[dict]:
    """The headline figures a version states, in text order (whole numbers as integers)."""
    return [
        _count(*row)
        for row in db.execute(
            "SELECT measure, number, unit FROM notice_counts WHERE version_id = ? "
            "ORDER BY position",
            [version_id],
        )
    ]


_ATTACHMENT_FIELDS = ("url", "label", "content_kind", "version")
_ATTACHMENTS = (
    "SELECT l.page_id, a.url, l.label, a.content_kind, a.current_version AS version, a.state "
    "FROM attachments l JOIN pages a ON a.id = l.attachment_page_id {where} "
    "ORDER BY l.page_id, a.url"
)


def attachments_of(db: Database, page_id: int) -> list[dict]:
    """The archived files a page links (PDF, DOCX …), with their current version and state."""
    rows = list(db.query(_ATTACHMENTS.format(where="WHERE l.page_id = ?"), [page_id]))
    for row in rows:
        del row["page_id"]
    return rows


def items(
    db: Database,
    *,
    since: str | None = None,
    all_versions: bool = False,
    published_since: str | None = None,
    published_until: str | None = None,
    after: int | None = None,
) -> Iterator[dict]:
    """One record per numbered item of each exported version (with `after` or `since`: of
    the version of each event, see _filter)."""
    source, where, params, order = _filter(
        since, all_versions, published_since, published_until, after=after
    )
    with snapshot(db):
        for row in _dicts(
            db,
            "SELECT p.url, p.portal_id AS portal, v.number AS version, v.fetched_at, i.position, "
            "i.section_path, i.marker, i.number, i.depth, i.leaf, i.text, p.delisted_since, "
            f"e.id AS event, e.kind AS change, e.at AS changed_at FROM {source} "
            f"JOIN notice_item_texts i ON i.version_id = v.id {where} ORDER BY {order}, i.position",
            params,
        ):
            row["leaf"] = bool(row["leaf"])
            yield row


READERS = {"versions": versions, "notices": notices, "items": items}
