"""Copies of a notice across pages: near-duplicate matching that never compares all pairs.

Each page's current text is reduced to a MinHash signature over character shingles (computed
with numpy: one vectorised pass); the signature's LSH bands are stored in SQLite, so a new version
is compared only with the pages that share a band (its candidates), by the exact Jaccard
similarity of their shingle sets. Two pages are copies when they are that similar and are also
the same notice (notice.identity: the same issuer and round where their fields know them, else
the same title): a template filled in by another unit is not a copy. Each pair keeps why
(`basis`); copies join one cluster. Matching is incremental: one new version costs one
signature and a few comparisons, whatever the size of the archive.
"""

import json

from sqlite_utils import Database

from notice.identity import Identity, basis
from notice.signature import bands, jaccard, shingles

from . import dates
from .models import utcnow

# Pages whose texts are at least this similar (Jaccard of their shingles), and that are the
# same notice, are copies.
DEFAULT_THRESHOLD = 0.7


def _current_text(db: Database, page_id: int) -> str:
    row = db.execute(
        "SELECT v.text FROM pages p JOIN versions v ON v.page_id = p.id "
        "AND v.number = p.current_version WHERE p.id = ?",
        [page_id],
    ).fetchone()
    return row[0] if row else ""


# A page's current version: its title, and the issuer and round its fields state.
_IDENTITY = (
    "SELECT p.id, v.title, f.issuer, f.inspection_round FROM pages p "
    "JOIN versions v ON v.page_id = p.id AND v.number = p.current_version "
    "LEFT JOIN notice_fields f ON f.version_id = v.id WHERE p.id IN ({marks})"
)


def identities(db: Database, page_ids: list[int]) -> dict[int, Identity]:
    """What the current version of each page says it is (see notice.identity)."""
    found = {}
    for start in range(0, len(page_ids), 500):
        chunk = page_ids[start : start + 500]
        sql = _IDENTITY.format(marks=",".join("?" * len(chunk)))
        for page_id, title, issuer, round_ in db.execute(sql, chunk).fetchall():
            found[page_id] = Identity(issuer, round_, title)
    return found


def basis_sql(a: str | None, b: str | None) -> str | None:
    """notice.identity.basis as a SQL function of two `json_array(issuer, round, title)`
    (for migrations that re-derive the pairs)."""
    if a is None or b is None:
        return None
    return basis(Identity(*json.loads(a)), Identity(*json.loads(b)))


def _linked(db: Database, page_id: int, threshold: float) -> list[int]:
    """The pages that are copies of this one: similar enough, and the same notice."""
    return [
        row[0]
        for row in db.execute(
            "SELECT page_b FROM copy_pairs WHERE page_a = :p AND similarity >= :t "
            "AND basis IS NOT NULL UNION SELECT page_a FROM copy_pairs WHERE page_b = :p "
            "AND similarity >= :t AND basis IS NOT NULL",
            {"p": page_id, "t": threshold},
        ).fetchall()
    ]


def _recluster(db: Database, page_ids: set[int], threshold: float) -> None:
    """Re-derive the clusters of these pages from the stored pairs: each connected group of
    pages at or above the threshold is one cluster, named by its smallest page id. A cluster
    whose links are gone splits; one that gained a link merges."""
    seen: set[int] = set()
    for start in sorted(page_ids):
        if start in seen:
            continue
        group, todo = {start}, [start]
        while todo:
            for other in _linked(db, todo.pop(), threshold):
                if other not in group:
                    group.add(other)
                    todo.append(other)
        seen |= group
        cluster_id = min(group)
        db.conn.executemany(
            "INSERT INTO copy_clusters (page_id, cluster_id) VALUES (?, ?) "
            "ON CONFLICT (page_id) DO UPDATE SET cluster_id = excluded.cluster_id",
            [(member, cluster_id) for member in group],
        )


def _members(db: Database, page_id: int) -> set[int]:
    """The pages of a page's current cluster (itself included)."""
    return {
        row[0]
        for row in db.execute(
            "SELECT page_id FROM copy_clusters WHERE cluster_id = "
            "(SELECT cluster_id FROM copy_clusters WHERE page_id = ?)",
            [page_id],
        ).fetchall()
    } | {page_id}


def index_page(
    db: Database,
    page_id: int,
    text: str,
    threshold: float,
    keys: list[str],
    identity: Identity | None = None,
) -> int:
    """(Re)index a page's current text: replace its bands and its similar pairs (with why
    each is the same notice, or not), then re-derive the clusters it was and is in (splitting
    or merging them as needed).

    Call inside the transaction that wrote the version; `keys` are the text's band keys
    (notice.signature.bands), `identity` what the version says it is (default: read from the
    page's current version). Returns how many candidates were compared.
    """
    before = _members(db, page_id)
    db.execute("DELETE FROM copy_bands WHERE page_id = ?", [page_id])
    db.execute("DELETE FROM copy_pairs WHERE page_a = ? OR page_b = ?", [page_id, page_id])
    db.conn.executemany(
        "INSERT INTO copy_bands (band, page_id) VALUES (?, ?)", [(key, page_id) for key in keys]
    )
    candidates = []
    if keys:
        marks = ",".join("?" * len(keys))
        candidates = [
            row[0]
            for row in db.execute(
                f"SELECT DISTINCT page_id FROM copy_bands WHERE band IN ({marks}) AND page_id != ?",
                [*keys, page_id],
            ).fetchall()
        ]
    now = utcnow()
    grams = shingles(text) if candidates else set()
    known = identities(db, [*candidates, page_id]) if candidates else {}
    identity = identity or known.get(page_id) or Identity(None, None, None)
    for other in candidates:
        similarity = round(jaccard(grams, shingles(_current_text(db, other))), 4)
        why = basis(identity, known[other]) if other in known else None
        a, b = sorted((page_id, other))
        db.execute(
            "INSERT INTO copy_pairs (page_a, page_b, similarity, computed_at, basis) "
            "VALUES (?, ?, ?, ?, ?)",
            [a, b, similarity, now, why],
        )
    _recluster(db, before | {page_id}, threshold)
    return len(candidates)


