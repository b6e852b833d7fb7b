"""The one generic spider: portals come from seeds, discovery from page structure."""

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from parsel import Selector
from scrapy import signals
from scrapy.exceptions import CloseSpider, DontCloseSpider, IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from notice.documents import document_kind
from notice.encoding import decode_html
from notice.errors import ExtractionError
from notice.extract import page_title
from notice.judge import is_notice_page, is_notice_title, might_be_notice_title
from notice.urls import canonical_url, in_scope

from .. import list_api
from ..blocking import BLOCK_STATUSES, Verdict, classify, visible_text
from ..browser import INSTALL_HINT, configure, render_meta
from ..discovery import (
    Link,
    ListApi,
    attachment_links,
    js_list_loader,
    looks_like_list,
)
from ..distributed import coordinator
from ..exceptions import SpiderArgumentError
from ..frontier import ITEM_ROLES, Budgets, Frontier, Skip
from ..interrupts import stopping
from ..items import (
    AttachmentItem,
    BlockedItem,
    ErrorItem,
    GoneItem,
    NotModifiedItem,
    PageItem,
    RedirectItem,
)
from ..lists import Discovery, discover
from ..lists import Page as ListPage
from ..lists.clicks import has_script_pager
from ..lists.detail import article_from_reply, detail_api
from ..lists.observed import apis as observed_apis
from ..lists.search import Search, find_form
from ..lists.search import terms as search_terms
from ..middlewares import OutOfScope
from ..revisit import parse_policy
from ..seeds import Portal, load_seeds, select
from ..work import ExtractionPool

MAX_ERRORS_KEPT = 200
GONE_STATUSES = [404, 410]
REDIRECT_STATUSES = [301, 302, 303, 307, 308]
# Messages of Playwright errors that mean the browser itself is unusable.
PRIORITY_API = 8
BROWSER_FATAL = (
    "Executable doesn't exist",
    "Failed to launch",
    "browser has been closed",
    "Browser closed",
    "error while loading shared libraries",
)


# The spider's arguments (-a NAME=VALUE); Scrapyd adds _job to every crawl it schedules.
ARGUMENTS = ("portal", "seeds", "full")
SCHEDULER_ARGUMENTS = ("_job",)
TRUE, FALSE = ("1", "true", "yes"), ("0", "false", "no")


def check_arguments(extra: dict, full: str) -> None:
    """Refuse an argument the spider does not know (a typo would crawl every portal) and a
    `full` that is not a yes or no."""
    unknown = sorted(set(extra) - {"name", *SCHEDULER_ARGUMENTS})
    if unknown:
        given = ", ".join(f"-a {key}={extra[key]}" for key in unknown)
        raise SpiderArgumentError(
            f"unknown spider argument {given} (known: {', '.join(ARGUMENTS)})"
        )
    if full.lower() not in TRUE + FALSE:
        raise SpiderArgumentError(f"-a full={full}: give 1 (revisit every known notice) or 0")


