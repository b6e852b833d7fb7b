"""The portal health ledger: one row per run and portal, and the states derived from them.

A crawl that ends (the local pipeline, or the distributed writer) closes its run with
`Archive.finish_run`, which writes, in the same transaction, one ledger row per portal of the
run: reachable or not, blocked by whom, pages, notices listed, the notices new, changed, gone
and delisted (from the event log), lists complete or not (and why), the lists' coverage and
whether pages stopped matching the portal's template (where the crawl records them), errors.

A portal's state is derived from its rows, oldest first, by a pure function (`timeline`):

- `blocked`: its start page answered a challenge or block page (a vendor, or a captcha);
- `down`: its start page did not answer;
- `silent`: no notice listed for the last `silent_runs` runs, where an earlier run listed some
  (a template that changed, a list moved: a broken portal that looks like a quiet one);
- `degraded`: lists incomplete, pages that stopped matching the template, errors rising (at
  least ERRORS_MIN and more than the run before);
- `ok`: none of these.

Rows of runs that did not finish (interrupted, failed) are kept but say nothing of a portal's
health: they change no state.
"""

import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass

from sqlite_utils import Database

STATES = ("ok", "silent", "degraded", "blocked", "down")
SILENT_RUNS = 3  # no notice listed for this many runs: silent
ERRORS_MIN = 3  # fewer errors than this are never "rising"
COVERAGE_LISTED = 20  # the incomplete lists a ledger row names, at most
# runs that say nothing of a portal's health
NO_EVIDENCE = ("interrupted", "failed", "running")
# the event kinds counted in a row, by column
EVENT_COLUMNS = {
    "new": ("new",),
    "changed": ("changed", "revert"),
    "gone": ("gone", "soft-gone"),
    "delisted": ("delisted",),
}
COLUMNS = (
    "run_id",
    "portal_id",
    "at",
    "run_status",
    "reachable",
    "blocked_by",
    "pages",
    "listed",
    "new",
    "changed",
    "gone",
    "delisted",
    "lists_complete",
    "incomplete_why",
    "coverage",
    "template_changed",
    "errors",
)


@dataclass(frozen=True)
class Row:
    """One run of one portal, as the ledger keeps it (None: not known for that run)."""

    run_id: int
    portal_id: str
    at: str
    run_status: str
    reachable: bool
    blocked_by: str | None
    pages: int
    listed: int | None
    new: int
    changed: int
    gone: int
    delisted: int
    lists_complete: bool | None
    incomplete_why: str | None
    coverage: str | None  # JSON: the lists' coverage (the crawl's list coverage, if recorded)
    template_changed: bool | None
    errors: int

    @classmethod
    def from_db(cls, row: Mapping) -> "Row":
        values = {name: row[name] for name in COLUMNS}
        for name in ("reachable", "lists_complete", "template_changed"):
            if values[name] is not None:
                values[name] = bool(values[name])
        return cls(**values)


@dataclass(frozen=True)
class State:
    """A portal's state after one of its runs, and why."""

    state: str
    reason: str = ""


@dataclass(frozen=True)
class Health:
    """A portal's state now: since which run, its last good (ok) run, its latest run."""

    portal: str
    state: str
    reason: str
    since_run: int
    since: str
    last_good_run: int | None
    last_good: str | None
    last_run: int
    last_at: str
    listed: int | None

    def as_dict(self) -> dict:
        return asdict(self)


# -- what one run says -----------------------------------------------------------------


def _stat(stats: Mapping, portal_id: str, name: str):
    return stats.get(f"portal/{portal_id}/{name}")


def coverage_of(db: Database, run_id: int, portal_id: str, stats: Mapping) -> tuple:
    """Whether the portal's lists were read whole in this run, why not, and their coverage
    (JSON: how many lists, how many incomplete, and the incomplete ones with why; None when
    the run recorded none): from the run's coverage records (archive.coverage), else from its
    stats (a cap hit, a list page failed). The one place the ledger reads list coverage."""
    if db["portal_coverage"].exists():
        row = db.execute(
            "SELECT complete, reason, lists, incomplete_lists FROM portal_coverage "
            "WHERE run_id = ? AND portal_id = ?",
            [run_id, portal_id],
        ).fetchone()
        if row is not None:
            complete, reason, lists, incomplete = row
            missing = db.execute(
                "SELECT list_url, reason FROM coverage WHERE run_id = ? AND portal_id = ? "
                "AND NOT complete ORDER BY list_url LIMIT ?",
                [run_id, portal_id, COVERAGE_LISTED],
            ).fetchall()
            coverage = {
                "lists": lists,
                "incomplete": incomplete,
                "incomplete_lists": [{"url": url, "why": why} for url, why in missing],
            }
            return bool(complete), reason, json.dumps(coverage, ensure_ascii=False)
    why = _stat(stats, portal_id, "listing_incomplete")
    if why:
        return False, str(why), None
    if stats.get("finish_reason") not in (None, "finished"):
        return None, None, None  # a run stopped early read no list to its end: unknown
    return True, None, None


