"""The spider adapter, in-process: build a response, call the callback, assert on what it
yields (the crawl policy and the mechanisms are tested on their own)."""

import asyncio
import json
from pathlib import Path

import pytest
import scrapy
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler import settings as project_settings
from crawler.spiders.notices import NoticesSpider

BASE = "http://www.x.gov.cn"
FIXTURES = Path(__file__).parent / "fixtures" / "lists"
SEEDS = f"""
[[portal]]
id = "p"
name = "某县"
start_urls = ["{BASE}/"]
allowed_domains = ["x.gov.cn"]
"""


@pytest.fixture
def spider(tmp_path) -> NoticesSpider:
    path = tmp_path / "seeds.toml"
    path.write_text(SEEDS, "utf-8")
    values = {k: getattr(project_settings, k) for k in dir(project_settings) if k.isupper()}
    values.update(BROWSER_ENABLED=False, TLS_ALLOW_INVALID=True, ARCHIVE_ENABLED=False)
    crawler = get_crawler(NoticesSpider, values)
    return NoticesSpider.from_crawler(crawler, seeds=str(path))


def call(spider, url: str, html: str, role: str) -> list:
    request = scrapy.Request(url, meta={"portal": "p", "role": role, "depth_in_portal": 1})
    response = HtmlResponse(url, body=html.encode(), encoding="utf-8", request=request)

    async def collect():
        return [output async for output in spider.parse_page(response)]

    return asyncio.run(collect())


LIST_TITLED_LIKE_A_NOTICE = """<html><head><title>巡察整改情况公开</title></head><body>
<h1>巡察整改</h1><table>
<tr><td><a href="javascript:void(0)" onclick="window.open('showinfo.jsp?id=1')">关于巡察整改情况的通报</a></td></tr>
</table><a href="list.jsp?cid=3&page=2">下一页</a></body></html>"""


def test_a_list_reached_as_a_notice_is_read_as_a_list(spider):
    outputs = call(spider, BASE + "/list.jsp?cid=3&page=1", LIST_TITLED_LIKE_A_NOTICE, "notice")
    requests = {r.url: r.meta["role"] for r in outputs if isinstance(r, scrapy.Request)}
    assert requests == {
        BASE + "/showinfo.jsp?id=1": "notice",
        BASE + "/list.jsp?cid=3&page=2": "page",
    }
    assert not [o for o in outputs if not isinstance(o, scrapy.Request)]  # nothing to archive
    assert spider.crawler.stats.get_value("portal/p/item_read_as_list") == 1
    assert spider.frontier.listed["p"] == {BASE + "/showinfo.jsp?id=1"}


def test_a_capped_list_leaves_the_listing_incomplete(spider):
    spider.frontier.budgets.list_pages = 1
    html = '<script>createPageHTML(5, 0, "index", "html");</script><a href="t1.htm">关于巡视整改情况的通报</a>'
    outputs = call(spider, BASE + "/tzgg/index.html", html, "column")
    pages = [r.url for r in outputs if r.meta["role"] == "page"]
    assert pages == [BASE + "/tzgg/index_1.html"]
    assert spider.crawler.stats.get_value("portal/p/list_pages_capped") == 1
    assert not spider.listing_complete("p")


def test_search_api_garbage_is_a_counted_error(spider):
    request = scrapy.Request(
        BASE + "/search?q=x", meta={"portal": "p", "role": "search", "depth_in_portal": 0}
    )
    response = scrapy.http.TextResponse(
        request.url,
        body=b"{not json",
        headers={"Content-Type": "application/json"},
        request=request,
    )

    async def collect():
        return [output async for output in spider.parse_page(response)]

    assert asyncio.run(collect()) == []
    assert spider.crawler.stats.get_value("portal/p/search_errors") == 1
    assert spider.listing_complete("p")  # a failed search leaves the lists' verdict alone


def test_on_a_browser_portal_a_list_reached_as_an_item_is_rendered(spider):
    from dataclasses import replace

    spider.portals["p"] = replace(spider.portals["p"], render="browser")
    spider.frontier.portals = spider.portals
    spider.browser, spider.frontier.browser = "/usr/bin/chromium", True
    html = '<ul id="newsList"></ul><script>fetch(cfg.url).then(function (r) { return r.json(); })</script>'
    outputs = call(spider, BASE + "/col/col9/index.html", html, "candidate")
    rendered = [r for r in outputs if isinstance(r, scrapy.Request) and r.meta.get("playwright")]
    assert [(r.url, r.meta["role"]) for r in rendered] == [
        (BASE + "/col/col9/index.html", "column")
    ]


