"""The one-screen summary printed at the end of a crawl, one row per portal."""

import sys

from scrapy import signals
from scrapy.crawler import Crawler

from . import stats as keys
from .stats import portal_key

COLUMNS = [
    ("pages", keys.PAGES_SEEN),
    ("notices", keys.NOTICES),
    ("files", keys.ATTACHMENTS),
    ("new", "new"),
    ("changed", "changed"),
    ("unchanged", "unchanged"),
    ("chrome-only", "chrome-only"),
    ("gone", "gone"),
    ("blocked", keys.BLOCKED),
    ("errors", keys.ERRORS),
]


# Stats (under portal/ID/) that say a portal needs someone's attention.
PROBLEMS = (
    keys.UNREACHABLE,
    keys.BLOCKED_BY,
    keys.ERRORS,
    keys.BLOCKED,
    keys.NEEDS_BROWSER,
    keys.LISTING_INCOMPLETE,
    keys.LISTS_INCOMPLETE,
)


def has_problems(stats: dict, pid: str) -> bool:
    return any(stats.get(portal_key(pid, what)) for what in PROBLEMS)


def render(stats: dict, portal_ids: list[str]) -> str:
    """The summary table for a finished crawl's stats, portals with problems first."""
    portal_ids = sorted(portal_ids, key=lambda pid: not has_problems(stats, pid))
    width = max([len(p) for p in portal_ids] + [6])
    header = "portal".ljust(width) + "".join(f"{name:>12}" for name, _ in COLUMNS)
    header += f"{'lists read':>12}   found by"
    lines = [header, "-" * len(header)]
    for pid in portal_ids:
        row = pid.ljust(width) + "".join(
            f"{stats.get(portal_key(pid, key), 0):>12}" for _, key in COLUMNS
        )
        row += f"{lists_read(stats, pid):>12}"
        row += "   " + (found_by(stats, pid) or "-")
        row += _failed(stats, pid)
        lines.append(row)
    lines += notes(stats, portal_ids)
    lines += health_lines(stats.get(keys.HEALTH_CHANGES) or [])
    lines += alert_lines(stats.get(keys.NOTIFIED))
    run = stats.get(keys.ARCHIVE_RUN_ID)
    if run is not None:
        lines.append(f"run #{run} archived in {stats.get(keys.ARCHIVE_PATH)}")
    return "\n".join(lines)


def _failed(stats: dict, pid: str) -> str:
    """A portal that could not be read: BLOCKED by whom, or UNREACHABLE."""
    who = stats.get(portal_key(pid, keys.BLOCKED_BY))
    if who:
        return f"   BLOCKED ({who})"
    return "   UNREACHABLE" if stats.get(portal_key(pid, keys.UNREACHABLE)) else ""


def health_lines(changes: list[dict]) -> list[str]:
    """The portals whose health changed with this run (archive.health): one line each."""
    return [
        f"health: {c['portal']} {c['before'] or 'new'} -> {c['state']}"
        + (f" ({c['reason']})" if c.get("reason") else "")
        for c in changes
    ]


def alert_lines(notified: dict | None) -> list[str]:
    """What the run's alerts did: the destinations sent to, and those that failed."""
    if not notified:
        return []
    lines = [f"alerts: {n} message(s) sent to {to}" for to, n in notified["sent"].items()]
    lines += [
        f"alerts: NOT delivered to {to} ({why}); sent again after the next run"
        for to, why in notified["failed"].items()
    ]
    return lines or ["alerts: nothing to send"]


def lists_read(stats: dict, pid: str) -> str:
    """How many of the portal's lists were read whole, of how many: "3/4" (crawler.coverage)."""
    total = stats.get(portal_key(pid, keys.LISTS), 0)
    return f"{total - stats.get(portal_key(pid, keys.LISTS_INCOMPLETE), 0)}/{total}"


def found_by(stats: dict, pid: str) -> str:
    """How the portal's archived notices were found: "static link 2, list API 1"."""
    prefix = keys.found_prefix(pid)
    counts = sorted(
        ((key.removeprefix(prefix), n) for key, n in stats.items() if key.startswith(prefix)),
        key=lambda pair: (-pair[1], pair[0]),
    )
    return ", ".join(f"{how} {n}" for how, n in counts)


def notes(stats: dict, portal_ids: list[str]) -> list[str]:
    """What a person should act on: portals that need a browser, a browser that failed."""
    out = []
    for pid in portal_ids:
        if stats.get(portal_key(pid, keys.NEEDS_BROWSER)):
            url = stats.get(portal_key(pid, keys.NEEDS_BROWSER_URL))
            out.append(
                f"note: {pid} builds pages with JavaScript (e.g. {url}) that were not read: "
                'they need Chromium, and render = "auto" (the default) or "browser" in its seed'
            )
    for pid in portal_ids:
        if stats.get(portal_key(pid, keys.BLOCKED_PASSABLE)):
            out.append(
                f"note: {pid} answers a JavaScript cookie challenge, which a visitor's browser "
                'passes without any input: set render = "browser" in its seed to crawl it'
            )
    for pid in portal_ids:
        for entry in stats.get(portal_key(pid, keys.INCOMPLETE_LISTS)) or []:
            out.append(f"note: {pid}: incomplete list: {entry}")
        why = stats.get(portal_key(pid, keys.LISTING_INCOMPLETE))
        if why and not _failed(stats, pid):  # its row says BLOCKED or UNREACHABLE
            out.append(
                f"note: {pid}: its lists were not all read ({why}); no notice of it was "
                "marked delisted"
            )
    if stats.get(keys.BROWSER_UNAVAILABLE):
        out.append(f"note: the browser could not start: {stats[keys.BROWSER_UNAVAILABLE][:200]}")
    return out


class CrawlSummary:
    """Prints the per-portal summary when the spider closes. Setting: CRAWL_SUMMARY_ENABLED."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "CrawlSummary":
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        return ext

    def spider_opened(self, spider) -> None:
        """Listen for the spider's close only now, after the archive pipeline (made with the
        engine, after the extensions) has: signal handlers run in the order they were
        connected, so the run is closed, and the health it changed known, when this prints."""
        self.crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    def spider_closed(self, spider, reason: str) -> None:
        stats = self.crawler.stats.get_stats()
        if stats.get(keys.STARTUP_ERROR):
            return  # the crawl never started: the command prints why
        portals = list(getattr(spider, "portals", {}))
        ended = "interrupted" if reason == "shutdown" else "finished"
        print(f"\nCrawl {ended} ({reason})\n" + render(stats, portals), file=sys.stdout, flush=True)
