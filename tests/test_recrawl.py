"""Scheduled recrawls against a server that honours validators: cheap, complete, honest."""

import os
import signal
import sqlite3
import subprocess
import time
import xml.etree.ElementTree as ET
from pathlib import Path

from demo.crawl import PROJECT_ROOT, crawl_command
from demo.server import Page

from conftest import open_archive, run_cli, run_crawl

NOTICE = "/xm/zwgk/tzgg/202202/t20220222_2061.htm"


def detail_gets(site, since: int) -> list[str]:
    notices = {item.path for item in site.notices()}
    return [path for method, path, _ in site.requests[since:] if path in notices]


def test_conditional_requests_answer_304_without_versions(site, crawl, archive_path):
    crawl()
    before = len(site.requests)
    crawl("-a", "full=1")
    sent = {path: headers for _, path, headers in site.requests[before:]}
    assert sent[NOTICE]["If-None-Match"].startswith('"')
    assert "If-Modified-Since" in sent[NOTICE]
    assert site.not_modified >= 3
    with open_archive(archive_path) as archive:
        assert [f["outcome"] for f in archive.fetches(site.url(NOTICE))] == ["new", "not-modified"]
        assert archive.fetches(site.url(NOTICE))[1]["bytes"] == 0
        assert len(archive.versions(site.url(NOTICE))) == 1


def test_revisit_policy_skips_known_notices_that_are_not_due(site, crawl, archive_path):
    crawl()
    before = len(site.requests)
    result = crawl()
    # list pages are fetched every run; the (old) notices were fetched moments ago: not due
    assert detail_gets(site, before) == []
    assert "/xm/zwgk/tzgg/" in [path for _, path, _ in site.requests[before:]]
    assert "'portal/sample-xm/not_due'" in result.stderr
    before = len(site.requests)
    crawl("-s", 'REVISIT_POLICY={"*": 0}')
    assert len(detail_gets(site, before)) == len(site.notices(site.http_portals))


def test_new_links_are_always_fetched(site, crawl, archive_path):
    path = "/ta/xxgk/content/2023-11/03/content_88.htm"
    saved = site.pages[path]
    site.remove(path)
    crawl()
    site.pages[path] = saved
    crawl()
    with open_archive(archive_path) as archive:
        assert archive.page(site.url(path))["current_version"] == 1


def test_delisted_notice_is_noted_and_reported(site, crawl, archive_path):
    crawl()
    site.unlist(NOTICE)
    crawl("-a", "full=1")
    with open_archive(archive_path) as archive:
        page = archive.page(site.url(NOTICE))
        assert page["state"] == "live" and page["delisted_since"] is not None
        others = [p for p in archive.list_pages() if p["url"] != site.url(NOTICE)]
        assert all(archive.page(p["url"])["delisted_since"] is None for p in others)
    report = run_cli("--db", str(archive_path), "run", "2", "--json")
    assert '"delisted": 1' in report.stdout
    feed = run_cli("--db", str(archive_path), "changes", "--since", "2000-01-01")
    assert "delisted" in feed.stdout


def test_runs_and_run_report(site, crawl, archive_path):
    crawl()
    site.edit_text("/sm/art/2025/12/25/art_1234_5678.html", "制定212条", "制定215条")
    crawl("-a", "full=1")
    out = run_cli("--db", str(archive_path), "runs")
    assert out.returncode == 0 and "#2" in out.stdout and "#1" in out.stdout
    report = run_cli("--db", str(archive_path), "run", "2")
    assert report.returncode == 0, report.stderr
    row = next(line for line in report.stdout.splitlines() if line.startswith("sample-sm"))
    # pages seen (5 pages and the notice's 2 attachments), new, changed
    assert row.split()[1:4] == ["7", "0", "1"]
    missing = run_cli("--db", str(archive_path), "run", "99")
    assert missing.returncode == 1 and "no run 99" in missing.stderr


