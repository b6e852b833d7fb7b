"""Queries that must stay bounded as the archive grows: the change feed reads only the events
after its id (or since its date), and an export runs one query per table, not per record (no timing is
asserted: the query plan and the statements run are)."""

from archive import Archive, PageContent, records
from archive.events import AFTER, AFTER_AND_SINCE
from archive.feed import _EVENTS


def _archive(path, pages: int) -> Archive:
    archive = Archive(path)
    for n in range(pages):
        text = f"一、制定{n}条整改措施。\n二、建章立制{n}项。"
        archive.record_page(f"http://x/{n}", PageContent(text, f"关于巡视整改情况的通报{n}"), b"x")
    archive.record_gone("http://x/0", 404)
    return archive


def test_change_feed_reads_only_the_events_after_its_id_or_since_its_date(tmp_path):
    queries = (_EVENTS.format(window=AFTER), _EVENTS.format(window=AFTER_AND_SINCE))
    with _archive(tmp_path / "a.db", 3) as archive:
        for sql in queries:
            params = [2, "2026", "2026", -1] if sql == queries[1] else [2, -1]
            plan = [row[3] for row in archive.db.execute("EXPLAIN QUERY PLAN " + sql, params)]
            # the log is read from a key (the id after, or the first id since the date, found
            # by the time's index), and pages, versions and links by theirs: nothing scanned
            assert not [step for step in plan if step.startswith("SCAN")], plan
            assert plan[0] == "SEARCH e USING INTEGER PRIMARY KEY (rowid>?)", plan
            assert (
                "SEARCH events USING COVERING INDEX events_at (at>?)" in plan or sql == queries[0]
            )


def test_notice_export_runs_one_query_per_table(tmp_path):
    statements = {}
    for pages in (2, 12):
        with _archive(tmp_path / f"{pages}.db", pages) as archive:
            run = []
            archive.db.conn.set_trace_callback(run.append)
            exported = list(records.notices(archive.db))
            archive.db.conn.set_trace_callback(None)
        assert len(exported) == pages and exported[1]["counts"]
        statements[pages] = len(run)
    assert statements[2] == statements[12]
