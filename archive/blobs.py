"""Content-addressed, compressed storage of raw response bodies.

Bodies are compressed with zstd (zstandard). Pages of one portal share their chrome
(navigation, scripts, footers), so a body is compressed with a reference body of the same
portal as a raw-content dictionary (codec `zstd+dict:<the reference's sha256>`); the reference
is itself stored plainly (codec `zstd`), so reading a body needs at most one other. Archives
written before hold `zlib` bodies, which stay readable.
"""

import hashlib
import zlib

import zstandard
from sqlite_utils import Database

CODEC = "zstd"
DICT_CODEC = "zstd+dict:"
LEVEL = 10  # a fifth of the raw size on portal pages, under a millisecond each
PLAIN_CODECS = ("zstd", "zlib")
# Reference bodies in use (about one per portal), by address: content-addressed, never stale.
_references: dict[str, bytes] = {}
_compressors: dict[str | None, zstandard.ZstdCompressor] = {}
_decompressors: dict[str, zstandard.ZstdDecompressor] = {}
_REFERENCES_KEPT = 64


def sha256(data: bytes) -> str:
    """The hex SHA-256 of a body: its address in the blobs table."""
    return hashlib.sha256(data).hexdigest()


def _kept(cache: dict, key, make):
    """A cached object per reference body (a few portals' worth)."""
    if key not in cache:
        if len(cache) >= _REFERENCES_KEPT:
            cache.pop(next(iter(cache)))
        cache[key] = make()
    return cache[key]


def _raw_dict(dictionary: bytes) -> zstandard.ZstdCompressionDict:
    return zstandard.ZstdCompressionDict(dictionary, dict_type=zstandard.DICT_TYPE_RAWCONTENT)


def _compressor(reference: str | None, dictionary: bytes | None) -> zstandard.ZstdCompressor:
    return _kept(
        _compressors,
        reference if dictionary else None,
        lambda: zstandard.ZstdCompressor(
            level=LEVEL, dict_data=_raw_dict(dictionary) if dictionary else None
        ),
    )


def put(db: Database, data: bytes, reference: str | None = None) -> str:
    """Store a body once, however many fetches point at it; return its address.

    `reference` is the address of a plainly stored body to use as the dictionary.
    """
    digest = sha256(data)
    if db.execute("SELECT 1 FROM blobs WHERE sha256 = ?", [digest]).fetchone() is None:
        dictionary = _plain(db, reference) if reference and reference != digest else None
        codec = DICT_CODEC + reference if dictionary else CODEC
        packed = _compressor(reference, dictionary).compress(data)
        db.execute(
            "INSERT INTO blobs (sha256, size, stored_size, codec, data) VALUES (?, ?, ?, ?, ?)",
            [digest, len(data), len(packed), codec, packed],
        )
    return digest


def _decode(codec: str, data: bytes) -> bytes:
    return zlib.decompress(data) if codec == "zlib" else zstandard.decompress(data)


def _plain(db: Database, digest: str) -> bytes | None:
    """A body stored without a dictionary (the only kind that may serve as one)."""
    if digest in _references:
        return _references[digest]
    row = db.execute("SELECT codec, data FROM blobs WHERE sha256 = ?", [digest]).fetchone()
    if row is None or row[0] not in PLAIN_CODECS:
        return None
    return _kept(_references, digest, lambda: _decode(*row))


def get(db: Database, digest: str) -> bytes:
    """Return the raw body stored at an address."""
    row = db.execute("SELECT codec, data FROM blobs WHERE sha256 = ?", [digest]).fetchone()
    if row is None:
        raise KeyError(digest)
    codec, data = row
    if codec in PLAIN_CODECS:
        return _decode(codec, data)
    if codec.startswith(DICT_CODEC):
        reference = codec.removeprefix(DICT_CODEC)
        dictionary = _plain(db, reference)
        if dictionary is None:
            raise ValueError(f"blob {digest}: its dictionary {codec} is missing")
        unpacker = _kept(
            _decompressors,
            reference,
            lambda: zstandard.ZstdDecompressor(dict_data=_raw_dict(dictionary)),
        )
        return unpacker.decompress(data)
    raise ValueError(f"unknown blob codec {codec!r}")
