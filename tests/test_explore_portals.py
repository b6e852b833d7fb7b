"""Portals whose notices only a visitor's actions reach (issue 24), crawled from the home page
and the domain alone: ASP.NET postback pagers, 加载更多 by offset and by cursor, tabs and a
year select, rows that are not links (one list's short last page read by the rule learned on its
first), token-guarded single-page apps (one a bare mount point
whose visitor tokens expire, its column in a drop-down menu), a sitemap index with
gzipped sitemaps, RSS/Atom feeds, notices split over several pages, infinite scroll over
article shells (tests/explore_site, tests/fixtures/explore).

One real `scrapy crawl` with Chromium available over all of them (a module fixture), then a
recrawl of a copy of its archive after nine portals published one more notice each where
only the stored list recipes reach it (or the sitemaps and feeds). Written before the list
explorer existed, its tests were strict xfail until it did (docs/discovery-explore-before.md)."""

import asyncio
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.request import urlopen

import pytest
from explore_site import MODULES, ExploreSite, serve, split
from explore_site.visitor import visit
from parsel import Selector

from notice.encoding import decode_html
from notice.normalize import clean_lines
from notice.urls import canonical_url

from conftest import CrawlResult, open_archive, run_crawl

PORTALS = [module.PID for module in MODULES]
HOMES = {module.PID: module.HOME for module in MODULES}
# portals whose notices the sources crawlers read and article joining reach (issue 24, 3 and 4)
SOURCES = ("smp", "rss", "split")
# a bounded crawl: the explorer's budgets, and a deadline for the whole crawl
BOUNDS = ("-s", "CLOSESPIDER_TIMEOUT=300", "-s", "EXPLORE_MAX_ACTIONS=40")


def seeds_toml(site: ExploreSite) -> str:
    """One portal per explore portal: its home page and the domain, nothing else."""
    return "\n".join(
        f'[[portal]]\nid = "explore-{pid}"\nname = "{site.portals[pid].name}"\n'
        f'start_urls = ["{site.url(home)}"]\nallowed_domains = ["127.0.0.1"]\n'
        for pid, home in HOMES.items()
    )


@dataclass
class Crawl:
    site: ExploreSite
    archive: Path
    result: CrawlResult
    notices: dict[str, set[str]]  # portal -> canonical URLs of its notices at crawl time
    others: dict[str, set[str]]  # portal -> canonical URLs of its other articles
    titles: dict[str, str]  # canonical URL of a notice -> its title
    requests: int  # how many requests the portals' servers had received when the crawl ended

    def archived(self, pid: str) -> set[str]:
        """The canonical URLs archived on the portal's server, under its path prefix."""
        prefix = self.site.url(f"/{pid}/")
        with open_archive(self.archive) as archive:
            urls = {canonical_url(page["url"]) for page in archive.list_pages()}
        return {url for url in urls if url.startswith(prefix)}

    def run_stats(self) -> dict:
        """The stats the archive kept for the latest run."""
        with open_archive(self.archive) as archive:
            row = next(iter(archive.db.query("SELECT stats FROM runs ORDER BY id DESC LIMIT 1")))
        return json.loads(row["stats"] or "{}")


def _urls(site: ExploreSite, items) -> set[str]:
    return {canonical_url(site.url(item.path)) for item in items}


def _crawl(site: ExploreSite, seeds: Path, archive: Path) -> Crawl:
    result = run_crawl(seeds, archive, *BOUNDS, timeout=420)
    assert result.returncode == 0, result.stderr[-3000:]
    return Crawl(
        site,
        archive,
        result,
        {pid: _urls(site, site.notices(pid)) for pid in PORTALS},
        {pid: _urls(site, site.non_notices(pid)) for pid in PORTALS},
        {canonical_url(site.url(i.path)): i.title for pid in PORTALS for i in site.notices(pid)},
        len(site.requests),
    )


@pytest.fixture(scope="module")
def served():
    with serve() as site:
        yield site


