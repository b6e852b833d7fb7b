"""The explorer's pure parts, in-process: the needs-a-browser decision, the ranking of what a
visitor can act on, recipe inference (a sequence of observed requests and replies -> a recipe
and its next request), URL rules, recipes stored and read back, what a list states."""

import json

import pytest

from crawler.explore import actions, infer, needs, recipes, replies, urlrules
from crawler.explore.recipes import Recipe, RecipeError, Slot
from crawler.lists import Page, discover
from crawler.lists.detail import is_shell

BASE = "http://www.x.gov.cn"
LIST = BASE + "/col/list.html"


EPOINT_COLUMN = (
    '<ul class="wb-data-item" id="showList"></ul><div class="m-pagination" id="pager"></div>'
    '<script src="/js/util.js"></script><script>function getList(i) { Util.getInfoList(7, i, 12,'
    " function (c) { document.getElementById('showList').innerHTML = Util.render(c); }); }"
    "getList(0);</script>"
)
CARD_FEED = (
    '<div class="feed" data-channel="xsxc" data-limit="10"><div class="feed-list"></div>'
    '<div class="feed-more">加载更多</div></div><script src="/assets/index.js"></script>'
)


def reason(body: str, url: str = LIST) -> str | None:
    page = Page(url, f"<html><body>{body}</body></html>", ("x.gov.cn",))
    return needs.explore_reason(page, discover(page))


# -- the needs-a-browser decision -------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "why"),
    [
        (
            "<a href=\"javascript:__doPostBack('pager','2')\">下一页</a>",
            "script pager",
        ),
        (
            '<ul><li><a href="/a/1.html">一</a></li></ul><button id="more">加载更多</button>',
            "load more",
        ),
        (
            "".join(
                f'<tr data-id="{i}" data-ch="xc"><td>区教育局关于第{i}轮巡察整改的通报</td></tr>'
                for i in range(4)
            ),
            "rows without links",
        ),
        (
            '<ul id="newsList"></ul><script>fetch("/api/list").then(draw)</script>',
            "filled by script",
        ),
        ('<div id="view">正在加载……</div><script src="/app.js"></script>', "filled by script"),
        # an empty list a script names by its id, the fetch in a script file (Epoint's Util)
        (
            EPOINT_COLUMN,
            "filled by script",
        ),
        # an empty feed in a holder carrying a script's settings, its script a file
        (CARD_FEED, "filled by script"),
        (
            '<ul><li data-cat="a">通知公告</li><li data-cat="b">整改通报</li></ul>'
            "<script>var x = new XMLHttpRequest();</script>",
            "filters by script",
        ),
        (
            '<select id="year"><option value="2025">2025</option><option value="2024">2024'
            "</option></select><script>$.post('/list.do', {year: y})</script>",
            "filters by script",
        ),
        (
            "<script>window.addEventListener('scroll', function () { fetch('/more?lastId=' + id) })"
            "</script>",
            "infinite scroll",
        ),
        ('<a href="#/list/a">一</a><a href="#/list/b">二</a>', "in-page routes"),
        # a single-page app as served: a mount point, a bundle, a <noscript> plea
        (
            "<noscript><strong>本网站需要启用JavaScript才能正常访问，请开启后刷新页面。</strong>"
            '</noscript><div id="app"></div><script src="/static/js/app.8c1d2e.js"></script>',
            "app shell",
        ),
    ],
)
def test_a_list_whose_navigation_needs_scripts_is_explored(body, why):
    assert reason(body) == why


