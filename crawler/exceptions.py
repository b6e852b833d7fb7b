"""Every error the crawler raises on purpose, under one base class."""

from scrapy.exceptions import DropItem


class CrawlerError(Exception):
    """Base class of the crawler's own errors."""


class SeedError(CrawlerError):
    """A seed definition is invalid; the message names the file, the portal and the field."""


class SeedErrors(SeedError):
    """Seeds with problems: the message names the first (and how many more there are),
    `problems` holds them all, one line each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        more = len(problems) - 1
        suffix = f" (and {more} more problem(s): `python -m crawler check-seeds` lists them)"
        super().__init__(problems[0] + (suffix if more else ""))


class SpiderArgumentError(CrawlerError):
    """A spider argument (-a NAME=VALUE) that the spider does not know, or a bad value."""


class BrowserUnavailable(CrawlerError):
    """A portal needs a browser and none can be started."""


class NoticeDropped(DropItem):
    """Base class of the typed reasons a fetched page is not archived."""

    reason = "dropped"
    level = "WARNING"

    def __init__(self, message: str) -> None:
        super().__init__(message, log_level=self.level)


class NotANotice(NoticeDropped):
    """The page is not a rectification notice (expected for most candidates: logged at INFO)."""

    reason = "not_a_notice"
    level = "INFO"


class EmptyText(NoticeDropped):
    """The page has no extractable text."""

    reason = "empty_text"


class ParseFailed(NoticeDropped):
    """The page could not be parsed."""

    reason = "parse_failed"
