"""`python -m archive notify` and the /-/health page, over an archive written through the
archive's own API (runs closed with their stats, as a crawl closes them), with Apprise
delivering to a real receiver on 127.0.0.1."""

import json
import sqlite3

import pytest
from web_client import WebClient

from archive import Archive, PageContent
from archive.notify import MAX_LISTED

from alert_receiver import receiver
from conftest import run_cli, run_crawl

TEXT = "一、关于整改落实情况\n共发现问题12个，已整改10个。\n" * 12


def _notice(archive: Archive, n: int, run: int, text: str = TEXT) -> None:
    archive.record_page(
        f"https://gov.example/tzgg/{n}.html",
        PageContent(text=text, title=f"中共某区委关于第{n}轮巡察整改进展情况的通报"),
        f"<html>{n}{text}</html>".encode(),
        portal_id="quiet-county",
        run_id=run,
    )


def _run(archive: Archive, stats: dict, notices=()) -> int:
    run = archive.begin_run(["quiet-county"])
    for n in notices:
        _notice(archive, n, run)
    archive.finish_run(run, "finished", {"finish_reason": "finished", **stats})
    return run


LISTED = {"portal/quiet-county/listed": 3, "portal/quiet-county/pages_seen": 5}
BLOCKED = {"portal/quiet-county/blocked_by": "瑞数", "portal/quiet-county/pages_seen": 1}


@pytest.fixture
def archive_file(tmp_path):
    path = tmp_path / "archive.db"
    with Archive(path) as archive:
        archive.upsert_portals([{"id": "quiet-county", "name": "某县"}])
        _run(archive, LISTED, notices=(1, 2))
        run = archive.begin_run(["quiet-county"])
        _notice(archive, 1, run, TEXT.replace("已整改10个", "已整改12个"))
        archive.finish_run(run, "finished", {"finish_reason": "finished", **LISTED})
        _run(archive, BLOCKED)
    return path


def test_notify_sends_one_message_per_run_and_remembers(archive_file):
    db = ("--db", str(archive_file))
    with receiver() as box:
        first = run_cli(
            *db, "notify", "--after", "0", box.url("form"), "--web-base-url", "http://w"
        )
        assert first.returncode == 0, first.stderr
        assert "3 message(s) sent (#1, #2, #3)" in first.stdout
        titles = [m["title"] for m in box.received]
        assert titles == [
            "Rectification notices, run #1: 2 new",
            "Rectification notices, run #2: 1 changed",
            "Rectification notices, run #3: 1 portal(s) changed health",
        ]
        changed = box.received[1]["message"]
        assert "figures:" in changed and "10" in changed and "12" in changed
        assert "http://w/-/notice?url=https%3A%2F%2Fgov.example%2Ftzgg%2F1.html" in changed
        assert "- quiet-county: ok -> blocked (blocked by 瑞数)" in box.received[2]["message"]
        # from where it stopped: nothing new, nothing sent again
        again = run_cli(*db, "notify", box.url("form"))
        assert again.returncode == 0 and "0 message(s) sent" in again.stdout
        with Archive(archive_file) as archive:
            _run(archive, LISTED, notices=(3,))
        later = run_cli(*db, "notify", box.url("form"))
        assert "1 message(s) sent (#4)" in later.stdout
        assert box.received[-1]["title"] == (
            "Rectification notices, run #4: 1 new, 1 portal(s) changed health"
        )
        assert len(box.received) == 4


def test_a_failed_delivery_is_kept_and_sent_next_time(archive_file):
    db = ("--db", str(archive_file))
    with receiver() as box:
        box.fail = 1
        failed = run_cli(*db, "notify", "--after", "0", box.url())
        assert failed.returncode == 1
        assert "not delivered" in failed.stderr and "0 message(s) sent" in failed.stdout
        with sqlite3.connect(archive_file) as conn:
            row = conn.execute("SELECT last_run, error, shown_as FROM notify_deliveries").fetchone()
        assert row[0] == 0 and row[1] and row[2] == box.url().rstrip("/") + "/"
        retried = run_cli(*db, "notify", box.url())
        assert retried.returncode == 0, retried.stderr
        assert [m["title"].split(":")[0] for m in box.received] == [
            f"Rectification notices, run #{n}" for n in (1, 2, 3)
        ]
        assert len(box.refused) == 1 and box.refused[0]["title"] == box.received[0]["title"]


