"""A fetched page as page reading sees it: decoded and parsed once, with how it was reached."""

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from parsel import Selector

from notice.encoding import Decoded, decode_html
from notice.urls import canonical_url

from ..discovery import ListApi
from ..items import PageItem
from ..lists import Discovery
from ..lists import Page as ListPage
from ..seeds import Portal
from ..work import Extracted


@dataclass(frozen=True)
class Reached:
    """How a request was made (the meta it carried): its portal, the role it was asked in,
    its depth in the portal, and what the link or list that led to it said."""

    portal: str
    role: str
    depth: int = 0
    found_by: str | None = None  # how discovery found an item (static link, list API …)
    label: str | None = None  # the label of the link to it
    parent: str | None = None  # an attachment's notice
    start_frame: bool = False  # a frame of a start page (where the site search may be)
    search_page: int = 1
    search_term: str | None = None
    shell: str | None = None  # a detail API's shell page
    clicks: int = 0  # clicked through its script pager in the browser
    api: ListApi | None = None
    api_page: int = 1
    rendered: bool = False
    source: str | None = None  # robots, sitemap or feed (role SOURCE)
    guessed: bool = False  # a source at its conventional place (/sitemap.xml), named by none
    article: dict | None = None  # the pages of a split notice read so far (role PART)
    explore: str | None = None  # explored in the browser, for this reason
    recipe: Any = None  # a list recipe's call (crawler.explore.recipes.Recipe) …
    series: dict | None = None  # … in this state of its series

    @classmethod
    def from_meta(cls, meta: dict) -> "Reached":
        return cls(
            portal=meta["portal"],
            role=meta["role"],
            depth=meta.get("depth_in_portal", 0),
            found_by=meta.get("found_by"),
            label=meta.get("label"),
            parent=meta.get("parent"),
            start_frame=bool(meta.get("start_frame")),
            search_page=meta.get("search_page", 1),
            search_term=meta.get("search_term"),
            shell=meta.get("shell"),
            clicks=meta.get("clicks", 0),
            api=meta.get("api"),
            api_page=meta.get("api_page", 1),
            rendered=bool(meta.get("playwright")),
            source=meta.get("source"),
            guessed=bool(meta.get("guessed")),
            article=meta.get("article"),
            explore=meta.get("explore"),
            recipe=meta.get("recipe"),
            series=meta.get("series"),
        )

    def carried(self) -> dict:
        """What a re-request of an item keeps: how discovery found it, its link's label."""
        return {k: v for k, v in (("found_by", self.found_by), ("label", self.label)) if v}


@dataclass(frozen=True)
class ExtractSpec:
    """A page to extract in a worker process (crawler.work.ExtractionPool.extract's
    arguments): the spider extracts it and reads the page again. `parts`: the further pages
    of a notice split over several, (body, url, headers) each, extracted and joined with it.
    `portal`: whose template model the spider extracts it with (crawler.templates)."""

    body: bytes
    url: str
    headers: dict[str, str]
    status: int
    domains: tuple[str, ...]
    parts: tuple[tuple[bytes, str, dict[str, str]], ...] = ()
    portal: str | None = None


@dataclass(frozen=True)
class ExtractionFailed:
    """Extraction raised ExtractionError: the item carries the reason, the pipeline drops it."""

    error: str


@dataclass
class Fetched:
    """A response: its URL, status, headers and bytes, how it was reached, and (rendered)
    what the browser saw. Its text, selector, list page and discovery are made once, on first
    use, and shared by every step that reads it."""

    url: str
    status: int
    headers: dict[str, str]
    body: bytes
    reached: Reached
    observed: list[str] = field(default_factory=list)  # data URLs the rendered page fetched
    clicked: dict | None = None  # the click-through's result (lists.clicks.click_through)
    explored: dict | None = None  # the exploration's result (explore.driver.explore)
    role: str | None = None  # the role it is read in, set when first read (Frontier.read)
    extraction: Extracted | ExtractionFailed | None = None  # set by the spider when asked
    found: Discovery | None = None  # its discovery, once made

    @property
    def portal(self) -> str:
        return self.reached.portal

    @property
    def rendered(self) -> bool:
        return self.reached.rendered

    @property
    def judged_status(self) -> int:
        """The status block detection reads: a rendered page is the page the browser ended on,
        200, whatever its first answer was (a challenge's 521 or 412, which the browser passed
        by running its script: a cookie set, the page loaded again)."""
        return 200 if self.rendered else self.status

    @cached_property
    def canonical(self) -> str:
        return canonical_url(self.url)

    @cached_property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "text/html").lower()

    @cached_property
    def decoded(self) -> Decoded:
        return decode_html(self.body, self.headers)

    @property
    def text(self) -> str:
        return self.decoded.text

    @cached_property
    def selector(self) -> Selector:
        return Selector(text=self.text, base_url=self.url)

    @property
    def extracted(self) -> Extracted | None:
        """The extraction's result, None when none was made or it failed."""
        return self.extraction if isinstance(self.extraction, Extracted) else None

    def listing(self, portal: Portal, budgets: Any) -> ListPage:
        """The page as the list mechanisms see it (sharing this page's selector)."""
        if "_listing" not in self.__dict__:
            self.__dict__["_listing"] = list_page(
                self.url, self.text, portal, budgets, self.rendered, self.selector
            )
        return self.__dict__["_listing"]

    def extract_spec(self, domains: tuple[str, ...], **changes: Any) -> ExtractSpec:
        """This page to extract (or, with changes, another body in its place)."""
        values = {
            "body": self.body,
            "url": self.canonical,
            "headers": self.headers,
            "portal": self.portal,
        }
        values.update(changes)
        return ExtractSpec(status=self.judged_status, domains=tuple(domains), **values)

    def item(self, url: str | None = None, headers: dict | None = None) -> PageItem:
        """The page as an item, with its extraction (made in a worker process)."""
        item = PageItem(
            url or self.canonical,
            self.portal,
            self.status,
            self.body,
            self.headers if headers is None else headers,
            self.rendered,
        )
        item.found_by = self.reached.found_by
        if isinstance(self.extraction, ExtractionFailed):
            item.extract_error = self.extraction.error
        elif self.extraction is not None:
            item.extraction, item.extracted = self.extraction.extraction, self.extraction
        return item


def list_page(
    url: str,
    html: str,
    portal: Portal,
    budgets: Any,
    rendered: bool,
    selector: Selector | None = None,
) -> ListPage:
    """A page (or a rendered state of one) as the list mechanisms of a portal see it, within
    the crawl's budgets (Budgets: links per page, pages per list)."""
    return ListPage(
        url,
        html,
        portal.allowed_domains,
        list_selector=portal.list_selector,
        detail_pattern=portal.detail_pattern,
        max_links=budgets.links_per_page,
        rendered=rendered,
        list_max=budgets.list_pages,
        selector=selector,
    )
