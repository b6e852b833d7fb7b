"""Page reading, in-process: build a page, read it with a frontier, assert on the items,
requests and counts it returns (the spider only turns these into Scrapy's)."""

import json
import re
from dataclasses import replace
from pathlib import Path

from crawler import reading
from crawler.discovery import ListApi
from crawler.items import (
    AttachmentItem,
    BlockedItem,
    ErrorItem,
    GoneItem,
    NotModifiedItem,
    PageItem,
    RedirectItem,
)
from crawler.lists.search import Search
from crawler.reading import Failed, Reached, read_api, read_detail_api, read_failure
from crawler.stats import CRAWL_ERRORS, portal_key

from reading_helpers import BASE, frontier, notice_html, page, read, read_a_list, requests

FIXTURES = Path(__file__).parent / "fixtures" / "lists"
LIST = """<html><head><title>巡察整改</title></head><body><ul>
<li><a href="/a/1.html">关于巡察整改情况的通报</a></li>
<li><a href="/a/2.html">中共某镇委员会关于巡察整改进展情况的通报</a></li>
</ul><a href="/col/index_1.html">下一页</a></body></html>"""


def test_a_page_is_counted_once_and_read_in_the_role_the_policy_gives():
    policy = frontier()
    policy.admit("p", BASE + "/zt/", "notice", 1)
    policy.admit("p", BASE + "/zt/", "column", 1)  # linked as a list too: upgraded
    fetched = page("/zt/", notice_html(), "notice")
    answer = read(fetched, policy)
    assert fetched.role == "candidate" and answer.stat("pages_seen") == 1
    assert [type(o) for o in answer.outputs] == [PageItem]


def test_statuses_that_say_it_all():
    policy = frontier()
    assert read(page("/a.html", status=304, role="notice"), policy).items == [
        NotModifiedItem(BASE + "/a.html", "p")
    ]
    gone = read(page("/b.html", status=410, role="notice"), policy)
    assert gone.items == [GoneItem(BASE + "/b.html", "p", 410)]
    moved = page("/c.html", status=301, role="notice", headers={"Location": "/d.html"})
    answer = read(moved, policy)
    assert answer.items == [RedirectItem(BASE + "/c.html", "p", BASE + "/d.html", 301)]
    assert requests(answer) == {"/d.html": "notice"}
    away = page("/e.html", status=302, role="notice", headers={"Location": "http://o.cn/"})
    answer = read(away, policy)
    assert answer.requests == [] and answer.stat("out_of_scope") == 1
    assert read(page("/f.html", status=302, role="notice", headers={}), policy).outputs == []


def test_documents_are_attachments_and_other_types_are_counted():
    policy = frontier()
    pdf = page(
        "/fj/P1.pdf",
        b"%PDF-1.4",
        "attachment",
        headers={"Content-Type": "application/pdf"},
        parent=BASE + "/a/1.html",
        label="附件1",
    )
    (item,) = read(pdf, policy).items
    assert isinstance(item, AttachmentItem)
    assert (item.kind, item.parent, item.label) == ("pdf", BASE + "/a/1.html", "附件1")
    image = page("/logo.png", b"\x89PNG", "column", headers={"Content-Type": "image/png"})
    answer = read(image, policy)
    assert answer.outputs == [] and answer.stat("not_html") == 1


def test_a_notice_is_extracted_first_then_archived_with_its_files():
    policy = frontier()
    fetched = page("/a/1.html", notice_html(extra='<a href="/fj/1.docx">附件1.docx</a>'), "notice")
    first = reading.read_page(fetched, policy)
    assert first.outputs == [] and first.extract.url == BASE + "/a/1.html"  # nothing read yet
    answer = read(fetched, policy)
    item, attachment = answer.outputs
    assert isinstance(item, PageItem) and item.extraction.title.startswith("中共某县委")
    assert item.attachments == [{"url": BASE + "/fj/1.docx", "label": "附件1.docx"}]
    assert (attachment.role, attachment.meta["parent"]) == ("attachment", BASE + "/a/1.html")
    assert answer.stat("attachments_requested") == 1 and answer.stat("pages_seen") == 0


