"""The crawl's own steps, apart from any page: its start requests, and before it ends the
portals' searches, the known notices no list linked, and which listings cannot be trusted."""

from collections.abc import Iterator

from notice.urls import canonical_url

from .. import stats
from ..discovery import Link
from ..frontier import Frontier
from ..roles import ATTACHMENT, NOTICE, START
from .requests import api_request, attachments, request
from .result import Reading
from .rows import rows_step
from .search import ask_searches
from .sources import start_sources


def start(frontier: Frontier) -> Iterator[Reading]:
    """The start requests, one reading each (the spider asks for them as it has room): the
    seeds' list APIs and start URLs, the robots.txt of their sites, the known notices
    (revisited by age even when no list links them any more), the attachments of archived
    notices never fetched (a crawl stopped in between)."""
    for portal in frontier.portals.values():
        for api in portal.list_apis:
            yield _one(api_request(frontier, portal.id, api, 1))
        for url in portal.start_urls:
            yield _one(request(frontier, portal.id, canonical_url(url), START, 0))
        for spec in start_sources(frontier, portal.id):  # robots.txt: its sitemaps
            yield _one(spec)
    for url, page in frontier.known.items():
        yield _one(request(frontier, page["portal_id"], url, NOTICE, 0))
    for missing in frontier.missing_attachments:
        out = Reading(missing["portal_id"])
        link = Link(missing["url"], missing["label"], ATTACHMENT)
        attachments(frontier, out, out.portal, 0, [link], missing["parent"])
        yield out


def _one(spec) -> Reading:
    out = Reading()
    out.emit(spec)
    return out


def idle_step(frontier: Frontier, step: str) -> Reading:
    """An idle step's requests: "rows" (list pages whose rows no rule read yet), "searches"
    (once the lists are read) or "unlisted" (the known notices no list linked, on portals
    whose listing was complete)."""
    if step == "rows":
        return rows_step(frontier)
    if step == "searches":
        return ask_searches(frontier)
    out = Reading()
    for portal_id in frontier.portals:
        for url in frontier.unlisted_known(portal_id):
            if out.emit(request(frontier, portal_id, url, NOTICE, 0, force=True)):
                out.count(stats.UNLISTED_CHECKED, portal=portal_id)
    return out


# Incomplete lists named in the crawl's stats per portal (all are in the archive's coverage).
LISTS_NAMED = 10


def ending(frontier: Frontier) -> Reading:
    """The crawl ends: say which portals' listings cannot be trusted, and why; how many of
    each portal's lists were read whole, and which were not (crawler.coverage)."""
    out = Reading()
    for portal_id in frontier.portals:
        why = frontier.incomplete_because(portal_id)
        if why:
            out.set(stats.LISTING_INCOMPLETE, why, portal=portal_id)
        lists = frontier.coverage.lists(portal_id)
        if not lists:
            continue
        short = [entry for entry in lists if not entry.complete]
        out.set(stats.LISTS, len(lists), portal=portal_id)
        out.set(stats.LISTS_INCOMPLETE, len(short), portal=portal_id)
        if short:
            named = [f"{e.kind} {e.list_url}: {e.incomplete_because}" for e in short]
            out.set(stats.INCOMPLETE_LISTS, named[:LISTS_NAMED], portal=portal_id)
    return out