@pytest.mark.parametrize(
    "body",
    [
        # the chrome every portal has
        '<a href="javascript:window.print()">打印</a><a href="javascript:fontZoom(16)">中</a>'
        '<select onchange="window.open(this.value)"><option value="http://www.gov.cn/">中国政府网'
        '</option><option value="http://www.a.gov.cn/">省政府</option></select>'
        '<a href="/col/more.html">更多&gt;&gt;</a>',
        # a static list with its pager
        '<ul><li><a href="/a/1.html">关于巡察整改情况的通报</a></li></ul>'
        '<a href="list_2.html">下一页</a>',
        # tabs that switch what the page holds, with no script that fetches
        '<ul><li data-tab="a">新闻</li><li data-tab="b">公告</li></ul>',
        # a list its script names the API of: read over HTTP (the fast path)
        '<ul id="list"></ul><script>$.getJSON("/api/list?pageNo=" + page, draw)</script>',
        # a short page that runs no script (an empty column) is no app
        '<div class="main"><p>该栏目暂无信息</p></div>',
        # an article shell (an empty heading a script fills) is no app; nor is a page whose
        # script writes its pager (read over HTTP)
        '<h1 class="title"></h1><div id="zoom"></div><script src="/detail.js"></script>',
        '<ul></ul><script>createPageHTML(5, 0, "index", "html");</script>',
        # an empty list container and no script to fill it; settings but no script
        '<ul id="newsList"></ul><p>暂无信息</p>',
        '<div data-channel="xsxc"><div class="feed-list"></div></div>',
    ],
)
def test_a_list_links_read_needs_no_exploring(body):
    assert reason(body) is None


def test_a_list_a_script_fills_that_nothing_read_is_unread():
    def unread(body: str) -> str | None:
        page = Page(LIST, f"<html><body>{body}</body></html>", ("x.gov.cn",))
        return needs.unread_list(page, discover(page))

    assert unread(EPOINT_COLUMN) == "its list is filled by script and no row was read"
    assert unread(CARD_FEED) == "its list is filled by script and no row was read"
    # rows read from the page, or an API the crawl reads: no reason
    assert unread(EPOINT_COLUMN + '<a href="/a/1.html">关于巡察整改情况的通报</a>') is None
    assert unread('<ul id="list"></ul><script>$.getJSON("/api/list?pageNo=1", d)</script>') is None
    assert unread('<ul id="newsList"></ul><p>暂无信息</p>') is None


# -- what a visitor acts on -------------------------------------------------------------------


def candidate(index: int, tag: str = "a", text: str = "", **more) -> dict:
    return {"index": index, "tag": tag, "text": text, "attrs": more.pop("attrs", {}), **more}


def test_actions_are_ranked_pager_first_chrome_and_sending_never():
    found = [
        candidate(0, text="打印", attrs={"href": "javascript:window.print()"}),
        candidate(1, "li", "整改通报", attrs={"data-cat": "zgtb"}, siblings=3, delegated=1),
        candidate(
            2,
            "select",
            options=[
                {"value": "2024", "text": "2024年"},
                {"value": "http://www.gov.cn/", "text": "中国政府网"},
            ],
        ),
        candidate(3, "button", "加载更多"),
        candidate(4, text="下一页", attrs={"href": "javascript:go(2)"}),
        candidate(5, text="3", attrs={"href": "javascript:go(3)"}),
        candidate(
            6,
            "tr",
            "区教育局关于巡察整改进展情况的通报",
            siblings=8,
            pointer=True,
            attrs={"data-id": "9"},
        ),
        candidate(7, "ul", "新闻 公告 整改通报", listens=["click"], inner=3),
        candidate(8, text="工作动态", attrs={"href": "#/list/gzdt"}),
        candidate(9, "button", "下一页", disabled=True),
        # what would send something: never
        candidate(10, "button", "提交留言"),
        candidate(11, "button", "查询", writes=True),
        candidate(12, "a", "投票", attrs={"href": "javascript:vote(3)"}),
    ]
    plan = actions.plan(found, scrollable=True)
    assert [(a.kind, a.index) for a in plan] == [
        ("next", 4),
        ("more", 3),
        ("scroll", -1),
        ("number", 5),
        ("tab", 1),
        ("route", 8),
        ("option", 2),
        ("row", 6),
    ]
    assert plan[6].value == "2024"  # the jump menu's URL is no option to act on


def test_an_icon_pager_and_a_drop_down_route_are_acted_on():
    """element-ui's pager: buttons holding only an icon, named by their class; a column in
    a menu shown on hover: a route, clicked without being shown."""
    found = [
        candidate(0, "button", "", attrs={"class": "btn-prev", "type": "button"}, disabled=True),
        candidate(1, "button", "", attrs={"class": "btn-next", "type": "button"}),
        candidate(2, text="巡察整改", attrs={"href": "#/list/xczg"}, hidden=True),
        candidate(3, "button", "", attrs={"class": "btn-nextgen"}),  # no pager word
    ]
    plan = actions.plan(found)
    assert [(a.kind, a.index, a.hidden) for a in plan] == [("next", 1, False), ("route", 2, True)]


