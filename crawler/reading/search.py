"""The portal's own search: its result pages (HTML or JSON) are lists whose notice-like links
are listed as found by search; the next result page is read within SEARCH_MAX_PAGES."""

import logging

from notice.judge import is_notice_title, might_be_notice_title
from notice.urls import canonical_url, in_scope

from .. import list_api, stats
from ..discovery import Link
from ..frontier import Frontier
from ..lists.search import terms
from ..roles import CANDIDATE, ITEM_ROLES, NOTICE, NOTICE_ROLES, SEARCH
from ..stats import FOUND_SEARCH
from .page import Fetched
from .requests import request, search_request
from .result import Reading


def search_results(
    frontier: Frontier, out: Reading, page: Fetched, links: list[Link], pages: list[str]
) -> None:
    """A search result page: its notice-like links are list links (found by search), its
    next result page is read within SEARCH_MAX_PAGES; its chrome is not followed."""
    reached = page.reached
    portal = frontier.portals[page.portal]
    number = reached.search_page
    site_search = frontier.searches.get(portal.id)
    term = reached.search_term
    if site_search is not None and site_search.pages_itself and term:
        # a POST search numbered by a form field: the next page is the next POST, while
        # a page still holds results
        more = any(link.role in ITEM_ROLES for link in links)
        if more and frontier.search_page(portal.id, number + 1):
            out.emit(search_request(frontier, portal.id, site_search, term, number + 1))
        pages = []
    for url in pages[:1]:
        if frontier.search_page(portal.id, number + 1):
            extra = {"search_page": number + 1, "search_term": term}
            out.emit(request(frontier, portal.id, url, SEARCH, reached.depth, extra=extra))
    for link in links:
        if link.role not in NOTICE_ROLES:
            continue
        frontier.list_item(portal.id, link.url, FOUND_SEARCH)
        extra = {"label": link.label, "found_by": FOUND_SEARCH}
        out.emit(request(frontier, portal.id, link.url, link.role, portal.max_depth, extra=extra))


def search_json(frontier: Frontier, out: Reading, page: Fetched) -> None:
    """A search endpoint answering JSON: its records are result links; garbage is a
    counted error of the portal."""
    try:
        hits = list_api.records(list_api.json_reply(page.text, page.url), page.url)
    except list_api.ListApiError as exc:
        out.count(stats.ERRORS)
        out.count(stats.SEARCH_ERRORS)
        out.log(logging.WARNING, f"portal {page.portal}: search: {exc}")
        return
    domains = frontier.portals[page.portal].allowed_domains
    links = []
    for url, title in hits:
        url = canonical_url(url)
        if in_scope(url, domains):
            role = NOTICE if is_notice_title(title) else CANDIDATE
            if role == NOTICE or might_be_notice_title(title):
                links.append(Link(url, title, role))
    search_results(frontier, out, page, links, [])


def ask_searches(frontier: Frontier) -> Reading:
    """The first result page of each portal's search for each notice term (once per crawl),
    once its lists are read."""
    out = Reading()
    for portal_id in frontier.portals:
        site_search = frontier.searches.get(portal_id)
        if site_search is None or not frontier.start_search(portal_id):
            continue
        for term in terms():
            if out.emit(search_request(frontier, portal_id, site_search, term, 1)):
                out.count(stats.SEARCH_QUERIES, portal=portal_id)
    return out
