"""Crash safety: killed crawls, a full disk and a read-only database never corrupt the archive."""

import os
import random
import signal
import sqlite3
import threading
import time

import pytest
from test_recrawl import _archived, _count, _scalar, _start, _wait_for

from archive import Archive, ArchiveWriteError, PageContent

from conftest import open_archive, run_crawl


def _check(archive_path) -> None:
    """Integrity, and every version whole (text, hash, raw body) and pointed at by its page."""
    conn = sqlite3.connect(archive_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        broken = conn.execute(
            "SELECT count(*) FROM versions v LEFT JOIN blobs b ON b.sha256 = v.blob_sha256 "
            "WHERE (v.text = '' AND v.content_hash NOT LIKE 'raw:%') OR v.content_hash = '' "
            "OR b.sha256 IS NULL"
        ).fetchone()[0]
        assert broken == 0
        orphans = conn.execute(
            "SELECT count(*) FROM pages p WHERE p.current_version IS NOT NULL AND NOT EXISTS "
            "(SELECT 1 FROM versions v WHERE v.page_id = p.id AND v.number = p.current_version)"
        ).fetchone()[0]
        assert orphans == 0
    finally:
        conn.close()


def _written(archive_path) -> int:
    """Fetches recorded so far and notices held for their young template (each hold counted,
    a page held again too), read as any reader would."""
    held = "SELECT seq FROM sqlite_sequence WHERE name = 'parked_pages'"
    return _count(archive_path, "fetches") + _scalar(archive_path, held)


class Gate:
    """A route of the sample site that holds its answers to archived pages (notices, files)
    once the crawl named `crawl` (by its User-Agent) has had `allowed` of them, until opened:
    that crawl cannot end on its own. Answers to a crawl killed before are not counted."""

    def __init__(self, paths: set[str]) -> None:
        self.paths = paths
        self.lock = threading.Lock()
        self.opened = threading.Event()
        self.crawl: str | None = None
        self.allowed = 0
        self.answered = 0

    def limit(self, crawl: str, allowed: int) -> None:
        with self.lock:
            self.crawl, self.allowed, self.answered = crawl, allowed, 0
            self.opened.clear()

    def open(self) -> None:
        with self.lock:
            self.crawl = None
            self.opened.set()

    def __call__(self, method, path, query, form, headers):
        if path in self.paths:
            with self.lock:
                ours = self.crawl is not None and headers.get("User-Agent") == self.crawl
                self.answered += ours
                held = ours and self.answered > self.allowed
            if held:
                self.opened.wait(timeout=120)
        return None  # then answered as usual


def test_repeated_sigkill_at_random_moments(site, seeds_file, archive_path):
    rng = random.Random(8)
    site.delay = 0.1
    portals = site.http_portals
    gate = Gate(
        {i.path for i in site.notices(portals)} | {a["path"] for a in site.attachments(portals)}
    )
    site.routes.append(gate)
    for attempt in range(4):
        before = _written(archive_path)
        n = rng.randint(1, 6)
        # two more pages answered than waited for, so the kill may land while they are
        # written; the rest wait at the gate, so the crawl is still running when killed
        agent = f"crash-test/{attempt}"
        gate.limit(agent, n + 2)
        crawl = _start(seeds_file, archive_path, "-a", "full=1", "-s", f"USER_AGENT={agent}")
        # killed right after its Nth fetch is written (or held), never by the clock
        _wait_for(lambda w=before + n, c=crawl: _written(archive_path) >= w or c.poll() is not None)
        assert crawl.poll() is None, crawl.communicate()[1][-3000:]
        os.kill(crawl.pid, signal.SIGKILL)
        crawl.communicate(timeout=60)
        gate.open()
        if archive_path.exists():
            _check(archive_path)
    site.delay = 0
    result = run_crawl(seeds_file, archive_path, "-s", "BROWSER_ENABLED=False")
    assert result.returncode == 0, result.stderr[-3000:]
    _check(archive_path)
    with open_archive(archive_path) as archive:
        assert {p["url"] for p in archive.list_pages()} == site.archived_urls(site.http_portals)
        statuses = [r["status"] for r in archive.db.query("SELECT status FROM runs ORDER BY id")]
        assert statuses[-1] == "finished" and "interrupted" in statuses
        assert set(statuses) <= {"finished", "interrupted"}


def test_readers_during_a_crawl_see_only_whole_versions(site, seeds_file, archive_path):
    site.delay = 0.05
    crawl = _start(seeds_file, archive_path)
    seen = 0
    while crawl.poll() is None:
        if _archived(archive_path):
            _check(archive_path)
            seen += 1
        time.sleep(0.05)
    assert crawl.returncode == 0 and seen > 0


def _content(n: int) -> PageContent:
    return PageContent(
        text=f"第{n}版。" + "整改措施落实情况。" * 500, title="关于巡视整改情况的通报"
    )


def test_full_disk_gives_a_clear_error_and_loses_nothing(tmp_path):
    path = tmp_path / "a.db"
    with Archive(path) as archive:
        archive.record_page("http://x/1", _content(1), b"1" * 1000)
        pages = archive.db.execute("PRAGMA page_count").fetchone()[0]
        archive.db.execute(f"PRAGMA max_page_count = {pages + 2}")  # the disk is now full
        with pytest.raises(ArchiveWriteError, match="full"):
            for n in range(2, 50):
                archive.record_page(f"http://x/{n}", _content(n), os.urandom(50_000))
    _check(path)
    with Archive(path) as archive:
        assert archive.version("http://x/1")["text"].startswith("第1版")


def test_read_only_database_gives_a_clear_error(tmp_path):
    path = tmp_path / "a.db"
    with Archive(path) as archive:
        archive.record_page("http://x/1", _content(1), b"1")
        archive.db.execute("PRAGMA query_only = ON")  # as a read-only file would
        with pytest.raises(ArchiveWriteError, match="readonly"):
            archive.record_page("http://x/1", _content(2), b"2")
    _check(path)
    with Archive(path) as archive:
        assert len(archive.versions("http://x/1")) == 1
