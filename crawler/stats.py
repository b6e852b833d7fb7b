"""The crawl's stat keys, in one place.

A crawl counts what it did in Scrapy's stats; a run keeps them in the archive (`runs.stats`),
where the summary and `python -m archive run` read them. The keys are a stored format: change a
value here and older runs no longer read the same.

Per-portal stats are named `portal/<id>/<name>`: `portal_key(pid, PAGES_SEEN)`.
"""

PORTAL_PREFIX = "portal/"


def portal_key(portal_id: str, name: str) -> str:
    """A portal's stat: portal/<id>/<name>."""
    return f"{PORTAL_PREFIX}{portal_id}/{name}"


def found_key(portal_id: str, how: str) -> str:
    """Notices of a portal archived, by how discovery found them (static link, list API …)."""
    return portal_key(portal_id, f"found/{how}")


def found_prefix(portal_id: str) -> str:
    return portal_key(portal_id, "found/")


def dropped_key(portal_id: str, reason: str) -> str:
    """Pages of a portal not archived, by the reason (not_a_notice, parse_failed …)."""
    return portal_key(portal_id, f"dropped/{reason}")


def archive_key(outcome: str) -> str:
    """Pages written to the archive by outcome (new, changed, gone …), over all portals."""
    return f"archive/{outcome}"


# -- per portal (portal/<id>/<name>) -------------------------------------------------------
# responses
PAGES_SEEN = "pages_seen"
NOT_HTML = "not_html"
OFFSITE_LINKS = "offsite_links"
OUT_OF_SCOPE = "out_of_scope"  # a request or redirect outside the portal's domains
NOT_ALLOWED = "not_allowed"  # robots.txt or the scope middleware refused a request
ITEM_READ_AS_LIST = "item_read_as_list"
ATTACHMENTS_REQUESTED = "attachments_requested"
UNLISTED_CHECKED = "unlisted_checked"
# failures
ERRORS = "errors"
UNREACHABLE = "unreachable"
# a value: who answered a start page with a challenge or block page (crawler.blocking: a
# vendor, 加速乐, or a rule, captcha); the portal is blocked, not unreachable
BLOCKED_BY = "blocked_by"
BLOCKED_PASSABLE = "blocked_passable"  # 1: a JavaScript challenge a browser passes
API_ERRORS = "api_errors"
API_END_MISSING = "api_end_missing"
API_HTML_FALLBACK = "api_html_fallback"
OBSERVED_NOT_LIST = "observed_not_list"
SEARCH_ERRORS = "search_errors"
DETAIL_API_ERRORS = "detail_api_errors"
# lists built by script, the browser
LIST_API_FOUND = "list_api_found"
API_PAGES = "api_pages"
DETAIL_SHELLS = "detail_shells"
DETAIL_API_READ = "detail_api_read"
NEEDS_BROWSER = "needs_browser"
NEEDS_BROWSER_URL = "needs_browser_url"  # a value: the first page that needed it
AUTO_RENDERED = "auto_rendered"
RENDERED = "rendered"
CLICK_THROUGH = "click_through"
# lists explored as a visitor would (crawler.explore), their recipes
EXPLORED = "explored"  # lists explored in the browser
EXPLORE_ACTIONS = "explore_actions"
EXPLORE_CALLS = "explore_calls"  # data requests the explored pages made
EXPLORE_NAVIGATIONS = "explore_navigations"  # navigations held (recorded, not followed)
EXPLORE_MS = "explore_ms"  # browser time spent exploring, in milliseconds
EXPLORE_ERRORS = "explore_errors"
RECIPES_LEARNED = "recipes_learned"
RECIPES_STORED = "recipes_stored"  # written to the archive
RECIPES_LOADED = "recipes_loaded"  # read from the archive for this crawl
RECIPES_UNREADABLE = "recipes_unreadable"
RECIPES_REPLAYED = "recipes_replayed"  # stored recipes replayed over HTTP (no browser)
ROWS_BY_RULE = "rows_by_rule"  # list pages whose rows a rows rule of another page read
RECIPE_CALLS = "recipe_calls"
RECIPE_ERRORS = "recipe_errors"
RECIPES_FAILED = "recipes_failed"  # a replay that read nothing: the list is explored again
CLICKED_PAGES = "clicked_pages"
CLICKED_PAGE_NUMBERS = "clicked_page_numbers"
# the sources crawlers read: robots.txt, sitemaps, feeds (crawler/sources)
SOURCES_READ = "sources_read"  # robots.txt, sitemaps and feeds read
SOURCE_ERRORS = "source_errors"  # a named sitemap or feed that failed or is no sitemap
SITEMAP_ABSENT = "sitemap_absent"  # no sitemap at /sitemap.xml (none was named)
SOURCE_GONE = "source_gone"  # a named sitemap or feed answering 404/410: it lists nothing
SOURCE_URLS = "source_urls"  # URLs (sitemaps) and items (feeds) the sources listed
SOURCE_FETCHED = "source_fetched"  # of those, fetched to be judged
SOURCE_SKIPPED = "source_skipped/"  # + why (crawler.sources.admit): not fetched
FEEDS_FOUND = "feeds_found"
# articles split over several pages (crawler/article)
ARTICLE_PAGES = "article_pages"  # further pages fetched
ARTICLES_JOINED = "articles_joined"  # notices read from several pages
ARTICLE_PAGES_CAPPED = "article_pages_capped"  # ARTICLE_MAX_PAGES: the rest left unread
ARTICLE_CONTINUATIONS = "article_continuations"  # a later page reached as an item: its first
ARTICLE_ERRORS = "article_errors"  # a further page failed: the notice is an error this run
# site search
SEARCH_FOUND = "search_found"
SEARCH_QUERIES = "search_queries"
SEARCH_PAGES_CAPPED = "search_pages_capped"
# the crawl policy
NOT_DUE = "not_due"
# the template model (crawler.templates): pages that matched a mature template of the portal,
# pages that matched none (a redesign?), notices held until their template knows its chrome,
# pages the writer extracted again (the worker's snapshot of the model was older than its)
TEMPLATE_MATCHED = "template/matched"
TEMPLATE_UNMATCHED = "template/unmatched"
TEMPLATE_HELD = "template/held"
TEMPLATE_EXTRACTED_AGAIN = "template/extracted_again"
# a value set where the model was applied: 1 when this run's unmatched pages are at least its
# matched ones (its template changed), else 0; the health ledger reads it (archive.health)
TEMPLATE_CHANGED = "template_changed"
# caps that make a portal's listing incomplete
MAX_PAGES_REACHED = "max_pages_reached"
LIST_PAGES_CAPPED = "list_pages_capped"
API_PAGES_CAPPED = "api_pages_capped"
LINKS_TRUNCATED = "links_truncated"
TIME_BUDGET_REACHED = "time_budget_reached"
SOURCE_URLS_CAPPED = "source_urls_capped"  # SITEMAP_MAX_URLS: sitemap/feed URLs left unread
SOURCE_FILES_CAPPED = "source_files_capped"  # SITEMAP_MAX_FILES: sitemaps left unread
EXPLORE_CAPPED = "explore_capped"  # an exploration stopped at its actions or seconds
LISTS_NOT_EXPLORED = "lists_not_explored"  # lists that need the browser, not explored
LISTS_UNREAD = "lists_unread"  # lists explored whose rows the browser did not show
CAPS = (
    MAX_PAGES_REACHED,
    LIST_PAGES_CAPPED,
    API_PAGES_CAPPED,
    LINKS_TRUNCATED,
    TIME_BUDGET_REACHED,
    SOURCE_URLS_CAPPED,
    SOURCE_FILES_CAPPED,
    EXPLORE_CAPPED,
    LISTS_NOT_EXPLORED,
    LISTS_UNREAD,
)
# the end of a crawl: coverage (crawler.coverage)
LISTS = "lists"  # lists recorded
LISTS_INCOMPLETE = "lists_incomplete"  # of those, not read whole
INCOMPLETE_LISTS = "incomplete_lists"  # a value: the first of them, "kind url: why"
LISTING_INCOMPLETE = "listing_incomplete"  # a value: why (the caps hit, a list page failed)
LISTED = "listed"  # a value: how many notices the portal's lists linked
DELISTED = "delisted"
# the archive's outcomes, counted per portal too (see crawler.writer)
NOTICES = "notices"
ATTACHMENTS = "attachments"
BLOCKED = "blocked"
SOFT_GONE = "soft-gone"

