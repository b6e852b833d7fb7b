"""Reading sources and split notices, in-process: a robots.txt, sitemaps, a feed, a garbage
or failed source; a notice over several pages fetched page by page and read as one; and what
lists say they hold against what was read (coverage)."""

import gzip
import json
from datetime import UTC, datetime

from crawler import reading
from crawler.discovery import ListApi
from crawler.items import ErrorItem, PageItem
from crawler.reading import Failed, Reached, read_api, read_failure, read_part, read_source
from crawler.stats import portal_key

from reading_helpers import BASE, HTML, frontier, page, read, read_a_list, requests

NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
TITLE = "中共某县委关于县委第一轮巡察整改进展情况的通报"
XML = "application/xml"


def source(path: str, body: bytes | str, kind: str = "sitemap", mime: str = XML, **reached):
    """A fetched robots.txt, sitemap or feed (`kind`) of portal "p"."""
    return page(path, body, "source", headers={"Content-Type": mime}, source=kind, **reached)


def urlset(*paths: str) -> bytes:
    rows = "".join(f"<url><loc>{BASE}{p}</loc><lastmod>2024-06-18</lastmod></url>" for p in paths)
    return f"<urlset {NS}>{rows}</urlset>".encode()


def test_robots_names_sitemaps_else_the_conventional_one_is_tried():
    policy = frontier()
    named = "User-agent: *\nSitemap: /s/index.xml\nSitemap: http://o.cn/s.xml\n"
    robots = source("/robots.txt", named, "robots", "text/plain")
    answer = read(robots, policy, read_source)
    assert requests(answer) == {"/s/index.xml": "source"}
    assert answer.requests[0].meta["source"] == "sitemap"
    bare = source("/robots.txt", "User-agent: *\nDisallow:\n", "robots", "text/plain")
    [guess] = read(bare, frontier(), read_source).requests
    assert (guess.url, guess.meta["guessed"]) == (BASE + "/sitemap.xml", True)
    missing = Failed(BASE + "/robots.txt", Reached("p", "source", source="robots"), "HTTP 404", 404)
    assert requests(read_failure(missing, frontier())) == {"/sitemap.xml": "source"}
    down = Failed(BASE + "/robots.txt", Reached("p", "source", source="robots"), "refused", None)
    assert read_failure(down, frontier()).outputs == []  # the site is down: nothing to guess


def test_an_index_its_gzipped_sitemaps_and_their_urls():
    policy = frontier()
    index = (
        f"<sitemapindex {NS}><sitemap><loc>{BASE}/s/2023.xml.gz</loc></sitemap>"
        f"<sitemap><loc>{BASE}/s/2024.xml.gz</loc><lastmod>2024-12-31</lastmod></sitemap>"
        "</sitemapindex>"
    )
    answer = read(source("/s/index.xml", index), policy, read_source)
    assert list(requests(answer)) == ["/s/2024.xml.gz", "/s/2023.xml.gz"]  # newest first
    body = gzip.compress(urlset("/c/2024/06/18/24817.html", "/c/index.html"))
    gz = source("/s/2024.xml.gz", body, mime="application/x-gzip")
    answer = read(gz, policy, read_source)
    assert requests(answer) == {"/c/2024/06/18/24817.html": "candidate"}
    assert answer.requests[0].meta["found_by"] == "sitemap"
    assert answer.requests[0].priority < 0  # after every list page (their priority is >= 0)
    assert answer.stat("source_urls") == 2 and answer.stat("source_skipped/not_article") == 1
    assert BASE + "/c/2024/06/18/24817.html" in policy.listed["p"]
    assert [
        (e.kind, e.read_items, e.stated_items, e.complete) for e in policy.coverage.lists("p")
    ] == [
        ("sitemap", 2, 2, True),
        ("sitemap index", 2, 2, True),
    ]
    assert policy.listing_complete("p")


def test_a_sitemap_over_the_budget_leaves_the_listing_incomplete():
    policy = frontier()
    policy.budgets.source_urls = 1
    answer = read(
        source("/s.xml", urlset("/c/2024/01/01/1001.html", "/c/2024/01/02/1002.html")),
        policy,
        read_source,
    )
    assert len(answer.requests) == 1 and policy.counts[portal_key("p", "source_urls_capped")] == 1
    [entry] = policy.coverage.lists("p")
    assert entry.incomplete_because == "read 1 of 2 items; cap (SITEMAP_MAX_URLS)"
    assert policy.incomplete_because("p") == "source_urls_capped"


