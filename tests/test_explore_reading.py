"""Reading explored lists and list recipes, in-process: a list page that needs a visitor's
browser, an exploration's record, a recipe's replies (crawler.reading.explored)."""

import json

from crawler import reading
from crawler.explore import recipes
from crawler.explore.recipes import Recipe, Slot
from crawler.items import BlockedItem, RecipeItem
from crawler.stats import portal_key
from notice.urls import url_key

from reading_helpers import BASE, frontier, page, read, read_a_list

MORE = """<html><head><title>巡察专栏</title></head><body><ul id="list">
<li><a href="/a/1.html">区委巡察办召开工作会议</a></li></ul>
<a class="more" href="javascript:void(0)">加载更多</a>
<script>document.querySelector('.more').onclick = function () { load(); };</script></body></html>"""
LIST = BASE + "/col/"
API = BASE + "/api/list"
NOTICE = "中共某区民政局党组关于区委第六轮巡察整改进展情况的通报"


def reply(*items: tuple[int, str], **more) -> str:
    rows = [{"id": str(i), "title": t, "url": f"/a/{i}.html"} for i, t in items]
    return json.dumps({"data": {"list": rows, **more}}, ensure_ascii=False)


RECIPE = Recipe(
    LIST,
    "json",
    url=API + "?start=1",
    slots=(Slot("query", "start", "offset", "1", step=0),),
    records=("data", "list"),
)


def test_a_list_that_needs_scripts_is_explored_in_the_browser():
    policy = frontier(browser=True)
    answer = read(page("/col/", MORE, "column"), policy)
    (explore,) = [r for r in answer.requests if r.explore]
    assert (explore.url, explore.render, explore.meta["explore"]) == (LIST, True, "load more")
    assert answer.stat("explored") == 1
    # the link already in the page is read as ever, over HTTP
    assert BASE + "/a/1.html" not in [r.url for r in answer.requests if r.render]
    # once per crawl
    assert not [r for r in read(page("/col/", MORE, "column"), policy).requests if r.explore]


def test_without_a_browser_the_list_is_counted_and_the_listing_incomplete():
    policy = frontier()
    answer = read(page("/col/", MORE, "column"), policy)
    assert not [r for r in answer.requests if r.render]
    assert answer.stat("needs_browser") == 1
    assert answer.values[portal_key("p", "needs_browser_url")] == LIST
    assert policy.incomplete_because("p") == "lists_not_explored"


def test_render_http_keeps_the_browser_off():
    policy = frontier(browser=True, render="http")
    answer = read(page("/col/", MORE, "column"), policy)
    assert not [r for r in answer.requests if r.render] and answer.stat("explored") == 0


def test_stored_recipes_are_replayed_over_http_without_the_browser():
    policy = frontier(browser=True)
    policy.load_recipes([("p", LIST, RECIPE)])
    answer = read(page("/col/", MORE, "column"), policy)
    assert not [r for r in answer.requests if r.render]
    (call,) = [r for r in answer.requests if r.callback == reading.READ_RECIPE]
    assert (call.url, call.meta["recipe"], call.meta["series"]["stored"]) == (
        API + "?start=1",
        RECIPE,
        True,
    )
    assert answer.stat("recipes_replayed") == 1
    assert policy.stored_recipes("p", LIST) == []  # once per crawl


def recipe_page(text: str, state: dict, *, status: int = 200, recipe: Recipe = RECIPE):
    return page(
        API,
        text,
        "api",
        status=status,
        depth=3,
        recipe=recipe,
        series=state,
        headers={"Content-Type": "application/json"},
    )


def first_state(recipe: Recipe = RECIPE, stored: bool = True) -> dict:
    return {**recipes.starts(recipe, "")[0], "series": 0, "stored": stored}