def template_of(db: Database, run_id: int, portal_id: str, stats: Mapping) -> bool | None:
    """Whether the portal's pages stopped matching its template in this run (None: not
    known; the crawl records no template model yet). The one place the ledger reads it."""
    value = _stat(stats, portal_id, "template_changed")
    return None if value is None else bool(value)


def _event_counts(db: Database, run_id: int) -> dict[tuple[str, str], int]:
    """(portal, kind) → how many notices (not files) had an event of that kind in the run."""
    rows = db.execute(
        "SELECT p.portal_id, e.kind, count(DISTINCT e.page_id) FROM events e "
        "JOIN pages p ON p.id = e.page_id WHERE e.run_id = ? AND e.notice_id IS NULL "
        "GROUP BY p.portal_id, e.kind",
        [run_id],
    ).fetchall()
    return {(portal, kind): n for portal, kind, n in rows}


def run_rows(
    db: Database, run_id: int, status: str, stats: Mapping, portal_ids: Iterable[str], at: str
) -> list[Row]:
    """The ledger rows of a run that ends, one per portal, from its stats and events."""
    events = _event_counts(db, run_id)
    rows = []
    for pid in portal_ids:
        blocked_by = _stat(stats, pid, "blocked_by")
        complete, why, coverage = coverage_of(db, run_id, pid, stats)
        listed = _stat(stats, pid, "listed")
        counts = {
            column: sum(events.get((pid, kind), 0) for kind in kinds)
            for column, kinds in EVENT_COLUMNS.items()
        }
        rows.append(
            Row(
                run_id=run_id,
                portal_id=pid,
                at=at,
                run_status=status,
                reachable=not (blocked_by or _stat(stats, pid, "unreachable")),
                blocked_by=str(blocked_by) if blocked_by else None,
                pages=int(_stat(stats, pid, "pages_seen") or 0),
                listed=None if listed is None else int(listed),
                lists_complete=complete,
                incomplete_why=why,
                coverage=coverage,
                template_changed=template_of(db, run_id, pid, stats),
                errors=int(_stat(stats, pid, "errors") or 0),
                **counts,
            )
        )
    return rows


def write(db: Database, rows: Iterable[Row]) -> None:
    """Add ledger rows (call inside the run's closing transaction)."""
    for row in rows:
        values = asdict(row)
        db.execute(
            f"INSERT OR REPLACE INTO health_ledger ({', '.join(COLUMNS)}) "
            f"VALUES ({', '.join('?' for _ in COLUMNS)})",
            [values[name] for name in COLUMNS],
        )


# -- states: pure functions over a portal's rows ------------------------------------------


def _silent(evidence: list[Row], silent_runs: int) -> str | None:
    """Why the portal is silent (the last `silent_runs` runs listed nothing, an earlier one
    listed some), or None."""
    recent, before = evidence[-silent_runs:], evidence[:-silent_runs]
    if len(recent) < silent_runs or any(r.listed is None or r.listed > 0 for r in recent):
        return None
    listed_before = max((r.listed or 0 for r in before), default=0)
    if listed_before == 0:
        return None
    return f"no notice listed for {silent_runs} run(s); {listed_before} listed before"


def condition(evidence: list[Row], silent_runs: int = SILENT_RUNS) -> State:
    """The state after the last of a portal's runs (`evidence`: its finished runs, oldest
    first, the last one included)."""
    row = evidence[-1]
    if row.blocked_by:
        return State("blocked", f"blocked by {row.blocked_by}")
    if not row.reachable:
        return State("down", "its start page did not answer")
    silent = _silent(evidence, silent_runs)
    if silent:
        return State("silent", silent)
    if row.lists_complete is False:
        return State("degraded", f"lists incomplete ({row.incomplete_why})")
    if row.template_changed:
        return State("degraded", "its pages stopped matching its template")
    before = evidence[-2].errors if len(evidence) > 1 else None
    if before is not None and row.errors >= ERRORS_MIN and row.errors > before:
        return State("degraded", f"errors rising: {row.errors}, {before} the run before")
    return State("ok")