def test_the_pager_is_pressed_again_while_it_changes_something_and_anew_in_each_state():
    tally = actions.Tally()
    more = actions.Action("more", 3, "button|加载更多")
    tab = actions.Action("tab", 1, "li|整改通报")
    rows = [actions.Action("row", i, f"tr|{i}", group="tr") for i in range(5)]
    assert tally.next([more], 3) == more
    tally.acted(more, True)
    tally.acted(more, False)  # changed nothing: spent in this state
    assert tally.next([more, tab], 3) == tab
    tally.acted(tab, True)  # a new list state: its pager is tried again
    assert tally.next([more, tab], 3) == more
    for row in rows:
        if tally.allowed(row, 3):
            tally.acted(row, True)
    assert sum(tally.done.get((r.signature,), 0) for r in rows) == actions.MAX_ROW_CLICKS


# -- recipe inference -------------------------------------------------------------------------


def call(url: str, reply, *, action: int = -1, method: str = "GET", body: str = "", **headers):
    text = reply if isinstance(reply, str) else json.dumps(reply, ensure_ascii=False)
    kind = "text/html" if isinstance(reply, str) else "application/json"
    return {
        "action": action,
        "method": method,
        "url": url,
        "body": body,
        "status": 200,
        "headers": {k.replace("_", "-"): v for k, v in headers.items()},
        "content_type": kind,
        "text": text,
    }


def act(kind: str, label: str = "", **more) -> dict:
    return {"kind": kind, "label": label, "state": 0, **more}


def records(*ids: int, **more) -> dict:
    rows = [{"id": str(i), "title": f"关于第{i}轮巡察整改进展情况的通报"} for i in ids]
    return {"code": 0, "data": {"records": rows, **more}}


def only(exploration: dict) -> Recipe:
    (recipe,) = infer.infer(exploration, LIST)
    return recipe


def slots(recipe: Recipe) -> dict[str, tuple[str, str | None]]:
    return {s.name: (s.rule, s.value) for s in recipe.slots}


def test_a_page_number_grown_by_the_pager_is_a_page_slot_in_a_json_post():
    api = BASE + "/api/page"
    exploration = {
        "actions": [act("next", "下一页"), act("next", "下一页")],
        "calls": [
            call(
                api,
                records(1, 2),
                method="POST",
                body='{"current":1,"size":2}',
                content_type="application/json",
            ),
            call(
                api,
                records(3, 4),
                action=0,
                method="POST",
                body='{"current":2,"size":2}',
                content_type="application/json",
            ),
            call(
                api,
                records(5),
                action=1,
                method="POST",
                body='{"current":3,"size":2}',
                content_type="application/json",
            ),
        ],
    }
    recipe = only(exploration)
    assert (recipe.reply, recipe.body_kind, recipe.records) == ("json", "json", ("data", "records"))
    assert slots(recipe) == {"current": ("page", "1"), "size": ("const", "2")}
    (state,) = recipes.starts(recipe, "")
    assert recipes.call(recipe, state).body == '{"current":1,"size":2}'
    state = recipes.advance(recipe, state, exploration["calls"][0]["text"], 2)
    assert recipes.call(recipe, state).body == '{"current":2,"size":2}'  # numbers stay numbers


def test_an_offset_grown_by_more_is_an_offset_slot():
    more = BASE + "/ajax/more.jsp"
    fragment = '<li><a href="/a/{0}.html">第{0}条</a></li>'
    exploration = {
        "actions": [act("more", "加载更多"), act("more", "加载更多")],
        "calls": [
            call(f"{more}?chnl=7&start=6&num=6", fragment.format(7), action=0),
            call(f"{more}?chnl=7&start=12&num=6", fragment.format(13), action=1),
        ],
    }
    recipe = only(exploration)
    assert recipe.reply == "html"
    assert slots(recipe) == {
        "chnl": ("const", "7"),
        "start": ("offset", "6"),
        "num": ("const", "6"),
    }
    (state,) = recipes.starts(recipe, "")
    state = recipes.advance(recipe, state, fragment.format(7), 6)
    assert recipes.call(recipe, state).url == f"{more}?chnl=7&start=12&num=6"
    assert recipes.items(recipe, fragment.format(7), LIST) == [(BASE + "/a/7.html", "第7条")]


