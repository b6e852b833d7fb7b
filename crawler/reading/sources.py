"""Reading the sources crawlers read: a portal's robots.txt (its `Sitemap:` lines, else the
conventional /sitemap.xml), its sitemaps and sitemap indexes, and the feeds its pages name.
Their URLs go through the notice decision (crawler.sources.admit); each sitemap and feed is a
list of the portal's coverage (what it holds, what was decided of it)."""

import json
from dataclasses import replace
from urllib.parse import urlsplit, urlunsplit

from notice.urls import canonical_url, in_scope

from .. import coverage, stats
from ..frontier import Frontier
from ..roles import CANDIDATE, LAST, SOURCE
from ..sources import FEED, INDEX, SourceError, decide, feed_links, notice_folders, parse
from ..sources import robots_sitemaps as sitemaps_named
from .page import Fetched
from .requests import request
from .result import READ_SOURCE, Reading

ROBOTS, SITEMAP = "robots", "sitemap"  # the kinds of sources (FEED: a feed)
GONE = (404, 410)
COVERAGE_KIND = {SITEMAP: coverage.SITEMAP, FEED: coverage.FEED}


def source_request(
    frontier: Frontier, portal_id: str, url: str, kind: str, *, guessed: bool = False
):
    """A request for a source (read by read_source; a failed one by source_unreachable)."""
    extra = {"source": kind, "guessed": guessed}
    if kind == ROBOTS:
        extra["dont_obey_robotstxt"] = True  # the robots middleware fetches its own
    return request(
        frontier, portal_id, url, SOURCE, 0, render=False, extra=extra, callback=READ_SOURCE
    )


def start_sources(frontier: Frontier, portal_id: str) -> list:
    """The robots.txt of each site a portal starts from (when SOURCES_ENABLED)."""
    if not frontier.sources:
        return []
    origins = dict.fromkeys(_origin(url) for url in frontier.portals[portal_id].start_urls)
    return [
        source_request(frontier, portal_id, origin + "/robots.txt", ROBOTS) for origin in origins
    ]


def page_feeds(frontier: Frontier, out: Reading, page: Fetched) -> None:
    """The feeds a list page names (`<link rel="alternate">`, feed links), requested."""
    if not frontier.sources:
        return
    portal = frontier.portals[page.portal]
    limit = frontier.budgets.links_per_page
    for url in feed_links(page.selector, page.url, portal.allowed_domains, limit):
        if out.emit(source_request(frontier, portal.id, url, FEED)):
            out.count(stats.FEEDS_FOUND)


def read_source(page: Fetched, frontier: Frontier) -> Reading:
    """A robots.txt, sitemap, sitemap index or feed: what it names is requested; garbage or
    a failure of a named source is one counted error (its portal's listing incomplete)."""
    out = Reading(page.portal)
    if page.role is None:
        page.role = frontier.read(page.url, False, SOURCE)
        out.count(stats.SOURCES_READ)
    if page.reached.source == ROBOTS:
        _robots(frontier, out, page)
        return out
    if page.status in GONE or (page.reached.guessed and page.status != 200):
        out.count(stats.SITEMAP_ABSENT if page.reached.guessed else stats.SOURCE_GONE)
        return out
    try:
        if page.status != 200:
            raise SourceError(f"HTTP {page.status}")
        source = parse(page.body, page.url, frontier.budgets.source_bytes)
    except SourceError as exc:
        if page.reached.guessed:  # a page where no sitemap is: the site has none
            out.count(stats.SITEMAP_ABSENT)
            return out
        source_failed(frontier, out, page.url, page.reached.source, str(exc))
        return out
    if source.kind == INDEX:
        _index(frontier, out, page, source)
    else:
        _entries(frontier, out, page, source)
    return out


def source_failed(frontier: Frontier, out: Reading, url: str, kind: str | None, detail: str):
    """A named sitemap or feed could not be read: counted, its coverage cut by an error, the
    portal's listing incomplete (its URLs may list notices no other list does)."""
    out.count(stats.ERRORS)
    out.count(stats.SOURCE_ERRORS)
    out.warn(f"portal {out.portal}: {kind or 'source'} {url}: {detail}")
    if kind == ROBOTS:
        return
    frontier.list_failed(out.portal)
    kind = COVERAGE_KIND.get(kind, coverage.SITEMAP)
    coverage.record(frontier, out.portal, url, kind=kind, reason=f"{coverage.ERROR}: {detail}")


def source_unreachable(frontier: Frontier, out: Reading, failed) -> None:
    """A source request that got no page to read (reading.Failed): a robots.txt that is
    missing (an HTTP error) leaves /sitemap.xml to try, one that got no answer at all leaves
    nothing (its site is down: the robots middleware and the start page say so); a sitemap or
    feed that is gone (404, 410) or was only guessed lists nothing; any other failure of a named
    one is an error."""
    reached = failed.reached
    if reached.source == ROBOTS:
        if failed.status is not None:
            guess = _origin(failed.url) + "/sitemap.xml"
            out.emit(source_request(frontier, out.portal, guess, SITEMAP, guessed=True))
    elif reached.guessed:
        out.count(stats.SITEMAP_ABSENT)
    elif failed.status in GONE:
        out.count(stats.SOURCE_GONE)
    else:
        source_failed(frontier, out, failed.url, reached.source, failed.detail)


