"""The sources crawlers read, in-process: robots.txt Sitemap lines, sitemaps and indexes (gzip
too), RSS and Atom feeds, the feeds a page names, and which of their URLs are fetched."""

import gzip

import pytest
from parsel import Selector

from crawler.roles import CANDIDATE, NOTICE
from crawler.sources import (
    FEED,
    INDEX,
    URLSET,
    Entry,
    SourceError,
    decide,
    feed_links,
    is_article_url,
    notice_folders,
    parse,
    robots_sitemaps,
    when,
)

BASE = "http://www.x.gov.cn"
NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
NOTICE_TITLE = "中共某县发展和改革局党组关于县委第四轮巡察整改进展情况的通报"


def urlset(*entries: tuple[str, str]) -> bytes:
    rows = "".join(f"<url><loc>{loc}</loc><lastmod>{mod}</lastmod></url>" for loc, mod in entries)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset {NS}>{rows}</urlset>'.encode()


def test_robots_names_its_sitemaps_in_any_case_relative_or_not():
    robots = (
        b"User-agent: *\nDisallow: /search/\nSitemap: http://www.x.gov.cn/sitemap_index.xml\n"
        b"sitemap:/news/sitemap.xml # the news\nSITEMAP: http://www.x.gov.cn/sitemap_index.xml\n"
    )
    assert robots_sitemaps(robots, BASE + "/robots.txt") == [
        BASE + "/sitemap_index.xml",
        BASE + "/news/sitemap.xml",
    ]
    assert robots_sitemaps(b"User-agent: *\nDisallow:\n", BASE) == []


def test_a_sitemap_its_index_and_gzip():
    xml = urlset((BASE + "/a/2024/03/15/1001.html", "2024-03-15"), ("/b/1002.html", ""))
    source = parse(xml, BASE + "/sitemap.xml")
    assert source.kind == URLSET and source.stated == 2
    assert source.entries[0] == Entry(
        BASE + "/a/2024/03/15/1001.html", None, "2024-03-14T16:00:00Z"
    )
    assert source.entries[1] == Entry(BASE + "/b/1002.html", None, None)  # relative, undated
    assert parse(gzip.compress(xml), BASE + "/s.xml.gz") == source
    index = (
        f"<sitemapindex {NS}><sitemap><loc>{BASE}/s1.xml.gz</loc>"
        "<lastmod>2025-06-05T10:00:00+08:00</lastmod></sitemap>"
        f"<sitemap><loc>{BASE}/s2.xml</loc></sitemap></sitemapindex>"
    ).encode()
    found = parse(index, BASE + "/sitemap_index.xml")
    assert found.kind == INDEX
    assert [(e.url, e.changed) for e in found.entries] == [
        (BASE + "/s1.xml.gz", "2025-06-05T02:00:00Z"),
        (BASE + "/s2.xml", None),
    ]


def test_a_plain_text_sitemap():
    source = parse(b"http://www.x.gov.cn/a/1.html\n\nhttp://www.x.gov.cn/a/2.html\n", BASE)
    assert source.kind == URLSET and [e.url for e in source.entries] == [
        BASE + "/a/1.html",
        BASE + "/a/2.html",
    ]


def test_rss_and_atom_feeds():
    rss = (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>通知公告</title>'
        f"<item><title>{NOTICE_TITLE}</title><link>{BASE}/tzgg/1.html</link>"
        "<pubDate>Fri, 20 Dec 2024 17:00:00 +0800</pubDate></item>"
        f'<item><title>通知</title><guid isPermaLink="true">{BASE}/tzgg/2.html</guid>'
        "<pubDate>2025-01-02 09:30</pubDate></item>"
        "<item><title>no link</title></item></channel></rss>"
    ).encode()
    source = parse(rss, BASE + "/feed.xml")
    assert source.kind == FEED
    assert source.entries == (
        Entry(BASE + "/tzgg/1.html", NOTICE_TITLE, "2024-12-20T09:00:00Z"),
        Entry(BASE + "/tzgg/2.html", "通知", "2025-01-02T01:30:00Z"),
    )
    atom = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>党务公开</title>'
        f'<entry><title>{NOTICE_TITLE}</title><link rel="alternate" type="text/html" '
        f'href="{BASE}/dwgk/3.html"/><link rel="edit" href="{BASE}/edit/3"/>'
        "<updated>2024-12-25T16:00:00+08:00</updated></entry></feed>"
    ).encode()
    entries = parse(atom, BASE + "/feed.atom").entries
    assert entries == (Entry(BASE + "/dwgk/3.html", NOTICE_TITLE, "2024-12-25T08:00:00Z"),)


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"<html><body><h1>404 Not Found</h1></body></html>",
        b"\x1f\x8b\x08garbage",
        b"not a sitemap at all",
        b"<<<>>>\x00\x01",
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>',
    ],
)
def test_garbage_is_one_error(body):
    with pytest.raises(SourceError):
        parse(body, BASE + "/sitemap.xml")