def test_change_feed_atom_parses(site, crawl, archive_path, tmp_path):
    crawl()
    site.edit_text("/sm/art/2025/12/25/art_1234_5678.html", "制定212条", "制定215条")
    crawl("-a", "full=1")
    out = tmp_path / "feed.xml"
    result = run_cli(
        "--db",
        str(archive_path),
        "changes",
        "--since",
        "2000-01-01",
        "--format",
        "atom",
        "-o",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    root = ET.parse(out).getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    entries = root.findall("a:entry", ns)
    kinds = [e.find("a:title", ns).text.split("]")[0][1:] for e in entries]
    # notices, not their files (which come with them)
    assert kinds.count("new") == len(site.notices(site.http_portals))
    assert kinds.count("changed") == 1
    changed = next(e for e in entries if e.find("a:title", ns).text.startswith("[changed]"))
    assert "[-2-]{+5+}" in changed.find("a:summary", ns).text
    assert changed.find("a:link", ns).get("href").endswith("art_1234_5678.html")
    assert len({e.find("a:id", ns).text for e in entries}) == len(entries)


def _start(seeds, archive, *extra):
    return subprocess.Popen(
        crawl_command(seeds, archive, "-s", "BROWSER_ENABLED=False", *extra),
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for(condition, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("timed out")


def _scalar(archive_path, sql: str) -> int:
    """A number read from the archive so far, as any reader would (a connection of its own,
    closed); 0 before the schema is written, or when the query finds no row.

    (Not mode=ro: SQLite shares one WAL index per process, and one opened read-only first
    cannot be recovered by a later connection of the same process after the writer is killed.)
    """
    if not archive_path.exists():
        return 0
    conn = sqlite3.connect(archive_path, timeout=5)
    try:
        row = conn.execute(sql).fetchone()
        return row[0] if row else 0
    except sqlite3.OperationalError:
        return 0  # the schema is not written yet
    finally:
        conn.close()


def _count(archive_path, table: str) -> int:
    """Rows of a table so far (see _scalar)."""
    return _scalar(archive_path, f"SELECT count(*) FROM {table}")


def _archived(archive_path) -> int:
    """Versions written so far, and notices held for their young template (archived when it
    is mature, or when the run ends)."""
    return _count(archive_path, "versions") + _count(archive_path, "parked_pages")


def _locked(archive_path) -> bool:
    """Whether a process holds the archive's lock, as the kernel sees it (/proc/locks): the
    file itself may outlive the lock, and trying to take it would race with the crawl."""
    lock = archive_path.with_name(archive_path.name + ".lock")
    try:
        inode = lock.stat().st_ino
    except FileNotFoundError:
        return False
    held = Path("/proc/locks").read_text().splitlines()
    return any(
        line.split()[1] == "FLOCK" and int(line.split()[5].rsplit(":", 1)[1]) == inode
        for line in held
        if len(line.split()) > 5 and "->" not in line
    )


def test_second_concurrent_crawl_is_refused(site, seeds_file, archive_path):
    site.delay = 1.0
    first = _start(seeds_file, archive_path)
    try:
        _wait_for(lambda: _locked(archive_path))
        second = _start(seeds_file, archive_path)
        _, err = second.communicate(timeout=120)
        assert second.returncode == 2
        assert "Error: another crawl is writing" in err and "ARCHIVE_WAIT" in err
        assert "Traceback" not in err
    finally:
        first.communicate(timeout=300)
    assert first.returncode == 0


def test_second_crawl_can_wait(site, seeds_file, archive_path):
    site.delay = 0.5
    first = _start(seeds_file, archive_path)
    _wait_for(lambda: _locked(archive_path))
    second = _start(seeds_file, archive_path, "-s", "ARCHIVE_WAIT=True", "-a", "full=1")
    first.communicate(timeout=300)
    second.communicate(timeout=300)
    assert (first.returncode, second.returncode) == (0, 0)
    with open_archive(archive_path) as archive:
        assert [r["status"] for r in archive.db.query("SELECT status FROM runs")] == [
            "finished",
            "finished",
        ]


def _integrity(archive_path) -> str:
    conn = sqlite3.connect(archive_path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def test_killed_crawl_leaves_a_consistent_archive_and_resumes(
    site, seeds_file, archive_path, tmp_path
):
    site.delay = 0.25
    jobdir = tmp_path / "job"
    crawl = _start(seeds_file, archive_path, "-s", f"JOBDIR={jobdir}")
    _wait_for(lambda: _archived(archive_path) >= 2)
    os.kill(crawl.pid, signal.SIGKILL)
    crawl.communicate(timeout=60)
    assert _integrity(archive_path) == "ok"
    with open_archive(archive_path) as archive:
        assert archive.db.execute("SELECT status FROM runs").fetchone()[0] == "running"
        for page in archive.list_pages():  # every version written is whole
            version = archive.version(page["url"])
            # (a file with no text, an old .doc, is versioned by its bytes)
            assert version["text"] or version["content_hash"].startswith("raw:")
            assert version["blob_sha256"]
    site.delay = 0
    resumed = _start(seeds_file, archive_path, "-s", f"JOBDIR={jobdir}")
    _, err = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, err[-3000:]
    # Scrapy can resume only a cleanly stopped job: the killed one's queue is discarded
    assert "cannot be resumed and is discarded" in err
    assert _integrity(archive_path) == "ok"
    with open_archive(archive_path) as archive:
        statuses = [r["status"] for r in archive.db.query("SELECT status FROM runs ORDER BY id")]
        assert statuses == ["interrupted", "finished"]
        assert {p["url"] for p in archive.list_pages()} == site.archived_urls(site.http_portals)
        assert all(p["versions"] == 1 for p in archive.list_pages())


def test_stopped_crawl_is_marked_interrupted_and_resumes(site, seeds_file, archive_path, tmp_path):
    site.delay = 0.25
    jobdir = tmp_path / "job"
    crawl = _start(seeds_file, archive_path, "-s", f"JOBDIR={jobdir}")
    _wait_for(lambda: _archived(archive_path) >= 1)
    crawl.send_signal(signal.SIGTERM)  # Scrapy stops gracefully and keeps its queue in JOBDIR
    crawl.communicate(timeout=120)
    with open_archive(archive_path) as archive:
        assert archive.db.execute("SELECT status FROM runs").fetchone()[0] == "interrupted"
    assert (jobdir / "requests.queue" / "active.json").exists()
    site.delay = 0
    resumed = _start(seeds_file, archive_path, "-s", f"JOBDIR={jobdir}")
    _, err = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, err[-3000:]
    assert "discarded" not in err  # a cleanly stopped job really resumes
    with open_archive(archive_path) as archive:
        assert {p["url"] for p in archive.list_pages()} == site.archived_urls(site.http_portals)


def test_server_error_is_an_error_not_a_removal(site, crawl, seeds_file, archive_path):
    crawl()
    site.pages[NOTICE] = Page(
        b"<html><body>500 Internal Server Error</body></html>", "text/html", 500
    )
    result = run_crawl(seeds_file, archive_path, "-a", "full=1", "-s", "BROWSER_ENABLED=False")
    assert result.returncode == 0
    with open_archive(archive_path) as archive:
        page = archive.page(site.url(NOTICE))
        assert page["state"] == "live"
        fetches = archive.fetches(site.url(NOTICE))
        assert [f["outcome"] for f in fetches] == ["new", "error"]
        assert fetches[-1]["detail"] == "HTTP 500" and fetches[-1]["status"] == 500
    report = run_cli("--db", str(archive_path), "run", "2")
    assert "HTTP 500" in report.stdout
