"""Scrapy settings. Environment variables are read here and nowhere else.

Every change from Scrapy's defaults carries a comment saying why.
"""

import os

from crawler import __version__

BOT_NAME = "rectification-archive"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# -- our own settings -------------------------------------------------------------------
# The archive file (CLI: --db). Relative paths are relative to the working directory.
ARCHIVE_PATH = os.environ.get("ARCHIVE_PATH", "data/archive.db")
ARCHIVE_ENABLED = True
# A second crawl of the same archive is refused; True: wait for the first to finish instead.
ARCHIVE_WAIT = False
# Known notice pages are fetched again by age (days → days between visits): every run in their
# first 30 days, weekly until a year, monthly after. `-a full=1` revisits everything.
REVISIT_POLICY = {"30": 0, "365": 7, "*": 30}
# Two pages are copies of one notice when the Jaccard similarity of their texts' character
# shingles is at least this (0.5 to 1.0).
COPY_THRESHOLD = 0.7
# Worker processes that extract notice pages and compute their copy signatures, so the reactor
# never waits on CPU work (None: one per core; 0: extract in the crawl process).
EXTRACT_PROCESSES = None
# Seeds file or folder (spider argument: -a seeds=PATH).
SEEDS_PATH = os.environ.get("SEEDS_PATH", "seeds")
# Who runs this crawler: shown in the User-Agent so webmasters can reach you.
CRAWLER_CONTACT = os.environ.get("CRAWLER_CONTACT", "set CRAWLER_CONTACT to an e-mail or URL")

# -- health and alerts (docs/health.md, docs/alerts.md) ------------------------------------
# Apprise URLs the end of every run sends its message to (new, changed, gone and delisted
# notices, the portals whose health changed), separated by spaces; empty: no alerts.
NOTIFY_URLS = os.environ.get("NOTIFY_URLS", "")
# The address of the archive's web view (`python -m archive datasette`), which alerts link
# notices to (e.g. http://archive.example.org:8001); empty: they link the notices themselves.
WEB_BASE_URL = os.environ.get("WEB_BASE_URL", "")
# A portal whose lists linked no notice for this many runs, where they linked some before, is
# silent (a template changed, a list moved).
HEALTH_SILENT_RUNS = os.environ.get("HEALTH_SILENT_RUNS", "3")  # a number

# -- scale-out: workers on a shared Redis frontier, one archive writer -------------------
# redis://HOST:PORT/DB of the shared frontier; empty: a local crawl (one process, SQLite).
FRONTIER_URL = os.environ.get("FRONTIER_URL", "")
# A worker exits once the whole frontier (queue and every worker) has been idle this long.
FRONTIER_IDLE_CLOSE = 30
# A worker with no heartbeat for this many seconds is dead (killed): its entry is dropped.
FRONTIER_WORKER_TIMEOUT = 15

# -- browser rendering (scrapy-playwright with the system's Chromium) ------------------------
# Chromium to use; empty: auto-detect (Debian's /usr/lib/chromium/chromium first). Never
# downloaded at run time. Portals with render = "browser" render their lists in it; on the others
# (render = "auto") only the lists whose navigation needs scripts are read in it; everything
# else is plain HTTP.
BROWSER_EXECUTABLE = os.environ.get("BROWSER_EXECUTABLE", "")
# Off: never render; JavaScript-built lists are only reported in the summary.
BROWSER_ENABLED = True
# At most this many browser pages open at once, each navigation at most this many seconds.
BROWSER_MAX_PAGES = 2
BROWSER_TIMEOUT = 30
# Lists whose navigation needs scripts are explored in the browser as a visitor would
# (render = "auto", the default; crawler.explore): at most this many actions and seconds per
# list, this many lists and browser seconds per portal. A list the budget leaves unexplored,
# or an exploration cut short, makes the portal's listing incomplete.
EXPLORE_MAX_ACTIONS = 40
EXPLORE_LIST_SECONDS = 60
EXPLORE_MAX_LISTS = 30
EXPLORE_PORTAL_SECONDS = 600

# Our `crawl` command: clean errors and an exit status that tells a failed crawl apart.
COMMANDS_MODULE = "crawler.commands"