def test_a_gzip_bomb_is_cut():
    bomb = gzip.compress(b"<urlset>" + b" " * 5_000_000 + b"</urlset>")
    with pytest.raises(SourceError, match="larger than"):
        parse(bomb, BASE + "/s.xml.gz", max_bytes=1_000_000)


def test_entities_are_never_expanded():
    xml = (
        b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b"<urlset><url><loc>http://www.x.gov.cn/a/1001.html&e;</loc></url></urlset>"
    )
    [entry] = parse(xml, BASE).entries
    assert "root:" not in entry.url


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        ("2024-03-15", "2024-03-14T16:00:00Z"),
        ("2024-03-15T10:20:30Z", "2024-03-15T10:20:30Z"),
        ("2024-03-15T10:20:30+08:00", "2024-03-15T02:20:30Z"),
        ("Fri, 20 Dec 2024 17:00:00 GMT", "2024-12-20T17:00:00Z"),
        ("2024年3月5日", "2024-03-04T16:00:00Z"),
        ("2024/3/5 08:00", "2024-03-05T00:00:00Z"),
        ("yesterday", None),
        ("", None),
    ],
)
def test_dates_of_sources(text, moment):
    assert when(text) == moment


def test_the_feeds_a_page_names():
    html = (
        '<html><head><link rel="alternate" type="application/rss+xml" href="/feed/tzgg.xml">'
        '<link rel="alternate" type="application/atom+xml; charset=utf-8" href="dwgk.atom">'
        '<link rel="alternate" hreflang="en" href="/en/">'
        '<link rel="stylesheet" type="text/css" href="/a.css"></head><body>'
        '<a href="/rss/xxgk.xml">RSS订阅</a><a href="/sitemap.xml">网站地图</a>'
        '<a href="http://other.cn/rss.xml">RSS</a><a href="/feed/">订阅本栏目</a></body></html>'
    )
    found = feed_links(Selector(text=html), BASE + "/col/index.html", ("x.gov.cn",))
    assert found == [
        BASE + "/feed/tzgg.xml",
        BASE + "/col/dwgk.atom",
        BASE + "/rss/xxgk.xml",
        BASE + "/feed/",
    ]


@pytest.mark.parametrize(
    ("url", "article"),
    [
        ("/smp/content/2024/03/15/24817.html", True),
        ("/xxgk/tzgg/202503/t20250325_731204.html", True),
        ("/art/2024/3/15/art_1229_5678.html", True),
        ("/content.jsp?id=8812", True),
        ("/news/detail?articleId=A1B2C3", True),
        ("/tzgg/index.html", False),
        ("/tzgg/index_3.html", False),
        ("/tzgg/", False),
        ("/2024/03/15/", False),
        ("/files/2024/03/通报.pdf", False),
        ("/about.html", False),
        ("/sitemap/articles-2024.xml", False),
    ],
)
def test_what_a_sitemap_url_shaped_like_an_article_is(url, article):
    assert is_article_url(BASE + url) == article


def decided(entries, **given):
    options = {
        "domains": ("x.gov.cn",),
        "known": {},
        "remembered": {},
        "folders": set(),
        "budget": 100,
    }
    options.update(given)
    return decide(entries, **options)


