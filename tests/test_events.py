"""The event log: every change is one append-only event with an increasing id, so a consumer
that stores the last id it read (`changes --after ID`, `export --after ID`, the Atom feed)
never misses one and never gets one twice, also while a crawl writes."""

import json
import re
import shutil
import sqlite3
import threading
import xml.etree.ElementTree as ET

import pytest

from archive import Archive, PageContent
from archive import events as events_
from archive.export import records
from archive.feed import changes
from archive.schema import MIGRATIONS

from conftest import run_cli

NS = {"a": "http://www.w3.org/2005/Atom"}
A, B, C = (f"http://p.gov.cn/{name}.htm" for name in "abc")
TITLE = "中共某县委关于巡察整改进展情况的通报"


def _at(day: int) -> str:
    return f"2026-01-{day:02d}T00:00:00Z"


def _page(archive, url: str, text: str, body: bytes, day: int):
    content = PageContent(text=text, title=TITLE)
    return archive.record_page(url, content, body, portal_id="p", at=_at(day))


def _history(archive: Archive) -> None:
    """Every kind of change, and fetches that change nothing (an error, a page gone again,
    the same redirect, a second block page)."""
    archive.upsert_portals([{"id": "p", "name": "P"}])
    _page(archive, A, "制定212条整改措施。", b"a1", 1)  # new
    _page(archive, A, "制定215条整改措施。", b"a2", 2)  # changed
    _page(archive, A, "制定215条整改措施。", b"a2 footer", 3)  # chrome-only
    archive.record_gone(A, 404, at=_at(4))  # gone
    archive.record_error(A, "HTTP 503", at=_at(5))
    archive.record_gone(A, 404, at=_at(6))
    _page(archive, A, "制定215条整改措施。", b"a2 footer", 7)  # returned
    _page(archive, B, "整改情况如下。", b"b1", 8)  # new
    archive.record_redirect(B, C + "?x", at=_at(9))  # redirected
    archive.record_redirect(B, C + "?x", at=_at(10))
    archive.record_redirect(B, C + "?y", at=_at(11))  # redirected elsewhere
    archive.record_not_modified(B, at=_at(12))  # returned
    archive.record_blocked(B, "captcha: 验证码", status=200, at=_at(13))  # blocked
    archive.record_blocked(B, "captcha: 验证码", status=200, at=_at(14))
    archive.record_gone(B, 200, detail="soft 404 (信息不存在)", at=_at(15))  # soft-gone
    _page(archive, C, "整改进展情况。", b"c1", 16)  # new
    archive.add_reextracted(C, PageContent(text="整改进展情况。巡察", title=TITLE), at=_at(17))
    archive.mark_delisted("p", [A], at=_at(18))  # C delisted (B is gone)


KINDS = [
    "new",
    "changed",
    "chrome-only",
    "gone",
    "returned",
    "new",
    "redirected",
    "redirected",
    "returned",
    "blocked",
    "soft-gone",
    "new",
    "reextract",
    "delisted",
]


def _log(archive: Archive) -> list[tuple]:
    return archive.db.execute(
        "SELECT id, at, kind, page_id, version_id, fetch_id, run_id, notice_id, detail "
        "FROM events ORDER BY id"
    ).fetchall()


def test_every_change_is_one_event_and_the_log_is_append_only(tmp_path):
    with Archive(tmp_path / "a.db") as archive:
        _history(archive)
        log = _log(archive)
        assert [row[2] for row in log] == KINDS
        assert [row[0] for row in log] == list(range(1, len(KINDS) + 1))
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            archive.db.execute("DELETE FROM events")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            archive.db.execute("UPDATE events SET kind = 'new'")
        rows = {row["event"]: row for row in changes(archive.db, after=0)}
    # every record names its event and the version it concerns (never a fetch id, never 0)
    assert rows[4]["kind"] == "gone" and rows[4]["version"] == 2
    assert rows[14]["kind"] == "delisted" and rows[14]["version"] == 2  # C after reextract
    assert rows[8]["summary"] == f"the page redirects: {C}?y"
    assert rows[2]["figures"] == [{"old": "212条", "new": "215条", "paragraph": 1}]
    assert rows[2]["figures_summary"] == "212条 → 215条"
    assert rows[2]["summary"].startswith("figures: 212条 → 215条\n")


