"""CPU work kept off the reactor: a notice page's extraction, block check, attachment links,
copy signature, fields and search tokens run in a pool of worker processes, so both cores work
and the reactor keeps downloading.

Settings: EXTRACT_PROCESSES (worker processes; None: one per core; 0: work in the crawl
process).
"""

import asyncio
import ctypes
import logging
import multiprocessing
import os
import signal
import sys
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

from parsel import Selector

from notice.derive import Derived, derive
from notice.encoding import decode_html
from notice.extract import Extraction, extract_article
from notice.judge import NOTICE, attachments_only, is_notice_page, judge
from notice.patterns import DOCUMENT_HINT
from notice.template import PortalChrome
from notice.urls import canonical_url, in_scope

from .blocking import Verdict, classify
from .discovery import Link, attachment_links
from .roles import ATTACHMENT

logger = logging.getLogger(__name__)
_PR_SET_PDEATHSIG = 1


@dataclass
class Extracted:
    """A page's extraction and, for a notice, all the spider and the archive need: whether its
    page is an article (its links need not be read), whether it is a block page, the files it
    links, and its derived data (copy signature, fields, search tokens)."""

    extraction: Extraction
    notice_page: bool = False
    verdict: Verdict | None = None
    attachments: list[Link] = field(default_factory=list)
    derived: Derived | None = None


def extract_notice(
    body: bytes,
    url: str,
    headers: Mapping[str, str] | None,
    status: int,
    domains: list[str],
    parts: tuple = (),
    model: PortalChrome | None = None,
) -> Extracted:
    """Extract a page (with its portal's template model, if there is one yet); for a notice,
    also do what the reactor's thread and the archive would otherwise do. `parts`: the
    further pages of a notice split over several, (body, url, headers) each, extracted and
    joined after it (notice.extract.extract_article)."""
    extraction = extract_article(body, url, headers, parts, model)
    if judge(extraction) != NOTICE:
        return Extracted(extraction)
    html = decode_html(body, headers).text
    files = []
    for page_body, page_url, page_headers in ((body, url, headers), *parts):
        page_html = html if page_body is body else decode_html(page_body, page_headers).text
        if DOCUMENT_HINT.search(page_html):  # most notices link no file: no second parse
            page = Selector(text=page_html, base_url=page_url)
            files += [f for f in attachment_links(page, page_url, domains) if f not in files]
    if attachments_only(extraction):  # with the links a script writes, which only extraction finds
        files += _script_links(extraction.metadata["attachments"], files, domains)
    return Extracted(
        extraction,
        notice_page=is_notice_page(extraction),
        verdict=classify(status, html, extraction.text, headers),
        attachments=files,
        derived=derive(extraction.title, extraction.text, extraction.published),
    )


def _script_links(found: list[dict], known: list[Link], domains: list[str]) -> list[Link]:
    """Document links extraction found (`{"url", "label"}`) that are not already known."""
    seen = {link.url for link in known}
    links = []
    for entry in found:
        url = canonical_url(entry["url"])
        if url not in seen and in_scope(url, domains):
            seen.add(url)
            links.append(Link(url, entry["label"], ATTACHMENT))
    return links


def _yield_to_the_crawl() -> None:
    """Run as a batch job (Linux's SCHED_BATCH): a worker no longer preempts the crawl process
    when that wakes up to download or write, yet keeps its full share of the CPU against the
    machine's other processes (a niced worker lost most of it to them, and the crawl waited
    for its extractions)."""
    if hasattr(os, "sched_setscheduler") and hasattr(os, "SCHED_BATCH"):
        os.sched_setscheduler(0, os.SCHED_BATCH, os.sched_param(0))


def _start_worker(parent: int | None = None) -> None:
    """A worker yields the CPU to the crawl process (which downloads and writes the archive,
    and would otherwise wait for a core), and ends when the crawl process dies, even by
    SIGKILL (Linux)."""
    _yield_to_the_crawl()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the crawl's to handle
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if parent is not None and os.getppid() != parent:
        os._exit(0)  # the crawl process died before the line above: no signal will come


class ExtractionPool:
    """Runs extract_notice in worker processes; in the calling thread when there are none."""

    def __init__(self, processes: int) -> None:
        self.processes = processes
        self.executor: ProcessPoolExecutor | None = None
        if processes > 0:
            # fork: workers start at once with everything imported; they are forked here,
            # before the reactor starts its threads, and warmed so all of them exist
            method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
            self.executor = ProcessPoolExecutor(
                processes,
                mp_context=multiprocessing.get_context(method),
                initializer=_start_worker,
                initargs=(os.getpid(),),
            )
            for future in [self.executor.submit(os.getpid) for _ in range(processes)]:
                future.result()

    @classmethod
    def from_settings(cls, settings) -> "ExtractionPool":
        processes = settings.get("EXTRACT_PROCESSES")
        return cls((os.cpu_count() or 1) if processes is None else int(processes))

    async def extract(
        self,
        body: bytes,
        url: str,
        headers: Mapping[str, str],
        status: int,
        domains: list[str],
        parts: tuple = (),
        model: PortalChrome | None = None,
    ) -> Extracted:
        """extract_notice in a worker (an ExtractionError is raised here as there)."""
        args = (body, url, dict(headers), status, list(domains), tuple(parts), model)
        if self.executor is None:
            return extract_notice(*args)
        try:
            return await asyncio.wrap_future(self.executor.submit(extract_notice, *args))
        except BrokenProcessPool:
            logger.error("the extraction workers died; extracting in the crawl process")
            self.executor = None
            return extract_notice(*args)

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None
