"""The web view over an archive made by real crawls (a crawl, an edit on the site, a recrawl, a
second edit with a removal and a move, a third crawl): what its pages say, read in-process
through Datasette's own client (tests/web_client.py), and what a reader does there (pick two
versions, switch to side by side, open an old version, open the page as captured, filter the
changes, click, expand, scroll, search), in `python -m archive datasette` driven in Debian's
Chromium.

The browser tests need Chromium: `.ci/run` installs it, and a missing browser fails them (never
skips).
"""

import html
import json
import sqlite3
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from urllib.parse import quote, urlsplit

import pytest
from parsel import Selector
from playwright.sync_api import expect, sync_playwright
from screenshots import (
    HOSTILE,
    build_archive,
    capture_path,
    copies_path,
    datasette,
    launch,
    notice_path,
    pages,
    shoot,
)
from web_client import WebClient, texts

from archive.diff import diff_texts
from archive.search import search
from demo.crawl import PROJECT_ROOT

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    return build_archive(tmp_path_factory.mktemp("web"))


@pytest.fixture(scope="module")
def base(archive):
    with datasette(archive.path, archive.path.with_name("datasette.log")) as url:
        yield url


@pytest.fixture(scope="module")
def web(archive):
    """The same web view in-process (Datasette's own client), for what its pages say."""
    with WebClient(archive.path) as client:
        yield client


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, base):
    """A browser tab; fails the test if any script of the page opens a dialog (alert)."""
    context = browser.new_context(base_url=base, viewport={"width": 1100, "height": 700})
    tab = context.new_page()
    dialogs = []
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    yield tab
    context.close()
    assert not dialogs, f"a page ran a script: {dialogs}"


def current_text(archive, url: str) -> str:
    with sqlite3.connect(archive.path) as conn:
        return conn.execute(
            "SELECT v.text FROM pages p JOIN versions v ON v.page_id = p.id "
            "AND v.number = p.current_version WHERE p.url = ?",
            [url],
        ).fetchone()[0]


def test_edited_notice_shows_old_and_new_figures_and_escapes_its_text(web, archive):
    page = web.page(notice_path(archive.url["EDITED"]) + "&from=1&to=2")
    assert texts(page, "h1") == ["中共厦门市集美区委关于巡视“回头看”整改情况的通报"]
    (about,) = texts(page, "#about")
    assert "厦门市" in about  # region
    assert "municipal" in about
    (diff,) = page.css("section.version-diff")
    (figures,) = texts(diff, "p.figures")
    assert "96条 → 98条" in figures
    (change,) = diff.css(".para.change")
    assert texts(change, ".old del") == ["6"]
    assert texts(change, ".new ins")[0] == "8"
    (old,), (new,) = texts(change, ".old"), texts(change, ".new")
    assert "明确整改措施96条" in old
    # the markup in the notice's text is shown as text, never run or parsed
    assert HOSTILE in new
    (body,) = texts(page, ".text")
    assert HOSTILE in body
    assert page.css("[onmouseover]") == []
    assert not any("alert(" in script for script in page.css("script").xpath("string()").getall())
    timeline = texts(page, "table.timeline tbody tr")
    assert len(timeline) == 3
    assert "changed" in timeline[1] and "96条 → 98条" in timeline[1]
    assert "95条" in timeline[2] and "14条 → 16条" in timeline[2]
    (current,) = texts(page, "#text")
    assert "version 3" in current


def test_the_notice_page_compares_the_last_two_versions_by_default(web, archive):
    page = web.page(notice_path(archive.url["EDITED"]))
    (heading,) = texts(page, "section.version-diff h3")
    assert heading.startswith("Version 2 (changed") and "→ version 3 (changed" in heading
    (figures,) = texts(page, "section.version-diff p.figures")
    assert figures == "figures 88条 → 95条; 8条 → 3条; 14条 → 16条"
    assert page.css("select[name=from] option[selected]::attr(value)").getall() == ["2"]
    assert page.css("select[name=to] option[selected]::attr(value)").getall() == ["3"]


