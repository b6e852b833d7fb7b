"""The /-/health page: each portal's state (ok, silent, degraded, blocked, down), since when,
its last good run; with ?portal=ID, the ledger row of each of its runs (archive.health)."""

from sqlite_utils import Database

from .. import health

# the page's order: what needs attention first
ORDER = {state: i for i, state in enumerate(("blocked", "down", "silent", "degraded", "ok"))}


def has_ledger(db: Database) -> bool:
    """An archive older than the ledger (Datasette opens it read-only: never migrated)."""
    return db["portal_health"].exists()


def page(db: Database, portal: str | None = None) -> dict:
    """The health page's context."""
    if not has_ledger(db):
        return {"ledger": False, "portals": [], "portal": portal, "runs": []}
    found = [h.as_dict() for h in health.states(db, portal)]
    found.sort(key=lambda h: (ORDER[h["state"]], h["portal"]))
    runs = list(reversed(health.history(db, portal))) if portal else []
    return {"ledger": True, "portals": found, "portal": portal, "runs": runs}


def not_ok(db: Database) -> list[dict]:
    """The portals whose health is not ok (none when the archive has no ledger)."""
    return [h for h in page(db)["portals"] if h["state"] != "ok"]
