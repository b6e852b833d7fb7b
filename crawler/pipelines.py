"""The archive pipeline: extract each candidate page and record it in the archive."""

import logging
from dataclasses import replace
from typing import NoReturn

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider, NotConfigured

from archive import Archive, ArchiveError, PageContent
from archive.normalize import normalize_title

from . import items
from .documents import DOCUMENT_EXTRACTOR_VERSION, document_title, extract_document
from .exceptions import EmptyText, ExtractionError, NotANotice, NoticeDropped, ParseFailed
from .extract import EXTRACTOR, EXTRACTOR_VERSION, closing_date
from .patterns import is_notice_title
from .startup import known_pages, lock_archive, unlock_archive

logger = logging.getLogger(__name__)


def document_content(
    body: bytes, kind: str, label: str | None, content_type: str | None
) -> PageContent:
    """The archive's view of a document file: its title, and its text without the title."""
    doc = extract_document(body, kind)
    title = document_title(doc, label)
    lines = doc.text.split("\n") if doc.text else []
    if lines and title and normalize_title(lines[0]) == normalize_title(title):
        lines = lines[1:]
    return PageContent(
        text="\n".join(lines),
        title=title,
        published=closing_date(lines),
        metadata=dict(doc.metadata, content_type=content_type, label=label),
        extractor=f"{kind}-text",
        extractor_version=DOCUMENT_EXTRACTOR_VERSION,
    )


def to_content(extraction, rendered: bool = False, content_type: str | None = None) -> PageContent:
    """The archive's view of an extraction (the Content-Type is kept for re-extraction)."""
    metadata = dict(extraction.metadata, rendered=rendered, content_type=content_type)
    return PageContent(
        text=extraction.text,
        title=extraction.title,
        published=extraction.published,
        source=extraction.source,
        metadata=metadata,
        extractor=EXTRACTOR,
        extractor_version=EXTRACTOR_VERSION,
    )


