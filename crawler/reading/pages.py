"""Reading a fetched page: what its status says, a document file, a page that is no HTML,
a notice, a block page, or a list (whatever role reached it)."""

from urllib.parse import urljoin

from notice.documents import document_kind
from notice.extract import page_title
from notice.judge import is_notice_page, is_notice_title
from notice.urls import canonical_url, in_scope

from .. import coverage, stats
from ..article import article_pages
from ..blocking import classify, visible_text
from ..discovery import looks_like_list
from ..explore import needs
from ..frontier import Frontier, list_name
from ..items import AttachmentItem, GoneItem, NotModifiedItem, RedirectItem
from ..lists import Discovery, discover
from ..lists.observed import apis as observed_apis
from ..roles import COLUMN, FRAME, ITEM_ROLES, PAGE, SEARCH, START
from .article import read_as_article
from .explored import explore_list, read_exploration
from .failures import blocked, is_blocked
from .listing import clicked, follow, js_list, note_search, record_list
from .notices import is_shell_page, notice, read_item
from .page import Fetched
from .requests import GONE_STATUSES, REDIRECT_STATUSES, needs_browser, request
from .result import Reading
from .rows import read_rows
from .search import search_json
from .sources import page_feeds


def read_page(page: Fetched, frontier: Frontier) -> Reading:
    """Read a fetched page in the role the crawl policy gives it: the items to archive, the
    requests to make next, what to count. When the answer asks for an extraction
    (`reading.extract`), set `page.extraction` and read the page again: the second reading
    goes on where the first stopped (nothing is counted or requested twice)."""
    out = Reading(page.portal)
    if page.role is None:
        page.role = frontier.read(page.url, page.rendered, page.reached.role)
        out.count(stats.PAGES_SEEN)
    if not _read_by_type(frontier, out, page):
        _read_html(frontier, out, page)
    return out


def _read_by_type(frontier: Frontier, out: Reading, page: Fetched) -> bool:
    """A status that says it all (304, gone, moved), a document file, a search's JSON, a
    page that is no HTML: read here (True), else the page is HTML to read."""
    if page.status == 304:
        out.emit(NotModifiedItem(page.canonical, page.portal))
    elif page.status in GONE_STATUSES:
        out.emit(GoneItem(page.canonical, page.portal, page.status))
    elif page.status in REDIRECT_STATUSES:
        _redirect(frontier, out, page)
    elif document_kind(page.url, page.content_type) and page.role in ITEM_ROLES:
        out.emit(_attachment(page))
    elif page.role == SEARCH and "json" in page.content_type:
        search_json(frontier, out, page)
    elif "html" not in page.content_type and "xml" not in page.content_type:
        out.count(stats.NOT_HTML)
    else:
        return False
    return True


def _attachment(page: Fetched) -> AttachmentItem:
    reached = page.reached
    return AttachmentItem(
        page.canonical,
        page.portal,
        page.status,
        document_kind(page.url, page.content_type),
        page.body,
        page.headers,
        reached.parent,
        reached.label,
        reached.found_by,
    )


def _redirect(frontier: Frontier, out: Reading, page: Fetched) -> None:
    """A moved item: recorded as redirected, its target requested in the same role."""
    location = page.headers.get("Location", "")
    if not location:
        return
    target = canonical_url(urljoin(page.url, location))
    out.emit(RedirectItem(page.canonical, page.portal, target, page.status))
    if not in_scope(target, frontier.portals[page.portal].allowed_domains):
        out.count(stats.OUT_OF_SCOPE)
        return
    out.emit(request(frontier, page.portal, target, page.reached.role, page.reached.depth))


def _read_html(frontier: Frontier, out: Reading, page: Fetched) -> None:
    """An HTML page: a notice (decided by its extraction), a block page, an item, a list."""
    item_role = page.role in ITEM_ROLES
    if item_role and _read_as_notice(frontier, out, page):
        return
    # an item's extraction, made before reading: its text and title are the page's
    extraction = page.extracted.extraction if item_role and page.extracted else None
    verdict = _verdict(frontier, page, extraction)
    if is_blocked(page, verdict):
        blocked(frontier, out, page, page.role, verdict)
        return
    title = extraction.title if extraction else page_title(page.text)
    # a notice's links lead nowhere new
    found = _discovery(frontier, page, skip=item_role and is_notice_page(extraction))
    if _split_notice(frontier, out, page, title, found):
        return
    listish = _listish(page, found)
    wants_item = not listish and (item_role or is_notice_title(title))
    if wants_item and page.extraction is None:  # a list page titled like a notice
        out.extract = page.extract_spec(frontier.portals[page.portal].allowed_domains)
        return
    _counted(frontier, out, page, found)
    if item_role and listish:
        _item_as_list(frontier, out, page)
    if wants_item and read_item(frontier, out, page, title):
        return
    _read_list(frontier, out, page, found)


