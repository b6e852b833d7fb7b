"""List mechanisms as plug-ins: each module reads one way portals build their lists.

Every mechanism has `NAME` and `detect(page) -> Found`: the links it finds (with roles:
notice, candidate, column, page, frame) and the list APIs it can read without a browser. The
spider runs them all over each list page (`discover`), and the crawl policy bounds what they
yield. Four more work beside the page rather than in it, and the spider calls them itself:
`observed` (APIs a rendered page fetched), `clicks` (browser click-through), `detail` (script-
filled article shells) and `search` (the portal's own search).
"""

from dataclasses import dataclass, field
from urllib.parse import urljoin

from parsel import Selector

from ..discovery import Link, ListApi


@dataclass
class Page:
    """A decoded page as the mechanisms see it."""

    url: str
    html: str
    domains: tuple[str, ...]
    list_selector: str | None = None
    detail_pattern: str | None = None
    max_links: int | None = None
    rendered: bool = False
    list_max: int = 200  # LIST_MAX_PAGES: pages announced past it are cut by the crawl policy
    selector: Selector | None = field(default=None, repr=False)  # given: the page's own, shared

    def __post_init__(self) -> None:
        if self.selector is None:
            self.selector = Selector(text=self.html or "<html></html>", base_url=self.url)

    @property
    def base(self) -> str:
        """The URL relative references resolve against: the document's `<base href>`, else
        the page's own URL."""
        href = (self.selector.xpath("//base/@href").get() or "").strip()
        return urljoin(self.url, href) if href else self.url

    def scripts(self) -> str:
        """The text of the page's inline scripts."""
        return "\n".join(self.selector.xpath("//script[not(@src)]/text()").getall())


@dataclass
class Found:
    """What one mechanism found on a page."""

    links: list[Link] = field(default_factory=list)
    apis: list[ListApi] = field(default_factory=list)
    offsite: int = 0
    truncated: bool = False
    needs_browser: str | None = None  # why the page's list exists only in a browser
    entries: int = 0  # article-shaped links: a list page that has them is not past its end


def mechanisms() -> list:
    """The mechanism modules, in the order their links win (first finder of a URL)."""
    from . import ajax, frames, hanweb, onclick, paging, script_api, static, trs

    return [static, hanweb, onclick, frames, trs, paging, script_api, ajax]


@dataclass
class Discovery:
    """All mechanisms' findings on one page, links deduplicated (first finder wins)."""

    links: list[Link] = field(default_factory=list)
    apis: list[ListApi] = field(default_factory=list)
    via: dict[str, str] = field(default_factory=dict)  # url -> mechanism name
    offsite: int = 0
    truncated: bool = False
    needs_browser: str | None = None
    entries: int = 0


def discover(page: Page) -> Discovery:
    """Run every mechanism over a page."""
    out = Discovery()
    seen_apis = set()
    for module in mechanisms():
        found = module.detect(page)
        out.offsite += found.offsite
        out.truncated = out.truncated or found.truncated
        out.entries += found.entries
        out.needs_browser = out.needs_browser or found.needs_browser
        for link in found.links:
            if link.url not in out.via:
                out.via[link.url] = module.NAME
                out.links.append(link)
        for api in found.apis:
            key = (api.kind, api.url, api.params, api.template)
            if key not in seen_apis:
                seen_apis.add(key)
                out.apis.append(api)
    return out