def test_notify_refuses_what_it_cannot_use(archive_file):
    db = ("--db", str(archive_file))
    unknown = run_cli(*db, "notify", "--after", "0", "nosuchscheme://x")
    assert unknown.returncode == 1 and "not an Apprise URL: nosuchscheme://" in unknown.stderr
    with receiver() as box:
        never = run_cli(*db, "notify", box.url())
        assert never.returncode == 1 and "give --after EVENT_ID" in never.stderr
        assert box.received == []
    assert run_cli(*db, "notify").returncode == 2


def test_a_long_run_lists_the_first_notices_and_links_the_rest(tmp_path):
    path = tmp_path / "archive.db"
    with Archive(path) as archive:
        archive.upsert_portals([{"id": "quiet-county", "name": "某县"}])
        _run(archive, LISTED, notices=range(1, MAX_LISTED + 6))
    with receiver() as box:
        run_cli(
            "--db", str(path), "notify", "--after", "0", box.url(), "--web-base-url", "http://w"
        )
        message = box.received[0]["message"]
    assert message.count("\n- ") + message.startswith("- ") == MAX_LISTED
    assert "… and 5 more: http://w/-/changes?after=0" in message


def test_health_page_shows_state_since_and_last_good_run(archive_file):
    with WebClient(archive_file) as web:
        page = web.page("/-/health")
        cells = page.css("table.health tr.state-blocked td ::text").getall()
        assert cells[:2] == ["quiet-county", "blocked"]
        assert cells[2].startswith("run #3") and cells[3].startswith("run #2")
        assert cells[4] == "blocked by 瑞数"
        runs = web.page("/-/health?portal=quiet-county").css("table.health-runs tbody tr")
        assert len(runs) == 3
        assert runs[0].css("td ::text").getall()[4] == "瑞数"  # the newest first


def test_health_page_of_an_archive_without_a_ledger(tmp_path):
    path = tmp_path / "archive.db"
    Archive(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE health_ledger")
    with WebClient(path) as web:
        text = " ".join(web.page("/-/health").css(".archive-page ::text").getall())
    assert "no health ledger yet" in text


def test_a_crawl_with_a_mistyped_notify_url_does_not_start(seeds_file, archive_path):
    result = run_crawl(
        seeds_file, archive_path, "-s", "NOTIFY_URLS=dingtalk:/TOKEN", log_level=None
    )
    assert result.returncode == 2
    assert result.stderr == "Error: not an Apprise URL: dingtalk://…\n"  # one line, no secret
    assert not archive_path.exists() or "run #" not in result.stdout


def test_the_portals_whose_health_is_not_ok(archive_file, tmp_path):
    """What the front page's slot for them reads: none without a ledger."""
    from sqlite_utils import Database

    from archive.datasette.health_page import unhealthy

    with Archive(archive_file) as archive:
        (row,) = unhealthy(archive.db)
    assert (row["portal"], row["name"], row["state"]) == ("quiet-county", "某县", "blocked")
    path = tmp_path / "old.db"
    Archive(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE health_ledger")
    assert unhealthy(Database(path)) is None


def test_notify_json_names_each_destination_its_runs_and_its_error(archive_file):
    with receiver() as box:
        box.fail = 1
        result = run_cli("--db", str(archive_file), "notify", "--after", "0", box.url(), "--json")
    assert result.returncode == 1
    (done,) = json.loads(result.stdout)
    assert done["destination"] == box.url() and done["sent"] == [] and done["error"]
