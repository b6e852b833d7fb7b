"""The measurements, each in the same run: extraction floor, first crawl, recrawls, storage,
memory and query latency. Timings are wall-clock seconds on this machine."""

import gc
import multiprocessing
import os
import random
import statistics
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import islice
from pathlib import Path

from archive import Archive, PageContent
from archive.models import utcnow
from archive.search import search
from demo.crawl import PROJECT_ROOT, crawl_command
from notice.derive import derive
from notice.extract import extract

from .portal import BenchSite
from .server import Served, serve
from .sizes import table_sizes
from .templates import template_cost
from .web import page_latency

EXTRACT_SAMPLE = 2000  # pages for the extraction floor (a rate; more pages change nothing)
QUERY_REPEATS = 7
HEADERS = {"Content-Type": "text/html; charset=utf-8"}
CRAWL_SETTINGS = [
    "-s",
    "BROWSER_ENABLED=False",
    "-s",
    "LIST_MAX_PAGES=100000",
    "-s",
    "LOG_LEVEL=WARNING",
]


@dataclass
class CrawlRun:
    seconds: float
    peak_rss_mb: float  # the crawl process
    peak_rss_total_mb: float  # with its extraction workers
    cpu_seconds: float  # user + system of the crawl and its workers
    bytes_sent: int
    versions_written: int


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            return next(int(line.split()[1]) for line in fh if line.startswith("VmRSS:"))
    except (OSError, StopIteration):
        return 0


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(p) for p in fh.read().split()]
    except OSError:
        return []


def _sample_memory(pid: int, peaks: dict, done: threading.Event) -> None:
    while not done.is_set():
        main = _rss_kb(pid)
        total = main + sum(_rss_kb(child) for child in _children(pid))
        peaks["main"] = max(peaks["main"], main)
        peaks["total"] = max(peaks["total"], total)
        done.wait(0.1)


def _versions(archive_path: Path) -> int:
    if not archive_path.exists():
        return 0
    with Archive(archive_path, create=False) as archive:
        return archive.db.execute("SELECT count(*) FROM versions").fetchone()[0]


