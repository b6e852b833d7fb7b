"""A page read as a notice: the item (extracted in a worker), the files it links, or, for a
shell whose article a script fills, its detail API or the browser."""

from notice.judge import is_notice_title

from .. import stats
from ..discovery import Link, attachment_links
from ..frontier import Frontier
from ..items import PageItem
from ..lists.detail import detail_api, is_shell
from ..roles import CANDIDATE, NOTICE
from .failures import blocked, is_blocked
from .page import Fetched
from .requests import attachments, needs_browser, request
from .result import READ_DETAIL_API, Reading


def notice(frontier: Frontier, out: Reading, page: Fetched, item: PageItem) -> None:
    """A notice page, checked and read in a worker: the item, then its attachments."""
    extracted = item.extracted
    if is_blocked(page, extracted.verdict):
        blocked(frontier, out, page, page.reached.role, extracted.verdict)
        return
    item_and_files(frontier, out, page, item, extracted.attachments)


def item_and_files(
    frontier: Frontier, out: Reading, page: Fetched, item: PageItem, files: list[Link]
) -> None:
    """A notice (noting the files it links, for a later crawl), then requests for them."""
    item.attachments = [{"url": f.url, "label": f.label} for f in files]
    out.emit(item)
    attachments(frontier, out, page.portal, page.reached.depth, files, item.url)


def read_item(frontier: Frontier, out: Reading, page: Fetched, title: str) -> bool:
    """A page that is no list, reached as an item or titled like a notice: the item and its
    files. True when nothing more is to be read from it."""
    portal = frontier.portals[page.portal]
    item = page.item()
    if is_shell_page(frontier, page):
        # a shell filled by script: read the detail API it names (unless the portal
        # renders), else render it if we can
        out.count(stats.DETAIL_SHELLS)
        api_url = detail_api(page.listing(portal, frontier.budgets))
        if api_url and not (portal.render == "browser" and frontier.browser):
            extra = {"shell": page.canonical, "found_by": page.reached.found_by}
            depth = page.reached.depth
            out.emit(
                request(
                    frontier,
                    portal.id,
                    api_url,
                    CANDIDATE,
                    depth,
                    render=False,
                    extra=extra,
                    callback=READ_DETAIL_API,
                )
            )
            return True
        carried = page.reached.carried()
        depth = page.reached.depth
        needs_browser(frontier, out, portal.id, page.url, page.role, depth, "script page", carried)
        if frontier.browser:
            return True
    files = []
    if is_notice_title(title):
        files = attachment_links(page.selector, page.url, portal.allowed_domains)
    item_and_files(frontier, out, page, item, files)
    return is_notice_title(title) or page.role == NOTICE


def is_shell_page(frontier: Frontier, page: Fetched) -> bool:
    """An article page read over HTTP whose title and body a script fills (by its
    structure: lists.detail.is_shell)."""
    extraction = page.extracted.extraction if page.extracted else None
    if page.rendered or extraction is None:
        return False
    portal = frontier.portals[page.portal]
    return is_shell(page.listing(portal, frontier.budgets), extraction.text)
