"""The /-/health page: each portal's state (ok, silent, degraded, blocked, down), since when,
its last good run; with ?portal=ID, the ledger row of each of its runs (archive.health)."""

from sqlite_utils import Database

from .. import health

# the page's order: what needs attention first
ORDER = {state: i for i, state in enumerate(("blocked", "down", "silent", "degraded", "ok"))}


def has_ledger(db: Database) -> bool:
    """An archive older than the ledger (Datasette opens it read-only: never migrated)."""
    return db["health_ledger"].exists()


def page(db: Database, portal: str | None = None) -> dict:
    """The health page's context."""
    if not has_ledger(db):
        return {"ledger": False, "portals": [], "portal": portal, "runs": []}
    found = [h.as_dict() for h in health.states(db, portal)]
    found.sort(key=lambda h: (ORDER[h["state"]], h["portal"]))
    runs = list(reversed(health.history(db, portal))) if portal else []
    return {"ledger": True, "portals": found, "portal": portal, "runs": runs}


def unhealthy(db: Database) -> list[dict] | None:
    """The portals whose state is not ok, most recently changed first (portal, name, state,
    since, reason); None when the archive keeps no health ledger: what the front page's slot
    for them lists."""
    if not has_ledger(db):
        return None
    names = dict(db.execute("SELECT id, name FROM portals").fetchall())
    found = [
        {
            "portal": h.portal,
            "name": names.get(h.portal),
            "state": h.state,
            "since": h.since,
            "reason": h.reason,
        }
        for h in health.states(db)
        if h.state != "ok"
    ]
    return sorted(found, key=lambda h: (h["since"], h["portal"]), reverse=True)
