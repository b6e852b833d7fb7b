"""Exports for people and downstream tools: JSONL and CSV, one record per page or version."""

import csv
import json
from collections.abc import Iterator
from typing import IO

from sqlite_utils import Database

FIELDS = [
    "url",
    "portal",
    "title",
    "published",
    "source",
    "version",
    "kind",
    "fetched_at",
    "content_hash",
    "state",
    "extractor",
    "extractor_version",
    "text",
]


def records(
    db: Database, *, since: str | None = None, all_versions: bool = False
) -> Iterator[dict]:
    """Yield one record per page (its current version) or, with all_versions, per version."""
    join = (
        "v.page_id = p.id" if all_versions else "v.page_id = p.id AND v.number = p.current_version"
    )
    where, params = "", []
    if since:
        where, params = "WHERE v.fetched_at >= ?", [since]
    sql = (
        "SELECT p.url, p.portal_id AS portal, v.title, v.published, v.source, v.number AS version, "
        "v.kind, v.fetched_at, v.content_hash, p.state, v.extractor, v.extractor_version, v.text "
        f"FROM pages p JOIN versions v ON {join} {where} ORDER BY p.url, v.number"
    )
    yield from db.query(sql, params)


def write_jsonl(rows: Iterator[dict], out: IO[str]) -> int:
    """Write records as JSON Lines; return how many."""
    count = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count


def write_csv(rows: Iterator[dict], out: IO[str]) -> int:
    """Write records as CSV with a header row; return how many."""
    writer = csv.DictWriter(out, fieldnames=FIELDS)
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count
