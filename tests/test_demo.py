"""The offline demo works on a fresh machine: serve, crawl, crawl a later snapshot, and leave an
archive whose history, diff, change feed and Datasette query show the edited notice."""

import json
import re
import subprocess
import sys

from archive import Archive
from archive.browse import METADATA
from archive.models import utcnow
from demo.crawl import PROJECT_ROOT
from demo.run import DELISTED, EDITED, REMOVED, after_last_fetch
from demo.server import SampleSite

from conftest import cli_output, open_archive

# every sample portal: Chromium is installed where the tests run, so none is skipped
PORTALS = [
    "sample-xm",
    "sample-sm",
    "sample-ta",
    "sample-js",
    "sample-hw",
    "sample-hwx",
    "sample-jsa",
    "sample-oldj",
]
CHROME_ONLY = "/hw/art/2023/11/3/art_5678_88.html"


def test_demo_crawls_the_sample_portals_twice_and_shows_the_change(tmp_path):
    db = tmp_path / "demo.db"
    # as a user runs it on a fresh clone: a process of its own
    result = subprocess.run(
        [sys.executable, "-m", "demo", "--db", str(db)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    base = re.search(r"Sample portal serving at (http://127\.0\.0\.1:\d+) ", result.stdout)[1]
    assert f"Portals: {', '.join(PORTALS)}" in result.stdout
    assert "Skipping" not in result.stdout
    assert f"Archive: {db}" in result.stdout
    since = re.search(r"changes --since (\S+)", result.stdout)[1]
    edited = base + EDITED
    assert f"diff {edited}" in result.stdout

    with open_archive(db) as archive:
        assert archive.stats()["pages"] == SampleSite(base).archived(PORTALS)
        assert archive.stats()["runs"] == 2
        chrome = archive.fetches(base + CHROME_ONLY)
        assert [f["outcome"] for f in chrome] == ["new", "chrome-only"]
        assert archive.page(base + REMOVED)["state"] == "gone"
        assert archive.page(base + DELISTED)["delisted_since"] is not None
        canned = json.loads(METADATA.read_text("utf-8"))["databases"]["archive"]["queries"]
        sql = canned["changed_after_publication"]["sql"]
        assert [row[0] for row in archive.db.execute(sql).fetchall()] == [edited]

    listed = json.loads(cli_output("--db", str(db), "list", "--changed", "--json"))
    assert [row["url"] for row in listed] == [edited]
    assert "figures: 212条 → 215条; 99.8% → 99.5%" in cli_output("--db", str(db), "diff", edited)
    feed = json.loads(cli_output("--db", str(db), "changes", "--since", since, "--json"))
    assert sorted((row["kind"], row["url"]) for row in feed) == sorted(
        [("changed", edited), ("gone", base + REMOVED), ("delisted", base + DELISTED)]
    )


def test_the_later_snapshot_starts_after_the_first_crawls_last_fetch(tmp_path):
    db = tmp_path / "a.db"
    with Archive(db) as archive:
        archive.record_error("http://portal.example/a.htm", "HTTP 503", at=utcnow())
        last = archive.db.execute("SELECT max(fetched_at) FROM fetches").fetchone()[0]
    # the archive writes whole seconds: a time in the same second would take the fetch in
    assert after_last_fetch(db) > last
    assert after_last_fetch(tmp_path / "none.db") <= utcnow()
