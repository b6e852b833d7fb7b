"""The one generic spider: portals come from seeds, discovery from page structure."""

from collections.abc import AsyncIterator, Iterator
from typing import Any

import lxml.html
import scrapy
from parsel import Selector
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from ..discovery import Link, classify_links, looks_like_list, trs_pages
from ..encoding import decode_html
from ..extract import find_title
from ..items import ErrorItem, GoneItem, PageItem, RedirectItem
from ..patterns import MAX_PAGES_PER_LIST, is_notice_title
from ..seeds import Portal, load_seeds, select
from ..urls import canonical_url, in_scope, url_key

GONE_STATUSES = [404, 410]
REDIRECT_STATUSES = [301, 302, 303, 307, 308]
PRIORITY = {"notice": 20, "candidate": 10, "page": 5, "column": 0, "start": 0}


class NoticesSpider(scrapy.Spider):
    """Crawl every seeded portal for rectification notices.

    Arguments: `-a portal=ID` (one portal), `-a seeds=PATH` (a seeds file or folder).
    """

    name = "notices"

    def __init__(self, portal: str | None = None, seeds: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.portal_id = portal
        self.seeds_arg = seeds
        self.portals: dict[str, Portal] = {}
        self.seen: set[str] = set()
        self.scheduled: dict[str, int] = {}
        self.list_pages: dict[str, int] = {}

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any) -> "NoticesSpider":
        spider = super().from_crawler(crawler, *args, **kwargs)
        seeds = spider.seeds_arg or crawler.settings.get("SEEDS_PATH")
        chosen = select(load_seeds(seeds), spider.portal_id)
        spider.portals = {p.id: p for p in chosen}
        spider.allowed_domains = sorted({d for p in chosen for d in p.allowed_domains})
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for portal in self.portals.values():
            for url in portal.start_urls:
                request = self._request(portal, canonical_url(url), "start", depth=0)
                if request is not None:
                    yield request

    # -- requests ---------------------------------------------------------------------

    def _request(self, portal: Portal, url: str, role: str, depth: int) -> scrapy.Request | None:
        key = url_key(url)
        if key in self.seen:
            return None
        if self.scheduled.get(portal.id, 0) >= portal.max_pages:
            self.crawler.stats.inc_value(f"portal/{portal.id}/max_pages_reached")
            return None
        self.seen.add(key)
        self.scheduled[portal.id] = self.scheduled.get(portal.id, 0) + 1
        meta = {"portal": portal.id, "role": role, "depth_in_portal": depth}
        if role in ("notice", "candidate"):
            # a removed notice is recorded as gone, a moved one as redirected (then followed)
            meta["handle_httpstatus_list"] = GONE_STATUSES + REDIRECT_STATUSES
            meta["dont_redirect"] = True
        return scrapy.Request(
            url, callback=self.parse_page, errback=self.on_error, meta=meta, priority=PRIORITY[role]
        )

    # -- responses --------------------------------------------------------------------

    def parse_page(self, response: Response) -> Iterator[Any]:
        portal = self.portals[response.meta["portal"]]
        role = response.meta["role"]
        stats = self.crawler.stats
        stats.inc_value(f"portal/{portal.id}/pages_seen")
        if response.status in GONE_STATUSES:
            yield GoneItem(canonical_url(response.url), portal.id, response.status)
            return
        if response.status in REDIRECT_STATUSES:
            yield from self._redirect(portal, response)
            return
        headers = {
            k.decode("latin-1"): b", ".join(v).decode("latin-1")
            for k, v in response.headers.items()
        }
        content_type = headers.get("Content-Type", "text/html").lower()
        if "html" not in content_type and "xml" not in content_type:
            stats.inc_value(f"portal/{portal.id}/not_html")
            return
        html = decode_html(response.body, headers).text
        selector = Selector(text=html, base_url=response.url)
        links, offsite = classify_links(
            selector,
            response.url,
            portal.allowed_domains,
            list_selector=portal.list_selector,
            detail_pattern=portal.detail_pattern,
        )
        if offsite:
            stats.inc_value(f"portal/{portal.id}/offsite_links", offsite)
        title = _page_title(html)
        if not looks_like_list(selector, links) and (
            role in ("notice", "candidate") or is_notice_title(title)
        ):
            yield PageItem(
                url=canonical_url(response.url),
                portal=portal.id,
                status=response.status,
                body=response.body,
                headers=headers,
            )
            if is_notice_title(title) or role == "notice":
                return
        yield from self._follow(portal, response, html, links)

    def _redirect(self, portal: Portal, response: Response) -> Iterator[Any]:
        location = response.headers.get("Location", b"").decode("latin-1")
        if not location:
            return
        target = canonical_url(response.urljoin(location))
        yield RedirectItem(canonical_url(response.url), portal.id, target, response.status)
        if not in_scope(target, portal.allowed_domains):
            self.crawler.stats.inc_value(f"portal/{portal.id}/out_of_scope")
            return
        request = self._request(
            portal, target, response.meta["role"], response.meta["depth_in_portal"]
        )
        if request is not None:
            yield request

    def _follow(
        self, portal: Portal, response: Response, html: str, links: list[Link]
    ) -> Iterator[scrapy.Request]:
        depth = response.meta["depth_in_portal"]
        pages = trs_pages(html, response.url)
        pages += [link.url for link in links if link.role == "page"]
        for url in pages:
            list_key = url_key(response.url).split("?")[0].rsplit("/", 1)[0]
            if self.list_pages.get(list_key, 0) >= MAX_PAGES_PER_LIST:
                break
            request = self._request(portal, url, "page", depth)
            if request is not None:
                self.list_pages[list_key] = self.list_pages.get(list_key, 0) + 1
                yield request
        for link in links:
            if link.role in ("notice", "candidate"):
                request = self._request(portal, link.url, link.role, depth + 1)
            elif link.role == "column" and depth < portal.max_depth:
                request = self._request(portal, link.url, "column", depth + 1)
            else:
                continue
            if request is not None:
                yield request

    def on_error(self, failure: Failure) -> Iterator[Any]:
        request = failure.request
        portal_id = request.meta["portal"]
        role = request.meta["role"]
        stats = self.crawler.stats
        status = None
        if failure.check(IgnoreRequest) and not failure.check(HttpError):
            self.logger.info("ignored %s: %s", request.url, failure.getErrorMessage())
            return
        if failure.check(HttpError):
            status = failure.value.response.status
            detail = f"HTTP {status}"
        else:
            detail = f"{failure.type.__name__}: {failure.getErrorMessage()}"
        stats.inc_value(f"portal/{portal_id}/errors")
        if role == "start":
            stats.inc_value(f"portal/{portal_id}/unreachable")
            self.logger.error("portal %s unreachable: %s (%s)", portal_id, request.url, detail)
        elif role in ("notice", "candidate"):
            yield ErrorItem(canonical_url(request.url), portal_id, detail, status)
        else:
            self.logger.warning(
                "portal %s: list page failed: %s (%s)", portal_id, request.url, detail
            )


def _page_title(html: str) -> str | None:
    try:
        return find_title(lxml.html.document_fromstring(html))
    except (lxml.etree.ParserError, ValueError):
        return None
