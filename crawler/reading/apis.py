"""Replies of the APIs a crawl reads without a browser: a list API's page (its items are
list links) and a shell's detail API (the article its script would build)."""

import logging

from notice.judge import is_notice_title, might_be_notice_title
from notice.urls import canonical_url, in_scope

from .. import coverage, list_api, stats
from ..frontier import Frontier
from ..lists.detail import article_from_reply
from ..roles import API, CANDIDATE, COLUMN, NOTICE
from ..stats import FOUND_LIST_API
from .failures import list_page_failed
from .notices import notice
from .page import Fetched
from .requests import api_request, needs_browser, request
from .result import Reading

# The page a detail API's article is extracted as.
ARTICLE_HEADERS = {"Content-Type": "text/html; charset=utf-8"}


def read_api(page: Fetched, frontier: Frontier) -> Reading:
    """A list API's page: its items are requested (listed, found by list API), then its next
    page while pages add items. Garbage is a counted error (the listing is then incomplete);
    an HTML page where data was expected sends the list to the browser, if there is one."""
    out = Reading(page.portal)
    api, number = page.reached.api, page.reached.api_page
    out.count(stats.API_PAGES)
    try:
        result = list_api.parse(api, page.text, number, page.url)
    except list_api.ListApiError as exc:
        _api_failed(frontier, out, page, exc)
        return out
    portal = frontier.portals[page.portal]
    identity = list_api.identity(api)
    if coverage.rows_without_urls([url for url, _ in result.items], api.base_url or page.url):
        list_url = list_api.list_id(identity)
        coverage.unknown(frontier, portal.id, list_url, coverage.NO_ARTICLE_URL, kind=coverage.API)
        return out
    new = frontier.api_items(portal.id, identity, [u for u, _ in result.items])
    coverage.record(
        frontier,
        portal.id,
        list_api.list_id(identity),
        kind=coverage.API,
        page=page.canonical,
        read=len(new),
        stated=result.stated.items,
        stated_pages=result.stated.pages,
    )
    for url, title in result.items:
        url = canonical_url(url)
        if not in_scope(url, portal.allowed_domains):
            out.count(stats.OFFSITE_LINKS)
            continue
        if is_notice_title(title):
            role = NOTICE
        elif might_be_notice_title(title) or not title:
            role = CANDIDATE
        else:
            continue
        frontier.list_item(portal.id, url, FOUND_LIST_API)
        extra = {"label": title, "found_by": FOUND_LIST_API}
        out.emit(request(frontier, portal.id, url, role, portal.max_depth, extra=extra))
    if result.has_more and new:  # a page that adds nothing ends the list
        out.emit(api_request(frontier, portal.id, api, number + 1))
    return out


def _api_failed(frontier: Frontier, out: Reading, page: Fetched, exc: list_api.ListApiError):
    api = page.reached.api
    if api.source == "observed" and page.reached.api_page == 1:
        # data the page fetched that is not a list (a config, a counter): not an error
        out.count(stats.OBSERVED_NOT_LIST)
        return
    depth = frontier.portals[page.portal].max_depth
    what = "list behind its API"
    if exc.html and api.base_url and frontier.browser:
        # an HTML page where JSON was expected (a WAF, a JavaScript check): the list is read
        # in the browser instead, which is no error
        out.count(stats.API_HTML_FALLBACK)
        out.log(logging.INFO, f"portal {page.portal}: list API: {exc}; rendering its list")
        needs_browser(frontier, out, page.portal, api.base_url, COLUMN, depth, what)
        return
    out.count(stats.ERRORS)
    out.count(stats.API_ERRORS)
    out.log(logging.WARNING, f"portal {page.portal}: list API: {exc}")
    if exc.html and api.base_url:  # no browser: reported as one needed
        out.count(stats.API_HTML_FALLBACK)
        needs_browser(frontier, out, page.portal, api.base_url, COLUMN, depth, what)
    list_url = list_api.list_id(list_api.identity(api))
    reason = f"{coverage.ERROR}: {exc}"
    coverage.record(frontier, page.portal, list_url, kind=coverage.API, reason=reason)
    list_page_failed(frontier, out, API, page.url, str(exc))


def read_detail_api(page: Fetched, frontier: Frontier) -> Reading:
    """A shell's detail API: the article its script would build, extracted as the shell's
    page (`reading.extract`, then read again). What is stored is what was fetched: the API's
    reply (its bytes and Content-Type), the version's metadata naming the API. Garbage is a
    counted error; an HTML page where JSON was expected sends the shell to the browser, if
    there is one."""
    out = Reading(page.portal)
    reached = page.reached
    if page.role is None:
        page.role = frontier.read(page.url, False, reached.role)
    try:
        if page.status != 200:
            raise list_api.ListApiError(f"{page.url}: HTTP {page.status}")
        article = article_from_reply(page.text, page.url)
    except list_api.ListApiError as exc:
        fallback = exc.html and frontier.browser  # rendered instead: no error
        if not fallback:
            out.count(stats.ERRORS)
            out.count(stats.DETAIL_API_ERRORS)
        level = logging.INFO if fallback else logging.WARNING
        out.log(level, f"portal {page.portal}: detail API of {reached.shell}: {exc}")
        if exc.html:
            out.count(stats.API_HTML_FALLBACK)
            carried = reached.carried()
            what = "script page"
            needs_browser(
                frontier, out, page.portal, reached.shell, NOTICE, reached.depth, what, carried
            )
        return out
    if page.extraction is None:
        out.count(stats.DETAIL_API_READ)
        domains = frontier.portals[page.portal].allowed_domains
        out.extract = page.extract_spec(
            domains, url=reached.shell, body=article.encode(), headers=ARTICLE_HEADERS
        )
        return out
    # the reply's own bytes and headers; its validators are the API's, not the shell's
    # (sent to the shell's URL on the next crawl they could answer 304 for the wrong page)
    headers = {k: v for k, v in page.headers.items() if k.lower() not in ("etag", "last-modified")}
    item = page.item(url=reached.shell, headers=headers)
    item.detail_api = page.url
    if item.extracted is not None and item.extracted.notice_page:
        notice(frontier, out, page, item)
        return out
    out.emit(item)  # not a notice: the pipeline drops it, counted
    return out
