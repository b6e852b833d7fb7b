"""Date filters refuse what they cannot answer, and say which clock they filter by."""

import json

import pytest
from click.testing import CliRunner

from archive import Archive, PageContent
from archive.cli import cli
from archive.dates import crawl_time
from archive.errors import InvalidDate

OLD = "http://p.gov.cn/t20240301_1.htm"
NEW = "http://p.gov.cn/t20251225_2.htm"


@pytest.fixture
def db(tmp_path) -> str:
    path = tmp_path / "a.db"
    with Archive(path) as archive:
        for url, published, at in (
            (OLD, "2024-03-01", "2026-11-01T02:00:00Z"),
            (NEW, "2025-12-25", "2026-11-20T02:00:00Z"),
        ):
            content = PageContent(
                text=f"制定{published[:4]}条整改措施。",
                title="巡视整改情况通报",
                published=published,
            )
            archive.record_page(url, content, url.encode(), at=at)
    return str(path)


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.mark.parametrize("value", ["yesterday", "2026-13-45", "2026/11/01", "20261101"])
@pytest.mark.parametrize(
    "command", [["list"], ["export"], ["changes"], ["republished"], ["export", "--notices"]]
)
def test_invalid_since_is_refused_in_one_line(db, command, value):
    result = run("--db", db, *command, "--since", value)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"Error: --since: {value!r} is not a date; use YYYY-MM-DD or an ISO 8601 time such as "
        "2026-11-01T08:00:00Z"
    ]


def test_invalid_publication_date_is_refused(db):
    result = run("--db", db, "list", "--published-since", "2025年1月1日")
    assert result.exit_code == 2
    assert "--published-since: '2025年1月1日' is not a date; use YYYY-MM-DD" in result.stderr


def test_since_is_crawl_time_and_accepts_iso_times(db):
    listed = json.loads(run("--db", db, "list", "--since", "2026-11-10", "--json").stdout)
    assert [r["url"] for r in listed] == [NEW]
    # 10:00 in Beijing is 02:00 UTC: the second page was archived exactly then
    at = "2026-11-20T10:00:00+08:00"
    rows = json.loads(run("--db", db, "changes", "--since", at, "--json").stdout)
    assert [r["url"] for r in rows] == [NEW]


def test_published_filters_are_by_publication_date(db):
    def urls(*args):
        result = run("--db", db, *args)
        assert result.exit_code == 0, result.stderr
        return [json.loads(line)["url"] for line in result.stdout.splitlines()]

    assert urls("export", "--published-since", "2025-01-01") == [NEW]
    assert urls("export", "--published-until", "2024-12-31") == [OLD]
    assert urls("export", "--notices", "--published-since", "2024-03-01") == [OLD, NEW]
    listed = run("--db", db, "list", "--published-until", "2024-03-01", "--json")
    assert [r["url"] for r in json.loads(listed.stdout)] == [OLD]


def test_library_refuses_too():
    assert crawl_time("2026-11-01T08:00:00+08:00") == "2026-11-01T00:00:00Z"
    with pytest.raises(InvalidDate, match="'2026/11/01'"):
        crawl_time("2026/11/01")


def test_help_says_which_clock():
    def help_of(command: str) -> str:
        return " ".join(run(command, "--help").stdout.split())

    assert "on or after DATE (crawl time)" in help_of("list")
    assert "--published-since DATE Only notices published on or after DATE" in help_of("export")
    assert "publication date)" in help_of("export")
    assert "events on or after DATE (crawl time, inclusive)" in help_of("changes")
