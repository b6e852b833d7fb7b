"""`scrapy crawl` with clean error messages and a meaningful exit status.

Exit status: 0 the crawl ran; 1 a portal was unreachable or the browser could not start;
2 the crawl could not start (bad seeds, no browser for a browser portal, the archive is
being written by another crawl or is not an archive).
"""

import sys
import traceback

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError
from twisted.python.failure import Failure

from archive import ArchiveError

from .. import stats
from ..exceptions import CrawlerError

EXIT_PORTAL_FAILED = 1
EXIT_NOT_STARTED = 2


def exit_status(stats: dict) -> int:
    """The exit status for a finished crawl's stats."""
    if stats.get("finish_reason") == "browser_unavailable":
        return EXIT_PORTAL_FAILED
    if any(key.endswith("/unreachable") for key in stats):
        return EXIT_PORTAL_FAILED
    return 0


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
        self.crawler_process.start()
        if self.startup_error:
            print(f"Error: {self.startup_error}", file=sys.stderr)
            self.exitcode = EXIT_NOT_STARTED
        elif self.crawler_process.bootstrap_failed:
            self.exitcode = EXIT_NOT_STARTED
        elif crawler.stats.get_value(stats.FRONTIER_ERROR):
            # a distributed worker whose Redis went away
            print(f"Error: {crawler.stats.get_value(stats.FRONTIER_ERROR)}", file=sys.stderr)
            self.exitcode = EXIT_PORTAL_FAILED
        elif crawler.stats.get_value(stats.STARTUP_ERROR):
            # a component could not start (the archive is locked or unusable)
            print(f"Error: {crawler.stats.get_value(stats.STARTUP_ERROR)}", file=sys.stderr)
            self.exitcode = EXIT_NOT_STARTED
        else:
            self.exitcode = exit_status(crawler.stats.get_stats())

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
