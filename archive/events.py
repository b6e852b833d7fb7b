"""The event log: every change the archive reports, one append-only row with an increasing id.

An event is written in the transaction of its change, so the log and the archive never
disagree. SQLite has one writer at a time and a reader sees a transaction whole or not at all,
so ids become visible in increasing order: a consumer that stores the largest id it has read
and asks for the events after it (`changes --after ID`, `export --after ID`, the Atom feed's
`?after=ID`) never misses one and never gets one twice.

Kinds: new, changed, revert, reextract (a version was written), chrome-only (the page's bytes
changed, its text did not), returned (a gone or redirected page answers again), gone, soft-gone
(an error page answered 200), redirected (or redirected elsewhere), blocked (a challenge or WAF
page answered where a notice was), delisted (no list links a notice that still answers),
relisted (listed again). A page's file events name the notice that links it (`notice_id`).
"""

from sqlite_utils import Database

KINDS = (
    "new",
    "changed",
    "revert",
    "reextract",
    "chrome-only",
    "returned",
    "gone",
    "soft-gone",
    "redirected",
    "blocked",
    "delisted",
    "relisted",
)


# The events after an id and at or after a time: read from the first event at or after the time
# (found by the time's index), not from the log's start.
AFTER = "e.id > ?"
AFTER_AND_SINCE = (
    "e.id > max(?, (SELECT coalesce(min(id), 9223372036854775807) - 1 FROM events "
    "INDEXED BY events_at WHERE at >= ?)) AND e.at >= ?"
)


def window(after: int | None, since: str | None) -> tuple[str, list]:
    """The WHERE condition on events `e` after an id and since a crawl time (as the archive
    writes it), and its parameters."""
    if since is None:
        return AFTER, [after or 0]
    return AFTER_AND_SINCE, [after or 0, since, since]


def notice_of(db: Database, page_id: int, parent: str | None = None) -> int | None:
    """The notice a file belongs to: the page `parent` names, else the first notice that links
    it; None for a notice."""
    if parent is not None:
        row = db.execute("SELECT id FROM pages WHERE url = ?", [parent]).fetchone()
        if row is not None:
            return row[0]
    row = db.execute(
        "SELECT min(page_id) FROM attachments WHERE attachment_page_id = ?", [page_id]
    ).fetchone()
    return row[0]


def record(
    db: Database,
    kind: str,
    page_id: int,
    at: str,
    *,
    version_id: int | None = None,
    fetch_id: int | None = None,
    run_id: int | None = None,
    detail: str | None = None,
    parent: str | None = None,
) -> int:
    """Log one change of a page (call inside the change's transaction); return its id.
    `version_id` defaults to the page's current version."""
    if kind not in KINDS:
        raise ValueError(f"unknown event kind {kind!r}")
    if version_id is None:
        row = db.execute(
            "SELECT v.id FROM pages p JOIN versions v ON v.page_id = p.id "
            "AND v.number = p.current_version WHERE p.id = ?",
            [page_id],
        ).fetchone()
        version_id = row[0] if row else None
    cursor = db.execute(
        "INSERT INTO events (at, kind, page_id, version_id, fetch_id, run_id, notice_id, detail) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [at, kind, page_id, version_id, fetch_id, run_id, notice_of(db, page_id, parent), detail],
    )
    return cursor.lastrowid


def last_id(db: Database) -> int:
    """The id of the newest event (0 when there is none)."""
    return db.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0]


def last_outcome(db: Database, page_id: int) -> str | None:
    """The outcome of a page's latest fetch that was not an error (an error changes nothing),
    nor a further page of a notice split over several (fetched with its first page)."""
    row = db.execute(
        "SELECT outcome FROM fetches WHERE page_id = ? AND outcome NOT IN ('error', 'part') "
        "ORDER BY id DESC LIMIT 1",
        [page_id],
    ).fetchone()
    return row[0] if row else None


def archive_id(db: Database) -> str:
    """The archive's own id (made when the event log was created; a copy of the file keeps
    it): Atom ids name it, so that two archives' entries never share an id."""
    row = db.execute("SELECT id FROM archive_identity LIMIT 1").fetchone()
    return row[0] if row else ""
