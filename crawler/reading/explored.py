"""Lists a visitor's browser reads (crawler.explore): a list page that needs it is explored
(or, when the archive holds its recipes, they are replayed over plain HTTP); an explored page's
record gives its items, the pages its controls led to and its recipes; a recipe's replies give
items and the next call of their series."""

import re
from urllib.parse import urlsplit

from notice.judge import is_notice_title, might_be_notice_title
from notice.urls import canonical_url, in_scope, url_key

from .. import coverage, stats
from ..discovery import link_role
from ..explore import infer, needs, recipes, replies
from ..frontier import Frontier, list_name
from ..items import RecipeItem
from ..lists import Discovery, discover
from ..lists.counts import Stated, stated_by_page, stated_by_reply
from ..roles import API, CANDIDATE, COLUMN, ITEM_ROLES, NOTICE, PRIORITY
from ..stats import FOUND_EXPLORED, FOUND_RECIPE
from .page import Fetched, list_page
from .requests import explore, request
from .result import READ_RECIPE, Reading, RequestSpec

AUTO = "auto"


def explore_list(
    frontier: Frontier, out: Reading, page: Fetched, found: Discovery, rows=lambda: False
) -> bool:
    """A list page read over HTTP whose navigation needs scripts (crawler.explore.needs):
    its stored recipes are replayed over plain HTTP, else its rows that are no links are read
    by a rule of its list (`rows()`, crawler.reading.rows: on any page read over HTTP), else
    it is explored in the browser, else reported. True when one of these was done."""
    portal = frontier.portals[page.portal]
    if page.rendered:
        return False
    reason = None
    if portal.render == AUTO:
        reason = needs.explore_reason(page.listing(portal, frontier.budgets), found)
    stored = frontier.stored_recipes(portal.id, page.canonical) if reason else []
    if stored:
        out.count(stats.RECIPES_REPLAYED, len(stored))
        replay(frontier, out, page.canonical, stored, page.text, page.reached.depth, stored=True)
        return True
    if rows() and reason in (None, needs.ROWS):
        return reason is not None
    if reason is None:
        return False
    return explore(frontier, out, page.url, page.reached.role, page.reached.depth, reason)


def read_exploration(frontier: Frontier, out: Reading, page: Fetched) -> None:
    """An explored list: what its actions showed (links, pages navigated to), its recipes
    (stored, and replayed now over HTTP); a browser failure leaves the listing incomplete."""
    record = page.explored
    portal_id = page.portal
    if record is None:
        out.count(stats.EXPLORE_ERRORS)
        frontier.list_failed(portal_id)
        out.warn(f"portal {portal_id}: exploring {page.url} gave no record")
        reason = f"{coverage.ERROR}: exploring it gave no record"
        coverage.record(frontier, portal_id, list_name(page.url), reason=reason)
        return
    list_url = canonical_url(page.url.split("#")[0])
    _count_exploration(frontier, out, record)
    if record.get("error"):
        out.count(stats.EXPLORE_ERRORS)
        frontier.list_failed(portal_id)
        out.warn(f"portal {portal_id}: exploring {page.url} stopped: {record['error']}")
        reason = f"{coverage.ERROR}: exploring it stopped ({record['error']})"
        coverage.record(frontier, portal_id, list_name(list_url), reason=reason)
    if record.get("capped"):
        frontier.cap(portal_id, stats.EXPLORE_CAPPED)
        reason = f"{coverage.CAP} (EXPLORE_MAX_ACTIONS, EXPLORE_LIST_SECONDS)"
        coverage.record(frontier, portal_id, list_name(list_url), reason=reason)
    depth = page.reached.depth
    seen = infer.link_items(record) + infer.navigation_items(record, list_url)
    for url, label in seen:
        role = link_role(label, url, list_url)
        if role in ITEM_ROLES:
            list_item(frontier, out, url, label, role, depth + 1, FOUND_EXPLORED)
    learned = infer.infer(record, list_url)
    unread = "" if learned else _unread(record, list_url, portal_id, frontier)
    if unread:  # rows the browser did not show are no empty list: said so, explored again
        out.warn(f"portal {portal_id}: exploring {page.url} read no rows: {unread}")
        coverage.unknown(frontier, portal_id, list_name(list_url), unread)
    elif not learned and not record.get("error") and not record.get("capped"):
        # nothing to replay: noted, so that the next crawls do not explore the list again
        learned = [recipes.Recipe(list_url, recipes.NOTHING, learned="nothing to replay")]
    for recipe in learned:
        out.count(stats.RECIPES_LEARNED)
        out.emit(RecipeItem(portal_id, list_url, recipe.key, recipes.to_json(recipe)))
    replay(frontier, out, list_url, learned, record.get("document", ""), depth, stored=False)