def timeline(rows: list[Row], silent_runs: int = SILENT_RUNS) -> list[State | None]:
    """The state after each of a portal's rows (oldest first); a row of a run that did not
    finish keeps the state before it (None before any evidence)."""
    states: list[State | None] = []
    evidence: list[Row] = []
    current = None
    for row in rows:
        if row.run_status not in NO_EVIDENCE:
            evidence.append(row)
            current = condition(evidence, silent_runs)
        states.append(current)
    return states


def health(rows: list[Row], silent_runs: int = SILENT_RUNS) -> Health | None:
    """A portal's health from its rows (oldest first): its state, since when, its last good
    run; None when no run of it finished."""
    states = timeline(rows, silent_runs)
    if not states or states[-1] is None:
        return None
    now = states[-1]
    start = len(states) - 1
    while start > 0 and states[start - 1] is not None and states[start - 1].state == now.state:
        start -= 1
    good = [i for i, s in enumerate(states) if s is not None and s.state == "ok"]
    last = rows[-1]
    return Health(
        portal=last.portal_id,
        state=now.state,
        reason=now.reason,
        since_run=rows[start].run_id,
        since=rows[start].at,
        last_good_run=rows[good[-1]].run_id if good else None,
        last_good=rows[good[-1]].at if good else None,
        last_run=last.run_id,
        last_at=last.at,
        listed=last.listed,
    )


def change(rows: list[Row], silent_runs: int = SILENT_RUNS) -> dict | None:
    """How the last row changed the portal's state ({portal, before, state, reason}), or None.
    A portal's first state is a change only when it is not ok."""
    states = timeline(rows, silent_runs)
    if not states or states[-1] is None:
        return None
    before = states[-2] if len(states) > 1 else None
    now = states[-1]
    if (before.state if before else "ok") == now.state:
        return None
    return {
        "portal": rows[-1].portal_id,
        "before": before.state if before else None,
        "state": now.state,
        "reason": now.reason,
    }


# -- reading the ledger ------------------------------------------------------------------


def rows_of(db: Database, portal: str | None = None, upto_run: int | None = None) -> dict:
    """Ledger rows by portal, oldest first (`upto_run`: only runs up to that one)."""
    where, params = [], []
    if portal is not None:
        where.append("portal_id = ?")
        params.append(portal)
    if upto_run is not None:
        where.append("run_id <= ?")
        params.append(upto_run)
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    out: dict[str, list[Row]] = {}
    for row in db.query(f"SELECT * FROM health_ledger {clause} ORDER BY portal_id, run_id", params):
        out.setdefault(row["portal_id"], []).append(Row.from_db(row))
    return out


def states(db: Database, portal: str | None = None, silent_runs: int = SILENT_RUNS) -> list:
    """Every portal's health now (Health), the ones that are not ok first."""
    found = [health(rows, silent_runs) for rows in rows_of(db, portal).values()]
    found = [h for h in found if h is not None]
    return sorted(found, key=lambda h: (h.state == "ok", h.portal))


def changes(db: Database, run_id: int, silent_runs: int = SILENT_RUNS) -> list[dict]:
    """The portals whose state the run changed."""
    portals = [
        r[0]
        for r in db.execute(
            "SELECT portal_id FROM health_ledger WHERE run_id = ? ORDER BY portal_id", [run_id]
        ).fetchall()
    ]
    found = []
    for pid in portals:
        moved = change(rows_of(db, pid, upto_run=run_id).get(pid, []), silent_runs)
        if moved is not None:
            found.append(moved)
    return found


def history(db: Database, portal: str, silent_runs: int = SILENT_RUNS) -> list[dict]:
    """A portal's rows, oldest first, each with the state after it."""
    rows = rows_of(db, portal).get(portal, [])
    out = []
    for row, state in zip(rows, timeline(rows, silent_runs), strict=True):
        record = asdict(row)
        record["coverage"] = json.loads(row.coverage) if row.coverage else None
        record["state"] = state.state if state else None
        record["reason"] = state.reason if state else None
        out.append(record)
    return out