class NoticesSpider(scrapy.Spider):
    """Crawl every seeded portal for rectification notices.

    Arguments: `-a portal=ID` (one portal), `-a seeds=PATH` (a seeds file or folder).
    """

    name = "notices"

    def __init__(
        self, portal: str | None = None, seeds: str | None = None, full: str = "0", **kwargs: Any
    ) -> None:
        check_arguments(kwargs, str(full))
        super().__init__(**kwargs)
        self.portal_id = portal
        self.seeds_arg = seeds
        self.full = str(full).lower() in TRUE
        self.pool = ExtractionPool(0)
        self.portals: dict[str, Portal] = {}
        self.browser: str | None = None
        self.frontier = Frontier({})
        self.searches: dict[str, Search] = {}
        self.coordinator = None  # the shared frontier's link (a distributed crawl only)

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any) -> "NoticesSpider":
        """Configure from the seeds and settings; the archive lock and reads happen in the
        pipeline's open_spider, the worker pool when the spider opens."""
        spider = super().from_crawler(crawler, *args, **kwargs)
        seeds = spider.seeds_arg or crawler.settings.get("SEEDS_PATH")
        chosen = select(load_seeds(seeds), spider.portal_id)
        spider.portals = {p.id: p for p in chosen}
        spider.allowed_domains = sorted({d for p in chosen for d in p.allowed_domains})
        spider.browser = configure(crawler.settings, chosen)
        list_max = crawler.settings.getint("LIST_MAX_PAGES")
        # FRONTIER_URL set: this worker joins the run on the shared frontier (see
        # crawler.distributed); the policy's shared state and the searches live there
        spider.coordinator = coordinator(crawler, spider)
        if spider.coordinator is not None:
            spider.searches = spider.coordinator.searches
        spider.frontier = Frontier(
            spider.portals,
            budgets=Budgets(
                list_pages=list_max,
                links_per_page=crawler.settings.getint("PAGE_MAX_LINKS"),
                api_pages=list_max,
                search_pages=crawler.settings.getint("SEARCH_MAX_PAGES", 5),
                portal_seconds=crawler.settings.getfloat("PORTAL_TIME_BUDGET"),
            ),
            policy=parse_policy(crawler.settings.getdict("REVISIT_POLICY")),
            full=spider.full,
            browser=spider.browser is not None,
            count=lambda key, n=1: crawler.stats.inc_value(key, n),
            **({"store": spider.coordinator.store} if spider.coordinator else {}),
        )
        if spider.coordinator is not None:  # the writer's recrawl state, not the archive
            spider.coordinator.load_known(spider.frontier)
        crawler.signals.connect(spider.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(spider.spider_idle, signal=signals.spider_idle)
        return spider

    def spider_opened(self) -> None:
        """Start the extraction workers (stopped when the spider closes)."""
        self.pool = ExtractionPool.from_settings(self.crawler.settings)
        self.crawler.signals.connect(self.pool.close, signal=signals.spider_closed)

    def listing_complete(self, portal_id: str) -> bool:
        """True when every list page of the portal was read, so its listing is trustworthy."""
        return self.frontier.listing_complete(portal_id)

    def spider_idle(self) -> None:
        """Before the crawl ends: the portals' own searches, once the lists are read; then
        the known notices that no list (or search) links any more, on portals whose listing
        was complete, are checked now (gone, soft-gone or still answering). In a distributed
        crawl the coordinator takes these steps, once per run, when the whole frontier idles."""
        if self.coordinator is not None:
            return
        if self.idle_step("searches") or self.idle_step("unlisted"):
            raise DontCloseSpider
        for pid in self.portals:  # the crawl ends: say which listings cannot be trusted
            why = self.frontier.incomplete_because(pid)
            if why:
                self.crawler.stats.set_value(f"portal/{pid}/listing_incomplete", why)

    def idle_step(self, step: str) -> int:
        """Schedule an idle step's requests ("searches" or "unlisted"); how many."""
        scheduled = 0
        for pid, portal in self.portals.items():
            if step == "searches":  # the searches, once the lists are read
                requests = list(self._search_requests(portal))
            else:
                requests = []
                for url in self.frontier.unlisted_known(pid):
                    request = self._request(portal, url, "notice", 0, force=True)
                    if request is not None:
                        self.crawler.stats.inc_value(f"portal/{pid}/unlisted_checked")
                        requests.append(request)
            for request in requests:
                self.crawler.engine.crawl(request)
                scheduled += 1
        return scheduled

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
        for url, page in self.frontier.known.items():
            request = self._request(self.portals[page["portal_id"]], url, "notice", 0)
            if request is not None:
                yield request
        # attachments of archived notices never fetched (a crawl stopped in between)
        for missing in self.frontier.missing_attachments:
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
        force: bool = False,
        clicks: int = 0,
        label: str = "",
        variant: str = "",
    ) -> scrapy.Request | None:
        """A Scrapy request for what the crawl policy admits, or None. `variant` names
        another request to the same URL (a form POST with another body)."""
        visit = self.frontier.admit(
            portal.id,
            url,
            role,
            depth,
            render=True if clicks else render,
            force=force,
            variant=("click:" if clicks else "") + variant,
            label=label,
        )
        if isinstance(visit, Skip):
            return None
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
        known = visit.known
        if role in ITEM_ROLES:
            # a removed notice is recorded as gone, a moved one as redirected (then followed),
            # an unchanged one answers 304 to the validators we kept
            meta["handle_httpstatus_list"] += [304, *GONE_STATUSES, *REDIRECT_STATUSES]
            meta["dont_redirect"] = True
            if known and known["etag"]:
                headers["If-None-Match"] = known["etag"]
            if known and known["last_modified"]:
                headers["If-Modified-Since"] = known["last_modified"]
        if visit.render:
            meta.update(render_meta(clicks))
            meta["clicks"] = clicks
        # dont_filter: the crawl policy dedupes (Scrapy's would also drop a re-render of a
        # page already fetched over HTTP); scope is enforced by PortalScopeMiddleware
        return scrapy.Request(
            url,
            callback=self.parse_page,
            errback=self.on_error,
            headers=headers,
            meta=meta,
            priority=visit.priority,
            dont_filter=True,
        )

    def _api_request(self, portal: Portal, api: ListApi, page: int) -> scrapy.Request | None:
        identity = list_api.identity(api)
        if page == 1 and not self.frontier.start_api(portal.id, identity):
            return None
        if not self.frontier.api_page(portal.id, identity, page, api.max_pages):
            return None
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
                priority=PRIORITY_API,
            )
        return scrapy.Request(
            spec.url,
            callback=self.parse_api,
            errback=self.on_error,
            meta=meta,
            priority=PRIORITY_API,
        )

    # -- responses --------------------------------------------------------------------

    async def parse_page(self, response: Response) -> AsyncIterator[Any]:
        portal = self.portals[response.meta["portal"]]
        rendered = bool(response.meta.get("playwright"))
        role = self.frontier.read(response.url, rendered, response.meta["role"])
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
                response.meta.get("found_by"),
            )
            return
        if role == "search" and "json" in content_type:
            for output in self._search_json(portal, response):
                yield output
            return
        if "html" not in content_type and "xml" not in content_type:
            stats.inc_value(f"portal/{portal.id}/not_html")
            return
        item = None
        if role in ITEM_ROLES:
            item = await self._page_item(response, portal, headers, rendered)
            if item.extracted is not None and item.extracted.notice_page:
                for output in self._notice(portal, response, item):
                    yield output
                return
        decoded = decode_html(response.body, headers)
        html = decoded.text
        selector = Selector(text=html, base_url=response.url)
        text = item.extraction.text if item and item.extraction else visible_text(selector)
        verdict = classify(response.status, html, text)
        if verdict is not None or response.status in BLOCK_STATUSES:
            for output in self._blocked(portal, response, role, verdict):
                yield output
            return
        # a notice page's extraction already found its title (same function, same text)
        title = item.extraction.title if item and item.extraction else page_title(html)
        found = Discovery()
        if not (item and is_notice_page(item.extraction)):  # a notice's links lead nowhere new
            found = discover(self._list_page(portal, response.url, html, rendered))
            if found.truncated:
                self.frontier.cap(portal.id, "links_truncated")
            if found.offsite:
                stats.inc_value(f"portal/{portal.id}/offsite_links", found.offsite)
        if rendered:
            observer = response.meta.get("playwright_page_event_handlers", {}).get("response")
            urls = getattr(observer, "urls", [])
            found.apis += observed_apis(urls, response.url, portal.allowed_domains)
        links = found.links
        # a page is a list by what it holds, whatever role reached it
        listish = (
            looks_like_list(selector, links)
            or bool(found.apis or found.needs_browser)
            or any(link.role in ("page", "frame") for link in links)
        )
        if role in ITEM_ROLES and listish:
            stats.inc_value(f"portal/{portal.id}/item_read_as_list")
            if portal.render == "browser" and not rendered:
                for output in self._needs_browser(
                    portal, response.url, "column", response.meta["depth_in_portal"], "list"
                ):
                    yield output
        if not listish and (role in ITEM_ROLES or is_notice_title(title)):
            item = item or await self._page_item(response, portal, headers, rendered)
            if (
                item.extraction
                and not item.extraction.text
                and not rendered
                and (selector.xpath("//body//script"))
            ):
                # a shell filled by script: read the detail API it names (unless the portal
                # renders), else render it if we can
                stats.inc_value(f"portal/{portal.id}/detail_shells")
                api_url = detail_api(self._list_page(portal, response.url, html, False))
                if api_url and not (portal.render == "browser" and self.browser):
                    request = self._request(
                        portal,
                        api_url,
                        "candidate",
                        response.meta["depth_in_portal"],
                        render=False,
                        extra={
                            "shell": canonical_url(response.url),
                            "found_by": response.meta.get("found_by"),
                        },
                    )
                    if request is not None:
                        yield request.replace(callback=self.parse_detail_api)
                    return
                for output in self._needs_browser(
                    portal,
                    response.url,
                    role,
                    response.meta["depth_in_portal"],
                    "script page",
                    how_reached(response),
                ):
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
        for output in self._js_list(portal, response, selector, found, rendered):
            yield output
        if rendered:
            for output in self._clicked(portal, response, html, found):
                yield output
        if role == "start" or response.meta.get("start_frame"):
            self._note_search(portal, response, html, decoded.encoding)
        for output in self._follow(portal, response, found):
            yield output

    def _clicked(
        self, portal: Portal, response: Response, html: str, found: Discovery
    ) -> Iterator[Any]:
        """The last resort for a pager of script buttons: click through it in the browser
        (once per list); a clicked response's states are read as list pages."""
        if response.meta.get("clicks"):
            result = next(
                (m.result for m in response.meta["playwright_page_methods"] if m.result), None
            )
            if not result:
                return
            clicked = len(result["states"])
            self.crawler.stats.inc_value(f"portal/{portal.id}/clicked_pages", clicked)
            if result.get("mode") == "page numbers":
                self.crawler.stats.inc_value(f"portal/{portal.id}/clicked_page_numbers", clicked)
            if result["capped"]:
                self.frontier.cap(portal.id, "list_pages_capped")
            if result.get("error"):  # a click failed: the pages after it were never seen
                self.crawler.stats.inc_value(f"portal/{portal.id}/errors")
                self.frontier.list_failed(portal.id)
                self.logger.warning(
                    "portal %s: click-through of %s stopped: %s",
                    portal.id,
                    response.url,
                    result["error"],
                )
            for state in result["states"]:
                page = self._list_page(portal, response.url, state, True)
                for link in discover(page).links:
                    if link.role in ITEM_ROLES:
                        self.frontier.list_item(portal.id, link.url, "rendered")
                        request = self._request(
                            portal,
                            link.url,
                            link.role,
                            response.meta["depth_in_portal"] + 1,
                            extra={"label": link.label, "found_by": "rendered"},
                        )
                        if request is not None:
                            yield request
            return
        if found.apis or any(link.role == "page" for link in found.links):
            return  # its pages are read over HTTP (an API, page links)
        if not has_script_pager(self._list_page(portal, response.url, html, True)):
            return
        request = self._request(
            portal,
            response.url,
            response.meta["role"],
            response.meta["depth_in_portal"],
            clicks=self.frontier.budgets.list_pages,
        )
        if request is not None:
            self.crawler.stats.inc_value(f"portal/{portal.id}/click_through")
            yield request

    def _list_page(self, portal: Portal, url: str, html: str, rendered: bool) -> ListPage:
        return ListPage(
            url,
            html,
            portal.allowed_domains,
            list_selector=portal.list_selector,
            detail_pattern=portal.detail_pattern,
            max_links=self.frontier.budgets.links_per_page,
            rendered=rendered,
            list_max=self.frontier.budgets.list_pages,
        )

    def _note_search(self, portal: Portal, response: Response, html: str, encoding: str) -> None:
        """Note the portal's own search (the seed's `search`, or the form on its start page):
        it is asked when the lists are read (spider_idle), so that lists find first."""
        if portal.id in self.searches:
            return
        site_search = (
            Search(portal.search)
            if portal.search
            else find_form(ListPage(response.url, html, portal.allowed_domains), encoding)
        )
        if site_search is not None:
            self.crawler.stats.inc_value(f"portal/{portal.id}/search_found")
            self.searches[portal.id] = site_search

    def _search_requests(self, portal: Portal) -> Iterator[scrapy.Request]:
        """The first result page of the portal's search for each notice term (once)."""
        site_search = self.searches.get(portal.id)
        if site_search is None or not self.frontier.start_search(portal.id):
            return
        for term in search_terms():
            request = self._search_request(portal, site_search, term, 1)
            if request is not None:
                self.crawler.stats.inc_value(f"portal/{portal.id}/search_queries")
                yield request

    def _search_request(
        self, portal: Portal, site_search: Search, term: str, number: int
    ) -> scrapy.Request | None:
        """Result page `number` of a search for `term`: a GET of its URL, or a form POST."""
        extra = {"search_page": number, "search_term": term}
        formdata = site_search.formdata(term, number)
        variant = f"post:{term}:{number}:" if formdata is not None else ""
        url = site_search.url(term, number)
        # a form POST's results are the server's page: fetched over plain HTTP, even on a
        # portal whose lists are rendered
        render = False if formdata is not None else None
        request = self._request(
            portal, url, "search", 0, render=render, extra=extra, variant=variant
        )
        if request is None or formdata is None:
            return request
        return scrapy.FormRequest(
            url,
            formdata=formdata,
            encoding=site_search.encoding,
            callback=request.callback,
            errback=request.errback,
            meta=request.meta,
            priority=request.priority,
            dont_filter=True,
        )

    def _notice(self, portal: Portal, response: Response, item: PageItem) -> Iterator[Any]:
        """A notice page, checked and read in a worker: the item, then its attachments."""
        extracted = item.extracted
        if extracted.verdict is not None or response.status in BLOCK_STATUSES:
            yield from self._blocked(portal, response, response.meta["role"], extracted.verdict)
            return
        yield from self._item_and_files(portal, response, item, extracted.attachments)

    def _item_and_files(
        self, portal: Portal, response: Response, item: PageItem, files: list[Link]
    ) -> Iterator[Any]:
        """A notice (noting the files it links, for a later crawl), then requests for them."""
        item.attachments = [{"url": f.url, "label": f.label} for f in files]
        yield item
        yield from self._attachments(portal, response.meta["depth_in_portal"], files, item.url)

    async def parse_detail_api(self, response: Response) -> AsyncIterator[Any]:
        """A shell's detail API: the article its script would build, extracted as the
        shell's page. What is stored is what was fetched: the API's reply (its bytes and
        Content-Type), the version's metadata naming the API. Garbage is a counted error;
        an HTML page where JSON was expected sends the shell to the browser, if there is one."""
        portal = self.portals[response.meta["portal"]]
        shell = response.meta["shell"]
        self.frontier.read(response.url, False, response.meta["role"])
        stats = self.crawler.stats
        try:
            if response.status != 200:
                raise list_api.ListApiError(f"{response.url}: HTTP {response.status}")
            page = article_from_reply(response.text, response.url)
        except list_api.ListApiError as exc:
            fallback = exc.html and self.browser is not None  # rendered instead: no error
            if not fallback:
                stats.inc_value(f"portal/{portal.id}/errors")
                stats.inc_value(f"portal/{portal.id}/detail_api_errors")
            log = self.logger.info if fallback else self.logger.warning
            log("portal %s: detail API of %s: %s", portal.id, shell, exc)
            if exc.html:
                stats.inc_value(f"portal/{portal.id}/api_html_fallback")
                depth = response.meta["depth_in_portal"]
                for request in self._needs_browser(
                    portal, shell, "notice", depth, "script page", how_reached(response)
                ):
                    yield request
            return
        stats.inc_value(f"portal/{portal.id}/detail_api_read")
        item = await self._page_item(
            response,
            portal,
            {"Content-Type": "text/html; charset=utf-8"},
            False,
            url=shell,
            body=page.encode(),
        )
        # the reply's own bytes and headers; its validators are the API's, not the shell's
        # (sent to the shell's URL on the next crawl they could answer 304 for the wrong page)
        item.body = response.body
        item.headers = {
            k.decode("latin-1"): b", ".join(v).decode("latin-1")
            for k, v in response.headers.items()
            if k.lower() not in (b"etag", b"last-modified")
        }
        item.detail_api = response.url
        if item.extracted is not None and item.extracted.notice_page:
            for output in self._notice(portal, response, item):
                yield output
            return
        yield item  # not a notice: the pipeline drops it, counted

    async def _page_item(
        self,
        response: Response,
        portal: Portal,
        headers: dict,
        rendered: bool,
        *,
        url: str | None = None,
        body: bytes | None = None,
    ) -> PageItem:
        """The page (or the body given for it) with its extraction (and copy signature),
        made in a worker process."""
        url = url or canonical_url(response.url)
        body = response.body if body is None else body
        item = PageItem(url, portal.id, response.status, body, headers, rendered)
        item.found_by = response.meta.get("found_by")
        try:
            extracted = await self.pool.extract(
                body, url, headers, response.status, portal.allowed_domains
            )
            item.extraction, item.extracted = extracted.extraction, extracted
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
        found: Discovery,
        rendered: bool,
    ) -> Iterator[Any]:
        """A list built by script: read its APIs directly, or render it, or report it."""
        for api in found.apis:
            request = self._api_request(portal, api, 1)
            if request is not None:
                self.crawler.stats.inc_value(f"portal/{portal.id}/list_api_found")
                yield request
        if found.apis or rendered:
            return
        loader = found.needs_browser
        if loader is None and js_list_loader(selector) == "hanweb":
            loader = "hanweb list"  # a jpage whose parameters could not be read
        if loader is None or any(link.role in (*ITEM_ROLES, "page") for link in found.links):
            return
        yield from self._needs_browser(
            portal, response.url, response.meta["role"], response.meta["depth_in_portal"], loader
        )

    def _needs_browser(
        self, portal: Portal, url: str, role: str, depth: int, what: str, extra: dict | None = None
    ) -> Iterator[scrapy.Request]:
        """Re-request a page with the browser, or record that the portal needs one."""
        stats = self.crawler.stats
        if self.browser is None:
            stats.inc_value(f"portal/{portal.id}/needs_browser")
            stats.set_value(f"portal/{portal.id}/needs_browser_url", url)
            self.logger.warning(
                "portal %s: %s at %s is built by JavaScript and no browser is available; "
                'set render = "browser" in its seed and %s',
                portal.id,
                what,
                url,
                INSTALL_HINT,
            )
            return
        request = self._request(portal, url, role, depth, render=True, extra=extra)
        if request is not None:
            stats.inc_value(f"portal/{portal.id}/auto_rendered")
            yield request

    def parse_api(self, response: Response) -> Iterator[Any]:
        portal = self.portals[response.meta["portal"]]
        api: ListApi = response.meta["api"]
        page = response.meta["api_page"]
        self.crawler.stats.inc_value(f"portal/{portal.id}/api_pages")
        stats = self.crawler.stats
        try:
            result = list_api.parse(api, response.text, page, response.url)
        except list_api.ListApiError as exc:
            if api.source == "observed" and page == 1:
                # data the page fetched that is not a list (a config, a counter): not an error
                stats.inc_value(f"portal/{portal.id}/observed_not_list")
                return
            if exc.html and api.base_url and self.browser is not None:
                # an HTML page where JSON was expected (a WAF, a JavaScript check): the list
                # is read in the browser instead, which is no error
                stats.inc_value(f"portal/{portal.id}/api_html_fallback")
                self.logger.info("portal %s: list API: %s; rendering its list", portal.id, exc)
                yield from self._needs_browser(
                    portal, api.base_url, "column", portal.max_depth, "list behind its API"
                )
                return
            stats.inc_value(f"portal/{portal.id}/errors")
            stats.inc_value(f"portal/{portal.id}/api_errors")
            self.logger.warning("portal %s: list API: %s", portal.id, exc)
            if exc.html and api.base_url:  # no browser: reported as one needed
                stats.inc_value(f"portal/{portal.id}/api_html_fallback")
                yield from self._needs_browser(
                    portal, api.base_url, "column", portal.max_depth, "list behind its API"
                )
            self._list_page_failed(portal.id, "api", response.url, str(exc))
            return
        identity = list_api.identity(api)
        new = self.frontier.api_items(portal.id, identity, [url for url, _ in result.items])
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
            self.frontier.list_item(portal.id, url, "list API")
            request = self._request(
                portal, url, role, portal.max_depth, extra={"label": title, "found_by": "list API"}
            )
            if request is not None:
                yield request
        if result.has_more and new:  # a page that adds nothing ends the list
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

    def _follow(self, portal: Portal, response: Response, found: Discovery) -> Iterator[Any]:
        """Requests for a list page's pages, items, columns and frames."""
        depth = response.meta["depth_in_portal"]
        links = found.links
        pages = [link.url for link in links if link.role == "page"]
        role = response.meta["role"]
        if role in ("page", "search") and not (
            (found.entries and role == "page") or any(k.role in ITEM_ROLES for k in links)
        ):
            # a page past the end of its list (no notice and no article link, not merely a
            # page of other news in a mixed column): no more pagination from here
            pages = []
        if response.meta["role"] == "search":
            yield from self._search_results(portal, response, links, pages)
            return
        own = self.frontier.key(response.url, False)
        for url in pages:
            key = self.frontier.key(url, False)
            if key == own or key in self.frontier.seen:
                continue
            if not self.frontier.list_page(portal.id, response.url):
                break
            request = self._request(portal, url, "page", depth, extra={"list": response.url})
            if request is not None:
                yield request
        for link in links:
            if link.role in ITEM_ROLES:
                how = how_found(found.via.get(link.url), response)
                self.frontier.list_item(portal.id, link.url, how)
                request = self._request(
                    portal,
                    link.url,
                    link.role,
                    depth + 1,
                    extra={"label": link.label, "found_by": how},
                )
            elif link.role == "frame":  # part of this page: same depth
                # a start page's frames are the start page (a frameset's header holds the
                # site search)
                extra = {"start_frame": True} if response.meta["role"] == "start" else None
                request = self._request(portal, link.url, "column", depth, extra=extra)
            elif link.role == "column" and depth < portal.max_depth:
                request = self._request(portal, link.url, "column", depth + 1, label=link.label)
            else:
                continue
            if request is not None:
                yield request

    def _search_results(
        self, portal: Portal, response: Response, links: list[Link], pages: list[str]
    ) -> Iterator[Any]:
        """A search result page: its notice-like links are list links (found by search), its
        next result page is read within SEARCH_MAX_PAGES; its chrome is not followed."""
        number = response.meta.get("search_page", 1)
        site_search = self.searches.get(portal.id)
        term = response.meta.get("search_term")
        if site_search is not None and site_search.pages_itself and term:
            # a POST search numbered by a form field: the next page is the next POST, while
            # a page still holds results
            more = any(link.role in ITEM_ROLES for link in links)
            if more and self.frontier.search_page(portal.id, number + 1):
                request = self._search_request(portal, site_search, term, number + 1)
                if request is not None:
                    yield request
            pages = []
        for url in pages[:1] if pages else []:
            if self.frontier.search_page(portal.id, number + 1):
                request = self._request(
                    portal,
                    url,
                    "search",
                    response.meta["depth_in_portal"],
                    extra={"search_page": number + 1, "search_term": term},
                )
                if request is not None:
                    yield request
        for link in links:
            if link.role not in ("notice", "candidate"):
                continue
            self.frontier.list_item(portal.id, link.url, "search")
            request = self._request(
                portal,
                link.url,
                link.role,
                portal.max_depth,
                extra={"label": link.label, "found_by": "search"},
            )
            if request is not None:
                yield request

    def _search_json(self, portal: Portal, response: Response) -> Iterator[Any]:
        """A search endpoint answering JSON: its records are result links; garbage is a
        counted error of the portal."""
        try:
            hits = list_api.records(list_api.json_reply(response.text, response.url), response.url)
        except list_api.ListApiError as exc:
            self.crawler.stats.inc_value(f"portal/{portal.id}/errors")
            self.crawler.stats.inc_value(f"portal/{portal.id}/search_errors")
            self.logger.warning("portal %s: search: %s", portal.id, exc)
            return
        links = []
        for url, title in hits:
            url = canonical_url(url)
            if in_scope(url, portal.allowed_domains):
                role = "notice" if is_notice_title(title) else "candidate"
                if role == "notice" or might_be_notice_title(title):
                    links.append(Link(url, title, role))
        yield from self._search_results(portal, response, links, [])

    def on_error(self, failure: Failure) -> Iterator[Any]:
        request = failure.request
        portal_id = request.meta["portal"]
        role = request.meta["role"]
        self.frontier.read(request.url, bool(request.meta.get("playwright")), role)
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
        if request.meta.get("playwright") and stopping(self.crawler):
            # the browser goes down with the crawl (a Ctrl-C reaches it too): no failure
            stats.inc_value("browser/closed_while_stopping")
            self.logger.info("not rendered, the crawl is stopping: %s", request.url)
            return
        if request.meta.get("playwright") and any(m in detail for m in BROWSER_FATAL):
            stats.set_value("browser/unavailable", detail[:500])
            self.logger.critical(
                "the browser (%s) cannot start: %s; %s", self.browser, detail[:300], INSTALL_HINT
            )
            raise CloseSpider("browser_unavailable")
        if role == "api" and status in (404, 410) and request.meta.get("api_page", 1) > 1:
            # a numbered data file past the last one (list_4.js of three): the list's end
            stats.inc_value(f"portal/{portal_id}/api_end_missing")
            self.logger.info("list API ended: %s (%s)", request.url, detail)
            return
        stats.inc_value(f"portal/{portal_id}/errors")
        if role in ITEM_ROLES:
            yield ErrorItem(canonical_url(request.url), portal_id, detail, status)
            return
        self._list_page_failed(portal_id, role, request.url, detail)

    def _list_page_failed(self, portal_id: str, role: str, url: str, detail: str) -> None:
        """A list page failed: this crawl cannot tell which notices left their lists."""
        stats = self.crawler.stats
        if role == "search":  # a failed search leaves the lists as complete as they were
            stats.inc_value(f"portal/{portal_id}/search_errors")
            self.logger.warning("portal %s: search failed: %s (%s)", portal_id, url, detail)
            return
        self.frontier.list_failed(portal_id)
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


def how_reached(response: Response) -> dict:
    """The meta an item's re-request keeps: how discovery found it, its link's label."""
    return {k: response.meta[k] for k in ("found_by", "label") if response.meta.get(k)}


def how_found(mechanism: str | None, response: Response) -> str:
    """How a list item was found, as the crawl summary says it: static link, pagination,
    list API, rendered, search."""
    if mechanism in ("hanweb", "script_api"):
        return "list API"
    if response.meta.get("playwright"):
        return "rendered"
    if response.meta.get("role") == "page":
        return "pagination"
    return "static link"
