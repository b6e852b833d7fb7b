"""A notice split over several pages, read as one: from its first page, its further pages
are fetched in order (role PART, each carrying the pages read so far), then extracted and
joined (notice.extract.pages) into one item whose further pages the archive stores as
fetched. A later page reached on its own (a sitemap, a list linking page 2) leads to the
first; a detail page's own pager is never read as a list (a notice's links are not sorted)."""

from notice.urls import canonical_url

from .. import stats
from ..article import article_pages
from ..blocking import classify, visible_text
from ..frontier import Frontier
from ..items import PageItem
from ..roles import NOTICE, PART
from .failures import article_failed
from .notices import notice
from .page import Fetched
from .requests import request
from .result import READ_PART, Reading


def read_as_article(frontier: Frontier, out: Reading, page: Fetched) -> bool:
    """A notice page that names other pages of its article: its first page starts fetching
    the others (True), a later page asks for the first (True); else False (one page)."""
    named = article_pages(page.selector, page.url, frontier.budgets.links_per_page)
    if named is None:
        return False
    reached = page.reached
    if named.index > 0:
        out.count(stats.ARTICLE_CONTINUATIONS)
        extra = reached.carried()
        out.emit(request(frontier, page.portal, named.first, NOTICE, reached.depth, extra=extra))
        return True
    state = {
        "first": page.canonical,
        "depth": reached.depth,
        "carried": reached.carried(),
        "named": {str(i): url for i, url in named.named().items()},
        "got": [_part(page)],
    }
    # none requested (the bound is one page, or it was already asked for): the one page
    return _next(frontier, out, page, state)


def read_part(page: Fetched, frontier: Frontier) -> Reading:
    """A further page of a split notice: the next is requested, or, with all read, their
    extraction asked for (`reading.extract`) and, read again with it, the one item. A page
    that failed, or is a block or soft-404 page, makes the notice an error this crawl."""
    out = Reading(page.portal)
    if page.role is None:
        page.role = frontier.read(page.url, False, PART)
        out.count(stats.ARTICLE_PAGES)
    state = dict(page.reached.article)
    number = len(state["got"]) + 1
    verdict = classify(page.status, page.text, visible_text(page.selector))
    if page.status != 200 or verdict is not None:
        why = verdict.rule if verdict is not None else f"HTTP {page.status}"
        article_failed(out, state["first"], number, why, page.status)
        return out
    state["got"] = [*state["got"], _part(page)]
    named = article_pages(page.selector, page.url, frontier.budgets.links_per_page)
    if named is not None and named.first == state["first"]:
        state["named"] = {**{str(i): u for i, u in named.named().items()}, **state["named"]}
    if page.extraction is None:
        if not _next(frontier, out, page, state):
            _join(frontier, out, page, state)
        return out
    _joined(frontier, out, page, state)
    return out


def _part(page: Fetched) -> dict:
    return {
        "url": page.canonical,
        "status": page.status,
        "headers": page.headers,
        "body": page.body,
    }


def _next(frontier: Frontier, out: Reading, page: Fetched, state: dict) -> bool:
    """Request the next page named, within ARTICLE_MAX_PAGES (True when requested)."""
    following = len(state["got"])
    url = state["named"].get(str(following))
    if url is None:
        return False
    if following >= frontier.budgets.article_pages:
        out.count(stats.ARTICLE_PAGES_CAPPED)
        return False
    extra = {"article": state, **state["carried"]}
    spec = request(
        frontier,
        page.portal,
        canonical_url(url),
        PART,
        state["depth"],
        render=False,
        extra=extra,
        variant="part:",
        callback=READ_PART,
    )
    return out.emit(spec)


def _join(frontier: Frontier, out: Reading, page: Fetched, state: dict) -> None:
    """Ask for the extraction of all the pages read, the first page's in its place."""
    first, *parts = state["got"]
    out.extract = page.extract_spec(
        frontier.portals[page.portal].allowed_domains,
        body=first["body"],
        url=first["url"],
        headers=first["headers"],
        parts=tuple((p["body"], p["url"], p["headers"]) for p in parts),
    )


def _joined(frontier: Frontier, out: Reading, page: Fetched, state: dict) -> None:
    """The notice from all its pages' joined extraction: one item, its further pages kept."""
    first, *parts = state["got"]
    item = PageItem(first["url"], page.portal, first["status"], first["body"], first["headers"])
    item.found_by = state["carried"].get("found_by")
    item.parts = parts
    extracted = page.extracted
    if extracted is None:
        item.extract_error = getattr(page.extraction, "error", "not extracted")
        out.emit(item)
        return
    item.extraction, item.extracted = extracted.extraction, extracted
    out.count(stats.ARTICLES_JOINED)
    if extracted.notice_page:
        notice(frontier, out, page, item)
    else:
        out.emit(item)  # not a notice: the pipeline drops it, counted
