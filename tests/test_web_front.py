"""The front page, the changes page's counts, filters and pages, the notices table's badges and
the capture of files, over a real archive file written through the archive's API (no crawl:
many notices, runs and states are quicker made so), read in-process through Datasette's own
client."""

import shutil
import sqlite3
from urllib.parse import quote

import pytest
from web_client import WebClient, text, texts

from archive import Archive, PageContent
from archive.datasette.clock import local

PORTALS = [
    {"id": "big", "name": "大市人民政府", "region": "大市", "level": "municipal"},
    {"id": "small", "name": "小县人民政府", "region": "小县", "level": "county"},
]
MANY = 60  # notices of the first run: more than a page of the changes page
EDITED = "http://big.example.gov.cn/tzgg/edited.htm"
GONE = "http://small.example.gov.cn/tzgg/gone.htm"
DELISTED = "http://small.example.gov.cn/tzgg/delisted.htm"
PDF = "http://big.example.gov.cn/files/notice.pdf"
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


FIRST, SECOND = "2026-11-01T01:00:00Z", "2026-11-02T01:00:00Z"  # the two runs' times


def _notice(archive: Archive, url: str, text: str, portal: str, run: int, at: str) -> None:
    title = text.splitlines()[0]
    body = f"<html><body><h1>{title}</h1><p>{text}</p></body></html>".encode()
    archive.record_page(
        url, PageContent(text, title, "2026-11-01"), body, portal_id=portal, run_id=run, at=at
    )


def _minute(at: str, minute: int) -> str:
    return f"{at[:14]}{minute:02d}:00Z"


@pytest.fixture(scope="module")
def archive_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("front") / "front.db"
    with Archive(path) as archive:
        archive.upsert_portals(PORTALS)
        run = archive.begin_run(["big", "small"])
        for i in range(MANY):
            url, text = (
                f"http://big.example.gov.cn/tzgg/{i}.htm",
                f"第{i}号巡察通报\n整改措施{i}条。",
            )
            _notice(archive, url, text, "big", run, FIRST)
        text = "关于巡视整改情况的通报\n明确整改措施96条。\n已完成88条。"
        _notice(archive, EDITED, text, "big", run, FIRST)
        for n, url in enumerate((GONE, DELISTED)):
            _notice(archive, url, f"小县巡察整改通报{n}\n整改措施5条。", "small", run, FIRST)
        archive.record_page(
            PDF, PageContent("巡察整改情况（PDF）", "巡察整改情况"), PDF_BYTES, portal_id="big",
            run_id=run, content_kind="pdf", at=FIRST,
        )  # fmt: skip
        archive.finish_run(run, "finished")
        run = archive.begin_run(["big", "small"])
        text = text.replace("96条", "98条")
        _notice(archive, EDITED, text, "big", run, _minute(SECOND, 1))
        _notice(archive, EDITED, text.replace("88条", "95条"), "big", run, _minute(SECOND, 2))
        archive.record_gone(GONE, 404, run_id=run, at=_minute(SECOND, 3))
        archive.mark_delisted("small", [GONE], run_id=run, at=_minute(SECOND, 4))
        archive.finish_run(run, "finished")
        # the runs' own times, in the times given to what they found
        for run_id, at in ((1, FIRST), (2, SECOND)):
            archive.db.execute(
                "UPDATE runs SET started_at = ?, finished_at = ? WHERE id = ?",
                [at, _minute(at, 30), run_id],
            )
    return path


@pytest.fixture(scope="module")
def web(archive_path):
    with WebClient(archive_path) as client:
        yield client


def test_the_changes_page_counts_each_kind_and_pages_through_them(web):
    page = web.page("/-/changes?since=2000-01-01")
    new = MANY + 4  # the notices, the edited one, the gone and delisted ones, the file
    assert texts(page, "#counts strong, #counts a") == [
        f"all kinds: {new + 4}",
        f"new: {new}",
        "changed: 2",
        "delisted: 1",
        "gone: 1",
    ]
    first = texts(page, "table.changes tbody tr")
    assert len(first) == 50 and texts(page, ".pager") == ["page 1 of 2 older →"]
    older = web.page(page.css(".pager a[rel=next]::attr(href)").get())
    second = texts(older, "table.changes tbody tr")
    assert len(second) == new + 4 - 50 and not set(first) & set(second)
    assert texts(older, ".pager") == ["← newer page 2 of 2"]
    # the newest first: the delisting, the removal, the second edit with the figures it changed
    badges = page.css("table.changes tbody tr .archive-badge::text").getall()
    assert badges[:2] == ["delisted", "gone"]
    assert "changed" in first[2] and "88条 → 95条" in first[2]
    assert "2026-11-02 09:04" in first[0]  # China time: 01:04 UTC