def test_a_cursor_the_previous_reply_named_is_a_cursor_slot():
    feed = BASE + "/api/feed"
    exploration = {
        "actions": [act("more", "查看更多")],
        "calls": [
            call(f"{feed}?channel=dj", records(1, 2, hasMore=True, nextCursor="eyJ0Ijox.ab12")),
            call(
                f"{feed}?channel=dj&cursor=eyJ0Ijox.ab12",
                records(3, nextCursor="eyJ0Ijoy.cd34"),
                action=0,
            ),
        ],
    }
    recipe = only(exploration)
    cursor = next(s for s in recipe.slots if s.name == "cursor")
    assert (cursor.rule, cursor.value, cursor.source) == ("cursor", None, ("data", "nextCursor"))
    (state,) = recipes.starts(recipe, "")
    assert recipes.call(recipe, state).url == f"{feed}?channel=dj"  # the first call has none
    state = recipes.advance(recipe, state, exploration["calls"][1]["text"], 1)
    assert recipes.call(recipe, state).url == f"{feed}?channel=dj&cursor=eyJ0Ijoy.cd34"
    assert recipes.advance(recipe, state, json.dumps(records(4)), 1) is None  # no cursor: ended


def test_the_last_records_id_is_a_cursor_whose_first_value_the_list_page_gives():
    api = BASE + "/api/articles"
    page = "".join(f'<li><a href="/detail/{i}.html">第{i}条</a></li>' for i in (9, 8, 7))
    exploration = {
        "document": f"<ul>{page}</ul>",
        "actions": [act("scroll"), act("scroll")],
        "calls": [
            call(
                f"{api}?lastId=7&limit=2",
                {"list": [{"id": "6", "title": "六"}, {"id": "5", "title": "五"}]},
                action=0,
            ),
            call(f"{api}?lastId=5&limit=2", {"list": [{"id": "4", "title": "四"}]}, action=1),
        ],
    }
    recipe = only(exploration)
    last = next(s for s in recipe.slots if s.name == "lastId")
    assert (last.rule, last.source, last.first) == (
        "cursor",
        ("list", -1, "id"),
        BASE + "/detail/{v}.html",
    )
    # the list grew at its top: the first call starts after the page's last item now
    newer = "".join(f'<li><a href="/detail/{i}.html">第{i}条</a></li>' for i in (10, 9, 8))
    (state,) = recipes.starts(recipe, f"<ul>{newer}</ul>")
    assert recipes.call(recipe, state).url == f"{api}?lastId=8&limit=2"


def test_a_postback_carries_the_hidden_state_of_the_page_before():
    form = (
        '<form method="post"><input type="hidden" name="__VIEWSTATE" value="{0}">'
        '<input type="hidden" name="__EVENTVALIDATION" value="/wEdAAMZ0y1B"></form>'
    )
    body = "__EVENTTARGET=pager&__EVENTARGUMENT={0}&__VIEWSTATE=state-one-AAAA&__EVENTVALIDATION=%2FwEdAAMZ0y1B"
    exploration = {
        "document": form.format("state-one-AAAA"),
        "actions": [act("next", "下一页"), act("number", "3")],
        "navigations": [
            {
                "action": 0,
                "method": "POST",
                "url": LIST,
                "body": body.format(2),
                "content_type": "application/x-www-form-urlencoded",
            },
            {
                "action": 1,
                "method": "POST",
                "url": LIST,
                "body": body.format(3),
                "content_type": "application/x-www-form-urlencoded",
            },
        ],
    }
    recipe = only(exploration)
    assert recipe.reply == "page" and recipe.pages
    assert slots(recipe)["__EVENTARGUMENT"] == ("page", "2")
    assert slots(recipe)["__VIEWSTATE"][0] == slots(recipe)["__EVENTVALIDATION"][0] == "input"
    (state,) = recipes.starts(recipe, form.format("state-of-today"))
    assert "__VIEWSTATE=state-of-today" in recipes.call(recipe, state).body
    state = recipes.advance(recipe, state, form.format("state-two-BBBB"), 5)
    sent = recipes.call(recipe, state).body
    assert "__EVENTARGUMENT=3" in sent and "__VIEWSTATE=state-two-BBBB" in sent


