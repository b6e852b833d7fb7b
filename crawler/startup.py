"""What a crawl takes from the archive and the job directory before it starts."""

import logging
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

from scrapy.core.scheduler import Scheduler
from scrapy.utils.job import job_dir

from archive import Archive, CrawlLock

from .explore.recipes import NOTHING, RecipeError, from_json

NOTHING_DAYS = 30  # an exploration that found nothing to replay is not repeated for this long


def discard_killed_job(jobdir: str | None, logger) -> None:
    """Scrapy resumes a job only after a clean stop, which writes requests.queue/active.json.
    A queue left by a killed crawl lacks it and would lose requests silently: start over."""
    if not jobdir:
        return
    queue = Path(jobdir, "requests.queue")
    if queue.is_dir() and not (queue / "active.json").exists():
        logger.warning(
            "JOBDIR %s holds the queue of a crawl that was killed; it cannot be resumed and is "
            "discarded: this crawl starts over (nothing archived is lost)",
            jobdir,
        )
        shutil.rmtree(queue)
        for name in ("requests.seen", "spider.state"):
            Path(jobdir, name).unlink(missing_ok=True)


class FreshJobScheduler(Scheduler):
    """Scrapy's scheduler, which first discards the queue a killed crawl left in JOBDIR
    (before the scheduler and its dupefilter read it)."""

    @classmethod
    def from_crawler(cls, crawler):
        discard_killed_job(job_dir(crawler.settings), logging.getLogger(__name__))
        return super().from_crawler(crawler)


def lock_archive(settings) -> CrawlLock | None:
    """One crawl at a time per archive: refuse (or, with ARCHIVE_WAIT, wait) if one runs."""
    path = settings.get("ARCHIVE_PATH")
    if not settings.getbool("ARCHIVE_ENABLED") or not path:
        return None
    lock = CrawlLock(path)
    lock.acquire(wait=settings.getbool("ARCHIVE_WAIT"))
    return lock


def unlock_archive(lock: CrawlLock | None) -> None:
    """Hand the archive to the next crawl: the lock file is removed, then the lock released
    (a crawl waiting on the removed file takes the lock on a new one, see CrawlLock)."""
    if lock is None:
        return
    lock.path.unlink(missing_ok=True)
    lock.release()


def known_pages(
    archive: Archive, portal_ids: list[str]
) -> tuple[dict[str, dict], list[dict], set[str]]:
    """The archive's pages of these portals (for revisits and validators), the attachments
    its notices link that were never fetched, and the URLs of the archived attachments (no
    list links those: they are never "unlisted")."""
    marks = ",".join("?" * len(portal_ids))
    attachments = {
        row["url"]
        for row in archive.db.query(
            "SELECT p.url FROM pages p WHERE p.portal_id IN (" + marks + ") "
            "AND p.id IN (SELECT attachment_page_id FROM attachments)",
            portal_ids,
        )
    }
    return (
        archive.known_pages(portal_ids),
        archive.missing_attachments(portal_ids),
        attachments,
    )


def stored_recipes(
    archive: Archive, portal_ids: list[str], now: datetime | None = None
) -> tuple[list[tuple], list[str]]:
    """The list recipes the archive holds for these portals whose last replay read items,
    as (portal, list URL, recipe); and the portals of those that could not be read. A note
    that an exploration found nothing to replay lasts NOTHING_DAYS (the list is explored
    again after that)."""
    now = now or datetime.now(UTC)
    found, unreadable = [], []
    for row in archive.list_recipes(portal_ids):
        try:
            recipe = from_json(row["recipe"])
        except RecipeError:
            unreadable.append(row["portal_id"])
            continue
        learned = datetime.fromisoformat(row["learned_at"].replace("Z", "+00:00"))
        if recipe.reply == NOTHING and now - learned > timedelta(days=NOTHING_DAYS):
            continue
        found.append((row["portal_id"], row["list_url"], recipe))
    return found, unreadable
