"""Content-addressed, compressed storage of raw response bodies."""

import hashlib
import zlib

from sqlite_utils import Database

CODEC = "zlib"


def sha256(data: bytes) -> str:
    """The hex SHA-256 of a body: its address in the blobs table."""
    return hashlib.sha256(data).hexdigest()


def put(db: Database, data: bytes) -> str:
    """Store a body once, however many fetches point at it; return its address."""
    digest = sha256(data)
    if db.execute("SELECT 1 FROM blobs WHERE sha256 = ?", [digest]).fetchone() is None:
        packed = zlib.compress(data, 9)
        db.execute(
            "INSERT INTO blobs (sha256, size, stored_size, codec, data) VALUES (?, ?, ?, ?, ?)",
            [digest, len(data), len(packed), CODEC, packed],
        )
    return digest


def get(db: Database, digest: str) -> bytes:
    """Return the raw body stored at an address."""
    row = db.execute("SELECT codec, data FROM blobs WHERE sha256 = ?", [digest]).fetchone()
    if row is None:
        raise KeyError(digest)
    codec, data = row
    if codec != CODEC:
        raise ValueError(f"unknown blob codec {codec!r}")
    return zlib.decompress(data)
