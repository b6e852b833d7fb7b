"""Distributed crawls end to end: real redis-server, workers as real `scrapy crawl`
subprocesses, the writer as `python -m crawler ingest` (a subprocess where it is killed)."""

import json
import os
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from archive import Archive, reports
from bench.redis_server import redis_server
from crawler.distributed import keys
from demo.crawl import PROJECT_ROOT, crawl_command

from conftest import closed_port, open_archive, run_cli, run_crawl

# two sample portals that need no browser (small: these crawls are subprocesses)
PORTALS = ["sample-sm", "sample-ta"]
IDLE = "1"  # FRONTIER_IDLE_CLOSE in these tests


@pytest.fixture
def redis_url(tmp_path):
    with redis_server(tmp_path) as server:
        yield server


@pytest.fixture
def seeds(site, tmp_path) -> Path:
    path = tmp_path / "seeds.toml"
    ids = PORTALS
    path.write_text(site.seeds_toml(ids), "utf-8")
    return path


def worker(seeds: Path, url: str, tmp_path: Path, *extra: str) -> subprocess.Popen:
    """A worker: `scrapy crawl notices -s FRONTIER_URL=…` (its ARCHIVE_PATH must stay unused)."""
    command = crawl_command(
        seeds,
        tmp_path / "never-opened.db",
        "-s",
        f"FRONTIER_URL={url}",
        "-s",
        f"FRONTIER_IDLE_CLOSE={IDLE}",
        "-s",
        "FRONTIER_WORKER_TIMEOUT=5",
        "-s",
        "BROWSER_ENABLED=False",
        "-s",
        "EXTRACT_PROCESSES=0",
        *extra,
    )
    env = dict(os.environ, LOG_LEVEL="INFO")
    env.pop("ARCHIVE_PATH", None)
    return subprocess.Popen(
        command,
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen, timeout: int = 120) -> tuple[int, str]:
    _, stderr = process.communicate(timeout=timeout)
    return process.returncode, stderr


def ingest(archive: Path, url: str) -> subprocess.CompletedProcess:
    """The writer, in-process, until the queue is empty."""
    result = run_cli("--db", str(archive), "ingest", url, "--until-idle", "0", module="crawler")
    assert result.returncode == 0, result.stderr
    return result


def snapshot(path: Path) -> dict:
    """What a crawl left in an archive: pages, versions, fetch outcomes, the run's counts."""
    archive = open_archive(path)
    try:
        db = archive.db
        pages = {r[0]: r[1:] for r in db.execute("SELECT url, portal_id, state FROM pages")}
        versions = Counter(
            db.execute(
                "SELECT p.url, v.number, v.kind, v.content_hash FROM versions v JOIN pages p ON p.id = v.page_id"
            ).fetchall()
        )
        outcomes = Counter(
            db.execute(
                "SELECT p.url, f.outcome FROM fetches f JOIN pages p ON p.id = f.page_id"
            ).fetchall()
        )
        runs = [r[0] for r in db.execute("SELECT id FROM runs ORDER BY id")]
        counts = [reports.run(db, run)["portals"] for run in runs]
        status = [r[0] for r in db.execute("SELECT status FROM runs ORDER BY id")]
    finally:
        archive.close()
    return {
        "pages": pages,
        "versions": versions,
        "outcomes": outcomes,
        "counts": counts,
        "status": status,
    }


def fetched(site) -> Counter:
    return Counter(path for _, path, _ in site.requests if not path.startswith("/robots.txt"))


def run_stats(path: Path, run: int = -1) -> dict:
    archive = open_archive(path)
    try:
        rows = archive.db.execute("SELECT stats FROM runs ORDER BY id").fetchall()
    finally:
        archive.close()
    return json.loads(rows[run][0])


def wait_until(condition, timeout: float = 60.0, what: str = "condition"):
    """Poll an observable condition (a row count, a Redis key) until it holds."""
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)
    return value