def test_a_known_notice_is_asked_with_its_validators():
    policy = frontier()
    known = {"portal_id": "p", "etag": '"v1"', "last_modified": "Mon, 01 Dec 2025 00:00:00 GMT"}
    policy.load_known({BASE + "/a/1.html": {**known, "born": None, "last_fetched": None}})
    policy.full = True
    (spec,) = [r for step in reading.start(policy) for r in step.requests if "/a/" in r.url]
    assert spec.headers == {
        "If-None-Match": '"v1"',
        "If-Modified-Since": "Mon, 01 Dec 2025 00:00:00 GMT",
    }
    assert spec.meta["dont_redirect"] and 304 in spec.meta["handle_httpstatus_list"]


def test_block_pages_are_recorded_never_archived():
    policy = frontier()
    waf = "<html><body>您的访问已被网站防火墙拦截</body></html>"
    (item,) = read(page("/a/1.html", waf, "notice"), policy).items
    assert isinstance(item, BlockedItem) and (item.rule, item.notice_page) == ("waf", True)
    # a blocked list page: recorded, and the portal's listing can no longer be trusted
    answer = read(page("/col/", waf, "column"), policy)
    assert [type(o) for o in answer.items] == [BlockedItem]
    assert answer.failures == [{"portal": "p", "url": BASE + "/col/", "detail": "blocked (waf)"}]
    assert not policy.listing_complete("p")
    # a block status with a page nobody recognises: an error of the item
    (error,) = read(page("/a/2.html", notice_html(), "notice", status=503), frontier()).items
    assert isinstance(error, ErrorItem) and error.detail == "HTTP 503"


def test_a_list_reached_as_a_notice_is_read_as_a_list():
    html = """<html><head><title>巡察整改情况公开</title></head><body>
<h1>巡察整改</h1><table>
<tr><td><a href="javascript:void(0)" onclick="window.open('showinfo.jsp?id=1')">关于巡察整改情况的通报</a></td></tr>
</table><a href="list.jsp?cid=3&page=2">下一页</a></body></html>"""
    policy = frontier()
    answer = read(page("/list.jsp?cid=3&page=1", html, "notice"), policy)
    assert requests(answer) == {"/showinfo.jsp?id=1": "notice", "/list.jsp?cid=3&page=2": "page"}
    assert answer.items == []  # nothing to archive
    assert answer.stat("item_read_as_list") == 1
    assert policy.listed["p"] == {BASE + "/showinfo.jsp?id=1"}


def test_a_short_notice_beside_a_sidebar_of_notices_is_a_notice_not_a_list():
    # a town's notice of five sentences (under 1,000 characters), with a sidebar listing
    # other notices: an article by its sentences, whatever its links
    body = "".join(
        f"<p>第{n}项整改措施已经落实，镇党委制定了相关制度并严格执行，群众反映的问题得到解决。</p>"
        for n in range(1, 6)
    )
    sidebar = "".join(
        f'<li><a href="/a/{n}.html">中共某镇委员会关于第{n}轮巡察整改进展情况的通报</a></li>'
        for n in range(10, 16)
    )
    html = (
        '<html><head><meta charset="utf-8"><title>中共某镇委员会关于县委巡察整改情况的通报'
        "</title></head><body><h1>中共某镇委员会关于县委巡察整改情况的通报</h1>"
        f'<div class="wz">{body}</div><div class="side"><ul>{sidebar}</ul></div></body></html>'
    )
    answer = read(page("/a/9.html", html, "notice"), frontier())
    assert [type(o) for o in answer.items] == [PageItem]
    assert answer.stat("item_read_as_list") == 0


