"""Coverage, in-process: what lists say they hold (共N条, 共N页, createPageHTML, an API's
total), what was read of them, which are complete, and the archive's per-run record."""

import json

import pytest

from archive import Archive, UnknownRun
from crawler import coverage
from crawler.coverage import API, FEED, LIST, SITEMAP, Coverage
from crawler.discovery import Link
from crawler.lists import Page
from crawler.lists.counts import Stated, stated_by_page, stated_by_reply

from conftest import run_cli

BASE = "http://www.x.gov.cn"


def stated(body: str, links=()) -> Stated:
    page = Page(BASE + "/tzgg/index.html", f"<html><body>{body}</body></html>", ("x.gov.cn",))
    return stated_by_page(page, list(links))


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("<div class='page'>共128条 每页15条 共9页</div>", Stated(128, 9)),
        ("<span>共有 37 条记录</span> 第1/3页", Stated(37, 3)),
        ("<p>记录数：52</p>", Stated(52, None)),
        ("<script>createPageHTML(7, 0, 'index', 'html');</script>", Stated(None, 7)),
        ("<script>var totalRecord = 45; var pageCount = 3;</script>", Stated(45, 3)),
        ('<script type="text/xml"><totalrecord>88</totalrecord></script>', Stated(88, None)),
        ("<p>巡察整改情况通报</p>", Stated(None, None)),
    ],
)
def test_what_a_list_page_states(body, expected):
    assert stated(body) == expected


def test_the_last_page_number_a_pager_shows():
    links = [
        Link(BASE + "/tzgg/index_1.html", "2", "page"),
        Link(BASE + "/tzgg/index_11.html", "12", "page"),
        Link(BASE + "/tzgg/index_1.html", "下一页", "page"),
        Link(BASE + "/a/1.html", "15", "notice"),
    ]
    assert stated("<p>列表</p>", links) == Stated(None, 12)
    assert stated("共20页", links) == Stated(None, 20)


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ({"total": 128, "rows": [{"title": "a"}]}, Stated(128, None)),
        ({"code": 0, "data": {"totalCount": "45", "totalPage": 3, "list": []}}, Stated(45, 3)),
        ({"page": {"totalElements": 9, "totalPages": 1}, "content": []}, Stated(9, 1)),
        ({"data": [{"title": "a", "count": 3}]}, Stated()),  # a record's count is no total
        ({"ok": True}, Stated()),
        ([1, 2, 3], Stated()),
    ],
)
def test_what_an_api_reply_states(reply, expected):
    assert stated_by_reply(reply) == expected


def test_a_list_read_whole_is_complete_one_read_short_is_not():
    cov = Coverage()
    cov.record("p", BASE + "/tzgg", stated_pages=3)
    for n in range(3):
        cov.record("p", BASE + "/tzgg", page=f"{BASE}/tzgg/index_{n}.html")
    cov.record("p", BASE + "/tzgg", page=f"{BASE}/tzgg/index_0.html")  # read twice: one page
    cov.record("p", "api:/list", kind=API, page="/list?page=1", read=15, stated=40)
    cov.record("p", "api:/list", kind=API, page="/list?page=2", read=15)
    [api, html] = cov.lists("p")
    assert (html.kind, html.read_pages, html.stated_pages, html.complete) == (LIST, 3, 3, True)
    assert (api.read_items, api.stated_items, api.read_pages) == (30, 40, 2)
    assert api.incomplete_because == "read 30 of 40 items; no way to reach the rest"
    assert [e.list_url for e in cov.incomplete("p")] == ["api:/list"]
    assert cov.lists("q") == []


def test_a_reason_makes_a_list_incomplete_whatever_it_stated():
    cov = Coverage()
    cov.record("p", BASE + "/s.xml", kind=SITEMAP, page=BASE + "/s.xml", read=100, stated=300)
    cov.record("p", BASE + "/s.xml", kind=SITEMAP, reason="cap (SITEMAP_MAX_URLS)")
    cov.record("p", BASE + "/f.xml", kind=FEED, reason="error: HTTP 500")
    sitemap = next(e for e in cov.lists("p") if e.kind == SITEMAP)
    assert sitemap.incomplete_because == "read 100 of 300 items; cap (SITEMAP_MAX_URLS)"
    feed = next(e for e in cov.lists("p") if e.kind == FEED)
    assert (feed.read_pages, feed.incomplete_because) == (0, "error: HTTP 500")


def test_bad_records_are_refused():
    cov = Coverage()
    with pytest.raises(ValueError, match="unknown kind"):
        cov.record("p", "x", kind="carousel")
    with pytest.raises(ValueError, match="counted with the page"):
        cov.record("p", "x", read=3)


def test_the_module_records_into_a_frontiers_coverage():
    from crawler.frontier import Frontier

    policy = Frontier({})
    coverage.record(policy, "p", BASE + "/tzgg", page=BASE + "/tzgg/", stated_pages=2)
    assert policy.coverage.lists("p")[0].incomplete_because.startswith("read 1 of 2 pages")


def test_the_archive_keeps_each_runs_coverage_and_the_cli_reads_it(tmp_path):
    cov = Coverage()
    cov.record("p", BASE + "/tzgg", page=BASE + "/tzgg/", stated=30, stated_pages=2)
    cov.record("p", BASE + "/tzgg", page=BASE + "/tzgg/index_1.html")
    cov.record("q", "api:/list", kind=API, page="/list?page=1", read=10, stated=12)
    path = tmp_path / "a.db"
    with Archive(path) as archive:
        run = archive.begin_run(["p", "q"])
        archive.record_coverage(
            run,
            [
                {"portal": "p", "complete": True, "reason": ""},
                {"portal": "q", "complete": False, "reason": "1 list(s) read short"},
            ],
            [entry.as_record() for entry in cov.lists()],
        )
        archive.finish_run(run, "finished", {})
        found = archive.coverage()
        with pytest.raises(UnknownRun):
            archive.coverage(run + 1)
    assert found["run"] == run
    [p, q] = found["portals"]
    assert (p["portal"], p["complete"], p["lists"][0]["read_pages"]) == ("p", True, 2)
    assert p["lists"][0]["stated_items"] == 30
    assert (q["complete"], q["reason"]) == (False, "1 list(s) read short")
    assert q["lists"][0]["reason"] == "read 10 of 12 items; no way to reach the rest"
    out = run_cli("--db", str(path), "coverage", "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == json.loads(json.dumps(found))
    text = run_cli("--db", str(path), "coverage", str(run)).stdout
    assert "q  INCOMPLETE (1 list(s) read short)" in text
    assert "read 10 of 12 items" in text
    assert run_cli("--db", str(path), "coverage", "99").returncode == 1


def test_rows_that_lead_back_to_the_list_page_yield_no_article_url():
    home = "http://x.gov.cn/"
    routes = [f"{home}#/detail/{i}" for i in (57, 58, 59)]
    assert coverage.rows_without_urls(routes, home)
    assert not coverage.rows_without_urls([*routes, "http://x.gov.cn/a/1.html"], home)
    assert not coverage.rows_without_urls(["http://x.gov.cn/?id=57"], home)
    assert not coverage.rows_without_urls([], home)  # no rows: the recipe read nothing
    store = Coverage()
    reason = f"{coverage.UNKNOWN}: {coverage.NO_ARTICLE_URL}"
    store.record("p", home, kind=API, page=home + "#0", read=3, stated=3)
    store.record("p", home, kind=API, reason=reason)
    (entry,) = store.incomplete("p")
    assert entry.incomplete_because == reason
