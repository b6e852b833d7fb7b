"""The crawl policy, in-process: dedupe with role upgrade, budgets, revisits, completeness."""

import threading
from datetime import UTC, datetime

import pytest

from archive import Archive, ArchiveLocked, CrawlLock, PageContent
from crawler.frontier import Budgets, Frontier, Skip, Visit, list_key, list_name
from crawler.pipelines import mark_delisted
from crawler.seeds import Portal
from crawler.startup import unlock_archive

NOW = datetime(2026, 6, 1, tzinfo=UTC)
BASE = "http://www.x.gov.cn"


def portal(pid: str = "p", **kwargs) -> Portal:
    return Portal(pid, "P", (BASE + "/",), ("x.gov.cn",), **kwargs)


def frontier(*portals: Portal, **kwargs) -> Frontier:
    portals = portals or (portal(),)
    return Frontier({p.id: p for p in portals}, now=NOW, **kwargs)


def read_lists(f: Frontier, *pids: str) -> Frontier:
    """The crawl read a list page of each portal (a portal that read none is incomplete)."""
    for pid in pids or ("p",):
        f.coverage.record(pid, BASE + "/list/", page=BASE + "/list/")
    return f


def test_dedupe_and_priorities():
    f = frontier()
    first = f.admit("p", BASE + "/a.htm", "notice", 1)
    assert (
        isinstance(first, Visit)
        and first.priority > f.admit("p", BASE + "/l/", "column", 1).priority
    )
    assert f.admit("p", BASE + "/a.htm#top", "candidate", 2) == Skip("seen")


def test_inspection_columns_are_read_before_other_columns():
    f = frontier()
    generic = f.admit("p", BASE + "/zwgk/", "column", 1, label="政务公开")
    notices = f.admit("p", BASE + "/zwgk/tzgg/", "column", 1, label="通知公告")
    by_name = f.admit("p", BASE + "/a/", "column", 1, label="巡视巡察")
    by_path = f.admit("p", BASE + "/gzdt/xszg/", "column", 1, label="工作动态")
    assert generic.priority < notices.priority < by_name.priority == by_path.priority
    assert by_name.priority < f.admit("p", BASE + "/l/index_1.html", "page", 1).priority


def test_portal_time_budget_is_a_cap():
    now = [100.0]
    f = frontier(portal("p"), portal("q"), budgets=Budgets(portal_seconds=60), clock=lambda: now[0])
    read_lists(f, "p", "q")
    assert isinstance(f.admit("p", BASE + "/a/", "column", 1), Visit)
    now[0] += 30
    assert isinstance(f.admit("q", BASE + "/q/", "column", 1), Visit)  # q's clock starts now
    now[0] += 31
    assert f.admit("p", BASE + "/b/", "column", 1) == Skip("time_budget_reached")
    assert isinstance(f.admit("q", BASE + "/q2/", "column", 1), Visit)
    assert not f.listing_complete("p") and f.listing_complete("q")
    assert f.incomplete_because("p") == "time_budget_reached"


def test_an_item_linked_as_a_list_is_read_as_a_list():
    f = frontier()
    f.admit("p", BASE + "/col/", "notice", 1)
    assert f.admit("p", BASE + "/col/", "column", 1) == Skip("seen")  # one fetch …
    assert f.read(BASE + "/col/", False, "notice") == "candidate"  # … read as a list too
    assert f.read(BASE + "/other.htm", False, "notice") == "notice"


def test_browser_portal_renders_lists_not_items():
    f = frontier(portal(render="browser"), browser=True)
    assert f.admit("p", BASE + "/l/", "column", 0).render
    assert not f.admit("p", BASE + "/a.htm", "notice", 0).render
    # the same list over HTTP and rendered are two fetches
    assert isinstance(f.admit("p", BASE + "/l/", "column", 0, render=False), Visit)