def test_a_list_page_titled_like_a_notice_is_extracted_only_when_it_is_no_list():
    # a column whose page is an article: extracted (asked once), archived as a notice
    fetched = page("/col/", notice_html(), "column")
    first = reading.read_page(fetched, frontier())
    assert first.extract is not None and first.outputs == []
    assert [type(o) for o in read(fetched, frontier()).items] == [PageItem]
    # a list titled like a notice is read as a list: not extracted
    listing = LIST.replace("巡察整改</title>", "关于巡察整改情况的通报</title>")
    answer = reading.read_page(page("/col/", listing, "column"), frontier())
    assert answer.extract is None
    assert set(requests(answer)) == {"/a/1.html", "/a/2.html", "/col/index_1.html"}


def test_list_items_pages_and_columns_are_requested_by_role_and_depth():
    html = LIST.replace("</ul>", '</ul><a href="/zwgk/xcgz/">巡察工作</a>')
    policy = frontier()
    answer = read(page("/col/index.html", html, "column", depth=1), policy)
    by_url = {r.url.removeprefix(BASE): r for r in answer.requests}
    assert {u: (r.role, r.depth) for u, r in by_url.items()} == {
        "/col/index_1.html": ("page", 1),
        "/a/1.html": ("notice", 2),
        "/a/2.html": ("notice", 2),
        "/zwgk/xcgz/": ("column", 2),
    }
    assert by_url["/a/1.html"].meta["found_by"] == "static link"
    assert by_url["/col/index_1.html"].meta["list"] == BASE + "/col/index.html"
    assert policy.found["p"] == {"static link": 2}
    # at the portal's max_depth, columns are no longer followed; a list's page 2 finds by
    # pagination
    answer = read(page("/col/index_1.html", html, "page", depth=3), frontier())
    assert "/zwgk/xcgz/" not in requests(answer)
    assert {r.meta["found_by"] for r in answer.requests if r.role == "notice"} == {"pagination"}


def test_a_capped_list_leaves_the_listing_incomplete():
    policy = frontier()
    policy.budgets.list_pages = 1
    html = '<script>createPageHTML(5, 0, "index", "html");</script><a href="t1.htm">关于巡视整改情况的通报</a>'
    answer = read(page("/tzgg/index.html", html, "column"), policy)
    assert [r.url for r in answer.requests if r.role == "page"] == [BASE + "/tzgg/index_1.html"]
    assert policy.counts[portal_key("p", "list_pages_capped")] == 1
    assert not policy.listing_complete("p")


def test_a_lying_page_count_is_bounded_and_said():
    """A pager announcing 500 pages is read up to LIST_MAX_PAGES (on whichever of its pages
    announces them); the cap makes the listing incomplete, and the summary says so."""
    from crawler.summary import render

    policy = frontier()
    policy.budgets.list_pages = 5
    html = '<ul></ul><script>createPageHTML(500, 0, "index", "html");</script>'
    asked = []
    for path in ("/trap/index.html", "/trap/index_1.html"):
        asked += read(page(path, html, "column" if "_" not in path else "page"), policy).requests
    assert 1 < len(asked) <= 5
    assert not policy.listing_complete("p")
    stats = dict(policy.counts)
    stats.update(reading.ending(policy).values)
    note = render(stats, ["p"]).splitlines()[-1]
    assert note.startswith("note: p: its lists were not all read (list_pages_capped)")


def test_a_page_of_other_news_in_a_mixed_column_does_not_end_its_list():
    """Page 2 of a column that mixes news and notices holds no notice: its next page is still
    read (its entries are articles); a page with no article at all ends the list."""
    html = (FIXTURES / "mixed_page.html").read_text("utf-8")
    answer = read(page("/node_105_2.htm", html, "page"), frontier())
    assert "/node_105_3.htm" in requests(answer)
    # (a fresh policy: the same one would skip node_105_3.htm as seen, whatever the page held)
    empty = re.sub(r'/content/[^"]+', "/about/us.htm", html)
    answer = read(page("/node_105_2b.htm", empty, "page"), frontier())
    assert "page" not in requests(answer).values()


