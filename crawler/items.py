"""What the spider hands to the pipeline."""

from dataclasses import dataclass, field
from typing import Any

from notice.extract import Extraction


@dataclass
class PageItem:
    """A fetched page that may be a notice, with its extraction; the pipeline decides."""

    url: str
    portal: str
    status: int
    body: bytes = field(repr=False)  # kept out of log lines
    headers: dict[str, str] = field(default_factory=dict, repr=False)
    rendered: bool = False
    extraction: Extraction | None = field(default=None, repr=False)
    extract_error: str | None = None
    attachments: list[dict] = field(default_factory=list, repr=False)  # {url, label}
    extracted: Any = field(default=None, repr=False)  # crawler.work.Extracted: derived data
    found_by: str | None = None  # how discovery reached it: static link, list API, search …
    detail_api: str | None = None  # a shell page's text came from this API (not rendered)
    # a notice split over several pages: its further pages, {url, status, headers, body} each
    parts: list[dict] = field(default_factory=list, repr=False)


@dataclass
class AttachmentItem:
    """A fetched document file (PDF, DOCX, DOC, WPS): a notice's attachment (parent set) or a
    notice published only as a file (parent None)."""

    url: str
    portal: str
    status: int
    kind: str
    body: bytes = field(repr=False)
    headers: dict[str, str] = field(default_factory=dict, repr=False)
    parent: str | None = None
    label: str | None = None
    found_by: str | None = None


@dataclass
class GoneItem:
    """A known page that answered 404 or 410."""

    url: str
    portal: str
    status: int


@dataclass
class NotModifiedItem:
    """A known page that answered 304 to a conditional request."""

    url: str
    portal: str


@dataclass
class RedirectItem:
    """A candidate notice URL that redirects elsewhere (the target is crawled separately)."""

    url: str
    portal: str
    target: str
    status: int


@dataclass
class BlockedItem:
    """A response recognised as an anti-bot, rate-limit, WAF or soft-404 page."""

    url: str
    portal: str
    rule: str
    kind: str  # blocked | soft-gone
    marker: str
    status: int
    notice_page: bool  # fetched as a notice (recorded) or as a list page (counted only)


@dataclass
class ErrorItem:
    """A candidate notice page that could not be fetched."""

    url: str
    portal: str
    detail: str
    status: int | None = None


@dataclass
class RecipeItem:
    """A list recipe (crawler.explore.recipes, as JSON): learned in this crawl (`items` is
    None), or replayed from the archive, reading `items` items."""

    portal: str
    list_url: str
    key: str
    recipe: str = field(repr=False)
    items: int | None = None
