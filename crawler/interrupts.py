"""What a signal to stop means while a crawl runs: the crawl notes the first SIGINT or SIGTERM
the moment it arrives, so that what the signal also breaks (the browser, which a terminal's
Ctrl-C or systemd's stop reaches too) is not taken for a failure, and the crawl exits with
128 + the signal's number."""

import logging
import signal

# stats key set (by the signal handler itself) when SIGINT or SIGTERM arrives
INTERRUPTED = "crawl/interrupted"
# where the browser's driver reports its connection going down (asyncio: a future of the
# driver's connection that nobody awaited)
BROWSER_LOGGERS = ("playwright", "scrapy-playwright", "asyncio")


def started(crawler) -> bool:
    """True once the crawl has its statistics (Scrapy refuses to hand them out before)."""
    try:
        return crawler.stats is not None
    except RuntimeError:
        return False


def stopping(crawler) -> bool:
    """True once the crawl was told to stop: a signal arrived, or the crawler is stopping."""
    return bool(crawler.stats.get_value(INTERRUPTED)) or not crawler.crawling


class Interrupts:
    """Notes the first SIGINT or SIGTERM the moment it arrives, in the crawl's stats (so that
    what the signal breaks meanwhile, such as the browser, is not taken for a failure), then
    hands it to Scrapy's handler (a graceful stop; a second signal forces it)."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.signum: int | None = None

    def watch(self) -> None:
        """Wrap the handlers installed for SIGINT and SIGTERM (Scrapy's), and take what the
        browser's driver reports as it goes down with an interrupted crawl for information."""
        for signum in (signal.SIGINT, signal.SIGTERM):
            installed = signal.getsignal(signum)
            if callable(installed):
                signal.signal(signum, self._noting(installed))
        for name in BROWSER_LOGGERS:
            logging.getLogger(name).addFilter(self._teardown)

    def _teardown(self, record: logging.LogRecord) -> bool:
        """Once interrupted, the browser driver's errors (a connection closed, a listener
        failing, a future never awaited) are the interrupt's, not failures: information."""
        if self.signum is not None and record.levelno > logging.INFO:
            record.levelno, record.levelname = logging.INFO, "INFO"
        return True

    def _noting(self, handler):
        def noted(signum, frame) -> None:
            if self.signum is None:
                self.signum = signum
                if started(self.crawler):
                    self.crawler.stats.set_value(INTERRUPTED, signal.Signals(signum).name)
            handler(signum, frame)

        return noted

    def message(self) -> str:
        name = signal.Signals(self.signum).name
        run = self.crawler.stats.get_value("archive/run_id") if started(self.crawler) else None
        marked = f": run #{run} is marked interrupted" if run is not None else ""
        return f"interrupted ({name}){marked}"
