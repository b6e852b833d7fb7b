"""Coverage records: per run and portal, which lists were read whole (crawler.coverage writes
them), and the URLs sitemaps and feeds listed that a crawl fetched and did not archive."""

from collections.abc import Iterable, Mapping

from sqlite_utils import Database

from .errors import UnknownRun

LIST_COLUMNS = (
    "portal_id, kind, list_url, stated_items, stated_pages, read_items, read_pages, complete, "
    "reason"
)


def record(db: Database, run_id: int, portals: Iterable[Mapping], lists: Iterable[Mapping]) -> None:
    """Write a run's coverage (replacing what the run had: a crawl records it once, at its
    end). `portals`: {portal, complete, reason}; `lists`: crawler.coverage.ListCoverage
    records (portal, kind, list_url, stated and read counts, complete, why)."""
    lists = list(lists)
    db.execute("DELETE FROM coverage WHERE run_id = ?", [run_id])
    db.execute("DELETE FROM portal_coverage WHERE run_id = ?", [run_id])
    for entry in lists:
        db.execute(
            f"INSERT INTO coverage (run_id, {LIST_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                run_id,
                entry["portal"],
                entry["kind"],
                entry["list_url"],
                entry["stated_items"],
                entry["stated_pages"],
                entry["read_items"],
                entry["read_pages"],
                int(bool(entry["complete"])),
                entry["why"] or None,
            ],
        )
    for portal in portals:
        own = [e for e in lists if e["portal"] == portal["portal"]]
        db.execute(
            "INSERT INTO portal_coverage (run_id, portal_id, complete, reason, lists, "
            "incomplete_lists) VALUES (?, ?, ?, ?, ?, ?)",
            [
                run_id,
                portal["portal"],
                int(bool(portal["complete"])),
                portal["reason"] or None,
                len(own),
                sum(1 for e in own if not e["complete"]),
            ],
        )


def of_run(db: Database, run_id: int | None = None, portal: str | None = None) -> dict:
    """A run's coverage (the latest run's when None): its portals, each complete or not (and
    why), with its lists. UnknownRun when there is no such run."""
    if run_id is None:
        row = next(iter(db.query("SELECT max(id) AS id FROM runs")), None)
        run_id = row["id"] if row else None
        if run_id is None:
            raise UnknownRun("the archive has no run yet")
    elif next(iter(db.query("SELECT 1 FROM runs WHERE id = ?", [run_id])), None) is None:
        raise UnknownRun(f"no run {run_id} in the archive")
    where, params = ("AND portal_id = ?", [portal]) if portal else ("", [])
    portals = {
        row["portal_id"]: {
            "portal": row["portal_id"],
            "complete": bool(row["complete"]),
            "reason": row["reason"],
            "list_count": row["lists"],
            "incomplete_count": row["incomplete_lists"],
            "lists": [],
        }
        for row in db.query(
            f"SELECT * FROM portal_coverage WHERE run_id = ? {where} ORDER BY portal_id",
            [run_id, *params],
        )
    }
    for row in db.query(
        f"SELECT {LIST_COLUMNS} FROM coverage WHERE run_id = ? {where} "
        "ORDER BY portal_id, complete, kind, list_url",
        [run_id, *params],
    ):
        entry = dict(row, complete=bool(row["complete"]))
        pid = entry.pop("portal_id")
        portals.setdefault(
            pid,
            {
                "portal": pid,
                "complete": None,
                "reason": None,
                "list_count": 0,
                "incomplete_count": 0,
                "lists": [],
            },
        )
        portals[pid]["lists"].append(entry)
    return {"run": run_id, "portals": list(portals.values())}


def remember(db: Database, run_id: int | None, rows: Iterable[Mapping], at: str) -> None:
    """Note source URLs a run fetched (portal, url, source, changed): the latest fetch wins."""
    for row in rows:
        db.execute(
            "INSERT INTO source_urls (portal_id, url, source, changed, run_id, fetched_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (portal_id, url) DO UPDATE SET "
            "source = excluded.source, changed = excluded.changed, run_id = excluded.run_id, "
            "fetched_at = excluded.fetched_at",
            [row["portal"], row["url"], row["source"], row["changed"], run_id, at],
        )


def remembered(db: Database, portal_ids: list[str], since: str) -> dict[str, dict]:
    """The source URLs of these portals fetched since `since` and not archived: portal ->
    {url: the lastmod they had}."""
    marks = ",".join("?" * len(portal_ids))
    out: dict[str, dict] = {pid: {} for pid in portal_ids}
    for row in db.query(
        f"SELECT portal_id, url, changed FROM source_urls WHERE portal_id IN ({marks}) "
        "AND fetched_at >= ? AND url NOT IN (SELECT url FROM pages)",
        [*portal_ids, since],
    ):
        out[row["portal_id"]][row["url"]] = row["changed"]
    return out