def test_an_old_version_has_its_own_address_and_what_changed_since(web, archive):
    page = web.page(notice_path(archive.url["EDITED"]) + "&v=1")
    assert texts(page, "#text") == ["Version 1's text (of 3)"]
    (body,) = texts(page, ".text")
    assert "明确整改措施96条" in body and "重新制定整改措施14条" in body and HOSTILE not in body
    # its fields and figures are version 1's
    assert "96" in " ".join(texts(page, "table tr"))
    # and the diff is what changed since it: version 1 against the current version
    (heading,) = texts(page, "section.version-diff h3")
    assert heading.startswith("Version 1 (new") and "→ version 3" in heading
    assert texts(page, "section.version-diff p.figures") == [
        "figures 96条 → 98条; 88条 → 95条; 8条 → 3条; 14条 → 16条"
    ]


def test_gone_notice_shows_its_last_text_and_when_it_went(web, archive):
    page = web.page(notice_path(archive.url["GONE"]))
    assert texts(page, "h1") == ["中共厦门市同安区委关于十一届省委第五轮巡视集中整改进展情况的通报"]
    assert texts(page, "#about .state-gone") == ["gone"]
    (note,) = texts(page, "#state-note")
    assert "no longer answers" in note
    timeline = texts(page, "table.timeline tbody tr")
    assert len(timeline) == 3  # new, not modified, gone
    assert "gone" in timeline[-1]
    assert "404" in timeline[-1]
    # its text is still there, as the last version archived, not as a live page's
    assert texts(page, "#text") == ["Last text archived (version 1)"]
    (body,) = texts(page, ".text")
    assert "制定整改措施138条" in body


def test_redirected_notice_links_where_it_went(web, archive):
    page = web.page(notice_path(archive.url["MOVED"]))
    (about,) = texts(page, "#about")
    assert "redirected since" in about
    (note,) = texts(page, "#state-note")
    assert "now redirects" in note
    assert "301" in texts(page, "table.timeline tbody tr")[-1]
    assert texts(page, "#text") == ["Last text archived (version 1)"]
    # the new address is archived too: its page in the archive is one link away
    (link,) = page.css("#about a.target::attr(href)").getall()
    target = web.page(link)
    (about,) = texts(target, "#about")
    assert archive.url["MOVED_TO"] in about
    assert texts(target, "#about .state-live") == ["live"]
    assert texts(target, "#text") == ["Current text (version 1)"]
    assert target.css("#state-note") == []


def test_a_collapsed_run_expands_on_click(page, archive):
    page.goto(notice_path(archive.url["EDITED"]) + "&from=1&to=2")
    run = page.locator("details.same").first
    expect(run.locator("summary")).to_have_text("2 unchanged paragraphs (1–2)")
    hidden = run.locator("p").first
    expect(hidden).to_be_hidden()
    run.locator("summary").click()
    expect(hidden).to_be_visible()
    expect(hidden).to_contain_text("根据省委统一部署")