def test_a_truncated_page_and_offsite_links_are_counted():
    links = "".join(f'<a href="/news/{i}.html">新闻{i}</a>' for i in range(4))
    policy = frontier()
    policy.budgets.links_per_page = 3
    html = f'<html><body>{links}<a href="http://other.cn/">巡视巡察</a></body></html>'
    read(page("/col/", html, "column"), policy)
    assert policy.counts[portal_key("p", "links_truncated")] == 1
    answer = read(page("/col2/", html, "column"), frontier())
    assert answer.stat("offsite_links") == 1


SHELL = """<html><head><title>某市纪委监委</title></head><body>
<div id="article" data-id="4999"><h1 class="title"></h1><div id="zoom"></div></div>
<script>var id = document.getElementById("article").getAttribute("data-id");
$.getJSON("/api/front/article/detail?articleId=" + id, function (d) { render(d); });</script>
</body></html>"""


def test_a_shell_is_read_from_its_detail_api_or_rendered():
    answer = read(page("/art/4999.html", SHELL, "candidate", found_by="static link"), frontier())
    (spec,) = answer.requests
    assert spec.url == BASE + "/api/front/article/detail?articleId=4999"
    assert (spec.callback, spec.render) == (reading.READ_DETAIL_API, False)
    assert spec.meta["shell"] == BASE + "/art/4999.html" and spec.meta["found_by"] == "static link"
    assert answer.stat("detail_shells") == 1 and answer.items == []
    # on a portal that renders, with a browser: the shell is rendered instead
    policy = frontier(browser=True, render="browser")
    answer = read(page("/art/4999.html", SHELL, "candidate", label="关于…的通报"), policy)
    (spec,) = answer.requests
    assert (spec.url, spec.render, spec.meta["label"]) == (
        BASE + "/art/4999.html",
        True,
        "关于…的通报",
    )
    assert answer.stat("auto_rendered") == 1
    # no API named and no browser: the page is archived as it is, the portal needs a browser
    blind = SHELL.replace("$.getJSON", "load")
    answer = read(page("/art/5000.html", blind, "candidate"), frontier())
    assert answer.stat("needs_browser") == 1 and [type(o) for o in answer.items] == [PageItem]
    assert answer.values[portal_key("p", "needs_browser_url")] == BASE + "/art/5000.html"


def test_a_list_built_by_script_is_read_by_its_api_or_in_the_browser():
    html = (FIXTURES / "script_api.html").read_text("utf-8")
    answer = read(page("/col/index.html", html, "column"), frontier())
    apis = [r for r in answer.requests if r.role == "api"]
    assert len(apis) == 2 and {r.callback for r in apis} == {reading.READ_API}
    assert not any(r.dont_filter for r in apis) and answer.stat("list_api_found") == 2
    assert apis[0].meta["api_page"] == 1 and isinstance(apis[0].meta["api"], ListApi)
    script = '<ul id="list"></ul><script>fetch(urls[k]).then(r => r.json())</script>'
    answer = read(page("/col/", script, "column"), frontier())
    assert answer.stat("needs_browser") == 1 and answer.requests == []
    answer = read(page("/col/", script, "column"), frontier(browser=True))
    assert [(r.url, r.render) for r in answer.requests] == [(BASE + "/col/", True)]


def test_on_a_browser_portal_a_list_reached_as_an_item_is_rendered():
    html = '<ul id="newsList"></ul><script>fetch(cfg.url).then(function (r) { return r.json(); })</script>'
    policy = frontier(browser=True, render="browser")
    answer = read(page("/col/col9/index.html", html, "candidate"), policy)
    assert [(r.url, r.role) for r in answer.requests if r.render] == [
        (BASE + "/col/col9/index.html", "column")
    ]