def _unread(record: dict, list_url: str, portal_id: str, frontier: Frontier) -> str:
    """Why an exploration that learned no recipe did not read the list's rows ("" when it
    may have): the page's data requests were refused (a token the explorer did not get), or
    the browser showed no link off the page (an app that drew nothing)."""
    refused = [c for c in record.get("calls", []) if not 200 <= int(c.get("status") or 0) < 400]
    if refused:
        first = refused[0]
        path = urlsplit(first["url"]).path
        return (
            f"{len(refused)} of its data requests failed "
            f"(HTTP {first.get('status') or 'error'} {first['method']} {path})"
        )
    domains = frontier.portals[portal_id].allowed_domains
    off_page = {
        canonical_url(link["url"])
        for link in record.get("links", [])
        if in_scope(link["url"], domains) and not infer.same_page(link["url"], list_url)
    }
    return "" if off_page else "the browser showed no link off the page"


def _count_exploration(frontier: Frontier, out: Reading, record: dict) -> None:
    seconds = float(record.get("seconds") or 0)
    frontier.explored_for(out.portal, seconds)
    out.count(stats.EXPLORE_MS, round(seconds * 1000))
    out.count(stats.EXPLORE_ACTIONS, len(record.get("actions", [])))
    out.count(stats.EXPLORE_CALLS, len(record.get("calls", [])))
    out.count(stats.EXPLORE_NAVIGATIONS, len(record.get("navigations", [])))


def list_item(
    frontier: Frontier, out: Reading, url: str, label: str, role: str | None, depth: int, how: str
) -> None:
    """A list item that may be a notice (`role`): listed and requested."""
    if role not in ITEM_ROLES:
        return
    portal = frontier.portals[out.portal]
    url = canonical_url(url)
    if not in_scope(url, portal.allowed_domains):
        out.count(stats.OFFSITE_LINKS)
        return
    frontier.list_item(portal.id, url, how)
    extra = {"label": label, "found_by": how}
    out.emit(request(frontier, portal.id, url, role, depth, extra=extra))


# -- replaying recipes ---------------------------------------------------------------------


def replay(
    frontier: Frontier,
    out: Reading,
    list_url: str,
    found: list,
    document: str,
    depth: int,
    *,
    stored: bool,
) -> None:
    """Read a list's recipes over plain HTTP: a rows or inline recipe from the list page
    itself, the others by the first call of each of their series."""
    for recipe in found:
        if recipe.reply == recipes.NOTHING:
            continue
        if recipe.browser:
            _browser_only(frontier, out, recipe, depth, stored=stored)
            continue
        if recipe.reply in recipes.OWN_PAGE:
            items = recipes.items(recipe, document, list_url)
            if items:  # the page's rows read; a rows rule reads its list's other pages
                frontier.rows_done(list_url)
            if recipe.reply == "rows" and not stored:
                frontier.learn_rows(out.portal, recipes.to_json(recipe), list_url)
            for url, label in items:
                list_item(frontier, out, url, label, title_role(label), depth + 1, FOUND_RECIPE)
            if stored:
                out.emit(_outcome(out.portal, recipe, len(items)))
            continue
        for index, state in enumerate(recipes.starts(recipe, document)):
            state = {**state, "series": index, "stored": stored}
            out.emit(recipe_request(frontier, out.portal, recipe, state))


def _browser_only(frontier: Frontier, out: Reading, recipe, depth: int, *, stored: bool) -> None:
    """A recipe that cannot be replayed over HTTP (it says why): a stored one sends its list
    to the browser (or, with none, leaves it unread); a fresh one's list was read only as
    far as the explorer's actions went."""
    why = f"its recipe cannot replay over HTTP: {recipe.browser}"
    if stored:
        explore(frontier, out, recipe.list_url, COLUMN, depth, why)
        return
    reason = f"read only as far as the browser went ({why})"
    coverage.unknown(frontier, out.portal, list_name(recipe.list_url), reason)


def _outcome(portal_id: str, recipe, items: int) -> RecipeItem:
    return RecipeItem(portal_id, recipe.list_url, recipe.key, recipes.to_json(recipe), items)