def test_a_reader_picks_two_versions_and_toggles_side_by_side(page, archive):
    page.goto(notice_path(archive.url["EDITED"]))
    page.select_option("select[name=from]", "1")
    page.select_option("select[name=to]", "3")
    page.get_by_role("button", name="compare").click()
    heading = page.locator("section.version-diff h3")
    expect(heading).to_contain_text("Version 1 (new")
    expect(heading).to_contain_text("→ version 3 (changed")
    figures = page.locator("section.version-diff p.figures")
    expect(figures).to_have_text("figures 96条 → 98条; 88条 → 95条; 8条 → 3条; 14条 → 16条")
    # figures first: above the first changed paragraph
    first = page.locator("section.version-diff .para").first
    assert figures.bounding_box()["y"] < first.bounding_box()["y"]
    inline = page.locator(".para.change ins", has_text="95")
    expect(inline).to_be_visible()
    page.get_by_role("link", name="side by side").click()
    table = page.locator("table.side-by-side")
    expect(table).to_be_visible()
    assert "from=1" in page.url and "to=3" in page.url and "view=side" in page.url
    row = table.locator("tr.para.change", has=page.locator("td.new ins", has_text="95"))
    expect(row.locator("td.old del", has_text="88")).to_be_visible()
    old, new = row.locator("td.old").bounding_box(), row.locator("td.new").bounding_box()
    assert old["x"] + old["width"] <= new["x"] + 1 and abs(old["y"] - new["y"]) < 2
    # a changed character is marked by colour and by an underline, so that it reads in print
    mark = row.locator("td.new ins").first
    style = mark.evaluate(
        "e => { const s = getComputedStyle(e); "
        "return [s.textDecorationLine, s.color, s.backgroundColor, s.fontWeight]; }"
    )
    assert "underline" in style[0] and style[1] != "rgb(0, 0, 0)" and int(style[3]) >= 600
    page.get_by_role("link", name="inline").click()
    expect(page.locator("table.side-by-side")).to_have_count(0)
    expect(page.locator("section.version-diff h3")).to_contain_text("→ version 3")


def test_a_reader_opens_an_old_version_from_the_timeline(page, archive):
    page.goto(notice_path(archive.url["EDITED"]))
    page.locator("table.timeline a.version", has_text="version 1").click()
    expect(page.locator("#text")).to_have_text("Version 1's text (of 3)")
    expect(page.locator(".text")).to_contain_text("重新制定整改措施14条")
    expect(page.locator("#text")).to_be_in_viewport()
    page.locator(".version-nav a[rel=next]").click()
    expect(page.locator("#text")).to_have_text("Version 2's text (of 3)")
    expect(page.locator(".text")).to_contain_text(HOSTILE)


def test_the_gone_notice_as_captured_loads_nothing_from_any_other_host(page, base, archive):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(notice_path(archive.url["GONE"]))
    page.locator("#state-note a.captured").click()
    banner = page.locator("#archive-capture-banner")
    expect(banner).to_contain_text(archive.url["GONE"])
    expect(banner).to_contain_text("version 1 of 1")
    expect(banner).to_contain_text("gone since")
    expect(banner).to_contain_text("China time")
    expect(page.locator("body")).to_contain_text("制定整改措施138条")
    page.wait_for_load_state("load")
    host = urlsplit(base).netloc
    assert requests and all(urlsplit(url).netloc == host for url in requests), requests
    # on this host, only the pages themselves: the captured page loads nothing at all
    captured = [url for url in requests if "/-/capture" in url]
    assert len(captured) == 1
    assert all("/-/" in url or url.endswith("/favicon.ico") for url in requests), requests
    assert page.locator("script, iframe, form, link[rel=stylesheet], [onerror]").count() == 0
    # the banner's link leads back to the notice
    banner.get_by_role("link", name="this notice in the archive").click()
    expect(page.locator("h1")).to_contain_text("同安区委")


def test_every_fetch_that_stored_a_page_can_be_seen_as_captured(web, archive):
    page = web.page(notice_path(archive.url["EDITED"]))
    links = page.css("table.timeline a.captured::attr(href)").getall()
    assert len(links) == 3  # a fetch per version
    versions = []
    for link in links:
        response = web.get(link)
        assert response.status_code == 200
        assert "default-src 'none'" in response.headers["content-security-policy"]
        versions.append(Selector(text=response.text))
    banners = [texts(v, "#archive-capture-banner")[0] for v in versions]
    assert [("version 1" in b, "version 2" in b, "version 3" in b) for b in banners] == [
        (True, False, False),
        (False, True, False),
        (False, False, True),
    ]
    assert "96条" in texts(versions[0], "body")[0] and "95条" in texts(versions[2], "body")[0]
    # the notice's own markup in its text stays text in the capture too
    assert versions[1].css("script, [onmouseover]") == []


