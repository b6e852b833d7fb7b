"""The crawl policy, apart from Scrapy: which URL to fetch, in which role, and what a crawl
may conclude about a portal's listing.

The spider is a thin adapter: it asks `Frontier.admit` before every request, reports pages
read, caps hit and list pages failed, and builds Scrapy requests from the `Visit`s it gets.
Everything here is plain Python, tested in-process.
"""

import json
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from notice.urls import url_key

from . import list_patterns, stats
from .columns import column_rank
from .coverage import API, CAP, NO_LIST, Coverage
from .list_api import list_id
from .revisit import DEFAULT_POLICY, is_due, parse_policy
from .roles import CANDIDATE, COLUMN, ITEM_ROLES, LIST_ROLES, NOTICE, PRIORITY
from .seeds import Portal
from .stats import CAPS


@dataclass(frozen=True)
class Visit:
    """A request the policy allows: the spider turns it into a Scrapy request."""

    url: str
    portal: str
    role: str
    depth: int
    render: bool
    priority: int
    known: dict | None = None  # the archive's row (validators) for a known item


@dataclass(frozen=True)
class Skip:
    """Why a URL is not requested: seen, not_due, max_pages_reached."""

    reason: str


@dataclass
class Budgets:
    """The crawl's bounds (settings LIST_MAX_PAGES, PAGE_MAX_LINKS; API pages share the list
    bound unless an API names its own)."""

    list_pages: int = 200
    links_per_page: int = 5000
    api_pages: int = 200
    search_pages: int = 5
    portal_seconds: float = 0.0  # PORTAL_TIME_BUDGET: seconds from a portal's first request
    source_urls: int = 1000  # SITEMAP_MAX_URLS: URLs fetched from a portal's sitemaps and feeds
    source_files: int = 50  # SITEMAP_MAX_FILES: sitemaps (and indexes) read per portal
    source_bytes: int = 50 * 1024 * 1024  # SITEMAP_MAX_BYTES: one sitemap, unpacked
    article_pages: int = 20  # ARTICLE_MAX_PAGES: pages of one notice split over several
    explore_actions: int = 40  # EXPLORE_MAX_ACTIONS: actions on one explored list
    explore_list_seconds: float = 60.0  # EXPLORE_LIST_SECONDS: browser time per explored list
    explore_lists: int = 30  # EXPLORE_MAX_LISTS: lists explored per portal
    explore_seconds: float = 600.0  # EXPLORE_PORTAL_SECONDS: browser time per portal


class ClaimSet(set):
    """A set whose `claim` adds a member and says whether it was new (one step, so that a
    shared store can make it atomic across processes)."""

    def claim(self, member) -> bool:
        if member in self:
            return False
        self.add(member)
        return True


class ClaimDict(dict):
    """A dict whose `claim` sets a key that is absent (or any key, with `replace`) and says
    whether it did."""

    def claim(self, key: str, value: str, *, replace: bool = False) -> bool:
        if key in self and not replace:
            return False
        self[key] = value
        return True


class LocalStore:
    """Where a Frontier keeps the state one crawl shares: in this process. A distributed
    crawl passes a store of the same shape kept in Redis (crawler.distributed.store)."""

    def set(self, name: str) -> ClaimSet:
        return ClaimSet()

    def mapping(self, name: str) -> ClaimDict:
        return ClaimDict()