def test_after_returns_exactly_the_events_after_it_and_since_is_inclusive(tmp_path):
    db = tmp_path / "a.db"
    with Archive(db) as archive:
        _history(archive)

    def kinds(*args: str) -> list[tuple[int, str]]:
        result = run_cli("--db", str(db), "changes", *args, "--json")
        assert result.returncode == 0, result.stderr
        return [(row["event"], row["kind"]) for row in json.loads(result.stdout)]

    assert kinds("--after", "0") == list(reversed(list(enumerate(KINDS, 1))))
    assert kinds("--after", "11") == [(14, "delisted"), (13, "reextract"), (12, "new")]
    assert kinds("--after", "14") == []
    # --since is inclusive: a poll at the last event's time returns it again; --after does not
    assert kinds("--since", _at(18)) == [(14, "delisted")]
    assert kinds("--after", "13", "--since", _at(17)) == [(14, "delisted")]
    refused = run_cli("--db", str(db), "changes")
    assert refused.returncode == 2 and "give --after ID" in refused.stderr
    text = run_cli("--db", str(db), "changes", "--after", "13").stdout
    assert text.startswith(f"#14  {_at(18)}  delisted")


def test_atom_ids_are_unique_and_stable(tmp_path):
    db = tmp_path / "a.db"
    with Archive(db) as archive:
        _history(archive)
        archive.mark_delisted("p", [A, C], at=_at(19))  # relisted
        archive.mark_delisted("p", [A], at=_at(20))  # delisted a second time
        identity = events_.archive_id(archive.db)

    def entry_ids(*args: str) -> list[str]:
        feed = run_cli("--db", str(db), "changes", *args, "--format", "atom").stdout
        return [e.find("a:id", NS).text for e in ET.fromstring(feed).findall("a:entry", NS)]

    ids = entry_ids("--after", "0")
    assert len(ids) == len(set(ids)) == len(KINDS) + 2
    assert ids == entry_ids("--since", "2000-01-01")  # the same entry, the same id
    assert entry_ids("--after", "14") == ids[:2]
    assert all(
        identity in entry and entry.endswith(f":event:{n}")
        for entry, n in zip(ids, range(len(ids), 0, -1), strict=True)
    )
    with Archive(tmp_path / "other.db") as other:  # another archive: other ids
        _history(other)
        assert events_.archive_id(other.db) != identity


def test_exports_after_an_event_carry_gone_and_delisted_notices(tmp_path):
    db = tmp_path / "a.db"
    with Archive(db) as archive:
        _history(archive)

    def exported(*args: str) -> list[dict]:
        result = run_cli("--db", str(db), "export", *args)
        assert result.returncode == 0, result.stderr
        return [json.loads(line) for line in result.stdout.splitlines()]

    notices = exported("--notices", "--after", "10")
    assert [(r["event"], r["change"], r["url"]) for r in notices] == [
        (11, "soft-gone", B),
        (12, "new", C),
        (13, "reextract", C),
        (14, "delisted", C),
    ]
    assert notices[0]["state"] == "gone" and notices[-1]["delisted_since"] == _at(18)
    assert exported("--after", "14") == []
    assert [r["change"] for r in exported("--since", _at(15))] == [
        "soft-gone",
        "new",
        "reextract",
        "delisted",
    ]
    # a whole export says where the log ends, so the next one can take only what follows
    out = tmp_path / "all.jsonl"
    result = run_cli("--db", str(db), "export", "--notices", "-o", str(out))
    assert "the event log ends at event 14 (export --after 14 next time)" in result.stderr
    # one record per notice, each with its latest event: A returned, B soft-gone, C delisted
    latest = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [(r["url"], r["event"], r["change"]) for r in latest] == [
        (A, 5, "returned"),
        (B, 11, "soft-gone"),
        (C, 14, "delisted"),
    ]