def test_a_recipe_reply_gives_its_items_and_the_next_call_while_it_adds_some():
    policy = frontier(browser=True)
    text = reply((7, NOTICE), (8, "区委巡察办召开工作会议"))
    answer = reading.read_recipe(recipe_page(text, first_state()), policy)
    notices = [r for r in answer.requests if r.callback == reading.READ_PAGE]
    assert [(r.url, r.role, r.meta["found_by"]) for r in notices] == [
        (BASE + "/a/7.html", "notice", "list recipe")
    ]
    (following,) = [r for r in answer.requests if r.callback == reading.READ_RECIPE]
    assert following.url == API + "?start=3"  # offset by the reply's items
    assert [i.items for i in answer.items if isinstance(i, RecipeItem)] == [2]
    (listed,) = policy.coverage.lists("p")  # the series' list: what it read
    assert (listed.list_url, listed.kind, listed.read_items) == (LIST, "api", 2)
    # the same items again: the series ends
    again = reading.read_recipe(recipe_page(text, following.meta["series"]), policy)
    assert not [r for r in again.requests if r.callback == reading.READ_RECIPE]


def test_a_stored_recipe_that_reads_nothing_has_its_list_explored_again():
    policy = read_a_list(frontier(browser=True))
    answer = reading.read_recipe(
        recipe_page("<html>维护中</html>", first_state(), status=503), policy
    )
    assert [i.items for i in answer.items if isinstance(i, RecipeItem)] == [0]
    (explore,) = [r for r in answer.requests if r.explore]
    assert explore.url == LIST and answer.stat("recipes_failed") == 1
    assert policy.listing_complete("p")  # the exploration reads the list instead
    # without a browser the listing cannot be trusted
    policy = frontier()
    reading.read_recipe(recipe_page(reply(), first_state()), policy)
    assert not policy.listing_complete("p")


def test_a_session_call_comes_first_and_its_token_goes_with_the_list_calls():
    recipe = Recipe(
        LIST,
        "json",
        "POST",
        API,
        '{"page":1}',
        "json",
        slots=(
            Slot("json", "page", "page", "1"),
            Slot("header", "authorization", "session", source=("data", "token"), prefix="Bearer "),
        ),
        session=recipes.Call("POST", BASE + "/api/login", "{}", ()),
        records=("data", "list"),
    )
    state = first_state(recipe)
    assert not state["session"]
    answer = reading.read_recipe(
        recipe_page('{"data": {"token": "t0k3n-abcdef"}}', state, recipe=recipe), frontier()
    )
    (call,) = answer.requests
    assert (call.method, call.body, call.headers["authorization"]) == (
        "POST",
        '{"page":1}',
        "Bearer t0k3n-abcdef",
    )


EXPLORED = {
    "url": LIST,
    "document": MORE,
    "actions": [{"kind": "more", "label": "加载更多", "state": 0}],
    "calls": [
        {
            "action": 0,
            "method": "GET",
            "url": API + "?start=1",
            "body": "",
            "status": 200,
            "headers": {},
            "content_type": "application/json",
            "text": reply((7, NOTICE)),
        }
    ],
    "navigations": [],
    "links": [{"url": BASE + "/a/7.html", "label": NOTICE, "action": 0}],
    "values": [],
    "capped": False,
    "error": None,
    "seconds": 1.5,
}


def test_an_exploration_gives_its_items_its_recipes_stored_and_replayed_at_once():
    policy = frontier(browser=True)
    fetched = page("/col/", MORE, "column", rendered=True, explore="load more")
    fetched.explored = EXPLORED
    answer = read(fetched, policy)
    seen = [r for r in answer.requests if r.meta.get("found_by") == "explored"]
    assert [(r.url, r.role) for r in seen] == [(BASE + "/a/7.html", "notice")]
    (stored,) = [i for i in answer.items if isinstance(i, RecipeItem)]
    assert (stored.list_url, stored.items) == (LIST, None)
    assert recipes.from_json(stored.recipe).key == stored.key
    (call,) = [r for r in answer.requests if r.callback == reading.READ_RECIPE]
    assert call.url == API + "?start=1" and call.meta["series"]["stored"] is False
    assert answer.stat("explore_ms") == 1500 and answer.stat("explore_actions") == 1
    assert policy.listing_complete("p")


