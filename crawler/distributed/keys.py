"""The Redis keys of the shared frontier, the item queue and the recrawl state.

rectification:run                      the current run's key (absent: no crawl runs)
rectification:run:RUN:workers          worker id -> "busy|idle:UNIX-SECONDS" (heartbeats)
rectification:run:RUN:requests         the shared request queue (scrapy-redis, a zset)
rectification:run:RUN:f:NAME           the crawl policy's shared sets and hashes
rectification:run:RUN:phase            0 crawling, 1 rows read, 2 searches asked, 3 unlisted checked
rectification:run:RUN:lost             workers that vanished without leaving
rectification:items                    messages for the writer (LPUSH; it takes the oldest)
rectification:items:processing         messages the writer took and has not committed
rectification:items:rejected           messages the writer could not read (kept, not run)
rectification:state                    portal id -> JSON of its known pages, list recipes …
rectification:state:at                 when the writer last published the state
rectification:templates                portal id -> JSON of its template model's snapshot
"""

PREFIX = "rectification"
RUN = f"{PREFIX}:run"
ITEMS = f"{PREFIX}:items"
PROCESSING = f"{ITEMS}:processing"
REJECTED = f"{ITEMS}:rejected"
STATE = f"{PREFIX}:state"
STATE_AT = f"{STATE}:at"
TEMPLATES = f"{PREFIX}:templates"


def run_prefix(run: str) -> str:
    return f"{RUN}:{run}"


def workers(run: str) -> str:
    return f"{run_prefix(run)}:workers"


def requests(run: str) -> str:
    return f"{run_prefix(run)}:requests"


def frontier(run: str) -> str:
    return f"{run_prefix(run)}:f"


def phase(run: str) -> str:
    return f"{run_prefix(run)}:phase"


def lost(run: str) -> str:
    return f"{run_prefix(run)}:lost"


def searches(run: str) -> str:
    return f"{run_prefix(run)}:searches"