def test_a_sitemap_leaves_half_of_the_portals_pages_to_its_lists():
    policy = frontier(max_pages=6)
    urls = [f"/c/2024/01/0{n}/100{n}.html" for n in range(1, 8)]
    answer = read(source("/s.xml", urlset(*urls)), policy, read_source)
    assert len(answer.requests) == 3  # (6 - 0) // 2; the sitemap is then not read whole
    assert not policy.listing_complete("p")


def test_garbage_is_one_counted_error_and_a_missing_sitemap_none():
    policy = frontier()
    answer = read(source("/s.xml", "<html><body>系统维护</body></html>"), policy, read_source)
    assert answer.outputs == [] and answer.stat("errors") == 1 and answer.stat("source_errors") == 1
    assert not policy.listing_complete("p")
    assert policy.coverage.lists("p")[0].incomplete_because.startswith("error: not a sitemap")
    guessed = source("/sitemap.xml", "<html>首页</html>", guessed=True)
    quiet = read_a_list(frontier())  # a list was read: the sources' verdicts are theirs
    answer = read(guessed, quiet, read_source)
    assert answer.stat("sitemap_absent") == 1 and answer.stat("errors") == 0
    gone = Failed(BASE + "/old.xml", Reached("p", "source", source="sitemap"), "HTTP 404", 404)
    answer = read_failure(gone, quiet)
    assert answer.stat("source_gone") == 1 and quiet.listing_complete("p")
    down = Failed(BASE + "/feed.xml", Reached("p", "source", source="feed"), "TimeoutError", None)
    assert read_failure(down, quiet).stat("errors") == 1 and not quiet.listing_complete("p")


def test_a_feed_named_by_a_page_and_its_items_judged_by_title():
    policy = frontier()
    home = (
        '<html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml"></head>'
        '<body><a href="/tzgg/">通知公告</a><a href="/rss/tzgg/1.html">RSS频道的一篇文章</a></body></html>'
    )
    answer = read(page("/", home, "start"), policy)
    assert requests(answer)["/feed.xml"] == "source" and "/rss/tzgg/1.html" not in requests(answer)
    rss = (
        f"<rss><channel><item><title>{TITLE}</title><link>{BASE}/t/1.html</link></item>"
        f"<item><title>县委第三巡察组进驻开展常规巡察</title><link>{BASE}/t/2.html</link></item>"
        "</channel></rss>"
    )
    answer = read(source("/feed.xml", rss, "feed"), policy, read_source)
    assert requests(answer) == {"/t/1.html": "notice"}
    assert (
        answer.requests[0].meta["label"] == TITLE and answer.requests[0].meta["found_by"] == "feed"
    )


def test_a_known_notice_is_fetched_again_when_its_lastmod_is_newer():
    policy = frontier()
    policy.now = datetime(2024, 7, 2, tzinfo=UTC)  # a day after their last fetch: not due
    known = {
        "portal_id": "p",
        "born": "2023-01-01",
        "last_fetched": "2024-07-01T00:00:00Z",
        "etag": None,
        "last_modified": None,
        "state": "live",
    }
    policy.load_known({BASE + "/c/2024/06/18/1.html": known, BASE + "/c/2024/06/18/2.html": known})
    list(reading.start(policy))  # the known notices, not due: not requested
    sitemap = (
        f"<urlset {NS}><url><loc>{BASE}/c/2024/06/18/1.html</loc><lastmod>2025-01-05</lastmod></url>"
        f"<url><loc>{BASE}/c/2024/06/18/2.html</loc><lastmod>2024-06-18</lastmod></url></urlset>"
    )
    answer = read(source("/s.xml", sitemap), policy, read_source)
    assert requests(answer) == {"/c/2024/06/18/1.html": "notice"}
    assert policy.listed["p"] >= {BASE + "/c/2024/06/18/1.html", BASE + "/c/2024/06/18/2.html"}


def split_page(number: int, count: int = 3) -> str:
    pager = f'<script>createPageHTML({count}, {number}, "t20250325_1", "html");</script>'
    body = f"<p>第{number + 1}页的内容。</p>" * 40
    return (
        f'<html><head><meta charset="utf-8"><title>{TITLE}</title></head><body><h1>{TITLE}</h1>'
        f'<div class="TRS_Editor">{body}</div><div id="page_div">{pager}</div></body></html>'
    )


