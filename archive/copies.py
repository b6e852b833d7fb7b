"""Copies of a notice across pages: near-duplicate matching that never compares all pairs.

Each page's current text is reduced to a MinHash signature over character shingles (computed
with numpy: one vectorised pass); the signature's LSH bands are stored in SQLite, so a new version
is compared only with the pages that share a band (its candidates), by the exact Jaccard
similarity of their shingle sets. Pages at or above the threshold join one cluster. Matching is
incremental: one new version costs one signature and a few comparisons, whatever the size of the
archive.
"""

import hashlib
import re

import numpy as np
from sqlite_utils import Database

from . import dates
from .models import utcnow

SHINGLE = 5
NUM_PERM = 128
# 32 bands of 4 rows: pages with Jaccard above ~0.4 share a band with high probability, so any
# threshold from 0.5 up finds its pairs without re-indexing.
BANDS, ROWS = 32, 4
DEFAULT_THRESHOLD = 0.7
# A text with more shingles than this is signed by a consistent 1-in-SAMPLE sample of them
# (a shingle is kept or dropped by its hash, the same in every text): the similarity of two
# samples estimates that of the texts, at a fraction of the cost.
SAMPLE, SAMPLE_ABOVE = 4, 400
_IGNORED = re.compile(r"[\s\u3000\xa0，。、；：“”‘’（）《》！？,.;:()\"'\-—…·]+")
# The signature's hash functions: fixed seeds, so signatures compare across runs and machines.
_SEEDS = np.random.RandomState(20261123).randint(1, 2**62, size=NUM_PERM, dtype=np.int64)
_SEEDS = _SEEDS.astype(np.uint64)[:, None]


def _compact(text: str) -> str:
    return _IGNORED.sub("", text)


def shingles(text: str) -> set[str]:
    """Character shingles of a text without spaces and punctuation (chrome differs, and so does
    punctuation between copies; the words do not)."""
    compact = _compact(text)
    if len(compact) <= SHINGLE:
        return {compact} if compact else set()
    return {compact[i : i + SHINGLE] for i in range(len(compact) - SHINGLE + 1)}


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: spreads every input bit over the 64 output bits."""
    x = x ^ (x >> np.uint64(31))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def signature(text: str) -> np.ndarray | None:
    """The MinHash signature of a text's shingles (None for an empty text)."""
    compact = _compact(text)
    if not compact:
        return None
    points = np.frombuffer(compact.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    count = max(len(points) - SHINGLE + 1, 1)
    with np.errstate(over="ignore"):
        hashes = np.zeros(count, dtype=np.uint64)
        for offset in range(min(SHINGLE, len(points))):
            hashes = hashes * np.uint64(1000003) + points[offset : offset + count]
        hashes = np.unique(_mix(hashes))
        if len(hashes) > SAMPLE_ABOVE:
            kept = hashes[hashes % np.uint64(SAMPLE) == 0]
            hashes = kept if len(kept) else hashes
        return _mix(hashes[None, :] ^ _SEEDS).min(axis=1)


def bands(text: str) -> list[str]:
    """The LSH band keys of a text's signature."""
    values = signature(text)
    if values is None:
        return []
    keys = []
    for i in range(BANDS):
        band = values[i * ROWS : (i + 1) * ROWS].tobytes()
        keys.append(f"{i}:{hashlib.blake2b(band, digest_size=8).hexdigest()}")
    return keys


def jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


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


def index_page(
    db: Database, page_id: int, text: str, threshold: float, keys: list[str] | None = None
) -> int:
    """(Re)index a page's current text: replace its bands and its similar pairs, then
    re-derive the clusters it was and is in (splitting or merging them as needed).

    Call inside the transaction that wrote the version; `keys` are the text's bands when they
    were computed elsewhere (the crawl's workers). Returns how many candidates were compared.
    """
    if keys is None:
        keys = bands(text)
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
        index_page(db, page_id, text, threshold)
    return len(pending)