def test_tabs_and_a_year_select_are_choices_one_series_per_combination():
    endpoint = BASE + "/catList.do"
    rows = '<tr><td><a href="/a/{0}.html">第{0}条</a></td></tr>'
    form = "application/x-www-form-urlencoded"
    sent = ["cat=xcgz&year=2025", "cat=zgtb&year=2025", "cat=zgtb&year=2024"]
    exploration = {
        "actions": [act("tab", "巡察工作"), act("tab", "整改通报"), act("option", "2024年")],
        "calls": [
            call(endpoint, rows.format(i), action=i, method="POST", body=body, content_type=form)
            for i, body in enumerate(sent)
        ],
        "values": [
            {"kind": "select", "name": "year", "values": ["2025", "2024", "2023"]},
            {"kind": "attribute", "name": "data-cat", "values": ["tzgg", "xcgz", "zgtb"]},
        ],
    }
    recipe = only(exploration)
    cat, year = recipe.slots
    assert (cat.rule, cat.choices) == ("choice", ("xcgz", "zgtb", "tzgg"))
    assert (year.rule, year.choices) == ("choice", ("2025", "2024", "2023"))
    bodies = [recipes.call(recipe, s).body for s in recipes.starts(recipe, "")]
    assert len(bodies) == 9 and "cat=tzgg&year=2023" in bodies and not recipe.pages


def test_a_hash_routed_app_fetching_a_token_then_posting_json_gives_a_replayable_recipe():
    """A visitor token from a GET, then JSON POSTs with it as a Bearer header: a home page box
    asks for 5 rows, a column for 10; a record shown in both is one example of its URL."""
    token, api = "9f1c2e7a5b3d4c6e8f0a1b2c3d4e5f60", BASE + "/api/content/page"
    login = BASE + "/api/auth/visitor-token?clientId=portal-web"
    post = {
        "method": "POST",
        "content_type": "application/json",
        "authorization": f"Bearer {token}",
    }

    def rows(*ids: int) -> dict:
        found = [
            {"id": i, "title": f"关于第{i}轮巡察整改进展情况的通报", "date": "2025-06-28"}
            for i in ids
        ]
        return {"code": 200, "data": {"rows": found, "total": 12}}

    exploration = {
        "actions": [act("route", "要闻动态"), act("route", "巡察整改"), act("next")],
        "calls": [
            call(login, {"code": 200, "data": {"accessToken": token, "expiresIn": 1800}}),
            call(api, rows(1, 2), body='{"pageNo":1,"pageSize":5,"channel":"yw"}', **post),
            call(
                api,
                rows(1, 2, 3),
                action=0,
                body='{"pageNo":1,"pageSize":10,"channel":"yw"}',
                **post,
            ),
            call(
                api,
                rows(4, 5),
                action=1,
                body='{"pageNo":1,"pageSize":10,"channel":"xczg"}',
                **post,
            ),
            call(
                api, rows(6), action=2, body='{"pageNo":2,"pageSize":10,"channel":"xczg"}', **post
            ),
        ],
        "links": [
            {
                "url": f"{BASE}/content/{i}.html",
                "label": f"关于第{i}轮巡察整改进展情况的通报",
                "action": a,
            }
            for a, ids in ((-1, (1, 2)), (0, (1, 2, 3)), (1, (4, 5)), (2, (6,)))
            for i in ids
        ],
    }
    recipe = only(exploration)
    assert slots(recipe) == {
        "pageNo": ("page", "1"),
        "pageSize": ("const", "10"),  # the larger page throughout
        "channel": ("choice", None),
        "authorization": ("session", None),
    }
    assert (recipe.session.method, recipe.session.url) == ("GET", login)
    assert recipe.item_rule == BASE + "/content/{id}.html"
    assert [c["json:channel"] for c in recipe.combinations()] == ["yw", "xczg"]
    # a stored token is never replayed: each series fetches a fresh one first
    state = recipes.starts(recipe, "")[1]
    assert recipes.call(recipe, state) == recipe.session
    fresh = json.dumps({"data": {"accessToken": "0123456789abcdef"}})
    sent = recipes.call(recipe, recipes.after_session(recipe, state, fresh))
    assert dict(sent.headers)["authorization"] == "Bearer 0123456789abcdef"
    assert json.loads(sent.body) == {"pageNo": 1, "pageSize": 10, "channel": "xczg"}
    assert recipes.items(recipe, json.dumps(rows(7)), LIST) == [
        (BASE + "/content/7.html", "关于第7轮巡察整改进展情况的通报")
    ]


