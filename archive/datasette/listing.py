"""What the changes page, its Atom feed and the front page show: changes read through
changes.query (the one place that knows where changes are kept), with their figures.

Each function takes a read-only sqlite_utils Database; nothing here writes.
"""

from sqlite_utils import Database

from .. import dates, events, feed
from ..errors import InvalidDate
from . import changes, clock, health_page
from .compact import compact_texts
from .pages import BadInput, after_id, number

CHANGES_PER_PAGE = 50  # rows of the changes page and entries of its Atom feed
DEFAULT_DAYS = 7  # the changes page without ?since= shows the last week
RECENT = 6  # the front page's most recently changed notices
CHANGED = ("changed", "revert")  # the kinds whose figures are shown
# what the front page's count of the last run leaves out: the notice's text did not change
# (its page's chrome did, or a better extractor read it again)
QUIET = ("chrome-only", "reextract")


def _bound(value: str | None, option: str, *, end: bool = False) -> str | None:
    if not value:
        return None
    try:
        return clock.bound(value, option, end=end)
    except InvalidDate as exc:
        raise BadInput(str(exc)) from None


def since_date(since: str | None) -> str:
    """The `since` parameter as a UTC bound (a day is a China-time day), or a week ago."""
    return _bound(since or clock.days_ago(DEFAULT_DAYS), "since")


def _with_figures(db: Database, rows: list[dict]) -> list[dict]:
    """Each change of a text with the figures it changed."""
    for row in rows:
        row["figures"] = ""
        if row["kind"].removeprefix("file-") in CHANGED and row["version"]:
            texts = dict(
                db.execute(
                    "SELECT number, text FROM versions WHERE page_id = ? AND number IN (?, ?)",
                    [row["page_id"], row["version"] - 1, row["version"]],
                ).fetchall()
            )
            row["figures"] = compact_texts(
                texts[row["version"] - 1], texts[row["version"]], "c"
            ).figures
    return rows


def _choices(db: Database) -> dict:
    """What the filters offer: the portals (id, name) and the regions."""
    return {
        "portals": list(db.query("SELECT id, name FROM portals ORDER BY id")),
        "regions": [
            r
            for (r,) in db.execute(
                "SELECT DISTINCT region FROM portals WHERE region IS NOT NULL ORDER BY region"
            )
        ],
    }


def changes_page(db: Database, params: dict) -> dict:
    """A page of the changes the parameters select (since, until: days or ISO times; kind;
    portal; region; page), newest first, with the counts of each kind."""
    keys = ("since", "until", "kind", "portal", "region", "after")
    shown = {key: params.get(key) or None for key in keys}
    after = after_id(shown["after"])
    if after is None or shown["since"]:  # after an event id alone: every event after it
        shown["since"] = shown["since"] or clock.days_ago(DEFAULT_DAYS)
    where = changes.Filter(
        since=since_date(shown["since"]) if shown["since"] else "0000",
        until=_bound(shown["until"], "until", end=True),
        after=after,
        kinds=(shown["kind"],) if shown["kind"] else (),
        portal=shown["portal"],
        region=shown["region"],
    )
    page = number(params.get("page"), "page") or 1
    found = changes.query(db, where, offset=(page - 1) * CHANGES_PER_PAGE, limit=CHANGES_PER_PAGE)
    pages = max(1, -(-found.total // CHANGES_PER_PAGE))
    return {
        "filters": shown,
        "bounds": where,
        "counts": found.counts,
        "total": found.total,
        "rows": _with_figures(db, found.rows),
        "page": page,
        "pages": pages,
        **_choices(db),
    }


def atom(db: Database, since: str | None, after: str | None = None) -> str:
    """The Atom feed of the newest changes after an event id and/or since a UTC time (default,
    without either: a week ago), CHANGES_PER_PAGE at most; its entries' ids are the archive's
    and the events' (unique, stable)."""
    event = after_id(after)
    try:
        bound = dates.crawl_time(since) if since else None
    except InvalidDate as exc:
        raise BadInput(str(exc)) from None
    if bound is None and event is None:
        bound = since_date(None)
    rows = feed.changes(db, bound, limit=CHANGES_PER_PAGE, after=event)
    return feed.to_atom(rows, archive=events.archive_id(db))


def front(db: Database) -> dict | None:
    """The front page: the last run's changes by kind, the notices most recently changed
    with their figures, and the portals whose health is not ok (None: no ledger yet). None
    for a database that is no archive."""
    if not db["pages"].exists():
        return None
    runs = db.query("SELECT id, started_at, finished_at, status FROM runs ORDER BY id DESC LIMIT 1")
    run = next(iter(runs), None)
    last = changes.query(db, changes.Filter(since="0000", run=run["id"]), limit=0) if run else None
    every = changes.Filter(since="0000", kinds=CHANGED)
    recent = changes.query(db, every, limit=RECENT, counted=False)
    return {
        "run": run,
        "run_day": clock.local_day(run["started_at"]) if run else None,
        "counts": {
            kind: n
            for kind, n in (last.counts if last else {}).items()
            if kind.removeprefix("file-") not in QUIET
        },
        "recent": _with_figures(db, recent.rows),
        "health": health_page.unhealthy(db),
        "notices": "notices" in db.view_names(),
    }
