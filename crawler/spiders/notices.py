"""The one generic spider: portals come from seeds, discovery from page structure.

It is thin: it turns Scrapy responses into page-reading calls (crawler.reading) and their
answers into Scrapy requests, items and stats.
"""

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import scrapy
from scrapy import signals
from scrapy.exceptions import CloseSpider, DontCloseSpider, IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from notice.errors import ExtractionError

from .. import reading
from ..browser import configure, explore_meta, render_meta
from ..distributed import coordinator
from ..exceptions import SpiderArgumentError
from ..frontier import Budgets, Frontier
from ..interrupts import stopping
from ..middlewares import OutOfScope
from ..reading import ExtractionFailed, ExtractSpec, Fetched, Reached, Reading, RequestSpec
from ..revisit import parse_policy
from ..seeds import Portal, load_seeds, select
from ..stats import BROWSER_CLOSED_WHILE_STOPPING, keep_error
from ..templates import NoTemplates
from ..work import Extracted, ExtractionPool

# The spider's callback for each kind of reply (RequestSpec.callback).
CALLBACKS = {
    reading.READ_PAGE: "parse_page",
    reading.READ_API: "parse_api",
    reading.READ_DETAIL_API: "parse_detail_api",
    reading.READ_SOURCE: "parse_source",
    reading.READ_PART: "parse_part",
    reading.READ_RECIPE: "parse_recipe",
}

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
        self.coordinator = None  # the shared frontier's link (a distributed crawl only)
        # the portals' template models for extraction: the archive pipeline's, or the
        # distributed writer's (crawler.templates); none without them
        self.templates = NoTemplates()

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
        shared = {}
        if spider.coordinator is not None:
            shared = {"store": spider.coordinator.store, "searches": spider.coordinator.searches}
            spider.templates = spider.coordinator.templates
        spider.frontier = Frontier(
            spider.portals,
            budgets=Budgets(
                list_pages=list_max,
                links_per_page=crawler.settings.getint("PAGE_MAX_LINKS"),
                api_pages=list_max,
                search_pages=crawler.settings.getint("SEARCH_MAX_PAGES", 5),
                portal_seconds=crawler.settings.getfloat("PORTAL_TIME_BUDGET"),
                source_urls=crawler.settings.getint("SITEMAP_MAX_URLS", 1000),
                source_files=crawler.settings.getint("SITEMAP_MAX_FILES", 50),
                source_bytes=crawler.settings.getint("SITEMAP_MAX_BYTES", 50 * 1024 * 1024),
                article_pages=crawler.settings.getint("ARTICLE_MAX_PAGES", 20),
                explore_actions=crawler.settings.getint("EXPLORE_MAX_ACTIONS"),
                explore_list_seconds=crawler.settings.getfloat("EXPLORE_LIST_SECONDS"),
                explore_lists=crawler.settings.getint("EXPLORE_MAX_LISTS"),
                explore_seconds=crawler.settings.getfloat("EXPLORE_PORTAL_SECONDS"),
            ),
            sources=crawler.settings.getbool("SOURCES_ENABLED", True),
            policy=parse_policy(crawler.settings.getdict("REVISIT_POLICY")),
            full=spider.full,
            browser=spider.browser is not None,
            count=lambda key, n=1: crawler.stats.inc_value(key, n),
            **shared,
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
        """Before the crawl ends: list pages whose rows no rule read yet (crawler.reading.rows),
        then the portals' own searches, once the lists are read; then the known notices that
        no list (or search) links any more, on portals whose listing was complete, are checked
        now (gone, soft-gone or still answering). In a distributed
        crawl the coordinator takes these steps, once per run, when the whole frontier idles."""
        if self.coordinator is not None:
            return
        if self.idle_step("rows") or self.idle_step("searches") or self.idle_step("unlisted"):
            raise DontCloseSpider
        list(self._outputs(reading.ending(self.frontier)))

    def idle_step(self, step: str) -> int:
        """Schedule an idle step's requests ("rows", "searches" or "unlisted"); how many."""
        requests = list(self._outputs(reading.idle_step(self.frontier, step)))
        for request in requests:
            self.crawler.engine.crawl(request)
        return len(requests)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for step in reading.start(self.frontier):
            for request in self._outputs(step):
                yield request

    # -- responses --------------------------------------------------------------------

    async def parse_page(self, response: Response) -> AsyncIterator[Any]:
        async for output in self._read(fetched(response), reading.read_page):
            yield output

    async def parse_detail_api(self, response: Response) -> AsyncIterator[Any]:
        async for output in self._read(fetched(response), reading.read_detail_api):
            yield output

    def parse_source(self, response: Response) -> Iterator[Any]:
        yield from self._outputs(reading.read_source(fetched(response), self.frontier))

    async def parse_part(self, response: Response) -> AsyncIterator[Any]:
        async for output in self._read(fetched(response), reading.read_part):
            yield output

    def parse_api(self, response: Response) -> Iterator[Any]:
        yield from self._outputs(reading.read_api(fetched(response), self.frontier))

    def parse_recipe(self, response: Response) -> Iterator[Any]:
        yield from self._outputs(reading.read_recipe(fetched(response), self.frontier))

    def on_error(self, failure: Failure) -> Iterator[Any]:
        request = failure.request
        if request.meta.get("playwright") and stopping(self.crawler):
            # the browser goes down with the crawl (a Ctrl-C reaches it too): no failure
            self.crawler.stats.inc_value(BROWSER_CLOSED_WHILE_STOPPING)
            self.logger.info("not rendered, the crawl is stopping: %s", request.url)
            return
        status = None
        if failure.check(HttpError):
            status = failure.value.response.status
            detail = f"HTTP {status}"
        else:
            detail = f"{failure.type.__name__}: {failure.getErrorMessage()}"
        refused = bool(failure.check(OutOfScope)) or bool(
            failure.check(IgnoreRequest) and "robots.txt" in failure.getErrorMessage()
        )
        if refused:
            detail = failure.getErrorMessage()
        reached = Reached.from_meta(request.meta)
        failed = reading.Failed(request.url, reached, detail, status, refused)
        yield from self._outputs(reading.read_failure(failed, self.frontier))

    async def _read(self, page: Fetched, read: Callable[..., Reading]) -> AsyncIterator[Any]:
        """Read a page; when the reading asks for an extraction, make it in a worker
        process and read the page again with it."""
        while True:
            answer = read(page, self.frontier)
            for output in self._outputs(answer):
                yield output
            if answer.extract is None:
                return
            page.extraction = await self._extract(answer.extract)

    async def _extract(self, spec: ExtractSpec) -> Extracted | ExtractionFailed:
        """Extract in a worker, with the page's portal's template model as it is now."""
        try:
            return await self.pool.extract(
                spec.body,
                spec.url,
                spec.headers,
                spec.status,
                list(spec.domains),
                spec.parts,
                self.templates.get(spec.portal),
            )
        except ExtractionError as exc:
            return ExtractionFailed(str(exc))

    # -- answers ----------------------------------------------------------------------

    def _outputs(self, answer: Reading) -> Iterator[Any]:
        """A reading's stats and log lines, then its items and Scrapy requests, in order."""
        stats = self.crawler.stats
        for key, n in answer.counts.items():
            stats.inc_value(key, n)
        for key, value in answer.values.items():
            stats.set_value(key, value)
        for record in answer.failures:
            keep_error(stats, record)
        for level, message in answer.logs:
            self.logger.log(level, message)
        if answer.close:
            raise CloseSpider(answer.close)
        for output in answer.outputs:
            yield self._request(output) if isinstance(output, RequestSpec) else output

    def _request(self, spec: RequestSpec) -> scrapy.Request:
        """A Scrapy request for a spec: rendered in the browser when the spec says so;
        dont_filter, since the crawl policy dedupes (Scrapy's would also drop a re-render of
        a page already fetched over HTTP); scope is enforced by PortalScopeMiddleware."""
        meta = dict(spec.meta)
        budgets = self.frontier.budgets
        if spec.render and spec.explore:
            meta.update(explore_meta(budgets.explore_actions, budgets.explore_list_seconds))
        elif spec.render:
            meta.update(render_meta(spec.clicks))
        kwargs = {
            "callback": getattr(self, CALLBACKS[spec.callback]),
            "errback": self.on_error,
            "meta": meta,
            "priority": spec.priority,
            "dont_filter": spec.dont_filter,
        }
        if spec.formdata is not None:
            return scrapy.FormRequest(
                spec.url, formdata=spec.formdata, encoding=spec.encoding, **kwargs
            )
        if spec.body is not None or spec.method != "GET":
            return scrapy.Request(
                spec.url, method=spec.method, body=spec.body, headers=spec.headers, **kwargs
            )
        return scrapy.Request(spec.url, headers=spec.headers, **kwargs)


def fetched(response: Response) -> Fetched:
    """A Scrapy response as page reading sees it (with what the browser saw, if rendered)."""
    meta = response.meta
    headers = {
        k.decode("latin-1"): b", ".join(v).decode("latin-1") for k, v in response.headers.items()
    }
    observer = meta.get("playwright_page_event_handlers", {}).get("response")
    clicked = explored = None
    methods = meta.get("playwright_page_methods", [])
    result = next((m.result for m in methods if isinstance(getattr(m, "result", None), dict)), None)
    if meta.get("explore"):
        explored = result
    elif meta.get("clicks"):
        clicked = result
    return Fetched(
        response.url,
        response.status,
        headers,
        response.body,
        Reached.from_meta(meta),
        observed=list(getattr(observer, "urls", [])),
        clicked=clicked,
        explored=explored,
    )
