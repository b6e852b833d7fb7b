"""The changes the web view lists (the changes page, the front page): one query function.

Today it reads the archive's change feed (archive.feed: versions, gone fetches and delisted
pages since a time). When the archive keeps an append-only event log (every change with an
increasing event id), `query` reads the log instead and nothing else here changes: its rows
and counts keep the keys listed below (an event id may be added), and the pages only show them.
"""

import json
from dataclasses import dataclass

from sqlite_utils import Database

from .. import feed


@dataclass(frozen=True)
class Filter:
    """Which changes: crawl times as the archive writes them (UTC, `…Z`)."""

    since: str  # inclusive
    until: str | None = None  # exclusive
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


# The feed's records, newest first, with the kind a reader sees (a file a notice links: file-…)
# and the filters; portals by id (a region is its portals). A row: kind (new, changed, revert,
# gone, delisted, file-…), at (UTC), page_id, url, title, version (the version a change made;
# None otherwise), reverts_to, portal (its id), then added: portal_name, region, notice_url (the
# notice a file belongs to, else url).
_SELECTED = f"""
SELECT CASE WHEN c.notice_id IS NULL THEN c.kind ELSE 'file-' || c.kind END AS kind,
       c.at, c.page_id, c.url, c.title,
       CASE WHEN c.kind IN ('new', 'changed', 'revert') THEN c.version END AS version,
       c.reverts_to, c.portal, c.notice_id
FROM ({feed._CHANGES}) c
WHERE (:until IS NULL OR c.at < :until)
  AND (:portals IS NULL OR c.portal IN (SELECT value FROM json_each(:portals)))
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
    # no ORDER BY: the feed's records come newest first, and sorting them again would read
    # them all before the first page
    rows = list(
        db.query(
            f"SELECT * FROM ({_SELECTED}) WHERE {_KINDS} LIMIT :limit OFFSET :offset",
            {**params, "limit": limit, "offset": offset},
        )
    )
    return Changes(_described(db, rows), counts, where.kinds)
