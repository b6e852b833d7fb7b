"""A crawl worker on the shared Redis frontier (setting FRONTIER_URL).

The scheduler and its queue are scrapy-redis'; this module adds what one crawl over many
processes needs: the run (join, heartbeats, leave), the crawl policy's shared state, the idle
steps taken once per run, the worker's exit on an idle frontier, and the item queue.

Settings: FRONTIER_URL (redis://HOST:PORT/DB), FRONTIER_IDLE_CLOSE (seconds of an idle
frontier before a worker exits), FRONTIER_WORKER_TIMEOUT (seconds without a heartbeat after
which a worker counts as dead).
"""

import json
import logging
import os
import socket
import time
import uuid

import redis
from scrapy import signals
from scrapy.core.scheduler import BaseScheduler
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.defer import deferred_from_coro
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task

from .. import stats
from ..exceptions import CrawlerError
from ..explore.recipes import RecipeError, from_json
from ..writer import coverage_of, fetched_from_sources
from . import codec, connection, keys, scripts
from .store import RedisStore, SharedSearches, SharedTemplates

logger = logging.getLogger(__name__)
TICK = 0.25  # seconds between a worker's heartbeats and censuses
PHASES = ("crawl", "rows", "searches", "unlisted")


class FrontierUnavailable(CrawlerError):
    """Redis cannot be reached (or went away)."""


class NoRecrawlState(CrawlerError):
    """No writer has published the archive's state to this Redis yet."""


def connect(url: str) -> redis.Redis:
    """A client for the frontier at `url` (FrontierUnavailable names the URL and why)."""
    return connection.connect(url, "frontier", FrontierUnavailable, timeout=10)


