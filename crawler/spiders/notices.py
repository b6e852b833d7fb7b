"""The one generic spider: portals come from seeds, discovery from page structure."""

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any

import lxml.html
import scrapy
from parsel import Selector
from scrapy import signals
from scrapy.exceptions import CloseSpider, IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from archive import CrawlLock

from .. import list_api
from ..blocking import BLOCK_STATUSES, Verdict, classify
from ..browser import INSTALL_HINT, configure, render_meta
from ..discovery import (
    Link,
    ListApi,
    attachment_links,
    classify_links,
    hanweb_api,
    is_notice_page,
    js_list_loader,
    looks_like_list,
    trs_pages,
)
from ..documents import document_kind
from ..encoding import decode_html
from ..exceptions import ExtractionError
from ..extract import find_title
from ..items import (
    AttachmentItem,
    BlockedItem,
    ErrorItem,
    GoneItem,
    NotModifiedItem,
    PageItem,
    RedirectItem,
)
from ..middlewares import OutOfScope
from ..patterns import MAX_PAGES_PER_LIST, is_notice_title, might_be_notice_title
from ..revisit import DEFAULT_POLICY, is_due, parse_policy
from ..seeds import Portal, load_seeds, select
from ..startup import discard_killed_job, known_pages, lock_archive
from ..urls import canonical_url, in_scope, url_key
from ..work import ExtractionPool

MAX_ERRORS_KEPT = 200
GONE_STATUSES = [404, 410]
REDIRECT_STATUSES = [301, 302, 303, 307, 308]
PRIORITY = {
    "notice": 20,
    "attachment": 15,
    "candidate": 10,
    "api": 8,
    "page": 5,
    "column": 0,
    "start": 0,
}
LIST_ROLES = ("start", "column", "page")
ITEM_ROLES = ("notice", "candidate", "attachment")
# Messages of Playwright errors that mean the browser itself is unusable.
BROWSER_FATAL = (
    "Executable doesn't exist",
    "Failed to launch",
    "browser has been closed",
    "Browser closed",
    "error while loading shared libraries",
)


