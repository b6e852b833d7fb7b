"""Request specs for what the crawl policy admits: a page in a role, a list API's page, a
site search's result page, a notice's files, a page re-requested in the browser."""

from dataclasses import replace

from .. import coverage, list_api, stats
from ..blocking import BLOCK_STATUSES
from ..browser import INSTALL_HINT
from ..discovery import Link, ListApi
from ..frontier import Frontier, Skip, list_name
from ..lists.search import Search
from ..roles import API, ATTACHMENT, ITEM_ROLES, LIST_ROLES, PRIORITY, SEARCH
from .result import READ_API, READ_PAGE, Reading, RequestSpec

GONE_STATUSES = [404, 410]
REDIRECT_STATUSES = [301, 302, 303, 307, 308]


def request(
    frontier: Frontier,
    portal_id: str,
    url: str,
    role: str,
    depth: int,
    *,
    render: bool | None = None,
    extra: dict | None = None,
    force: bool = False,
    clicks: int = 0,
    label: str = "",
    variant: str = "",
    callback: str = READ_PAGE,
) -> RequestSpec | None:
    """A request for what the crawl policy admits, or None. `variant` names another request
    to the same URL (a form POST with another body); `clicks` clicks through the page's
    script pager in the browser."""
    portal = frontier.portals[portal_id]
    visit = frontier.admit(
        portal_id,
        url,
        role,
        depth,
        render=True if clicks else render,
        force=force,
        variant=("click:" if clicks else "") + variant,
        label=label,
    )
    if isinstance(visit, Skip):
        return None
    meta: dict = {"portal": portal_id, "role": role, "depth_in_portal": depth, **(extra or {})}
    if not portal.robots:  # the seed opts out, with a stated reason
        meta["dont_obey_robotstxt"] = True
    headers = {}
    # block and challenge pages come with these statuses: let them in to be recognised
    meta["handle_httpstatus_list"] = list(BLOCK_STATUSES)
    known = visit.known
    if role in ITEM_ROLES:
        # a removed notice is recorded as gone, a moved one as redirected (then followed),
        # an unchanged one answers 304 to the validators we kept
        meta["handle_httpstatus_list"] += [304, *GONE_STATUSES, *REDIRECT_STATUSES]
        meta["dont_redirect"] = True
        if known and known["etag"]:
            headers["If-None-Match"] = known["etag"]
        if known and known["last_modified"]:
            headers["If-Modified-Since"] = known["last_modified"]
    if visit.render:
        meta["clicks"] = clicks
    return RequestSpec(
        url,
        role,
        depth,
        meta,
        priority=visit.priority,
        render=visit.render,
        clicks=clicks if visit.render else 0,
        callback=callback,
        headers=headers,
    )


def api_request(frontier: Frontier, portal_id: str, api: ListApi, page: int) -> RequestSpec | None:
    """Page `page` of a list API, once per API and within its bound, or None."""
    identity = list_api.identity(api)
    if page == 1 and not frontier.start_api(portal_id, identity):
        return None
    if not frontier.api_page(portal_id, identity, page, api.max_pages):
        return None
    call = list_api.call(api, page)
    depth = frontier.portals[portal_id].max_depth
    meta = {"portal": portal_id, "role": API, "api": api, "api_page": page}
    return RequestSpec(
        call.url,
        API,
        depth,
        {**meta, "depth_in_portal": depth},
        priority=PRIORITY[API],
        callback=READ_API,
        formdata=call.formdata if call.method == "POST" else None,
        dont_filter=False,
    )


def search_request(
    frontier: Frontier, portal_id: str, site_search: Search, term: str, number: int
) -> RequestSpec | None:
    """Result page `number` of a search for `term`: a GET of its URL, or a form POST."""
    extra = {"search_page": number, "search_term": term}
    formdata = site_search.formdata(term, number)
    variant = f"post:{term}:{number}:" if formdata is not None else ""
    # a form POST's results are the server's page: fetched over plain HTTP, even on a
    # portal whose lists are rendered
    render = False if formdata is not None else None
    url = site_search.url(term, number)
    spec = request(frontier, portal_id, url, SEARCH, 0, render=render, extra=extra, variant=variant)
    if spec is None or formdata is None:
        return spec
    return RequestSpec(
        url,
        SEARCH,
        0,
        spec.meta,
        priority=spec.priority,
        formdata=formdata,
        encoding=site_search.encoding,
    )


def attachments(
    frontier: Frontier, out: Reading, portal_id: str, depth: int, files: list[Link], parent: str
) -> None:
    """Fetch the document files a notice links, to be versioned with it."""
    for link in files:
        extra = {"parent": parent, "label": link.label}
        spec = request(frontier, portal_id, link.url, ATTACHMENT, depth, render=False, extra=extra)
        if out.emit(spec):
            out.count(stats.ATTACHMENTS_REQUESTED, portal=portal_id)


def needs_browser(
    frontier: Frontier,
    out: Reading,
    portal_id: str,
    url: str,
    role: str,
    depth: int,
    what: str,
    extra: dict | None = None,
) -> None:
    """Re-request a page in the browser (a list, on a portal that explores: explored), or
    record that the portal needs one (no browser, or its seed says render = "http")."""
    portal = frontier.portals[portal_id]
    if not frontier.browser or portal.render == "http":
        needs_browser_reported(out, portal_id, url, what, off=frontier.browser)
        return
    if portal.render == "auto" and role in LIST_ROLES:
        explore(frontier, out, url, role, depth, what)
        return
    spec = request(frontier, portal_id, url, role, depth, render=True, extra=extra)
    if out.emit(spec):
        out.count(stats.AUTO_RENDERED, portal=portal_id)


def needs_browser_reported(
    out: Reading, portal_id: str, url: str, what: str, *, off: bool = False
) -> None:
    """A page the browser would read and will not: counted, its URL kept, a warning."""
    out.count(stats.NEEDS_BROWSER, portal=portal_id)
    out.set(stats.NEEDS_BROWSER_URL, url, portal=portal_id)
    why = (
        'its seed says render = "http"'
        if off
        else f'no browser is available; {INSTALL_HINT} (render = "auto" then reads it)'
    )
    out.warn(f"portal {portal_id}: {what} at {url} is built by JavaScript and {why}")


def explore(frontier: Frontier, out: Reading, url: str, role: str, depth: int, why: str) -> bool:
    """Explore a list in the browser (once per crawl, within the portal's budgets), or
    report that the portal needs a browser (its listing is then incomplete). True when the
    list is handled so (explored, reported, or left to the budget)."""
    portal_id = out.portal
    if not frontier.browser:
        needs_browser_reported(out, portal_id, url, why)
        frontier.cap(portal_id, stats.LISTS_NOT_EXPLORED)
        reason = f"{coverage.UNREACHABLE}: it needs the browser ({why})"
        coverage.record(frontier, portal_id, list_name(url), reason=reason)
        return True
    if not frontier.explore(portal_id, url):
        return True
    extra = {"explore": why}
    spec = request(
        frontier, portal_id, url, role, depth, render=True, variant="explore:", extra=extra
    )
    if out.emit(replace(spec, explore=True) if spec is not None else None):
        out.count(stats.EXPLORED)
    return True