def test_a_browser_failure_or_a_cut_exploration_leaves_the_listing_incomplete():
    policy = frontier(browser=True)
    fetched = page("/col/", MORE, "column", rendered=True, explore="load more")
    fetched.explored = {**EXPLORED, "error": "Target page, context or browser has been closed"}
    answer = read(fetched, policy)
    assert answer.stat("explore_errors") == 1 and not policy.listing_complete("p")
    policy = frontier(browser=True)
    fetched = page("/col/", MORE, "column", rendered=True, explore="load more")
    fetched.explored = {**EXPLORED, "capped": True}
    read(fetched, policy)
    assert policy.incomplete_because("p") == "explore_capped"


def test_a_shell_showing_a_loading_placeholder_is_rendered_not_taken_for_a_soft_404():
    shell = (
        "<html><head><title>清风某市</title></head><body><div class='article'>"
        "<h1 class='title' id='title'></h1><div class='content' id='content'>"
        "<p class='loading'>正在加载……</p></div></div><script src='/app.js'></script>"
        "</body></html>"
    )
    answer = read(page("/detail.html?id=3051", shell, "candidate"), frontier(browser=True))
    assert not [i for i in answer.items if isinstance(i, BlockedItem)]
    (rendered,) = answer.requests
    assert (rendered.url, rendered.render) == (BASE + "/detail.html?id=3051", True)
    assert answer.stat("detail_shells") == 1


def test_recipes_are_loaded_per_portal_and_list_of_the_crawl():
    policy = frontier()
    policy.load_recipes([("p", LIST, RECIPE), ("other", LIST, RECIPE)])
    assert list(policy.recipes) == [("p", url_key(LIST))]


def test_an_exploration_with_nothing_to_replay_is_noted_and_not_repeated(tmp_path):
    from datetime import UTC, datetime, timedelta

    from archive import Archive
    from crawler.startup import NOTHING_DAYS, stored_recipes

    policy = frontier(browser=True)
    fetched = page("/col/", MORE, "column", rendered=True, explore="load more")
    shown = [{"url": BASE + "/a/1.html", "label": "区委巡察办召开工作会议", "action": -1}]
    fetched.explored = {**EXPLORED, "calls": [], "links": shown}
    (noted,) = [i for i in read(fetched, policy).items if isinstance(i, RecipeItem)]
    assert recipes.from_json(noted.recipe).reply == recipes.NOTHING
    # kept in the archive; the next crawl replays it (nothing) instead of exploring
    with Archive(tmp_path / "a.db") as archive:
        archive.record_recipe("p", LIST, noted.key, noted.recipe)
        loaded, unreadable = stored_recipes(archive, ["p"])
        later = datetime.now(UTC) + timedelta(days=NOTHING_DAYS + 1)
        assert stored_recipes(archive, ["p"], now=later) == ([], [])  # explored again then
    assert unreadable == [] and [r.reply for _, _, r in loaded] == [recipes.NOTHING]
    policy = frontier(browser=True)
    policy.load_recipes(loaded)
    answer = read(page("/col/", MORE, "column"), policy)
    assert not [r for r in answer.requests if r.render or r.callback == reading.READ_RECIPE]
    assert answer.stat("recipes_replayed") == 1


def test_an_explored_page_is_no_page_of_its_list_in_the_coverage():
    """What an explored page shows is the state its actions left (page 2 of 2 of a channel):
    its recipes' replies report the list, not that state."""
    policy = frontier(browser=True)
    fetched = page("/col/", MORE + "<div>共9条 第2/2页</div>", "column", rendered=True, explore="x")
    fetched.explored = EXPLORED
    read(fetched, policy)
    assert policy.coverage.lists("p") == []