def _verdict(frontier: Frontier, page: Fetched, extraction):
    """What the page is if it is a block, challenge or soft-404 page (None: none); an item
    that is a shell is short until its script fills it, and is none of these."""
    text = extraction.text if extraction else visible_text(page.selector)
    verdict = classify(page.judged_status, page.text, text, page.headers)
    if page.role in ITEM_ROLES and verdict is not None and is_shell_page(frontier, page):
        return None
    return verdict


def _read_as_notice(frontier: Frontier, out: Reading, page: Fetched) -> bool:
    """An item is extracted before it is read (asked for here); a notice page is then read
    as a notice. True when the page was read (or its extraction asked)."""
    if page.extraction is None:
        out.extract = page.extract_spec(frontier.portals[page.portal].allowed_domains)
        return True
    if page.extracted is not None and page.extracted.notice_page:
        if not read_as_article(frontier, out, page):  # a notice over several pages: all
            notice(frontier, out, page, page.item())
        return True
    return False


def _split_notice(
    frontier: Frontier, out: Reading, page: Fetched, title: str | None, found: Discovery
) -> bool:
    """A page titled like a notice, no list of notices (not one notice link with little text
    of its own), whose article pager names its other pages (a first page too short to be a
    notice page on its own, a later page): read as one notice over several pages, its pager
    never read as a list. True when read (or its extraction asked for)."""
    if not is_notice_title(title) or looks_like_list(page.selector, found.links, min_items=1):
        return False
    limit = frontier.budgets.links_per_page
    if article_pages(page.selector, page.url, limit) is None:
        return False
    if page.extraction is None:
        out.extract = page.extract_spec(frontier.portals[page.portal].allowed_domains)
        return True
    if not read_as_article(frontier, out, page):  # its other pages not to be fetched
        read_item(frontier, out, page, title)
    return True


def _listish(page: Fetched, found: Discovery) -> bool:
    """A page is a list by what it holds, whatever role reached it."""
    return (
        looks_like_list(page.selector, found.links)
        or bool(found.apis or found.needs_browser)
        or any(link.role in (PAGE, FRAME) for link in found.links)
    )


def _item_as_list(frontier: Frontier, out: Reading, page: Fetched) -> None:
    """An item that is a list: counted; on a portal whose lists are rendered, rendered."""
    out.count(stats.ITEM_READ_AS_LIST)
    if frontier.portals[page.portal].render == "browser" and not page.rendered:
        needs_browser(frontier, out, page.portal, page.url, COLUMN, page.reached.depth, "list")


def _read_list(frontier: Frontier, out: Reading, page: Fetched, found: Discovery) -> None:
    explored = explore_list(frontier, out, page, found, lambda: read_rows(frontier, out, page))
    js_list(frontier, out, page, found, browser=not explored)
    if not (explored or page.rendered):
        _unread(frontier, page, found)
    if page.rendered and page.reached.explore:
        read_exploration(frontier, out, page)
    elif page.rendered:
        clicked(frontier, out, page, found)
    if page.role == START or page.reached.start_frame:
        note_search(frontier, out, page)
    page_feeds(frontier, out, page)
    if not page.reached.explore:  # an explored page shows the state its actions left
        record_list(frontier, page, found)
    follow(frontier, out, page, found)


def _unread(frontier: Frontier, page: Fetched, found: Discovery) -> None:
    """A list read over HTTP that a script fills and nothing read (no browser explored it,
    no rule read its rows): unknown in the crawl's coverage, never complete."""
    portal = frontier.portals[page.portal]
    why = needs.unread_list(page.listing(portal, frontier.budgets), found)
    if why:
        reason = f"{coverage.UNKNOWN}: {why}"
        coverage.record(frontier, page.portal, list_name(page.url), reason=reason)


def _discovery(frontier: Frontier, page: Fetched, *, skip: bool) -> Discovery:
    """What the list mechanisms find on the page (nothing when `skip`), with the APIs a
    rendered page fetched; made once per page."""
    if page.found is None:
        portal = frontier.portals[page.portal]
        found = Discovery() if skip else discover(page.listing(portal, frontier.budgets))
        if page.rendered:
            found.apis += observed_apis(page.observed, page.url, portal.allowed_domains)
        page.found = found
    return page.found


def _counted(frontier: Frontier, out: Reading, page: Fetched, found: Discovery) -> None:
    """What discovery met that the crawl counts: a page cut at PAGE_MAX_LINKS (a cap: the
    listing is then incomplete), links out of the portal."""
    if found.truncated:
        frontier.cap(page.portal, stats.LINKS_TRUNCATED)
        reason = f"{coverage.CAP} (PAGE_MAX_LINKS)"
        coverage.record(frontier, page.portal, list_name(page.url), reason=reason)
    if found.offsite:
        out.count(stats.OFFSITE_LINKS, found.offsite)