def test_a_token_an_earlier_reply_gave_is_taken_from_a_session_call_made_first():
    login, page = BASE + "/api/auth/guest", BASE + "/api/article/page"
    token = "de49e95b92925752f3aee75f34892876"
    json_type = {"content_type": "application/json"}
    exploration = {
        "actions": [act("route", "巡视巡察")],
        "calls": [
            call(
                login,
                {"code": 200, "data": {"token": token}},
                action=0,
                method="POST",
                body='{"clientId":"web"}',
                **json_type,
            ),
            call(
                page,
                records(1),
                action=0,
                method="POST",
                body='{"channelId":"1005","current":1}',
                authorization=f"Bearer {token}",
                **json_type,
            ),
        ],
        "links": [
            {
                "url": BASE + "/detail.html?id=1",
                "label": "关于第1轮巡察整改进展情况的通报",
                "action": 0,
            }
        ],
    }
    recipe = only(exploration)
    auth = next(s for s in recipe.slots if s.where == "header")
    assert (auth.rule, auth.source, auth.prefix) == ("session", ("data", "token"), "Bearer ")
    assert recipe.item_rule == BASE + "/detail.html?id={id}"  # the page showed record 1 there
    (state,) = recipes.starts(recipe, "")
    assert recipes.call(recipe, state) == recipe.session  # the guest login first
    state = recipes.after_session(
        recipe, state, json.dumps({"data": {"token": "fresh-token-0123"}})
    )
    sent = recipes.call(recipe, state)
    assert dict(sent.headers)["authorization"] == "Bearer fresh-token-0123"
    assert recipes.items(recipe, json.dumps(records(7)), LIST) == [
        (BASE + "/detail.html?id=7", "关于第7轮巡察整改进展情况的通报")
    ]


def test_rows_that_navigate_when_clicked_give_a_rows_recipe():
    exploration = {
        "actions": [
            act(
                "row",
                "第一条",
                tag="tr",
                attrs={"data-id": "202504151030250001", "data-ch": "xczg", "class": "row"},
            ),
            act(
                "row",
                "第二条",
                tag="tr",
                attrs={"data-id": "202412281630080005", "data-ch": "xczg", "class": "row"},
            ),
        ],
        "navigations": [
            {
                "action": 0,
                "method": "GET",
                "url": BASE + "/html/xczg/202504/202504151030250001.html",
                "body": "",
            },
            {
                "action": 1,
                "method": "GET",
                "url": BASE + "/html/xczg/202412/202412281630080005.html",
                "body": "",
            },
        ],
    }
    recipe = only(exploration)
    assert (recipe.reply, recipe.rows) == ("rows", "tr[data-ch][data-id]")
    page = '<table><tr data-id="202601021200000009" data-ch="xczg"><td>新的一条通报</td><td>2026</td></tr></table>'
    assert recipes.items(recipe, page, LIST) == [
        (BASE + "/html/xczg/202601/202601021200000009.html", "新的一条通报")
    ]
    assert infer.navigation_items(exploration, LIST)[0] == (
        BASE + "/html/xczg/202504/202504151030250001.html",
        "第一条",
    )


