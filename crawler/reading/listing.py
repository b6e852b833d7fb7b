"""A page read as a list: its further pages, items, columns and frames; the APIs of a list a
script builds, or the browser; a rendered pager clicked through; the portal's own search."""

from dataclasses import replace
from urllib.parse import urljoin

from notice.urls import in_scope, url_key

from .. import coverage, stats
from ..discovery import anchors, js_list_loader
from ..frontier import Frontier, list_name
from ..list_patterns import LIST_MIN_ITEM_LINKS
from ..lists import Discovery, discover
from ..lists.clicks import has_script_pager
from ..lists.counts import stated_by_page
from ..lists.search import Search, find_form
from ..roles import COLUMN, FRAME, ITEM_ROLES, LAST, PAGE, SEARCH, START
from ..sources import is_article_url
from ..stats import FOUND_LIST_API, FOUND_PAGINATION, FOUND_RENDERED, FOUND_STATIC
from .page import Fetched, list_page
from .requests import api_request, needs_browser, request
from .result import Reading
from .search import search_results


def js_list(
    frontier: Frontier, out: Reading, page: Fetched, found: Discovery, *, browser: bool = True
) -> None:
    """A list built by script: read its APIs directly, or render it (unless `browser` is
    off: the explorer has it), or report it."""
    for api in found.apis:
        if out.emit(api_request(frontier, page.portal, api, 1)):
            out.count(stats.LIST_API_FOUND)
    if found.apis or page.rendered or not browser:
        return
    loader = found.needs_browser
    if loader is None and js_list_loader(page.selector) == "hanweb":
        loader = "hanweb list"  # a jpage whose parameters could not be read
    if loader is None or any(link.role in (*ITEM_ROLES, PAGE) for link in found.links):
        return
    reached = page.reached
    needs_browser(frontier, out, page.portal, page.url, reached.role, reached.depth, loader)


def clicked(frontier: Frontier, out: Reading, page: Fetched, found: Discovery) -> None:
    """The last resort for a pager of script buttons: click through it in the browser
    (once per list); a clicked response's states are read as list pages."""
    if page.reached.clicks:
        _clicked_states(frontier, out, page)
        return
    if found.apis or any(link.role == PAGE for link in found.links):
        return  # its pages are read over HTTP (an API, page links)
    portal = frontier.portals[page.portal]
    if not has_script_pager(page.listing(portal, frontier.budgets)):
        return
    reached = page.reached
    clicks = frontier.budgets.list_pages
    spec = request(frontier, portal.id, page.url, reached.role, reached.depth, clicks=clicks)
    if out.emit(spec):
        out.count(stats.CLICK_THROUGH)


def _clicked_states(frontier: Frontier, out: Reading, page: Fetched) -> None:
    """The states of a list clicked through: each read as a list page, for its items."""
    result = page.clicked
    if not result:
        return
    portal = frontier.portals[page.portal]
    states = result["states"]
    out.count(stats.CLICKED_PAGES, len(states))
    if result.get("mode") == "page numbers":
        out.count(stats.CLICKED_PAGE_NUMBERS, len(states))
    # the states are further pages of the list the page shows (its coverage is theirs)
    key = list_name(page.url)
    if result["capped"]:
        frontier.cap(portal.id, stats.LIST_PAGES_CAPPED)
        coverage.record(frontier, portal.id, key, reason=f"{coverage.CAP} (LIST_MAX_PAGES)")
    if result.get("error"):  # a click failed: the pages after it were never seen
        out.count(stats.ERRORS)
        frontier.list_failed(portal.id)
        out.warn(f"portal {portal.id}: click-through of {page.url} stopped: {result['error']}")
        reason = f"{coverage.ERROR}: a click failed ({result['error']})"
        coverage.record(frontier, portal.id, key, reason=reason)
    for number, state in enumerate(states, 2):
        shown = list_page(page.url, state, portal, frontier.budgets, True)
        found = discover(shown)
        stated = stated_by_page(shown, found.links)
        coverage.record(
            frontier,
            portal.id,
            key,
            page=f"{url_key(page.url)}#page{number}",
            stated=stated.items,
            stated_pages=stated.pages,
        )
        for link in found.links:
            if link.role in ITEM_ROLES:
                frontier.list_item(portal.id, link.url, FOUND_RENDERED)
                extra = {"label": link.label, "found_by": FOUND_RENDERED}
                depth = page.reached.depth + 1
                out.emit(request(frontier, portal.id, link.url, link.role, depth, extra=extra))


