"""The archive pipeline: record each crawl item in the archive (through crawler.writer)."""

import logging

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider, NotConfigured

from archive import Archive, ArchiveError

from . import stats
from .alerts import Alerts, end_of_run
from .startup import known_pages, lock_archive, stored_recipes, unlock_archive
from .templates import Templates
from .writer import (
    RUN_STATUS,
    ArchiveWriter,
    ago,
    coverage_of,
    document_content,
    fetched_from_sources,
    mark_delisted,
    to_content,
)

__all__ = ["RUN_STATUS", "ArchivePipeline", "document_content", "mark_delisted", "to_content"]

logger = logging.getLogger(__name__)


class ArchivePipeline:
    """Writes notice pages, removals and failures through the archive API, one run per crawl.

    Settings: ARCHIVE_ENABLED (False → not loaded), ARCHIVE_PATH (the archive file),
    ARCHIVE_WAIT. When the spider opens, this pipeline takes the archive's crawl lock, then
    hands the spider's crawl policy the pages the archive knows; it removes the lock after its
    last write.
    """

    def __init__(self, crawler: Crawler, path: str) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.path = path
        self.archive: Archive | None = None
        self.run_id: int | None = None
        self.lock = None
        self._writer: ArchiveWriter | None = None
        self.alerts = Alerts.from_settings(crawler.settings)
        self.templates: Templates | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "ArchivePipeline":
        if not crawler.settings.getbool("ARCHIVE_ENABLED"):
            raise NotConfigured("ARCHIVE_ENABLED is off")
        path = crawler.settings.get("ARCHIVE_PATH")
        if not path:
            raise NotConfigured("ARCHIVE_PATH is not set")
        pipeline = cls(crawler, path)
        # the close reason (finished, shutdown …) reaches only the spider_closed signal
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self) -> None:
        """Lock the archive (one crawl at a time: before any read or write), open it, begin
        the run. An archive that is locked or unusable closes the spider before it starts
        (Scrapy's way for a component that cannot start), its reason kept in the stats."""
        try:
            self.alerts.check()  # a mistyped NOTIFY_URLS stops the crawl before it starts
            self.lock = lock_archive(self.crawler.settings)
            self._open(self.crawler.spider)
        except ArchiveError as exc:
            self._abandon()
            self.stats.set_value(stats.STARTUP_ERROR, str(exc))
            raise CloseSpider("archive_unavailable") from exc
        except BaseException:
            self._abandon()
            raise

    def _abandon(self) -> None:
        if self.archive is not None:
            self.archive.close()
            self.archive = None
        unlock_archive(self.lock)
        self.lock = None

    def _open(self, spider) -> None:
        self.archive = Archive(
            self.path, copy_threshold=self.crawler.settings.getfloat("COPY_THRESHOLD")
        )
        spider.frontier.load_known(*known_pages(self.archive, list(spider.portals)))
        days = self.crawler.settings.getint("SOURCES_RECHECK_DAYS", 30)
        spider.frontier.load_sources(self.archive.source_urls(list(spider.portals), ago(days)))
        recipes, unreadable = stored_recipes(self.archive, list(spider.portals))
        spider.frontier.load_recipes(recipes)
        for portal_id, _, _ in recipes:
            self.stats.inc_value(stats.portal_key(portal_id, stats.RECIPES_LOADED))
        for portal_id in unreadable:
            self.stats.inc_value(stats.portal_key(portal_id, stats.RECIPES_UNREADABLE))
        interrupted = self.archive.mark_interrupted_runs()
        if interrupted:
            logger.warning("%d earlier run(s) had been interrupted; marked as such", interrupted)
        self.archive.upsert_portals(p.as_record() for p in spider.portals.values())
        matched = self.archive.index_copies()  # pages archived before copy matching (or a change)
        if matched:
            logger.warning("matched %d archived page(s) against the archive for copies", matched)
        self.run_id = self.archive.begin_run(spider.portals)
        # the template models: learned here, lent to the spider's extraction workers
        self.templates = spider.templates = Templates(self.archive)
        self.stats.set_value(stats.ARCHIVE_PATH, str(self.path))
        self.stats.set_value(stats.ARCHIVE_RUN_ID, self.run_id)

    def close_spider(self) -> None:
        """The last items are in: the notices held for their young template are archived,
        read as the model reads them at the end of the crawl (before the spider_closed
        signal, whose handlers report the counts); the models are kept for the next crawl."""
        if self.archive is None:
            return
        self._writer_for_run().release()
        for key, value in self.templates.run_stats().items():
            self.stats.set_value(key, value)
        self.templates.save()

    def spider_closed(self, spider, reason: str) -> None:
        """Close the run with its real status; note delisted notices only after a full crawl;
        then hand the archive to the next crawl."""
        if self.archive is None:
            return
        try:
            if reason == "finished":
                marked = mark_delisted(self.archive, spider.frontier, self.run_id)
                for pid, delisted in marked.items():
                    self.stats.set_value(stats.portal_key(pid, stats.DELISTED), delisted)
            for pid in spider.frontier.portals:
                listed = len(spider.frontier.listed[pid])
                self.stats.set_value(stats.portal_key(pid, stats.LISTED), listed)
            portals, lists = coverage_of(spider.frontier, reason == "finished", reason)
            self.archive.record_coverage(self.run_id, portals, lists)
            self.archive.remember_source_urls(self.run_id, fetched_from_sources(spider.frontier))
            keep = {k: v for k, v in self.stats.get_stats().items() if stats.worth_keeping(k)}
            self.archive.finish_run(self.run_id, RUN_STATUS.get(reason, reason), keep)
            self._after_run()
        finally:
            self.archive.close()
            self.archive = None
            unlock_archive(self.lock)

    def _after_run(self) -> None:
        """The portals whose health the run changed (for the summary), then the run's
        alerts; an alert that failed is logged, and sent again after the next run."""
        changes, notified = end_of_run(self.archive, self.run_id, self.alerts)
        self.stats.set_value(stats.HEALTH_CHANGES, changes)
        if self.alerts.urls:
            self.stats.set_value(stats.NOTIFIED, notified)

    def process_item(self, item):
        """Record the item; a page not to be archived is dropped (a typed, counted DropItem)."""
        self._writer_for_run().write(item)
        return item

    def _writer_for_run(self) -> ArchiveWriter:
        writer = self._writer
        if writer is None or writer.archive is not self.archive or writer.run_id != self.run_id:
            writer = self._writer = ArchiveWriter(
                self.archive,
                self.run_id,
                lambda key, n=1: self.stats.inc_value(key, n),
                self.templates,
            )
        return writer


# Finish reasons of a crawl that never started.
NOT_STARTED = ("archive_unavailable",)