# -- the whole crawl ------------------------------------------------------------------------
CRAWL_ERRORS = "crawl/errors"  # a value: the list pages that failed, {portal, url, detail}
MAX_ERRORS_KEPT = 200
STARTUP_ERROR = "crawl/startup_error"
# a value: the portals whose health changed with this run ({portal, before, state, reason})
HEALTH_CHANGES = "crawl/health_changes"
# a value: what the alerts of this run did ({sent, failed, messages})
NOTIFIED = "crawl/notified"
FRONTIER_ERROR = "crawl/frontier_error"
WORKERS_LOST = "crawl/workers_lost"
BROWSER_UNAVAILABLE = "browser/unavailable"
# a rendered request that failed because the crawl was stopping (a Ctrl-C reaches the browser)
BROWSER_CLOSED_WHILE_STOPPING = "browser/closed_while_stopping"
ARCHIVE_PATH = "archive/path"
ARCHIVE_RUN_ID = "archive/run_id"
FRONTIER_RUN = "frontier/run"
FRONTIER_WORKERS = "frontier/workers"
ITEMS_SENT = "frontier/items_sent"
BACKOFF_SECONDS = "retry/backoff_seconds"

# Prefixes of the stats a run keeps in the archive.
KEPT_PREFIXES = (
    PORTAL_PREFIX,
    "archive/",
    "downloader/response_status_count",
    "item_",
    "finish_",
    "elapsed",
    "log_count/",
    "retry/",
    "scope/",
    "robotstxt/",
    "crawl/",
    "browser/",
    "playwright/",  # scrapy-playwright's: whether (and how often) a browser started
)


def worth_keeping(key: str) -> bool:
    """The crawl stats a run keeps in the archive."""
    return key.startswith(KEPT_PREFIXES)


def keep_error(stats, record: dict) -> None:
    """Add a failed list page to `crawl/errors` (at most MAX_ERRORS_KEPT of them) in a
    stats collector (Scrapy's)."""
    errors = stats.get_value(CRAWL_ERRORS) or []
    if len(errors) < MAX_ERRORS_KEPT:
        stats.set_value(CRAWL_ERRORS, [*errors, record])


# How an archived notice was found (the crawl summary's "found by": found/<how>).
FOUND_STATIC = "static link"
FOUND_PAGINATION = "pagination"
FOUND_LIST_API = "list API"
FOUND_RENDERED = "rendered"
FOUND_SEARCH = "search"
FOUND_EXPLORED = "explored"  # seen while a list was explored in the browser
FOUND_RECIPE = "list recipe"  # read by a list recipe over plain HTTP
FOUND_REVISIT = "revisit"  # archived before, fetched again by age
FOUND_SITEMAP = "sitemap"
FOUND_FEED = "feed"
