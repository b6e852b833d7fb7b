"""The one-screen summary printed at the end of a crawl, one row per portal."""

import sys

from scrapy import signals
from scrapy.crawler import Crawler

COLUMNS = [
    ("pages", "pages_seen"),
    ("notices", "notices"),
    ("files", "attachments"),
    ("new", "new"),
    ("changed", "changed"),
    ("unchanged", "unchanged"),
    ("chrome-only", "chrome-only"),
    ("gone", "gone"),
    ("blocked", "blocked"),
    ("errors", "errors"),
]


# Stats (under portal/ID/) that say a portal needs someone's attention.
PROBLEMS = ("unreachable", "errors", "blocked", "needs_browser", "listing_incomplete")


def has_problems(stats: dict, pid: str) -> bool:
    return any(stats.get(f"portal/{pid}/{what}") for what in PROBLEMS)


def render(stats: dict, portal_ids: list[str]) -> str:
    """The summary table for a finished crawl's stats, portals with problems first."""
    portal_ids = sorted(portal_ids, key=lambda pid: not has_problems(stats, pid))
    width = max([len(p) for p in portal_ids] + [6])
    header = "portal".ljust(width) + "".join(f"{name:>12}" for name, _ in COLUMNS)
    header += "   found by"
    lines = [header, "-" * len(header)]
    for pid in portal_ids:
        row = pid.ljust(width) + "".join(
            f"{stats.get(f'portal/{pid}/{key}', 0):>12}" for _, key in COLUMNS
        )
        row += "   " + (found_by(stats, pid) or "-")
        if stats.get(f"portal/{pid}/unreachable"):
            row += "   UNREACHABLE"
        lines.append(row)
    lines += notes(stats, portal_ids)
    run = stats.get("archive/run_id")
    if run is not None:
        lines.append(f"run #{run} archived in {stats.get('archive/path')}")
    return "\n".join(lines)


def found_by(stats: dict, pid: str) -> str:
    """How the portal's archived notices were found: "static link 2, list API 1"."""
    prefix = f"portal/{pid}/found/"
    counts = sorted(
        ((key.removeprefix(prefix), n) for key, n in stats.items() if key.startswith(prefix)),
        key=lambda pair: (-pair[1], pair[0]),
    )
    return ", ".join(f"{how} {n}" for how, n in counts)


def notes(stats: dict, portal_ids: list[str]) -> list[str]:
    """What a person should act on: portals that need a browser, a browser that failed."""
    out = []
    for pid in portal_ids:
        if stats.get(f"portal/{pid}/needs_browser"):
            url = stats.get(f"portal/{pid}/needs_browser_url")
            out.append(
                f'note: {pid} builds pages with JavaScript (e.g. {url}): set render = "browser" '
                "in its seed and install Chromium"
            )
    for pid in portal_ids:
        why = stats.get(f"portal/{pid}/listing_incomplete")
        if why and not stats.get(f"portal/{pid}/unreachable"):  # its row says UNREACHABLE
            out.append(
                f"note: {pid}: its lists were not all read ({why}); no notice of it was "
                "marked delisted"
            )
    if stats.get("browser/unavailable"):
        out.append(f"note: the browser could not start: {stats['browser/unavailable'][:200]}")
    return out


class CrawlSummary:
    """Prints the per-portal summary when the spider closes. Setting: CRAWL_SUMMARY_ENABLED."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "CrawlSummary":
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_closed(self, spider, reason: str) -> None:
        stats = self.crawler.stats.get_stats()
        if stats.get("crawl/startup_error"):
            return  # the crawl never started: the command prints why
        portals = list(getattr(spider, "portals", {}))
        ended = "interrupted" if reason == "shutdown" else "finished"
        print(f"\nCrawl {ended} ({reason})\n" + render(stats, portals), file=sys.stdout, flush=True)
