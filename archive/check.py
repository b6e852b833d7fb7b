"""Is the archive whole? SQLite's own integrity check, then every stored body: it must
decompress (with its dictionary, for a body stored against another) and hash to its address.
Reads only."""

import sqlite3
import zlib
from dataclasses import dataclass, field

import zstandard
from sqlite_utils import Database

from . import blobs

# what reading a damaged body can raise: SQLite's malformed pages, a codec's garbage
_UNREADABLE = (sqlite3.DatabaseError, KeyError, ValueError, zlib.error, zstandard.ZstdError)
MAX_REPORTED = 100  # SQLite's integrity check stops at this many problems too


@dataclass
class Report:
    """What the check found: `problems` empty when the archive is whole."""

    bodies: int = 0  # stored bodies verified
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check(db: Database) -> Report:
    """Check the file's structure, then every stored body."""
    report = Report()
    try:
        rows = db.execute(f"PRAGMA integrity_check({MAX_REPORTED})").fetchall()
        report.problems += [f"database: {row[0]}" for row in rows if row[0] != "ok"]
    except sqlite3.DatabaseError as exc:
        report.problems.append(f"database: {exc}")
    try:
        addresses = [row[0] for row in db.execute("SELECT sha256 FROM blobs ORDER BY sha256")]
    except sqlite3.DatabaseError as exc:
        report.problems.append(f"stored bodies cannot be listed: {exc}")
        return report
    for address in addresses:
        problem = _body_problem(db, address)
        if problem:
            report.problems.append(f"stored body {address}: {problem}")
        else:
            report.bodies += 1
    return report


def _body_problem(db: Database, address: str) -> str | None:
    """Why a stored body is damaged, or None when it reads back as what was stored."""
    try:
        body = blobs.get(db, address)
    except _UNREADABLE as exc:
        return f"cannot be read ({type(exc).__name__}: {exc})"
    if blobs.sha256(body) != address:
        return f"reads back as other bytes (SHA-256 {blobs.sha256(body)})"
    return None