class NoticesSpider(scrapy.Spider):
    """Crawl every seeded portal for rectification notices.

    Arguments: `-a portal=ID` (one portal), `-a seeds=PATH` (a seeds file or folder).
    """

    name = "notices"

    def __init__(
        self, portal: str | None = None, seeds: str | None = None, full: str = "0", **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.portal_id = portal
        self.seeds_arg = seeds
        self.full = full.lower() in ("1", "true", "yes")
        self.known: dict[str, dict] = {}
        self.missing_attachments: list[dict] = []
        self.pool = ExtractionPool(0)
        self.lock: CrawlLock | None = None
        self.policy = parse_policy(DEFAULT_POLICY)
        self.now = datetime.now(UTC)
        self.listed: dict[str, set[str]] = {}
        self.list_failed: set[str] = set()
        self.max_list_pages = MAX_PAGES_PER_LIST
        self.max_links = 5000
        self.portals: dict[str, Portal] = {}
        self.browser: str | None = None
        self.seen: set[str] = set()
        self.scheduled: dict[str, int] = {}
        self.list_pages: dict[str, int] = {}
        self.apis_started: set[tuple[str, str]] = set()

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any) -> "NoticesSpider":
        spider = super().from_crawler(crawler, *args, **kwargs)
        seeds = spider.seeds_arg or crawler.settings.get("SEEDS_PATH")
        chosen = select(load_seeds(seeds), spider.portal_id)
        spider.portals = {p.id: p for p in chosen}
        spider.allowed_domains = sorted({d for p in chosen for d in p.allowed_domains})
        # settings may still change here (Scrapy freezes them after the spider is built)
        verify = not crawler.settings.getbool("TLS_ALLOW_INVALID")
        crawler.settings.set("DOWNLOAD_VERIFY_CERTIFICATES", verify, "spider")
        spider.browser = configure(crawler.settings, chosen)
        spider.policy = parse_policy(crawler.settings.getdict("REVISIT_POLICY"))
        spider.max_list_pages = crawler.settings.getint("LIST_MAX_PAGES")
        spider.max_links = crawler.settings.getint("PAGE_MAX_LINKS")
        spider.lock = lock_archive(crawler.settings)
        spider.pool = ExtractionPool.from_settings(crawler.settings)
        crawler.signals.connect(spider.pool.close, signal=signals.spider_closed)
        discard_killed_job(crawler.settings.get("JOBDIR"), spider.logger)
        spider.known, spider.missing_attachments = known_pages(
            crawler.settings, list(spider.portals)
        )
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for portal in self.portals.values():
            for api in portal.list_apis:
                request = self._api_request(portal, api, 1)
                if request is not None:
                    yield request
            for url in portal.start_urls:
                request = self._request(portal, canonical_url(url), "start", depth=0)
                if request is not None:
                    yield request
        # known notices are revisited by age even when no list links them any more
        for url, page in self.known.items():
            request = self._request(self.portals[page["portal_id"]], url, "notice", 0)
            if request is not None:
                yield request
        # attachments of archived notices never fetched (a crawl stopped in between)
        for missing in self.missing_attachments:
            portal = self.portals[missing["portal_id"]]
            link = Link(missing["url"], missing["label"], "attachment")
            for request in self._attachments(portal, 0, [link], missing["parent"]):
                yield request

    # -- requests ---------------------------------------------------------------------

    def _request(
        self,
        portal: Portal,
        url: str,
        role: str,
        depth: int,
        *,
        render: bool | None = None,
        extra: dict | None = None,
    ) -> scrapy.Request | None:
        if render is None:
            render = portal.render == "browser" and role in LIST_ROLES
        render = render and self.browser is not None
        key = ("render:" if render else "") + url_key(url)
        if key in self.seen:
            return None
        known = self.known.get(url) if role in ITEM_ROLES else None
        if (
            known
            and not render
            and not self.full
            and not is_due(self.now, known["born"], known["last_fetched"], self.policy)
        ):
            self.seen.add(key)
            self.crawler.stats.inc_value(f"portal/{portal.id}/not_due")
            return None
        if self.scheduled.get(portal.id, 0) >= portal.max_pages:
            self.crawler.stats.inc_value(f"portal/{portal.id}/max_pages_reached")
            return None
        self.seen.add(key)
        self.scheduled[portal.id] = self.scheduled.get(portal.id, 0) + 1
        meta: dict[str, Any] = {
            "portal": portal.id,
            "role": role,
            "depth_in_portal": depth,
            **(extra or {}),
        }
        if not portal.robots:  # the seed opts out, with a stated reason
            meta["dont_obey_robotstxt"] = True
        headers = {}
        # block and challenge pages come with these statuses: let them in to be recognised
        meta["handle_httpstatus_list"] = list(BLOCK_STATUSES)
        if role in ITEM_ROLES:
            # a removed notice is recorded as gone, a moved one as redirected (then followed),
            # an unchanged one answers 304 to the validators we kept
            meta["handle_httpstatus_list"] += [304, *GONE_STATUSES, *REDIRECT_STATUSES]
            meta["dont_redirect"] = True
            if known and known["etag"]:
                headers["If-None-Match"] = known["etag"]
            if known and known["last_modified"]:
                headers["If-Modified-Since"] = known["last_modified"]
        if render:
            meta.update(render_meta())
            self.crawler.stats.inc_value(f"portal/{portal.id}/rendered")
        # dont_filter: the seen-set above dedupes (Scrapy's would also drop a re-render of a
        # page already fetched over HTTP); scope is enforced by PortalScopeMiddleware
        return scrapy.Request(
            url,
            callback=self.parse_page,
            errback=self.on_error,
            headers=headers,
            meta=meta,
            priority=PRIORITY[role],
            dont_filter=True,
        )

    def _api_request(self, portal: Portal, api: ListApi, page: int) -> scrapy.Request | None:
        if page == 1:
            if (portal.id, api.url) in self.apis_started:
                return None
            self.apis_started.add((portal.id, api.url))
        spec = list_api.call(api, page)
        meta = {
            "portal": portal.id,
            "role": "api",
            "api": api,
            "api_page": page,
            "depth_in_portal": portal.max_depth,
        }
        if spec.method == "POST":
            return scrapy.FormRequest(
                spec.url,
                formdata=spec.formdata,
                callback=self.parse_api,
                errback=self.on_error,
                meta=meta,
                priority=PRIORITY["api"],
            )
        return scrapy.Request(
            spec.url,
            callback=self.parse_api,
            errback=self.on_error,
            meta=meta,
            priority=PRIORITY["api"],
        )

    # -- responses --------------------------------------------------------------------

    async def parse_page(self, response: Response) -> AsyncIterator[Any]:
        portal = self.portals[response.meta["portal"]]
        role = response.meta["role"]
        rendered = bool(response.meta.get("playwright"))
        stats = self.crawler.stats
        stats.inc_value(f"portal/{portal.id}/pages_seen")
        if response.status == 304:
            yield NotModifiedItem(canonical_url(response.url), portal.id)
            return
        if response.status in GONE_STATUSES:
            yield GoneItem(canonical_url(response.url), portal.id, response.status)
            return
        if response.status in REDIRECT_STATUSES:
            for output in self._redirect(portal, response):
                yield output
            return
        headers = {
            k.decode("latin-1"): b", ".join(v).decode("latin-1")
            for k, v in response.headers.items()
        }
        content_type = headers.get("Content-Type", "text/html").lower()
        kind = document_kind(response.url, content_type)
        if kind and role in ITEM_ROLES:
            yield AttachmentItem(
                canonical_url(response.url),
                portal.id,
                response.status,
                kind,
                response.body,
                headers,
                response.meta.get("parent"),
                response.meta.get("label"),
            )
            return
        if "html" not in content_type and "xml" not in content_type:
            stats.inc_value(f"portal/{portal.id}/not_html")
            return
        item = None
        if role in ITEM_ROLES:
            item = await self._page_item(response, portal, headers, rendered)
            if item.derived is not None and item.derived.notice_page:
                for output in self._notice(portal, response, item):
                    yield output
                return
        html = decode_html(response.body, headers).text
        selector = Selector(text=html, base_url=response.url)
        text = item.extraction.text if item and item.extraction else _visible_text(selector)
        verdict = classify(response.status, html, text)
        if verdict is not None or response.status in BLOCK_STATUSES:
            for output in self._blocked(portal, response, role, verdict):
                yield output
            return
        # a notice page's extraction already found its title (same function, same text)
        title = item.extraction.title if item and item.extraction else _page_title(html)
        links: list[Link] = []
        if not (item and is_notice_page(item.extraction)):  # a notice's links lead nowhere new
            links, offsite, truncated = classify_links(
                selector,
                response.url,
                portal.allowed_domains,
                list_selector=portal.list_selector,
                detail_pattern=portal.detail_pattern,
                max_links=self.max_links,
            )
            if truncated:
                stats.inc_value(f"portal/{portal.id}/links_truncated")
            if offsite:
                stats.inc_value(f"portal/{portal.id}/offsite_links", offsite)
        if not looks_like_list(selector, links) and (role in ITEM_ROLES or is_notice_title(title)):
            item = item or await self._page_item(response, portal, headers, rendered)
            if (
                item.extraction
                and not item.extraction.text
                and not rendered
                and (selector.xpath("//body//script"))
            ):
                # the body is built by script: render it if we can
                for output in self._needs_browser(portal, response, role, "script-built page"):
                    yield output
                if self.browser is not None:
                    return
            files = []
            if is_notice_title(title):
                files = attachment_links(selector, response.url, portal.allowed_domains)
            for output in self._item_and_files(portal, response, item, files):
                yield output
            if is_notice_title(title) or role == "notice":
                return
        for output in self._js_list(portal, response, selector, links, rendered):
            yield output
        for output in self._follow(portal, response, html, links):
            yield output

    def _notice(self, portal: Portal, response: Response, item: PageItem) -> Iterator[Any]:
        """A notice page, checked and read in a worker: the item, then its attachments."""
        derived = item.derived
        if derived.verdict is not None or response.status in BLOCK_STATUSES:
            yield from self._blocked(portal, response, response.meta["role"], derived.verdict)
            return
        yield from self._item_and_files(portal, response, item, derived.attachments)

    def _item_and_files(
        self, portal: Portal, response: Response, item: PageItem, files: list[Link]
    ) -> Iterator[Any]:
        """A notice (noting the files it links, for a later crawl), then requests for them."""
        item.attachments = [{"url": f.url, "label": f.label} for f in files]
        yield item
        yield from self._attachments(portal, response.meta["depth_in_portal"], files, item.url)

    async def _page_item(
        self, response: Response, portal: Portal, headers: dict, rendered: bool
    ) -> PageItem:
        """The page with its extraction (and copy signature), made in a worker process."""
        url = canonical_url(response.url)
        item = PageItem(url, portal.id, response.status, response.body, headers, rendered)
        try:
            extracted = await self.pool.extract(
                response.body, url, headers, response.status, portal.allowed_domains
            )
            item.extraction, item.derived = extracted.extraction, extracted
        except ExtractionError as exc:
            item.extract_error = str(exc)
        return item

    def _attachments(
        self, portal: Portal, depth: int, files: list[Link], parent: str
    ) -> Iterator[scrapy.Request]:
        """Fetch the document files a notice links, to be versioned with it."""
        for link in files:
            request = self._request(
                portal,
                link.url,
                "attachment",
                depth,
                render=False,
                extra={"parent": parent, "label": link.label},
            )
            if request is not None:
                self.crawler.stats.inc_value(f"portal/{portal.id}/attachments_requested")
                yield request

    def _blocked(
        self, portal: Portal, response: Response, role: str, verdict: Verdict | None
    ) -> Iterator[Any]:
        """A challenge, block or soft-404 page: counted and recorded, never archived."""
        if verdict is None:  # a block status with no page we recognise: an error
            verdict = Verdict(f"HTTP {response.status}", "error", "")
        url = canonical_url(response.url)
        if verdict.kind == "error" and role in ITEM_ROLES:
            self.crawler.stats.inc_value(f"portal/{portal.id}/errors")
            yield ErrorItem(url, portal.id, verdict.rule, response.status)
            return
        if verdict.kind != "error":
            self.logger.warning(
                "portal %s: %s page (%s) at %s", portal.id, verdict.kind, verdict.rule, response.url
            )
            yield BlockedItem(
                url,
                portal.id,
                verdict.rule,
                verdict.kind,
                verdict.marker,
                response.status,
                role in ITEM_ROLES,
            )
        if role not in ITEM_ROLES:
            self._list_page_failed(portal.id, role, response.url, f"{verdict.kind}: {verdict.rule}")

    def _js_list(
        self,
        portal: Portal,
        response: Response,
        selector: Selector,
        links: list[Link],
        rendered: bool,
    ) -> Iterator[Any]:
        """A list built in the browser: read its API directly, or render it, or report it."""
        loader = js_list_loader(selector)
        if loader is None:
            return
        if loader == "hanweb":
            api = hanweb_api(selector, response.url)
            if api is not None:
                self.crawler.stats.inc_value(f"portal/{portal.id}/list_api_found")
                request = self._api_request(portal, api, 1)
                if request is not None:
                    yield request
                return
        if rendered or any(link.role in (*ITEM_ROLES, "page") for link in links):
            return
        yield from self._needs_browser(portal, response, response.meta["role"], f"{loader} list")

    def _needs_browser(
        self, portal: Portal, response: Response, role: str, what: str
    ) -> Iterator[scrapy.Request]:
        """Re-request a page with the browser, or record that the portal needs one."""
        stats = self.crawler.stats
        if self.browser is None:
            stats.inc_value(f"portal/{portal.id}/needs_browser")
            stats.set_value(f"portal/{portal.id}/needs_browser_url", response.url)
            self.logger.warning(
                "portal %s: %s at %s is built by JavaScript and no browser is available; "
                'set render = "browser" in its seed and %s',
                portal.id,
                what,
                response.url,
                INSTALL_HINT,
            )
            return
        request = self._request(
            portal, response.url, role, response.meta["depth_in_portal"], render=True
        )
        if request is not None:
            stats.inc_value(f"portal/{portal.id}/auto_rendered")
            yield request

    def parse_api(self, response: Response) -> Iterator[Any]:
        portal = self.portals[response.meta["portal"]]
        api: ListApi = response.meta["api"]
        page = response.meta["api_page"]
        self.crawler.stats.inc_value(f"portal/{portal.id}/api_pages")
        try:
            result = list_api.parse(api, response.text, page, response.url)
        except list_api.ListApiError as exc:
            self.crawler.stats.inc_value(f"portal/{portal.id}/errors")
            self.logger.warning("portal %s: %s", portal.id, exc)
            return
        for url, title in result.items:
            url = canonical_url(url)
            if not in_scope(url, portal.allowed_domains):
                self.crawler.stats.inc_value(f"portal/{portal.id}/offsite_links")
                continue
            if is_notice_title(title):
                role = "notice"
            elif might_be_notice_title(title) or not title:
                role = "candidate"
            else:
                continue
            self.listed.setdefault(portal.id, set()).add(url)
            request = self._request(portal, url, role, portal.max_depth, extra={"label": title})
            if request is not None:
                yield request
        if result.has_more:
            request = self._api_request(portal, api, page + 1)
            if request is not None:
                yield request

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
        # the list's own first page, the cap, and one more: reaching the cap is counted below
        pages = trs_pages(html, response.url, self.max_list_pages + 2)
        pages += [link.url for link in links if link.role == "page"]
        if response.meta["role"] == "page" and not any(k.role in ITEM_ROLES for k in links):
            pages = []  # a page past the end of its list: no more pagination from here
        for url in pages:
            list_key = url_key(response.url).split("?")[0].rsplit("/", 1)[0]
            if self.list_pages.get(list_key, 0) >= self.max_list_pages:
                self.crawler.stats.inc_value(f"portal/{portal.id}/list_pages_capped")
                break
            request = self._request(portal, url, "page", depth)
            if request is not None:
                self.list_pages[list_key] = self.list_pages.get(list_key, 0) + 1
                yield request
        for link in links:
            if link.role in ITEM_ROLES:
                self.listed.setdefault(portal.id, set()).add(link.url)
                request = self._request(
                    portal, link.url, link.role, depth + 1, extra={"label": link.label}
                )
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
        if failure.check(OutOfScope) or (
            failure.check(IgnoreRequest) and "robots.txt" in failure.getErrorMessage()
        ):  # policy, not a failure
            stats.inc_value(f"portal/{portal_id}/not_allowed")
            self.logger.info("not fetched %s: %s", request.url, failure.getErrorMessage())
            return
        status = None
        if failure.check(HttpError):
            status = failure.value.response.status
            detail = f"HTTP {status}"
        else:
            detail = f"{failure.type.__name__}: {failure.getErrorMessage()}"
        if request.meta.get("playwright") and any(m in detail for m in BROWSER_FATAL):
            stats.set_value("browser/unavailable", detail[:500])
            self.logger.critical(
                "the browser (%s) cannot start: %s; %s", self.browser, detail[:300], INSTALL_HINT
            )
            raise CloseSpider("browser_unavailable")
        stats.inc_value(f"portal/{portal_id}/errors")
        if role in ITEM_ROLES:
            yield ErrorItem(canonical_url(request.url), portal_id, detail, status)
            return
        self._list_page_failed(portal_id, role, request.url, detail)

    def _list_page_failed(self, portal_id: str, role: str, url: str, detail: str) -> None:
        """A list page failed: this crawl cannot tell which notices left their lists."""
        stats = self.crawler.stats
        self.list_failed.add(portal_id)
        errors = stats.get_value("crawl/errors") or []
        if len(errors) < MAX_ERRORS_KEPT:
            stats.set_value(
                "crawl/errors", [*errors, {"portal": portal_id, "url": url, "detail": detail}]
            )
        if role == "start":
            stats.inc_value(f"portal/{portal_id}/unreachable")
            self.logger.error("portal %s unreachable: %s (%s)", portal_id, url, detail)
        else:
            self.logger.warning("portal %s: page failed: %s (%s)", portal_id, url, detail)

    def listing_complete(self, portal_id: str) -> bool:
        """True when every list page of the portal was read, so its listing is trustworthy."""
        stats = self.crawler.stats
        return portal_id not in self.list_failed and not stats.get_value(
            f"portal/{portal_id}/max_pages_reached"
        )


def _visible_text(selector: Selector) -> str:
    return "".join(
        selector.xpath("//body//text()[not(ancestor::script or ancestor::style)]").getall()
    )


def _page_title(html: str) -> str | None:
    try:
        return find_title(lxml.html.document_fromstring(html))
    except (lxml.etree.ParserError, ValueError):
        return None