def test_requests_whose_replies_are_no_lists_give_no_recipe():
    exploration = {
        "calls": [
            call(BASE + "/api/visits?id=1", {"code": 0, "count": 12}),
            call(BASE + "/api/config", {"theme": "red", "menus": [{"name": "首页"}]}),
        ],
    }
    assert infer.infer(exploration, LIST) == []


# -- URL rules, stored recipes, replies ---------------------------------------------------------


def test_url_rules_are_learned_from_values_and_applied_to_others():
    examples = [
        ({"id": "57", "cat": "tz"}, BASE + "/tz/a/57.html"),
        ({"id": "58", "cat": "tz"}, BASE + "/tz/a/58.html"),
    ]
    rule = urlrules.learn(examples)
    assert rule == BASE + "/{cat}/a/{id}.html"
    assert urlrules.apply(rule, {"id": "9", "cat": "gg"}) == BASE + "/gg/a/9.html"
    assert urlrules.apply(rule, {"id": "9"}) is None
    assert urlrules.learn([({"id": "57"}, BASE + "/a/other.html")]) is None  # no value in it
    assert urlrules.apply_inverse(BASE + "/d/{v}.html", BASE + "/d/9102.html") == "9102"
    assert urlrules.apply_inverse(BASE + "/d/{v}.html", BASE + "/x/9102.html") is None


def test_a_recipe_is_stored_as_json_and_read_back():
    recipe = Recipe(
        LIST,
        "json",
        "POST",
        BASE + "/api",
        '{"p":1}',
        "json",
        (("content-type", "application/json"),),
        (
            Slot("json", "p", "page", "1"),
            Slot("query", "c", "cursor", None, source=("data", -1, "id")),
        ),
        recipes.Call("POST", BASE + "/login", "{}", ()),
        ("data", "records"),
        BASE + "/a/{id}.html",
    )
    assert recipes.from_json(recipes.to_json(recipe)) == recipe
    assert recipes.from_json(recipes.to_json(recipe)).key == recipe.key
    with pytest.raises(RecipeError):
        recipes.from_json('{"reply": "json"}')
    with pytest.raises(RecipeError):
        recipes.from_json(recipes.to_json(recipe).replace('"page"', '"guess"'))


def test_replies_name_their_records_and_the_path_of_a_value():
    data = {"code": 0, "data": {"rows": [{"id": 1, "title": "一"}, {"id": 2, "title": "二"}]}}
    assert replies.records_path(data) == ("data", "rows")
    assert replies.find(data, "2") == ("data", "rows", replies.LAST, "id")
    assert replies.hidden_inputs('<input type="hidden" name="__VIEWSTATE" value="x">') == {
        "__VIEWSTATE": "x"
    }
    assert replies.reply_kind(json.dumps(data), "application/json") == "json"
    assert replies.reply_kind('{"token": "abc"}', "application/json") is None


# -- detail shells ----------------------------------------------------------------------------

SHELL = (
    '<div class="article"><h1 class="title" id="title"></h1>'
    '<div class="content" id="content"><p class="loading">正在加载……</p></div></div>'
    "<script src='/detail.js'></script>"
)


@pytest.mark.parametrize(
    ("body", "text", "shell"),
    [
        (SHELL, "正在加载……", True),  # a placeholder where the body will be
        (SHELL.replace('<p class="loading">正在加载……</p>', ""), "", True),
        ('<h1 id="title"></h1><div id="content"></div><script>load()</script>', "网站标识码", True),
        # a real article: its text is long
        (
            "<h1>关于巡察整改情况的通报</h1><div class='content'>"
            + "整改" * 200
            + "</div><script></script>",
            "整改" * 200,
            False,
        ),
        # a short page with no script is no shell (a stub, a soft 404)
        ('<h1 id="title"></h1><div id="content"></div>', "", False),
    ],
)
def test_a_detail_shell_is_recognised_by_its_structure(body, text, shell):
    page = Page(BASE + "/a/1.html", f"<html><body>{body}</body></html>", ("x.gov.cn",))
    assert is_shell(page, text) is shell


