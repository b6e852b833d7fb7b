"""WARC export: every stored response as a WARC record (warcio), with a CDXJ index, so the
archive replays in pywb or ReplayWeb.page. A body stored before is written again as a revisit
record pointing at the first; record ids are derived from fetches (archive.records)."""

import base64
import hashlib
import json
from collections.abc import Iterator
from datetime import datetime
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

from sqlite_utils import Database

from . import blobs, dates
from .export import replacing
from .records import warc_record_id

# Headers describing the transfer, not the stored (decoded) body.
_TRANSFER_HEADERS = {"content-encoding", "transfer-encoding", "content-length", "connection"}
_REASONS = {200: "OK", 203: "Non-Authoritative Information", 206: "Partial Content"}


def surt(url: str) -> str:
    """The Sort-friendly URI Reordering Transform of a URL, as CDXJ indexes key records."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    port = f":{parts.port}" if parts.port and parts.port not in (80, 443) else ""
    query = "&".join(sorted(parts.query.split("&"))) if parts.query else ""
    key = ",".join(reversed(host.split("."))) + port + ")" + (parts.path or "/")
    return (key + ("?" + query if query else "")).lower()


def _timestamp(iso: str) -> str:
    return datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ").strftime("%Y%m%d%H%M%S")


def _fetches(db: Database, since: str | None, after: int | None = None) -> Iterator[dict]:
    where, params = ("AND f.fetched_at >= ?", [dates.crawl_time(since)]) if since else ("", [])
    if after is not None:  # the responses of the events after that id
        where += " AND f.id IN (SELECT fetch_id FROM events WHERE id > ?)"
        params.append(after)
    yield from db.query(
        "SELECT f.id, f.url, f.fetched_at, f.status, f.blob_sha256, f.headers, "
        "v.metadata FROM fetches f LEFT JOIN versions v ON v.id = f.version_id "
        f"WHERE f.blob_sha256 IS NOT NULL {where} ORDER BY f.id",
        params,
    )


def _http_headers(row: dict, size: int):
    from warcio.statusandheaders import StatusAndHeaders

    stored = json.loads(row["headers"] or "{}")
    if "content-type" not in stored:
        metadata = json.loads(row["metadata"] or "{}")
        stored["content-type"] = metadata.get("content_type") or "text/html"
    headers = [(k.title(), v) for k, v in stored.items() if k not in _TRANSFER_HEADERS]
    headers.append(("Content-Length", str(size)))
    status = row["status"] or 200
    return StatusAndHeaders(f"{status} {_REASONS.get(status, 'OK')}", headers, protocol="HTTP/1.1")


def export_warc(
    db: Database, path: Path, *, since: str | None = None, after: int | None = None
) -> tuple[int, Path]:
    """Write responses to a gzipped WARC at path and a CDXJ index beside it (`since`: fetched
    on or after that crawl time; `after`: the responses of the events after that event id).
    Both are written to temporary files and put in place once complete, the index first: an
    export that fails leaves neither, and there is never a WARC without its index.

    Returns the number of records and the index's path.
    """
    index_path = path.with_name(path.name.removesuffix(".gz").removesuffix(".warc") + ".cdxj")
    with replacing(path) as warc_file, replacing(index_path) as index_file:
        count = _write_warc(db, warc_file, index_file, path.name, since, after)
    return count, index_path


def _write_warc(
    db: Database,
    path: Path,
    index_path: Path,
    name: str,
    since: str | None,
    after: int | None,
) -> int:
    from warcio.warcwriter import WARCWriter

    written: dict[str, tuple[str, str]] = {}  # body sha256 → first (url, WARC-Date)
    lines: list[str] = []
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        writer.write_record(
            writer.create_warcinfo_record(name, {"software": "rectification-archive"})
        )
        for row in _fetches(db, since, after):
            body = blobs.get(db, row["blob_sha256"])
            # a shell page's text read from its detail API: the stored reply is that URL's
            detail_api = json.loads(row["metadata"] or "{}").get("detail_api")
            if detail_api:
                row = {**row, "url": detail_api}
            date = row["fetched_at"]
            warc_headers = {
                "WARC-Date": date,
                "WARC-Record-ID": warc_record_id(row["id"], row["url"], date),
            }
            http = _http_headers(row, len(body))
            if row["blob_sha256"] in written:
                first_url, first_date = written[row["blob_sha256"]]
                digest = "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode()
                record = writer.create_revisit_record(
                    row["url"], digest, first_url, first_date, http_headers=http
                )
                record.rec_headers.replace_header("WARC-Record-ID", warc_headers["WARC-Record-ID"])
                record.rec_headers.replace_header("WARC-Date", date)
                mime = "warc/revisit"
            else:
                record = writer.create_warc_record(
                    row["url"],
                    "response",
                    payload=BytesIO(body),
                    http_headers=http,
                    warc_headers_dict=warc_headers,
                )
                written[row["blob_sha256"]] = (row["url"], date)
                mime = (http.get_header("Content-Type") or "").split(";")[0].strip()
            offset = fh.tell()
            writer.write_record(record)
            entry = {
                "url": row["url"],
                "mime": mime,
                "status": str(row["status"] or 200),
                "digest": record.rec_headers.get_header("WARC-Payload-Digest"),
                "length": str(fh.tell() - offset),
                "offset": str(offset),
                "filename": name,
                "record_id": warc_headers["WARC-Record-ID"],
            }
            lines.append(f"{surt(row['url'])} {_timestamp(date)} {json.dumps(entry)}")
    index_path.write_text("".join(line + "\n" for line in sorted(lines)), "utf-8")
    return len(lines)