def test_revisit_decision_and_force():
    known = {BASE + "/old.htm": {"portal_id": "p", "born": "2020-01-01", "state": "live",
                                "last_fetched": "2026-05-31T00:00:00Z", "etag": None,
                                "last_modified": None}}  # fmt: skip
    f = frontier()
    f.load_known(known)
    assert f.admit("p", BASE + "/old.htm", "notice", 1) == Skip("not_due")
    assert f.counts["portal/p/not_due"] == 1
    # a removal check ignores the revisit policy
    visit = f.admit("p", BASE + "/old.htm", "notice", 0, force=True)
    assert isinstance(visit, Visit) and visit.known["born"] == "2020-01-01"
    assert frontier(full=True, known=known).due(BASE + "/old.htm")


def test_max_pages_is_a_cap():
    f = frontier(portal(max_pages=2))
    assert isinstance(f.admit("p", BASE + "/1", "notice", 0), Visit)
    assert isinstance(f.admit("p", BASE + "/2", "notice", 0), Visit)
    assert f.admit("p", BASE + "/3", "notice", 0) == Skip("max_pages_reached")
    assert not f.listing_complete("p")


def test_list_pages_bounded_per_list():
    f = read_lists(frontier(budgets=Budgets(list_pages=2)))
    assert f.list_page("p", BASE + "/list.jsp?cid=1&page=1")
    assert f.list_page("p", BASE + "/list.jsp?cid=1&page=2")
    # another column of the same script has its own budget
    assert f.list_page("p", BASE + "/list.jsp?cid=2&page=2")
    assert f.listing_complete("p")
    assert not f.list_page("p", BASE + "/list.jsp?page=3&cid=1")
    assert f.counts["portal/p/list_pages_capped"] == 1
    assert not f.listing_complete("p")


def test_list_keys():
    assert list_key(BASE + "/tzgg/index_3.html") == list_key(BASE + "/tzgg/")
    assert list_key(BASE + "/list.jsp?cid=12&pageNum=3") == list_key(BASE + "/list.jsp?cid=12")
    assert list_key(BASE + "/list.jsp?cid=12") != list_key(BASE + "/list.jsp?cid=13")
    # a page number as the path's last segments: one list, named as its first page
    for paged in ("/category/tzgg/page/2/", "/category/tzgg/page/3", "/category/tzgg/p/2"):
        assert list_key(BASE + paged) == list_key(BASE + "/category/tzgg/")
        assert list_name(BASE + paged) == BASE + "/category/tzgg/"
    assert list_key(BASE + "/category/gzdt/page/2/") != list_key(BASE + "/category/tzgg/")


def test_api_identity_and_pages():
    f = read_lists(frontier(budgets=Budgets(api_pages=3)))
    one, two = (
        ("hanweb", "dp.jsp", (("columnid", "1"),)),
        ("hanweb", "dp.jsp", (("columnid", "2"),)),
    )
    assert f.start_api("p", one) and f.start_api("p", two) and not f.start_api("p", one)
    assert f.api_page("p", one, 3, None)
    assert f.listing_complete("p")
    assert not f.api_page("p", one, 4, None)
    assert not f.listing_complete("p")
    assert not frontier().api_page("p", one, 3, 2)  # the API's own bound


def test_failed_list_page_leaves_listing_incomplete():
    f = read_lists(frontier(portal("a"), portal("b")), "a", "b")
    f.list_failed("a")
    assert not f.listing_complete("a") and f.listing_complete("b")
    assert f.incomplete_because("a") == "list page failed" and f.incomplete_because("b") == ""


def _known(*urls: str) -> dict:
    return {
        u: {"portal_id": "p", "born": "2020-01-01", "state": "live",
            "last_fetched": "2026-05-31T00:00:00Z", "etag": None, "last_modified": None}
        for u in urls
    }  # fmt: skip


