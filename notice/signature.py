"""A notice's copy signature: MinHash over character shingles, and its LSH band keys.

Each text is reduced to a MinHash signature over character shingles (computed with numpy: one
vectorised pass); the signature's LSH bands are stored by the archive, so a new version is
compared only with the pages that share a band. Fixed seeds: signatures compare across runs and
machines."""

import hashlib
import re

import numpy as np

SHINGLE = 5
NUM_PERM = 128
# 32 bands of 4 rows: pages with Jaccard above ~0.4 share a band with high probability, so any
# threshold from 0.5 up finds its pairs without re-indexing.
BANDS, ROWS = 32, 4
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