def crawl(site: Served, seeds: Path, archive_path: Path, *extra: str) -> CrawlRun:
    """One `scrapy crawl` subprocess, timed, with its memory sampled."""
    before_versions, before_bytes = _versions(archive_path), site.bytes_sent
    usage = os.times()
    start = time.perf_counter()
    proc = subprocess.Popen(
        crawl_command(seeds, archive_path, *CRAWL_SETTINGS, *extra),
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    peaks, done = {"main": 0, "total": 0}, threading.Event()
    sampler = threading.Thread(target=_sample_memory, args=(proc.pid, peaks, done), daemon=True)
    sampler.start()
    _, err = proc.communicate()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    after = os.times()
    if proc.returncode != 0:
        raise RuntimeError(f"crawl failed ({proc.returncode}):\n{err[-3000:]}")
    return CrawlRun(
        seconds=seconds,
        peak_rss_mb=peaks["main"] / 1024,
        peak_rss_total_mb=peaks["total"] / 1024,
        cpu_seconds=(after.children_user + after.children_system)
        - (usage.children_user + usage.children_system),
        bytes_sent=site.bytes_sent - before_bytes,
        versions_written=_versions(archive_path) - before_versions,
    )


def extraction_floor(site: BenchSite) -> tuple[float, int]:
    """Pages per second through the extraction function in a plain loop, and pages used."""
    sample = list(site.detail_bodies())[:EXTRACT_SAMPLE]
    start = time.perf_counter()
    for url, body in sample:
        extract(body, url, HEADERS)
    return len(sample) / (time.perf_counter() - start), len(sample)


_SAMPLE: list[tuple[str, bytes]] = []  # the pages the forked pool's workers extract


def _extract_one(index: int) -> None:
    url, body = _SAMPLE[index]
    extract(body, url, HEADERS)


def extraction_all_cores(site: BenchSite) -> tuple[float, int]:
    """Pages per second through the extraction function in a pool of one process per core
    (the pages are in the forked workers' memory: no copying is timed), and pages used."""
    _SAMPLE[:] = list(site.detail_bodies())[:EXTRACT_SAMPLE]
    context = multiprocessing.get_context("fork")
    with context.Pool(os.cpu_count() or 1) as pool:
        pool.map(_extract_one, range(os.cpu_count() or 1))  # the workers are up and warm
        start = time.perf_counter()
        pool.map(_extract_one, range(len(_SAMPLE)), chunksize=8)
        seconds = time.perf_counter() - start
    count = len(_SAMPLE)
    _SAMPLE.clear()
    return count / seconds, count


def storage(archive_path: Path) -> dict:
    """File size, what the stored responses take against their raw size, and what each table
    and index takes (dbstat)."""
    with Archive(archive_path, create=False) as archive:
        raw, stored = archive.db.execute(
            "SELECT coalesce(sum(size), 0), coalesce(sum(stored_size), 0) FROM blobs"
        ).fetchone()
        archive.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return {
        "file_bytes": archive_path.stat().st_size,
        "raw_bytes": raw,
        "stored_bytes": stored,
        "tables": table_sizes(archive_path),
    }


def _derive(job: tuple[str, str, str | None, str | None]) -> tuple[str, PageContent]:
    """A new version's content with its copy signature and fields (as the crawl's workers
    make them)."""
    url, text, title, published = job
    content = PageContent(text, title, published, derived=derive(title, text, published))
    return url, content


def _edits(archive: Archive, target: int, seed: int) -> Iterator[tuple]:
    rng = random.Random(seed)
    urls = [row[0] for row in archive.db.execute("SELECT url FROM pages").fetchall()]
    texts = {}
    for _ in range(target):
        url = rng.choice(urls)
        if url not in texts:
            current = archive.version(url)
            texts[url] = (current["text"], current["title"], current["published"])
        text, title, published = texts[url]
        lines = text.split("\n")
        k = rng.randrange(len(lines))
        lines[k] += f"截至{rng.randint(1, 12)}月底已完成{rng.randint(1, 999)}项。"
        texts[url] = ("\n".join(lines), title, published)
        yield url, texts[url][0], title, published


def grow(archive_path: Path, target: int, seed: int = 7) -> int:
    """Add versions (edits of random notices) until the archive holds `target`; return how
    many were added. Signatures and fields are made in worker processes, as in a crawl; the
    versions are written through the archive API, many to a transaction, dated over the two
    years before the first crawl (as if nightly crawls had found them), so that the change
    feed of the last days holds only what the recrawls found."""
    with Archive(archive_path, create=False) as archive:
        count, first = archive.db.execute(
            "SELECT count(*), min(fetched_at) FROM versions"
        ).fetchone()
        wanted = max(target - count, 0)
        start = datetime.fromisoformat(first.replace("Z", "+00:00")) - timedelta(days=730)
        step = timedelta(days=729) / max(wanted, 1)
        dates = ((start + step * n).strftime("%Y-%m-%dT%H:%M:%SZ") for n in range(wanted))
        context = multiprocessing.get_context("fork")
        edits = _edits(archive, wanted, seed)  # read here: the archive stays in this thread
        with context.Pool(os.cpu_count() or 1) as pool:
            while batch := list(islice(edits, 500)):
                made = pool.map(_derive, batch, chunksize=25)
                with archive.db.atomic():
                    for (url, content), at in zip(made, dates, strict=False):
                        archive.record_page(url, content, archive.raw_html(url), at=at)
    return wanted


def _median_ms(call: Callable[[], object]) -> float:
    times = []
    for _ in range(QUERY_REPEATS):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def query_latency(archive_path: Path, since: str) -> dict[str, float]:
    """Median milliseconds of the CLI's queries, through the library the CLI calls (`changes`:
    the feed since `since`)."""
    from archive import diff as difflib_
    from archive import feed, records

    with Archive(archive_path, create=False) as archive:
        url = archive.db.execute(
            "SELECT url FROM pages ORDER BY current_version DESC LIMIT 1"
        ).fetchone()[0]
        last = archive.page(url)["current_version"]

        def diff() -> None:
            old, new = archive.version(url, last - 1), archive.version(url, last)
            difflib_.to_text(difflib_.diff_texts(old["text"], new["text"]), "a", "b")

        def export_all() -> int:
            return sum(1 for _ in records.notices(archive.db))

        return {
            "history": _median_ms(lambda: (archive.versions(url), archive.fetches(url))),
            "diff": _median_ms(diff),
            "search_3+": _median_ms(lambda: search(archive.db, "整改措施")),
            "search_2": _median_ms(lambda: search(archive.db, "巡视")),
            "search_2_rare": _median_ms(lambda: search(archive.db, "鼓浪")),
            "search_2_absent": _median_ms(lambda: search(archive.db, "氪氙")),
            "export_notices": _median_ms(export_all),
            "changes": _median_ms(lambda: feed.changes(archive.db, since)),
            "changes_rows": len(feed.changes(archive.db, since)),
        }


def run(size: int, versions: int, recrawls: int, workdir: Path, log=print) -> dict:
    """Every measurement for a portal of `size` notices; returns the results as a dict."""
    site = BenchSite(size)
    # the site's pages are long-lived: keep the garbage collector from walking them while the
    # extraction loop below allocates (the crawl runs in other processes, without them)
    gc.collect()
    gc.freeze()
    archive_path = workdir / f"bench-{size}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{archive_path}{suffix}").unlink(missing_ok=True)
    result: dict = {"pages": size, "cores": os.cpu_count()}
    with serve(site) as served:
        seeds = workdir / f"bench-{size}.toml"
        seeds.write_text(site.seeds_toml(), "utf-8")
        html_bytes = sum(len(site.pages[n.path][0]) for n in site.notices)
        result["page_kb_mean"] = round(html_bytes / size / 1024, 1)
        rate, sampled = extraction_floor(site)
        result["extraction_only"] = {"pages_per_s": round(rate, 1), "pages": sampled}
        log(f"[{size}] extraction only: {rate:.1f} pages/s")
        result["template_model"] = template_cost(site)
        log(f"[{size}] template model: {result['template_model']}")
        before, sampled = extraction_all_cores(site)
        log(f"[{size}] extraction on all cores: {before:.1f} pages/s")
        load_before = os.getloadavg()[0]
        first = crawl(served, seeds, archive_path)
        load_after = os.getloadavg()[0]
        # measured again right after the crawl: on a shared machine the load moves during a
        # long crawl, and the ratio is taken to the mean of the two
        after, _ = extraction_all_cores(site)
        log(f"[{size}] extraction on all cores, after the crawl: {after:.1f} pages/s")
        all_cores = (before + after) / 2
        result["extraction_all_cores"] = {
            "pages_per_s": round(all_cores, 1),
            "before_crawl": round(before, 1),
            "after_crawl": round(after, 1),
            "pages": sampled,
            "processes": os.cpu_count(),
        }
        result["first_crawl"] = _crawl_record(first, size, rate, all_cores)
        result["first_crawl"]["load_average"] = [round(load_before, 2), round(load_after, 2)]
        log(f"[{size}] first crawl: {size / first.seconds:.1f} pages/s, {first.seconds:.1f} s")
        result["storage_after_first"] = storage(archive_path)
        unchanged = [crawl(served, seeds, archive_path, "-a", "full=1") for _ in range(recrawls)]
        result["unchanged_recrawl"] = {
            "seconds": round(unchanged[0].seconds, 2),
            "bytes_transferred": unchanged[0].bytes_sent,
            "versions_written": unchanged[0].versions_written,
            "speedup_vs_first": round(first.seconds / unchanged[0].seconds, 1),
            "runs": recrawls,
            "versions_written_all_runs": sum(r.versions_written for r in unchanged),
        }
        log(f"[{size}] unchanged recrawl: {unchanged[0].seconds:.1f} s")
        result["storage_after_recrawls"] = storage(archive_path)
        edited = served.edit(0.01)
        since = utcnow()
        changed = crawl(served, seeds, archive_path, "-a", "full=1")
        result["edited_recrawl"] = {
            "edited": edited,
            "versions_written": changed.versions_written,
            "seconds": round(changed.seconds, 2),
        }
        log(f"[{size}] 1% edited: {edited} edited, {changed.versions_written} versions")
    added = grow(archive_path, versions) if versions else 0
    result["query_ms"] = {k: round(v, 2) for k, v in query_latency(archive_path, since).items()}
    result["query_ms"]["versions"] = _versions(archive_path)
    result["query_ms"]["versions_added_for_queries"] = added
    log(f"[{size}] queries at {result['query_ms']['versions']} versions: {result['query_ms']}")
    result["page_ms"] = page_latency(archive_path)  # the web view's pages (bench/web.py)
    log(f"[{size}] web pages at {result['query_ms']['versions']} versions: {result['page_ms']}")
    return result


def _crawl_record(run: CrawlRun, size: int, floor: float, all_cores: float) -> dict:
    return {
        "seconds": round(run.seconds, 2),
        "pages_per_s": round(size / run.seconds, 1),
        "ratio_to_extraction": round(size / run.seconds / floor, 2),
        "ratio_to_all_cores": round(size / run.seconds / all_cores, 2),
        "cpu_seconds": round(run.cpu_seconds, 1),
        "cpu_cores_busy": round(run.cpu_seconds / run.seconds, 2),
        "peak_rss_mb": round(run.peak_rss_mb, 1),
        "peak_rss_with_workers_mb": round(run.peak_rss_total_mb, 1),
        "bytes_transferred": run.bytes_sent,
        "versions_written": run.versions_written,
    }
