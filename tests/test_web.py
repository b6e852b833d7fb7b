"""The web view over an archive made by real crawls (a crawl, an edit on the site, a recrawl):
what its pages say, read in-process through Datasette's own client (tests/web_client.py), and
what a reader does there (click, expand, scroll, search), in `python -m archive datasette`
driven in Debian's Chromium.

The browser tests need Chromium: `.ci/run` installs it, and a missing browser fails them (never
skips).
"""

import html
import json
import sqlite3
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from urllib.parse import quote

import pytest
from playwright.sync_api import expect, sync_playwright
from screenshots import (
    HOSTILE,
    build_archive,
    copies_path,
    datasette,
    launch,
    notice_path,
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
    page = web.page(notice_path(archive.url["EDITED"]))
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
    assert len(timeline) == 2
    assert "changed" in timeline[1]
    (current,) = texts(page, "#current")
    assert "version 2" in current


def test_gone_notice_shows_its_last_text_and_when_it_went(web, archive):
    page = web.page(notice_path(archive.url["GONE"]))
    assert texts(page, "h1") == ["中共厦门市同安区委关于十一届省委第五轮巡视集中整改进展情况的通报"]
    assert texts(page, "#about .state-gone") == ["gone"]
    (note,) = texts(page, "#state-note")
    assert "no longer answers" in note
    timeline = texts(page, "table.timeline tbody tr")
    assert len(timeline) == 2
    assert "gone" in timeline[1]
    assert "404" in timeline[1]
    # its text is still there, as the last version archived, not as a live page's
    assert texts(page, "#current") == ["Last text archived (version 1)"]
    (body,) = texts(page, ".text")
    assert "制定整改措施138条" in body


def test_redirected_notice_links_where_it_went(web, archive):
    page = web.page(notice_path(archive.url["MOVED"]))
    (about,) = texts(page, "#about")
    assert "redirected since" in about
    (note,) = texts(page, "#state-note")
    assert "now redirects" in note
    assert "301" in texts(page, "table.timeline tbody tr")[1]
    assert texts(page, "#current") == ["Last text archived (version 1)"]
    # the new address is archived too: its page in the archive is one link away
    (link,) = page.css("#about a.target::attr(href)").getall()
    target = web.page(link)
    (about,) = texts(target, "#about")
    assert archive.url["MOVED_TO"] in about
    assert texts(target, "#about .state-live") == ["live"]
    assert texts(target, "#current") == ["Current text (version 1)"]
    assert target.css("#state-note") == []


def test_a_collapsed_run_expands_on_click(page, archive):
    page.goto(notice_path(archive.url["EDITED"]))
    run = page.locator("details.same").first
    expect(run.locator("summary")).to_have_text("2 unchanged paragraphs (1–2)")
    hidden = run.locator("p").first
    expect(hidden).to_be_hidden()
    run.locator("summary").click()
    expect(hidden).to_be_visible()
    expect(hidden).to_contain_text("根据省委统一部署")


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


def test_a_copy_diff_shows_only_the_differing_paragraphs(web, archive):
    sm, hw = (current_text(archive, archive.url[key]) for key in ("SM", "HW"))
    differing = [b for b in diff_texts(sm, hw) if b.op != "equal"]
    page = web.page(copies_path(archive.url["HW"]))
    assert "first published" in texts(page, "table tbody tr")[0]
    shown = texts(page, ".copy-diff .para")
    assert len(shown) == len(differing)
    (figures,) = texts(page, ".copy-diff p.figures")
    assert "212条 → 215条; 99.8% → 99.5%" in figures
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


def test_home_and_database_pages_show_the_notices_first(page):
    page.goto("/")
    first = page.locator("section.content a").nth(0)
    expect(first).to_have_attribute("href", "/notices/notices")
    page.goto("/notices")
    start = page.locator("#notices-first").bounding_box()["y"]
    assert start < page.locator("#tables").bounding_box()["y"]


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
    row = page.locator("tr.kind-changed")
    expect(row).to_have_count(1)
    expect(row.locator(".figures")).to_contain_text("96条 → 98条")
    feed = page.locator('link[rel=alternate][type="application/atom+xml"]')
    href = feed.get_attribute("href")
    atom = ET.fromstring(urllib.request.urlopen(base + href).read())
    titles = [e.find(ATOM + "title").text for e in atom.iter(ATOM + "entry")]
    assert any(t.startswith("[changed] 中共厦门市集美区委") for t in titles)
    row.locator("a").click()
    expect(page.locator("section#v2")).to_be_in_viewport()


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
    for path in (notice_path(archive.url["SM"]), "/-/changes", copies_path(archive.url["SM"])):
        assert web.get(path).status_code == 200
    assert archive.path.read_bytes() == before


def test_screenshots_are_made_by_the_project_script(browser, base, archive, tmp_path):
    made = shoot(browser, base, archive, tmp_path)
    assert [p.name for p in made] == [
        "notices-table.png",
        "notice.png",
        "changes.png",
        "copies.png",
    ]
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
    expect(page.locator(".copy-diff p.figures")).to_contain_text("212条 → 215条")
    page.go_back()
    docx.click()
    expect(page.locator("h1")).to_contain_text("附件1")
    expect(page.locator("#about")).to_contain_text("live")


def test_the_bench_times_every_page(archive):
    from concurrent.futures import ThreadPoolExecutor

    from bench.web import page_latency

    # in a thread of its own: this module's browser keeps an event loop running in this one
    with ThreadPoolExecutor(1) as pool:
        pages = pool.submit(page_latency, archive.path).result()
    assert {"notice", "changes", "copies", "notices_table", "table_search_2"} <= set(pages)
    assert pages["target"] == 200 and pages["slowest"] == max(
        v for k, v in pages.items() if k not in ("slowest", "target")
    )
