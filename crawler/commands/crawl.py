"""`scrapy crawl` with clean error messages and a true exit status.

Exit status:
  0    the crawl ran to its end and reached every portal
  1    the crawl ran to its end; a portal was unreachable or blocked (the summary names it)
  2    the crawl could not start (a usage error, bad seeds or spider arguments, no browser for
       a browser portal, the archive is being written by another crawl or is not an archive)
  3    the crawl stopped early at a limit (CLOSESPIDER_TIMEOUT, or another CLOSESPIDER_*)
  4    the crawl failed: the browser could not start, a worker's Redis went away
  130  interrupted by SIGINT (Ctrl-C); 143 by SIGTERM: 128 + the signal's number
Whatever stopped a crawl early is said in one line on stderr.
"""

import sys
import traceback

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError
from twisted.python.failure import Failure

from archive import ArchiveError

from .. import stats as keys
from ..exceptions import CrawlerError
from ..interrupts import Interrupts

EXIT_PORTAL_FAILED = 1
EXIT_NOT_STARTED = 2
EXIT_STOPPED_EARLY = 3
EXIT_FAILED = 4
# finish reasons that are a failure of the crawl itself
FAILED = ("browser_unavailable", "frontier_unavailable")


def exit_status(stats: dict) -> int:
    """The exit status for a finished crawl's stats."""
    reason = stats.get("finish_reason", "")
    if reason in FAILED:
        return EXIT_FAILED
    if reason.startswith("closespider_"):
        return EXIT_STOPPED_EARLY
    if any(key.endswith(("/unreachable", f"/{keys.BLOCKED_BY}")) for key in stats):
        return EXIT_PORTAL_FAILED
    return 0


def stopped_early(stats: dict, settings) -> str | None:
    """The one line saying a limit stopped the crawl, or None."""
    reason = stats.get("finish_reason", "")
    if not reason.startswith("closespider_"):
        return None
    name = reason.upper()
    return (
        f"the crawl stopped at {name} ({settings.get(name)}) before reading every list; "
        "no notice was marked delisted"
    )


class Command(ScrapyCrawl):
    def run(self, args: list[str], opts) -> None:
        if len(args) != 1:
            raise UsageError("give exactly one spider name (notices)")
        self.startup_error: str | None = None
        crawler = self._create_crawler(args[0])
        running = self.crawler_process.crawl(crawler, **opts.spargs)
        if hasattr(running, "addErrback"):  # a Deferred (Twisted-first crawler process)
            running.addErrback(self._startup_failed)
        else:  # an asyncio Task
            running.add_done_callback(self._task_done)
        interrupts = Interrupts(crawler)
        self._watch_after_scrapy(interrupts)
        self.crawler_process.start()
        self.exitcode = self._status(crawler, interrupts)

    @staticmethod
    def _watch_after_scrapy(interrupts: Interrupts) -> None:
        """Scrapy installs its signal handlers after the reactor's startup: watch them once
        installed (a trigger added while startup fires runs after those added before it)."""
        from twisted.internet import reactor

        reactor.addSystemEventTrigger(
            "during",
            "startup",
            lambda: reactor.addSystemEventTrigger("after", "startup", interrupts.watch),
        )

    def _status(self, crawler, interrupts: Interrupts) -> int:
        """Say in one line what stopped the crawl early, and return the exit status."""
        if interrupts.signum is not None:
            print(interrupts.message(), file=sys.stderr)
            return 128 + interrupts.signum
        if self.startup_error:
            print(f"Error: {self.startup_error}", file=sys.stderr)
            return EXIT_NOT_STARTED
        if self.crawler_process.bootstrap_failed:
            return EXIT_NOT_STARTED
        stats = crawler.stats.get_stats()
        if stats.get(keys.FRONTIER_ERROR):  # a distributed worker whose Redis went away
            print(f"Error: {stats[keys.FRONTIER_ERROR]}", file=sys.stderr)
            return EXIT_FAILED
        if stats.get(keys.STARTUP_ERROR):  # the archive is locked or unusable
            print(f"Error: {stats[keys.STARTUP_ERROR]}", file=sys.stderr)
            return EXIT_NOT_STARTED
        early = stopped_early(stats, crawler.settings)
        if early:
            print(f"Error: {early}", file=sys.stderr)
        return exit_status(stats)

    def _task_done(self, task) -> None:
        if task.cancelled():
            return
        error = task.exception()
        if isinstance(error, CrawlerError | ArchiveError):
            self.startup_error = str(error)
        elif error is not None:
            traceback.print_exception(error, file=sys.stderr)

    def _startup_failed(self, failure: Failure) -> Failure | None:
        if failure.check(CrawlerError, ArchiveError):
            self.startup_error = str(failure.value)
            return None
        return failure