def test_the_jump_list_scrolls_to_the_change(page, archive):
    page.set_viewport_size({"width": 900, "height": 300})
    page.goto(copies_path(archive.url["HW"]))
    jumps = page.locator("ol.jump a")
    expect(jumps).to_have_count(4)  # two edited paragraphs, two attachment lines not copied
    last = jumps.nth(3)
    target = page.locator("#" + last.get_attribute("href")[1:])
    expect(target).not_to_be_in_viewport()
    last.click()
    expect(target).to_be_in_viewport()
    assert page.url.endswith(last.get_attribute("href"))


def copy_figures(archive) -> str:
    """The figures of the copy diff (the first published copy against the other): which of the
    two sample copies was first published is the crawl's order when they were first seen in
    the same second, so the direction is read from the archive."""
    from sqlite_utils import Database

    from archive.copies import copies

    db = Database(archive.path)
    (page_id,) = db.execute("SELECT id FROM pages WHERE url = ?", [archive.url["SM"]]).fetchone()
    first = copies(db, page_id)[0]["url"]
    db.close()
    forward = ("212条 → 215条", "99.8% → 99.5%")  # Siming's notice first, the Hanweb copy edited
    if first != archive.url["SM"]:
        forward = tuple(" → ".join(reversed(f.split(" → "))) for f in forward)
    return "; ".join(forward)


def test_a_copy_diff_shows_only_the_differing_paragraphs(web, archive):
    sm, hw = (current_text(archive, archive.url[key]) for key in ("SM", "HW"))
    differing = [b for b in diff_texts(sm, hw) if b.op != "equal"]
    page = web.page(copies_path(archive.url["HW"]))
    assert "first published" in texts(page, "table tbody tr")[0]
    shown = texts(page, ".copy-diff .para")
    assert len(shown) == len(differing)
    (figures,) = texts(page, ".copy-diff p.figures")
    assert copy_figures(archive) in figures
    assert "制定215条整改措施" in shown[0]
    # every unchanged paragraph is folded away: in a closed <details>, out of its summary
    assert page.css("details.same[open]") == []
    assert page.css("details.same p") and page.css("details.same summary p") == []
    assert len(sm.splitlines()) > 10 * len(differing)


def test_two_character_search_finds_notices_in_the_table(page, archive):
    with sqlite3.connect(archive.path) as conn:
        from sqlite_utils import Database

        notices = {url for (url,) in conn.execute("SELECT url FROM notices")}
        found = search(Database(conn), "巡视", limit=-1)
        expected = {row["title"] for row in found if row["url"] in notices}
    assert len(expected) >= 5
    page.goto("/notices/notices")
    page.fill("input[name=_search]", "巡视")
    page.locator("input[name=_search]").press("Enter")
    rows = page.locator("table.rows-and-columns tbody tr")
    expect(page.locator("h3").first).to_contain_text('where search matches "巡视"')
    titles = {rows.nth(i).locator("td.col-title").inner_text() for i in range(rows.count())}
    assert titles == expected
    assert page.locator("[onmouseover]").count() == 0
    # the title comes first and links to the notice's page; the text is cut short
    expect(page.locator("table.rows-and-columns th").first).to_have_attribute(
        "data-column", "title"
    )
    text = rows.first.locator("td.col-text").inner_text()
    assert len(text) <= 41 and text.endswith("…")
    title = rows.first.locator("td.col-title a")
    name = title.inner_text()
    title.click()
    expect(page.locator("h1")).to_have_text(name)
    assert "/-/notice?url=" in page.url


def test_search_of_three_characters_keeps_the_trigram_index(web):
    def found(term: str) -> list[dict]:
        response = web.get("/notices/notices.json?_shape=array&_search=" + quote(term))
        assert response.status_code == 200, response.text
        return response.json()

    three = found("嘉莲街道")
    assert three and {row["issuer"] for row in three} == {"中共厦门市思明区嘉莲街道工作委员会"}
    one, two = found("巡"), found("巡察")
    assert two and {row["url"] for row in two} <= {row["url"] for row in one}


