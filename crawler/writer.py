"""Writing crawl items into the archive, apart from Scrapy: the one code path (and change
rules) of the local pipeline and of the distributed writer (`python -m crawler ingest`)."""

import json
import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any, NoReturn

from archive import Archive, PageContent, PagePart
from notice.documents import DOCUMENT_EXTRACTOR_VERSION, document_title, extract_document
from notice.errors import ExtractionError
from notice.extract import EXTRACTOR, EXTRACTOR_VERSION, closing_date
from notice.judge import EMPTY_TEXT, NOT_A_NOTICE, is_notice_title, judge
from notice.normalize import normalize_title

from . import items, stats
from .distributed import codec
from .exceptions import EmptyText, NotANotice, NoticeDropped, ParseFailed
from .templates import Templates

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


def mark_delisted(archive: Archive, frontier, run_id: int | None = None) -> dict[str, int]:
    """Note the notices no list linked, on the portals whose listing was complete (no cap
    hit, no list page failed); a capped or failed listing marks nothing."""
    return {
        pid: archive.mark_delisted(pid, frontier.listed[pid], run_id=run_id)
        for pid in frontier.portals
        if frontier.listing_complete(pid)
    }


def coverage_of(frontier, finished: bool, why_not: str = "") -> tuple[list[dict], list[dict]]:
    """A crawl's coverage as the archive keeps it: per portal complete or not (and why), per
    list its record (crawler.coverage). A crawl that did not finish read no portal whole."""
    portals = []
    for pid in frontier.portals:
        why = frontier.incomplete_because(pid)
        if not finished:
            why = ", ".join(filter(None, [why, f"the crawl did not finish ({why_not})"]))
        portals.append({"portal": pid, "complete": not why, "reason": why})
    return portals, [entry.as_record() for entry in frontier.coverage.lists()]


def ago(days: int) -> str:
    """The crawl time `days` days ago, as the archive writes times."""
    moment = datetime.now(UTC) - timedelta(days=days)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def fetched_from_sources(frontier) -> list[dict]:
    """The URLs sitemaps and feeds listed that this crawl fetched (portal, url, source,
    changed): a later crawl fetches those it did not archive only when they change."""
    rows = [json.loads(member) for member in frontier.source_fetched]
    return [dict(zip(("portal", "url", "source", "changed"), row, strict=True)) for row in rows]