def test_unlisted_known_notices_are_checked_once_when_the_listing_is_complete():
    f = frontier(known=_known(BASE + "/a.htm", BASE + "/b.htm"))
    f.admit("p", BASE + "/a.htm", "notice", 1)  # listed, not due: skipped
    f.admit("p", BASE + "/b.htm", "notice", 0)  # from the archive, not due: skipped
    f.list_item("p", BASE + "/a.htm", "static link")
    assert f.unlisted_known("p") == [BASE + "/b.htm"]
    other = read_lists(frontier(known=_known(BASE + "/a.htm", BASE + "/f.pdf")))
    other.load_known(other.known, attachments=[BASE + "/f.pdf"])
    assert other.unlisted_known("p") == [BASE + "/a.htm"]  # a notice's file is not listed
    assert isinstance(f.admit("p", BASE + "/b.htm", "notice", 0, force=True), Visit)
    assert f.unlisted_known("p") == []  # once per crawl
    assert f.found["p"] == {"static link": 1}


def _archive_with(path, urls) -> Archive:
    archive = Archive(path)
    archive.upsert_portals([{"id": "p", "name": "P", "start_urls": [BASE + "/"]}])
    for url in urls:
        archive.record_page(url, PageContent(text="t", title="t"), b"x", portal_id="p")
    return archive


def test_capped_listing_checks_and_delists_nothing(tmp_path):
    """A crawl that hit a cap marks none of the portal's notices delisted."""
    urls = (BASE + "/a.htm", BASE + "/b.htm")
    f = frontier(budgets=Budgets(list_pages=1), known=_known(*urls))
    assert f.list_page("p", BASE + "/l/index.html")
    f.list_item("p", BASE + "/a.htm")
    assert not f.list_page("p", BASE + "/l/index_1.html")  # b.htm was on the page not read
    assert f.unlisted_known("p") == []
    with _archive_with(tmp_path / "a.db", urls) as archive:
        assert mark_delisted(archive, f) == {}
        assert archive.page(BASE + "/b.htm")["delisted_since"] is None
    # the same crawl without the cap: b.htm is delisted
    f = frontier(known=_known(*urls))
    f.list_item("p", BASE + "/a.htm")
    with _archive_with(tmp_path / "b.db", urls) as archive:
        assert mark_delisted(archive, f) == {"p": 1}
        assert archive.page(BASE + "/b.htm")["delisted_since"] is not None


def test_a_portal_that_read_no_list_delists_nothing(tmp_path):
    """A crawl that read no list of a portal (its start page failed to be one, a list it
    could not read) and listed nothing knows nothing of what its lists hold: incomplete, with
    the reason, and none of its notices is marked delisted or checked as unlisted; a list
    said unknown (its rows unread) and nothing else is incomplete too."""
    urls = (BASE + "/a.htm", BASE + "/b.htm")
    f = frontier(portal("p"), portal("q"), known=_known(*urls))
    assert f.incomplete_because("p") == "no list read" and not f.listing_complete("p")
    assert f.unlisted_known("p") == []
    with _archive_with(tmp_path / "a.db", urls) as archive:
        assert mark_delisted(archive, f) == {}
        assert archive.page(BASE + "/b.htm")["delisted_since"] is None
    f.coverage.record("q", BASE + "/l/", page=BASE + "/l/")
    assert f.listing_complete("q")
    f.coverage.record("q", BASE + "/l/", reason="unknown: its rows are no links")
    assert f.incomplete_because("q") == "1 list(s) incomplete (unknown: its rows are no links)"
    with _archive_with(tmp_path / "b.db", ()) as archive:
        assert "q" not in mark_delisted(archive, f)


def test_lock_file_is_removed_and_a_waiter_takes_a_new_one(tmp_path):
    first = CrawlLock(tmp_path / "a.db")
    first.acquire()
    waiter = CrawlLock(tmp_path / "a.db")
    thread = threading.Thread(target=waiter.acquire, kwargs={"wait": True, "timeout": 30})
    thread.start()  # it opens the file and waits for the lock
    unlock_archive(first)  # the crawl ends: the file is removed, then unlocked
    thread.join()
    assert waiter.path.exists() and "pid" in waiter.path.read_text()
    # the waiter holds the lock at the lock's path: a third crawl is refused
    with pytest.raises(ArchiveLocked):
        CrawlLock(tmp_path / "a.db").acquire()
    unlock_archive(waiter)
    assert not waiter.path.exists()