@pytest.fixture(scope="module")
def first(served, tmp_path_factory) -> Crawl:
    folder = tmp_path_factory.mktemp("explore")
    seeds = folder / "seeds.toml"
    seeds.write_text(seeds_toml(served), "utf-8")
    return _crawl(served, seeds, folder / "archive.db")


@pytest.fixture(scope="module")
def recrawl(first) -> Crawl:
    """A later crawl of a copy of the first crawl's archive, after the portals published."""
    copy = first.archive.with_name("recrawl.db")
    with sqlite3.connect(first.archive) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    first.site.publish_later()
    return _crawl(first.site, first.archive.with_name("seeds.toml"), copy)


# -- the portals themselves -----------------------------------------------------------------


def _static_links(site: ExploreSite, pid: str) -> set[str]:
    """Every URL of the portal reachable from its home page by `<a href>` links alone."""
    prefix, seen, todo = site.url(f"/{pid}/"), set(), [site.url(HOMES[pid])]
    while todo:
        url = todo.pop()
        if url in seen or not url.startswith(prefix):
            continue
        seen.add(url)
        with urlopen(url) as reply:
            if "html" not in reply.headers.get("Content-Type", ""):
                continue
            page = Selector(text=decode_html(reply.read(), dict(reply.headers)).text)
        todo += [urljoin(url, href).split("#")[0] for href in page.css("a::attr(href)").getall()]
    return {canonical_url(url) for url in seen}


@pytest.fixture(scope="module")
def published():
    """The portals as the recrawl finds them (with the notices published in between)."""
    with serve() as site:
        site.publish_later()
        yield site


@pytest.mark.parametrize("pid", PORTALS)
def test_no_notice_is_reachable_by_links_alone(published, pid):
    """The portals need their mechanism: following plain links from the home page reaches no
    notice (the split portal: no page but the first of the script-paged article)."""
    site = published
    reachable = _static_links(site, pid)
    if pid == "split":
        scripted = next(i for i in site.notices(pid) if i.id not in split.JSP_IDS)
        assert canonical_url(site.url(split.part_paths(scripted)[-1])) not in reachable
        assert canonical_url(site.url(scripted.path)) in reachable
    else:
        assert not reachable & _urls(site, site.notices(pid)), reachable


def test_a_visitor_reaches_every_notice_in_chromium(published):
    """The portals are fair: clicking, selecting and scrolling as a person would (or reading
    the sitemaps and feeds a crawler reads) shows every notice (explore_site/visitor.py)."""
    from playwright.async_api import async_playwright

    from crawler.browser import find_browser, launch_options

    async def run() -> dict[str, set[str]]:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(**launch_options(find_browser(), 30_000))
            try:
                return await visit(published, browser)
            finally:
                await browser.close()

    seen = asyncio.run(run())
    for pid in PORTALS:
        found = {canonical_url(url) for url in seen[pid]}
        assert _urls(published, published.notices(pid)) <= found, pid


# -- the first crawl ---------------------------------------------------------------------------


# before the explorer: none of the 22 notices (docs/discovery-explore-before.md)
@pytest.mark.parametrize("pid", PORTALS)
def test_every_notice_is_archived(first, pid):
    assert first.notices[pid] <= first.archived(pid), first.notices[pid] - first.archived(pid)
    with open_archive(first.archive) as archive:
        for url in first.notices[pid]:
            assert archive.version(url)["title"] == first.titles[url]


@pytest.mark.parametrize("pid", PORTALS)
def test_no_near_miss_is_archived(first, pid):
    """Inspection news, audit and 督察 reports, plans, other 情况通报, list pages (one titled
    巡察整改): only the notices are archived."""
    assert not first.archived(pid) & first.others[pid]
    assert first.archived(pid) <= first.notices[pid]


def test_a_notice_split_over_pages_is_one_notice_with_all_its_text(first):
    """Fetched page by page and joined in order: the closing sections, contacts, issuer and
    date are only on the last page; no later page is archived as a page of its own."""
    site = first.site
    assert first.archived("split") == first.notices["split"]
    with open_archive(first.archive) as archive:
        for item in site.notices("split"):
            version = archive.version(site.url(item.path))
            assert version["number"] == 1
            parts = [clean_lines("\n".join(part)) for part in item.split()]
            assert "联系电话" in parts[-1] and item.parts == len(parts) > 1
            where = [version["text"].find(part) for part in parts]
            assert -1 not in where and where == sorted(where), (item.title, where)