def writer_and_two_workers(
    archive: Path, url: str, client, seeds: Path, tmp_path: Path, commits: int
) -> tuple[subprocess.Popen, list[subprocess.Popen]]:
    """Start a writer, then (once it has published the recrawl state) two workers; return
    when the writer has committed `commits` messages."""
    running = writer(archive, url)
    wait_until(lambda: client.exists(keys.STATE_AT), what="the writer's recrawl state")
    workers = [worker(seeds, url, tmp_path) for _ in range(2)]
    wait_until(lambda: ingested(archive) >= commits, what="the writer's first commits")
    return running, workers


def ingested(path: Path) -> int:
    """Messages the writer has committed (read while it writes: the archive is in WAL mode)."""
    if not path.exists():
        return 0
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    try:
        return conn.execute("SELECT count(*) FROM ingested_messages").fetchone()[0]
    except sqlite3.OperationalError:  # not migrated yet
        return 0
    finally:
        conn.close()


def writer(archive: Path, url: str, *extra: str) -> subprocess.Popen:
    """The writer as a real `python -m crawler ingest` subprocess."""
    env = dict(os.environ)
    env.pop("ARCHIVE_PATH", None)
    return subprocess.Popen(
        [sys.executable, "-m", "crawler", "--db", str(archive), "ingest", url, *extra],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def test_two_workers_and_a_writer_killed_mid_crawl_archive_what_one_process_does(
    site, seeds, redis_url, tmp_path
):
    """The same pages, versions, outcomes and per-portal counts as one local crawl, each
    page fetched once; the writer SIGKILLed after some commits and restarted: nothing lost,
    nothing written twice. Then a distributed recrawl of the unchanged portals."""
    reference = tmp_path / "reference.db"
    result = run_crawl(seeds, reference, "-s", "BROWSER_ENABLED=False")
    assert result.returncode == 0, result.stderr[-3000:]
    local_fetches = fetched(site)
    site.requests.clear()

    archive, url = tmp_path / "archive.db", redis_url.url
    client = redis_url.client()
    first, workers = writer_and_two_workers(archive, url, client, seeds, tmp_path, commits=3)
    first.kill()
    first.communicate()
    for process in workers:
        code, stderr = finish(process)
        assert code == 0, stderr[-3000:]
        assert "'log_count/ERROR'" not in stderr, stderr[-3000:]
    ingest(archive, url)  # restarted: its processing list first

    assert integrity(archive) == "ok"
    assert not (tmp_path / "never-opened.db").exists()
    assert fetched(site) == local_fetches  # each page fetched once, as one process does
    got = snapshot(archive)
    assert got == snapshot(reference)
    assert got["status"] == ["finished"]
    assert run_stats(archive)["frontier/workers"] == 2
    assert client.llen(keys.ITEMS) == client.llen(keys.PROCESSING) == 0
    assert not list(client.scan_iter(f"{keys.RUN}*"))  # the run's keys are gone
    assert_conditional_recrawl(site, seeds, archive, url, tmp_path)


def test_the_run_after_a_killed_worker_recovers_what_it_dropped(site, seeds, redis_url, tmp_path):
    archive, url = tmp_path / "archive.db", redis_url.url
    client = redis_url.client()
    ingest(archive, url)
    killed, survivor = worker(seeds, url, tmp_path), worker(seeds, url, tmp_path)
    run = wait_until(lambda: client.get(keys.RUN), what="the run").decode()
    wait_until(lambda: client.hlen(keys.workers(run)) == 2, what="both workers in the run")
    wait_until(lambda: client.llen(keys.ITEMS) >= 3, what="the workers' first items")
    killed.kill()
    killed.communicate()
    code, stderr = finish(survivor)
    assert code == 0, stderr[-3000:]
    ingest(archive, url)
    stats = run_stats(archive)
    assert stats["crawl/workers_lost"] == 1  # its in-flight requests were dropped, and said so
    assert all(not k.endswith("/delisted") for k in stats)  # nothing delisted after a loss
    with open_archive(archive) as db:  # the run's coverage, from the workers' shared records
        lost = db.coverage()["portals"]
    assert lost and all("worker(s) lost" in p["reason"] for p in lost)

    code, stderr = finish(worker(seeds, url, tmp_path))  # the next run: a fresh frontier
    assert code == 0, stderr[-3000:]
    ingest(archive, url)
    got = snapshot(archive)
    assert {url for url, *_ in got["versions"]} == site.archived_urls(PORTALS)
    assert set(got["versions"].values()) == {1}
    assert {number for _, number, *_ in got["versions"]} == {1}  # no version twice
    assert got["status"] == ["finished", "finished"]
    with open_archive(archive) as db:
        whole = db.coverage()["portals"]
    assert {p["portal"] for p in whole} == set(PORTALS)
    assert all(p["complete"] and p["lists"] for p in whole), whole


def assert_conditional_recrawl(site, seeds: Path, archive: Path, url: str, tmp_path: Path):
    """A distributed recrawl of the unchanged portals: 304s to the validators the writer
    published, no version, and the old notices not due (revisits by age, as locally)."""
    site.requests.clear()
    code, stderr = finish(worker(seeds, url, tmp_path))
    assert code == 0, stderr[-3000:]
    ingest(archive, url)
    db = open_archive(archive)
    try:
        run = db.db.execute("SELECT max(id) FROM runs").fetchone()[0]
        outcomes = Counter(
            r[0] for r in db.db.execute("SELECT outcome FROM fetches WHERE run_id = ?", [run])
        )
        new_versions = db.db.execute(
            "SELECT count(*) FROM versions WHERE run_id = ?", [run]
        ).fetchone()[0]
    finally:
        db.close()
    assert outcomes["not-modified"] >= 1 and new_versions == 0
    assert set(outcomes) == {"not-modified"}, outcomes
    stats = run_stats(archive)
    assert sum(v for k, v in stats.items() if k.endswith("/not_due")) >= 3
    conditional = [
        h for _, _, h in site.requests if "If-None-Match" in h or "If-Modified-Since" in h
    ]
    assert len(conditional) == outcomes["not-modified"]


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("Error:")]


