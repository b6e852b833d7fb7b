"""JS-rendered portals with the system Chromium through scrapy-playwright.

These tests need Chromium: `.ci/run` installs it, and a missing browser fails them (never skips).
"""

import ast
import re

import pytest

from crawler.browser import find_browser
from notice.normalize import clean_lines

from conftest import open_archive, run_crawl

JS = "sample-js"


@pytest.fixture
def js_seeds(site, tmp_path):
    def _write(extra: str = "") -> str:
        path = tmp_path / "js.toml"
        path.write_text(site.seeds_toml([JS], {JS: extra} if extra else None), "utf-8")
        return path

    return _write


def stats_of(stderr: str) -> dict:
    """The stats dict Scrapy dumps at the end of a crawl."""
    dump = stderr.split("Dumping Scrapy stats:", 1)[1]
    dump = dump[dump.index("{") : dump.index("}\n") + 1]
    dump = re.sub(r"datetime\.datetime\([^)]*\)", "None", dump)
    return ast.literal_eval(dump)


def test_chromium_is_installed():
    assert find_browser() is not None, "install Chromium: apt-get install -y chromium"


def test_rendered_portal_finds_every_notice(site, js_seeds, archive_path):
    result = run_crawl(js_seeds(), archive_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert not result.errors_logged, result.stderr[-3000:]
    with open_archive(archive_path) as archive:
        urls = {page["url"] for page in archive.list_pages()}
        assert urls == {site.url(item.path) for item in site.notices([JS])}
        for item in site.notices([JS]):
            version = archive.version(site.url(item.path))
            assert version["title"] == item.title
            assert version["text"] == clean_lines("\n".join(item.paragraphs))
            # detail pages come over plain HTTP; only the script-built one was rendered
            assert version["metadata"]["rendered"] is item.scripted
    stats = stats_of(result.stderr)
    assert stats["playwright/browser_count"] == 1
    assert stats["playwright/page_count/closed"] == stats["playwright/page_count"]
    assert stats["playwright/page_count/max_concurrent"] <= 2
    assert stats["portal/sample-js/rendered"] >= 2


def test_browser_stays_in_scope(site, js_seeds, archive_path):
    run_crawl(js_seeds(), archive_path)
    hosts = {headers.get("Host", "") for _, _, headers in site.requests}
    assert all(host.startswith("127.0.0.1") for host in hosts), hosts
    paths = [path for _, path, _ in site.requests]
    assert "/js/banner.png" not in paths and "/js/stat.js" not in paths


def test_without_rendering_the_script_api_is_read_and_the_summary_says_why(
    site, js_seeds, archive_path
):
    result = run_crawl(js_seeds('render = "http"\n'), archive_path, "-s", "BROWSER_ENABLED=False")
    assert result.returncode == 0, result.stderr[-3000:]
    with open_archive(archive_path) as archive:
        urls = {p["url"] for p in archive.list_pages()}
    # the list's script names its JSON API: read over plain HTTP; the notice whose body is
    # built by script needs the browser, and the summary says so
    assert urls == {site.url(i.path) for i in site.notices([JS]) if not i.scripted}
    assert "list API 1" in result.stdout
    assert "note: sample-js builds pages with JavaScript" in result.stdout
    assert 'render = "auto" (the default)' in result.stdout


def test_an_auto_portal_renders_what_needs_the_browser_an_http_portal_never(
    site, js_seeds, archive_path, tmp_path
):
    """render = "auto" (the default): the page built by script is rendered without the seed
    saying so; render = "http": no page is, though Chromium is there, and the summary says
    which portal needs it."""
    result = run_crawl(js_seeds('render = "auto"\n'), archive_path)
    assert result.returncode == 0, result.stderr[-3000:]
    with open_archive(archive_path) as archive:
        assert {p["url"] for p in archive.list_pages()} == {
            site.url(item.path) for item in site.notices([JS])
        }
    assert stats_of(result.stderr)["portal/sample-js/auto_rendered"] >= 1
    result = run_crawl(js_seeds('render = "http"\n'), tmp_path / "http.db")
    assert result.returncode == 0, result.stderr[-3000:]
    stats = stats_of(result.stderr)
    assert "playwright/browser_count" not in stats and stats["portal/sample-js/needs_browser"]
    with open_archive(tmp_path / "http.db") as archive:
        urls = {p["url"] for p in archive.list_pages()}
    assert urls == {site.url(i.path) for i in site.notices([JS]) if not i.scripted}
    assert "note: sample-js builds pages with JavaScript" in result.stdout


def test_browser_portal_without_browser_fails_loudly(js_seeds, archive_path):
    result = run_crawl(js_seeds(), archive_path, "-s", "BROWSER_EXECUTABLE=/nonexistent/chromium")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "BROWSER_EXECUTABLE" in result.stderr
    assert "apt-get install -y chromium" in result.stderr


def test_browser_that_cannot_start_fails_loudly(js_seeds, archive_path, tmp_path):
    broken = tmp_path / "chromium"
    broken.write_text("#!/bin/sh\necho 'cannot open display' >&2\nexit 1\n")
    broken.chmod(0o755)
    result = run_crawl(js_seeds(), archive_path, "-s", f"BROWSER_EXECUTABLE={broken}")
    assert result.returncode == 4  # a failed crawl, not a portal unreachable (1)
    assert "cannot start" in result.stderr
    assert "note: the browser could not start" in result.stdout
    assert stats_of(result.stderr)["finish_reason"] == "browser_unavailable"


def test_http_portals_work_when_the_configured_browser_is_missing(site, seeds_file, archive_path):
    result = run_crawl(seeds_file, archive_path, "-s", "BROWSER_EXECUTABLE=/nonexistent/chromium")
    assert result.returncode == 0, result.stderr[-3000:]
    with open_archive(archive_path) as archive:
        assert archive.stats()["pages"] == site.archived(site.http_portals)


def test_browser_guard_refuses_files_and_out_of_scope_requests():
    from types import SimpleNamespace

    from crawler.browser import CONTEXT_KWARGS, ScopeGuard

    guard = ScopeGuard(["xm.gov.cn"])

    def request(url, kind="document"):
        return SimpleNamespace(url=url, resource_type=kind)

    assert guard(request("file:///etc/passwd"))
    assert guard(request("http://evil.example.com/x.js", "script"))
    assert guard(request("https://www.xm.gov.cn/logo.png", "image"))
    assert not guard(request("https://www.xm.gov.cn/api/list.json", "fetch"))
    assert not guard(request("data:text/plain,hi", "other"))
    assert guard.aborted == 3
    assert CONTEXT_KWARGS["accept_downloads"] is False


def _click_through_in_chromium(html: str, max_clicks: int) -> dict:
    """Load a page in the system Chromium (as the crawl launches it) and click through it."""
    import asyncio

    from playwright.async_api import async_playwright

    from crawler.browser import launch_options
    from crawler.lists.clicks import click_through

    async def run() -> dict:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(**launch_options(find_browser(), 30_000))
            try:
                page = await browser.new_page()
                await page.set_content(html)
                return await click_through(page, max_clicks)
            finally:
                await browser.close()

    return asyncio.run(run())


def test_a_pager_of_page_numbers_only_is_clicked_in_order_in_chromium():
    from pathlib import Path

    from parsel import Selector

    from crawler.lists import Page
    from crawler.lists.clicks import has_script_pager

    html = (Path(__file__).parent / "fixtures" / "lists" / "page_numbers.html").read_text("utf-8")
    result = _click_through_in_chromium(html, 10)
    assert (result["mode"], result["capped"], "error" in result) == ("page numbers", False, False)
    # pages 2..5 in order, as the pager shows them (4 appears only once 2 was clicked)
    firsts = [Selector(text=s).css("#list a::attr(href)").get() for s in result["states"]]
    assert firsts == ["/art/3.html", "/art/5.html", "/art/7.html", "/art/9.html"]
    assert has_script_pager(Page("http://www.x.gov.cn/", result["states"][0], ("x.gov.cn",)))
    # bounded by LIST_MAX_PAGES: the bound stops it, and says so
    capped = _click_through_in_chromium(html, 2)
    assert (len(capped["states"]), capped["capped"]) == (2, True)


def test_a_pager_whose_list_answers_late_is_read_when_it_changes_in_chromium():
    from pathlib import Path

    from parsel import Selector

    html = (Path(__file__).parent / "fixtures" / "lists" / "slow_pager.html").read_text("utf-8")
    result = _click_through_in_chromium(html, 10)
    firsts = [Selector(text=s).css("#list a::attr(href)").get() for s in result["states"]]
    # each state once its reply came; an empty page once, then a click that changes only
    # the pager (no new link) is the end, not LIST_MAX_PAGES clicks
    assert firsts == ["/art/3.html", "/art/5.html", None]
    assert (result["capped"], "error" in result) == (False, False)
