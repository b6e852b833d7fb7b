"""Scale-out: one distributed worker against two, on one portal whose server answers each
request after 100 ms; politeness spaces each worker's requests to it by DOWNLOAD_DELAY, so the
second worker doubles what the portal is asked for in a second. Both in one run of the bench,
each on a fresh archive and a fresh run of the frontier. The speed-up compares the crawl times
(the longest worker's, from its spider opening to its leaving, less FRONTIER_IDLE_CLOSE, the
idle wait before it leaves); the wall times, with each process's start-up, are reported too."""

import json
import subprocess
import time
from pathlib import Path

from archive import Archive
from crawler.ingest import Ingest
from demo.crawl import PROJECT_ROOT, crawl_command

from .measure import CRAWL_SETTINGS
from .portal import BenchSite
from .redis_server import redis_server
from .server import serve

LATENCY = 0.1
IDLE_CLOSE = 1.0
WORKER_SETTINGS = {
    "FRONTIER_IDLE_CLOSE": IDLE_CLOSE,
    # politeness: 0.2 s between a worker's requests to the portal (with no delay Scrapy 2.19
    # starts every queued request of a domain at once, whatever CONCURRENT_REQUESTS_PER_DOMAIN
    # says), so that the crawl waits on the portal, not on this machine's cores
    "DOWNLOAD_DELAY": 0.2,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
    "EXTRACT_PROCESSES": 1,
}


def _distributed_crawl(seeds: Path, archive_path: Path, url: str, workers: int) -> dict:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{archive_path}{suffix}").unlink(missing_ok=True)
    with Archive(archive_path) as archive:
        writer = Ingest(archive, Ingest.connect(url), url)
        writer.publish_state()
        extra = [*CRAWL_SETTINGS, "-s", f"FRONTIER_URL={url}"]
        for key, value in WORKER_SETTINGS.items():
            extra += ["-s", f"{key}={value}"]
        start = time.perf_counter()
        processes = [
            subprocess.Popen(
                crawl_command(seeds, archive_path.with_suffix(".unused"), *extra),
                cwd=PROJECT_ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(workers)
        ]
        for process in processes:
            _, err = process.communicate()
            if process.returncode != 0:
                raise RuntimeError(f"worker failed ({process.returncode}):\n{err[-3000:]}")
        seconds = time.perf_counter() - start - IDLE_CLOSE
        start = time.perf_counter()
        applied = writer.consume(until_idle=0).applied
        writing = time.perf_counter() - start
        versions = archive.db.execute("SELECT count(*) FROM versions").fetchone()[0]
        elapsed = [
            json.loads(counts)["elapsed_time_seconds"]
            for (counts,) in archive.db.execute(
                "SELECT counts FROM ingested_messages WHERE kind = 'worker'"
            )
        ]
    return {
        # from the first worker's start to the last one's exit (start-up included)
        "wall_seconds": round(seconds, 2),
        # the crawl itself: the longest worker's time from opening to leaving
        "seconds": round(max(elapsed) - IDLE_CLOSE, 2),
        "versions_written": versions,
        # the queue drained after the crawl: the writer's own rate
        "writer_items_per_s": round(applied / writing, 1),
    }


def run(pages: int, workdir: Path, log=print) -> dict:
    """Time one worker, then two, on the same slow portal."""
    site = BenchSite(pages)
    result: dict = {"pages": pages, "latency_ms": round(LATENCY * 1000)}
    with serve(site, latency=LATENCY), redis_server(workdir) as server:
        seeds = workdir / f"scale-out-{pages}.toml"
        seeds.write_text(site.seeds_toml(), "utf-8")
        for workers in (1, 2):
            record = _distributed_crawl(
                seeds, workdir / f"scale-out-{workers}.db", server.url, workers
            )
            result[f"workers_{workers}"] = record
            log(f"[scale-out {pages}] {workers} worker(s): {record['seconds']:.1f} s")
    result["speed_up"] = round(result["workers_1"]["seconds"] / result["workers_2"]["seconds"], 2)
    return result


def line(result: dict) -> str:
    one, two = result["workers_1"], result["workers_2"]
    return (
        f"scale-out, {result['pages']} pages at {result['latency_ms']} ms a request: one worker "
        f"{one['seconds']} s ({one['wall_seconds']} s with start-up), two {two['seconds']} s "
        f"({two['wall_seconds']} s), speed-up x{result['speed_up']}; the writer "
        f"{one['writer_items_per_s']} items/s"
    )