def test_a_rendered_page_pages_the_apis_it_fetched():
    fetched = page("/col/", "<ul></ul>", "column", rendered=True)
    fetched.observed = [BASE + "/api/list?channel=1&pageNo=1", "http://other.cn/api?page=1"]
    answer = read(fetched, frontier(browser=True))
    assert [r.url for r in answer.requests] == [BASE + "/api/list?channel=1&pageNo=1"]


def test_a_pager_of_script_buttons_is_clicked_through_and_its_states_read():
    buttons = '<ul><li>…</li></ul><div>第1/3页 <a href="javascript:;" onclick="show(cur + 1)">下一页</a></div>'
    policy = frontier(browser=True)
    answer = read(page("/xxgk/", buttons, "column", rendered=True), policy)
    (click,) = answer.requests
    assert (click.url, click.render, click.clicks) == (BASE + "/xxgk/", True, 200)
    assert answer.stat("click_through") == 1
    state = '<ul><li><a href="/a/9.html">关于巡察整改情况的通报</a></li></ul>'
    clicked = page("/xxgk/", buttons, "column", rendered=True, clicks=200)
    clicked.clicked = {"states": [state], "capped": True, "mode": "page numbers"}
    answer = read(clicked, policy)
    found = [r for r in answer.requests if r.url.endswith("/a/9.html")]
    assert [r.meta["found_by"] for r in found] == ["rendered"]
    assert answer.stat("clicked_pages") == 1 and answer.stat("clicked_page_numbers") == 1
    assert policy.incomplete_because("p") == "list_pages_capped"


def test_a_failed_click_through_leaves_the_listing_incomplete():
    fetched = page("/xxgk/index.html", "<ul><li>…</li></ul>", "column", rendered=True, clicks=200)
    fetched.clicked = {"states": [], "capped": False, "error": "Timeout 10000ms exceeded."}
    policy = frontier(browser=True)
    answer = read(fetched, policy)
    assert answer.requests == [] and answer.stat("errors") == 1
    assert not policy.listing_complete("p")  # the pages after the failed click were not read


def test_the_search_form_of_the_start_page_is_noted_and_asked_when_idle():
    html = '<form action="/was5/web/search"><input name="searchword"></form>' + LIST
    policy = frontier()
    answer = read(page("/", html, "start", depth=0), policy)
    assert answer.stat("search_found") == 1
    assert policy.searches["p"].template == BASE + "/was5/web/search?searchword={q}"
    asked = reading.idle_step(policy, "searches")
    assert len(asked.requests) == 4 and {r.role for r in asked.requests} == {"search"}
    assert asked.stat("search_queries", "p") == 4
    assert reading.idle_step(policy, "searches").requests == []  # once per crawl
    # a column's form is not the portal's search
    policy = frontier()
    read(page("/col/", html, "column"), policy)
    assert "p" not in policy.searches


def test_the_search_form_in_a_frame_of_the_start_page_is_the_portals_search():
    start = (FIXTURES / "frameset_search.html").read_text("utf-8")
    policy = frontier()
    frames = read(page("/", start, "start"), policy).requests
    assert {r.url for r in frames} == {BASE + "/top.htm", BASE + "/main.htm"}
    assert all(r.meta["start_frame"] for r in frames)
    header = (FIXTURES / "frame_header.html").read_text("utf-8")
    read(page("/top.htm", header, "column", start_frame=True), policy)
    url = policy.searches["p"].url("巡察整改")
    assert url.startswith(BASE + "/was5/web/search?channelid=246286&searchword=")
    # a frame of any other page is a list, not where the portal's search is taken from
    (frame, *_) = read(page("/col/", start, "column"), frontier()).requests
    assert "start_frame" not in frame.meta


def test_search_result_pages_list_notices_within_search_max_pages():
    results = LIST.replace("下一页", "下一页 ").replace("/col/index_1.html", "/s?q=x&page=2")
    policy = frontier()
    answer = read(page("/s?q=x&page=1", results, "search", search_term="x"), policy)
    by_role = {r.url.removeprefix(BASE): (r.role, r.meta.get("found_by")) for r in answer.requests}
    assert by_role == {
        "/s?page=2&q=x": ("search", None),
        "/a/1.html": ("notice", "search"),
        "/a/2.html": ("notice", "search"),
    }
    policy.budgets.search_pages = 1
    answer = read(page("/s?q=y&page=1", results, "search", search_term="y"), policy)
    assert "search" not in requests(answer).values()
    assert policy.counts[portal_key("p", "search_pages_capped")] == 1