def test_the_front_page_tells_what_the_last_run_changed(web, archive):
    page = web.page("/")
    with sqlite3.connect(archive.path) as conn:
        (run,) = conn.execute("SELECT max(id) FROM runs").fetchone()
    (last,) = texts(page, "#last-run + p")
    assert last.startswith(f"Run {run}, started")
    # the third crawl: the second edit, the removal, and the moved notice (its old address
    # redirects, its new one is new); pages whose chrome alone changed are not counted here
    assert texts(page, "p.counts a") == ["changed 1", "gone 1", "new 1", "redirected 1", "all 4"]
    gone = page.css("p.counts a.kind-gone::attr(href)").get()
    (row,) = texts(web.page(gone), "table.changes tbody tr")
    assert "gone" in row and "同安区委" in row
    recent = texts(page, "table.recent tr")
    assert len(recent) == 2 and all("集美区委" in row for row in recent)
    assert "88条 → 95条" in recent[0] and "96条 → 98条" in recent[1]
    # no health ledger in this archive: its slot shows nothing
    assert texts(page, "#health + p") == ["Every portal is ok."]  # the ledger of three runs


def test_the_front_page_search_box_searches_the_notices(page):
    page.goto("/")
    page.fill("#archive-search", "巡视")
    page.locator("#archive-search").press("Enter")
    expect(page.locator("h3").first).to_contain_text('where search matches "巡视"')
    expect(page.locator("table.rows-and-columns tbody tr").first).to_be_visible()


def test_home_and_database_pages_show_the_notices_first(page):
    page.goto("/")
    first = page.locator("section.content a").nth(0)
    expect(first).to_have_attribute("href", "/notices/notices")
    page.goto("/notices")
    start = page.locator("#notices-first").bounding_box()["y"]
    assert start < page.locator("#tables").bounding_box()["y"]


def test_the_notices_table_reads_well(web, archive):
    page = web.page("/notices/notices?_size=100")
    headings = page.css("table.rows-and-columns th::attr(data-column)").getall()
    assert headings[:6] == ["title", "issuer", "region", "published", "version", "state"]
    assert texts(page, "table.rows-and-columns th")[4] == "versions"
    # the view's CREATE VIEW is not dumped under its rows
    assert page.css("pre.wrapped-sql") == []
    rows = {texts(row, "td.col-url")[0]: row for row in page.css("table.rows-and-columns tbody tr")}
    gone = rows[archive.url["GONE"]]
    assert texts(gone, "td.col-state .badge-gone") == ["gone"]
    assert texts(rows[archive.url["MOVED"]], "td.col-state .badge-redirected") == ["redirected"]
    edited = rows[archive.url["EDITED"]]
    assert texts(edited, "td.col-version") == ["3"]
    assert texts(edited, "td.col-state .badge-changed") == ["changed"]
    assert texts(edited, "td.col-issuer") == ["中共厦门市集美区委"]


def test_home_and_database_pages_count_tables_without_errors(base, archive):
    """Datasette counts every table for these pages: the search index, which SQLite cannot
    scan, is left uncounted rather than tried (each try logged an error)."""
    for path in ("/", "/notices"):
        assert urllib.request.urlopen(base + path).status == 200
    tables = json.load(urllib.request.urlopen(base + "/notices.json"))["tables"]
    counts = {table["name"]: table["count"] for table in tables}
    with sqlite3.connect(archive.path) as conn:
        pages = conn.execute("SELECT count(*) FROM pages").fetchone()[0]
    assert counts["pages"] == pages > 0 and counts["search_terms"] is None
    log = archive.path.with_name("datasette.log").read_text("utf-8")
    assert "ERROR" not in log and "does not support scanning" not in log, log[-2000:]


