"""Queries that must stay bounded as the archive grows: the change feed reads only what
happened since its date, and an export runs one query per table, not per record (no timing is
asserted: the query plan and the statements run are)."""

from archive import Archive, PageContent, records
from archive.feed import _CHANGES


def _archive(path, pages: int) -> Archive:
    archive = Archive(path)
    for n in range(pages):
        text = f"一、制定{n}条整改措施。\n二、建章立制{n}项。"
        archive.record_page(f"http://x/{n}", PageContent(text, f"关于巡视整改情况的通报{n}"), b"x")
    archive.record_gone("http://x/0", 404)
    return archive


def test_change_feed_reads_only_since_its_date(tmp_path):
    with _archive(tmp_path / "a.db", 3) as archive:
        plan = [row[3] for row in archive.db.execute("EXPLAIN QUERY PLAN " + _CHANGES, ["2026"])]
    # fetches (g, f), versions (v, cv) and pages (p) are searched by index, never scanned (the
    # links of notices to their files, one per file, may be)
    scans = [step.split()[1] for step in plan if step.startswith("SCAN")]
    assert not set(scans) & {"g", "f", "v", "cv", "p"}, plan


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