def test_a_post_search_form_is_asked_by_form_posts_and_paged_by_its_field():
    policy = frontier(browser=True, render="browser")
    policy.searches["p"] = Search(
        BASE + "/search.jsp", "POST", (("siteid", "1"),), "keyword", "page", "gb18030"
    )
    first = reading.idle_step(policy, "searches").requests
    assert len(first) == 4 and all(r.formdata is not None for r in first)
    # on a portal whose lists are rendered too, a form POST's results come over plain HTTP
    assert not any(r.render for r in first)
    assert first[1].formdata == {"siteid": "1", "page": "1", "keyword": "巡察整改"}
    assert first[1].encoding == "gb18030"
    results = '<table><tr><td><a href="showinfo.jsp?id=9">关于县委巡察整改情况的通报</a></td></tr></table>'
    how = {"search_term": "巡察整改", "search_page": 1}
    answer = read(page("/search.jsp", results, "search", depth=0, **how), policy)
    assert [(r.formdata is not None, r.role) for r in answer.requests] == [
        (True, "search"),
        (False, "notice"),
    ]
    assert answer.requests[0].formdata["page"] == "2"
    assert answer.requests[1].meta["found_by"] == "search"
    # a result page with nothing (or garbage) ends that term's paging; nothing crashes
    garbage = page("/search.jsp", b"<p>\xff\xfe", "search", depth=0, **{**how, "search_page": 2})
    assert read(garbage, policy).requests == []
    policy.budgets.search_pages = 1  # bounded by SEARCH_MAX_PAGES (the notice: seen)
    term = {**how, "search_term": "巡视整改"}
    assert read(page("/search.jsp", results, "search", depth=0, **term), policy).requests == []
    assert policy.counts[portal_key("p", "search_pages_capped")] == 1


def test_search_json_lists_notices_and_garbage_is_a_counted_error():
    reply = {"data": [{"title": "关于巡察整改情况的通报", "url": "/a/7.html"},
                      {"title": "某县召开经济工作会议", "url": "/a/8.html"}]}  # fmt: skip
    json_type = {"Content-Type": "application/json"}
    hits = page("/s?q=x", json.dumps(reply, ensure_ascii=False), "search", headers=json_type)
    policy = frontier()
    assert requests(read(hits, policy)) == {"/a/7.html": "notice"}
    answer = read(page("/s?q=y", "{not json", "search", headers=json_type), policy)
    assert answer.outputs == [] and answer.stat("search_errors") == 1
    assert answer.stat("errors") == 1
    assert policy.listing_complete("p")  # a failed search leaves the lists' verdict alone


API = ListApi("json", BASE + "/api/list", items="data.list", base_url=BASE + "/col/")


def _api_page(reply: str, number: int = 1, api: ListApi = API):
    return page("/api/list?page=1", reply, "api", depth=3, api=api, api_page=number)


def test_a_list_api_page_lists_its_items_and_asks_the_next_while_it_adds_some():
    records = [{"title": "关于巡察整改情况的通报", "url": "/a/1.html"},
               {"title": "", "url": "/a/2.html"},
               {"title": "某县召开经济工作会议", "url": "/a/3.html"},
               {"title": "关于巡视整改情况的通报", "url": "http://other.cn/a.html"}]  # fmt: skip
    reply = json.dumps({"data": {"list": records}}, ensure_ascii=False)
    policy = frontier()
    policy.start_api("p", ("json", API.url))  # page 1 was asked
    answer = read(_api_page(reply), policy, read_api)
    assert requests(answer) == {
        "/a/1.html": "notice",
        "/a/2.html": "candidate",
        "/api/list?page=2": "api",
    }
    assert answer.stat("api_pages") == 1 and answer.stat("offsite_links") == 1
    assert policy.found["p"] == {"list API": 2}
    # the same items again: the list ended
    assert read(_api_page(reply, 2), policy, read_api).requests == []