def test_an_exploration_that_read_no_rows_says_so_and_is_not_noted_as_empty():
    """A list whose data requests were refused (a token the explorer did not get), or an app
    that drew no link off its page: its rows are unknown, never an empty list read whole."""
    refused = {**EXPLORED["calls"][0], "status": 401, "text": '{"code": 401}'}
    for calls, links, why in (
        ([refused], [], "1 of its data requests failed (HTTP 401 GET /api/list)"),
        ([], [{"url": LIST + "#/list/a", "label": "巡察整改", "action": -1}], "no link off"),
    ):
        policy = frontier(browser=True)
        fetched = page("/col/", MORE, "column", rendered=True, explore="app shell")
        fetched.explored = {**EXPLORED, "calls": calls, "links": links}
        answer = read(fetched, policy)
        assert not [i for i in answer.items if isinstance(i, RecipeItem)]  # explored again
        assert policy.incomplete_because("p") == "lists_unread"
        (entry,) = policy.coverage.lists("p")
        assert not entry.complete and entry.incomplete_because.startswith("unknown: ")
        assert why in entry.incomplete_because


def test_a_recipe_that_cannot_replay_over_http_sends_its_list_to_the_browser():
    """A header the page's script signs anew for every call: the recipe says it needs the
    browser; stored, its list is explored again instead of replayed."""
    recipe = Recipe(LIST, "json", url=API, records=("data", "list"), browser="signed header")
    policy = frontier(browser=True)
    policy.load_recipes([("p", LIST, recipe)])
    answer = read(page("/col/", MORE, "column"), policy)
    assert not [r for r in answer.requests if r.callback == reading.READ_RECIPE]
    (explore,) = [r for r in answer.requests if r.explore]
    assert explore.url == LIST and explore.render
    # learned now: what the explorer showed is all that was read, and the coverage says so
    policy = frontier(browser=True)
    signed = [
        {**EXPLORED["calls"][0], "headers": {"x-sign": sign}, "url": f"{API}?start={n}"}
        for n, sign in ((1, "a1b2c3d4e5f6a7b8"), (2, "f0e1d2c3b4a59687"))
    ]
    fetched = page("/col/", MORE, "column", rendered=True, explore="load more")
    fetched.explored = {**EXPLORED, "calls": signed}
    answer = read(fetched, policy)
    (stored,) = [i for i in answer.items if isinstance(i, RecipeItem)]
    assert "x-sign header changes" in recipes.from_json(stored.recipe).browser
    assert not [r for r in answer.requests if r.callback == reading.READ_RECIPE]
    assert policy.incomplete_because("p") == "lists_unread"


# -- rows that are no links, on a list's other pages ------------------------------------------

JSP = BASE + "/web/list.jsp"
RULE = BASE + "/web/info/view.jsp?infoId={data-id}&lmid=44"
ROWS = Recipe(JSP + "?lmid=44", "rows", rows="tr[data-id]", item_rule=RULE, learned="row clicks")


def rows_page(lmid: str, number: int, *rows: tuple[str, str]) -> str:
    """A page of a JSP list of `<tr class="row" data-id>` rows (no link), a plain pager."""
    cells = "".join(
        f'<tr class="row" data-id="{i}"><td>{t}</td><td>[2024-05-30]</td></tr>' for i, t in rows
    )
    pager = "".join(f'<a href="list.jsp?lmid={lmid}&page={n}">{n}</a> ' for n in (1, 2))
    return (
        f'<html><head><meta charset="utf-8"><title>通知公告</title></head><body>'
        f'<ul class="nav"><li><a href="/web/list.jsp?lmid=44">通知公告</a></li>'
        f'<li><a href="/web/list.jsp?lmid=45">工作动态</a></li></ul>'
        f'<table class="lm-list">{cells}</table><div>共12条 第{number}/2页 {pager}</div>'
        "<script>$(document).on('click', '.row', function () { open(this); });</script>"
        "</body></html>"
    )


