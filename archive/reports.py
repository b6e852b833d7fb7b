"""Run reports: what each crawl did, per portal, and what went wrong."""

import json

from sqlite_utils import Database

from .errors import UnknownRun
from .models import OUTCOMES

# fetch outcomes, with what only the crawl's stats know around them
COLUMNS = [
    "pages_seen",
    *(o for o in OUTCOMES if o not in ("blocked", "error")),
    "soft-gone",
    "delisted",
    "blocked",
    "error",
]


def runs(db: Database, limit: int = 50) -> list[dict]:
    """The latest runs, newest first, with their outcome counts."""
    rows = []
    for row in db.query("SELECT * FROM runs ORDER BY id DESC LIMIT ?", [limit]):
        rows.append(
            {
                "id": row["id"],
                "started_at": row["started_at"],
                "finished_at": row["finished_at"],
                "status": row["status"],
                "portals": json.loads(row["portals"] or "[]"),
                "counts": json.loads(row["counts"] or "{}"),
            }
        )
    return rows


def run(db: Database, run_id: int) -> dict:
    """One run: its status, per-portal counts, and its errors."""
    row = next(iter(db.query("SELECT * FROM runs WHERE id = ?", [run_id])), None)
    if row is None:
        raise UnknownRun(f"no run {run_id} in the archive")
    stats = json.loads(row["stats"] or "{}")
    portals = {pid: dict.fromkeys(COLUMNS, 0) for pid in json.loads(row["portals"] or "[]")}
    for pid, outcome, count in db.execute(
        "SELECT p.portal_id, f.outcome, count(*) FROM fetches f JOIN pages p ON p.id = f.page_id "
        "WHERE f.run_id = ? GROUP BY p.portal_id, f.outcome",
        [run_id],
    ).fetchall():
        portals.setdefault(pid, dict.fromkeys(COLUMNS, 0))[outcome] = count
    for pid, counts in portals.items():
        counts["pages_seen"] = stats.get(f"portal/{pid}/pages_seen", 0)
        counts["delisted"] = stats.get(f"portal/{pid}/delisted", 0)
        counts["blocked"] = max(counts["blocked"], stats.get(f"portal/{pid}/blocked", 0))
        counts["soft-gone"] = stats.get(f"portal/{pid}/soft-gone", 0)
        counts["error"] = max(counts["error"], stats.get(f"portal/{pid}/errors", 0))
        counts["unreachable"] = bool(stats.get(f"portal/{pid}/unreachable"))
    errors = [
        dict(error)
        for error in db.query(
            "SELECT f.url, f.status, f.detail, p.portal_id AS portal FROM fetches f "
            "LEFT JOIN pages p ON p.id = f.page_id WHERE f.run_id = ? AND f.outcome = 'error'",
            [run_id],
        )
    ]
    errors += stats.get("crawl/errors", [])
    return {
        "id": row["id"],
        "started_at": row["started_at"],
        "finished_at": row["finished_at"],
        "status": row["status"],
        "portals": portals,
        "errors": errors,
    }
