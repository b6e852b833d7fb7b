"""The archive's write side: runs, portals, and one transaction per fetch."""

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from sqlite_utils import Database

from notice.derive import parse
from notice.identity import Identity
from notice.normalize import clean_lines, content_hash, normalize_title, storable

from . import blobs, copies, events, health, search, structure
from . import coverage as coverage_records
from .db import open_database
from .errors import ArchiveWriteError, DamagedArchive, UnknownPage, damaged, is_damage
from .models import FetchResult, PageContent, PagePart, utcnow
from .queries import Queries
from .recipes import RecipeStore
from .templates import TemplateRecords


class Archive(Queries, RecipeStore, TemplateRecords):
    """A versioned archive of notice pages in one SQLite file."""

    def __init__(
        self,
        path: str | Path,
        *,
        create: bool = True,
        copy_threshold: float = copies.DEFAULT_THRESHOLD,
        readonly: bool = False,
    ) -> None:
        """Open an archive file, created and migrated if need be; `readonly`: only an
        archive at the latest schema, which is never changed (see archive.db)."""
        self.path = Path(path)
        self.copy_threshold = copy_threshold
        self._references: dict[str, str] = {}
        self.db: Database = open_database(self.path, create=create, readonly=readonly)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Archive":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[None]:
        """One transaction; SQLite write failures become ArchiveWriteError (rolled back)."""
        try:
            with self.db.atomic():
                yield
        except sqlite3.OperationalError as exc:
            raise ArchiveWriteError(f"cannot write archive {self.path}: {exc}") from exc
        except sqlite3.DatabaseError as exc:
            if is_damage(exc):  # a malformed file
                raise DamagedArchive(damaged(self.path, exc)) from exc
            raise

    # -- portals and runs -------------------------------------------------------------

    def upsert_portals(self, portals: Iterable[Mapping]) -> None:
        """Record portal definitions (id, name, region, level, start_urls)."""
        now = utcnow()
        with self._write():
            for portal in portals:
                self.db["portals"].upsert(
                    {
                        "id": portal["id"],
                        "name": portal["name"],
                        "region": portal.get("region"),
                        "level": portal.get("level"),
                        "start_urls": json.dumps(list(portal.get("start_urls", []))),
                        "updated_at": now,
                    },
                    pk="id",
                )

    def begin_run(self, portal_ids: Iterable[str]) -> int:
        """Open a crawl run and return its id."""
        with self._write():
            cursor = self.db.execute(
                "INSERT INTO runs (started_at, status, portals) VALUES (?, 'running', ?)",
                [utcnow(), json.dumps(sorted(portal_ids))],
            )
        return cursor.lastrowid

    def mark_interrupted_runs(self) -> int:
        """Mark runs left 'running' by a crawl that died (call while holding the crawl lock)."""
        with self._write():
            cursor = self.db.execute(
                "UPDATE runs SET status = 'interrupted', finished_at = coalesce(finished_at, ?) "
                "WHERE status = 'running'",
                [utcnow()],
            )
        return cursor.rowcount

    def mark_delisted(
        self,
        portal_id: str,
        listed: Iterable[str],
        *,
        at: str | None = None,
        run_id: int | None = None,
    ) -> int:
        """Note the live pages of a portal that no list page linked in this crawl (a
        `delisted` event each). Pages listed again lose the mark (`relisted`). Returns how many
        pages were newly delisted.
        """
        now = at or utcnow()
        listed = set(listed)
        newly = 0
        with self._write():
            rows = self.db.execute(
                "SELECT id, url, delisted_since FROM pages WHERE portal_id = ? AND state = 'live' "
                "AND id NOT IN (SELECT attachment_page_id FROM attachments)",  # listed by notices
                [portal_id],
            ).fetchall()
            for page_id, url, since in rows:
                if url in listed and since is not None:
                    self.db.execute(
                        "UPDATE pages SET delisted_since = NULL WHERE id = ?", [page_id]
                    )
                    events.record(self.db, "relisted", page_id, now, run_id=run_id)
                elif url not in listed and since is None:
                    self.db.execute(
                        "UPDATE pages SET delisted_since = ? WHERE id = ?", [now, page_id]
                    )
                    events.record(self.db, "delisted", page_id, now, run_id=run_id)
                    newly += 1
        return newly

    def finish_run(self, run_id: int, status: str, stats: Mapping | None = None) -> None:
        """Close a run with its status, outcome counts and the Scrapy stats worth keeping, and
        write its portals' rows of the health ledger (archive.health) in the same transaction."""
        now = utcnow()
        with self._write():
            counts = dict(
                self.db.execute(
                    "SELECT outcome, count(*) FROM fetches WHERE run_id = ? GROUP BY outcome",
                    [run_id],
                ).fetchall()
            )
            self.db.execute(
                "UPDATE runs SET finished_at = ?, status = ?, counts = ?, stats = ? WHERE id = ?",
                [
                    now,
                    status,
                    json.dumps(counts),
                    json.dumps(stats or {}, default=str),
                    run_id,
                ],
            )
            stats = stats or {}
            portals = self._run_portals(run_id, stats)
            health.write(self.db, health.run_rows(self.db, run_id, status, stats, portals, now))

    def _run_portals(self, run_id: int, stats: Mapping) -> list[str]:
        """The portals of a run: those it began with, and any its stats name."""
        row = self.db.execute("SELECT portals FROM runs WHERE id = ?", [run_id]).fetchone()
        named = {key.split("/")[1] for key in stats if key.startswith("portal/")}
        return sorted(set(json.loads(row[0] or "[]") if row else []) | named)

    # -- fetches ----------------------------------------------------------------------

    def record_page(
        self,
        url: str,
        content: PageContent,
        body: bytes,
        *,
        portal_id: str | None = None,
        run_id: int | None = None,
        status: int = 200,
        headers: Mapping[str, str] | None = None,
        at: str | None = None,
        content_kind: str = "html",
        parent: str | None = None,
        parts: Sequence[PagePart] = (),
        reread: Callable[[dict], tuple[str | None, str]] | None = None,
    ) -> FetchResult:
        """Record a fetched notice page; write a version only if its title or text changed.

        A file with no extractable text (an old .doc) is versioned by its bytes instead; a
        notice's file names its notice (`parent`), so that its events are the notice's files'.
        Every change is logged (archive.events) in the same transaction. A notice split over
        several pages comes with its further pages (`parts`, in order; the content is their
        joined text): each is stored as fetched, as a fetch of outcome `part` under its own
        URL, the version's metadata names them (`parts`), and the page's raw identity covers
        them all, so a change of any page's bytes is seen.
        `reread`: the (title, text) the current extractor and template model make of a
        version's stored bytes. Given it, a version whose page did not change, only our
        reading of it (the page's raw identity is that of the last fetch, or what `reread`
        makes of the current version's bytes is the new content), is of kind `reextract`
        (outcome `reextracted`, logged as a `reextract` event), never `changed`.
        """
        content = _storable(content)
        now = at or utcnow()
        text = clean_lines(content.text)
        headers = {k.lower(): v for k, v in (headers or {}).items()}
        # validators sent on the next crawl: the first page's do not speak for the others
        validators = {} if parts else headers
        with self._write():
            reference = self._reference(portal_id) if content_kind == "html" else None
            raw = blobs.put(self.db, body, reference)
            stored = [(part, blobs.put(self.db, part.body, reference)) for part in parts]
            content = _with_parts(content, stored)
            identity = _raw_identity(raw, [sha for _, sha in stored])
            digest = content_hash(text) if text else f"raw:{raw}"
            page = self._page_row(url)
            if page is None:
                page = self._insert_page(url, portal_id, now, content_kind)
            returned = page["state"] != "live"
            current = self._version_row(page["id"], page["current_version"])
            key = (normalize_title(content.title), digest)
            version_id = number = kind = reverts_to = None
            if current and (normalize_title(current["title"]), current["content_hash"]) == key:
                outcome = "unchanged" if page["raw_sha256"] == identity else "chrome-only"
            else:
                number = (current["number"] if current else 0) + 1
                kind, reverts_to = self._kind_of(page["id"], current, key)
                if kind != "new" and self._reread(page, current, identity, key, reread):
                    kind, reverts_to = "reextract", None
                version_id = self._insert_version(
                    page["id"],
                    number,
                    now,
                    run_id,
                    kind,
                    reverts_to,
                    content,
                    text,
                    digest,
                    raw,
                    current,
                )
                outcome = {"new": "new", "reextract": "reextracted"}.get(kind, "changed")
            self.db.execute(
                """UPDATE pages SET last_seen = ?, last_fetched = ?, state = 'live',
                   state_since = CASE WHEN state = 'live' THEN state_since ELSE ? END,
                   redirect_to = NULL, current_version = coalesce(?, current_version),
                   etag = ?, last_modified = ?, raw_sha256 = ? WHERE id = ?""",
                [
                    now,
                    now,
                    now,
                    number,
                    validators.get("etag"),
                    validators.get("last-modified"),
                    identity,
                    page["id"],
                ],
            )
            if page["portal_id"] is None and portal_id is not None:
                # apart: a statement that sets the column checks its foreign key, and costs
                # milliseconds each time, even when it changes nothing
                self.db.execute(
                    "UPDATE pages SET portal_id = ? WHERE id = ?", [portal_id, page["id"]]
                )
            detail = f"returned after being {page['state']}" if returned else None
            fetch_id = self._insert_fetch(
                run_id,
                page["id"],
                url,
                now,
                status,
                len(body),
                outcome,
                raw,
                version_id,
                detail,
                json.dumps(headers, ensure_ascii=False),
            )
            self._insert_parts(run_id, page["id"], url, now, stored, version_id)
            ids = {"version_id": version_id, "fetch_id": fetch_id, "run_id": run_id}
            self._log_fetch(page["id"], now, ids, parent, detail, kind or outcome)
        return FetchResult(outcome, page["id"], number, kind, reverts_to)

    def _log_fetch(
        self, page_id: int, now: str, ids: dict, parent, returned: str | None, change: str
    ) -> None:
        """Log what a fetch changed, in its transaction (archive.events): that the page
        returned (`returned`: the detail saying from what), and its new version's kind or a
        chrome-only change (`change`: the version's kind, else the fetch's outcome)."""
        logged = [("returned", returned)] if returned else []
        if change != "unchanged":  # new, changed, revert …, or chrome-only
            logged.append((change, None))
        for event, note in logged:
            events.record(self.db, event, page_id, now, detail=note, parent=parent, **ids)

    def _insert_parts(
        self,
        run_id: int | None,
        page_id: int,
        url: str,
        now: str,
        stored: list[tuple[PagePart, str]],
        version_id: int | None,
    ) -> None:
        """The further pages of a notice split over several: a `part` fetch each, under its
        own URL, with its stored body and headers (and the version they made, if any)."""
        for position, (part, sha) in enumerate(stored, 2):
            headers = {k.lower(): v for k, v in part.headers.items()}
            self._insert_fetch(
                run_id,
                page_id,
                part.url,
                now,
                part.status,
                len(part.body),
                "part",
                sha,
                version_id,
                f"page {position} of {url}",
                json.dumps(headers, ensure_ascii=False),
            )

    def record_not_modified(
        self, url: str, *, run_id: int | None = None, at: str | None = None
    ) -> FetchResult:
        """Record a 304 answer to a conditional request: no body, no version. A page that
        answers is live, so a gone or redirected page that answers 304 is back."""
        now = at or utcnow()
        with self._write():
            page = self._require_page(url)
            self.db.execute(
                """UPDATE pages SET last_seen = ?, last_fetched = ?, state = 'live',
                   state_since = CASE WHEN state = 'live' THEN state_since ELSE ? END,
                   redirect_to = NULL WHERE id = ?""",
                [now, now, now, page["id"]],
            )
            detail = f"returned after being {page['state']}" if page["state"] != "live" else None
            fetch_id = self._insert_fetch(
                run_id, page["id"], url, now, 304, 0, "not-modified", detail=detail
            )
            if detail:
                events.record(
                    self.db,
                    "returned",
                    page["id"],
                    now,
                    fetch_id=fetch_id,
                    run_id=run_id,
                    detail=detail,
                )
        return FetchResult("not-modified", page["id"])

    def record_gone(
        self,
        url: str,
        status: int,
        *,
        run_id: int | None = None,
        at: str | None = None,
        detail: str | None = None,
    ) -> FetchResult:
        """Mark a known page gone (404/410, or a soft 404 named in `detail`). An unknown URL is
        not recorded."""
        return self._change_state(url, "gone", status, run_id, at, detail=detail)

    def record_blocked(
        self,
        url: str,
        detail: str,
        *,
        status: int | None = None,
        run_id: int | None = None,
        at: str | None = None,
    ) -> FetchResult:
        """Record an anti-bot, captcha, rate-limit or WAF answer: never a version, state kept."""
        return self._record_failure(url, "blocked", detail, status, run_id, at)

    def record_redirect(
        self,
        url: str,
        target: str,
        status: int = 301,
        *,
        run_id: int | None = None,
        at: str | None = None,
    ) -> FetchResult:
        """Mark a known page as redirecting to target. An unknown URL is not recorded."""
        return self._change_state(url, "redirected", status, run_id, at, target, detail=target)

    def _change_state(
        self,
        url: str,
        state: str,
        status: int,
        run_id: int | None,
        at: str | None,
        target: str | None = None,
        detail: str | None = None,
    ) -> FetchResult:
        """Move a known page to `gone` or `redirected`, keeping the time it first did; a move
        (or a redirect elsewhere) is an event, a page found gone again is not."""
        now = at or utcnow()
        with self._write():
            page = self._page_row(url)
            if page is None:
                return FetchResult(state, None)
            self.db.execute(
                """UPDATE pages SET last_fetched = ?, redirect_to = ?,
                   state_since = CASE WHEN state = ? THEN state_since ELSE ? END, state = ?
                   WHERE id = ?""",
                [now, target, state, now, state, page["id"]],
            )
            fetch_id = self._insert_fetch(
                run_id, page["id"], url, now, status, 0, state, detail=detail
            )
            if (page["state"], page["redirect_to"]) != (state, target):
                soft = state == "gone" and (detail or "").startswith("soft 404")
                events.record(
                    self.db,
                    "soft-gone" if soft else state,
                    page["id"],
                    now,
                    fetch_id=fetch_id,
                    run_id=run_id,
                    detail=detail,
                )
        return FetchResult(state, page["id"])

    def record_error(
        self,
        url: str,
        detail: str,
        *,
        status: int | None = None,
        run_id: int | None = None,
        at: str | None = None,
    ) -> FetchResult:
        """Record a failed fetch (5xx, timeout, parse failure); the page state is unchanged."""
        return self._record_failure(url, "error", detail, status, run_id, at)

    def _record_failure(
        self,
        url: str,
        outcome: str,
        detail: str,
        status: int | None,
        run_id: int | None,
        at: str | None,
    ) -> FetchResult:
        now = at or utcnow()
        with self._write():
            page = self._page_row(url)
            page_id = page["id"] if page else None
            # a known page blocked after answering: an event (blocked again: none)
            newly = (
                outcome == "blocked"
                and page_id is not None
                and events.last_outcome(self.db, page_id) != outcome
            )
            fetch_id = self._insert_fetch(
                run_id, page_id, url, now, status, 0, outcome, detail=detail
            )
            if newly:
                events.record(
                    self.db, outcome, page_id, now, fetch_id=fetch_id, run_id=run_id, detail=detail
                )
        return FetchResult(outcome, page_id)

    def add_reextracted(
        self, url: str, content: PageContent, *, at: str | None = None
    ) -> int | None:
        """Add a version made by a newer extractor from the stored raw HTML, if the text differs.

        Returns the new version number, or None when the extractor's output is unchanged.
        """
        content = _storable(content)
        now = at or utcnow()
        text = clean_lines(content.text)
        with self._write():
            page = self._require_page(url)
            current = self._version_row(page["id"], page["current_version"])
            if current is None:
                return None
            digest = content_hash(text) if text else f"raw:{current['blob_sha256']}"
            if (normalize_title(current["title"]), current["content_hash"]) == (
                normalize_title(content.title),
                digest,
            ):
                return None
            number = current["number"] + 1
            version_id = self._insert_version(
                page["id"],
                number,
                now,
                None,
                "reextract",
                None,
                content,
                text,
                digest,
                current["blob_sha256"],
                current,
            )
            self.db.execute(
                "UPDATE pages SET current_version = ? WHERE id = ?", [number, page["id"]]
            )
            events.record(self.db, "reextract", page["id"], now, version_id=version_id)
        return number

    # -- helpers ----------------------------------------------------------------------

    def _reread(
        self,
        page: dict,
        current: dict,
        identity: str,
        key: tuple,
        reread: Callable[[dict], tuple[str | None, str]] | None,
    ) -> bool:
        """True when a new version's difference is ours, not the page's (see record_page)."""
        if reread is None:
            return False
        if page["raw_sha256"] == identity:
            return True
        if current["blob_sha256"] is None:
            return False
        title, text = reread(current)
        text = clean_lines(storable(text))
        digest = content_hash(text) if text else f"raw:{current['blob_sha256']}"
        return (normalize_title(storable(title)), digest) == key

    def _reference(self, portal_id: str | None) -> str | None:
        """A plainly stored page body of the portal: the dictionary its other bodies use."""
        if portal_id is None:
            return None
        if portal_id not in self._references:
            row = self.db.execute(
                "SELECT b.sha256 FROM pages p JOIN blobs b ON b.sha256 = p.raw_sha256 "
                "WHERE p.portal_id = ? AND p.content_kind = 'html' AND b.codec IN (?, ?) LIMIT 1",
                [portal_id, *blobs.PLAIN_CODECS],
            ).fetchone()
            if row is None:
                return None  # this body, stored plainly, will serve the next ones
            self._references[portal_id] = row[0]
        return self._references[portal_id]

    def _require_page(self, url: str) -> dict:
        page = self._page_row(url)
        if page is None:
            raise UnknownPage(f"no page in the archive with URL {url}")
        return page

    def _insert_page(
        self, url: str, portal_id: str | None, now: str, content_kind: str = "html"
    ) -> dict:
        cursor = self.db.execute(
            """INSERT INTO pages (url, portal_id, first_seen, last_seen, state, state_since,
               content_kind) VALUES (?, ?, ?, ?, 'live', ?, ?)""",
            [url, portal_id, now, now, now, content_kind],
        )
        return self._page_row_by_id(cursor.lastrowid)

    def _kind_of(self, page_id: int, current: dict | None, key: tuple) -> tuple[str, int | None]:
        if current is None:
            return "new", None
        for row in self.db.execute(
            "SELECT number, title, content_hash FROM versions WHERE page_id = ? AND number < ? "
            "ORDER BY number DESC",
            [page_id, current["number"]],
        ).fetchall():
            if (normalize_title(row[1]), row[2]) == key:
                return "revert", row[0]
        return "changed", None

    def _insert_version(
        self,
        page_id: int,
        number: int,
        now: str,
        run_id: int | None,
        kind: str,
        reverts_to: int | None,
        content: PageContent,
        text: str,
        digest: str,
        raw: str | None,
        previous: dict | None,
    ) -> int:
        """Write a version that becomes its page's current one (`previous` was), with what
        is derived from it: search tokens, copy signature, fields and items."""
        cursor = self.db.execute(
            """INSERT INTO versions (page_id, number, fetched_at, run_id, kind, reverts_to, title,
               published, source, text, content_hash, blob_sha256, extractor, extractor_version,
               metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                page_id,
                number,
                now,
                run_id,
                kind,
                reverts_to,
                content.title,
                content.published,
                content.source,
                text,
                digest,
                raw,
                content.extractor,
                content.extractor_version,
                json.dumps(content.metadata, ensure_ascii=False, sort_keys=True),
            ],
        )
        version_id = cursor.lastrowid
        if previous is not None:  # the page's current version leaves the index
            search.remove(self.db, previous["id"], previous["title"], previous["text"])
        derived = content.derivation()
        search.add(self.db, version_id, derived.search_tokens)
        structure.store(self.db, version_id, derived.parsed, text)
        stated = derived.parsed.fields
        identity = Identity(stated.issuer, stated.inspection_round, content.title)
        copies.index_page(self.db, page_id, text, self.copy_threshold, derived.copy_bands, identity)
        return version_id

    def reparse(self, *, every: bool = False) -> int:
        """Parse the fields and items of versions not parsed by this parser (every: all)."""
        rows = structure.pending(self.db, every=every)
        for start in range(0, len(rows), 500):
            with self._write():
                for version_id, title, text, published in rows[start : start + 500]:
                    parsed = parse(title, text, published)
                    structure.store(self.db, version_id, parsed, text)
                # what a page's current version states decides whether it is a copy
                chunk = [row[0] for row in rows[start : start + 500]]
                marks = ",".join("?" * len(chunk))
                current = self.db.execute(
                    "SELECT p.id FROM pages p JOIN versions v ON v.page_id = p.id "
                    f"AND v.number = p.current_version WHERE v.id IN ({marks})",
                    chunk,
                ).fetchall()
                copies.reconsider(self.db, {row[0] for row in current}, self.copy_threshold)
        return len(rows)

    def index_copies(self, *, rebuild: bool = False) -> int:
        """Match pages not matched yet (e.g. archived before copy matching existed)."""
        with self._write():
            return copies.index_all(self.db, self.copy_threshold, rebuild=rebuild)

    def _insert_fetch(
        self,
        run_id: int | None,
        page_id: int | None,
        url: str,
        now: str,
        status: int | None,
        size: int,
        outcome: str,
        raw: str | None = None,
        version_id: int | None = None,
        detail: str | None = None,
        headers: str | None = None,
    ) -> int:
        return self.db.execute(
            """INSERT INTO fetches (run_id, page_id, url, fetched_at, status, bytes, outcome,
               blob_sha256, version_id, detail, headers)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [run_id, page_id, url, now, status, size, outcome, raw, version_id, detail, headers],
        ).lastrowid

    # -- coverage and sources -----------------------------------------------------------

    def record_coverage(
        self, run_id: int, portals: Iterable[Mapping], lists: Iterable[Mapping]
    ) -> None:
        """Write a run's coverage: per portal complete or not (and why), per list what it
        stated and what was read (archive.coverage.record)."""
        with self._write():
            coverage_records.record(self.db, run_id, portals, lists)

    def remember_source_urls(
        self, run_id: int | None, rows: Iterable[Mapping], *, at: str | None = None
    ) -> None:
        """Note the URLs sitemaps and feeds listed that a run fetched (portal, url, source,
        changed), so that a later run fetches those it did not archive only when they change."""
        with self._write():
            coverage_records.remember(self.db, run_id, rows, at or utcnow())

    def link_attachment(
        self, page_url: str, attachment_url: str, label: str | None, *, at: str | None = None
    ) -> bool:
        """Note that a notice page links an archived attachment; False if either is unknown."""
        now = at or utcnow()
        with self._write():
            page, attachment = self._page_row(page_url), self._page_row(attachment_url)
            if page is None or attachment is None:
                return False
            self.db.execute(
                """INSERT INTO attachments (page_id, attachment_page_id, label, first_seen,
                   last_seen) VALUES (?, ?, ?, ?, ?) ON CONFLICT (page_id, attachment_page_id)
                   DO UPDATE SET last_seen = excluded.last_seen, label = excluded.label""",
                [page["id"], attachment["id"], label, now, now],
            )
        return True


def _with_parts(content: PageContent, stored: list[tuple[PagePart, str]]) -> PageContent:
    """The content with its further pages named in its metadata (URL, stored body, type), so
    that the version can be extracted again from what was fetched (none: as it is)."""
    if not stored:
        return content
    named = [
        {
            "url": part.url,
            "sha256": sha,
            "content_type": {k.lower(): v for k, v in part.headers.items()}.get("content-type"),
        }
        for part, sha in stored
    ]
    return replace(content, metadata={**content.metadata, "parts": named})


def _raw_identity(raw: str, parts: list[str]) -> str:
    """What the page's raw bytes were: its body's address, or for a notice over several pages
    the address of all its pages' addresses (any page's bytes changing changes it)."""
    if not parts:
        return raw
    return "pages:" + blobs.sha256("\n".join([raw, *parts]).encode())


def _storable(content: PageContent) -> PageContent:
    return replace(
        content,
        text=storable(content.text),
        title=storable(content.title),
        source=storable(content.source),
        published=storable(content.published),
    )
