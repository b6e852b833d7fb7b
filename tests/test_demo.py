"""The offline demo works on a fresh machine: serve, crawl, crawl a later snapshot, and leave an
archive whose history, diff, change feed and Datasette query show the edited notice."""

import json
import re
import subprocess
import sys
from pathlib import Path

from archive import Archive, PageContent
from archive.browse import METADATA
from demo.crawl import PROJECT_ROOT
from demo.run import DELISTED, EDITED, REMOVED, last_event, shell_command
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
    after = re.search(r"changes --after (\d+)", result.stdout)[1]
    edited = base + EDITED
    assert f"diff {edited}" in result.stdout
    # the sample portals make no warning or error of their own (a 404 of their links, a list
    # API answering HTML where the browser reads the list, lists not all read)
    with open_archive(db) as archive:
        for (stats,) in archive.db.execute("SELECT stats FROM runs").fetchall():
            troubles = [
                key
                for key in json.loads(stats)
                if key.startswith(("log_count/WARNING", "log_count/ERROR", "log_count/CRITICAL"))
                or key.endswith(("/errors", "/listing_incomplete", "/unreachable"))
            ]
            assert troubles == [], troubles
    # its "Try:" lines run as printed, pasted into a fresh shell elsewhere (no venv active)
    tried = result.stdout.split("Try:", 1)[1].splitlines()
    commands = [line.split("#", 1)[0].strip() for line in tried if " -m archive " in line]
    interpreters = {command.split(" -m archive")[0].split()[-1] for command in commands}
    assert len(commands) == 7 and len(interpreters) == 1
    assert "/" in interpreters.pop()  # a path, never a bare `python` a venv must provide
    fresh = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    for command in commands[:-1]:  # the last serves Datasette until stopped
        ran = subprocess.run(
            command, shell=True, cwd=tmp_path, env=fresh, capture_output=True, text=True
        )
        assert ran.returncode == 0, (command, ran.stderr)

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
    # the files the first crawl found are their notices' (the crawl names the notice)
    every = json.loads(cli_output("--db", str(db), "changes", "--after", "0", "--json"))
    files = [row for row in every if row["kind"].startswith("file-")]
    assert [row["kind"] for row in files] == ["file-new"] * 3
    assert all(row["notice_url"] != row["url"] for row in files)
    feed = json.loads(cli_output("--db", str(db), "changes", "--after", after, "--json"))
    assert sorted((row["kind"], row["url"]) for row in feed) == sorted(
        [
            ("changed", edited),
            ("chrome-only", base + CHROME_ONLY),
            ("chrome-only", base + DELISTED),  # its page rendered again: neighbours changed
            ("gone", base + REMOVED),
            ("delisted", base + DELISTED),
        ]
    )


def test_the_try_lines_name_the_interpreter_and_the_last_event(tmp_path, monkeypatch):
    monkeypatch.chdir(PROJECT_ROOT)
    monkeypatch.setattr(sys, "executable", str(PROJECT_ROOT / ".venv" / "bin" / "python"))
    assert shell_command("archive", Path("data/demo.db")) == (
        f"cd {PROJECT_ROOT} && .venv/bin/python -m archive --db {PROJECT_ROOT / 'data/demo.db'}"
    )
    monkeypatch.chdir(tmp_path)  # run from elsewhere: the same line, the archive's whole path
    assert shell_command("archive", Path("a.db")) == (
        f"cd {PROJECT_ROOT} && .venv/bin/python -m archive --db {tmp_path / 'a.db'}"
    )
    monkeypatch.setattr(sys, "executable", "/opt/python/bin/python3")  # a venv elsewhere
    assert shell_command("archive", Path("a.db")).startswith(
        f"cd {PROJECT_ROOT} && /opt/python/bin/python3 -m archive --db "
    )
    db = tmp_path / "a.db"
    assert last_event(db) == 0  # nothing archived
    with Archive(db) as archive:
        archive.record_page("http://p.gov.cn/1.htm", PageContent(text="整改", title="通报"), b"1")
    assert last_event(db) == 1