def test_list_api_garbage_is_an_error_and_html_goes_to_the_browser():
    policy = frontier()
    answer = read(_api_page("{garbage"), policy, read_api)
    assert (answer.stat("errors"), answer.stat("api_errors")) == (1, 1)
    assert not policy.listing_complete("p")
    blocked = "<!DOCTYPE html><html><body>请开启JavaScript</body></html>"
    answer = read(_api_page(blocked), frontier(browser=True), read_api)
    assert [(r.url, r.render) for r in answer.requests] == [(BASE + "/col/", True)]
    assert answer.stat("api_html_fallback") == 1
    assert answer.stat("errors") == 0  # read in the browser instead: no error
    # data a rendered page fetched that is not a list (a config): not an error
    observed = replace(API, source="observed")
    answer = read(_api_page('{"code": 0}', 1, observed), policy, read_api)
    assert answer.stat("observed_not_list") == 1 and answer.stat("errors") == 0


def _detail_reply(policy, body: bytes, content_type: str):
    fetched = page(
        "/api/detail?id=9",
        body,
        "candidate",
        headers={"Content-Type": content_type, "ETag": '"api-1"'},
        shell=BASE + "/art/9.html",
    )
    return read(fetched, policy, read_detail_api)


def test_a_detail_api_reply_is_stored_as_fetched():
    reply = {"data": {"title": "中共某县委关于县委第一轮巡察整改进展情况的通报",
                      "content": "<p>根据县委统一部署，县委第一巡察组对我单位开展了巡察。</p>" * 20}}  # fmt: skip
    body = json.dumps(reply, ensure_ascii=False).encode()
    answer = _detail_reply(frontier(), body, "application/json")
    (item,) = answer.items
    assert (item.url, item.body, item.detail_api) == (
        BASE + "/art/9.html",
        body,
        BASE + "/api/detail?id=9",
    )
    assert item.headers["Content-Type"] == "application/json"
    assert "ETag" not in item.headers  # the API's validator is not the shell's
    assert item.extraction.title == reply["data"]["title"]
    assert answer.stat("detail_api_read") == 1


def test_a_detail_api_answering_html_is_an_error_without_a_browser_else_rendered():
    html = "<!DOCTYPE html><html><body>请开启JavaScript</body></html>".encode()
    answer = _detail_reply(frontier(), html, "text/html")
    assert answer.outputs == []  # no browser here: reported
    assert answer.stat("detail_api_errors") == 1 and answer.stat("api_html_fallback") == 1
    assert answer.values[portal_key("p", "needs_browser_url")] == BASE + "/art/9.html"
    rendered_instead = _detail_reply(frontier(browser=True), html, "text/html")
    (rendered,) = rendered_instead.requests
    assert (rendered.url, rendered.render) == (BASE + "/art/9.html", True)
    assert rendered_instead.stat("detail_api_errors") == 0  # rendered instead: no error
    assert rendered_instead.stat("errors") == 0
    garbage = _detail_reply(frontier(), b"{garbage", "application/json")
    assert garbage.outputs == [] and garbage.stat("detail_api_errors") == 1


def _failed(url: str, role: str, detail: str, status: int | None = None, **how) -> Failed:
    return Failed(BASE + url, Reached("p", role, 1, **how), detail, status, how.pop("x", False))


