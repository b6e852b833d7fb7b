"""WACZ export: the WARC and CDXJ index of archive.warc, with a pages list of the notices and a
datapackage, in one ZIP that ReplayWeb.page opens and `wacz validate` accepts (WACZ 1.1.1).

Written here rather than by the `wacz` package: that package indexes the WARC again with its
own indexer and brings frictionless, pydantic, typer, rich and some twenty more packages, when
the layout is a ZIP of four files whose sizes and SHA-256 hashes a JSON file lists. (The tests
check the result with the `wacz` package's validator.)

Layout: archive/data.warc.gz (stored, not deflated: replay reads records at their offsets),
indexes/index.cdxj, pages/pages.jsonl (one line per notice: its URL, the time of the response
archived, its title), datapackage.json, datapackage-digest.json.
"""

import hashlib
import json
import tempfile
import zipfile
from pathlib import Path

from sqlite_utils import Database

from . import warc
from .export import replacing
from .models import utcnow

WACZ_VERSION = "1.1.1"
WARC_NAME = "data.warc.gz"
PAGES_HEADER = {"format": "json-pages-1.0", "id": "pages", "title": "Notices"}


def _pages(db: Database, since: str | None, after: int | None) -> list[dict]:
    """The notices whose response the WARC holds: the latest one of each, with its title."""
    titles = dict(db.execute("SELECT url, title FROM notices").fetchall())
    latest: dict[str, dict] = {}
    for row in warc._fetches(db, since, after):
        if row["url"] not in titles or json.loads(row["metadata"] or "{}").get("detail_api"):
            continue  # a file, or a page whose reply is its detail API's (another URL)
        latest[row["url"]] = {
            "id": f"fetch-{row['id']}",
            "url": row["url"],
            "ts": row["fetched_at"],
            "title": titles[row["url"]] or row["url"],
        }
    return sorted(latest.values(), key=lambda page: page["ts"])


def _resource(path: Path, name: str) -> dict:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return {
        "name": Path(name).name,
        "path": name,
        "hash": "sha256:" + digest.hexdigest(),
        "bytes": path.stat().st_size,
    }


def export_wacz(
    db: Database,
    path: Path,
    *,
    since: str | None = None,
    after: int | None = None,
    title: str = "Rectification notices",
) -> tuple[int, int]:
    """Write a WACZ file at `path` (written to a temporary file, then put in place: a failed
    export leaves nothing). `since` and `after` choose the responses as for the WARC export.
    Returns the number of WARC records and of pages listed."""
    with tempfile.TemporaryDirectory() as tmp, replacing(path) as partial:
        folder = Path(tmp)
        files = {
            f"archive/{WARC_NAME}": folder / WARC_NAME,
            "indexes/index.cdxj": folder / "index.cdxj",
            "pages/pages.jsonl": folder / "pages.jsonl",
        }
        count = warc._write_warc(
            db, files[f"archive/{WARC_NAME}"], files["indexes/index.cdxj"], WARC_NAME, since, after
        )
        pages = _pages(db, since, after)
        lines = [PAGES_HEADER, *pages]
        files["pages/pages.jsonl"].write_text(
            "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), "utf-8"
        )
        created = utcnow()
        package = {
            "profile": "data-package",
            "title": title,
            "resources": [_resource(file, name) for name, file in files.items()],
            "created": created,
            "modified": created,
            "wacz_version": WACZ_VERSION,
            "software": "rectification-archive",
        }
        if pages:
            package["mainPageURL"], package["mainPageDate"] = pages[-1]["url"], pages[-1]["ts"]
        package_bytes = json.dumps(package, ensure_ascii=False, indent=2).encode()
        digest = {"path": "datapackage.json", "hash": _sha256(package_bytes)}
        with zipfile.ZipFile(partial, "w") as wacz:
            for name, file in files.items():
                # the WARC is stored as it is: replay seeks to its records' offsets
                stored = zipfile.ZIP_STORED if name.startswith("archive/") else zipfile.ZIP_DEFLATED
                wacz.write(file, name, compress_type=stored)
            wacz.writestr("datapackage.json", package_bytes, zipfile.ZIP_DEFLATED)
            wacz.writestr(
                "datapackage-digest.json", json.dumps(digest, indent=2), zipfile.ZIP_DEFLATED
            )
    return count, len(pages)


def _sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()
