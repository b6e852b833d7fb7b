"""What the web pages show, read from an archive connection by the archive's own library.

Each function takes a read-only sqlite_utils Database and returns the template's context;
nothing here writes. Errors are the archive's (UnknownPage) or BadInput, with a clear message.
"""

from datetime import UTC, datetime, timedelta

from sqlite_utils import Database

from .. import dates, events, feed
from ..copies import copies
from ..errors import ArchiveError, InvalidDate
from ..queries import Queries
from .compact import compact_texts

DIFFS_PER_PAGE = 10  # version-to-version diffs on one notice page (older ones: next page)
CHANGES_PER_PAGE = 50  # rows of the changes page and entries of its Atom feed
DEFAULT_DAYS = 7  # the changes page without ?since= shows the last week


class BadInput(ArchiveError):
    """A query-string parameter is missing or malformed."""


class Reader(Queries):
    """The archive's read queries over a connection Datasette opened (read-only)."""

    def __init__(self, db: Database) -> None:
        self.db = db


def _timeline(reader: Reader, url: str, versions: list[dict]) -> list[dict]:
    """Every fetch outcome and every version, oldest first (a reextracted version has no
    fetch of its own, so it is listed as a version)."""
    events = [
        {
            "at": f["fetched_at"],
            "event": f["outcome"],
            "status": f["status"],
            "version": f["version"],
            "detail": f["detail"],
        }
        for f in reader.fetches(url)
    ]
    fetched = {e["version"] for e in events if e["event"] in ("new", "changed", "revert")}
    for v in versions:
        if v["number"] not in fetched:
            events.append(
                {"at": v["fetched_at"], "event": v["kind"], "status": None, "version": v["number"]}
            )
    return sorted(events, key=lambda e: e["at"])


def _texts(db: Database, page_id: int, low: int, high: int) -> dict[int, str]:
    rows = db.execute(
        "SELECT number, text FROM versions WHERE page_id = ? AND number BETWEEN ? AND ?",
        [page_id, low, high],
    ).fetchall()
    return dict(rows)


def _number(value: str | int | None) -> int | None:
    if value is None or value == "":
        return None
    if not str(value).isdigit():
        raise BadInput(f"upto must be a version number, not {value!r}")
    return int(value)


def notice(db: Database, url: str | None, upto: str | int | None = None) -> dict:
    """A notice's page: state, timeline, diffs of consecutive versions (newest first, a page
    of them ending at version `upto`), current text with fields, attachments and copies."""
    if not url:
        raise BadInput("give the notice's address: /-/notice?url=URL")
    upto = _number(upto)
    reader = Reader(db)
    page = reader.page(url)
    portal = reader._one("SELECT * FROM portals WHERE id = ?", [page["portal_id"]]) or {}
    versions = reader.versions(url)
    by_number = {v["number"]: v for v in versions}
    current = page["current_version"] or 0
    top = min(upto or current, current)
    low = max(top - DIFFS_PER_PAGE, 1)
    texts = _texts(db, page["id"], low, top)
    diffs = []
    for number in range(top, low, -1):
        diff = compact_texts(texts[number - 1], texts[number], f"v{number}")
        diffs.append({"version": by_number[number], "from": number - 1, "diff": diff})
    structure = reader.structure(url) if current else None
    target = page.get("redirect_to")
    return {
        "url": url,
        "page": page,
        # where a redirected page went, when the archive holds that page too
        "target_archived": bool(
            target and reader._one("SELECT 1 AS found FROM pages WHERE url = ?", [target])
        ),
        "portal": portal,
        "current": reader.version(url) if current else None,
        "versions": versions,
        "timeline": _timeline(reader, url, versions),
        "diffs": diffs,
        "older": low if low > 1 else None,
        "structure": structure,
        "copies": [c for c in copies(db, page["id"]) if c["url"] != url] if current else [],
    }


def since_date(since: str | None, today: datetime | None = None) -> str:
    """The `since` parameter checked (YYYY-MM-DD or an ISO time), or a week ago."""
    if not since:
        today = today or datetime.now(UTC)
        return (today - timedelta(days=DEFAULT_DAYS)).strftime("%Y-%m-%d")
    try:
        return dates.crawl_time(since)
    except InvalidDate as exc:
        raise BadInput(str(exc)) from None


def after_id(after: str | None) -> int | None:
    """The `after` parameter checked (an event id), or None."""
    if after is None or after == "":
        return None
    if not after.isdigit():
        raise BadInput(f"after must be an event id (a number), not {after!r}")
    return int(after)


def changes(db: Database, since: str | None, after: str | None = None) -> dict:
    """The newest changes after an event id, or since a date (default: a week ago), each with
    its event id and figures summary."""
    after = after_id(after)
    since = None if after is not None and not since else since_date(since)
    rows = feed.changes(db, since, limit=CHANGES_PER_PAGE + 1, after=after)
    return {
        "since": since,
        "after": after,
        "rows": rows[:CHANGES_PER_PAGE],
        "more": len(rows) > CHANGES_PER_PAGE,
    }


def atom(db: Database, since: str | None, after: str | None = None) -> str:
    """The Atom feed of the same changes (the newest CHANGES_PER_PAGE)."""
    found = changes(db, since, after)
    return feed.to_atom(found["rows"], archive=events.archive_id(db))


def copy_diffs(db: Database, url: str | None) -> dict:
    """A notice's copies, and each copy against the first published one."""
    if not url:
        raise BadInput("give the copy's address: /-/copies?url=URL")
    reader = Reader(db)
    page = reader.page(url)
    cluster = copies(db, page["id"])
    first = cluster[0]
    others = [c for c in cluster[1:] if c["url"] == url] or cluster[1:]
    text = dict(
        db.execute(
            "SELECT p.url, v.text FROM pages p JOIN versions v ON v.page_id = p.id "
            "AND v.number = p.current_version WHERE p.url IN ("
            + ",".join("?" * len(cluster))
            + ")",
            [c["url"] for c in cluster],
        ).fetchall()
    )
    sections = [
        {"other": other, "diff": compact_texts(text[first["url"]], text[other["url"]], f"c{i}")}
        for i, other in enumerate(others, 1)
    ]
    return {"url": url, "page": page, "first": first, "cluster": cluster, "sections": sections}