class Coordinator:
    """One worker's part in a distributed crawl: built by the spider (from_crawler) when
    FRONTIER_URL is set."""

    def __init__(
        self, crawler, spider, url: str, client: redis.Redis, run: str, worker: str
    ) -> None:
        self.crawler = crawler
        self.spider = spider
        self.url = url
        self.client = client
        self.run = run
        self.worker = worker
        settings = crawler.settings
        self.idle_close = settings.getfloat("FRONTIER_IDLE_CLOSE")
        self.timeout = settings.getint("FRONTIER_WORKER_TIMEOUT")
        self.store = RedisStore(client, keys.frontier(run))
        self.searches = SharedSearches(client, keys.searches(run))
        self.templates = SharedTemplates(client, keys.TEMPLATES, self.fail)
        self.idle_since: float | None = None
        self.closing = False
        self.opened = False
        self.opened_at = time.monotonic()
        self.scheduler = None  # set when the scheduler opens
        self.error: str | None = None
        self.loop: task.LoopingCall | None = None
        self._census = client.register_script(scripts.CENSUS)
        self._next_phase = client.register_script(scripts.NEXT_PHASE)
        self._leave = client.register_script(scripts.LEAVE)

    # -- joining ----------------------------------------------------------------------

    @classmethod
    def join(cls, crawler, spider, url: str) -> "Coordinator":
        """Connect, check that the writer published the recrawl state, join the current run
        (or start one: its begin message goes to the writer in the same step)."""
        client = connect(url)
        worker = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        timeout = crawler.settings.getint("FRONTIER_WORKER_TIMEOUT")
        try:
            if not client.exists(keys.STATE_AT):
                raise NoRecrawlState(
                    f"no recrawl state in {url}: start the writer first "
                    f"(python -m archive --db PATH ingest {url})"
                )
            join = client.register_script(scripts.JOIN)
            portals = [p.as_record() for p in spider.portals.values()]
            while True:
                current = (client.get(keys.RUN) or b"").decode()
                new = uuid.uuid4().hex
                end = codec.message("end", current, _dead_run_end()) if current else b""
                begin = codec.message("begin", new, {"portals": portals})
                run, created = join(
                    keys=[
                        keys.RUN,
                        keys.ITEMS,
                        keys.workers(current) if current else keys.workers(new),
                        keys.lost(current) if current else keys.lost(new),
                        keys.workers(new),
                    ],
                    args=[timeout, current, worker, new, begin, end],
                )
                if run:
                    break
        except redis.RedisError as exc:
            raise FrontierUnavailable(connection.unreachable("frontier", url, exc)) from exc
        coordinator = cls(crawler, spider, url, client, run.decode(), worker)
        crawler.signals.connect(coordinator.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(coordinator.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(coordinator.spider_closed, signal=signals.spider_closed)
        logger.info(
            "%s run %s of the frontier %s as worker %s",
            "started" if created else "joined",
            coordinator.run,
            url,
            worker,
        )
        return coordinator

    def load_known(self, frontier) -> None:
        """The recrawl state the writer published, for this crawl's portals (a list recipe
        that cannot be read is counted and left out: its list is explored again)."""
        ids = list(frontier.portals)
        known, missing, attachments, sources, recipes = {}, [], set(), {}, []
        for pid, raw in zip(ids, self.client.hmget(keys.STATE, ids) if ids else [], strict=True):
            if raw is None:
                continue  # a portal the archive does not know yet
            state = json.loads(raw)
            known.update(state["known"])
            missing += state["missing"]
            attachments.update(state["attachments"])
            sources[pid] = state.get("sources", {})
            for list_url, text in state.get("recipes", []):
                try:
                    recipes.append((pid, list_url, from_json(text)))
                except RecipeError:
                    self.crawler.stats.inc_value(stats.portal_key(pid, stats.RECIPES_UNREADABLE))
        frontier.load_known(known, missing, attachments)
        frontier.load_sources(sources)
        frontier.load_recipes(recipes)

    # -- the worker's loop ------------------------------------------------------------

    def spider_opened(self) -> None:
        self.opened = True
        self.opened_at = time.monotonic()
        self.crawler.stats.set_value(stats.FRONTIER_RUN, self.run)
        if self.error is not None:  # Redis went away while the crawl was starting
            self.crawler.stats.set_value(stats.FRONTIER_ERROR, self.error)
            self._close("frontier_unavailable")
            return
        self.loop = task.LoopingCall(self.tick)
        self.loop.start(TICK, now=False).addErrback(self._loop_failed)

    def _loop_failed(self, failure) -> None:
        """A bug in the loop must not leave the worker waiting forever: it stops, its run
        counted interrupted."""
        logger.error("the frontier loop failed: %s", failure.getTraceback())
        self._close("shutdown")

    def tick(self) -> None:
        """Heartbeat and census; at an idle frontier take the run's next idle step (once per
        run, by one worker), or after FRONTIER_IDLE_CLOSE seconds of it, leave."""
        if self.closing:
            return
        engine = self.crawler.engine
        try:
            state = "idle" if engine.spider_is_idle() else "busy"
            queued, busy = self._census(
                keys=[keys.workers(self.run), keys.lost(self.run), keys.requests(self.run)],
                args=[self.timeout, self.worker, state],
            )
            if queued or busy:
                self.idle_since = None
                if queued and not engine.downloader.active:
                    self._wake(engine)
                return
            phase = int(self.client.get(keys.phase(self.run)) or 0)
            if phase < len(PHASES) - 1:
                self.idle_since = None
                if self._next_phase(keys=[keys.phase(self.run)], args=[phase]):
                    step = PHASES[phase + 1]
                    scheduled = self.spider.idle_step(step)
                    logger.info("idle frontier: %s step scheduled %d request(s)", step, scheduled)
                return
        except redis.RedisError as exc:
            self.fail(exc)
            return
        now = time.monotonic()
        if self.idle_since is None:
            self.idle_since = now
        if now - self.idle_since >= self.idle_close:
            logger.info("the frontier was idle for %.1f s: this worker leaves", self.idle_close)
            self._close("finished")

    def _wake(self, engine) -> None:
        """An idle engine asks its scheduler again only every few seconds: hand it one of the
        requests other workers queued (it goes back to the queue and wakes the engine)."""
        request = self.scheduler.next_request() if self.scheduler else None
        if request is not None:
            engine.crawl(request)

    def spider_idle(self) -> None:
        """Only the frontier decides when a worker is done (see tick)."""
        if not self.closing:
            raise DontCloseSpider

    def fail(self, exc: Exception) -> None:
        """Redis went away: stop this worker, its reason kept for the crawl command's one-line
        error (nothing is written anywhere else: a worker never opens the archive)."""
        if self.error is None:
            self.error = connection.unreachable("frontier", self.url, exc)
            logger.critical("%s", self.error)
            if self.opened:
                self.crawler.stats.set_value(stats.FRONTIER_ERROR, self.error)
        if self.opened:
            self._close("frontier_unavailable")

    def _close(self, reason: str) -> None:
        if not self.closing:
            self.closing = True
            deferred_from_coro(self.crawler.engine.close_spider_async(reason=reason))

    # -- leaving ----------------------------------------------------------------------

    def spider_closed(self, spider, reason: str) -> None:
        """Send this worker's statistics; the run's last worker also sends the run's end
        (with what the delisting needs) and removes the run's keys."""
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        if self.error is not None:
            return
        kept = {k: v for k, v in self.crawler.stats.get_stats().items() if stats.worth_keeping(k)}
        kept["finish_reason"] = reason
        # Scrapy sets its own only after this handler (the run's sum is worker-seconds)
        kept.setdefault("elapsed_time_seconds", round(time.monotonic() - self.opened_at, 3))
        try:
            self.client.lpush(
                keys.ITEMS,
                codec.message("worker", self.run, {"worker": self.worker, "stats": kept}),
            )
            last, lost = self._leave(
                keys=[keys.workers(self.run), keys.lost(self.run), keys.RUN],
                args=[self.timeout, self.worker, self.run],
            )
            if last:
                self.client.lpush(
                    keys.ITEMS, codec.message("end", self.run, self._end(reason, lost))
                )
                self._drop_run_keys()
        except redis.RedisError as exc:
            self.error = connection.unreachable("frontier", self.url, exc)
            self.crawler.stats.set_value(stats.FRONTIER_ERROR, self.error)

    def _end(self, reason: str, lost: int) -> dict:
        frontier = self.spider.frontier
        incomplete = {pid: frontier.incomplete_because(pid) for pid in frontier.portals}
        if lost:
            incomplete = {
                pid: ", ".join(filter(None, [why, f"{lost} worker(s) lost"]))
                for pid, why in incomplete.items()
            }
        finished = reason == "finished" and not lost
        portals, lists = coverage_of(frontier, finished, reason if not lost else "worker(s) lost")
        return {
            "reason": reason,
            "lost": int(lost),
            "incomplete": {pid: why for pid, why in incomplete.items() if why},
            "listed": {
                pid: sorted(frontier.listed[pid]) for pid, why in incomplete.items() if not why
            },
            # how many notices each portal's lists linked (the health ledger's `listed`)
            "listed_counts": {pid: len(frontier.listed[pid]) for pid in frontier.portals},
            "coverage": {"portals": portals, "lists": lists},
            "sources": fetched_from_sources(frontier),
        }

    def _drop_run_keys(self) -> None:
        for key in self.client.scan_iter(match=f"{keys.run_prefix(self.run)}:*", count=500):
            self.client.delete(key)


def _dead_run_end() -> dict:
    """The end of a run whose workers all died: interrupted, nothing delisted."""
    return {"reason": "shutdown", "lost": -1, "incomplete": {}, "listed": {}}


class FrontierQueue(PriorityQueue):
    """scrapy-redis' priority queue, keyed by the run, whose pop also marks the worker busy
    (one script) so that the frontier never looks idle while a request is on its way."""

    def __init__(self, server, spider, key, serializer=None):
        coordinator = spider.coordinator
        super().__init__(server, spider, keys.requests(coordinator.run), serializer)
        self.workers = keys.workers(coordinator.run)
        self.lost = keys.lost(coordinator.run)
        self.worker = coordinator.worker
        self._pop = server.register_script(scripts.POP)

    def pop(self, timeout=0):
        data = self._pop(keys=[self.workers, self.lost, self.key], args=[0, self.worker, "busy"])
        if data:
            return self._decode_request(data)
        return None


class _NoScheduler(BaseScheduler):
    """Stands in for the scheduler when Redis went away as the crawl started: the spider then
    closes at once, with the one-line error (a scheduler that fails to build would leave
    Scrapy's engine half open, with a traceback instead)."""

    def has_pending_requests(self) -> bool:
        return False

    def enqueue_request(self, request) -> bool:
        return False

    def next_request(self):
        return None


class FrontierScheduler(Scheduler):
    """scrapy-redis' scheduler; a Redis that goes away stops the worker with one line."""

    @classmethod
    def from_crawler(cls, crawler):
        try:
            return super().from_crawler(crawler)
        except redis.RedisError as exc:
            crawler.spider.coordinator.fail(exc)
            return _NoScheduler()

    def open(self, spider):
        spider.coordinator.scheduler = self
        return super().open(spider)

    def _failed(self, exc: Exception) -> None:
        self.spider.coordinator.fail(exc)

    def enqueue_request(self, request):
        try:
            return super().enqueue_request(request)
        except redis.RedisError as exc:
            self._failed(exc)
            return False

    def next_request(self):
        if self.spider.coordinator.closing:
            return None
        try:
            return super().next_request()
        except redis.RedisError as exc:
            self._failed(exc)
            return None

    def has_pending_requests(self):
        try:
            return super().has_pending_requests()
        except redis.RedisError as exc:
            self._failed(exc)
            return False


class QueuePipeline:
    """Sends every item to the writer through the item queue (the worker never opens the
    archive); the writer decides what is archived."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler) -> "QueuePipeline":
        return cls(crawler)

    def process_item(self, item):
        coordinator = self.crawler.spider.coordinator
        try:
            coordinator.client.lpush(keys.ITEMS, codec.message("item", coordinator.run, item))
        except redis.RedisError as exc:
            coordinator.fail(exc)
            return item
        self.crawler.stats.inc_value(stats.ITEMS_SENT)
        return item
