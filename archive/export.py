"""Exports for people and downstream tools: JSONL, CSV and Parquet, one record per page,
version or item (record types and their JSON Schemas: archive.records)."""

import csv
import json
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import IO

from . import records as records_

FORMATS = ("jsonl", "csv", "parquet")
PARQUET_BATCH = 2000


def records(
    db,
    *,
    record_type: str = "versions",
    since: str | None = None,
    all_versions: bool = False,
    published_since: str | None = None,
    published_until: str | None = None,
    after: int | None = None,
) -> Iterator[dict]:
    """Yield the records of one type (see archive.records.RECORD_TYPES): `after` (an event
    id) or `since` (a crawl time, inclusive) export the events of the log after it, one record
    each; `published_since` / `published_until` bound the publication date."""
    return records_.READERS[record_type](
        db,
        since=since,
        all_versions=all_versions,
        published_since=published_since,
        published_until=published_until,
        after=after,
    )


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A temporary file beside `path`, which replaces it when the block succeeds: an export
    that fails leaves no partial file (and whatever was at `path` before)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        yield temporary
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def write_jsonl(rows: Iterable[dict], out: IO[str], record_type: str = "versions") -> int:
    """Write records as JSON Lines; return how many."""
    count = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count


def write_csv(rows: Iterable[dict], out: IO[str], record_type: str = "versions") -> int:
    """Write records as CSV with a header row (lists as JSON text); return how many."""
    writer = csv.DictWriter(out, fieldnames=records_.fields(record_type))
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow(
            {
                k: json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v
                for k, v in row.items()
            }
        )
        count += 1
    return count


def _arrow_type(spec: dict):
    import pyarrow as pa

    kinds = spec.get("type")
    kind = next(k for k in (kinds if isinstance(kinds, list) else [kinds]) if k != "null")
    if kind == "array":
        return pa.list_(_arrow_type(spec["items"]))
    if kind == "object":
        return pa.struct(_arrow_fields(spec["properties"]))
    return {
        "string": pa.string(),
        "integer": pa.int64(),
        "number": pa.float64(),
        "boolean": pa.bool_(),
    }[kind]


def _arrow_fields(properties: dict) -> list:
    """The Parquet fields of JSON Schema properties. A number that JSON writes as an integer
    when whole (`x-parquet-whole`) is an int64 (null when not whole), with a double beside it
    under the name the keyword gives, so that 212 stays 212 and 116.5 is not lost."""
    import pyarrow as pa

    fields = []
    for name, spec in properties.items():
        if spec.get("x-parquet-whole"):
            fields += [(name, pa.int64()), (spec["x-parquet-whole"], pa.float64())]
        else:
            fields.append((name, _arrow_type(spec)))
    return fields


def _split_wholes(value, spec: dict):
    """A record's values as the Parquet fields of `_arrow_fields` hold them."""
    kinds = spec.get("type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    if value is None:
        return None
    if "array" in kinds:
        return [_split_wholes(v, spec["items"]) for v in value]
    if "object" in kinds:
        out = {}
        for name, sub in spec["properties"].items():
            if sub.get("x-parquet-whole"):
                number = value.get(name)
                whole = number is not None and float(number).is_integer()
                out[name] = int(number) if whole else None
                out[sub["x-parquet-whole"]] = None if number is None else float(number)
            else:
                out[name] = _split_wholes(value.get(name), sub)
        return out
    return value


def arrow_schema(record_type: str):
    """The Parquet schema of a record type, derived from its JSON Schema."""
    import pyarrow as pa

    return pa.schema(_arrow_fields(records_.schema(record_type)["properties"]))


def parquet_row(row: dict, record_type: str) -> dict:
    """A record as its Parquet row (see `_arrow_fields`)."""
    return _split_wholes(row, records_.schema(record_type))


def write_parquet(rows: Iterable[dict], path: Path, record_type: str = "versions") -> int:
    """Write records to a Parquet file in batches; return how many."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = arrow_schema(record_type)
    count = 0
    rows = (parquet_row(row, record_type) for row in rows)
    with pq.ParquetWriter(str(path), schema, compression="zstd") as writer:
        while batch := list(islice(rows, PARQUET_BATCH)):
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            count += len(batch)
    return count
