"""Damage is detected and named; a damaged archive is one clear line for every command; no
command that only reads ever creates or changes a file; exports are whole or absent."""

import hashlib
import re
import shutil
import sqlite3
from contextlib import closing

import pytest
import zstandard

from archive import Archive
from archive.schema import LATEST, MIGRATIONS

from conftest import run_cli

# the schema before the event log (later migrations add tables of their own, and may run again)

SIMING = "/sm/art/2025/12/25/art_1234_5678.html"
PAGE = 4096


def _files(directory) -> dict[str, str]:
    """Every file of a directory with the hash of its bytes."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.iterdir())
        if p.is_file()
    }


@pytest.fixture
def crawled(site, crawl, archive_path, tmp_path):
    """A real archive, alone in a directory of its own."""
    crawl()
    home = tmp_path / "archive"
    home.mkdir()
    shutil.copy(archive_path, home / "a.db")
    return home / "a.db"


def _zero_a_page_of_stored_bodies(path) -> None:
    """Zero 4 KB inside the file: a page of the table of stored bodies."""
    with closing(sqlite3.connect(path)) as conn:
        pages = [
            row[0]
            for row in conn.execute(
                "SELECT pageno FROM dbstat WHERE name = 'blobs' AND pagetype = 'leaf' "
                "ORDER BY pageno"
            )
        ]
    assert pages, "the archive stores bodies"
    with open(path, "r+b") as fh:
        fh.seek((pages[len(pages) // 2] - 1) * PAGE)
        fh.write(b"\0" * PAGE)


def test_damage_is_named_and_every_command_says_it_in_one_line(crawled, site):
    _zero_a_page_of_stored_bodies(crawled)
    home = crawled.parent
    before = _files(home)
    db = ("--db", str(crawled))

    check = run_cli(*db, "check")
    assert check.returncode == 1, check.stdout + check.stderr
    assert "damaged: " in check.stdout and "Traceback" not in check.stderr
    assert check.stderr.startswith(f"Error: {crawled} is damaged: ")

    results = {
        "stats": run_cli(*db, "stats"),
        "export": run_cli(*db, "export", "--notices", "-o", str(home / "n.jsonl")),
        "warc": run_cli(*db, "export", "--format", "warc", "-o", str(home / "a.warc.gz")),
        "show --html": run_cli(*db, "show", site.url(SIMING), "--html", "-o", "-"),
    }
    for name, result in results.items():
        assert result.returncode in (0, 1), (name, result.stderr)
        assert "Traceback" not in result.stderr, (name, result.stderr)
        if result.returncode:
            assert len(result.stderr.splitlines()) == 1, (name, result.stderr)
    warc = results["warc"]
    assert warc.returncode == 1
    assert "is damaged (database disk image is malformed)" in warc.stderr
    assert f"--db {crawled} check" in warc.stderr
    # the archive unchanged, and nothing else written beside it: no partial WARC, no index
    # without it (the notices export reads no stored body: it may succeed, whole)
    after = _files(home)
    assert ("n.jsonl" in after) == (results["export"].returncode == 0)
    after.pop("n.jsonl", None)
    assert after == before


def test_a_whole_archive_passes_the_check(crawled):
    result = run_cli("--db", str(crawled), "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "passed SQLite's integrity check" in result.stdout
    bodies = int(result.stdout.split("; ")[1].split()[0])
    with Archive(crawled, create=False) as archive:
        assert bodies == archive.stats()["blobs"] > 0


def test_a_body_that_reads_back_as_other_bytes_is_named(tmp_path, crawled):
    with closing(sqlite3.connect(crawled, isolation_level=None)) as conn:
        address, data = conn.execute(
            "SELECT sha256, data FROM blobs WHERE codec = 'zstd' LIMIT 1"
        ).fetchone()
        other = zstandard.ZstdCompressor().compress(zstandard.decompress(data) + b" ")
        conn.execute("UPDATE blobs SET data = ? WHERE sha256 = ?", [other, address])
    result = run_cli("--db", str(crawled), "check")
    assert result.returncode == 1
    assert f"damaged: stored body {address}: reads back as other bytes" in result.stdout


def test_commands_that_read_never_create_or_change_a_file(crawled, site):
    home = crawled.parent
    before = _files(home)
    url = site.url(SIMING)
    for command in (
        ["stats"],
        ["list"],
        ["show", url],
        ["history", url],
        ["diff", url, url],
        ["copies", url],
        ["republished"],
        ["search", "整改"],
        ["export", "--notices"],
        ["runs"],
        ["run", "1"],
        ["changes", "--after", "0"],
        ["check"],
    ):
        result = run_cli("--db", str(crawled), *command)
        assert result.returncode == 0, (command, result.stderr)
        assert _files(home) == before, command


def test_an_empty_file_stays_empty(tmp_path):
    empty = tmp_path / "empty.db"
    empty.touch()
    result = run_cli("--db", str(empty), "stats")
    assert result.returncode == 1
    assert (
        result.stderr == f"Error: {empty} is an empty file, not an archive; it was not modified\n"
    )
    assert [p.name for p in tmp_path.iterdir()] == ["empty.db"]
    assert empty.stat().st_size == 0


def test_an_older_archive_is_migrated_only_when_asked(crawled):
    with closing(sqlite3.connect(crawled, isolation_level=None)) as conn:
        for table in re.findall(
            r"CREATE TABLE (?:IF NOT EXISTS )?(\w+)", MIGRATIONS[-1]
        ):  # the last one's
            conn.execute(f"DROP TABLE {table}")
        conn.execute(f"PRAGMA user_version = {LATEST - 1}")
    before = _files(crawled.parent)
    refused = run_cli("--db", str(crawled), "stats")
    assert refused.returncode == 1
    assert f"older than this program's {LATEST}: upgrade it with" in refused.stderr
    assert f"python -m archive --db {crawled} migrate" in refused.stderr
    assert _files(crawled.parent) == before
    migrated = run_cli("--db", str(crawled), "migrate")
    assert migrated.returncode == 0, migrated.stderr
    assert migrated.stdout == f"{crawled}: schema version {LATEST}\n"
    assert run_cli("--db", str(crawled), "stats").returncode == 0


def test_a_failed_export_leaves_no_file_and_keeps_the_last_one(crawled, tmp_path):
    out = tmp_path / "notices.jsonl"
    out.write_text("the last export\n", "utf-8")
    result = run_cli(
        "--db",
        str(crawled),
        "export",
        "--notices",
        "--published-since",
        "2099-13-01",
        "-o",
        str(out),
    )
    assert result.returncode == 2  # refused before writing anything
    assert out.read_text("utf-8") == "the last export\n"
    _zero_a_page_of_stored_bodies(crawled)
    before = _files(tmp_path)
    warc = tmp_path / "a.warc.gz"
    failed = run_cli("--db", str(crawled), "export", "--format", "warc", "-o", str(warc))
    assert failed.returncode == 1 and "is damaged" in failed.stderr
    assert _files(tmp_path) == before  # no WARC, no index, no partial file
