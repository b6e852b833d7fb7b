"""The spider adapter, in-process: a Scrapy response becomes a page to read, a reading's
answer becomes Scrapy requests, items and stats (page reading itself: test_reading.py)."""

import asyncio
from urllib.parse import parse_qs

import pytest
import scrapy
from scrapy.exceptions import CloseSpider
from scrapy.http import HtmlResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from crawler import reading
from crawler import settings as project_settings
from crawler.items import PageItem
from crawler.lists.search import Search
from crawler.middlewares import OutOfScope
from crawler.spiders.notices import NoticesSpider, fetched

from reading_helpers import notice_html

BASE = "http://www.x.gov.cn"
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
    crawler.crawling = True  # as while a crawl runs (a stopping crawl's failures are no errors)
    return NoticesSpider.from_crawler(crawler, seeds=str(path))


def collect(outputs) -> list:
    async def run():
        return [output async for output in outputs]

    return asyncio.run(run())


def test_a_notice_response_is_extracted_and_yields_its_item_then_its_files(spider):
    html = notice_html(extra='<a href="/fj/1.pdf">附件1.pdf</a>')
    meta = {"portal": "p", "role": "notice", "depth_in_portal": 1, "found_by": "static link"}
    request = scrapy.Request(BASE + "/a/1.html", meta=meta)
    response = HtmlResponse(request.url, body=html.encode(), encoding="utf-8", request=request)
    item, attachment = collect(spider.parse_page(response))
    assert isinstance(item, PageItem) and item.found_by == "static link"
    assert item.extraction.title.startswith("中共某县委")
    assert isinstance(attachment, scrapy.Request) and attachment.url == BASE + "/fj/1.pdf"
    assert attachment.meta["parent"] == BASE + "/a/1.html"
    assert attachment.callback == spider.parse_page and attachment.errback == spider.on_error
    assert spider.crawler.stats.get_value("portal/p/pages_seen") == 1  # counted once
    assert spider.crawler.stats.get_value("portal/p/attachments_requested") == 1


def test_what_the_browser_saw_is_part_of_the_page():
    from scrapy_playwright.page import PageMethod

    from crawler.lists.observed import ObservedResponses

    clicked = PageMethod("click_through", 200)
    clicked.result = {"states": ["<ul></ul>"], "capped": False}
    observer = ObservedResponses()
    observer.urls.append(BASE + "/api/list?page=1")
    meta = {
        "portal": "p",
        "role": "column",
        "depth_in_portal": 2,
        "playwright": True,
        "clicks": 200,
        "playwright_page_methods": [PageMethod("wait_for_load_state"), clicked],
        "playwright_page_event_handlers": {"response": observer},
    }
    request = scrapy.Request(BASE + "/col/", meta=meta)
    headers = {"Content-Type": "text/html; charset=gbk", "X-Two": ["a", "b"]}
    response = HtmlResponse(request.url, body=b"<p>x</p>", headers=headers, request=request)
    page = fetched(response)
    assert (page.reached.role, page.reached.depth, page.rendered) == ("column", 2, True)
    assert page.observed == [BASE + "/api/list?page=1"]
    assert page.clicked == clicked.result
    assert page.headers == {"Content-Type": "text/html; charset=gbk", "X-Two": "a, b"}


def test_request_specs_become_scrapy_requests(spider):
    spider.frontier.searches["p"] = Search(
        BASE + "/search.jsp", "POST", (("siteid", "1"),), "keyword", "page", "gb18030"
    )
    (post, *_) = [
        spider._request(spec) for spec in reading.idle_step(spider.frontier, "searches").requests
    ]
    assert isinstance(post, scrapy.FormRequest) and post.method == "POST"
    assert parse_qs(post.body.decode("ascii"), encoding="gb18030") == {
        "siteid": ["1"],
        "page": ["1"],
        "keyword": ["巡视整改"],
    }
    assert post.dont_filter and post.meta["role"] == "search"
    spec = reading.RequestSpec(
        BASE + "/col/", "column", 1, {"portal": "p", "role": "column"}, render=True, clicks=5
    )
    rendered = spider._request(spec)
    assert rendered.meta["playwright"] and len(rendered.meta["playwright_page_methods"]) == 2
    api = reading.RequestSpec(
        BASE + "/api", "api", 3, {}, callback=reading.READ_API, dont_filter=False
    )
    request = spider._request(api)
    assert request.callback == spider.parse_api and not request.dont_filter


def _failure(request, exception):
    failure = Failure(exception)
    failure.request = request
    return failure


def test_failures_become_readings(spider):
    spider.frontier.searches["p"] = Search(BASE + "/search.jsp", "POST", (), "keyword")
    (spec, *_) = reading.idle_step(spider.frontier, "searches").requests
    request = spider._request(spec)
    response = HtmlResponse(request.url, status=500, body=b"Server Error", request=request)
    assert list(spider.on_error(_failure(request, HttpError(response)))) == []
    stats = spider.crawler.stats
    assert (stats.get_value("portal/p/errors"), stats.get_value("portal/p/search_errors")) == (1, 1)
    spider.frontier.coverage.record("p", BASE + "/list/", page=BASE + "/list/")  # a list read
    assert spider.listing_complete("p")  # the lists' verdict is theirs
    column = scrapy.Request("http://o.cn/", meta={"portal": "p", "role": "column"})
    assert list(spider.on_error(_failure(column, OutOfScope("out of scope")))) == []
    assert stats.get_value("portal/p/not_allowed") == 1
    start = scrapy.Request(BASE + "/", meta={"portal": "p", "role": "start"})
    list(spider.on_error(_failure(start, TimeoutError("timed out"))))
    assert stats.get_value("crawl/errors") == [
        {"portal": "p", "url": BASE + "/", "detail": "TimeoutError: timed out"}
    ]
    rendered = scrapy.Request(BASE + "/", meta={"portal": "p", "role": "start", "playwright": True})
    with pytest.raises(CloseSpider):
        list(spider.on_error(_failure(rendered, RuntimeError("Failed to launch chromium"))))
    assert stats.get_value("browser/unavailable").startswith("RuntimeError: Failed to launch")
