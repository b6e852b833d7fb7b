"""End to end: real `scrapy crawl`s of the portals built in code (demo/sample): a Hanweb
JCMS county portal and an old GBK JSP/ASP site over HTTP, a JSON-API portal in the browser.
Every notice is found; no near miss is archived; the summary says how each portal's notices
were found."""

import json

import pytest
from test_browser import stats_of
from warcio.archiveiterator import ArchiveIterator

from archive.warc import export_warc
from crawler.reextract import reextract

from conftest import open_archive, run_cli, run_crawl

PORTALS = ["sample-hwx", "sample-oldj"]


@pytest.fixture
def crawled(site, tmp_path, archive_path):
    seeds = tmp_path / "code-built.toml"
    seeds.write_text(site.seeds_toml(PORTALS), "utf-8")
    result = run_crawl(seeds, archive_path, "-s", "BROWSER_ENABLED=False")
    assert result.returncode == 0, result.stderr[-3000:]
    assert not result.errors_logged, result.stderr[-5000:]
    return result


def test_every_notice_found_and_no_near_miss_archived(site, crawled, archive_path, tmp_path):
    with open_archive(archive_path) as archive:
        urls = {page["url"] for page in archive.list_pages()}
        assert urls == site.archived_urls(PORTALS)
        for item in site.notices(PORTALS):
            if not item.attachments:
                assert archive.version(site.url(item.path))["title"] == item.title
    for item in site.non_notices(PORTALS):  # 进驻 news, 规划, 审计/督察 reports, 情况通报
        assert site.url(item.path) not in urls
    requests = [(method, path) for method, path, _ in site.requests]
    # both jpage columns of the one proxy were paged through
    assert sum(1 for m, p in requests if m == "POST" and p.startswith("/hwx/module/")) >= 2
    # the old site's list was reached through its iframe, its items through onclick links
    assert ("GET", "/oldj/list.jsp?cid=12&page=3") in requests
    # the notices no list links were found through the portals' own searches: a GET form,
    # and the old site's POST form (GBK query; its result pages numbered by a hidden field)
    assert ("GET", "/hwx/art/2024/6/3/art_404_77.html") in requests
    assert ("GET", "/oldj/showinfo.jsp?id=207") in requests
    posts = sum(1 for request in requests if request == ("POST", "/oldj/search.jsp"))
    assert 4 < posts <= 4 * 5  # each term once, then its next pages, within SEARCH_MAX_PAGES
    # a shell article (empty title and body) read from the detail API its script names
    with open_archive(archive_path) as archive:
        shell = archive.version(site.url("/hwx/art/2025/12/1/art_202_4999.html"))
        assert shell["title"] == "中共某县委办公室党支部关于县委第三轮巡察整改进展情况的通报"
        assert "articleId=4999" in shell["metadata"]["detail_api"]
        assert shell["metadata"]["rendered"] is False
        # what is stored is what was fetched: the API's JSON reply, with its Content-Type
        shell_url = site.url("/hwx/art/2025/12/1/art_202_4999.html")
        assert json.loads(archive.raw_html(shell_url))["data"]["title"] == shell["title"]
        shown = run_cli("--db", str(archive_path), "show", shell_url, "--html")
        assert json.loads(shown.stdout)["data"]["title"] == shell["title"]
        assert shell["metadata"]["content_type"].startswith("application/json")
        # re-extraction reads the stored JSON as the crawl did: the same text, no new version
        assert reextract(archive, portal="sample-hwx")["failed"] == 0
        assert archive.version(shell_url)["number"] == 1
        # the WARC's response record is the API's reply, under the API's URL
        warc = tmp_path / "hwx.warc.gz"
        export_warc(archive.db, warc)
        with warc.open("rb") as fh:
            records = {
                r.rec_headers.get_header("WARC-Target-URI"): (
                    r.http_headers.get_header("Content-Type"),
                    r.content_stream().read(),
                )
                for r in ArchiveIterator(fh)
                if r.rec_type == "response"
            }
        content_type, reply = records[shell["metadata"]["detail_api"]]
        assert content_type.startswith("application/json")
        assert json.loads(reply)["data"]["title"] == shell["title"]
        assert shell_url not in records
    summary = crawled.stdout
    assert ", search 1" in summary.split("sample-hwx", 1)[1].splitlines()[0]
    assert "list API" in summary.split("sample-hwx", 1)[1].splitlines()[0]
    assert "static link" in summary.split("sample-oldj", 1)[1].splitlines()[0]
    assert ", search 1" in summary.split("sample-oldj", 1)[1].splitlines()[0]


def test_json_api_portal_in_the_browser(site, tmp_path, archive_path):
    """Shell lists paged only by buttons: the API the rendered page fetched is paged over
    HTTP; shell articles are rendered; an API answering HTML falls back to the browser; a
    list paged in the page itself is clicked through."""
    seeds = tmp_path / "jsa.toml"
    seeds.write_text(site.seeds_toml(["sample-jsa"]), "utf-8")
    result = run_crawl(seeds, archive_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert not result.errors_logged, result.stderr[-5000:]
    with open_archive(archive_path) as archive:
        urls = {page["url"] for page in archive.list_pages()}
        assert urls == site.archived_urls(["sample-jsa"])
        for item in site.notices(["sample-jsa"]):
            version = archive.version(site.url(item.path))
            assert version["title"] == item.title
            assert version["metadata"]["rendered"] is True  # the version says how it came
    paths = [path for _, path, _ in site.requests]
    # pages 2 and 3 exist only behind load(2)/load(3): read over plain HTTP
    assert "/jsa/api/v1/articles?channel=tzgg&pageNo=3&pageSize=2" in paths
    # the relative API a column's script names, resolved against the page: HTML to plain
    # HTTP clients, so that column is rendered instead
    assert "/jsa/api/v1/xczg/page_1.json" in paths
    assert "'portal/sample-jsa/api_html_fallback': 1" in result.stderr
    # pagers of script buttons over inline arrays, clicked through in the browser: 下一页
    # (信息公开), and page numbers only (整改公开, a column in no navigation, reached only
    # through the home page's 更多 link as an item, then read as a list)
    stats = stats_of(result.stderr)
    assert stats["portal/sample-jsa/clicked_pages"] == 4
    assert stats["portal/sample-jsa/clicked_page_numbers"] == 2
    # the browser read that column instead: no error of the portal
    assert "portal/sample-jsa/api_errors" not in stats and "portal/sample-jsa/errors" not in stats
    linking = [path for path, page in site.pages.items() if b"/jsa/zgtb/" in page.body]
    assert linking == ["/jsa/index.html"]  # its 更多 link only
    first = next(h for m, p, h in site.requests if p == "/jsa/zgtb/index.html")
    assert first["Referer"].endswith("/jsa/index.html")  # first fetched as that link's item
    for path in ("/jsa/art/70015.html", "/jsa/art/70013.html", "/jsa/art/70012.html"):  # pages 1-3
        assert site.url(path) in urls
    # the summary says how: rendered lists, the list API, none "revisit" on a first crawl
    found = result.stdout.split("sample-jsa", 1)[1].splitlines()[0]
    assert "rendered" in found and "list API" in found and "revisit" not in found