def test_changes_page_links_its_atom_feed(page, base, archive):
    page.goto("/-/changes?since=2000-01-01")
    rows = page.locator("tr.kind-changed")
    expect(rows).to_have_count(2)
    row = rows.filter(has_text="96条 → 98条")
    expect(row.locator(".figures")).to_contain_text("96条 → 98条")
    feed = page.locator('link[rel=alternate][type="application/atom+xml"]')
    href = feed.get_attribute("href")
    atom = ET.fromstring(urllib.request.urlopen(base + href).read())
    titles = [e.find(ATOM + "title").text for e in atom.iter(ATOM + "entry")]
    assert any(t.startswith("[changed] 中共厦门市集美区委") for t in titles)
    row.locator("a").click()
    expect(page.locator("section.version-diff h3")).to_contain_text("Version 1 (new")
    expect(page.locator("#compare")).to_be_in_viewport()


def test_a_reader_filters_the_changes_page(page, archive):
    page.goto("/-/changes?since=2000-01-01")
    counts = page.locator("#counts")
    expect(counts).to_contain_text("gone: 1")
    expect(counts).to_contain_text("changed: 2")
    all_rows = page.locator("table.changes tbody tr").count()
    counts.get_by_role("link", name="gone: 1").click()
    expect(page.locator("table.changes tbody tr")).to_have_count(1)
    expect(page.locator("tr.kind-gone")).to_contain_text("同安区委")
    page.select_option("select[name=kind]", "")
    page.select_option("select[name=portal]", "sample-xm")
    page.get_by_role("button", name="show").click()
    rows = page.locator("table.changes tbody tr")
    expect(rows.first).to_be_visible()
    assert 0 < rows.count() < all_rows
    with sqlite3.connect(archive.path) as conn:
        (name,) = conn.execute("SELECT name FROM portals WHERE id = 'sample-xm'").fetchone()
    for i in range(rows.count()):
        expect(rows.nth(i).locator(".where")).to_contain_text(name)
    expect(page.locator("tr.kind-gone")).to_have_count(0)
    # a time shows China time, with UTC on hover
    time = page.locator("table.changes time").first
    assert time.get_attribute("title").endswith("UTC")
    assert time.inner_text() != time.get_attribute("title")


def test_the_changes_page_filters_by_region_and_dates(web, archive):
    def rows(path: str) -> list[str]:
        return texts(web.page(path), "table.changes tbody tr")

    every = rows("/-/changes?since=2000-01-01")
    with sqlite3.connect(archive.path) as conn:
        region = conn.execute("SELECT region FROM portals WHERE id = 'sample-ta'").fetchone()[0]
        first_day = conn.execute("SELECT min(fetched_at) FROM versions").fetchone()[0][:10]
    in_region = rows("/-/changes?since=2000-01-01&region=" + quote(region))
    assert 0 < len(in_region) < len(every) and all(region in row for row in in_region)
    assert rows("/-/changes?since=2000-01-01&until=2000-01-02") == []
    assert rows(f"/-/changes?since={first_day}&until=2100-01-01") == every