class ArchiveWriter:
    """Applies one crawl item to the archive within run `run_id`, counting what it did with
    `count(stat, n=1)` (the crawl's stats, or the writer's tally). A page that is not to be
    archived raises a typed NoticeDropped, counted per portal first.

    With `templates` (crawler.templates.Templates), every extracted page teaches its portal's
    template model, a notice is archived as the current model reads it, and a notice of a
    template too young to know its chrome is held in the archive until the template knows it
    (or the run ends): see `_page` and `release`."""

    def __init__(
        self,
        archive: Archive,
        run_id: int | None,
        count: Callable[..., Any],
        templates: Templates | None = None,
    ) -> None:
        self.archive = archive
        self.run_id = run_id
        self.count = count
        self.templates = templates

    def _count(self, portal: str, outcome: str) -> None:
        self.count(stats.archive_key(outcome))
        self.count(stats.portal_key(portal, outcome))

    def _drop(self, item, error: NoticeDropped) -> NoReturn:
        """Count a typed drop per portal, then drop the item."""
        self.count(stats.dropped_key(item.portal, error.reason))
        raise error

    def write(self, item) -> None:
        """Record the item (anything that is not a crawl item is ignored)."""
        run = self.run_id
        if isinstance(item, items.GoneItem):
            result = self.archive.record_gone(item.url, item.status, run_id=run)
            if result.page_id is not None:
                self._count(item.portal, "gone")
        elif isinstance(item, items.BlockedItem):
            self._blocked(item)
        elif isinstance(item, items.NotModifiedItem):
            self.archive.record_not_modified(item.url, run_id=run)
            self._count(item.portal, "not-modified")
        elif isinstance(item, items.RedirectItem):
            result = self.archive.record_redirect(item.url, item.target, item.status, run_id=run)
            if result.page_id is not None:
                self._count(item.portal, "redirected")
        elif isinstance(item, items.ErrorItem):
            self.archive.record_error(item.url, item.detail, status=item.status, run_id=run)
            self._count(item.portal, "error")
        elif isinstance(item, items.AttachmentItem):
            self._attachment(item)
        elif isinstance(item, items.PageItem):
            self._page(item)
        elif isinstance(item, items.RecipeItem):
            self._recipe(item)

    def _recipe(self, item: items.RecipeItem) -> None:
        """A list recipe learned (kept for the next crawl) or replayed (its outcome noted)."""
        if item.items is None:
            self.archive.record_recipe(
                item.portal, item.list_url, item.key, item.recipe, run_id=self.run_id
            )
            self.count(stats.portal_key(item.portal, stats.RECIPES_STORED))
        else:
            self.archive.recipe_replayed(item.portal, item.list_url, item.key, item.items)

    def _blocked(self, item: items.BlockedItem) -> None:
        self._count(item.portal, item.kind)
        if not item.notice_page:
            return
        detail = f"{item.rule}: {item.marker}"
        if item.kind == "soft-gone":
            self.archive.record_gone(
                item.url, item.status, run_id=self.run_id, detail=f"soft 404 ({detail})"
            )
        else:
            self.archive.record_blocked(item.url, detail, status=item.status, run_id=self.run_id)

    def _page(self, item: items.PageItem) -> None:
        """A page: taught to its template model (notice or not), archived if a notice, held
        while its template is too young to know its chrome."""
        if item.extraction is None:
            self._drop(item, ParseFailed(item.extract_error or f"not extracted: <{item.url}>"))
        extraction = item.extraction
        derived = item.extracted.derived if item.extracted is not None else None
        observation = None
        if self.templates is not None:
            observation = self.templates.observe(item.portal, item.url, extraction)
            extraction, again = self.templates.current(item, observation)
            if again:  # the worker's snapshot was older than the model: extracted here
                self.count(stats.portal_key(item.portal, stats.TEMPLATE_EXTRACTED_AGAIN))
                derived = None
        self._judge(item, extraction)
        if observation is not None and not observation.template.mature:
            self._hold(item, observation.template.id)
            return
        self._notice(item, extraction, derived)
        if observation is not None and observation.matured:
            self.release(item.portal, observation.template.id)

    def _judge(self, item: items.PageItem, extraction) -> None:
        """Drop a page that is not a notice, or has no text and no file to carry it."""
        decision = judge(extraction)
        if decision == NOT_A_NOTICE:
            self._drop(item, NotANotice(f"not a notice: {extraction.title!r} <{item.url}>"))
        if decision == EMPTY_TEXT:
            self._drop(item, EmptyText(f"no extractable text: <{item.url}>"))

    def _notice(self, item: items.PageItem, extraction, derived) -> None:
        content = to_content(extraction, item.rendered, item.headers.get("Content-Type"))
        if derived is not None:  # derived in the crawl's workers from this very text
            content = replace(content, derived=derived)
        if item.attachments:
            content.metadata["attachment_links"] = item.attachments
        if item.detail_api:  # a script-filled shell, read from the API its script names
            content.metadata["detail_api"] = item.detail_api
        self._record(item, content, stats.NOTICES)

    def _hold(self, item: items.PageItem | items.AttachmentItem, template: int) -> None:
        """Keep a notice of a young template in the archive until the template is mature
        (and a file of a held notice with it)."""
        if isinstance(item, items.PageItem):
            item = replace(item, extraction=None, extracted=None)
            self.count(stats.portal_key(item.portal, stats.TEMPLATE_HELD))
        self.archive.park_page(item.url, item.portal, template, codec.dumps(item))

    def release(self, portal_id: str | None = None, template: int | None = None) -> int:
        """Archive the held notices (of a template that became mature; all of them when the
        run ends), each read with the model as it is now, then their files held with them;
        how many pages were released."""
        rows = self.archive.parked_pages(portal_id, template)
        notices = []
        for url, _portal, _template, encoded in rows:
            item = codec.loads(encoded)
            # its version with the version's event, and its release: one transaction
            with self.archive.releasing(url):
                try:
                    if isinstance(item, items.AttachmentItem):
                        self._attachment(item)  # its notice is archived: its events name it
                    else:
                        self._release(item)
                        notices.append(item)
                except NoticeDropped as exc:  # counted per portal by _drop
                    logger.info("held page dropped: %s", exc)
        for item in notices:  # the files they link that were archived before
            for link in item.attachments:
                self.archive.link_attachment(item.url, link["url"], link["label"])
        return len(rows)

    def _release(self, item: items.PageItem) -> None:
        """Archive one held notice as the current model reads it (NoticeDropped when it is
        not a notice now)."""
        try:
            extraction = self.templates.extract_item(item)
        except ExtractionError as exc:
            self._drop(item, ParseFailed(f"{exc} <{item.url}>"))
        self._judge(item, extraction)
        self._notice(item, extraction, None)

    def _record(
        self, item: items.PageItem | items.AttachmentItem, content: PageContent, counted: str
    ) -> None:
        """Write a page or file to the archive; count it and its outcome."""
        reread = None
        if self.templates is not None and isinstance(item, items.PageItem):
            reread = self.templates.reread(item.url, item.portal)
        parts = [
            PagePart(p["url"], p["body"], p["status"], p["headers"])
            for p in getattr(item, "parts", ())
        ]
        result = self.archive.record_page(
            item.url,
            content,
            item.body,
            portal_id=item.portal,
            run_id=self.run_id,
            status=item.status,
            headers=item.headers,
            content_kind=getattr(item, "kind", "html"),
            parent=getattr(item, "parent", None),  # a notice's file: its events are the notice's
            parts=parts,
            reread=reread,
        )
        self._count(item.portal, counted)
        self._count(item.portal, result.outcome)
        if counted == stats.NOTICES:
            self.count(stats.found_key(item.portal, item.found_by or "revisit"))
        logger.info("%s %s (%s)", result.outcome, item.url, content.title)

    def _attachment(self, item: items.AttachmentItem) -> None:
        """Version a document file: a notice's attachment, or a notice published as a file.
        A file of a notice held for its template is held with it (and archived after it, so
        that its events name their notice)."""
        template = self._held_template(item.parent)
        if template is not None:
            self._hold(item, template)
            return
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
        self._record(item, content, stats.NOTICES if item.parent is None else stats.ATTACHMENTS)
        if item.parent:
            self.archive.link_attachment(item.parent, item.url, item.label)

    def _held_template(self, url: str | None) -> int | None:
        """The template a held page waits for (None: the page is not held)."""
        if url is None or self.templates is None:
            return None
        return self.archive.parked_template(url)


# Scrapy's finish reasons as run statuses.
RUN_STATUS = {
    "finished": "finished",
    "shutdown": "interrupted",
    "browser_unavailable": "failed",
    "frontier_unavailable": "failed",
}
