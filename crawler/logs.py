"""One log line per failure: Scrapy's own reports of a failed download are trimmed where the
crawl already says the same thing in one line.

- The robots.txt middleware logs a robots.txt that could not be downloaded as an error about
  the page it was checking, with a full traceback, right after the retry middleware gave up on
  robots.txt itself in one line: that second report is dropped (other robots.txt errors stay,
  without the traceback).
- The retry middleware's "Gave up retrying" for a portal's start page is dropped: the spider
  reports it as `portal ID unreachable: URL (reason)`; so is its report of a source the spider
  asked for (crawler.sources: a robots.txt, a sitemap, a feed): the spider reports a sitemap or
  feed that failed. For the robots middleware's own robots.txt it is information (a robots.txt
  that cannot be read allows everything, and a portal that cannot be reached is reported as
  such), so that an unreachable portal is one line.
"""

import logging

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.utils.misc import load_object

from .roles import SOURCE, START

ROBOTS_LOGGER = "scrapy.downloadermiddlewares.robotstxt"
RETRY_LOGGER = "scrapy.downloadermiddlewares.retry"


class _Trim(logging.Filter):
    def __init__(self, retried: tuple[type, ...]) -> None:
        super().__init__()
        self.retried = retried

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args if isinstance(record.args, dict) else {}
        if record.name == ROBOTS_LOGGER and record.levelno >= logging.ERROR:
            if isinstance(args.get("f_exception"), self.retried):
                return False  # the retry middleware reported it
            record.exc_info, record.exc_text = None, None
        if record.name == RETRY_LOGGER and record.msg.startswith("Gave up retrying"):
            request = args.get("request")
            meta = getattr(request, "meta", {})
            if meta.get("role") == START and not meta.get("dont_obey_robotstxt"):
                return False  # the spider says: portal … unreachable
            if meta.get("role") == SOURCE:
                return False  # the robots middleware or the spider says it
            if meta.get("dont_obey_robotstxt") and request.url.endswith("/robots.txt"):
                record.levelno, record.levelname = logging.INFO, "INFO"
        return True


class OneLinePerFailure:
    """An extension that installs the trimming filter for the duration of the crawl."""

    def __init__(self, crawler: Crawler) -> None:
        retried = tuple(load_object(x) for x in crawler.settings.getlist("RETRY_EXCEPTIONS"))
        self.filter = _Trim(retried)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "OneLinePerFailure":
        extension = cls(crawler)
        crawler.signals.connect(extension.engine_started, signal=signals.engine_started)
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    def engine_started(self) -> None:
        for name in (ROBOTS_LOGGER, RETRY_LOGGER):
            logging.getLogger(name).addFilter(self.filter)

    def engine_stopped(self) -> None:
        for name in (ROBOTS_LOGGER, RETRY_LOGGER):
            logging.getLogger(name).removeFilter(self.filter)