def test_sitemap_urls_are_fetched_as_candidates_if_shaped_like_articles_newest_first():
    entries = [
        Entry(BASE + "/c/2023/09/12/23108.html", None, "2023-09-12T08:00:00Z"),
        Entry(BASE + "/c/2024/06/18/24817.html", None, "2024-06-18T09:00:00Z"),
        Entry(BASE + "/c/2024/06/18/24817.html", None, "2024-06-18T09:00:00Z"),  # twice
        Entry(BASE + "/c/undated/30001.html"),
        Entry(BASE + "/tzgg/index.html", None, "2025-06-05T00:00:00Z"),
        Entry("http://other.cn/c/2024/01/01/1.html"),
    ]
    decision = decided(entries)
    assert [(f.url.removeprefix(BASE), f.role) for f in decision.fetch] == [
        ("/c/2024/06/18/24817.html", CANDIDATE),
        ("/c/2023/09/12/23108.html", CANDIDATE),
        ("/c/undated/30001.html", CANDIDATE),
    ]
    assert decision.skipped == {"not_article": 1, "offsite": 1}
    assert decision.capped == 0 and decision.read(6) == 6


def test_the_budget_cuts_and_folders_of_notices_come_first():
    entries = [
        Entry(f"{BASE}/news/2025/0{n}/0{n}/{n}000.html", None, f"2025-0{n}-01") for n in (1, 2, 3)
    ]
    entries.append(Entry(BASE + "/xczg/2020/01/01/1000.html", None, "2020-01-01"))
    folders = notice_folders([BASE + "/xczg/2020/01/01/999.html"])
    decision = decided(entries, folders=folders, budget=2)
    assert [f.url.removeprefix(BASE) for f in decision.fetch] == [
        "/xczg/2020/01/01/1000.html",
        "/news/2025/03/03/3000.html",
    ]
    assert decision.capped == 2 and decision.read(4) == 2


def test_known_pages_are_listed_and_fetched_again_only_when_changed_since():
    known = {
        BASE + "/a/2024/01/01/1.html": {"last_fetched": "2025-01-01T00:00:00Z"},
        BASE + "/a/2024/01/01/2.html": {"last_fetched": "2025-01-01T00:00:00Z"},
    }
    entries = [
        Entry(BASE + "/a/2024/01/01/1.html", None, "2025-03-01T00:00:00Z"),  # edited since
        Entry(BASE + "/a/2024/01/01/2.html", None, "2024-01-01T00:00:00Z"),
    ]
    decision = decided(entries, known=known)
    assert decision.listed == [BASE + "/a/2024/01/01/1.html", BASE + "/a/2024/01/01/2.html"]
    [fetch] = decision.fetch
    assert fetch.url == BASE + "/a/2024/01/01/1.html" and fetch.force and fetch.role == NOTICE
    assert decision.skipped == {"known": 1}


def test_urls_judged_before_are_fetched_again_only_when_their_lastmod_changed():
    remembered = {BASE + "/a/2024/01/01/1.html": "2024-01-01T00:00:00Z"}
    same = decided(
        [Entry(BASE + "/a/2024/01/01/1.html", None, "2024-01-01T00:00:00Z")], remembered=remembered
    )
    assert same.fetch == [] and same.skipped == {"judged_before": 1}
    moved = decided(
        [Entry(BASE + "/a/2024/01/01/1.html", None, "2024-02-01T00:00:00Z")], remembered=remembered
    )
    assert [f.url for f in moved.fetch] == [BASE + "/a/2024/01/01/1.html"]


def test_feed_items_are_judged_by_their_titles():
    entries = [
        Entry(BASE + "/t/1.html", NOTICE_TITLE),
        Entry(BASE + "/t/2.html", "中共某县发展和改革局党组关于县委第四轮巡察…"),
        Entry(BASE + "/t/3.html", "县委第三巡察组进驻县发展和改革局开展常规巡察"),
        Entry(BASE + "/t/4.html", "关于2023年度政府投资项目审计整改情况的报告"),
        Entry(BASE + "/t/index.html", ""),  # no title: decided from the page itself
    ]
    decision = decided(entries)
    assert [(f.url.removeprefix(BASE), f.role, f.label) for f in decision.fetch] == [
        ("/t/1.html", NOTICE, NOTICE_TITLE),
        ("/t/2.html", CANDIDATE, "中共某县发展和改革局党组关于县委第四轮巡察…"),
        ("/t/index.html", CANDIDATE, ""),
    ]
    assert decision.skipped == {"not_notice": 2}