def test_an_apps_channels_are_lists_read_whole_in_the_coverage(first):
    """The hash-routed app's channels (one JSON endpoint, a channel field) are each a list
    whose stated total was read; before the app shell was recognised, the portal read no
    list and its coverage said complete."""
    with open_archive(first.archive) as archive:
        (portal,) = archive.coverage(None, "explore-hsh")["portals"]
    lists = {row["list_url"].rsplit(" ", 1)[-1]: row for row in portal["lists"]}
    assert portal["complete"] and set(lists) == {
        "[channel=yw]",
        "[channel=tzgg]",
        "[channel=djdt]",
        "[channel=xczg]",
    }
    xczg = lists["[channel=xczg]"]
    assert (
        xczg["read_items"]
        == xczg["stated_items"]
        == len([i for i in first.site.portals["hsh"].items if i.list == "xczg" and not i.later])
    )


def test_rows_on_a_lists_short_last_page_are_read_by_the_rule_of_its_first(first):
    """prw's 通知公告 page 2 holds two rows that are no links (too few to say it needs the
    browser): the rows rule the browser learned on page 1 reads them over HTTP, and the
    list is read whole. Before, its notice was missed and the coverage said complete."""
    stats = first.run_stats()
    assert stats.get("portal/explore-prw/rows_by_rule", 0) >= 1
    with open_archive(first.archive) as archive:
        (portal,) = archive.coverage(None, "explore-prw")["portals"]
    lists = {row["list_url"].rsplit("/", 1)[-1]: row for row in portal["lists"]}
    assert portal["complete"] and lists["list.jsp?lmid=44"]["complete"]
    assert lists["list.jsp?lmid=44"]["stated_pages"] == 2


def test_no_request_leaves_the_allowed_domains(first):
    """Links out of scope sit in controls (a 友情链接 select, a tab, buttons): never followed,
    by the crawler or by the browser."""
    assert first.site.offsite_requests == []
    hosts = {r.headers.get("Host", "") for r in first.site.requests[: first.requests]}
    assert all(urlsplit(f"http://{host}").hostname == "127.0.0.1" for host in hosts), hosts


def test_the_crawl_logs_no_error(first):
    assert not first.result.errors_logged, first.result.stderr[-5000:]


# -- the recrawl -----------------------------------------------------------------------------


def _recrawl_found(first: Crawl, recrawl: Crawl, pids) -> None:
    """Each portal's notice published since is archived, and every notice of the first crawl
    is still listed (none marked delisted)."""
    with open_archive(recrawl.archive) as archive:
        for pid in pids:
            new = recrawl.notices[pid] - first.notices[pid]
            assert new <= recrawl.archived(pid), pid
            for url in first.notices[pid]:
                assert archive.page(url)["delisted_since"] is None, url
    assert recrawl.site.offsite_requests == []


def test_recrawl_replays_stored_recipes_without_the_browser(first, recrawl):
    """The first crawl explored in the browser and stored each list's recipe; the second
    replays them over HTTP: it starts no browser (the run's stats in the archive say so), yet
    finds the notice each portal published since, behind its mechanism (the sitemap's and
    the feeds' among them), and every notice of the first crawl is still listed."""
    assert first.run_stats().get("playwright/browser_count", 0) >= 1
    stats = recrawl.run_stats()
    assert stats.get("playwright/browser_count", 0) == 0
    explored = [pid for pid in PORTALS if pid not in SOURCES]
    assert sum(stats.get(f"portal/explore-{pid}/recipes_replayed", 0) for pid in explored) >= 8
    new = {pid: recrawl.notices[pid] - first.notices[pid] for pid in PORTALS}
    assert sum(len(urls) for urls in new.values()) == 9  # one per portal with plain articles
    _recrawl_found(first, recrawl, PORTALS)
