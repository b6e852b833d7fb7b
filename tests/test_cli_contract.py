"""The CLI contract: --json wherever records are printed, refusals instead of garbage, --db
before or after the command in both CLIs."""

import json
import os
import pty
import subprocess
import sys

import pytest
from click.testing import CliRunner

from archive import Archive, PageContent
from archive.cli import cli as archive_cli
from crawler.cli import cli as crawler_cli
from demo.crawl import PROJECT_ROOT

NOTICE = "http://p.gov.cn/t20251225_1.htm"
FILE = "http://p.gov.cn/P020251225.pdf"
PDF = b"%PDF-1.4\n\x00\x01\x02binary\xff"
# commands that print no records: a count, a server, or files in formats of their own
NO_RECORDS = {"export", "datasette", "index-copies", "reparse", "ingest", "migrate"}


@pytest.fixture
def db(tmp_path) -> str:
    path = tmp_path / "a.db"
    with Archive(path) as archive:
        archive.record_page(
            NOTICE, PageContent(text="制定212条整改措施。", title="巡视整改情况通报"), b"<p>1</p>"
        )
        archive.record_page(
            NOTICE, PageContent(text="制定215条整改措施。", title="巡视整改情况通报"), b"<p>2</p>"
        )
        archive.record_page(
            FILE, PageContent(text="附件正文", title="附件1"), PDF, content_kind="pdf"
        )
        archive.link_attachment(NOTICE, FILE, "附件1")
    return str(path)


def run(*args: str, cli=archive_cli):
    return CliRunner().invoke(cli, list(args))


def test_every_command_that_prints_records_takes_json():
    for name, command in archive_cli.commands.items():
        if name not in NO_RECORDS:
            assert "--json" in [o for p in command.params for o in p.opts], name
    assert "--json" in [o for p in crawler_cli.commands["check-seeds"].params for o in p.opts]


def test_json_of_changes_and_diff(db):
    rows = json.loads(run("--db", db, "changes", "--since", "2000-01-01", "--json").stdout)
    assert {r["kind"] for r in rows} == {"new", "changed", "file-new"}
    changed = next(r for r in rows if r["kind"] == "changed")
    assert changed["figures"] == [{"old": "212条", "new": "215条", "paragraph": 1}]
    assert changed["figures_summary"] == "212条 → 215条"
    data = json.loads(run("--db", db, "diff", NOTICE, "--json").stdout)
    assert data["figures"] == [{"old": "212条", "new": "215条", "paragraph": 1}]
    refused = run("--db", db, "diff", NOTICE, "--json", "--format", "html")
    assert refused.exit_code == 2 and "two formats" in refused.stderr


def test_show_html_refuses_json_and_fields(db):
    for extra in ("--json", "--fields"):
        result = run("--db", db, "show", NOTICE, "--html", extra)
        assert result.exit_code == 2, extra
        assert result.stdout == ""
        assert result.stderr.startswith("Error: --html prints the stored bytes")


def test_show_html_writes_a_file_with_o(db, tmp_path):
    out = tmp_path / "file.pdf"
    result = run("--db", db, "show", FILE, "--html", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert out.read_bytes() == PDF
    assert run("--db", db, "show", NOTICE, "--html").stdout_bytes == b"<p>2</p>"


def _on_a_terminal(*args: str) -> tuple[int, bytes]:
    """Run `python -m archive …` with its stdout on a pseudo-terminal."""
    leader, follower = pty.openpty()
    proc = subprocess.run(
        [sys.executable, "-m", "archive", *args],
        cwd=PROJECT_ROOT,
        stdout=follower,
        stderr=subprocess.PIPE,
        timeout=60,
    )
    os.close(follower)
    os.close(leader)
    return proc.returncode, proc.stderr


def test_show_html_of_a_binary_file_refuses_a_terminal(db):
    code, stderr = _on_a_terminal("--db", db, "show", FILE, "--html")
    assert code == 2
    assert stderr.decode().splitlines() == [
        f"Error: {FILE} is a pdf file: not written to a terminal; use -o FILE (or -o -)"
    ]
    code, _ = _on_a_terminal("--db", db, "show", NOTICE, "--html")
    assert code == 0


def test_db_before_or_after_the_command(db, tmp_path):
    before = run("--db", db, "stats", "--json")
    after = run("stats", "--json", "--db", db)
    assert before.exit_code == after.exit_code == 0
    assert json.loads(after.stdout)["pages"] == json.loads(before.stdout)["pages"] == 2
    missing = run("--db", db, "stats", "--db", str(tmp_path / "none.db"))
    assert missing.exit_code == 1 and "no archive at" in missing.stderr


def test_crawler_db_before_or_after_the_command(tmp_path):
    db = str(tmp_path / "html.db")
    with Archive(db) as archive:
        archive.record_page(
            NOTICE, PageContent(text="制定212条整改措施。", title="通报"), b"<p>1</p>"
        )
    for args in (["--db", db, "reextract", "--json"], ["reextract", "--json", "--db", db]):
        result = run(*args, cli=crawler_cli)
        assert result.exit_code == 0, result.stderr
        assert json.loads(result.stdout)["checked"] >= 1


def test_check_seeds_json_and_empty_file(tmp_path):
    seeds = tmp_path / "seeds.toml"
    seeds.write_text(
        '[[portal]]\nid = "p1"\nname = "某区"\nstart_urls = ["https://p.gov.cn/"]\n'
        'allowed_domains = ["p.gov.cn"]\n',
        "utf-8",
    )
    rows = json.loads(run("check-seeds", str(seeds), "--json", cli=crawler_cli).stdout)
    assert [(r["id"], r["render"]) for r in rows] == [("p1", "auto")]
    seeds.write_text("# nothing yet\n", "utf-8")
    result = run("check-seeds", str(seeds), cli=crawler_cli)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: {seeds}: no [[portal]] defined; a seeds file needs at least one"
    ]


def test_crawler_db_before_the_command_wins_over_archive_path(tmp_path, monkeypatch):
    db = str(tmp_path / "html.db")
    with Archive(db) as archive:
        archive.record_page(
            NOTICE, PageContent(text="制定212条整改措施。", title="通报"), b"<p>1</p>"
        )
    monkeypatch.setenv("ARCHIVE_PATH", str(tmp_path / "elsewhere.db"))
    assert run("--db", db, "reextract", "--json", cli=crawler_cli).exit_code == 0
    missing = run("reextract", cli=crawler_cli)
    assert missing.exit_code == 1 and "elsewhere.db" in missing.stderr
