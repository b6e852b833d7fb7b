"""The portal health ledger: states derived from a portal's runs (a pure function, tested
in-process), and the ledger across real crawls in which a portal goes silent, then is blocked,
then recovers, with each run's alert delivered to a real receiver that fails once."""

import json

from archive.health import Row, change, condition, health, timeline
from demo.server import Page

from alert_receiver import receiver
from conftest import cli_output, open_archive, run_crawl
from vendor_pages import VENDORS


def _row(run: int, status: str = "finished", **values) -> Row:
    base = {
        "run_id": run,
        "portal_id": "p",
        "at": f"2026-01-{run:02d}T00:00:00Z",
        "run_status": status,
        "reachable": True,
        "blocked_by": None,
        "pages": 10,
        "listed": 4,
        "new": 0,
        "changed": 0,
        "gone": 0,
        "delisted": 0,
        "lists_complete": True,
        "incomplete_why": None,
        "coverage": None,
        "template_changed": None,
        "errors": 0,
    }
    return Row(**{**base, **values})


def _states(rows, silent_runs=3):
    return [s.state if s else None for s in timeline(rows, silent_runs)]


def test_silent_after_n_runs_listing_nothing_where_it_listed_some():
    rows = [_row(1), *[_row(n, listed=0) for n in (2, 3, 4)]]
    assert _states(rows) == ["ok", "ok", "ok", "silent"]
    assert condition(rows).reason == "no notice listed for 3 run(s); 4 listed before"
    # a portal that never listed anything is not silent: there is nothing to miss
    assert _states([_row(n, listed=0) for n in (1, 2, 3, 4)]) == ["ok"] * 4
    # a run whose listing is unknown does not count as listing nothing
    assert _states([_row(1), _row(2, listed=None)], silent_runs=1) == ["ok", "ok"]


def test_blocked_and_down_come_from_the_start_page():
    rows = [_row(1), _row(2, reachable=False, blocked_by="加速乐"), _row(3, reachable=False)]
    assert _states(rows) == ["ok", "blocked", "down"]
    assert condition(rows[:2]).reason == "blocked by 加速乐"


def test_degraded_by_incomplete_lists_template_or_rising_errors():
    incomplete = _row(2, lists_complete=False, incomplete_why="list page failed")
    assert condition([_row(1), incomplete]).reason == "lists incomplete (list page failed)"
    assert condition([_row(1), _row(2, template_changed=True)]).state == "degraded"
    errors = [_row(1, errors=1), _row(2, errors=5), _row(3, errors=5)]
    assert _states(errors) == ["ok", "degraded", "ok"]  # rising, then steady
    assert _states([_row(1), _row(2, errors=2)]) == ["ok", "ok"]  # a couple: not rising


def test_runs_that_did_not_finish_change_nothing():
    rows = [_row(1), _row(2, "interrupted", reachable=False), _row(3, "failed", listed=0)]
    assert _states(rows) == ["ok", "ok", "ok"]
    assert change(rows) is None
    assert _states([_row(1, "interrupted")]) == [None]
    assert health([_row(1, "interrupted")]) is None


def test_since_when_and_last_good_run():
    rows = [
        _row(1),
        _row(2, reachable=False, blocked_by="瑞数"),
        _row(3, reachable=False, blocked_by="瑞数"),
    ]
    now = health(rows)
    assert (now.state, now.since_run, now.last_good_run) == ("blocked", 2, 1)
    assert change(rows) is None  # still blocked: no change
    assert change(rows[:2]) == {
        "portal": "p",
        "before": "ok",
        "state": "blocked",
        "reason": "blocked by 瑞数",
    }
    # a new portal's first state is news only when it is not ok
    assert change(rows[:1]) is None
    assert change([_row(1, reachable=False)])["before"] is None


PORTAL = "sample-sm"
HOME = "/sm/index.html"
CHALLENGE = VENDORS["加速乐"]


def _crawl(seeds, archive_path, alert_url):
    return run_crawl(
        seeds,
        archive_path,
        "-s",
        "BROWSER_ENABLED=False",
        "-s",
        f"NOTIFY_URLS={alert_url}",
        "-s",
        "HEALTH_SILENT_RUNS=1",
        "-s",
        "WEB_BASE_URL=http://archive.example:8001",
        log_level=None,
    )