@dataclass
class Frontier:
    """Dedupe with role upgrade, budgets, roles and priorities, the revisit decision, the
    listed set and listing completeness, for every portal of one crawl."""

    portals: dict[str, Portal]
    budgets: Budgets = field(default_factory=Budgets)
    policy: list = field(default_factory=lambda: parse_policy(DEFAULT_POLICY))
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    full: bool = False
    browser: bool = False
    count: Callable[..., None] | None = None  # count(stat, n=1); a Counter when None
    known: dict[str, dict] = field(default_factory=dict)
    missing_attachments: list[dict] = field(default_factory=list)
    attachments: set[str] = field(default_factory=set)
    clock: Callable[[], float] = time.monotonic
    # the state all workers of one crawl share (dedupe, listed sets, completeness, once-only
    # steps); budgets, counts and clocks stay in each process
    store: Any = field(default_factory=LocalStore)
    # the portals' site searches found on their start pages (portal -> lists.search.Search),
    # asked once the lists are read; shared through Redis in a distributed crawl
    searches: Any = field(default_factory=dict)
    # read robots.txt, sitemaps and feeds (SOURCES_ENABLED)
    sources: bool = True

    def __post_init__(self) -> None:
        store = self.store
        self.counts: Counter = Counter()
        self.seen = store.mapping("seen")  # dedupe key -> role it was requested in
        self.parsed = store.set("parsed")  # dedupe keys whose response was read
        self.upgraded = store.set("upgraded")  # item keys later linked as lists
        self.scheduled: Counter = Counter()  # requests per portal
        self.list_pages: Counter = Counter()  # pages per list
        self.api_pages: Counter = Counter()  # pages per list API identity
        self.api_seen: dict[tuple, Any] = {}  # items per list API identity
        self.apis_started = store.set("apis_started")
        self.listed = {pid: store.set(f"listed:{pid}") for pid in self.portals}
        self.failed = store.set("failed")
        self.capped = {pid: store.set(f"capped:{pid}") for pid in self.portals}
        self.found: dict[str, Counter] = {pid: Counter() for pid in self.portals}
        self.idle_done = store.set("idle_done")
        self.not_due = store.set("not_due")  # known items skipped by the revisit policy
        self.searched = store.set("searched")  # portals whose site search was asked
        self.started: dict[str, float] = {}  # portal -> clock() at its first request
        # what each list said it holds and what was read of it (crawler.coverage)
        self.coverage = Coverage(store.set("coverage"))
        # sitemaps and feeds: URLs fetched from them this crawl ([portal, url, source,
        # changed] as JSON, kept by the archive), those fetched in earlier crawls and not
        # archived (portal -> url -> changed), and the budgets spent per portal
        self.source_fetched = store.set("source_fetched")
        self.remembered: dict[str, dict[str, str | None]] = {}
        self.source_urls: Counter = Counter()
        self.source_files: Counter = Counter()
        self.explored = store.set("explored")  # lists explored in this crawl
        self.exploring: Counter = Counter()  # lists explored per portal (this process)
        self.explore_time: Counter = Counter()  # browser seconds spent exploring, per portal
        # stored list recipes: (portal, list URL) -> recipes (crawler.explore.recipes)
        self.recipes: dict[tuple[str, str], list] = {}
        # rows recipes learned in this crawl ([portal, list, recipe JSON]), list pages read over
        # HTTP whose rows no rule read yet ([portal, url, depth, row shapes, many rows]) and
        # those a rule read (their keys): read (or said unread) before the crawl ends
        self.row_rules = store.set("row_rules")
        self.rows_pending = store.set("rows_pending")
        self.rows_read = store.set("rows_read")

    # -- counting ---------------------------------------------------------------------

    def _count(self, portal: str, what: str, n: int = 1) -> None:
        key = stats.portal_key(portal, what)
        self.counts[key] += n
        if self.count is not None:
            self.count(key, n)

    def cap(self, portal: str, what: str) -> None:
        """A bound was reached: counted, and the portal's listing is no longer complete."""
        if what not in CAPS:
            raise ValueError(f"unknown cap {what!r} (known: {', '.join(CAPS)})")
        self.capped[portal].add(what)
        self._count(portal, what)

    def list_failed(self, portal: str) -> None:
        """A list page could not be read: the portal's listing is incomplete."""
        self.failed.add(portal)

    def incomplete_because(self, portal: str) -> str:
        """Why the portal's listing is incomplete ("" when it is complete): the caps hit, a
        list page that failed, lists that read less than they state (crawler.coverage)."""
        failed = ["list page failed"] if portal in self.failed else []
        incomplete = self.coverage.incomplete(portal)
        short = [entry for entry in incomplete if not entry.reasons]
        if short:
            failed.append(f"{len(short)} list(s) read short of what they state")
        reasons = sorted(self.capped[portal]) + failed
        if not reasons and incomplete:  # a list said unknown (its rows unread …)
            first = incomplete[0]
            reasons.append(f"{len(incomplete)} list(s) incomplete ({first.incomplete_because})")
        if not self.coverage.lists(portal) and not len(self.listed[portal]):
            reasons.append(NO_LIST)  # nothing listed: no notice has left a list
        return ", ".join(reasons)

    def listing_complete(self, portal: str) -> bool:
        """True when the crawl read (or listed from) some list of the portal, every list page
        was read, no cap cut a list short and no list read less than it states (or is
        unknown), so that a known notice no list linked has really left its lists."""
        return not self.incomplete_because(portal)

    # -- the archive's pages ----------------------------------------------------------

    def load_known(
        self,
        known: dict[str, dict],
        missing: Iterable[dict] = (),
        attachments: Iterable[str] = (),
    ) -> None:
        """The archive's pages of these portals, attachments never fetched, and the URLs
        of archived attachments (linked by notices, not lists)."""
        self.known = dict(known)
        self.missing_attachments = list(missing)
        self.attachments = set(attachments)

    def load_sources(self, remembered: dict[str, dict[str, str | None]]) -> None:
        """The URLs sitemaps and feeds listed that earlier crawls fetched and did not archive
        (portal -> url -> the lastmod they had): fetched again only when that changes."""
        self.remembered = {pid: dict(urls) for pid, urls in remembered.items()}

    def due(self, url: str) -> bool:
        """The revisit decision for a known page (unknown pages are always due)."""
        known = self.known.get(url)
        if known is None or self.full:
            return True
        return is_due(self.now, known["born"], known["last_fetched"], self.policy)

    # -- admitting requests -----------------------------------------------------------

    def key(self, url: str, render: bool) -> str:
        return ("render:" if render else "") + url_key(url)

    def admit(
        self,
        portal_id: str,
        url: str,
        role: str,
        depth: int,
        *,
        render: bool | None = None,
        force: bool = False,
        variant: str = "",
        label: str = "",
    ) -> Visit | Skip:
        """May `url` be requested in `role`? `force` ignores the revisit policy (a removal
        check). A URL requested as an item and later linked as a list is upgraded: its
        response is read as a list. `variant` names another way to fetch the same page (a
        click-through). A column's `label` ranks it: inspection columns are read first."""
        portal = self.portals[portal_id]
        if render is None:
            render = portal.render == "browser" and role in LIST_ROLES
        render = render and self.browser
        key = variant + self.key(url, render)
        refetch = force and key in self.not_due  # a removal check of a page not due
        known = self.known.get(url) if role in ITEM_ROLES else None
        skip = self._seen(key, role, refetch) or self._not_due(
            portal_id, key, role, known and not render and not force and not self.due(url)
        )
        skip = skip or self._bounded(portal_id, portal.max_pages)
        if skip is not None:
            return skip
        # one step: of two workers admitting the same URL at once, one wins
        if not self.seen.claim(key, role, replace=refetch):
            return Skip("seen")
        self.not_due.discard(key)
        self.scheduled[portal_id] += 1
        if render:
            self._count(portal_id, stats.RENDERED)
        priority = PRIORITY[role] + (column_rank(label, url) if role == COLUMN else 0)
        return Visit(url, portal_id, role, depth, render, priority, known)

    def _seen(self, key: str, role: str, refetch: bool) -> Skip | None:
        """Requested already: skipped (an item later linked as a list is upgraded)."""
        if key not in self.seen or refetch:
            return None
        if role in LIST_ROLES and self.seen[key] in ITEM_ROLES and key not in self.parsed:
            self.upgraded.add(key)
        return Skip("seen")

    def _not_due(self, portal_id: str, key: str, role: str, not_due: bool) -> Skip | None:
        """A known item the revisit policy does not want yet: noted as seen, counted."""
        if not not_due:
            return None
        self.seen[key] = role
        self.not_due.add(key)
        self._count(portal_id, stats.NOT_DUE)
        return Skip(stats.NOT_DUE)

    def _bounded(self, portal_id: str, max_pages: int) -> Skip | None:
        """The portal's page or time budget is spent: a cap."""
        if self.scheduled[portal_id] >= max_pages:
            self.cap(portal_id, stats.MAX_PAGES_REACHED)
            return Skip(stats.MAX_PAGES_REACHED)
        if self.out_of_time(portal_id):
            self.cap(portal_id, stats.TIME_BUDGET_REACHED)
            return Skip(stats.TIME_BUDGET_REACHED)
        return None

    def out_of_time(self, portal_id: str) -> bool:
        """True once a portal has had its time budget (its clock starts at its first request)."""
        started = self.started.setdefault(portal_id, self.clock())
        budget = self.budgets.portal_seconds
        return bool(budget) and self.clock() - started > budget

    def read(self, url: str, rendered: bool, role: str) -> str:
        """A response arrived (or failed): the role to read it in. A notice link that was
        later linked as a list too is read as a candidate: checked as a notice, followed as
        a list."""
        key = self.key(url, rendered)
        self.parsed.add(key)
        if role == NOTICE and key in self.upgraded:
            return CANDIDATE
        return role

    def list_page(self, portal_id: str, list_url: str) -> bool:
        """May one more page of the list at `list_url` be requested? Reaching the bound is a
        cap: the portal's listing is then incomplete."""
        key = list_key(list_url)
        if self.list_pages[key] >= self.budgets.list_pages:
            self.cap(portal_id, stats.LIST_PAGES_CAPPED)
            self.coverage.record(portal_id, list_name(list_url), reason=f"{CAP} (LIST_MAX_PAGES)")
            return False
        self.list_pages[key] += 1
        return True

    def start_api(self, portal_id: str, identity: tuple) -> bool:
        """True the first time a list API (URL and parameters) is met in this crawl."""
        return self.apis_started.claim(repr((portal_id, identity)))

    def api_page(self, portal_id: str, identity: tuple, page: int, own_max: int | None) -> bool:
        """May page `page` of a list API be requested? A cap when over the bound."""
        bound = min(self.budgets.api_pages, own_max or self.budgets.api_pages)
        if page > bound:
            self.cap(portal_id, stats.API_PAGES_CAPPED)
            reason = f"{CAP} (LIST_MAX_PAGES, or the API's max_pages)"
            self.coverage.record(portal_id, list_id(identity), kind=API, reason=reason)
            return False
        self.api_pages[(portal_id, identity)] = max(self.api_pages[(portal_id, identity)], page)
        return True

    def start_search(self, portal_id: str) -> bool:
        """True the first time a portal's site search is to be asked in this crawl."""
        return self.searched.claim(portal_id)

    def search_page(self, portal_id: str, page: int) -> bool:
        """May result page `page` of a search be requested? (Search finds notices lists
        miss; a bounded search leaves the listing as complete as the lists made it.)"""
        if page > self.budgets.search_pages:
            self._count(portal_id, stats.SEARCH_PAGES_CAPPED)
            return False
        return True

    def api_items(self, portal_id: str, identity: tuple, urls: list[str]) -> list[str]:
        """The items of an API page not seen on its earlier pages (none: the list ended)."""
        if (portal_id, identity) not in self.api_seen:
            self.api_seen[portal_id, identity] = self.store.set(
                f"api_seen:{portal_id}:{identity!r}"
            )
        seen = self.api_seen[portal_id, identity]
        return [url for url in dict.fromkeys(urls) if seen.claim(url)]

    # -- exploring lists in the browser ---------------------------------------------------

    def load_recipes(self, recipes: Iterable[tuple[str, str, Any]]) -> None:
        """The list recipes stored by earlier crawls: (portal, list URL, recipe)."""
        for portal_id, list_url, recipe in recipes:
            if portal_id in self.portals:
                self.recipes.setdefault((portal_id, url_key(list_url)), []).append(recipe)

    def stored_recipes(self, portal_id: str, list_url: str) -> list:
        """The stored recipes of a list, to replay once per crawl (then none)."""
        key = (portal_id, url_key(list_url))
        if key not in self.recipes or not self.explored.claim(f"replay:{key!r}"):
            return []
        return self.recipes[key]

    def explore(self, portal_id: str, list_url: str) -> bool:
        """May this list be explored in the browser? Once per crawl, within the portal's
        budgets (EXPLORE_MAX_LISTS, EXPLORE_PORTAL_SECONDS); a list the budget leaves
        unexplored makes the portal's listing incomplete."""
        if not self.explored.claim(f"explored:{url_key(list_url)}"):
            return False
        budgets = self.budgets
        if (
            self.exploring[portal_id] >= budgets.explore_lists
            or self.explore_time[portal_id] >= budgets.explore_seconds
        ):
            self.cap(portal_id, stats.LISTS_NOT_EXPLORED)
            reason = f"{CAP} (EXPLORE_MAX_LISTS, EXPLORE_PORTAL_SECONDS)"
            self.coverage.record(portal_id, list_name(list_url), reason=reason)
            return False
        self.exploring[portal_id] += 1
        return True

    def learn_rows(self, portal_id: str, recipe_json: str, list_url: str) -> None:
        """A rows recipe learned in this crawl: it reads the rows of its list's other pages
        (and, before the crawl ends, those of lists of the same template)."""
        self.row_rules.add(json.dumps([portal_id, list_name(list_url), recipe_json]))

    def learned_rows(self, portal_id: str) -> list[tuple[str, str]]:
        """(list, recipe JSON) of the rows recipes learned in this crawl for the portal."""
        rows = [json.loads(member) for member in self.row_rules]
        return [(name, recipe) for pid, name, recipe in rows if pid == portal_id]

    def rows_unread(self, portal_id: str, url: str, depth: int, shapes, many: bool) -> None:
        """A list page read over HTTP holds rows that are no links and no rule read yet."""
        member = [portal_id, url, depth, [list(s) for s in shapes], many]
        self.rows_pending.add(json.dumps(member))

    def rows_done(self, url: str) -> None:
        """A rule (or the browser) read the rows of this list page."""
        self.rows_read.add(url_key(url))

    def pending_rows(self) -> list[list]:
        """The list pages whose rows no rule read (once: each is claimed)."""
        out = []
        for member in sorted(self.rows_pending):
            row = json.loads(member)
            url = row[1]
            if url_key(url) not in self.rows_read and self.idle_done.claim(f"rows:{url}"):
                out.append(row)
        return out

    def explored_for(self, portal_id: str, seconds: float) -> None:
        """An exploration of the portal took this long in the browser."""
        self.explore_time[portal_id] += seconds

    # -- what lists say ---------------------------------------------------------------

    def list_item(self, portal_id: str, url: str, how: str = "static") -> None:
        """A list (or search, or API) linked this item: it is listed, and counted by how."""
        if self.listed[portal_id].claim(url):
            self.found[portal_id][how] += 1

    def unlisted_known(self, portal_id: str) -> list[str]:
        """Known live pages of a complete listing that no list linked in this crawl and that
        were not fetched yet: checked before the crawl ends, whatever their age (once)."""
        if not self.listing_complete(portal_id) or not self.idle_done.claim(portal_id):
            return []
        listed = set(self.listed[portal_id])
        return [
            url
            for url, page in self.known.items()
            if page["portal_id"] == portal_id
            and page.get("state", "live") == "live"
            and url not in listed
            and url not in self.attachments
            and (self.key(url, False) not in self.seen or self.key(url, False) in self.not_due)
        ]