def test_the_changes_page_filters_by_kind_portal_and_region(web):
    def rows(query: str) -> list[str]:
        return texts(web.page("/-/changes?since=2000-01-01&" + query), "table.changes tbody tr")

    changed = rows("kind=changed")
    assert len(changed) == 2 and all("changed" in row for row in changed)
    small = rows("portal=small")
    assert len(small) == 4 and all("小县人民政府" in row for row in small)
    assert rows("region=" + quote("小县")) == small
    (gone,) = rows("portal=small&kind=gone")
    assert gone in small and "gone" in gone
    page = web.page("/-/changes?since=2000-01-01&portal=small&kind=gone")
    # the counts keep the other filters and show every kind, the chosen one marked
    assert texts(page, "#counts strong") == ["gone: 1"]
    assert "new: 2" in texts(page, "#counts a")
    assert page.css("select[name=portal] option[selected]::attr(value)").getall() == ["small"]


def test_the_front_page_shows_the_last_run_and_the_recent_changes(web):
    page = web.page("/")
    assert texts(page, "p.counts a") == ["changed 2", "delisted 1", "gone 1", "all 4"]
    recent = texts(page, "table.recent tr")
    assert len(recent) == 2
    assert "88条 → 95条" in recent[0] and "96条 → 98条" in recent[1]
    link = page.css("table.recent a::attr(href)").get()
    assert "from=2" in link and "to=3" in link
    assert page.css("#archive-search[name=_search]")
    assert texts(page, "#health + p") == ["Every portal is ok."]  # the ledger of two runs


def test_the_health_slot_lists_the_portals_the_ledger_says_are_not_ok(archive_path, tmp_path):
    copy = tmp_path / "ledger.db"
    shutil.copy(archive_path, copy)
    with WebClient(copy) as client:
        assert texts(client.page("/"), "#health + p") == ["Every portal is ok."]
        with Archive(copy) as archive:  # a run in which the small portal did not answer
            run = archive.begin_run(["big", "small"])
            archive.finish_run(run, "finished", {"portal/small/unreachable": 1})
            (at,) = archive.db.execute(
                "SELECT finished_at FROM runs WHERE id = ?", [run]
            ).fetchone()
        (line,) = texts(client.page("/"), "ul.health li")
    assert line.startswith("小县人民政府 (small): down since ")
    assert local(at) in line


def test_the_notices_table_badges_a_delisted_notice(web):
    page = web.page("/front/notices?_size=100")
    rows = {
        text(row.css("td.col-url")[0]): row for row in page.css("table.rows-and-columns tr")[1:]
    }
    assert texts(rows[DELISTED], "td.col-state") == ["live delisted"]
    assert texts(rows[GONE], "td.col-state") == ["gone"]
    assert texts(rows[EDITED], "td.col-state") == ["live changed"]


def test_a_file_as_captured_is_its_stored_bytes_to_download(web):
    response = web.get("/-/capture?url=" + quote(PDF))
    assert response.status_code == 200 and response.content == PDF_BYTES
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == "attachment; filename*=UTF-8''notice.pdf"
    assert response.headers["x-content-type-options"] == "nosniff"


def test_a_fetch_that_stored_no_page_has_no_capture(web, archive_path):
    with sqlite3.connect(archive_path) as conn:
        (fetch,) = conn.execute("SELECT id FROM fetches WHERE outcome = 'gone'").fetchone()
    response = web.get(f"/-/capture?url={quote(GONE)}&fetch={fetch}")
    assert response.status_code == 404 and "stored no page (gone, HTTP 404)" in response.text
    assert web.get(f"/-/capture?url={quote(EDITED)}&fetch={fetch}").status_code == 404


@pytest.mark.parametrize(
    ("query", "status", "shown"),
    [
        ("upto=2", 200, "Version 1 (new"),  # the older address: a version against the one before
        ("from=3&to=1", 200, "Version 3 (changed"),
        ("to=2", 200, "Version 1 (new"),
        ("from=2", 200, "→ version 3"),
        ("v=9", 404, "has no version 9 (it has versions 1 to 3)"),
        ("from=0", 404, "has no version 0"),
        ("view=sideways", 400, "view must be inline or side"),
    ],
)
def test_the_notice_page_answers_every_pair_of_versions(web, query, status, shown):
    response = web.get(f"/-/notice?url={quote(EDITED)}&{query}")
    assert response.status_code == status
    assert shown in response.text
