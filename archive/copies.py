"""Copies of a notice across pages: near-duplicate matching that never compares all pairs.

Each page's current text is reduced to a MinHash signature over character shingles (computed
with numpy: one vectorised pass); the signature's LSH bands are stored in SQLite, so a new version
is compared only with the pages that share a band (its candidates), by the exact Jaccard
similarity of their shingle sets. Pages at or above the threshold join one cluster. Matching is
incremental: one new version costs one signature and a few comparisons, whatever the size of the
archive.
"""

from sqlite_utils import Database

from notice.signature import bands, jaccard, shingles

from . import dates
from .models import utcnow

# Pages whose texts are at least this similar (Jaccard of their shingles) are copies.
DEFAULT_THRESHOLD = 0.7


def _current_text(db: Database, page_id: int) -> str:
    row = db.execute(
        "SELECT v.text FROM pages p JOIN versions v ON v.page_id = p.id "
        "AND v.number = p.current_version WHERE p.id = ?",
        [page_id],
    ).fetchone()
    return row[0] if row else ""


def _linked(db: Database, page_id: int, threshold: float) -> list[int]:
    """The pages whose stored similarity with this one reaches the threshold."""
    return [
        row[0]
        for row in db.execute(
            "SELECT page_b FROM copy_pairs WHERE page_a = :p AND similarity >= :t "
            "UNION SELECT page_a FROM copy_pairs WHERE page_b = :p AND similarity >= :t",
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


def index_page(db: Database, page_id: int, text: str, threshold: float, keys: list[str]) -> int:
    """(Re)index a page's current text: replace its bands and its similar pairs, then
    re-derive the clusters it was and is in (splitting or merging them as needed).

    Call inside the transaction that wrote the version; `keys` are the text's band keys
    (notice.signature.bands). Returns how many candidates were compared.
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
    for other in candidates:
        similarity = round(jaccard(grams, shingles(_current_text(db, other))), 4)
        a, b = sorted((page_id, other))
        db.execute(
            "INSERT INTO copy_pairs (page_a, page_b, similarity, computed_at) VALUES (?, ?, ?, ?)",
            [a, b, similarity, now],
        )
    _recluster(db, before | {page_id}, threshold)
    return len(candidates)


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


def copies(db: Database, page_id: int) -> list[dict]:
    """The pages in the same cluster as a page (itself included), first published first, each
    with its similarity to that page."""
    rows = list(
        db.query(
            """SELECT p.id AS page_id, p.url, p.portal_id AS portal, p.first_seen, p.state,
                      v.published, v.title, p.current_version AS version
               FROM copy_clusters c JOIN pages p ON p.id = c.page_id
               LEFT JOIN versions v ON v.page_id = p.id AND v.number = p.current_version
               WHERE c.cluster_id = (SELECT cluster_id FROM copy_clusters WHERE page_id = :page)
               ORDER BY coalesce(v.published, substr(p.first_seen, 1, 10)), p.first_seen, p.id""",
            {"page": page_id},
        )
    )
    if not rows:  # a page never matched (archived before copy matching) is its own cluster
        rows = list(
            db.query(
                "SELECT p.id AS page_id, p.url, p.portal_id AS portal, p.first_seen, p.state, "
                "v.published, v.title, p.current_version AS version FROM pages p "
                "LEFT JOIN versions v ON v.page_id = p.id AND v.number = p.current_version "
                "WHERE p.id = ?",
                [page_id],
            )
        )
    for row in rows:
        row["similarity"] = similarity(db, page_id, row["page_id"])
    return rows


def republished(db: Database, since: str | None = None) -> list[dict]:
    """Clusters with more than one copy, newest activity first."""
    clusters = db.execute(
        "SELECT c.cluster_id, count(*) AS n, max(p.first_seen) AS latest FROM copy_clusters c "
        "JOIN pages p ON p.id = c.page_id GROUP BY c.cluster_id HAVING n > 1 "
        "AND (:since IS NULL OR latest >= :since) ORDER BY latest DESC",
        {"since": dates.crawl_time(since) if since else None},
    ).fetchall()
    return [
        {"cluster": cluster_id, "copies": copies(db, cluster_id), "latest": latest}
        for cluster_id, _, latest in clusters
    ]


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