def test_changes_after_an_event_id(page, base, archive):
    """The changes page and its feed take the events after an id: a reader that keeps the
    last one it saw gets each once."""
    conn = sqlite3.connect(archive.path)
    try:
        last = conn.execute("SELECT max(id) FROM events").fetchone()[0]
    finally:
        conn.close()
    page.goto(f"/-/changes?after={last - 1}")
    expect(page.locator("h1")).to_have_text(f"Changes after event #{last - 1}")
    expect(page.locator("table.changes tr")).to_have_count(1)
    expect(page.locator(f"tr#event-{last}")).to_contain_text(f"#{last}")
    feed = ET.fromstring(urllib.request.urlopen(f"{base}/-/changes.atom?after={last - 1}").read())
    ids = [entry.find(ATOM + "id").text for entry in feed.iter(ATOM + "entry")]
    assert len(ids) == 1 and ids[0].endswith(f":event:{last}")
    empty = ET.fromstring(urllib.request.urlopen(f"{base}/-/changes.atom?after={last}").read())
    assert list(empty.iter(ATOM + "entry")) == []


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        ("/-/notice", 400, "give the notice's address"),
        ("/-/notice?url=" + quote("https://example.com/none"), 404, "no page in the archive"),
        ("/-/changes?since=yesterday", 400, "since: 'yesterday' is not a date"),
        ("/-/copies", 400, "give the copy's address"),
        ("/-/notice?upto=x&url=" + quote("https://example.com/none"), 400, "upto must be"),
        ("/-/changes.atom?since=1%20May", 400, "is not a date"),
        ("/-/changes?after=last", 400, "after must be an event id (a number), not 'last'"),
        ("/-/changes?until=soon", 400, "until: 'soon' is not a date"),
        ("/-/changes?page=two", 400, "page must be"),
        ("/-/capture", 400, "give the page's address"),
        ("/-/capture?v=1&url=" + quote("https://example.com/none"), 404, "no page in the archive"),
    ],
)
def test_bad_input_gets_a_clear_error(web, path, status, message):
    response = web.get(path)
    assert response.status_code == status
    assert message in html.unescape(response.text)


def test_the_web_view_writes_nothing(web, archive):
    before = archive.path.read_bytes()
    sql = quote("DELETE FROM pages")
    assert web.get(f"/notices.json?sql={sql}").status_code == 400
    for path in (
        "/",
        notice_path(archive.url["SM"]),
        "/-/changes",
        copies_path(archive.url["SM"]),
        capture_path(archive.url["GONE"]),
    ):
        assert web.get(path).status_code == 200
    assert archive.path.read_bytes() == before


def test_screenshots_are_made_by_the_project_script(browser, base, archive, tmp_path):
    made = shoot(browser, base, archive, tmp_path)
    assert [p.name for p in made] == list(pages(archive)) and len(made) == 8
    for path in made:
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 5000


def test_the_readme_address_holds_for_any_file_name(web, archive):
    readme = (PROJECT_ROOT / "README.md").read_text("utf-8")
    assert "`http://127.0.0.1:8001/demo/notices`" in readme  # for data/demo.db
    assert "The database is named after the file, without `.db`" in readme
    assert web.get(f"/{archive.path.stem}/notices").status_code == 200


def test_notice_page_links_attachments_and_copies(page, archive):
    page.goto(notice_path(archive.url["SM"]))
    attachments = page.locator("#attachments + ul a")
    expect(attachments).to_have_count(2)
    docx = attachments.filter(has_text="附件1：思明区巡视整改措施清单.docx")
    copies = page.locator("#copies + table tbody tr")
    expect(copies).to_have_count(1)
    expect(copies.first).to_contain_text("sample-hw")
    copies.first.locator("a", has_text="diff against the first copy").click()
    expected = copy_figures(archive).split("; ")[0]
    expect(page.locator(".copy-diff p.figures")).to_contain_text(expected)
    page.go_back()
    docx.click()
    expect(page.locator("h1")).to_contain_text("附件1")
    expect(page.locator("#about")).to_contain_text("live")


def test_the_bench_times_every_page(archive):
    from concurrent.futures import ThreadPoolExecutor

    from bench.web import page_latency

    # in a thread of its own: this module's browser keeps an event loop running in this one
    with ThreadPoolExecutor(1) as pool:
        timed = pool.submit(page_latency, archive.path).result()
    assert {
        "notice",
        "notice_pair",
        "notice_side",
        "notice_version",
        "capture",
        "changes",
        "changes_filtered",
        "copies",
        "notices_table",
        "table_search_2",
        "home",
    } <= set(timed)
    assert timed["target"] == 200 and timed["slowest"] == max(
        v for k, v in timed.items() if k not in ("slowest", "target")
    )