def list_name(url: str) -> str:
    """A list as its coverage names it, whichever of its pages `url` is: its URL without
    page parameters, a default document or a numbered file name (`…/col/`, `…/col/index.html`,
    `…/col/index_3.html`, `…/col/page/3/` and `…/col/index.html?pageNum=2` are one list,
    `list.jsp?cid=12` and `list.jsp?cid=13` two)."""
    parts = urlsplit(url_key(url))
    query = [
        pair
        for pair in parts.query.split("&")
        if pair and not list_patterns.PAGE_PARAM_NAME.match(pair.partition("=")[0])
    ]
    path = list_patterns.PATH_PAGE.sub("/", parts.path)
    if query or path.endswith(list_patterns.SCRIPT_PAGE_SUFFIXES):
        return f"{parts.scheme}://{parts.netloc}{path}" + ("?" + "&".join(query) if query else "")
    return f"{parts.scheme}://{parts.netloc}{path.rsplit('/', 1)[0]}/"


def list_key(url: str) -> str:
    """One key for all pages of a list: the folder (…/tzgg/index_3.html) or the path without
    its page parameters (list.jsp?cid=12&page=3)."""
    parts = urlsplit(url_key(url))
    if parts.query or parts.path.endswith(list_patterns.SCRIPT_PAGE_SUFFIXES):
        query = "&".join(
            pair
            for pair in parts.query.split("&")
            if not list_patterns.PAGE_PARAM_NAME.match(pair.partition("=")[0])
        )
        return f"{parts.netloc}{parts.path}?{query}"
    return f"{parts.netloc}{list_patterns.PATH_PAGE.sub('/', parts.path).rsplit('/', 1)[0]}"