def test_a_notice_over_three_pages_is_fetched_page_by_page_and_read_as_one():
    policy = frontier()
    first = page("/a/t20250325_1.html", split_page(0), "notice", found_by="static link")
    answer = read(first, policy)
    [part] = answer.requests
    assert (part.url, part.role, part.priority) == (BASE + "/a/t20250325_1_1.html", "part", 18)
    assert answer.items == []  # the notice waits for its pages
    second = page("/a/t20250325_1_1.html", split_page(1), "part", article=part.meta["article"])
    answer = read(second, policy, read_part)
    [last] = answer.requests
    assert last.url == BASE + "/a/t20250325_1_2.html" and last.meta["found_by"] == "static link"
    third = page("/a/t20250325_1_2.html", split_page(2), "part", article=last.meta["article"])
    answer = read(third, policy, read_part)
    [item] = answer.items
    assert isinstance(item, PageItem) and item.url == BASE + "/a/t20250325_1.html"
    assert [p["url"] for p in item.parts] == [
        BASE + "/a/t20250325_1_1.html",
        BASE + "/a/t20250325_1_2.html",
    ]
    text = item.extraction.text
    assert text.index("第1页") < text.index("第2页") < text.index("第3页")
    assert item.found_by == "static link" and answer.stat("articles_joined") == 1


def test_a_later_page_reached_alone_leads_to_the_first_and_a_failed_page_is_an_error():
    policy = frontier()
    answer = read(page("/a/t20250325_1_2.html", split_page(2), "candidate"), policy)
    assert requests(answer) == {"/a/t20250325_1.html": "notice"} and answer.items == []
    state = {
        "first": BASE + "/a/t20250325_1.html",
        "depth": 1,
        "carried": {},
        "named": {},
        "got": [{}],
    }
    failed = Failed(
        BASE + "/a/t20250325_1_1.html", Reached("p", "part", article=state), "HTTP 500", 500
    )
    [error] = read_failure(failed, policy).items
    assert error == ErrorItem(
        BASE + "/a/t20250325_1.html", "p", "page 2 of the article: HTTP 500", 500
    )
    soft = page(
        "/a/t20250325_1_1.html",
        "<html><body><h1>页面不存在</h1></body></html>",
        "part",
        article=state,
    )
    [error] = read(soft, policy, read_part).items
    assert isinstance(error, ErrorItem) and error.url == BASE + "/a/t20250325_1.html"


def test_article_pages_are_bounded():
    policy = frontier()
    policy.budgets.article_pages = 1
    answer = read(page("/a/t20250325_1.html", split_page(0), "notice"), policy)
    [item] = answer.items  # read as the one page it is
    assert item.parts == [] and answer.stat("article_pages_capped") == 1


def test_a_list_says_how_many_pages_it_has_and_is_incomplete_when_fewer_are_read():
    policy = frontier()
    html = (
        '<html><body><ul><li><a href="/a/1.html">关于巡察整改情况的通报</a></li></ul>'
        '<div>共45条 共3页 <a href="/col/index_1.html">下一页</a></div></body></html>'
    )
    read(page("/col/index.html", html, "column"), policy)
    [entry] = policy.coverage.lists("p")
    assert (entry.list_url, entry.stated_items, entry.stated_pages, entry.read_pages) == (
        BASE + "/col/",
        45,
        3,
        1,
    )
    read(page("/col/index_1.html", html.replace("index_1", "index_2"), "page"), policy)
    assert policy.incomplete_because("p") == "1 list(s) read short of what they state"
    read(
        page(
            "/col/index_2.html", html.replace('<a href="/col/index_1.html">下一页</a>', ""), "page"
        ),
        policy,
    )
    assert policy.listing_complete("p")
    ending = reading.ending(policy).values
    assert ending == {portal_key("p", "lists"): 1, portal_key("p", "lists_incomplete"): 0}


def test_an_api_says_its_total_and_what_was_read_is_counted():
    policy = frontier()
    api = ListApi(kind="json", url=BASE + "/api/list", items="auto")
    reply = {
        "total": 3,
        "data": [{"title": TITLE, "url": "/a/1.html"}, {"title": "通知", "url": "/a/2.html"}],
    }
    fetched = page("/api/list?page=1", json.dumps(reply), "api", headers=HTML, api=api, api_page=1)
    read_api(fetched, policy)
    [entry] = policy.coverage.lists("p")
    assert (entry.kind, entry.read_items, entry.stated_items) == ("api", 2, 3)
    assert entry.incomplete_because == "read 2 of 3 items; no way to reach the rest"
    assert not policy.listing_complete("p")