# -- bounds against crawler traps and hostile pages ----------------------------------------
# At most this many pages of one paginated list (endless calendars, lying page counts).
LIST_MAX_PAGES = 200
# Only the first this many links of a page are read (a page with 50,000 links).
PAGE_MAX_LINKS = 5000
# At most this many result pages of a portal's own search, per query term.
SEARCH_MAX_PAGES = 3
# The sources crawlers read (robots.txt Sitemap lines, /sitemap.xml, sitemap indexes, the
# feeds pages name): read on every crawl; their URLs go through the notice decision.
SOURCES_ENABLED = True
# At most this many URLs of a portal's sitemaps and feeds fetched to be judged per crawl
# (the rest is left for later crawls: the listing is then incomplete), at most this many
# sitemap files read per portal, each at most this large once unpacked.
SITEMAP_MAX_URLS = 1000
SITEMAP_MAX_FILES = 50
SITEMAP_MAX_BYTES = 50 * 1024 * 1024
# A sitemap URL fetched and not archived (not a notice) is fetched again when its lastmod
# changes, or after this many days.
SOURCES_RECHECK_DAYS = 30
# At most this many pages of one notice split over several pages (the rest is not joined).
ARTICLE_MAX_PAGES = 20
# Seconds a portal may take from its first request; after that it gets no new requests and its
# listing counts as incomplete (nothing of it is marked delisted). 0: no limit.
PORTAL_TIME_BUDGET = 3600
# The whole crawl's budget: a nightly crawl of many portals closes after 6 hours whatever its
# portals do, and a closed-early crawl marks nothing delisted (Scrapy's default 0: no limit).
CLOSESPIDER_TIMEOUT = 6 * 3600

# -- politeness: changed from Scrapy's defaults ------------------------------------------
# A descriptive User-Agent naming the project and a contact (default: "Scrapy/VERSION").
USER_AGENT = f"rectification-archive/{__version__} (+{CRAWLER_CONTACT})"
# Obey robots.txt (Scrapy's default is False).
ROBOTSTXT_OBEY = True
# Government servers are small: at most 2 parallel requests per domain (default 8).
CONCURRENT_REQUESTS_PER_DOMAIN = 2
# Adapt the delay to the server's latency (default off).
AUTOTHROTTLE_ENABLED = True
# Start gently but not glacially (default 5 s).
AUTOTHROTTLE_START_DELAY = 1.0
# Give up on a page after 30 s (default 180 s).
DOWNLOAD_TIMEOUT = 30
# Notice pages are small; refuse bodies over 20 MiB (default 1 GiB) and warn over 5 MiB.
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024
# No cookies: portals do not need them and they fingerprint the crawler (default on).
COOKIES_ENABLED = False

# -- components ---------------------------------------------------------------------------
DOWNLOADER_MIDDLEWARES = {
    # Before everything else, so that redirected requests are checked too.
    "crawler.middlewares.PortalScopeMiddleware": 50,
    # Scrapy's retries, with a pause that doubles between tries (replaces RetryMiddleware).
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.BackoffRetryMiddleware": 550,
}
# Seconds before the first retry of a 5xx, a timeout or a reset; doubled each time, at most MAX.
RETRY_BACKOFF_BASE = 1.0
RETRY_BACKOFF_MAX = 30.0
# Verify TLS certificates against the system's trust store (Scrapy's default accepts any).
# Old government sites with broken certificates: set TLS_ALLOW_INVALID = True to crawl them
# (the TlsPolicy add-on sets DOWNLOAD_VERIFY_CERTIFICATES from it).
TLS_ALLOW_INVALID = os.environ.get("TLS_ALLOW_INVALID", "").lower() in ("1", "true", "yes")
# SharedFrontier: with FRONTIER_URL set, a worker on the shared Redis frontier (below).
ADDONS = {"crawler.addons.TlsPolicy": 0, "crawler.addons.SharedFrontier": 10}
# Items a response yields are few (one notice, or none): Scrapy's default of 100 starts 100
# tasks per response to process them.
CONCURRENT_ITEMS = 8
ITEM_PIPELINES = {
    "crawler.pipelines.ArchivePipeline": 300,
}
EXTENSIONS = {
    "crawler.summary.CrawlSummary": 500,
    # one log line per failed download, no tracebacks (Scrapy logs some failures twice)
    "crawler.logs.OneLinePerFailure": 510,
}
# Scrapy's scheduler, discarding first the queue a killed crawl left in JOBDIR (see startup.py).
SCHEDULER = "crawler.startup.FreshJobScheduler"

# No Telnet console (default on): it listens on localhost and prints its password in the log.
TELNETCONSOLE_ENABLED = False
# No remote-control HTTP server either (default on): it runs code sent to its port.
REMOTE_CONTROL_ENABLED = False

# Log warnings and errors only (default DEBUG is too loud for nightly runs): the summary on
# stdout and the run in the archive are the report, and what needs attention is not buried in
# Scrapy's start-up banner and statistics. LOG_LEVEL=INFO shows each page's outcome too.
LOG_LEVEL = os.environ.get("LOG_LEVEL", "WARNING")
FEED_EXPORT_ENCODING = "utf-8"