MANY = [(str(5650 + n), f"县住建局关于第{n}批巡察整改情况的通报") for n in range(4)]
PAGE_2 = rows_page("44", 2, ("5647", "县住建局开展安全生产月宣传活动"), ("5646", NOTICE))


def _items(answer) -> list[tuple[str, str]]:
    return [(r.url, r.role) for r in answer.requests if r.meta.get("found_by") == "list recipe"]


def test_a_rows_rule_learned_on_one_page_reads_the_lists_other_pages_over_http():
    """Page 2 holds two rows (too few to say it needs the browser): the rule the browser
    learned on page 1 reads them as they are, over HTTP."""
    policy = frontier(browser=True)
    policy.learn_rows("p", recipes.to_json(ROWS), ROWS.list_url)
    answer = read(page(JSP + "?lmid=44&page=2", PAGE_2, "page"), policy)
    # the rows whose titles may be notices are read (an activity's is none)
    assert _items(answer) == [(BASE + "/web/info/view.jsp?infoId=5646&lmid=44", "notice")]
    assert answer.stat("rows_by_rule") == 1 and not [r for r in answer.requests if r.render]
    # page 1, read over HTTP once the rule is known (a later crawl: stored): not explored
    first = read(page(JSP + "?lmid=44&page=1", rows_page("44", 1, *MANY), "page"), policy)
    assert first.stat("rows_by_rule") == 1 and not [r for r in first.requests if r.render]
    assert reading.idle_step(policy, "rows").outputs == []  # nothing left unread
    assert policy.listing_complete("p")


def test_rows_no_rule_read_are_read_before_the_end_by_a_rule_of_the_same_template():
    """Page 2 was read before any rule was learned: before the crawl ends it is fetched
    again for the rule learned on another list of the same template (its list's lmid)."""
    policy = frontier(browser=True)
    read(page(JSP + "?lmid=44&page=2", PAGE_2, "page"), policy)
    other = recipes.for_page(ROWS, JSP + "?lmid=45")
    assert other.item_rule == BASE + "/web/info/view.jsp?infoId={data-id}&lmid=45"
    policy.learn_rows("p", recipes.to_json(other), other.list_url)
    step = reading.idle_step(policy, "rows")
    (call,) = step.requests
    assert (call.url, call.callback) == (JSP + "?lmid=44&page=2", reading.READ_RECIPE)
    fetched = page(call.url, PAGE_2, "api", recipe=call.meta["recipe"], series=call.meta["series"])
    answer = reading.read_recipe(fetched, policy)
    assert (BASE + "/web/info/view.jsp?infoId=5646&lmid=44", "notice") in _items(answer)
    assert reading.idle_step(policy, "rows").outputs == []  # once
    (entry,) = policy.coverage.lists("p")  # only page 2 of 2 was read here
    assert (
        entry.reasons == ()
        and entry.incomplete_because == "read 1 of 2 pages; no way to reach the rest"
    )


def test_rows_no_rule_read_leave_their_list_unknown_never_complete():
    """Rows that are no links, on a portal whose lists are read over HTTP alone (no rule
    can be learned): before the crawl ends, the list's coverage is unknown, with the reason,
    and the portal's listing incomplete; so is a short page of a list known to hold rows."""
    policy = frontier(browser=True, render="http")
    read(page(JSP + "?lmid=44", rows_page("44", 1, *MANY), "column"), policy)
    read(page(JSP + "?lmid=44&page=2", PAGE_2, "page"), policy)
    (entry,) = policy.coverage.lists("p")
    assert entry.complete  # so far: the rows may still be read
    step = reading.idle_step(policy, "rows")
    assert step.requests == [] and step.stat("lists_unread", "p") == 0
    (entry,) = policy.coverage.lists("p")
    assert entry.list_url == JSP + "?lmid=44"
    assert entry.incomplete_because == "unknown: a page's rows are no links and no rule read them"
    assert policy.incomplete_because("p") == "lists_unread"
    assert not policy.listing_complete("p")