def test_a_failed_click_through_leaves_the_listing_incomplete(spider):
    from scrapy_playwright.page import PageMethod

    clicked = PageMethod("click_through", 200)
    clicked.result = {"states": [], "capped": False, "error": "Timeout 10000ms exceeded."}
    request = scrapy.Request(
        BASE + "/xxgk/index.html",
        meta={
            "portal": "p",
            "role": "column",
            "depth_in_portal": 1,
            "playwright": True,
            "clicks": 200,
            "playwright_page_methods": [clicked],
        },
    )
    response = HtmlResponse(
        request.url, body="<ul><li>…</li></ul>".encode(), encoding="utf-8", request=request
    )
    assert list(spider._clicked(spider.portals["p"], response, response.text, None)) == []
    assert spider.crawler.stats.get_value("portal/p/errors") == 1
    assert not spider.listing_complete("p")  # the pages after the failed click were not read


def test_a_post_search_form_is_asked_by_form_posts_and_paged_by_its_field(spider):
    from dataclasses import replace
    from urllib.parse import parse_qs

    from crawler.lists.search import Search

    spider.searches["p"] = Search(
        BASE + "/search.jsp", "POST", (("siteid", "1"),), "keyword", "page", "gb18030"
    )
    # on a portal whose lists are rendered too, a form POST's results come over plain HTTP
    spider.portals["p"] = replace(spider.portals["p"], render="browser")
    spider.frontier.portals = spider.portals
    spider.browser, spider.frontier.browser = "/usr/bin/chromium", True
    first = list(spider._search_requests(spider.portals["p"]))
    assert len(first) == 4 and {r.method for r in first} == {"POST"}
    assert not any(r.meta.get("playwright") for r in first)
    assert len({r.body for r in first}) == 4  # one POST per term, not deduplicated by URL
    form = parse_qs(first[1].body.decode("ascii"), encoding="gb18030")
    assert form == {"siteid": ["1"], "page": ["1"], "keyword": ["巡察整改"]}
    results = '<table><tr><td><a href="showinfo.jsp?id=9">关于县委巡察整改情况的通报</a></td></tr></table>'
    request = first[1]
    response = HtmlResponse(request.url, body=results.encode(), encoding="utf-8", request=request)

    async def collect(response):
        return [output async for output in spider.parse_page(response)]

    outputs = asyncio.run(collect(response))
    assert [(r.method, r.meta["role"]) for r in outputs] == [("POST", "search"), ("GET", "notice")]
    assert parse_qs(outputs[0].body.decode("ascii"))["page"] == ["2"]
    assert outputs[1].meta["found_by"] == "search"
    # a result page with nothing (or garbage) ends that term's paging; nothing crashes
    empty = HtmlResponse(request.url, body=b"<p>\xff\xfe", encoding="utf-8", request=outputs[0])
    assert asyncio.run(collect(empty)) == []
    spider.frontier.budgets.search_pages = 1  # bounded by SEARCH_MAX_PAGES (the notice: seen)
    assert asyncio.run(collect(response.replace(request=first[2]))) == []
    assert spider.crawler.stats.get_value("portal/p/search_pages_capped") == 1


def _detail_reply(spider, body: bytes, content_type: str) -> list:
    url = BASE + "/api/detail?id=9"
    meta = {"portal": "p", "role": "candidate", "depth_in_portal": 1, "shell": BASE + "/art/9.html"}
    request = scrapy.Request(url, meta=meta)
    response = scrapy.http.TextResponse(
        url, body=body, headers={"Content-Type": content_type, "ETag": '"api-1"'}, request=request
    )

    async def collect():
        return [output async for output in spider.parse_detail_api(response)]

    return asyncio.run(collect())


def test_a_detail_api_reply_is_stored_as_fetched(spider):
    from crawler.items import PageItem

    reply = {"data": {"title": "中共某县委关于县委第一轮巡察整改进展情况的通报",
                      "content": "<p>根据县委统一部署，县委第一巡察组对我单位开展了巡察。</p>" * 20}}  # fmt: skip
    body = json.dumps(reply, ensure_ascii=False).encode()
    (item,) = [
        o for o in _detail_reply(spider, body, "application/json") if isinstance(o, PageItem)
    ]
    assert (item.url, item.body, item.detail_api) == (
        BASE + "/art/9.html",
        body,
        BASE + "/api/detail?id=9",
    )
    assert item.headers["Content-Type"] == "application/json"
    assert "ETag" not in item.headers  # the API's validator is not the shell's
    assert item.extraction.title == reply["data"]["title"]


