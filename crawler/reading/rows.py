"""Rows that are no links on list pages read over HTTP (`<tr data-id>` that a script opens):
read by the rows recipe the browser learned on another page of their list (crawler.explore),
in this crawl or an earlier one; before the crawl ends, a page still unread is fetched again
for a rule learned on a list of the same template (its rows of the same shape), or its
list's coverage is unknown: rows no rule turned into links are never an empty list."""

import json

from .. import coverage, stats
from ..explore import needs, recipes
from ..frontier import Frontier, list_name
from ..stats import FOUND_RECIPE
from .explored import list_item, recipe_request, title_role
from .page import Fetched
from .result import Reading


def read_rows(frontier: Frontier, out: Reading, page: Fetched) -> bool:
    """A list page read over HTTP whose rows are no links: read by a rows recipe of its own
    list (any number of rows: a last page may hold one), else noted, to be read or said
    unread before the crawl ends. True when a rule read them."""
    shapes = needs.row_shapes(page.selector)
    if page.rendered or not shapes:
        return False
    recipe = _rule(frontier, page.portal, page.canonical, shapes, other_lists=False)
    found = recipes.items(recipe, page.text, page.canonical) if recipe else []
    if found:
        out.count(stats.ROWS_BY_RULE)
        frontier.rows_done(page.canonical)
        for url, label in found:
            list_item(
                frontier, out, url, label, title_role(label), page.reached.depth + 1, FOUND_RECIPE
            )
        return True
    many = needs.rows_without_links(page.selector)
    frontier.rows_unread(page.portal, page.canonical, page.reached.depth, shapes, many)
    return False


def _rules(frontier: Frontier, portal_id: str) -> list:
    """The portal's rows recipes: learned in this crawl, then stored by earlier ones."""
    found = []
    for _, text in frontier.learned_rows(portal_id):
        try:
            found.append(recipes.from_json(text))
        except recipes.RecipeError:
            continue
    for (pid, _), stored in sorted(frontier.recipes.items()):
        found += [r for r in stored if pid == portal_id and r.reply == "rows"]
    return found


def _rule(frontier: Frontier, portal_id: str, url: str, shapes, *, other_lists: bool):
    """A rows recipe for the page's rows (their shape), of the page's own list first, else
    (`other_lists`) of a list of the same template; None when none fits."""
    fitting = [r for r in _rules(frontier, portal_id) if recipes.fits(r, shapes)]
    own = [r for r in fitting if list_name(r.list_url) == list_name(url)]
    chosen = (own or (fitting if other_lists else []))[:1]
    return recipes.for_page(chosen[0], url) if chosen else None


def _row_lists(frontier: Frontier) -> set[tuple[str, str]]:
    """(portal, list) of the lists known to hold rows that are no links: a page of them
    with several such rows, or a rows recipe learned on them."""
    pages = [json.loads(member) for member in frontier.rows_pending]
    lists = {(row[0], list_name(row[1])) for row in pages if row[4]}
    rules = [json.loads(member) for member in frontier.row_rules]
    return lists | {(row[0], row[1]) for row in rules}


def rows_step(frontier: Frontier) -> Reading:
    """Before the crawl ends (an idle step): each list page whose rows no rule read is
    fetched again for a rows recipe that fits them (learned on a list of the same template,
    or after the page was read); with none, the list's coverage is unknown (a page of rows
    with no link and no rule, of a list known to hold such rows)."""
    out = Reading()
    row_lists = _row_lists(frontier)
    for portal_id, url, _depth, shapes, many in frontier.pending_rows():
        recipe = _rule(frontier, portal_id, url, shapes, other_lists=True)
        state = {"values": {}, "step": 0, "session": True, "series": 0, "stored": False}
        if recipe is not None and out.emit(recipe_request(frontier, portal_id, recipe, state)):
            out.count(stats.ROWS_BY_RULE, portal=portal_id)
            continue
        if many or (portal_id, list_name(url)) in row_lists:
            why = "a page's rows are no links and no rule read them"
            coverage.unknown(frontier, portal_id, list_name(url), why)
            out.warn(f"portal {portal_id}: the rows of {url} are no links and no rule read them")
    return out