def _series_name(recipe, state: dict) -> str:
    """The list a series reads: the list page's URL, with the choices of the series (a tab,
    a year) when it has some."""
    choices = [
        f"{k.split(':', 1)[1]}={v}"
        for k, v in sorted(state["values"].items())
        if k in _choice_keys(recipe)
    ]
    return f"{recipe.list_url} [{', '.join(choices)}]" if choices else recipe.list_url


def _identity(recipe, state: dict) -> tuple:
    """A series as the crawl policy names it (its items seen, its pages counted; in the
    coverage, list_api.list_id: the series' name)."""
    return (f"recipe:{recipe.key}", _series_name(recipe, state), ())


def _choice_keys(recipe) -> set[str]:
    return {s.key for s in recipe.slots if s.rule == "choice"}


def recipe_request(frontier: Frontier, portal_id: str, recipe, state: dict) -> RequestSpec | None:
    """The next call of a recipe's series, within LIST_MAX_PAGES per series (a cap)."""
    number = state["step"] + 1
    identity = _identity(recipe, state)
    if state["session"] and not frontier.api_page(portal_id, identity, number, None):
        return None
    call = recipes.call(recipe, state)
    portal = frontier.portals[portal_id]
    meta = {
        "portal": portal_id,
        "role": API,
        "depth_in_portal": portal.max_depth,
        "recipe": recipe,
        "series": state,
        "handle_httpstatus_all": True,
    }
    if not portal.robots:
        meta["dont_obey_robotstxt"] = True
    return RequestSpec(
        call.url,
        API,
        portal.max_depth,
        meta,
        priority=PRIORITY[API],
        callback=READ_RECIPE,
        headers=dict(call.headers),
        method=call.method,
        body=call.body or None,
    )


def read_recipe(page: Fetched, frontier: Frontier) -> Reading:
    """A reply to a recipe's call: its items (listed, found by list recipe), then the next
    call of its series while replies add items. The first reply of a recipe's first series
    is its health: a stored recipe that answers no list there failed (the list is explored
    again, if a browser can)."""
    out = Reading(page.portal)
    recipe, state = page.reached.recipe, page.reached.series
    out.count(stats.RECIPE_CALLS)
    if not state["session"]:  # the session call (a guest login) answered
        after = recipes.after_session(recipe, state, page.text) if page.status == 200 else None
        if after is None:
            _failed(frontier, out, page, "its session call gave no token")
            return out
        out.emit(recipe_request(frontier, page.portal, recipe, after))
        return out
    if page.status != 200:
        _failed(frontier, out, page, f"HTTP {page.status}")
        return out
    found = _reply_items(frontier, page, recipe)
    if coverage.rows_without_urls([url for url, _, _ in found], recipe.list_url):
        _no_urls(frontier, out, page, _series_name(recipe, state))
        return out
    new = frontier.api_items(page.portal, _identity(recipe, state), [u for u, _, _ in found])
    for url, label, role in found:  # every item counts; those that may be notices are read
        list_item(frontier, out, url, label, role, page.reached.depth, FOUND_RECIPE)
    _record(frontier, page, recipe, state, len(new))
    if state["step"] == 0 and state["series"] == 0:
        if not found:
            _failed(frontier, out, page, "it read nothing")
            return out
        if state["stored"]:
            out.emit(_outcome(page.portal, recipe, len(found)))
    if new:
        after = recipes.advance(recipe, state, page.text, len(found))
        if after is not None:
            out.emit(recipe_request(frontier, page.portal, recipe, after))
    return out


def _no_urls(frontier: Frontier, out: Reading, page: Fetched, list_url: str) -> None:
    """A reply whose rows all lead back to the list page: no article of it can be fetched,
    so its list is unknown (its series is not paged further)."""
    out.warn(f"portal {page.portal}: {list_url}: {coverage.NO_ARTICLE_URL}")
    coverage.unknown(frontier, page.portal, list_url, coverage.NO_ARTICLE_URL, kind=coverage.API)


