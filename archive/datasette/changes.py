"""The changes the web view lists (the changes page, the front page): one query function,
`query`, over the archive's append-only event log (archive.events: every change with an
increasing event id). Its rows and counts keep the keys listed below; the pages only show them.
"""

import json
from dataclasses import dataclass

from sqlite_utils import Database


@dataclass(frozen=True)
class Filter:
    """Which changes: crawl times as the archive writes them (UTC, `…Z`)."""

    since: str  # inclusive
    until: str | None = None  # exclusive
    after: int | None = None  # an event id: only the events after it
    run: int | None = None  # only the events of this run
    kinds: tuple[str, ...] = ()  # none: every kind
    portal: str | None = None
    region: str | None = None


@dataclass
class Changes:
    rows: list[dict]  # newest first; keys below
    counts: dict[str, int]  # per kind, under every filter but the kinds, most frequent first
    kinds: tuple[str, ...] = ()  # the filter's kinds

    @property
    def total(self) -> int:
        """How many changes the filter's kinds select (every kind when it names none)."""
        return sum(n for kind, n in self.counts.items() if not self.kinds or kind in self.kinds)


# The log's events, newest first, with the kind a reader sees (a file a notice links: file-…)
# and the filters; portals by id (a region is its portals). A row: kind (new, changed, revert,
# reextract, chrome-only, gone, delisted …, file-…), event (its id), at (UTC), page_id, url,
# title, version (the version a change made; None otherwise), reverts_to, portal (its id), then
# added: portal_name, region, notice_url (the notice a file belongs to, else url).
_SELECTED = """
SELECT CASE WHEN c.notice_id IS NULL THEN c.kind ELSE 'file-' || c.kind END AS kind,
       c.event, c.at, c.page_id, c.url, c.title, c.version, c.reverts_to, c.portal, c.notice_id
FROM (
    SELECT e.id AS event, e.kind, e.at, e.page_id, p.url, v.title, p.portal_id AS portal,
           CASE WHEN e.kind IN ('new', 'changed', 'revert', 'reextract') THEN v.number END
               AS version,
           v.reverts_to,
           coalesce(e.notice_id, (SELECT min(l.page_id) FROM attachments l
                                  WHERE l.attachment_page_id = e.page_id)) AS notice_id
    FROM events e JOIN pages p ON p.id = e.page_id LEFT JOIN versions v ON v.id = e.version_id
    WHERE e.at >= :since
      AND (:until IS NULL OR e.at < :until)
      AND (:after IS NULL OR e.id > :after)
      AND (:run IS NULL OR e.run_id = :run)
      AND (:portals IS NULL OR p.portal_id IN (SELECT value FROM json_each(:portals)))
    ORDER BY e.id DESC
) c
"""
_KINDS = "(:kinds IS NULL OR kind IN (SELECT value FROM json_each(:kinds)))"


def _params(db: Database, where: Filter) -> dict:
    portals = None
    if where.portal or where.region:
        portals = [
            pid
            for (pid,) in db.execute(
                "SELECT id FROM portals WHERE (:portal IS NULL OR id = :portal) "
                "AND (:region IS NULL OR region = :region)",
                {"portal": where.portal, "region": where.region},
            )
        ]
    return {
        "since": where.since,
        "until": where.until,
        "after": where.after,
        "run": where.run,
        "portals": None if portals is None else json.dumps(portals),
        "kinds": json.dumps(where.kinds) if where.kinds else None,
    }


def _described(db: Database, rows: list[dict]) -> list[dict]:
    """Each row with its portal's name and region, and its notice's address."""
    portals = {pid: (name, region) for pid, name, region in db.execute(
        "SELECT id, name, region FROM portals"
    )}  # fmt: skip
    notices = [row["notice_id"] for row in rows if row["notice_id"] is not None]
    marks = ",".join("?" * len(notices))
    urls = dict(db.execute(f"SELECT id, url FROM pages WHERE id IN ({marks})", notices).fetchall())
    for row in rows:
        row["portal_name"], row["region"] = portals.get(row["portal"], (None, None))
        row["notice_url"] = urls.get(row.pop("notice_id"), row["url"])
    return rows


def query(
    db: Database, where: Filter, *, offset: int = 0, limit: int = 50, counted: bool = True
) -> Changes:
    """The changes `where` selects, newest first (`limit` of them from `offset`), and how many
    there are of each kind (unless not `counted`: then no counts)."""
    params = _params(db, where)
    counts = {}
    if counted:
        counts = dict(
            db.execute(
                f"SELECT kind, count(*) FROM ({_SELECTED}) GROUP BY kind ORDER BY 2 DESC, 1",
                params,
            ).fetchall()
        )
    # newest first: the log's own order (by id, as _SELECTED reads it)
    rows = list(
        db.query(
            f"SELECT * FROM ({_SELECTED}) WHERE {_KINDS} ORDER BY event DESC"
            " LIMIT :limit OFFSET :offset",
            {**params, "limit": limit, "offset": offset},
        )
    )
    return Changes(_described(db, rows), counts, where.kinds)
