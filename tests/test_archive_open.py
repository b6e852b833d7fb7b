"""Opening archive files: migrations, refusal of foreign or newer files, WAL readers."""

import sqlite3

import pytest

from archive import Archive, NoArchive, NotAnArchive, PageContent, SchemaTooNew
from archive.db import WAL_CHECKPOINT_PAGES
from archive.schema import APPLICATION_ID, LATEST


def test_new_archive_is_wal_and_versioned(tmp_path):
    with Archive(tmp_path / "a.db") as archive:
        assert archive.db.journal_mode == "wal"
        # a crawl syncs the disk at checkpoints: not every tenth fetch (SQLite's default)
        assert archive.db.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == (
            WAL_CHECKPOINT_PAGES
        )
        assert archive.db.execute("PRAGMA user_version").fetchone()[0] == LATEST
        assert archive.db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    # reopening migrates nothing and keeps the data
    with Archive(tmp_path / "a.db") as archive:
        assert archive.stats()["pages"] == 0


def test_newer_schema_refused_and_untouched(tmp_path):
    path = tmp_path / "a.db"
    Archive(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {LATEST + 1}")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(SchemaTooNew, match="newer"):
        Archive(path)
    assert path.read_bytes() == before


def test_foreign_sqlite_file_refused_and_untouched(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NotAnArchive, match="not a notice archive"):
        Archive(path)
    assert path.read_bytes() == before
    assert not (tmp_path / "other.db-wal").exists()


def test_non_sqlite_file_refused_and_untouched(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("巡视整改 — not a database\n" * 20, "utf-8")
    before = path.read_bytes()
    with pytest.raises(NotAnArchive, match="not a SQLite database"):
        Archive(path)
    assert path.read_bytes() == before


def test_missing_file_not_created_when_reading(tmp_path):
    with pytest.raises(NoArchive):
        Archive(tmp_path / "missing.db", create=False)
    assert not (tmp_path / "missing.db").exists()


def test_reader_sees_committed_state_during_a_write(tmp_path):
    path = tmp_path / "a.db"
    writer = Archive(path)
    writer.record_page("http://x/1", PageContent(text="第一版", title="巡视整改通报"), b"1")
    reader = Archive(path, create=False)
    with writer.db.atomic():
        writer.record_page("http://x/1", PageContent(text="第二版", title="巡视整改通报"), b"2")
        # the write is not committed: the reader is not blocked and sees version 1
        assert reader.version("http://x/1")["text"] == "第一版"
        assert reader.stats()["versions"] == 1
    assert reader.version("http://x/1")["text"] == "第二版"
    reader.close()
    writer.close()