def test_a_consumer_misses_and_repeats_nothing_while_events_are_written(tmp_path):
    """A crawl writes while a consumer polls with the last id it read: every event arrives
    once, in order, and the consumer saw the log grow (it read during the writes)."""
    db = tmp_path / "a.db"
    with Archive(db) as archive:
        archive.upsert_portals([{"id": "p", "name": "P"}])
    written = threading.Event()
    total = 300

    def crawl() -> None:
        with Archive(db) as archive:
            for n in range(total):
                url = f"http://p.gov.cn/{n % 60}.htm"
                content = PageContent(text=f"整改措施{n}条。", title=TITLE)
                archive.record_page(url, content, str(n).encode(), portal_id="p")
        written.set()

    writer = threading.Thread(target=crawl)
    seen_changes: list[int] = []
    seen_exports: list[int] = []
    growing = 0
    with Archive(db, create=False) as reader:
        writer.start()
        last_change = last_export = 0
        while True:
            done = written.is_set()  # read before polling: a final poll follows the last write
            got = [row["event"] for row in changes(reader.db, after=last_change)]
            seen_changes += reversed(got)
            last_change = max(got, default=last_change)
            exported = [
                r["event"] for r in records(reader.db, record_type="versions", after=last_export)
            ]
            seen_exports += exported
            last_export = max(exported, default=last_export)
            growing += bool(got) and not done
            if done:
                break
        writer.join()
    assert seen_changes == seen_exports == list(range(1, total + 1))
    assert growing > 1  # the consumer read while the writer wrote


# the schema before the event log (the migrations are ordered at merge)
BEFORE = next(i for i, script in enumerate(MIGRATIONS) if "CREATE TABLE events" in script)


def _before_the_log(source, target) -> None:
    """A copy of an archive as the code before the event log left it."""
    shutil.copy(source, target)
    conn = sqlite3.connect(target, isolation_level=None)
    conn.execute("DROP TABLE events")
    conn.execute("DROP TABLE archive_identity")
    for script in MIGRATIONS[BEFORE + 1 :]:  # and what the migrations after it made
        for table in re.findall(r"CREATE TABLE (?:IF NOT EXISTS )?(\w+)", script):
            conn.execute(f"DROP TABLE {table}")
    conn.execute(f"PRAGMA user_version = {BEFORE}")
    conn.close()


def test_the_migration_logs_the_history_archived_before(tmp_path):
    live = tmp_path / "live.db"
    with Archive(live) as archive:
        _history(archive)
        expected = [row[1:] for row in _log(archive)]
    logs = []
    for name in ("old1.db", "old2.db"):
        _before_the_log(live, tmp_path / name)
        with Archive(tmp_path / name) as archive:
            logs.append(_log(archive))
    # the same events as the code writes them, in the same order, the same in every copy
    assert [row[1:] for row in logs[0]] == expected
    assert logs[0] == logs[1]


def test_a_notice_s_file_is_the_notice_s_from_its_first_event(tmp_path):
    """A file written with the notice that links it is that notice's file in the log at once,
    before the link is recorded (a consumer reading in between sees it so)."""
    with Archive(tmp_path / "a.db") as archive:
        archive.upsert_portals([{"id": "p", "name": "P"}])
        _page(archive, A, "制定212条整改措施。", b"a1", 1)
        content = PageContent(text="整改台账：问题1项。", title="附件1：整改台账.doc")
        archive.record_page(C, content, b"doc", content_kind="doc", parent=A, at=_at(2))
        (row,) = changes(archive.db, after=1)
        assert (row["kind"], row["notice_url"]) == ("file-new", A)