def test_without_redis_workers_and_the_writer_stop_with_one_line(seeds, tmp_path):
    url = f"redis://127.0.0.1:{closed_port()}/0"
    code, stderr = finish(worker(seeds, url, tmp_path))
    assert code == 2
    assert error_lines(stderr) == [error_lines(stderr)[0]]
    assert f"frontier {url} unreachable: " in error_lines(stderr)[0]
    assert "Traceback" not in stderr
    archive = tmp_path / "archive.db"
    Archive(archive).close()
    before = archive.read_bytes()
    result = run_cli("--db", str(archive), "ingest", url, module="crawler")
    assert result.returncode == 1
    assert result.stderr.startswith(f"Error: queue {url} unreachable: ")
    assert result.stderr.count("\n") == 1
    assert archive.read_bytes() == before
    assert not (tmp_path / "never-opened.db").exists()


def test_redis_going_down_mid_crawl_stops_everyone_with_one_line(site, seeds, redis_url, tmp_path):
    archive, url = tmp_path / "archive.db", redis_url.url
    client = redis_url.client()
    running, workers = writer_and_two_workers(archive, url, client, seeds, tmp_path, commits=2)
    redis_url.kill()
    for process in [running, *workers]:
        code, stderr = finish(process)
        assert code != 0
        lines = error_lines(stderr)
        assert len(lines) == 1 and f"{url} unreachable: " in lines[0], stderr[-3000:]
    assert integrity(archive) == "ok"
    assert not (tmp_path / "never-opened.db").exists()


def test_a_worker_before_any_writer_says_so(seeds, redis_url, tmp_path):
    code, stderr = finish(worker(seeds, redis_url.url, tmp_path))
    assert code == 2
    assert error_lines(stderr) == [
        f"Error: no recrawl state in {redis_url.url}: start the writer first "
        f"(python -m archive --db PATH ingest {redis_url.url})"
    ]


def test_archive_ingest_is_an_alias_of_the_crawler_writer(tmp_path):
    """`python -m archive ingest` (the old name) runs `python -m crawler ingest`."""
    result = subprocess.run(
        [sys.executable, "-m", "archive", "--db", str(tmp_path / "a.db"), "ingest", "--help"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "Usage: python -m crawler ingest [OPTIONS] URL" in result.stdout
    assert result.stderr.startswith("note: the writer is now `python -m crawler ingest`")
    assert not (tmp_path / "a.db").exists()
