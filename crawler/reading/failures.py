"""Pages that could not be read: a failed request, a block or challenge page, a list page
that failed (the portal's listing is then incomplete)."""

import logging
from dataclasses import dataclass

from notice.urls import canonical_url

from .. import coverage, stats
from ..blocking import BLOCK_STATUSES, Verdict
from ..browser import INSTALL_HINT
from ..frontier import Frontier, list_name
from ..items import BlockedItem, ErrorItem
from ..list_api import identity, list_id
from ..roles import API, ITEM_ROLES, PART, SEARCH, SOURCE, START
from .page import Fetched, Reached
from .result import Reading
from .sources import source_unreachable

# Messages of Playwright errors that mean the browser itself is unusable.
BROWSER_FATAL = (
    "Executable doesn't exist",
    "Failed to launch",
    "browser has been closed",
    "Browser closed",
    "error while loading shared libraries",
)
BROWSER_UNAVAILABLE = "browser_unavailable"  # the reason the crawl closes


@dataclass(frozen=True)
class Failed:
    """A request that got no response to read: its URL, how it was reached, the status of an
    HTTP error (else None), what went wrong, and whether the crawl's own policy refused it
    (robots.txt, the portal's scope)."""

    url: str
    reached: Reached
    detail: str
    status: int | None = None
    refused: bool = False


def read_failure(failed: Failed, frontier: Frontier) -> Reading:
    """A failed request: counted, an error item for an item, a failed list page for a list;
    a browser that cannot start stops the crawl."""
    reached = failed.reached
    out = Reading(reached.portal)
    frontier.read(failed.url, reached.rendered, reached.role)
    if failed.refused:  # policy, not a failure
        out.count(stats.NOT_ALLOWED)
        out.log(logging.INFO, f"not fetched {failed.url}: {failed.detail}")
        return out
    if reached.rendered and any(marker in failed.detail for marker in BROWSER_FATAL):
        out.values[stats.BROWSER_UNAVAILABLE] = failed.detail[:500]
        out.log(
            logging.CRITICAL, f"the browser cannot start: {failed.detail[:300]}; {INSTALL_HINT}"
        )
        out.close = BROWSER_UNAVAILABLE
        return out
    if reached.role == API and failed.status in (404, 410) and reached.api_page > 1:
        # a numbered data file past the last one (list_4.js of three): the list's end
        out.count(stats.API_END_MISSING)
        out.log(logging.INFO, f"list API ended: {failed.url} ({failed.detail})")
        return out
    if reached.role == SOURCE:
        source_unreachable(frontier, out, failed)
        return out
    if reached.role == PART:
        number = len(reached.article["got"]) + 1
        article_failed(out, reached.article["first"], number, failed.detail, failed.status)
        return out
    out.count(stats.ERRORS)
    if reached.role in ITEM_ROLES:
        out.emit(ErrorItem(canonical_url(failed.url), reached.portal, failed.detail, failed.status))
        return out
    if reached.role == API and reached.api is not None:
        list_url = list_id(identity(reached.api))
        reason = f"{coverage.ERROR}: {failed.detail}"
        coverage.record(frontier, reached.portal, list_url, kind=coverage.API, reason=reason)
    list_page_failed(frontier, out, reached.role, failed.url, failed.detail)
    return out


def article_failed(out: Reading, first: str, number: int, detail: str, status: int | None):
    """A further page of a split notice could not be read: the notice is recorded as an
    error (no version from part of its text)."""
    out.count(stats.ERRORS)
    out.count(stats.ARTICLE_ERRORS)
    out.emit(ErrorItem(first, out.portal, f"page {number} of the article: {detail}", status))


def list_page_failed(frontier: Frontier, out: Reading, role: str, url: str, detail: str) -> None:
    """A list page failed: this crawl cannot tell which notices left their lists."""
    portal_id = out.portal
    if role == SEARCH:  # a failed search leaves the lists as complete as they were
        out.count(stats.SEARCH_ERRORS)
        out.warn(f"portal {portal_id}: search failed: {url} ({detail})")
        return
    frontier.list_failed(portal_id)
    out.failures.append({"portal": portal_id, "url": url, "detail": detail})
    if role != API:  # an API's list is named by its parameters (reading.apis)
        coverage.record(frontier, portal_id, list_name(url), reason=f"{coverage.ERROR}: {detail}")
    if role == START:
        out.count(stats.UNREACHABLE)
        out.log(logging.ERROR, f"portal {portal_id} unreachable: {url} ({detail})")
    else:
        out.warn(f"portal {portal_id}: page failed: {url} ({detail})")


def blocked(
    frontier: Frontier, out: Reading, page: Fetched, role: str, verdict: Verdict | None
) -> None:
    """A challenge, block or soft-404 page: counted and recorded, never archived."""
    if verdict is None:  # a block status with no page we recognise: an error
        verdict = Verdict(f"HTTP {page.status}", "error", "")
    if verdict.kind == "error" and role in ITEM_ROLES:
        out.count(stats.ERRORS)
        out.emit(ErrorItem(page.canonical, page.portal, verdict.rule, page.status))
        return
    if verdict.kind != "error":
        if role != START:
            out.warn(f"portal {page.portal}: {verdict.describe()} page at {page.url}")
        out.emit(
            BlockedItem(
                page.canonical,
                page.portal,
                verdict.rule,
                verdict.kind,
                verdict.marker,
                page.status,
                role in ITEM_ROLES,
            )
        )
    if role == START and verdict.kind == "blocked":
        portal_blocked(frontier, out, page.url, verdict)
    elif role not in ITEM_ROLES:
        list_page_failed(frontier, out, role, page.url, verdict.describe())


def portal_blocked(frontier: Frontier, out: Reading, url: str, verdict: Verdict) -> None:
    """A start page answered with a challenge or block page: the portal is blocked, by the
    vendor the page names (never "unreachable": its host answered), and its listing is
    incomplete."""
    portal_id = out.portal
    frontier.list_failed(portal_id)
    out.failures.append({"portal": portal_id, "url": url, "detail": verdict.describe()})
    out.set(stats.BLOCKED_BY, verdict.label)
    if verdict.passable:
        out.set(stats.BLOCKED_PASSABLE, 1)
    advice = verdict.advice()
    out.log(
        logging.ERROR,
        f"portal {portal_id} {verdict.describe()} at {url}" + (f": {advice}" if advice else ""),
    )


def is_blocked(page: Fetched, verdict: Verdict | None) -> bool:
    """A page recognised as a block page, or one that came with a block status."""
    return verdict is not None or page.judged_status in BLOCK_STATUSES
