"""Distributed crawls end to end: real redis-server, workers as real `scrapy crawl`
subprocesses, the writer as `python -m archive ingest` (a subprocess where it is killed)."""

import json
import os
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from redis_server import redis_server

from archive import reports
from crawler.demo import PROJECT_ROOT, crawl_command
from crawler.distributed import keys

from conftest import open_archive, run_cli, run_crawl

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
        "FRONTIER_WORKER_TIMEOUT=3",
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
    result = run_cli("--db", str(archive), "ingest", url, "--until-idle", "0")
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


def test_two_workers_and_a_writer_archive_what_one_process_does(site, seeds, redis_url, tmp_path):
    reference = tmp_path / "reference.db"
    result = run_crawl(seeds, reference, "-s", "BROWSER_ENABLED=False")
    assert result.returncode == 0, result.stderr[-3000:]
    local_fetches = fetched(site)
    site.requests.clear()

    archive = tmp_path / "archive.db"
    ingest(archive, redis_url.url)  # publishes the recrawl state (an empty archive's)
    workers = [worker(seeds, redis_url.url, tmp_path) for _ in range(2)]
    for process in workers:
        code, stderr = finish(process)
        assert code == 0, stderr[-3000:]
        assert "'log_count/ERROR'" not in stderr, stderr[-3000:]
    ingest(archive, redis_url.url)

    assert not (tmp_path / "never-opened.db").exists()
    assert fetched(site) == local_fetches  # each page fetched once, as one process does
    got, expected = snapshot(archive), snapshot(reference)
    assert got == expected
    assert got["status"] == ["finished"]
    assert run_stats(archive)["frontier/workers"] == 2
    client = redis_url.client()
    assert client.llen(keys.ITEMS) == client.llen(keys.PROCESSING) == 0
    assert not list(client.scan_iter(f"{keys.RUN}*"))  # the run's keys are gone


def run_stats(path: Path, run: int = -1) -> dict:
    archive = open_archive(path)
    try:
        rows = archive.db.execute("SELECT stats FROM runs ORDER BY id").fetchall()
    finally:
        archive.close()
    return json.loads(rows[run][0])
