"""What reading a page returns: plain data the spider turns into Scrapy requests, items and
stats."""

import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..stats import portal_key
from .page import ExtractSpec

# Which of the spider's callbacks reads a request's reply.
READ_PAGE = "page"
READ_API = "api"
READ_DETAIL_API = "detail_api"
READ_SOURCE = "source"  # robots.txt, a sitemap, a feed
READ_PART = "part"  # a further page of a notice split over several pages
READ_RECIPE = "recipe"


@dataclass(frozen=True)
class RequestSpec:
    """A request the crawl policy admitted: the spider makes it a Scrapy request (adding the
    browser's meta when `render`)."""

    url: str
    role: str
    depth: int
    meta: dict[str, Any]  # portal, role, depth_in_portal and what the reply is read with
    priority: int = 0
    render: bool = False
    clicks: int = 0  # click through the page's script pager this many times (rendered)
    callback: str = READ_PAGE
    headers: dict[str, str] = field(default_factory=dict)  # validators of a known page
    formdata: dict[str, str] | None = None  # a form POST's fields
    encoding: str = "utf-8"  # a form POST's
    method: str = "GET"  # a list recipe's call: its method and body, as the page sent them
    body: str | None = None
    explore: bool = False  # explored in the browser (crawler.explore), not only rendered
    dont_filter: bool = True  # the crawl policy dedupes (list API pages: Scrapy too)


@dataclass
class Reading:
    """The answer to reading one response (or one step of the crawl): what to emit, in order
    (items and request specs), what to count, and what to log. `extract` asks the spider to
    extract a page in a worker and to read again with its extraction."""

    portal: str | None = None
    outputs: list[Any] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    values: dict[str, Any] = field(default_factory=dict)
    logs: list[tuple[int, str]] = field(default_factory=list)
    failures: list[dict] = field(default_factory=list)  # failed list pages (crawl/errors)
    extract: ExtractSpec | None = None
    close: str | None = None  # the crawl must stop, for this reason

    def count(self, name: str, n: int = 1, *, portal: str | None = None) -> None:
        self.counts[portal_key(portal or self.portal, name)] += n

    def set(self, name: str, value: Any, *, portal: str | None = None) -> None:
        self.values[portal_key(portal or self.portal, name)] = value

    def emit(self, output: Any) -> bool:
        """Emit an item or a request spec; a None (a request not admitted) is skipped.
        True when something was emitted."""
        if output is None:
            return False
        self.outputs.append(output)
        return True

    def log(self, level: int, message: str) -> None:
        self.logs.append((level, message))

    def warn(self, message: str) -> None:
        self.log(logging.WARNING, message)

    @property
    def requests(self) -> list[RequestSpec]:
        return [o for o in self.outputs if isinstance(o, RequestSpec)]

    @property
    def items(self) -> list[Any]:
        return [o for o in self.outputs if not isinstance(o, RequestSpec)]

    def stat(self, name: str, portal: str | None = None) -> int:
        """A count of this reading (0 when not counted)."""
        return self.counts.get(portal_key(portal or self.portal, name), 0)
