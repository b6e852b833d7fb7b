"""What a crawl takes from the archive and the job directory before it starts."""

import shutil
from pathlib import Path

from archive import Archive, CrawlLock


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


def lock_archive(settings) -> CrawlLock | None:
    """One crawl at a time per archive: refuse (or, with ARCHIVE_WAIT, wait) if one runs."""
    path = settings.get("ARCHIVE_PATH")
    if not settings.getbool("ARCHIVE_ENABLED") or not path:
        return None
    lock = CrawlLock(path)
    lock.acquire(wait=settings.getbool("ARCHIVE_WAIT"))
    return lock


def known_pages(settings, portal_ids: list[str]) -> tuple[dict[str, dict], list[dict]]:
    """The archive's pages of these portals (for revisits and validators), and the
    attachments its notices link that were never fetched, if the archive exists."""
    path = settings.get("ARCHIVE_PATH")
    if not settings.getbool("ARCHIVE_ENABLED") or not path or not Path(path).exists():
        return {}, []
    with Archive(path, create=False) as archive:
        return archive.known_pages(portal_ids), archive.missing_attachments(portal_ids)
