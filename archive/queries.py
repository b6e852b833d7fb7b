"""The archive's read side: pages, versions, history, listings, stats."""

import json
import zlib
from pathlib import Path
from urllib.parse import urlsplit

import zstandard
from sqlite_utils import Database

from notice.urls import canonical_url

from . import blobs, dates, records
from . import coverage as coverage_records
from .errors import UnknownPage, UnknownVersion, UnreadableBlob

VERSION_COLUMNS = (
    "number, fetched_at, run_id, kind, reverts_to, title, published, source, content_hash, "
    "blob_sha256, extractor, extractor_version"
)


def lookup_candidates(url: str) -> list[str]:
    """The URLs a pasted URL may be archived under, most literal first: as given (without
    surrounding spaces), canonicalised as the crawler does, then with the other scheme."""
    given = url.strip()
    candidates = [given]
    if urlsplit(given).scheme.lower() in ("http", "https"):
        canonical = canonical_url(given)
        scheme, rest = canonical.split(":", 1)
        other = {"http": "https", "https": "http"}[scheme]
        candidates += [canonical, f"{other}:{rest}"]
    return list(dict.fromkeys(candidates))


class Queries:
    """Read-only queries, mixed into Archive."""

    db: Database
    path: Path

    def _one(self, sql: str, params: list) -> dict | None:
        return next(iter(self.db.query(sql, params)), None)

    def _page_row(self, url: str) -> dict | None:
        return self._one("SELECT * FROM pages WHERE url = ?", [url])

    def _page_row_by_id(self, page_id: int) -> dict:
        return self._one("SELECT * FROM pages WHERE id = ?", [page_id])

    def _version_row(self, page_id: int, number: int | None) -> dict | None:
        if number is None:
            return None
        return self._one(
            "SELECT * FROM versions WHERE page_id = ? AND number = ?", [page_id, number]
        )

    def has_page(self, url: str) -> bool:
        """True when the archive has a page with this URL."""
        return self._page_row(url) is not None

    def page(self, url: str) -> dict:
        """The page row for a URL as a user pastes it: surrounding spaces, a fragment, tracking
        parameters and the other scheme (http/https) are forgiven, as the crawler canonicalises
        URLs. UnknownPage if the archive has none."""
        page = self._page_row(url)  # as given: the common case, one query
        if page is not None:
            return page
        for candidate in lookup_candidates(url):
            page = None if candidate == url else self._page_row(candidate)
            if page is not None:
                return page
        raise UnknownPage(f"no page in the archive with URL {url.strip()}")

    def version(self, url: str, number: int | None = None) -> dict:
        """One version of a page with its text (default: the current version)."""
        page = self.page(url)
        wanted = page["current_version"] if number is None else number
        row = self._version_row(page["id"], wanted)
        if row is None:
            count = page["current_version"] or 0
            raise UnknownVersion(
                f"{page['url']} has no version {number} (it has versions 1 to {count})"
            )
        row["metadata"] = json.loads(row["metadata"] or "{}")
        row["url"] = page["url"]
        row["portal"] = page["portal_id"]
        return row

    def structure(self, url: str, number: int | None = None) -> dict:
        """What a version states (fields, counts, numbered items) and the page's attachments."""
        version = self.version(url, number)
        version_id = version["id"]
        fields = self._one("SELECT * FROM notice_fields WHERE version_id = ?", [version_id]) or {}
        fields.pop("version_id", None)
        return {
            "url": version["url"],
            "version": version["number"],
            "fields": fields,
            "counts": records.counts_of(self.db, version_id),
            "items": list(
                self.db.query(
                    "SELECT position, section_path, marker, number, depth, leaf, text "
                    "FROM notice_item_texts WHERE version_id = ? ORDER BY position",
                    [version_id],
                )
            ),
            "attachments": self.attachments(url),
        }

    def attachments(self, url: str) -> list[dict]:
        """The archived files a page links (PDF, DOCX …), with their current version."""
        return records.attachments_of(self.db, self.page(url)["id"])

    def versions(self, url: str) -> list[dict]:
        """Every version of a page, oldest first, without texts."""
        page = self.page(url)
        return list(
            self.db.query(
                f"SELECT {VERSION_COLUMNS} FROM versions WHERE page_id = ? ORDER BY number",
                [page["id"]],
            )
        )

    def fetches(self, url: str) -> list[dict]:
        """Every recorded fetch of a page, oldest first."""
        page = self.page(url)
        return list(
            self.db.query(
                "SELECT f.id, f.run_id, f.fetched_at, f.status, f.bytes, f.outcome, f.detail, "
                "v.number AS version FROM fetches f LEFT JOIN versions v ON v.id = f.version_id "
                "WHERE f.page_id = ? ORDER BY f.id",
                [page["id"]],
            )
        )

    def raw_html(self, url: str, number: int | None = None) -> bytes:
        """The raw response body a version was extracted from; UnreadableBlob if it is
        missing or damaged."""
        row = self.version(url, number)
        return self._blob(row["blob_sha256"], f"{row['url']} version {row['number']}")

    def raw_parts(self, url: str, number: int | None = None) -> list[dict]:
        """The further pages a version of a notice split over several pages was extracted
        from, in order: {url, body, content_type} each (none for a one-page notice)."""
        row = self.version(url, number)
        return [
            {
                "url": part["url"],
                "body": self._blob(part["sha256"], f"{part['url']} (page of {row['url']})"),
                "content_type": part.get("content_type"),
            }
            for part in row["metadata"].get("parts", [])
        ]

    def _blob(self, sha: str, what: str) -> bytes:
        try:
            return blobs.get(self.db, sha)
        except (KeyError, ValueError, zlib.error, zstandard.ZstdError) as exc:
            raise UnreadableBlob(
                f"{what}: stored body {sha} cannot be read ({type(exc).__name__}: {exc})"
            ) from exc

    def coverage(self, run_id: int | None = None, portal: str | None = None) -> dict:
        """A run's coverage (the latest run's when None): per portal complete or not and
        why, with each list's stated and read counts (archive.coverage.of_run)."""
        return coverage_records.of_run(self.db, run_id, portal)

    def source_urls(self, portal_ids: list[str], since: str) -> dict[str, dict]:
        """Per portal, the URLs sitemaps and feeds listed that a crawl fetched since `since`
        and did not archive, with the lastmod they had."""
        return coverage_records.remembered(self.db, portal_ids, since)

    def list_pages(
        self,
        *,
        portal: str | None = None,
        since: str | None = None,
        changed: bool = False,
        gone: bool = False,
        published_since: str | None = None,
        published_until: str | None = None,
    ) -> list[dict]:
        """Pages with their current title, filtered: `since` by crawl time (seen on or after),
        `published_since` / `published_until` by the current version's publication date."""
        where, params = ["1 = 1"], []
        if portal:
            where.append("p.portal_id = ?")
            params.append(portal)
        if since:
            where.append("p.last_seen >= ?")
            params.append(dates.crawl_time(since))
        where_published, published = records.published_filter(published_since, published_until)
        where += where_published
        params += published
        if changed:
            where.append("p.current_version > 1")
        if gone:
            where.append("p.state = 'gone'")
        return list(
            self.db.query(
                "SELECT p.url, p.portal_id AS portal, p.state, p.first_seen, p.last_seen, "
                "p.current_version AS versions, v.title, v.published FROM pages p "
                "LEFT JOIN versions v ON v.page_id = p.id AND v.number = p.current_version "
                f"WHERE {' AND '.join(where)} ORDER BY v.published DESC, p.url",
                params,
            )
        )

    def known_pages(self, portal_ids: list[str]) -> dict[str, dict]:
        """What a recrawl needs of the pages it knows: validators, last fetch, age basis."""
        marks = ",".join("?" * len(portal_ids))
        rows = self.db.query(
            "SELECT p.url, p.portal_id, p.state, p.etag, p.last_modified, p.last_fetched, "
            "coalesce(v.published, substr(p.first_seen, 1, 10)) AS born FROM pages p "
            "LEFT JOIN versions v ON v.page_id = p.id AND v.number = p.current_version "
            f"WHERE p.portal_id IN ({marks})",
            portal_ids,
        )
        return {row.pop("url"): row for row in rows}

    def missing_attachments(self, portal_ids: list[str]) -> list[dict]:
        """Files the current versions of these portals' notices link that are not archived."""
        marks = ",".join("?" * len(portal_ids))
        return list(
            self.db.query(
                "SELECT p.portal_id, p.url AS parent, json_extract(j.value, '$.url') AS url, "
                "json_extract(j.value, '$.label') AS label FROM pages p "
                "JOIN versions v ON v.page_id = p.id AND v.number = p.current_version, "
                "json_each(v.metadata, '$.attachment_links') j "
                f"WHERE p.portal_id IN ({marks}) "
                "AND json_extract(j.value, '$.url') NOT IN (SELECT url FROM pages)",
                portal_ids,
            )
        )

    def stats(self) -> dict:
        """Counts of what the archive holds, the last run and the size on disk."""

        def count(table: str) -> int:
            return self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

        last = self._one("SELECT * FROM runs ORDER BY id DESC LIMIT 1", [])
        size = sum(p.stat().st_size for p in (self.path, Path(f"{self.path}-wal")) if p.exists())
        return {
            "path": str(self.path),
            "portals": count("portals"),
            "pages": count("pages"),
            "pages_gone": self.db.execute(
                "SELECT count(*) FROM pages WHERE state = 'gone'"
            ).fetchone()[0],
            "versions": count("versions"),
            "fetches": count("fetches"),
            "runs": count("runs"),
            "blobs": count("blobs"),
            "last_run": last
            and {
                "id": last["id"],
                "started_at": last["started_at"],
                "finished_at": last["finished_at"],
                "status": last["status"],
            },
            "size_bytes": size,
        }