INLINE = """<ul id="list"></ul><div class="pager"><a href="javascript:void(0)" id="next">下一页</a></div>
<script>
var pageSize = 2;
var articles = [
  {id: 301, title: '区委巡察办召开工作会议', date: '2025-03-01'},
  {id: 302, title: '中共某区民政局党组关于区委第六轮巡察整改进展情况的通报', date: '2025-02-01'},
  {id: 303, title: "中共某区财政局党组关于区委第六轮巡察整改进展情况的通报", date: '2025-01-01'}
];
function show(n) { /* draws articles n*pageSize … as <a href="/art/ID.html"> */ }
</script>"""


def test_records_a_pages_own_script_holds_are_an_inline_recipe():
    assert reason(INLINE) == "script pager"
    assert reason(INLINE.replace("下一页", "")) == "filled by script"  # the list is data
    exploration = {
        "document": f"<html><body>{INLINE}</body></html>",
        "links": [
            {"url": BASE + "/art/301.html", "label": "区委巡察办召开工作会议", "action": -1},
            {
                "url": BASE + "/art/302.html",
                "label": "中共某区民政局党组关于区委第六轮巡察整改进展情况的通报",
                "action": -1,
            },
        ],
    }
    recipe = only(exploration)
    assert (recipe.reply, recipe.item_rule) == ("inline", BASE + "/art/{id}.html")
    later = INLINE.replace("{id: 301", "{id: 304, title: '新的一条通报'}, {id: 301")
    assert [url for url, _ in recipes.items(recipe, later, LIST)] == [
        BASE + f"/art/{n}.html" for n in (304, 301, 302, 303)
    ]


def test_a_cursor_an_html_reply_gives_in_its_last_link_or_attribute():
    more = BASE + "/more.do"
    row = '<li data-key="k{0}"><a href="/art/{0}.html">第{0}条</a></li>'
    first, later = row.format(8) + row.format(7), row.format(6) + row.format(5)
    exploration = {
        "actions": [act("more", "加载更多"), act("more", "加载更多")],
        "calls": [
            call(f"{more}?after=9", first, action=0),
            call(f"{more}?after=7", later, action=1),
        ],
    }
    recipe = only(exploration)
    after = next(s for s in recipe.slots if s.name == "after")
    assert (after.rule, after.source) == ("cursor", ("@link", BASE + "/art/{v}.html"))
    (state,) = recipes.starts(recipe, "")
    state = recipes.advance(recipe, state, later, 2)
    assert recipes.call(recipe, state).url == f"{more}?after=5"
    # a key no link holds: the last row's attribute gives it
    exploration["calls"] = [
        call(f"{more}?after=k9", first, action=0),
        call(f"{more}?after=k7", later, action=1),
    ]
    recipe = only(exploration)
    assert next(s for s in recipe.slots if s.name == "after").source == ("@attr", "data-key")
    state = recipes.advance(recipe, recipes.starts(recipe, "")[0], later, 2)
    assert recipes.call(recipe, state).url == f"{more}?after=k5"


def test_a_page_number_inside_a_json_parameter_and_a_cache_buster():
    api = BASE + "/jpaas/list"
    urls = [f'{api}?paramJson={{"pageNo":{n},"pageSize":15}}&_=170000000{n}123' for n in (1, 2)]
    exploration = {
        "actions": [act("next", "下一页")],
        "calls": [call(url, records(n), action=n - 2) for n, url in zip((1, 2), urls, strict=True)],
    }
    recipe = only(exploration)
    assert slots(recipe) == {
        "paramJson|pageNo": ("page", "1"),
        "paramJson|pageSize": ("const", "15"),
        "_": ("const", "1700000001123"),
    }
    (state,) = recipes.starts(recipe, "")
    state = recipes.advance(recipe, state, json.dumps(records(1)), 1)
    sent = recipes.call(recipe, state).url
    assert "paramJson=%7B%22pageNo%22%3A2%2C%22pageSize%22%3A15%7D" in sent


def test_links_carrying_data_attributes_are_links_not_rows():
    links = "".join(
        f'<a href="http://www.{n}.gov.cn/" data-idlink="oLink">{name}国家发展和改革委员会</a>'
        for n, name in enumerate("一二三四")
    )
    assert reason(f'<div class="list_in">{links}</div>') is None