def note_search(frontier: Frontier, out: Reading, page: Fetched) -> None:
    """Note the portal's own search (the seed's `search`, or the form on its start page):
    it is asked when the lists are read (the idle step), so that lists find first."""
    portal = frontier.portals[page.portal]
    if portal.id in frontier.searches:
        return
    if portal.search:
        site_search = Search(portal.search)
    else:
        site_search = find_form(page.listing(portal, frontier.budgets), page.decoded.encoding)
    if site_search is not None:
        out.count(stats.SEARCH_FOUND)
        frontier.searches[portal.id] = site_search


def record_list(frontier: Frontier, page: Fetched, found: Discovery) -> None:
    """A page of a list read: what it states (共N条, 共N页, createPageHTML, its pager's last
    page number) and that it was read, in the crawl's coverage; a page that holds no items,
    pages or statement (a home page's navigation) is no list."""
    if page.reached.role == SEARCH:
        return
    portal = frontier.portals[page.portal]
    stated = stated_by_page(page.listing(portal, frontier.budgets), found.links)
    holds = any(link.role in (*ITEM_ROLES, PAGE) for link in found.links) or found.entries
    if not (stated or holds or page.reached.role == PAGE or _articles(frontier, page)):
        return
    coverage.record(
        frontier,
        page.portal,
        list_name(page.url),
        page=url_key(page.url),
        stated=stated.items,
        stated_pages=stated.pages,
    )


def _articles(frontier: Frontier, page: Fetched) -> bool:
    """True when the page links several pages shaped like articles (a column of news)."""
    domains = frontier.portals[page.portal].allowed_domains
    hrefs = anchors(page.selector, frontier.budgets.links_per_page, "/@href").getall()
    urls = {urljoin(page.url, href.strip()) for href in hrefs}
    shaped = [url for url in urls if in_scope(url, domains) and is_article_url(url)]
    return len(shaped) >= LIST_MIN_ITEM_LINKS


def follow(frontier: Frontier, out: Reading, page: Fetched, found: Discovery) -> None:
    """Requests for a list page's pages, items, columns and frames."""
    links = found.links
    pages = [link.url for link in links if link.role == PAGE]
    role = page.reached.role
    if role in (PAGE, SEARCH) and not (
        (found.entries and role == PAGE) or any(k.role in ITEM_ROLES for k in links)
    ):
        # a page past the end of its list (no notice and no article link, not merely a
        # page of other news in a mixed column): no more pagination from here
        pages = []
    if role == SEARCH:
        search_results(frontier, out, page, links, pages)
        return
    _pages(frontier, out, page, pages)
    _links(frontier, out, page, found)


def _pages(frontier: Frontier, out: Reading, page: Fetched, pages: list[str]) -> None:
    """The list's further pages, within LIST_MAX_PAGES per list."""
    own = frontier.key(page.url, False)
    for url in pages:
        key = frontier.key(url, False)
        if key == own or key in frontier.seen:
            continue
        if not frontier.list_page(page.portal, page.url):
            break
        extra = {"list": page.url}
        out.emit(request(frontier, page.portal, url, PAGE, page.reached.depth, extra=extra))


def _links(frontier: Frontier, out: Reading, page: Fetched, found: Discovery) -> None:
    """The list's items (listed: the portal's listing), its frames and its columns."""
    portal = frontier.portals[page.portal]
    depth = page.reached.depth
    for link in found.links:
        if link.role in ITEM_ROLES:
            how = how_found(found.via.get(link.url), page)
            frontier.list_item(portal.id, link.url, how)
            extra = {"label": link.label, "found_by": how}
            spec = request(frontier, portal.id, link.url, link.role, depth + 1, extra=extra)
            if spec is not None and link.wordless:  # a picture that names nothing: last
                spec = replace(spec, priority=LAST)
        elif link.role == FRAME:  # part of this page: same depth
            # a start page's frames are the start page (a frameset's header holds the
            # site search)
            extra = {"start_frame": True} if page.reached.role == START else None
            spec = request(frontier, portal.id, link.url, COLUMN, depth, extra=extra)
        elif link.role == COLUMN and depth < portal.max_depth:
            spec = request(frontier, portal.id, link.url, COLUMN, depth + 1, label=link.label)
        else:
            continue
        out.emit(spec)


def how_found(mechanism: str | None, page: Fetched) -> str:
    """How a list item was found, as the crawl summary says it: static link, pagination,
    list API, rendered, search."""
    if mechanism in ("hanweb", "script_api"):
        return FOUND_LIST_API
    if page.rendered:
        return FOUND_RENDERED
    if page.reached.role == PAGE:
        return FOUND_PAGINATION
    return FOUND_STATIC
