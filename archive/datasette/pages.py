"""What the notice and copies pages show, read from an archive connection by the archive's own
library.

Each function takes a read-only sqlite_utils Database and returns the template's context;
nothing here writes. Errors are the archive's (UnknownPage, UnknownVersion), BadInput (a
malformed parameter) or Missing (nothing stored for what was asked), with a clear message.
"""

from sqlite_utils import Database

from ..copies import copies
from ..errors import ArchiveError, UnknownVersion
from ..queries import Queries
from .compact import compact_texts

HISTORY_FIGURES = 20  # the timeline gives the figures of this many newest changes
VIEWS = ("inline", "side")  # how the notice page shows a diff


class BadInput(ArchiveError):
    """A query-string parameter is missing or malformed."""


class Missing(ArchiveError):
    """The archive holds nothing for what was asked (a fetch that stored no page …)."""


class Reader(Queries):
    """The archive's read queries over a connection Datasette opened (read-only)."""

    def __init__(self, db: Database) -> None:
        self.db = db


def number(value: str | int | None, name: str) -> int | None:
    """A version (or fetch) number from the query string; None when not given."""
    if value is None or value == "":
        return None
    if not str(value).isdigit():
        raise BadInput(f"{name} must be a version number, not {value!r}")
    return int(value)


_FETCHES = """
SELECT f.id AS fetch, f.fetched_at AS at, f.outcome AS event, f.status, f.detail,
       f.blob_sha256 IS NOT NULL AS stored, v.number AS version
FROM fetches f LEFT JOIN versions v ON v.id = f.version_id WHERE f.page_id = ? ORDER BY f.id
"""


def _timeline(db: Database, page_id: int, versions: list[dict]) -> list[dict]:
    """Every fetch outcome and every version, oldest first (a reextracted version has no
    fetch of its own, so it is listed as a version); a fetch that stored the page it got can
    be seen as captured."""
    events = list(db.query(_FETCHES, [page_id]))
    fetched = {e["version"] for e in events if e["event"] in ("new", "changed", "revert")}
    for v in versions:
        if v["number"] not in fetched:
            events.append(
                {"at": v["fetched_at"], "event": v["kind"], "status": None, "fetch": None,
                 "version": v["number"], "detail": None, "stored": bool(v["blob_sha256"])}
            )  # fmt: skip
    return sorted(events, key=lambda e: e["at"])


def _texts(db: Database, page_id: int, numbers: list[int]) -> dict[int, str]:
    marks = ",".join("?" * len(numbers))
    rows = db.execute(
        f"SELECT number, text FROM versions WHERE page_id = ? AND number IN ({marks})",
        [page_id, *numbers],
    ).fetchall()
    return dict(rows)


def _history_figures(db: Database, page_id: int, versions: list[dict]) -> dict[int, str]:
    """The figures each of the newest changes changed (version number → summary)."""
    changed = [v["number"] for v in versions if v["number"] > 1][-HISTORY_FIGURES:]
    if not changed:
        return {}
    texts = _texts(db, page_id, sorted({n - 1 for n in changed} | set(changed)))
    return {n: compact_texts(texts[n - 1], texts[n], "h").figures for n in changed}


def _checked(page: dict, value: int | None) -> int | None:
    if value is not None and not 1 <= value <= (page["current_version"] or 0):
        count = page["current_version"] or 0
        raise UnknownVersion(f"{page['url']} has no version {value} (it has versions 1 to {count})")
    return value


def pair(page: dict, params: dict) -> tuple[int, int] | None:
    """The two versions to compare: `from` and `to` (either defaults from the other), or
    `upto` against the version before it (the older address), or version `v` against the
    current one, or the last two. None when there is no other version to compare with."""
    current = page["current_version"] or 0
    low, high, upto, shown = (
        _checked(page, number(params.get(key), key)) for key in ("from", "to", "upto", "v")
    )
    if low is not None or high is not None:
        low, high = low or (high or current) - 1, high or current
        if low == high:
            low = high - 1 if high > 1 else None
    elif upto is not None:
        low, high = upto - 1, upto
    elif shown is not None and shown != current:
        low, high = shown, current
    else:
        low, high = current - 1, current
    return (low, high) if low and high and low >= 1 else None


def notice(db: Database, url: str | None, params: dict) -> dict:
    """A notice's page: state; two of its versions compared (`pair`), inline or side by side
    (`view`); the timeline of every fetch and version; one version's text (`v`, default the
    current one) with what it states; its attachments and copies."""
    if not url:
        raise BadInput("give the notice's address: /-/notice?url=URL")
    view = params.get("view") or "inline"
    if view not in VIEWS:
        raise BadInput(f"view must be inline or side, not {view!r}")
    for key in ("from", "to", "upto", "v"):  # malformed before unknown
        number(params.get(key), key)
    reader = Reader(db)
    page = reader.page(url)
    url = page["url"]
    portal = reader._one("SELECT * FROM portals WHERE id = ?", [page["portal_id"]]) or {}
    versions = reader.versions(url)
    by_number = {v["number"]: v for v in versions}
    current = page["current_version"] or 0
    shown = _checked(page, number(params.get("v"), "v")) or current
    compared = pair(page, params)
    compare = None
    if compared:
        texts = _texts(db, page["id"], list(compared))
        compare = {
            "old": by_number[compared[0]],
            "new": by_number[compared[1]],
            "diff": compact_texts(texts[compared[0]], texts[compared[1]], "d"),
        }
    return {
        "url": url,
        "page": page,
        # where a redirected page went, when the archive holds that page too
        "target_archived": bool(
            page["redirect_to"]
            and reader._one("SELECT 1 AS found FROM pages WHERE url = ?", [page["redirect_to"]])
        ),
        "portal": portal,
        "current": by_number.get(current),
        "shown": reader.version(url, shown) if current else None,
        "structure": reader.structure(url, shown) if current else None,
        "versions": versions,
        "compare": compare,
        "view": view,
        "timeline": _timeline(db, page["id"], versions),
        "figures": _history_figures(db, page["id"], versions),
        "copies": [c for c in copies(db, page["id"]) if c["url"] != url] if current else [],
    }


def after_id(after: str | None) -> int | None:
    """The `after` parameter checked (an event id), or None."""
    if after is None or after == "":
        return None
    if not after.isdigit():
        raise BadInput(f"after must be an event id (a number), not {after!r}")
    return int(after)


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