def test_failures_are_errors_of_items_or_failed_list_pages():
    policy = read_a_list(frontier())
    answer = read_failure(_failed("/a/1.html", "notice", "HTTP 500", 500), policy)
    assert answer.items == [ErrorItem(BASE + "/a/1.html", "p", "HTTP 500", 500)]
    assert policy.listing_complete("p")
    start = read_failure(_failed("/", "start", "TimeoutError: timed out"), policy)
    assert start.stat("unreachable") == 1 and start.stat("errors") == 1
    assert start.failures == [
        {"portal": "p", "url": BASE + "/", "detail": "TimeoutError: timed out"}
    ]
    assert not policy.listing_complete("p")
    refused = Failed(
        BASE + "/private/", Reached("p", "column"), "Forbidden by robots.txt", refused=True
    )
    answer = read_failure(refused, frontier())
    assert answer.stat("not_allowed") == 1 and answer.stat("errors") == 0
    search = read_failure(_failed("/search.jsp", "search", "HTTP 500", 500), frontier())
    assert (search.stat("errors"), search.stat("search_errors")) == (1, 1)
    assert CRAWL_ERRORS not in search.values and search.failures == []


def test_a_browser_that_cannot_start_stops_the_crawl():
    detail = "BrowserType.launch: Executable doesn't exist at /x/chrome"
    answer = read_failure(_failed("/col/", "column", detail, rendered=True), frontier())
    assert answer.close == reading.BROWSER_UNAVAILABLE
    assert answer.values["browser/unavailable"].startswith("BrowserType.launch")


def test_a_missing_data_file_past_the_last_page_ends_a_list_api():
    policy = read_a_list(frontier())
    for number, status in ((4, 404), (1, 404), (3, 500)):
        how = {"api": API, "api_page": number}
        answer = read_failure(
            _failed(f"/data/list_{number}.js", "api", f"HTTP {status}", status, **how), policy
        )
        assert answer.outputs == []
        if number == 4:  # list_4.js of three: the list's end, not an error
            assert answer.stat("api_end_missing") == 1 and answer.stat("errors") == 0
            assert policy.listing_complete("p")
    # page 1 missing, or a server error: the list could not be read
    assert not policy.listing_complete("p")


def test_start_requests_and_the_unlisted_known_notices():
    api = ListApi("json", BASE + "/api/list")
    policy = frontier(list_apis=(api,))
    known = {
        "portal_id": "p",
        "etag": None,
        "last_modified": None,
        "born": None,
        "last_fetched": None,
    }
    policy.load_known(
        {BASE + "/a/1.html": known, BASE + "/a/2.html": known},
        missing=[
            {
                "portal_id": "p",
                "url": BASE + "/fj/1.pdf",
                "label": "附件",
                "parent": BASE + "/a/1.html",
            }
        ],
    )
    policy.full = True
    steps = list(reading.start(policy))
    roles = [(r.url.removeprefix(BASE), r.role) for step in steps for r in step.requests]
    assert roles == [
        ("/api/list?page=1", "api"),
        ("/", "start"),
        ("/robots.txt", "source"),  # its sitemaps (crawler.sources)
        ("/a/1.html", "notice"),
        ("/a/2.html", "notice"),
        ("/fj/1.pdf", "attachment"),
    ]
    assert steps[-1].stat("attachments_requested") == 1
    # a complete listing that did not link /a/2.html: it is checked before the crawl ends
    policy = frontier()
    policy.load_known({BASE + "/a/2.html": known})
    policy.list_item("p", BASE + "/a/1.html")
    unlisted = reading.idle_step(policy, "unlisted")
    assert [r.url for r in unlisted.requests] == [BASE + "/a/2.html"]
    assert unlisted.stat("unlisted_checked", "p") == 1
    assert reading.ending(policy).values == {}
    policy.list_failed("p")
    assert reading.ending(policy).values == {"portal/p/listing_incomplete": "list page failed"}


def test_a_page_is_decoded_and_parsed_once():
    fetched = page("/col/", LIST, "column")
    policy = frontier()
    read(fetched, policy)
    portal = policy.portals["p"]
    assert fetched.listing(portal, policy.budgets).selector is fetched.selector
    assert fetched.__dict__["decoded"] is fetched.decoded  # made once, kept