def _origin(url: str) -> str:
    parts = urlsplit(canonical_url(url))
    return urlunsplit((parts.scheme, parts.netloc, "", "", ""))


def _robots(frontier: Frontier, out: Reading, page: Fetched) -> None:
    """The sitemaps robots.txt names (in the portal's domains), else /sitemap.xml."""
    domains = frontier.portals[page.portal].allowed_domains
    named = sitemaps_named(page.body, page.url) if page.status == 200 else []
    named = [canonical_url(url) for url in named if in_scope(url, domains)]
    for url in named:
        out.emit(source_request(frontier, page.portal, url, SITEMAP))
    if not named:
        guess = _origin(page.url) + "/sitemap.xml"
        out.emit(source_request(frontier, page.portal, guess, SITEMAP, guessed=True))


def _index(frontier: Frontier, out: Reading, page: Fetched, source) -> None:
    """A sitemap index: its sitemaps (newest first), within SITEMAP_MAX_FILES per portal."""
    portal = frontier.portals[page.portal]
    children = [e for e in source.entries if in_scope(e.url, portal.allowed_domains)]
    children.sort(key=lambda e: e.changed or "", reverse=True)
    read = source.stated - len(children)  # out of scope: decided
    for entry in children:
        if frontier.source_files[portal.id] >= frontier.budgets.source_files:
            frontier.cap(portal.id, stats.SOURCE_FILES_CAPPED)
            reason = f"{coverage.CAP} (SITEMAP_MAX_FILES)"
            coverage.record(
                frontier, portal.id, page.url, kind=coverage.SITEMAP_INDEX, reason=reason
            )
            break
        frontier.source_files[portal.id] += 1
        out.emit(source_request(frontier, portal.id, canonical_url(entry.url), SITEMAP))
        read += 1
    coverage.record(
        frontier,
        portal.id,
        page.url,
        kind=coverage.SITEMAP_INDEX,
        page=page.canonical,
        read=read,
        stated=source.stated,
    )


def _budget(frontier: Frontier, portal) -> int:
    """How many more URLs of sitemaps and feeds the portal may have fetched: what is left of
    SITEMAP_MAX_URLS, and never more than half of what is left of its `max_pages` (its lists
    keep room)."""
    left = frontier.budgets.source_urls - frontier.source_urls[portal.id]
    room = (portal.max_pages - frontier.scheduled[portal.id]) // 2
    return max(0, min(left, room))


def _entries(frontier: Frontier, out: Reading, page: Fetched, source) -> None:
    """A sitemap's URLs or a feed's items: the notice decision, the archive's pages it lists
    listed, the rest fetched within SITEMAP_MAX_URLS per portal."""
    portal = frontier.portals[page.portal]
    how = stats.FOUND_FEED if source.kind == FEED else stats.FOUND_SITEMAP
    kind = coverage.FEED if source.kind == FEED else coverage.SITEMAP
    own = {url: row for url, row in frontier.known.items() if row["portal_id"] == portal.id}
    decision = decide(
        source.entries,
        domains=portal.allowed_domains,
        known=own,
        remembered=frontier.remembered.get(portal.id, {}),
        folders=notice_folders(own),
        budget=_budget(frontier, portal),
    )
    out.count(stats.SOURCE_URLS, source.stated)
    for why, n in decision.skipped.items():
        out.count(stats.SOURCE_SKIPPED + why, n)
    for url in decision.listed:
        frontier.list_item(portal.id, url, how)
    for fetch in decision.fetch:
        frontier.list_item(portal.id, fetch.url, how)
        extra = {"label": fetch.label, "found_by": how}
        spec = request(
            frontier,
            portal.id,
            fetch.url,
            fetch.role,
            portal.max_depth,
            force=fetch.force,
            extra=extra,
        )
        if spec is not None and fetch.role == CANDIDATE:  # the lists' own pages come first
            spec = replace(spec, priority=LAST)
        if out.emit(spec):
            frontier.source_urls[portal.id] += 1
            out.count(stats.SOURCE_FETCHED)
            frontier.source_fetched.add(
                json.dumps([portal.id, fetch.url, page.canonical, fetch.changed])
            )
    if decision.capped:
        frontier.cap(portal.id, stats.SOURCE_URLS_CAPPED)
        reason = f"{coverage.CAP} (SITEMAP_MAX_URLS)"
        coverage.record(frontier, portal.id, page.canonical, kind=kind, reason=reason)
    coverage.record(
        frontier,
        portal.id,
        page.canonical,
        kind=kind,
        page=page.canonical,
        read=decision.read(source.stated),
        stated=source.stated,
    )
