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


def _cluster(db: Database, page_id: int) -> int:
    row = db.execute("SELECT cluster_id FROM copy_clusters WHERE page_id = ?", [page_id]).fetchone()
    if row:
        return row[0]
    db.execute("INSERT INTO copy_clusters (page_id, cluster_id) VALUES (?, ?)", [page_id, page_id])
    return page_id


def _join(db: Database, a: int, b: int) -> None:
    ca, cb = _cluster(db, a), _cluster(db, b)
    if ca != cb:
        keep, drop = min(ca, cb), max(ca, cb)
        db.execute("UPDATE copy_clusters SET cluster_id = ? WHERE cluster_id = ?", [keep, drop])


def index_page(
    db: Database, page_id: int, text: str, threshold: float, keys: list[str] | None = None
) -> int:
    """(Re)index a page's current text, record its similar pairs, join clusters.

    Call inside the transaction that wrote the version; `keys` are the text's bands when they
    were computed elsewhere (the crawl's workers). Returns how many candidates were compared.
    """
    if keys is None:
        keys = bands(text)
    db.execute("DELETE FROM copy_bands WHERE page_id = ?", [page_id])
    db.conn.executemany(
        "INSERT INTO copy_bands (band, page_id) VALUES (?, ?)", [(key, page_id) for key in keys]
    )
    _cluster(db, page_id)
    if not keys:
        return 0
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
            "INSERT INTO copy_pairs (page_a, page_b, similarity, computed_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (page_a, page_b) DO UPDATE SET similarity = excluded.similarity, "
            "computed_at = excluded.computed_at",
            [a, b, similarity, now],
        )
        if similarity >= threshold:
            _join(db, page_id, other)
    return len(candidates)


def copies(db: Database, page_id: int) -> list[dict]:
    """The pages in the same cluster as a page (itself included), first published first."""
    return list(
        db.query(
            """SELECT p.id AS page_id, p.url, p.portal_id AS portal, p.first_seen, p.state,
                      v.published, v.title, p.current_version AS version,
                      CASE WHEN p.id = :page THEN 1.0 ELSE (
                          SELECT similarity FROM copy_pairs
                          WHERE page_a = min(p.id, :page) AND page_b = max(p.id, :page))
                      END AS similarity
               FROM copy_clusters c JOIN pages p ON p.id = c.page_id
               LEFT JOIN versions v ON v.page_id = p.id AND v.number = p.current_version
               WHERE c.cluster_id = (SELECT cluster_id FROM copy_clusters WHERE page_id = :page)
               ORDER BY coalesce(v.published, substr(p.first_seen, 1, 10)), p.first_seen, p.id""",
            {"page": page_id},
        )
    )


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