def test_a_portal_goes_silent_then_blocked_then_recovers(site, tmp_path, archive_path):
    seeds = tmp_path / "seeds.toml"
    seeds.write_text(site.seeds_toml([PORTAL]), "utf-8")
    saved = dict(site.pages)
    with receiver() as box:
        first = _crawl(seeds, archive_path, box.url())
        assert first.returncode == 0, first.stderr[-3000:]
        assert "alerts: 1 message(s) sent to json://127.0.0.1" in first.stdout

        # the site is redone: its home page links no list any more (it answers; it is silent)
        site.pages[HOME] = Page(
            "<html><head><title>思明区</title></head><body><p>网站改版中</p></body></html>".encode(),
            "text/html; charset=utf-8",
        )
        box.fail = 1
        silent = _crawl(seeds, archive_path, box.url())
        assert silent.returncode == 0, silent.stderr[-3000:]
        assert f"health: {PORTAL} ok -> silent (no notice listed for 1 run(s);" in silent.stdout
        assert "alerts: NOT delivered to json://127.0.0.1" in silent.stdout

        # then a 加速乐 challenge answers instead
        site.pages[HOME] = Page(
            CHALLENGE.body.encode(),
            "text/html; charset=utf-8",
            CHALLENGE.status,
            headers=dict(CHALLENGE.headers),
        )
        blocked = _crawl(seeds, archive_path, box.url())
        assert blocked.returncode == 1, blocked.stderr[-3000:]
        assert f"health: {PORTAL} silent -> blocked (blocked by 加速乐)" in blocked.stdout
        assert "alerts: 2 message(s) sent" in blocked.stdout  # the one that failed, then this

        site.pages.clear()
        site.pages.update(saved)
        recovered = _crawl(seeds, archive_path, box.url())
        assert recovered.returncode == 0, recovered.stderr[-3000:]
        assert f"health: {PORTAL} blocked -> ok" in recovered.stdout

    with open_archive(archive_path) as archive:
        ledger = list(archive.db.query("SELECT * FROM health_ledger ORDER BY run_id"))
        notices = archive.db.execute(
            "SELECT count(*) FROM pages WHERE portal_id = ? AND id NOT IN "
            "(SELECT attachment_page_id FROM attachments)",
            [PORTAL],
        ).fetchone()[0]
    assert [r["run_id"] for r in ledger] == [1, 2, 3, 4]
    assert [r["listed"] for r in ledger] == [notices, 0, 0, notices]
    assert [r["blocked_by"] for r in ledger] == [None, None, "加速乐", None]
    assert [r["reachable"] for r in ledger] == [1, 1, 0, 1]
    assert [r["new"] for r in ledger] == [notices, 0, 0, 0]
    # the silent run read no list and listed nothing: no notice of it is marked delisted
    assert [r["delisted"] for r in ledger] == [0, 0, 0, 0]
    assert [r["lists_complete"] for r in ledger] == [1, 0, 0, 1]

    # the states are derived when read: with the threshold the crawls had
    db = ("--db", str(archive_path))
    now = json.loads(cli_output(*db, "health", "--portal", PORTAL, "--json", "--silent-runs", "1"))
    assert now["portal"]["state"] == "ok"
    assert (now["portal"]["since_run"], now["portal"]["last_good_run"]) == (4, 4)
    assert [r["state"] for r in now["runs"]] == ["ok", "silent", "blocked", "ok"]
    text = cli_output(*db, "health", "--portal", PORTAL)
    assert text.startswith(f"{PORTAL}  OK  since run #4")
    # with the default threshold (3 runs), one run listing nothing is not yet silence
    assert "  #2 " in text and "silent" not in text

    # one message per run, each delivered once, in order; the refused one came again after
    titles = [m["title"] for m in box.received]
    assert [t.split(":")[0] for t in titles] == [
        f"Rectification notices, run #{n}" for n in (1, 2, 3, 4)
    ], titles
    assert [m["title"] for m in box.refused] == [titles[1]]
    first_message, silent_message = box.received[0]["message"], box.received[1]["message"]
    assert f"New ({notices}):" in first_message
    assert "http://archive.example:8001/-/notice?url=http%3A%2F%2F127.0.0.1" in first_message
    assert "Delisted" not in silent_message  # a run that read no list delists nothing
    assert f"- {PORTAL}: ok -> silent" in silent_message
    assert f"- {PORTAL}: silent -> blocked (blocked by 加速乐)" in box.received[2]["message"]
    assert f"- {PORTAL}: blocked -> ok" in box.received[3]["message"]