def _record(frontier: Frontier, page: Fetched, recipe, state: dict, new: int) -> None:
    """A recipe's reply in the crawl's coverage: a page a postback answered is a further
    page of the list page's own list (what it states, that it was read); a data reply a
    page of its series' list (what it states, the new items it read)."""
    portal = frontier.portals[page.portal]
    if recipe.reply == "rows":  # a page of a list, recorded when it was read over HTTP
        return
    if recipe.reply == "page":
        listing = list_page(recipe.list_url, page.text, portal, frontier.budgets, False)
        stated = stated_by_page(listing, discover(listing).links)
        number = f"#series{state['series']}page{state['step'] + 2}"
        name = list_name(recipe.list_url)
        coverage.record(
            frontier,
            portal.id,
            name,
            page=url_key(recipe.list_url) + number,
            stated=stated.items,
            stated_pages=stated.pages,
        )
        return
    data = replies.parse_json(page.text) if recipe.reply == "json" else None
    stated = stated_by_reply(data) if data is not None else Stated()
    coverage.record(
        frontier,
        portal.id,
        _series_name(recipe, state),
        kind=coverage.API,
        page=f"{_series_name(recipe, state)}#{state['step']}",
        read=new,
        stated=stated.items,
        stated_pages=stated.pages,
    )


def title_role(title: str) -> str | None:
    if is_notice_title(title):
        return NOTICE
    if might_be_notice_title(title) or not title:
        return CANDIDATE
    return None


def _reply_items(frontier: Frontier, page: Fetched, recipe) -> list[tuple[str, str, str | None]]:
    """(url, label, role) of a reply's items, the role None for one that is no notice: JSON
    records by their titles; a fragment's links (their roles as the list mechanisms read
    them), a whole page's notice links; rows by their titles."""
    if recipe.reply == "json":
        found = recipes.items(recipe, page.text, recipe.list_url)
        return [(u, t, title_role(t)) for u, t in found]
    html = _table(page.text)
    if recipe.reply == "rows":  # a list page's rows (its links were read when it was)
        rows = recipes.row_items(html, recipe.rows, recipe.item_rule, recipe.list_url)
        return [(canonical_url(u), t, title_role(t)) for u, t in rows]
    portal = frontier.portals[page.portal]
    links = discover(list_page(recipe.list_url, html, portal, frontier.budgets, False)).links
    roles = {k.url: k.role for k in links if k.role in ITEM_ROLES}
    fragment = [(canonical_url(u), t) for u, t in replies.fragment_links(html, recipe.list_url)]
    if recipe.reply == "page":  # a whole page: its items are the links shaped like its notices'
        shapes = {_shape(url) for url in roles}
        fragment = [(u, t) for u, t in fragment if u in roles or _shape(u) in shapes]
    out = [(u, t, roles.get(u)) for u, t in fragment]
    if recipe.rows and recipe.item_rule:
        rows = recipes.row_items(html, recipe.rows, recipe.item_rule, recipe.list_url)
        out += [(canonical_url(u), t, title_role(t)) for u, t in rows]
    return out


def _shape(url: str) -> str:
    """An item URL's shape: its path, with its digits as 0 (ShowNews.aspx?NewsID=, /t0_0.html)."""
    return re.sub(r"\d+", "0", urlsplit(url).path)


def _table(html: str) -> str:
    """A fragment of table rows, in a table (an HTML parser drops rows outside one)."""
    head = html.lstrip()[:10].lower()
    return f"<table>{html}</table>" if head.startswith(("<tr", "<tbody", "<td")) else html


def _failed(frontier: Frontier, out: Reading, page: Fetched, why: str) -> None:
    """A recipe that does not answer: counted; a stored one is noted as failed and its list
    explored again (if a browser can); else the portal's listing is incomplete."""
    recipe, state = page.reached.recipe, page.reached.series
    out.count(stats.RECIPE_ERRORS)
    out.warn(f"portal {page.portal}: list recipe of {recipe.list_url} failed: {why}")
    first = state["step"] == 0 and state["series"] == 0
    if first and state["stored"]:
        out.count(stats.RECIPES_FAILED)
        out.emit(_outcome(page.portal, recipe, 0))
        if frontier.browser and frontier.portals[page.portal].render == AUTO:
            depth = frontier.portals[page.portal].max_depth
            explore(frontier, out, recipe.list_url, COLUMN, depth, "its recipe failed")
            return
    frontier.list_failed(page.portal)
    reason = f"{coverage.ERROR}: its recipe failed ({why})"
    if recipe.reply == "rows":  # a rows rule read nothing on a page of a list
        coverage.record(frontier, page.portal, list_name(recipe.list_url), reason=reason)
        return
    coverage.record(
        frontier, page.portal, _series_name(recipe, state), kind=coverage.API, reason=reason
    )
