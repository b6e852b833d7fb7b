"""The front page's slot for portals whose health is not ok.

The portal health ledger (a row per run and portal, with a derived state: ok, silent,
degraded, blocked, down) is not in the archive yet. Until it is, the slot shows nothing: this
module looks for the ledger's table and answers None when there is none. When the ledger
lands, `unhealthy` reads it (its table's name and columns may then differ from LEDGER's here:
this is the one function to change) and the front page lists what it returns.
"""

from sqlite_utils import Database

LEDGER = "portal_health"  # the ledger's table: portal_id, state, since (one row per portal)


def unhealthy(db: Database) -> list[dict] | None:
    """The portals whose state is not `ok`, most recently changed first (portal, name,
    state, since); None when the archive keeps no health ledger."""
    if not db[LEDGER].exists():
        return None
    return list(
        db.query(
            f"SELECT h.portal_id AS portal, p.name, h.state, h.since FROM [{LEDGER}] h "
            "LEFT JOIN portals p ON p.id = h.portal_id WHERE h.state != 'ok' "
            "ORDER BY h.since DESC, h.portal_id"
        )
    )
