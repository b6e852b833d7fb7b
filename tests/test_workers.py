"""The extraction workers: the same archive with or without them, none outliving a killed
crawl, and their scheduling."""

import os
import signal
import subprocess
import time
from pathlib import Path

from crawler.work import ExtractionPool
from demo.crawl import PROJECT_ROOT, crawl_command

from conftest import open_archive, run_crawl


def _texts(path: Path) -> dict[str, str]:
    with open_archive(path) as archive:
        return {p["url"]: archive.version(p["url"])["text"] for p in archive.list_pages()}


def test_a_crawl_without_workers_archives_the_same(site, seeds_file, tmp_path):
    pooled, inline = tmp_path / "pooled.db", tmp_path / "inline.db"
    for path, processes in ((pooled, "2"), (inline, "0")):
        result = run_crawl(
            seeds_file, path, "-s", "BROWSER_ENABLED=False", "-s", f"EXTRACT_PROCESSES={processes}"
        )
        assert result.returncode == 0 and not result.errors_logged, result.stderr[-3000:]
    assert _texts(pooled) == _texts(inline)
    assert set(_texts(pooled)) == site.archived_urls(site.http_portals)


def _children(pid: int) -> list[int]:
    with open(f"/proc/{pid}/task/{pid}/children") as fh:
        return [int(child) for child in fh.read().split()]


def test_workers_end_with_a_killed_crawl(site, seeds_file, archive_path):
    site.delay = 0.3  # keep the crawl running while we look at it
    crawl = subprocess.Popen(
        crawl_command(
            seeds_file, archive_path, "-s", "BROWSER_ENABLED=False", "-s", "EXTRACT_PROCESSES=2"
        ),
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while time.monotonic() < deadline and len(workers) < 2:
        workers = _children(crawl.pid)
        time.sleep(0.1)
    assert len(workers) >= 2, workers
    os.kill(crawl.pid, signal.SIGKILL)
    crawl.wait(timeout=30)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(Path(f"/proc/{w}").exists() for w in workers):
        time.sleep(0.1)
    # a worker whose parent died is reaped by init; none may be left running
    alive = [w for w in workers if Path(f"/proc/{w}").exists() and _state(w) != "Z"]
    assert alive == []


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"


def _scheduling() -> tuple[int, int]:
    return os.sched_getscheduler(0), os.nice(0)


def test_workers_run_as_batch_jobs_at_the_crawls_priority():
    # niced workers lost the CPU to every other process on a shared machine; batch jobs keep
    # their share but do not preempt the crawl process when it wakes up
    pool = ExtractionPool(1)
    try:
        policy, niceness = pool.executor.submit(_scheduling).result(timeout=30)
    finally:
        pool.close()
    assert (policy, niceness) == (os.SCHED_BATCH, os.nice(0))