def reconsider(db: Database, page_ids: set[int], threshold: float) -> None:
    """Re-derive why the pairs of these pages are (or are not) the same notice, after what
    their current versions state was parsed again, and their clusters."""
    if not page_ids:
        return
    affected = set(page_ids)
    for page_id in sorted(page_ids):
        pairs = db.execute(
            "SELECT page_a, page_b FROM copy_pairs WHERE page_a = :p OR page_b = :p",
            {"p": page_id},
        ).fetchall()
        known = identities(db, sorted({p for pair in pairs for p in pair}))
        for a, b in pairs:
            why = basis(known[a], known[b]) if a in known and b in known else None
            db.execute(
                "UPDATE copy_pairs SET basis = ? WHERE page_a = ? AND page_b = ?", [why, a, b]
            )
            affected |= {a, b}
    members = set()
    for page_id in affected:
        members |= _members(db, page_id)
    _recluster(db, members, threshold)


def similarity(db: Database, a: int, b: int) -> float:
    """The similarity of two pages' current texts: the stored pair, else computed (pages of one
    cluster may be linked only through others). The same whichever page is asked first."""
    if a == b:
        return 1.0
    row = db.execute(
        "SELECT similarity FROM copy_pairs WHERE page_a = ? AND page_b = ?", sorted((a, b))
    ).fetchone()
    if row:
        return row[0]
    return round(jaccard(shingles(_current_text(db, a)), shingles(_current_text(db, b))), 4)


_COPY_COLUMNS = (
    "SELECT p.id AS page_id, p.url, p.portal_id AS portal, p.first_seen, p.state, v.published, "
    "v.title, p.current_version AS version, f.issuer, f.inspection_round AS round "
    "FROM {source} JOIN pages p ON p.id = {page} "
    "LEFT JOIN versions v ON v.page_id = p.id AND v.number = p.current_version "
    "LEFT JOIN notice_fields f ON f.version_id = v.id "
)


def same_notice(db: Database, a: int, b: int) -> str | None:
    """Why two pages are one notice (notice.identity.basis): the stored pair's, else read
    from their current versions (pages of one cluster may be linked only through others)."""
    if a == b:
        return "this page"
    row = db.execute(
        "SELECT basis FROM copy_pairs WHERE page_a = ? AND page_b = ?", sorted((a, b))
    ).fetchone()
    if row:
        return row[0]
    known = identities(db, [a, b])
    return basis(known[a], known[b]) if a in known and b in known else None


def copies(db: Database, page_id: int) -> list[dict]:
    """The pages in the same cluster as a page (itself included), first published first, each
    with its issuer and round, its similarity to that page and why it is the same notice
    (`same_notice`: "issuer and round", "issuer", "title and round" or "title")."""
    rows = list(
        db.query(
            _COPY_COLUMNS.format(source="copy_clusters c", page="c.page_id")
            + "WHERE c.cluster_id = (SELECT cluster_id FROM copy_clusters WHERE page_id = :page) "
            "ORDER BY coalesce(v.published, substr(p.first_seen, 1, 10)), p.first_seen, p.id",
            {"page": page_id},
        )
    )
    if not rows:  # a page never matched (archived before copy matching) is its own cluster
        rows = list(
            db.query(
                _COPY_COLUMNS.format(source="(SELECT :page AS id) one", page="one.id"),
                {"page": page_id},
            )
        )
    for row in rows:
        row["similarity"] = similarity(db, page_id, row["page_id"])
        row["same_notice"] = same_notice(db, page_id, row["page_id"])
    return rows


def republished(db: Database, since: str | None = None) -> list[dict]:
    """Clusters with more than one copy, newest activity first; each copy with its similarity
    to the first published one and why it is the same notice."""
    clusters = db.execute(
        "SELECT c.cluster_id, count(*) AS n, max(p.first_seen) AS latest FROM copy_clusters c "
        "JOIN pages p ON p.id = c.page_id GROUP BY c.cluster_id HAVING n > 1 "
        "AND (:since IS NULL OR latest >= :since) ORDER BY latest DESC",
        {"since": dates.crawl_time(since) if since else None},
    ).fetchall()
    found = []
    for cluster_id, _, latest in clusters:
        first = copies(db, cluster_id)[0]["page_id"]  # similarity and why: to the first copy
        found.append({"cluster": cluster_id, "copies": copies(db, first), "latest": latest})
    return found


def index_all(db: Database, threshold: float, *, rebuild: bool = False) -> int:
    """Index pages not indexed yet (all of them with `rebuild`); return how many were indexed."""
    if rebuild:
        for table in ("copy_bands", "copy_pairs", "copy_clusters"):
            db.execute(f"DELETE FROM {table}")
    pending = db.execute(
        "SELECT p.id, v.text FROM pages p JOIN versions v ON v.page_id = p.id "
        "AND v.number = p.current_version "
        "WHERE p.id NOT IN (SELECT page_id FROM copy_clusters) ORDER BY p.id"
    ).fetchall()
    for page_id, text in pending:
        index_page(db, page_id, text, threshold, bands(text))
    return len(pending)