def test_a_detail_api_answering_html_is_an_error_without_a_browser_else_rendered(spider):
    page = (
        b"<!DOCTYPE html><html><body>\xe8\xaf\xb7\xe5\xbc\x80\xe5\x90\xafJavaScript</body></html>"
    )
    assert _detail_reply(spider, page, "text/html") == []  # no browser here: reported
    stats = spider.crawler.stats
    assert stats.get_value("portal/p/detail_api_errors") == 1
    assert stats.get_value("portal/p/api_html_fallback") == 1
    assert stats.get_value("portal/p/needs_browser_url") == BASE + "/art/9.html"
    spider.browser, spider.frontier.browser = "/usr/bin/chromium", True
    (rendered,) = _detail_reply(spider, page, "text/html")
    assert (rendered.url, rendered.meta.get("playwright")) == (BASE + "/art/9.html", True)
    assert stats.get_value("portal/p/detail_api_errors") == 1  # rendered instead: no error
    assert _detail_reply(spider, b"{garbage", "application/json") == []
    assert stats.get_value("portal/p/detail_api_errors") == 2


def test_a_failing_post_search_is_a_counted_error_of_its_portal(spider):
    from scrapy.spidermiddlewares.httperror import HttpError
    from twisted.python.failure import Failure

    from crawler.lists.search import Search

    spider.searches["p"] = Search(BASE + "/search.jsp", "POST", (), "keyword")
    request = next(spider._search_requests(spider.portals["p"]))
    response = HtmlResponse(request.url, status=500, body=b"Server Error", request=request)
    failure = Failure(HttpError(response))
    failure.request = request
    assert list(spider.on_error(failure)) == []
    stats = spider.crawler.stats
    assert (stats.get_value("portal/p/errors"), stats.get_value("portal/p/search_errors")) == (1, 1)
    assert spider.listing_complete("p")  # the lists' verdict is theirs


def test_a_page_of_other_news_in_a_mixed_column_does_not_end_its_list(spider):
    """Page 2 of a column that mixes news and notices holds no notice: its next page is still
    read (its entries are articles); a page with no article at all ends the list."""
    html = (FIXTURES / "mixed_page.html").read_text("utf-8")
    outputs = call(spider, BASE + "/node_105_2.htm", html, "page")
    pages = {r.url for r in outputs if isinstance(r, scrapy.Request) and r.meta["role"] == "page"}
    assert BASE + "/node_105_3.htm" in pages
    empty = html.replace("/content/2025-10/", "/about/")
    outputs = call(spider, BASE + "/node_105_2b.htm", empty, "page")
    assert not [r for r in outputs if isinstance(r, scrapy.Request) and r.meta["role"] == "page"]


def test_the_search_form_in_a_frame_of_the_start_page_is_the_portals_search(spider):
    start = (FIXTURES / "frameset_search.html").read_text("utf-8")
    frames = [r for r in call(spider, BASE + "/", start, "start") if isinstance(r, scrapy.Request)]
    assert {r.url for r in frames} == {BASE + "/top.htm", BASE + "/main.htm"}
    header = next(r for r in frames if r.url.endswith("top.htm"))
    body = (FIXTURES / "frame_header.html").read_bytes()
    response = HtmlResponse(header.url, body=body, encoding="utf-8", request=header)

    async def collect():
        return [output async for output in spider.parse_page(response)]

    asyncio.run(collect())
    url = spider.searches["p"].url("巡察整改")
    assert url.startswith(BASE + "/was5/web/search?channelid=246286&searchword=")
    # a frame of any other page is a list, not where the portal's search is taken from
    spider.searches.clear()
    assert "start_frame" not in call(spider, BASE + "/col/", start, "column")[0].meta


def test_a_missing_data_file_past_the_last_page_ends_a_list_api(spider):
    from scrapy.spidermiddlewares.httperror import HttpError
    from twisted.python.failure import Failure

    from crawler.discovery import ListApi

    api = ListApi("json", BASE + "/data/", template=BASE + "/data/list_{page}.js", items="auto")
    stats = spider.crawler.stats
    for page, status in ((4, 404), (1, 404), (3, 500)):
        request = spider._api_request(spider.portals["p"], api, page)
        response = HtmlResponse(request.url, status=status, body=b"", request=request)
        failure = Failure(HttpError(response))
        failure.request = request
        assert list(spider.on_error(failure)) == []
        if page == 4:  # list_4.js of three: the list's end, not an error
            assert stats.get_value("portal/p/api_end_missing") == 1
            assert not stats.get_value("portal/p/errors") and spider.listing_complete("p")
    # page 1 missing, or a server error: the list could not be read
    assert stats.get_value("portal/p/errors") == 2 and not spider.listing_complete("p")