def mark_delisted(archive: Archive, frontier) -> dict[str, int]:
    """Note the notices no list linked, on the portals whose listing was complete (no cap
    hit, no list page failed); a capped or failed listing marks nothing."""
    return {
        pid: archive.mark_delisted(pid, frontier.listed[pid])
        for pid in frontier.portals
        if frontier.listing_complete(pid)
    }


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
            self.lock = lock_archive(self.crawler.settings)
            self._open(self.crawler.spider)
        except ArchiveError as exc:
            self._abandon()
            self.stats.set_value("crawl/startup_error", str(exc))
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
        interrupted = self.archive.mark_interrupted_runs()
        if interrupted:
            logger.warning("%d earlier run(s) had been interrupted; marked as such", interrupted)
        self.archive.upsert_portals(p.as_record() for p in spider.portals.values())
        matched = self.archive.index_copies()  # pages archived before copy matching (or a change)
        if matched:
            logger.warning("matched %d archived page(s) against the archive for copies", matched)
        self.run_id = self.archive.begin_run(spider.portals)
        self.stats.set_value("archive/path", str(self.path))
        self.stats.set_value("archive/run_id", self.run_id)

    def spider_closed(self, spider, reason: str) -> None:
        """Close the run with its real status; note delisted notices only after a full crawl;
        then hand the archive to the next crawl."""
        if self.archive is None:
            return
        try:
            if reason == "finished":
                for pid, delisted in mark_delisted(self.archive, spider.frontier).items():
                    self.stats.set_value(f"portal/{pid}/delisted", delisted)
            keep = {k: v for k, v in self.stats.get_stats().items() if _worth_keeping(k)}
            self.archive.finish_run(self.run_id, RUN_STATUS.get(reason, reason), keep)
        finally:
            self.archive.close()
            self.archive = None
            unlock_archive(self.lock)

    def _count(self, portal: str, outcome: str) -> None:
        self.stats.inc_value(f"archive/{outcome}")
        self.stats.inc_value(f"portal/{portal}/{outcome}")

    def _drop(self, item: items.PageItem, error: NoticeDropped) -> NoReturn:
        """Count a typed drop per portal, then drop the item."""
        self.stats.inc_value(f"portal/{item.portal}/dropped/{error.reason}")
        raise error

    def process_item(self, item):
        if isinstance(item, items.GoneItem):
            result = self.archive.record_gone(item.url, item.status, run_id=self.run_id)
            if result.page_id is not None:
                self._count(item.portal, "gone")
            return item
        if isinstance(item, items.BlockedItem):
            self._count(item.portal, item.kind)
            if not item.notice_page:
                return item
            detail = f"{item.rule}: {item.marker}"
            if item.kind == "soft-gone":
                self.archive.record_gone(
                    item.url, item.status, run_id=self.run_id, detail=f"soft 404 ({detail})"
                )
            else:
                self.archive.record_blocked(
                    item.url, detail, status=item.status, run_id=self.run_id
                )
            return item
        if isinstance(item, items.NotModifiedItem):
            self.archive.record_not_modified(item.url, run_id=self.run_id)
            self._count(item.portal, "not-modified")
            return item
        if isinstance(item, items.RedirectItem):
            result = self.archive.record_redirect(
                item.url, item.target, item.status, run_id=self.run_id
            )
            if result.page_id is not None:
                self._count(item.portal, "redirected")
            return item
        if isinstance(item, items.ErrorItem):
            self.archive.record_error(item.url, item.detail, status=item.status, run_id=self.run_id)
            self._count(item.portal, "error")
            return item
        if isinstance(item, items.AttachmentItem):
            return self._attachment(item)
        if not isinstance(item, items.PageItem):
            return item
        if item.extraction is None:
            self._drop(item, ParseFailed(item.extract_error or f"not extracted: <{item.url}>"))
        extraction = item.extraction
        if not is_notice_title(extraction.title):
            self._drop(item, NotANotice(f"not a notice: {extraction.title!r} <{item.url}>"))
        if not extraction.text.strip() and extraction.metadata.get("method") != "attachments-only":
            self._drop(item, EmptyText(f"no extractable text: <{item.url}>"))
        content = to_content(extraction, item.rendered, item.headers.get("Content-Type"))
        if item.derived is not None:
            derived = item.derived
            content = replace(
                content,
                copy_bands=derived.copy_bands,
                parsed=derived.parsed,
                search_tokens=derived.search_tokens,
            )
        if item.attachments:
            content.metadata["attachment_links"] = item.attachments
        if item.detail_api:  # a script-filled shell, read from the API its script names
            content.metadata["detail_api"] = item.detail_api
        self._record(item, content, "notices")
        return item

    def _record(
        self, item: items.PageItem | items.AttachmentItem, content: PageContent, counted: str
    ) -> None:
        """Write a page or file to the archive; count it and its outcome."""
        result = self.archive.record_page(
            item.url,
            content,
            item.body,
            portal_id=item.portal,
            run_id=self.run_id,
            status=item.status,
            headers=item.headers,
            content_kind=getattr(item, "kind", "html"),
        )
        self._count(item.portal, counted)
        self._count(item.portal, result.outcome)
        if counted == "notices":
            self.stats.inc_value(f"portal/{item.portal}/found/{item.found_by or 'revisit'}")
        logger.info("%s %s (%s)", result.outcome, item.url, content.title)

    def _attachment(self, item: items.AttachmentItem) -> items.AttachmentItem:
        """Version a document file: a notice's attachment, or a notice published as a file."""
        try:
            content = document_content(
                item.body, item.kind, item.label, item.headers.get("Content-Type")
            )
        except ExtractionError as exc:
            self._drop(item, ParseFailed(f"{exc} <{item.url}>"))
        known = self.archive.has_page(item.url)
        if item.parent is None and not known and not is_notice_title(content.title):
            self._drop(item, NotANotice(f"not a notice: {content.title!r} <{item.url}>"))
        # a file listed as a notice is a notice; a notice's attachment is a file
        self._record(item, content, "notices" if item.parent is None else "attachments")
        if item.parent:
            self.archive.link_attachment(item.parent, item.url, item.label)
        return item


# Scrapy's finish reasons as run statuses.
RUN_STATUS = {"finished": "finished", "shutdown": "interrupted", "browser_unavailable": "failed"}
# Finish reasons of a crawl that never started.
NOT_STARTED = ("archive_unavailable",)


def _worth_keeping(key: str) -> bool:
    return key.startswith(
        (
            "portal/",
            "archive/",
            "downloader/response_status_count",
            "item_",
            "finish_",
            "elapsed",
            "log_count/",
            "retry/",
            "scope/",
            "robotstxt/",
            "crawl/",
            "browser/",
        )
    )
