"""`python -m archive` as a user runs it (in-process): output, --json, and one-line errors."""

import json
import re

import pytest
from click.testing import CliRunner

from archive import Archive, PageContent
from archive.cli import cli

from conftest import cli_output

URL = "http://portal.example/t20251225_1.htm"
OTHER = "http://other.example/art_1.html"


@pytest.fixture
def db(tmp_path) -> str:
    path = tmp_path / "a.db"
    with Archive(path) as archive:
        archive.upsert_portals([{"id": "p1", "name": "门户", "level": "district"}])
        run = archive.begin_run(["p1"])
        for figure in ("212", "215"):
            archive.record_page(
                URL,
                PageContent(
                    text=f"现将情况通报如下：\n制定{figure}条整改措施。",
                    title="关于巡视整改进展情况的通报",
                    published="2025-12-25",
                ),
                f"<html>{figure}<script>x</script></html>".encode(),
                portal_id="p1",
                run_id=run,
            )
        archive.record_page(
            OTHER,
            PageContent(
                text="现将情况通报如下：\n制定215条整改措施。\n新增。",
                title="转载：关于巡视整改进展情况的通报",
            ),
            b"<html>other</html>",
            portal_id="p1",
            run_id=run,
        )
        archive.finish_run(run, "finished")
    return str(path)


def run_cli(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_stats(db):
    assert re.search(r"versions\s+3", cli_output("--db", db, "stats"))
    assert json.loads(cli_output("--db", db, "stats", "--json"))["pages"] == 2


def test_list_and_filters(db):
    assert URL in cli_output("--db", db, "list")
    rows = json.loads(cli_output("--db", db, "list", "--changed", "--json"))
    assert [r["url"] for r in rows] == [URL]
    assert json.loads(cli_output("--db", db, "list", "--gone", "--json")) == []
    assert len(json.loads(cli_output("--db", db, "list", "--portal", "p1", "--json"))) == 2


def test_show_text_version_and_html(db):
    assert "制定215条" in cli_output("--db", db, "show", URL)
    assert "制定212条" in cli_output("--db", db, "show", URL, "--version", "1")
    raw = run_cli("--db", db, "show", URL, "--version", "1", "--html")
    assert raw.stdout_bytes == b"<html>212<script>x</script></html>"
    assert json.loads(cli_output("--db", db, "show", URL, "--json"))["number"] == 2


def test_history(db):
    out = cli_output("--db", db, "history", URL)
    assert "new" in out and "changed" in out
    data = json.loads(cli_output("--db", db, "history", URL, "--json"))
    assert [f["outcome"] for f in data["fetches"]] == ["new", "changed"]


def test_diff_forms(db):
    assert "{+5+}" in cli_output("--db", db, "diff", URL)
    assert "{+5+}" in cli_output("--db", db, "diff", URL, "--from", "1", "--to", "2")
    data = json.loads(cli_output("--db", db, "diff", f"{URL}@1", OTHER, "--format", "json"))
    assert [b["op"] for b in data["blocks"]] == ["change", "insert"]
    page = cli_output("--db", db, "diff", URL, "--format", "html")
    assert page.startswith("<!DOCTYPE html>") and "<ins>5</ins>" in page


def test_search(db):
    assert URL in cli_output("--db", db, "search", "整改措施")
    assert len(json.loads(cli_output("--db", db, "search", "新增", "--json"))) == 1


def test_export_jsonl_csv_since_versions(db, tmp_path):
    rows = [json.loads(line) for line in cli_output("--db", db, "export").splitlines()]
    assert len(rows) == 2
    for key in (
        "url",
        "portal",
        "title",
        "published",
        "text",
        "version",
        "fetched_at",
        "content_hash",
    ):
        assert key in rows[0]
    assert {r["url"]: r["published"] for r in rows} == {URL: "2025-12-25", OTHER: None}
    all_rows = cli_output("--db", db, "export", "--all-versions").splitlines()
    assert len(all_rows) == 3
    assert cli_output("--db", db, "export", "--since", "2999-01-01") == ""
    out = tmp_path / "out.csv"
    cli_output("--db", db, "export", "--format", "csv", "-o", str(out))
    assert out.read_text("utf-8").startswith("url,portal,title")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "http://nope"], "no page in the archive with URL http://nope"),
        (["show", URL, "--version", "9"], f"{URL} has no version 9 (it has versions 1 to 2)"),
        (["diff", OTHER], f"{OTHER} has only 1 version(s); nothing to diff"),
        (["diff", f"{URL}@7", OTHER], f"{URL} has no version 7 (it has versions 1 to 2)"),
    ],
)
def test_errors_are_one_line(db, args, message):
    result = run_cli("--db", db, *args)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"Error: {message}\n"


def test_missing_and_foreign_files(tmp_path):
    result = run_cli("--db", str(tmp_path / "none.db"), "stats")
    assert result.exit_code == 1 and "no archive at" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "none.db").exists()
    bogus = tmp_path / "bogus.db"
    bogus.write_bytes(b"not sqlite at all" * 10)
    result = run_cli("--db", str(bogus), "list")
    assert result.exit_code == 1 and "not an archive" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert bogus.read_bytes() == b"not sqlite at all" * 10
